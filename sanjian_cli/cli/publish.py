"""`sanjian publish`: the public notice (结果公示) of a meeting's results, for residents."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_PAPER,
    LANG,
    OUTPUT,
    check_lang,
    emit_paper,
    paper_text,
)


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


def publish(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD (closed)."),
    format: str = FORMAT_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """The public notice (结果公示) of a meeting: no phones, dissent names or internal notes."""
    from sanjian_cli.domain import clock
    from sanjian_cli.render import publish as render
    from sanjian_cli.services import committee, meetings, publish

    fmt = format
    lang = check_lang(lang)
    clock.parse_date(date)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        doc = publish.public_notice(
            record, committee.require(record), meetings.resolve(record, date), now.date()
        )
    emit_paper(c, paper_text(doc, fmt, render.public_notice, c.lang(lang)), output)
