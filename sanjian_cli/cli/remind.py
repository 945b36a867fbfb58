"""`sanjian remind`: decision items due soon or overdue, by owner, for the group chat."""

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_PAPER, LANG, OUTPUT, check_lang


def register(app: typer.Typer) -> None:
    app.command("remind")(remind)


def remind(
    ctx: typer.Context,
    days: int = typer.Option(7, "--days", help="Due within this many days (overdue included)."),
    fail_if_any: bool = typer.Option(
        False, "--fail-if-any", help="Exit 1 when there is anything to remind of."
    ),
    format: str = FORMAT_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report on stderr."),
) -> None:
    """List open decision items due within DAYS days or overdue, grouped by owner.

    Prints nothing when there is nothing to remind of (so cron sends no mail).
    """
    from sanjian_cli.render import output as out
    from sanjian_cli.render import remind as render
    from sanjian_cli.services import committee, remind

    fmt = format
    lang = check_lang(lang)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        groups = remind.due_within(record, now.date(), days)
        name = committee.require(record)["name"]
    count = sum(len(g["items"]) for g in groups)
    if fmt == "json":
        text = out.dumps(groups)
    else:
        text = render.reminder(groups, name, days, now.date(), c.lang(lang), fmt == "markdown")
    if text or output is not None:
        out.emit(text, output)
    if not quiet:
        c.say("remind_some" if count else "remind_none", count=count, days=days)
    if fail_if_any and count:
        raise typer.Exit(1)
