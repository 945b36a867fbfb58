"""The calendar's weekly series starts at the first meeting, and a meeting held ends when it
was closed."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

CREATED = "2026-12-01T10:00+08:00"  # a Tuesday; the committee meets on Wednesdays


def _events(run, now: str = "2026-12-01T12:00+08:00") -> tuple[object, list[object]]:
    ics = Calendar.from_ical(run("calendar", now=now).stdout)
    events = [c for c in ics.walk("VEVENT")]
    weekly = next(e for e in events if e.get("rrule"))
    return weekly, [e for e in events if not e.get("rrule")]


def _start(event) -> datetime:  # noqa: ANN001
    return event.decoded("dtstart")


def _new_committee(run) -> None:  # noqa: ANN001
    run("init", "幸福里社区三工联席会议", "--lang", "zh", now=CREATED)
    for name, *extra in (("张建国", "--lead"), ("刘洋",)):
        run("member", "add", name, "--side", "政工", *extra, "--joined", "2026-12-01", now=CREATED)


def test_the_series_starts_at_the_first_meeting_planned_not_the_week_before(run) -> None:
    _new_committee(run)
    run("meeting", "plan", "2026-12-09", now=CREATED)
    weekly, overrides = _events(run)
    assert _start(weekly).date() == date(2026, 12, 9)
    assert [_start(e).date() for e in overrides] == [date(2026, 12, 9)]
    assert "EXDATE" not in run("calendar", now=CREATED).stdout


def test_while_nothing_is_planned_the_series_starts_at_the_next_meeting_due(run) -> None:
    _new_committee(run)
    weekly, overrides = _events(run, now="2026-12-02T20:00+08:00")  # after the 12-02 start
    assert _start(weekly).date() == date(2026, 12, 9)
    assert overrides == []
    weekly, _ = _events(run, now=CREATED)
    assert _start(weekly).date() == date(2026, 12, 2)


def test_a_meeting_held_shows_its_actual_end(committee) -> None:
    run = committee  # the meeting of 2026-11-25 planned 19:00 for 90 minutes
    present = ("张建国", "李秀兰", "王志强", "陈静", "刘洋")
    run("attend", "2026-11-25", *present, now="2026-11-25T19:00")
    run("meeting", "close", "2026-11-25", "--end", "21:10", now="2026-11-25T21:10")
    run("meeting", "plan", "2026-12-02")
    _weekly, overrides = _events(run, now="2026-11-26T09:00")
    held, planned = overrides
    assert held.decoded("dtend").strftime("%Y-%m-%d %H:%M") == "2026-11-25 21:10"
    assert planned.decoded("dtend").strftime("%Y-%m-%d %H:%M") == "2026-12-02 20:30"
