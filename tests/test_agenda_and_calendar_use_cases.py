"""`agenda build` and `calendar` as use cases called from Python: the cron agenda's three
outcomes (not due, built, unchanged) and the calendar's data, on a committee in memory."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from _record import MONDAY, WEDNESDAY, Committee, at, empty_record

from sanjian_cli.render import ical
from sanjian_cli.services import agenda, planning, topics
from sanjian_cli.services.calendar import calendar

# Topic collection for the meeting of Wednesday 19:00 closes 48 hours before: Monday 19:00.
DEADLINE = at(MONDAY.date(), 19)


@pytest.fixture
def com() -> Committee:
    return Committee(empty_record())


def test_before_the_deadline_nothing_is_due_and_nothing_changes(com: Committee) -> None:
    com.accepted("助餐点扩容")
    before = com.snapshot()
    run = agenda.build(com.record, com.config, DEADLINE - timedelta(minutes=1), if_due=True)
    assert isinstance(run, agenda.NotDue)
    assert (run.outcome, run.day, run.deadline) == ("not_due", WEDNESDAY, DEADLINE)
    assert com.snapshot() == before  # not even planned


def test_at_the_deadline_the_meeting_is_planned_and_its_agenda_built(com: Committee) -> None:
    com.accepted("助餐点扩容", minutes=20)
    com.accepted("电动车充电棚", urgent=True)
    run = agenda.build(com.record, com.config, DEADLINE, if_due=True)
    assert isinstance(run, agenda.Built)
    assert (run.outcome, run.meeting["date"]) == ("built", "2026-11-25")
    assert run.agenda["topics"] == [2, 1]  # the urgent one first
    assert [item["kind"] for item in run.paper["items"]] == ["topic", "topic"]
    assert run.paper["minutes_used"] == 35
    assert topics.resolve(com.record, "1")["meeting"] == "2026-11-25"


def test_a_second_run_on_an_unchanged_record_changes_nothing(com: Committee) -> None:
    com.accepted("助餐点扩容")
    agenda.build(com.record, com.config, DEADLINE, if_due=True)
    before = com.snapshot()
    again = agenda.build(com.record, com.config, DEADLINE + timedelta(hours=1), if_due=True)
    assert again.outcome == "unchanged"
    assert com.snapshot() == before


def test_a_topic_proposed_after_the_deadline_waits_as_late(com: Committee) -> None:
    com.accepted("在期限内", when=DEADLINE)
    com.accepted("期限后", when=DEADLINE + timedelta(minutes=1))
    run = agenda.build(com.record, com.config, DEADLINE + timedelta(hours=2), if_due=True)
    assert isinstance(run, agenda.Built)
    assert (run.agenda["topics"], run.agenda["late"]) == ([1], [2])


def test_a_meeting_left_open_is_named_and_its_topics_stay_with_it(com: Committee) -> None:
    com.accepted("上周议题", when=MONDAY - timedelta(days=7))
    last_week = com.plan(WEDNESDAY - timedelta(days=7), now=MONDAY - timedelta(days=7))
    agenda.build_agenda(com.record, com.config, last_week, MONDAY - timedelta(days=7))
    run = agenda.build(com.record, com.config, DEADLINE, if_due=True)
    assert isinstance(run, agenda.Built)
    assert [m["date"] for m in run.left_open] == ["2026-11-18"]
    assert run.agenda["topics"] == []


def test_a_date_not_on_record_is_refused_rather_than_planned(com: Committee) -> None:
    from sanjian_cli.errors import NotFound

    with pytest.raises(NotFound):
        agenda.build(com.record, com.config, MONDAY, day=WEDNESDAY)


def test_the_calendar_maps_a_skipped_week_and_a_moved_meeting(com: Committee) -> None:
    planning.skip(com.record, com.config, WEDNESDAY, "调休", MONDAY)
    thursday = date(2026, 12, 3)  # the week after, moved from Wednesday to Thursday
    planning.plan(com.record, com.config, MONDAY, day=thursday)
    data = calendar(com.record, MONDAY)
    assert data["counts"] == {"skipped": 1, "moved": 1, "planned": 1}
    weekly = data["weekly"]
    assert (weekly["byday"], weekly["start"]) == ("WE", at(WEDNESDAY, 19))
    assert weekly["exdates"] == [at(WEDNESDAY, 19)]
    (event,) = data["events"]
    assert event["recurrence_id"] == at(date(2026, 12, 2), 19)  # it stands for that Wednesday
    assert event["start"] == at(thursday, 19)
    ics = ical.build(data, "zh").decode("utf-8")
    assert "RECURRENCE-ID;TZID=Asia/Shanghai:20261202T190000" in ics
    assert "EXDATE;TZID=Asia/Shanghai:20261125T190000" in ics
