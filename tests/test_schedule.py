"""The weekly rule (an RRULE), skipped weeks, moves, and the topic-collection deadline."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanjian_cli.domain import agenda
from sanjian_cli.domain.schedule import Held, Schedule, nearest_regular

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
SEVEN = time(19, 0)


def at(day: str, hh: int = 19, tz: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hh, 0)).replace(tzinfo=tz)


def sched(**meetings: str) -> Schedule:
    """Meetings as keyword d2026_12_03="planned"."""
    held = {}
    for key, status in meetings.items():
        day = date.fromisoformat(key[1:].replace("_", "-"))
        held[day] = Held(datetime.combine(day, SEVEN).replace(tzinfo=SHANGHAI), status)
    return Schedule("wed", SEVEN, SHANGHAI, held)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_a_day_stands_in_for_the_regular_day_at_most_three_days_away(day: date) -> None:
    home = nearest_regular(day, "wed")
    assert home.weekday() == 2
    assert abs((home - day).days) <= 3


def test_nearest_regular_day_on_each_side() -> None:
    assert nearest_regular(date(2026, 12, 3), "wed") == date(2026, 12, 2)  # Thu -> Wed before
    assert nearest_regular(date(2026, 12, 5), "wed") == date(2026, 12, 2)  # Sat, 3 days after
    assert nearest_regular(date(2026, 12, 6), "wed") == date(2026, 12, 9)  # Sun, 3 days before
    assert nearest_regular(date(2026, 11, 30), "wed") == date(2026, 12, 2)  # Mon


def test_next_is_the_first_start_after_now() -> None:
    plan = sched()
    assert plan.next_day(at("2026-11-25", 18)) == date(2026, 11, 25)
    assert plan.next_day(at("2026-11-25", 19)) == date(2026, 12, 2)
    assert plan.next_day(at("2026-11-23", 9)) == date(2026, 11, 25)


def test_a_skipped_week_is_not_next() -> None:
    plan = sched(d2026_11_25="skipped")
    assert plan.next_day(at("2026-11-23", 9)) == date(2026, 12, 2)
    assert plan.cancelled() == {date(2026, 11, 25)}
    assert date(2026, 11, 25) not in plan.days(date(2026, 11, 20), date(2026, 12, 10))


def test_a_moved_meeting_displaces_the_regular_one() -> None:
    plan = sched(d2026_12_03="planned")
    assert plan.moves() == {date(2026, 12, 2): date(2026, 12, 3)}
    assert plan.next_day(at("2026-11-26", 9)) == date(2026, 12, 3)
    assert plan.days(date(2026, 11, 26), date(2026, 12, 10)) == [
        date(2026, 12, 3),
        date(2026, 12, 9),
    ]


def test_an_extra_meeting_leaves_the_regular_one_in_place() -> None:
    plan = sched(d2026_12_02="planned", d2026_12_03="planned")
    assert plan.moves() == {}
    days = plan.days(date(2026, 11, 26), date(2026, 12, 10))
    assert days == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 9)]


def test_a_skipped_move_cancels_its_week() -> None:
    plan = sched(d2026_12_03="skipped")
    assert plan.cancelled() == {date(2026, 12, 2)}
    assert plan.next_day(at("2026-11-26", 9)) == date(2026, 12, 9)


def test_held_meetings_are_not_next() -> None:
    plan = sched(d2026_11_25="closed")
    assert plan.next_day(at("2026-11-25", 9)) == date(2026, 12, 2)


def test_local_time_kept_across_daylight_saving() -> None:
    """US daylight saving ends on 2026-11-01: 19:00 stays 19:00, the offset moves."""
    plan = Schedule("wed", SEVEN, NEW_YORK)
    days = list(plan.days(date(2026, 10, 20), date(2026, 11, 10)))
    starts = [plan.start(d) for d in days]
    assert [s.strftime("%m-%d %H:%M") for s in starts] == [
        "10-21 19:00",
        "10-28 19:00",
        "11-04 19:00",
    ]
    assert [s.utcoffset() for s in starts] == [
        timedelta(hours=-4),
        timedelta(hours=-4),
        timedelta(hours=-5),
    ]


# -- the topic-collection deadline --------------------------------------------------------
def topic(tid: int, proposed: str, **extra: object) -> dict:
    return {"id": tid, "minutes": 15, "proposed_at": proposed, "carried": 0, **extra}


def test_deadline_is_counted_on_the_wall_clock() -> None:
    # Monday 2026-03-09 19:00 in New York is after the change (8 March); 48 hours earlier
    # on the wall clock is Saturday 19:00, still standard time.
    deadline = agenda.collection_deadline(at("2026-03-09", 19, NEW_YORK), 48)
    assert deadline.replace(tzinfo=None) == datetime(2026, 3, 7, 19, 0)
    assert deadline.utcoffset() == timedelta(hours=-5)


def test_late_topics_wait_unless_urgent_or_carried() -> None:
    deadline = at("2026-11-23", 19)
    topics = [
        topic(1, "2026-11-23T19:00:00+08:00"),  # exactly at the deadline: in time
        topic(2, "2026-11-23T19:01:00+08:00"),  # a minute late
        topic(3, "2026-11-24T10:00:00+08:00", urgent=True),
        topic(4, "2026-11-24T10:00:00+08:00", carried=1),
        topic(5, "2026-11-23T11:01:00+00:00"),  # 19:01 in Shanghai, written in UTC: late
    ]
    result = agenda.fit(topics, 90, 0, deadline)
    assert [t["id"] for t in result.scheduled] == [4, 3, 1]
    assert sorted(t["id"] for t in result.late) == [2, 5]
    assert result.waiting == []


def test_without_deadline_nothing_is_late() -> None:
    result = agenda.fit([topic(1, "2030-01-01T00:00:00+08:00")], 90, 0)
    assert [t["id"] for t in result.scheduled] == [1]


@pytest.mark.parametrize("hours", [0, 1, 48, 336])
def test_deadline_hours_before_start(hours: int) -> None:
    start = at("2026-11-25")
    assert start - agenda.collection_deadline(start, hours) == timedelta(hours=hours)
