"""`sanjian report`: attendance, decisions carried out, topics, and the period summary.

The figures come from `reports` (pure); this module gathers the record into the plain
inputs those functions take (the rolls of held meetings come from `attendance.roll`) and
hands the results to the renderers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import LANG, OUTPUT, check_format, check_lang

report_app = typer.Typer(
    help="Reports: attendance, decisions carried out, topics, summary.", no_args_is_help=True
)

FROM = typer.Option(None, "--from", help="First day of the period, YYYY-MM-DD (included).")
TO = typer.Option(None, "--to", help="Last day of the period, YYYY-MM-DD (included).")
FORMAT_REPORT = typer.Option(
    "table", "--format", "-f", help="Output format: table, json, csv or xlsx (needs --output)."
)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def period_of(start: str | None, end: str | None, year: int | None = None) -> Any:
    """The period the options name; refuses a start after the end."""
    from sanjian_cli.domain import clock, reports
    from sanjian_cli.errors import BadInput

    if year is not None:
        if start is not None or end is not None:
            raise BadInput("year_and_range")
        if not 2000 <= year <= 2999:
            raise BadInput("bad_year", value=year)
        return reports.Period.year(year)
    first = clock.parse_date(start) if start is not None else None
    last = clock.parse_date(end) if end is not None else None
    if first and last and first > last:
        raise BadInput("bad_period", start=first.isoformat(), end=last.isoformat())
    return reports.Period(first, last)


def held(record: Any) -> list[dict[str, Any]]:
    """Every closed meeting with its roll, as `reports.attendance` takes them."""
    from sanjian_cli.domain import reports
    from sanjian_cli.services import attendance

    return [reports.held_meeting(m, roll) for m, roll in attendance.held(record)]


def people(record: Any) -> dict[int, dict[str, Any]]:
    return {m["id"]: m for m in record.members()}


def _emit(text: str, output: Path | None, c: Any) -> None:
    from sanjian_cli.render.output import emit

    emit(text, output)
    if output is not None:
        c.say("written_to", path=str(output))


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
        _emit(xlsx(data, lang, name, now), output, c)
    elif fmt == "json":
        _emit(render.json_text(data), output, c)
    elif fmt == "csv":
        _emit(csv(data, lang), output, c)
    else:
        table(data, lang, name)


def _formats(format: str, output: Path | None) -> str:
    from sanjian_cli.errors import BadInput

    fmt = check_format(format, ("table", "json", "csv", "xlsx"))
    if fmt == "table" and output is not None:
        raise BadInput("output_needs_format", formats="json, csv, xlsx")
    if fmt == "xlsx" and output is None:
        raise BadInput("xlsx_needs_output")
    return fmt


def _xlsx(builder: str) -> Any:
    """The workbook builder `builder` of render.sheets, imported only when it is called."""

    def build(*args: Any) -> Any:
        from sanjian_cli.render import sheets

        return getattr(sheets, builder)(*args)

    return build


@report_app.command("attendance")
def attendance(
    ctx: typer.Context,
    start: str | None = FROM,
    end: str | None = TO,
    side: str | None = typer.Option(None, "--side", help="Only this side (政工/社工/志愿者)."),
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Attendance per member and per side: 应到, present, late, online, leave, absent, rate."""
    from sanjian_cli.domain import reports, vocab
    from sanjian_cli.render import reports as render

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = period_of(start, end)
    chosen = vocab.side(side) if side is not None else None
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        name = record.committee()["name"]
        data = reports.attendance(
            record.members(), held(record), period, absence_flag=config["absence-flag"], side=chosen
        )
    _show(c, fmt, data, c.lang(lang), output, render.attendance_csv, render.attendance_table, name,
          xlsx=_xlsx("attendance_xlsx"), now=now)  # fmt: skip


@report_app.command("actions")
def actions(
    ctx: typer.Context,
    start: str | None = FROM,
    end: str | None = TO,
    owner: str | None = typer.Option(None, "--owner", help="Only this owner (id or name)."),
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Decision items taken in the period: state, days overdue, latest note; counts per owner
    and side; the share carried out on time."""
    from sanjian_cli.domain import reports
    from sanjian_cli.render import reports as render
    from sanjian_cli.services import members

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = period_of(start, end)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        name = record.committee()["name"]
        who = members.resolve(record, owner)["id"] if owner is not None else None
        data = reports.actions(record.decisions(), people(record), period, now.date(), owner=who)
    _show(c, fmt, data, c.lang(lang), output, render.actions_csv, render.actions_table, name,
          xlsx=_xlsx("actions_xlsx"), now=now)  # fmt: skip


@report_app.command("topics")
def topics(
    ctx: typer.Context,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = FORMAT_REPORT,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """Topics by category and by proposing side; median days to decision; longest waiting."""
    from sanjian_cli.domain import reports
    from sanjian_cli.render import reports as render

    fmt = _formats(format, output)
    lang = check_lang(lang)
    period = period_of(start, end)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        name = record.committee()["name"]
        data = reports.topics(record.topics(), people(record), period, now.date())
    _show(c, fmt, data, c.lang(lang), output, render.topics_csv, render.topics_table, name,
          xlsx=_xlsx("topics_xlsx"), now=now)  # fmt: skip


@report_app.command("summary")
def summary(
    ctx: typer.Context,
    year: int | None = typer.Option(None, "--year", help="A calendar year, e.g. 2026."),
    start: str | None = FROM,
    end: str | None = TO,
    format: str = typer.Option(
        "text", "--format", "-f", help="Output format: text, markdown or json."
    ),
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
) -> None:
    """The figures of a year-end report (年度总结): meetings, attendance, topics, decisions."""
    from sanjian_cli.domain import reports
    from sanjian_cli.render import reports as render

    fmt = check_format(format, ("text", "markdown", "json"))
    lang = check_lang(lang)
    period = period_of(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        name = record.committee()["name"]
        everyone = people(record)
        data = reports.summary(
            name,
            period,
            reports.attendance(
                record.members(), held(record), period, absence_flag=config["absence-flag"]
            ),
            reports.actions(record.decisions(), everyone, period, now.date()),
            reports.topics(record.topics(), everyone, period, now.date()),
        )
    if fmt == "json":
        text = render.json_text(data)
    else:
        text = render.summary_text(data, c.lang(lang), markdown=fmt == "markdown")
    _emit(text, output, c)
