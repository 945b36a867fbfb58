"""`sanjian notice`: the meeting notice (会议通知) for the group chat."""

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_FILED_PAPER,
    LANG,
    TEMPLATE,
    check_docx,
    check_lang,
    dated_path,
    docx_paper,
    paper_text,
)


def register(app: typer.Typer) -> None:
    app.command("notice")(notice)


def notice(
    ctx: typer.Context,
    date: str | None = typer.Argument(
        None, help="YYYY-MM-DD of the meeting (default: the next one to be held)."
    ),
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write to this file instead of stdout; {date} is replaced by the meeting date.",
    ),
    lang: str | None = LANG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report on stderr."),
    template: Path | None = TEMPLATE,
) -> None:
    """Print the notice of a meeting: when, where, chair, agenda, leave and topic deadlines.

    Reads the record only: an agenda not built yet is announced as to follow (build it
    first with sanjian agenda build).
    """
    from sanjian_cli.domain import clock
    from sanjian_cli.render import notice as render
    from sanjian_cli.render import output as out
    from sanjian_cli.services import notice as notices

    fmt = format
    lang = check_lang(lang)
    base = check_docx(fmt, output, template)
    day = clock.parse_date(date) if date else None
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        doc = notices.build(record, day, now)
    chosen = c.lang(lang)
    if fmt == "docx":
        paper = render.notice_paper(doc, chosen)
        text: str | bytes = docx_paper(c, paper, config, now, base, quiet)
    else:
        text = paper_text(doc, fmt, render.notice, chosen)
    meeting_date = doc["meeting"]["date"]
    target = dated_path(output, meeting_date)
    out.emit(text, target)
    if quiet:
        return
    if doc["agenda"] is None and not doc["cancelled"]:
        c.say("notice_agenda_missing", date=meeting_date)
    elif target is not None:
        c.say("notice_written", date=meeting_date)
