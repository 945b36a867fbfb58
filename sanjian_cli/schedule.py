"""When the committee meets: the weekly rule, expanded in the committee's local time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sanjian_cli.settings import WEEKDAYS


def next_meeting_day(after: datetime, weekday: str, at: time, tz: tzinfo) -> date:
    """The first meeting day whose local start (`at` on `weekday`) is after `after`.

    Computed on the local calendar and then given the offset in force that day, so a
    committee in a zone with daylight saving keeps its local meeting time.
    """
    local_now = after.astimezone(tz)
    target = WEEKDAYS.index(weekday)
    day = local_now.date()
    for _ in range(8):
        if day.weekday() == target:
            start = datetime.combine(day, at).replace(tzinfo=tz)
            if start > local_now:
                return day
        day += timedelta(days=1)
    raise AssertionError("a weekly schedule always has a day within eight days")
