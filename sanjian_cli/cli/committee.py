"""`sanjian init` and `sanjian config`: the committee and its settings."""

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, emit_json
from sanjian_cli.domain.settings import BY_KEY
from sanjian_cli.messages import lang_from_env

config_app = typer.Typer(help="Show or change the committee's settings.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(config_app, name="config")


def init(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The committee's name, e.g. 幸福里社区三工联席会议."),
    weekday: str = typer.Option(
        BY_KEY["weekday"].default, "--weekday", help="Meeting day: mon..sun."
    ),
    time: str = typer.Option(BY_KEY["time"].default, "--time", help="Start time, HH:MM."),
    duration: int = typer.Option(
        BY_KEY["duration"].default, "--duration", help="Length of a meeting in minutes."
    ),
    place: str = typer.Option(
        BY_KEY["place"].default, "--place", help="Where the committee usually meets."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="zh or en (default: zh for a Chinese name, else from LANG)."
    ),
    timezone: str = typer.Option(BY_KEY["timezone"].default, "--timezone", help="IANA time zone."),
) -> None:
    """Create the committee (refuses to overwrite an existing one)."""
    from sanjian_cli.domain import clock, settings
    from sanjian_cli.services import committee

    c = context.get(ctx)
    chosen = {
        "weekday": weekday,
        "time": time,
        "duration": str(duration),
        "place": place,
        # The committee's language: init's --lang, else the global --lang, else the name's
        # (Chinese name, Chinese committee), else LANG.
        "lang": lang or c.lang_override or settings.lang_for(name, lang_from_env()),
        "timezone": timezone,
    }
    with c.writing() as record:
        at = clock.now(clock.zone(timezone))
        created = committee.create(record, name, chosen, at, store=str(c.db))
        c.committee_lang = created["settings"]["lang"]
    c.say("init_done", name=name, path=str(c.db))


@config_app.command("show")
def show(ctx: typer.Context, format: str = FORMAT_TABLE) -> None:
    """Show every setting with its value."""
    from sanjian_cli.domain import documents
    from sanjian_cli.render import committee as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import committee

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        data = committee.require(record)
        config = committee.config(record)
    if fmt == "json":
        emit_json(documents.config_json(data, config, str(c.db)))
        return
    tables.pairs(None, view.show(data["name"], config, c.lang()))


@config_app.command("set")
def set_(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="A setting, as listed by config show (or 'name')."),
    value: str = typer.Argument(..., help="Its new value."),
) -> None:
    """Change one setting; the value is checked before anything is saved."""
    from sanjian_cli.services import committee

    c = context.get(ctx)
    with c.writing() as record:
        if key.strip().lower() == "name":
            committee.rename(record, value)
            shown = value
        else:
            key, parsed = committee.set_value(record, key, value)
            from sanjian_cli.messages import setting_value

            shown = setting_value(c.lang(), key, parsed)
    c.say("config_set", key=key, value=shown)
