"""The one clock: `SANJIAN_NOW` fixes "now" for every command; parsing of dates and times;
local times and durations across a change of the clocks (daylight saving).

Dates are those of `FIRST_DAY` to `LAST_DAY`: far enough from the ends of Python's
calendar (years 1 and 9999) that the schedule can always look a year or two ahead or back.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from sanjian_cli.errors import BadInput

# Patterns compiled by re's cache on first use: every command imports the clock, few parse
# a date, a time or a moment typed by the user.
_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_TIME_RE = r"^(\d{1,2}):(\d{2})$"

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)


def out_of_range(key: str, value: str) -> BadInput:
    """The refusal of a date the schedule cannot compute (`key`: which kind of date)."""
    return BadInput(key, value=value, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())


def zone(name: str) -> tzinfo:
    """The IANA zone `name`; dateutil's bundled database when the system has none."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, or ValueError for malformed keys
        from dateutil import tz

        found = tz.gettz(name)
        if found is None or not name:
            raise BadInput("bad_timezone", value=name) from None
        return found


def now(tz: tzinfo) -> datetime:
    """Now in `tz`, or the instant in `SANJIAN_NOW` (ISO 8601; naive means local to `tz`)."""
    fixed = os.environ.get("SANJIAN_NOW", "").strip()
    if not fixed:
        return datetime.now(tz).replace(microsecond=0)
    try:
        value = datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput("bad_now", value=fixed) from None
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise out_of_range("now_out_of_range", fixed)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD; anything else is refused with the expected format."""
    if not re.match(_DATE_RE, text.strip()):
        raise BadInput("bad_date", value=text)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("bad_date", value=text) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise out_of_range("date_out_of_range", text)
    return day


def parse_time(text: str) -> time:
    """A time of day written HH:MM (24-hour)."""
    match = re.match(_TIME_RE, text.strip())
    if not match:
        raise BadInput("bad_time", value=text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise BadInput("bad_time", value=text)
    return time(hour, minute)


_MOMENT_RE = r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})(?::\d{2})?([+-]\d{2}:?\d{2}|Z)?$"


def parse_moment(text: str, tz: tzinfo) -> datetime:
    """A moment written `YYYY-MM-DD HH:MM` (or with a T, seconds, an offset); without an
    offset it is the wall clock of `tz`, the committee's zone."""
    found = re.match(_MOMENT_RE, text.strip())
    if not found:
        raise BadInput("bad_moment", value=text)
    day = parse_date(found.group(1))
    at = parse_time(found.group(2))
    if found.group(3) is None:
        return datetime.combine(day, at).replace(tzinfo=tz)
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        raise BadInput("bad_moment", value=text) from None
    return value.astimezone(tz)


def local(day: date, at: time, tz: tzinfo) -> datetime:
    """The local wall-clock time `at` on `day` in `tz`, with the offset in force then.

    A time the clocks skip that day (02:30 when New York springs forward from 02:00 to
    03:00) is refused: the meeting would start at a time no clock shows. A time the clocks
    show twice (01:30 when they fall back) is the first of the two.
    """
    moment = datetime.combine(day, at).replace(tzinfo=tz)
    # Through UTC and back, a skipped time comes out moved on by the jump; a real one
    # comes out as it went in.
    real = moment.astimezone(timezone.utc).astimezone(tz)
    if real.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise BadInput(
            "time_not_on_day",
            date=day.isoformat(),
            time=at.strftime("%H:%M"),
            timezone=str(getattr(tz, "key", None) or tz),
            later=real.strftime("%H:%M"),
        )
    return real


def end(start: datetime, minutes: int, tz: tzinfo | None = None) -> datetime:
    """`minutes` real minutes after `start`, on the wall clock of `tz` (default: the offset
    of `start`). Python adds a timedelta to a zoned time on the wall clock, so across a
    change of the clocks a 90-minute meeting would last 30 or 150: this adds in UTC."""
    moment = start.astimezone(timezone.utc) + timedelta(minutes=minutes)
    return moment.astimezone(tz or start.tzinfo)


def iso(moment: datetime) -> str:
    """How datetimes are stored: ISO 8601 with the offset, to the second."""
    return moment.replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def shown(moment: datetime | str) -> str:
    """A time as a message gives it: `YYYY-MM-DD HH:MM` on the wall clock it carries (the
    committee's: stored times and those of the schedule are in its zone), with no zone
    abbreviation or offset (a `CST` means three different zones); text that is not a time
    is given back as it is."""
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment
        return parsed.strftime("%Y-%m-%d %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")
