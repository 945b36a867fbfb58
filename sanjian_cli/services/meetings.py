"""Meetings by their date, and the guards every change to one passes: open, not closed,
not skipped.

A meeting is named by its date (YYYY-MM-DD); the committee meets at most once a day.

The guards only check. A change to a closed meeting or to approved minutes is allowed as an
amendment (`--amend --reason`, `record.amendment`); the guard then says so, and the use
case, once it has made its change, records the amendment on the meeting
(`record_amendment`), so the minutes show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.errors import NotFound, Refused
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Meeting
    from sanjian_cli.domain.reports import Period


def resolve(record: Record, day: str, nearest: bool = False) -> Meeting:
    """The meeting on `day`. With `nearest` (leave, sign-in), a day without one is refused
    naming the meeting nearest to it, not advising to plan one that day (which would move
    that week's meeting)."""
    parsed = clock.parse_date(day)
    meeting = record.meeting(parsed.isoformat())
    if meeting is None:
        near = nearest_to(record, parsed.isoformat()) if nearest else None
        if near is not None:
            raise NotFound("no_meeting_nearest", date=parsed.isoformat(), nearest=near["date"])
        raise NotFound("unknown_meeting", date=parsed.isoformat())
    return documents.expect(meeting, "meeting", parsed)


def nearest_to(record: Record, day: str) -> dict[str, Any] | None:
    """The meeting (not skipped) whose date is nearest to `day`; the later one on a tie."""
    target = date.fromisoformat(day)
    earlier = record.latest_meeting_before(day, fields=())
    later = next((m for m in record.meetings_since(day) if m.get("status") != "skipped"), None)
    found = [m for m in (later, earlier) if m is not None]
    if not found:
        return None
    return min(found, key=lambda m: abs((date.fromisoformat(m["date"]) - target).days))


def require_started(meeting: Mapping[str, Any], now: datetime) -> None:
    """Attendance, votes and the close are facts of a meeting that has begun: one whose
    start is still ahead is refused (a mistyped date would make it "held")."""
    if start_of(meeting) > now:
        raise Refused(
            "meeting_not_started",
            date=meeting["date"],
            start=start_of(meeting).strftime("%H:%M"),
            now=now.strftime("%Y-%m-%d %H:%M"),
        )


def current(record: Record, meeting: Mapping[str, Any]) -> Meeting:
    """`meeting` as the record holds it now: a use case adds to what is recorded, not to a
    copy its caller read before an earlier change."""
    return documents.expect(record.meeting(meeting["date"]), "meeting", meeting["date"])


def require_changeable(meeting: Mapping[str, Any], amendment: str | None) -> bool:
    """Refuse a change to a closed meeting, or to one whose minutes are approved, unless it
    is an amendment (`amendment`: the reason given with --amend). True when the change is
    an amendment: record it with `record_amendment` once the change is made."""
    approved = meeting.get("approved_at")
    if not approved and meeting.get("status") != "closed":
        return False
    if not amendment:
        if approved:
            raise Refused("minutes_locked", date=meeting["date"], at=clock.shown(approved))
        raise Refused("meeting_closed", date=meeting["date"])
    return True


def require_open(meeting: Mapping[str, Any], amendment: str | None) -> bool:
    """Neither closed (save by amendment) nor skipped: a meeting that is going to be held.
    True when the change is an amendment (see `require_changeable`)."""
    amending = require_changeable(meeting, amendment)
    if meeting.get("status") == "skipped":
        raise Refused("meeting_skipped", date=meeting["date"], reason=meeting.get("skip_reason"))
    return amending


def start_of(meeting: Mapping[str, Any]) -> datetime:
    return clock.from_iso(meeting["start"])


def previous(record: Record, meeting: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest meeting before `meeting` that was not skipped: its day, status, times and
    approval (what the papers say of it), not its records."""
    return record.latest_meeting_before(
        meeting["date"], skip=("skipped",), fields=("start", "end", "approved_at")
    )


def previous_days(every: list[dict[str, Any]]) -> dict[str, str | None]:
    """For each of `every` meeting on record, the day of its `previous` one (None: none),
    in one pass: for a paper of every meeting (the calendar)."""
    days: dict[str, str | None] = {}
    last = None
    for meeting in sorted(every, key=lambda m: m["date"]):
        days[meeting["date"]] = last
        if meeting.get("status") != "skipped":
            last = meeting["date"]
    return days


def listing(record: Record, period: Period | None = None) -> list[dict[str, Any]]:
    """Every meeting, oldest first (`meeting list`), or those whose day is in `period`: the
    fields the list shows, read a year at a time (not ten years of rolls and minutes)."""
    found = record.meetings_since("", fields=(*documents.MEETING_LIST_FIELDS, "duration"))
    return found if period is None else [m for m in found if m["date"] in period]
