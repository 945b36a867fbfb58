"""`sanjian minutes`: the minutes (会议纪要) of a meeting."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_PAPER, LANG, OUTPUT, check_format, check_lang


def register(app: typer.Typer) -> None:
    app.command("minutes")(minutes)


def minutes(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    format: str = FORMAT_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Print or export the minutes of a meeting."""
    from sanjian_cli import clock, committee, meetings, papers
    from sanjian_cli.render import output as out
    from sanjian_cli.render import papers as render

    fmt = check_format(format, ("text", "markdown", "json"))
    check_lang(lang)
    clock.parse_date(date)
    c = context.get(ctx)
    with c.reading() as record:
        info = committee.require(record)
        doc = papers.minutes(record, info, meetings.resolve(record, date))
    if fmt == "json":
        text = out.dumps(doc)
    else:
        text = render.minutes(doc, c.lang(lang), markdown=fmt == "markdown")
    out.emit(text, output)
    if output is not None:
        c.say("written_to", path=str(output))
