"""The one clock: `SANJIAN_NOW` fixes "now" for every command; parsing of dates and times."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, tzinfo

from sanjian_cli.errors import BadInput

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


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
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD; anything else is refused with the expected format."""
    if not _DATE_RE.match(text.strip()):
        raise BadInput("bad_date", value=text)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput("bad_date", value=text) from None


def parse_time(text: str) -> time:
    """A time of day written HH:MM (24-hour)."""
    match = _TIME_RE.match(text.strip())
    if not match:
        raise BadInput("bad_time", value=text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise BadInput("bad_time", value=text)
    return time(hour, minute)


def local(day: date, at: time, tz: tzinfo) -> datetime:
    """The local wall-clock time `at` on `day` in `tz`, with the offset in force that day."""
    return datetime.combine(day, at).replace(tzinfo=tz)


def iso(moment: datetime) -> str:
    """How datetimes are stored: ISO 8601 with the offset, to the second."""
    return moment.replace(microsecond=0).isoformat()


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)
