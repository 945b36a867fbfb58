"""`sanjian demo`: a realistic committee and one full week, printed as agenda and minutes."""

import os
from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import LANG, check_lang


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo_path() -> Path:
    """The demo's own store, beside the default one (`demo.json` in the data folder): a
    demo never lands in the store the user works in, `$SANJIAN_DB` included."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "demo.json"


def demo(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None, "--db", help="Store to create (default: demo.json beside the default store)."
    ),
    lang: str | None = LANG,
) -> None:
    """Create a demo committee, run one full week on it, print the agenda and the minutes."""
    import shlex

    from sanjian_cli.domain import clock
    from sanjian_cli.errors import Refused
    from sanjian_cli.render import papers as render
    from sanjian_cli.render.output import emit
    from sanjian_cli.services import committee, meetings, papers
    from sanjian_cli.services import demo as week

    lang = check_lang(lang)
    c = context.get(ctx)
    given = db if db is not None else ctx.find_root().params.get("db")
    c.db = Path(given).expanduser() if given is not None else demo_path()
    chosen = lang or c.lang_override or "zh"
    with c.writing() as record:
        existing = record.committee()
        if existing and not existing.get("demo"):
            raise Refused("demo_exists", path=str(c.db), name=existing.get("name", ""))
        now = clock.now(clock.zone("Asia/Shanghai"))
        shown = week.run(record, now, chosen)
        info = committee.require(record)
        agenda_doc = shown["agenda"]
        minutes_doc = papers.minutes(record, info, meetings.resolve(record, shown["date"]))
        c.committee_lang = chosen
    emit(render.agenda(agenda_doc, chosen))
    emit("\n")
    emit(render.minutes(minutes_doc, chosen))
    emit("\n")
    emit(c.t("demo_done", path=str(c.db)) + "\n")
    emit(c.t("demo_own_store") + "\n")
    emit(c.t("demo_next") + "\n")
    db_arg = f" --db {shlex.quote(str(c.db))}"
    for line in (
        f"sanjian{db_arg} member list",
        f"sanjian{db_arg} topic list --status accepted",
        f"sanjian{db_arg} action list --open",
        f"sanjian{db_arg} minutes {shown['date']} --lang en",
        f"sanjian{db_arg} agenda build --next",
    ):
        emit(f"  {line}\n")
