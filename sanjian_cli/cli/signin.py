"""`sanjian signin-sheet`: the printable sign-in sheet (签到表) of a meeting."""

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_FILED_PAPER,
    LANG,
    OUTPUT,
    TEMPLATE,
    check_docx,
    check_lang,
    docx_paper,
    emit_paper,
    paper_text,
)


def register(app: typer.Typer) -> None:
    app.command("signin-sheet")(signin_sheet)


def signin_sheet(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    guests: int = typer.Option(5, "--guests", help="Blank rows for guests (0 to 30)."),
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    template: Path | None = TEMPLATE,
) -> None:
    """A printable sign-in sheet: expected members by side, non-voting members, blank rows."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render import signin as render
    from sanjian_cli.services import committee, meetings, signin

    fmt = format
    lang = check_lang(lang)
    clock.parse_date(date)
    if not 0 <= guests <= 30:
        raise BadInput("bad_guest_rows", value=guests)
    base = check_docx(fmt, output, template)
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        doc = signin.signin_sheet(
            record, committee.require(record), meetings.resolve(record, date), guests
        )
    if fmt == "docx":
        paper = render.signin_sheet_paper(doc, c.lang(lang))
        emit_paper(c, docx_paper(c, paper, config, now, base), output)
        return
    emit_paper(c, paper_text(doc, fmt, render.signin_sheet, c.lang(lang)), output)
