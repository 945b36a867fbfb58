"""When the committee meets: a weekly RRULE in local time, with skipped weeks and moves.

The regular meetings are a dateutil `rrule` (FREQ=WEEKLY;BYDAY=..) over *naive local*
datetimes, given the committee's zone afterwards: the meeting keeps its local time (19:00
stays 19:00) across a daylight-saving change, whatever the UTC offset does.

Exceptions come from the meetings on record, each known by its day, start and status
(`planned`, `closed` or `skipped`):

- A regular day whose meeting is `skipped` is not held (an EXDATE in the calendar).
- A meeting on an off-schedule day is a **move**: it displaces the regular meeting nearest
  to it (weekly days are never more than three days from the nearest one), unless that
  regular day has a meeting of its own on record that is not skipped, in which case the
  off-schedule one is an extra meeting. Of two off-schedule meetings near the same regular
  day, the earlier is the move and the later an extra.
- A skipped move cancels its week: the regular day stays displaced, nothing is held. To bring
  the regular meeting back, plan it again (`meeting plan DATE`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from types import MappingProxyType
from typing import NamedTuple

from dateutil import rrule as du

from sanjian_cli.domain import clock
from sanjian_cli.domain.settings import WEEKDAYS

_RRULE_DAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)
RRULE_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekly_rule(weekday: str, at: time, first: date) -> du.rrule:
    """The regular meetings from `first` on, as naive local datetimes."""
    return du.rrule(
        du.WEEKLY,
        byweekday=_RRULE_DAYS[WEEKDAYS.index(weekday)],
        dtstart=datetime.combine(first, at),
    )


def is_regular(day: date, weekday: str) -> bool:
    return day.weekday() == WEEKDAYS.index(weekday)


def nearest_regular(day: date, weekday: str) -> date:
    """The regular meeting day a meeting on `day` stands in for (at most three days away)."""
    diff = (WEEKDAYS.index(weekday) - day.weekday()) % 7
    return day + timedelta(days=diff) if diff <= 3 else day - timedelta(days=7 - diff)


class Held(NamedTuple):
    """A meeting on record, as the schedule sees it."""

    start: datetime
    status: str  # planned, closed or skipped


_NONE_HELD: Mapping[date, Held] = MappingProxyType({})


class Schedule(NamedTuple):
    weekday: str
    at: time
    tz: tzinfo
    meetings: Mapping[date, Held] = _NONE_HELD  # read only: one shared empty mapping

    def start(self, day: date) -> datetime:
        """When the meeting of `day` starts: its own start if on record, else the usual time."""
        held = self.meetings.get(day)
        if held is not None:
            return held.start
        return clock.local(day, self.at, self.tz)

    def _kept(self, day: date) -> bool:
        held = self.meetings.get(day)
        return held is not None and held.status != "skipped"

    def moves(self) -> dict[date, date]:
        """Regular day -> the off-schedule day its meeting was moved to."""
        moved: dict[date, date] = {}
        for day in sorted(self.meetings):
            if is_regular(day, self.weekday):
                continue
            home = nearest_regular(day, self.weekday)
            if home in moved or self._kept(home):
                continue  # an extra meeting that week
            moved[home] = day
        return moved

    def cancelled(self) -> set[date]:
        """Regular days on which nothing is held: skipped, or moved to a skipped meeting."""
        out: set[date] = set()
        for home, day in self.moves().items():
            if self.meetings[day].status == "skipped":
                out.add(home)
        for day, held in self.meetings.items():
            if held.status == "skipped" and is_regular(day, self.weekday):
                out.add(day)
        return out

    def displaced(self) -> set[date]:
        """Regular days whose meeting is held elsewhere or not at all."""
        return set(self.moves()) | self.cancelled()

    def regular_days(self, first: date, last: date) -> list[date]:
        rule = weekly_rule(self.weekday, self.at, first)
        end = datetime.combine(last, time(23, 59))
        return [moment.date() for moment in rule.between(rule[0], end, inc=True)]

    def days(self, first: date, last: date) -> list[date]:
        """The days with a meeting from `first` to `last`: the regular days not displaced,
        and the meetings on record that are not skipped."""
        gone = self.displaced()
        chosen = {d for d in self.regular_days(first, last) if d not in gone}
        chosen |= {d for d in self.meetings if first <= d <= last and self._kept(d)}
        return sorted(chosen)

    def upcoming(self, after: datetime) -> Iterator[date]:
        """Meeting days still to be held, in order, whose start is after `after`."""
        local = after.astimezone(self.tz)
        first = local.date() - timedelta(days=1)
        while True:
            last = first + timedelta(days=62)
            for day in self.days(first, last):
                held = self.meetings.get(day)
                if held is not None and held.status != "planned":
                    continue  # a meeting already held is not "next"
                if self.start(day) > local:
                    yield day
            first = last + timedelta(days=1)

    def next_day(self, after: datetime) -> date:
        return next(self.upcoming(after))
