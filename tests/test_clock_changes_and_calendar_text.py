"""Daylight saving and the calendar's text: a meeting time the clocks skip is refused with a
clear line, an end is the start plus real minutes, and control characters never reach the
.ics raw (escaped as everywhere else)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from _week import refused
from icalendar import Calendar

from sanjian_cli.domain import clock
from sanjian_cli.errors import BadInput
from sanjian_cli.render.safe import visible

NY = clock.zone("America/New_York")
SPRING = "2027-03-14"  # New York: 02:00 EST -> 03:00 EDT
FALL = "2027-11-07"  # New York: 02:00 EDT -> 01:00 EST


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(BadInput) as found:
        clock.local(date(2027, 3, 14), time(2, 30), NY)
    assert found.value.key == "time_not_on_day"
    assert found.value.params == {
        "date": SPRING, "time": "02:30", "timezone": "America/New_York", "later": "03:30",
    }  # fmt: skip
    assert clock.local(date(2027, 3, 14), time(3, 0), NY).utcoffset() == timedelta(hours=-4)
    assert clock.local(date(2027, 3, 14), time(1, 59), NY).utcoffset() == timedelta(hours=-5)


def test_a_time_the_clocks_show_twice_is_the_first() -> None:
    first = clock.local(date(2027, 11, 7), time(1, 30), NY)
    assert first.utcoffset() == timedelta(hours=-4)


def test_an_end_is_real_minutes_after_the_start_on_the_wall_clock() -> None:
    spring = clock.local(date(2027, 3, 14), time(1, 30), NY)
    assert clock.end(spring, 90, NY).strftime("%H:%M %z") == "04:00 -0400"
    fall = clock.local(date(2027, 11, 7), time(0, 45), NY)
    assert clock.end(fall, 90, NY).strftime("%H:%M %z") == "01:15 -0500"
    for start in (
        spring,
        fall,
    ):  # subtracted in UTC: Python subtracts one zone's times on the wall clock
        assert clock.end(start, 90, NY).astimezone(timezone.utc) - start == timedelta(minutes=90)
    fixed = datetime(2026, 11, 25, 19, 0, tzinfo=timezone(timedelta(hours=8)))
    assert clock.end(fixed, 90).isoformat() == "2026-11-25T20:30:00+08:00"


def test_dates_and_the_clock_keep_to_the_schedules_years(monkeypatch) -> None:
    assert clock.parse_date("2000-01-01") == clock.FIRST_DAY
    assert clock.parse_date("2999-12-31") == clock.LAST_DAY
    for text in ("1999-12-31", "3000-01-01", "0001-01-01", "9999-12-31"):
        with pytest.raises(BadInput) as found:
            clock.parse_date(text)
        assert found.value.key == "date_out_of_range"
    monkeypatch.setenv("SANJIAN_NOW", "9999-12-31T23:59:59-12:00")
    with pytest.raises(BadInput) as found:
        clock.now(NY)
    assert found.value.key == "now_out_of_range"


@pytest.fixture
def new_york(run):  # noqa: ANN201
    """An English committee in New York meeting on Sundays at 01:30 for 90 minutes."""
    run("init", "Maple Street", "--timezone", "America/New_York", "--lang", "en",
        "--weekday", "sun", "--time", "01:30", now="2027-03-01T09:00")  # fmt: skip
    run("member", "add", "Ann", "--side", "cadre", "--lead", now="2027-03-01T09:00")
    return run


def test_planning_at_a_skipped_time_is_refused_with_a_clear_line(new_york, unchanged) -> None:
    line = refused(new_york, unchanged, "meeting", "plan", SPRING, "--time", "02:30",
                   code=2, now="2027-03-01T09:00")  # fmt: skip
    assert "02:30 does not exist on 2027-03-14 in America/New_York" in line
    assert "such as 03:30" in line


def test_a_regular_time_the_clocks_skip_is_refused_until_planned_otherwise(
    new_york, unchanged
) -> None:
    run = new_york
    run("config", "set", "time", "02:30", now="2027-03-01T09:00")
    line = refused(run, unchanged, "agenda", "build", "--next", code=2, now="2027-03-08T09:00")
    assert "02:30 does not exist on 2027-03-14" in line
    run("meeting", "plan", SPRING, "--time", "03:30", now="2027-03-08T09:00")
    assert "03:30" in run("agenda", "build", "--next", now="2027-03-08T09:00").stdout


def test_the_notice_and_the_calendar_end_after_real_minutes(new_york) -> None:
    run = new_york
    now = "2027-03-08T09:00"
    run("meeting", "plan", SPRING, now=now)
    notice = run("notice", SPRING, now=now).stdout
    assert "Sunday 2027-03-14 01:30—04:00" in notice  # 90 minutes, the clocks jump at 02:00
    cal = Calendar.from_ical(run("calendar", now=now).stdout_bytes)
    planned = next(e for e in cal.walk("VEVENT") if e.get("recurrence-id"))
    start, end = planned["dtstart"].dt, planned["dtend"].dt
    assert (start.strftime("%H:%M"), end.strftime("%H:%M")) == ("01:30", "04:00")
    assert end.astimezone(timezone.utc) - start == timedelta(minutes=90)
    run("meeting", "plan", FALL, "--time", "00:45", now=now)
    assert "Sunday 2027-11-07 00:45—01:15" in run("notice", FALL, now=now).stdout


HOSTILE = "\x1b[31m红\x1b[0m\x07\x00\u202e"


def test_control_characters_are_escaped_in_the_calendar(committee) -> None:
    run = committee
    run("config", "set", "name", f"委员会{HOSTILE}")
    run("meeting", "plan", "2026-11-25", "--place", f"会议室{HOSTILE}",
        "--online", f"https://m.example/{HOSTILE}")  # fmt: skip
    run("member", "edit", "张建国", "--name", f"张建国{HOSTILE}")
    run("topic", "add", f"议题{HOSTILE}", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in (f"张建国{HOSTILE}", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead, now="2026-11-20T10:00")
    run("agenda", "build", "2026-11-25")
    raw = run("calendar").stdout_bytes
    text = raw.decode("utf-8")
    assert not [c for c in text if (ord(c) < 0x20 and c not in "\r\n") or c in "\x7f\u202e"]
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    shown = visible(HOSTILE)
    as_text = shown.replace("\\", "\\\\")  # TEXT values double the backslash (RFC 5545)
    for field, value in (("SUMMARY", as_text), ("LOCATION", as_text), ("DESCRIPTION", as_text),
                         ("X-WR-CALNAME", shown), ("URL", shown)):  # fmt: skip
        assert any(line.startswith(field) and value in line for line in lines), field
