"""`sanjian publish` (结果公示) and `sanjian signin-sheet` (签到表): papers for outside the
record."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import LANG, OUTPUT, check_format, check_lang, emit_paper, paper_text

FORMAT_PRINT = typer.Option("text", "--format", "-f", help="Output format: text, markdown or json.")


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)
    app.command("signin-sheet")(signin_sheet)


def publish(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD (closed)."),
    format: str = FORMAT_PRINT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """The public notice (结果公示) of a meeting: no phones, dissent names or internal notes."""
    from sanjian_cli import clock, committee, handouts, meetings
    from sanjian_cli.render import handouts as render

    fmt = check_format(format, ("text", "markdown", "json"))
    check_lang(lang)
    clock.parse_date(date)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        doc = handouts.public_notice(
            record, committee.require(record), meetings.resolve(record, date), now.date()
        )
    emit_paper(c, paper_text(doc, fmt, render.public_notice, c.lang(lang)), output)


def signin_sheet(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    guests: int = typer.Option(5, "--guests", help="Blank rows for guests (0 to 30)."),
    format: str = FORMAT_PRINT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """A printable sign-in sheet: expected members by side, non-voting members, blank rows."""
    from sanjian_cli import clock, committee, handouts, meetings
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render import handouts as render

    fmt = check_format(format, ("text", "markdown", "json"))
    check_lang(lang)
    clock.parse_date(date)
    if not 0 <= guests <= 30:
        raise BadInput("bad_guest_rows", value=guests)
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        doc = handouts.signin_sheet(
            record, committee.require(record), meetings.resolve(record, date), guests
        )
    emit_paper(c, paper_text(doc, fmt, render.signin_sheet, c.lang(lang)), output)
