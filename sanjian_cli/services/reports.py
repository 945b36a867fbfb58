"""The reports (`sanjian report ...`): the record gathered into the plain inputs of
`domain.reports`, which computes every figure.

The rolls of held meetings come from `rolls.roll`, so a report counts 应到, present,
leave and absent exactly as the minutes do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sanjian_cli.domain import clock, reports
from sanjian_cli.errors import BadInput
from sanjian_cli.services import history, rolls
from sanjian_cli.store import Record


def period(start: str | None, end: str | None, year: int | None = None) -> reports.Period:
    """The period of `--from`/`--to` (YYYY-MM-DD, both included) or of `--year`; refuses a
    start after the end, and a year with a range."""
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


def held(record: Record) -> list[dict[str, Any]]:
    """Every closed meeting with its roll, as `reports.attendance` takes them."""
    return rolls.held_folded(record, reports.held_meeting)


def people(record: Record) -> dict[int, dict[str, Any]]:
    return {m["id"]: m for m in record.members()}


def attendance(
    record: Record, config: Mapping[str, Any], period: reports.Period, side: str | None = None
) -> dict[str, Any]:
    """`report attendance`: per member and per side over the held meetings of `period`."""
    return reports.attendance(
        record.members(), held(record), period, absence_flag=config["absence-flag"], side=side
    )


def actions(
    record: Record, period: reports.Period, today: date, owner: int | None = None
) -> dict[str, Any]:
    """`report actions`: the decision items taken in `period`, and how they were carried out.
    The items are read a year at a time, each kept as its row alone."""
    by_id = reports.owner_views(people(record))
    rows = history.latest(
        record,
        "decisions",
        lambda item: reports.action_row(item, by_id, period, today, owner=owner),
    )
    return reports.actions_report(rows, period, today, owner=owner)


def topics(record: Record, period: reports.Period, today: date) -> dict[str, Any]:
    """`report topics`: topics by category and proposing side, time to decision, waiting.
    The topics are read a year at a time, each kept as what it adds to the counts."""
    return reports.topics_report(_topic_marks(record, people(record), period, today), period, today)


def _topic_marks(
    record: Record, everyone: Mapping[int, Mapping[str, Any]], period: reports.Period, today: date
) -> list[reports.TopicMark]:
    return history.latest(
        record, "topics", lambda topic: reports.topic_mark(topic, everyone, period, today)
    )


def summary(
    record: Record, config: Mapping[str, Any], period: reports.Period, today: date
) -> dict[str, Any]:
    """`report summary`: the figures of a year-end report. Of the decision items only their
    totals are needed: each is kept as its state alone, not as a row of `report actions`."""
    everyone = people(record)
    marks = history.latest(
        record, "decisions", lambda item: reports.action_mark(item, period, today)
    )
    return reports.summary(
        record.committee()["name"],
        period,
        reports.attendance(
            record.members(), held(record), period, absence_flag=config["absence-flag"]
        ),
        reports.action_totals(marks),
        reports.topics_report(_topic_marks(record, everyone, period, today), period, today),
    )
