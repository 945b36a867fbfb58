"""`sanjian report`: attendance, decisions carried out, topics, and the period summary.

The figures come from `services.reports` (over `domain.reports`); this module parses the
period and hands the results to the renderers.
"""

from pathlib import Path
from typing import Any

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_FILED_PAPER,
    FROM,
    LANG,
    OUTPUT,
    TEMPLATE,
    TO,
    YEAR,
    check_docx,
    check_lang,
    docx_paper,
    emit_paper,
    format_option,
)

report_app = typer.Typer(
    help="Reports: attendance, decisions carried out, topics, summary.", no_args_is_help=True
)

FORMAT_REPORT = format_option(
    ("table", "json", "csv", "xlsx"),
    help="Output format: table, json, csv or xlsx (xlsx needs --output).",
)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def _show(
    c: Any,
    fmt: str,
    data: Any,
    lang: str,
    output: Path | None,
    csv: Any,
    table: Any,
    name: str,
    xlsx: Any = None,
    now: Any = None,
) -> None:
    """One report in the chosen format: JSON, CSV (through `csv`), a workbook (`xlsx`) or a
    table (`table`)."""
    from sanjian_cli.render import reports as render

    if fmt == "xlsx":
        emit_paper(c, xlsx(data, lang, name, now), output)
    elif fmt == "json":
        emit_paper(c, render.json_text(data), output)
    elif fmt == "csv":
        emit_paper(c, csv(data, lang), output)
    elif output is not None:
        from sanjian_cli.render.output import captured

        # The table as the terminal shows it, as plain text in the file.
        with captured() as printed:
            table(data, lang, name)
        emit_paper(c, printed.getvalue(), output)
    else:
        table(data, lang, name)


def _formats(format: str, output: Path | None) -> str:
    from sanjian_cli.errors import BadInput

    if format == "xlsx" and output is None:
        raise BadInput("xlsx_needs_output")
    return format


def _xlsx(builder: str) -> Any:
    """The workbook builder `builder` of render.sheets, imported only when it is called."""

    def build(*args: Any) -> Any:
        from sanjian_cli.render import sheets

        return getattr(sheets, builder)(*args)

    return build


@report_app.command("attendance")
def attendance(
    ctx: typer.Context,
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    side: str | None = typer.Option(None, "--side", help="Only this side (政工/社工/志愿者)."),
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Attendance per member and per side: 应到, present, late, online, leave, absent, rate."""
    from sanjian_cli.domain import vocab
    from sanjian_cli.render import reports as render
    from sanjian_cli.services import reports

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = reports.period(start, end, year)
    chosen = vocab.side(side) if side is not None else None
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        name = record.committee()["name"]
        data = reports.attendance(record, config, period, side=chosen)
    del record  # the years it read are let go before the report is drawn
    _show(c, fmt, data, c.lang(lang), output, render.attendance_csv, render.attendance_table, name,
          xlsx=_xlsx("attendance_xlsx"), now=now)  # fmt: skip


@report_app.command("actions")
def actions(
    ctx: typer.Context,
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    owner: str | None = typer.Option(None, "--owner", help="Only this owner (id or name)."),
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Decision items taken in the period: state, days overdue, latest note; counts per owner
    and side; the share carried out on time."""
    from sanjian_cli.render import reports as render
    from sanjian_cli.services import members, reports

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = reports.period(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        name = record.committee()["name"]
        who = members.resolve(record, owner)["id"] if owner is not None else None
        data = reports.actions(record, period, now.date(), owner=who)
    del record  # the years it read are let go before the report is drawn
    _show(c, fmt, data, c.lang(lang), output, render.actions_csv, render.actions_table, name,
          xlsx=_xlsx("actions_xlsx"), now=now)  # fmt: skip


@report_app.command("topics")
def topics(
    ctx: typer.Context,
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Topics by category and by proposing side; median days to decision; longest waiting."""
    from sanjian_cli.render import reports as render
    from sanjian_cli.services import reports

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = reports.period(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        name = record.committee()["name"]
        data = reports.topics(record, period, now.date())
    del record  # the years it read are let go before the report is drawn
    _show(c, fmt, data, c.lang(lang), output, render.topics_csv, render.topics_table, name,
          xlsx=_xlsx("topics_xlsx"), now=now)  # fmt: skip


@report_app.command("summary")
def summary(
    ctx: typer.Context,
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    template: Path | None = TEMPLATE,
) -> None:
    """The figures of a year-end report (年度总结): meetings, attendance, topics, decisions."""
    from sanjian_cli.render import reports as render
    from sanjian_cli.services import reports

    fmt = format
    lang = check_lang(lang)
    period = reports.period(start, end, year)
    base = check_docx(fmt, output, template)
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        data = reports.summary(record, config, period, now.date())
    del record  # the years it read are let go before the report is drawn
    if fmt == "docx":
        paper = render.summary_paper(data, c.lang(lang))
        emit_paper(c, docx_paper(c, paper, config, now, base), output)
        return
    if fmt == "json":
        text = render.json_text(data)
    else:
        text = render.summary_text(data, c.lang(lang), markdown=fmt == "markdown")
    emit_paper(c, text, output)
