"""`sanjian publish`: the public notice (结果公示) of a meeting's results, for residents."""

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
    app.command("publish")(publish)


def publish(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD (closed)."),
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    template: Path | None = TEMPLATE,
) -> None:
    """The public notice (结果公示) of a meeting: no phones, dissent names or internal notes."""
    from sanjian_cli.domain import clock
    from sanjian_cli.render import publish as render
    from sanjian_cli.services import committee, meetings, publish

    fmt = format
    lang = check_lang(lang)
    base = check_docx(fmt, output, template)
    clock.parse_date(date)
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        doc = publish.public_notice(
            record, committee.require(record), meetings.resolve(record, date), now.date()
        )
    if fmt == "docx":
        paper = render.public_notice_paper(doc, c.lang(lang))
        emit_paper(c, docx_paper(c, paper, config, now, base), output)
        return
    emit_paper(c, paper_text(doc, fmt, render.public_notice, c.lang(lang)), output)
