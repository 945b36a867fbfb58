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
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.errors import NotFound, Refused
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Meeting


def resolve(record: Record, day: str) -> Meeting:
    parsed = clock.parse_date(day)
    meeting = record.meeting(parsed.isoformat())
    if meeting is None:
        raise NotFound("unknown_meeting", date=parsed.isoformat())
    return documents.expect(meeting, "meeting", parsed)


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
            raise Refused("minutes_locked", date=meeting["date"], at=approved)
        raise Refused("meeting_closed", date=meeting["date"])
    return True


def require_open(meeting: Mapping[str, Any], amendment: str | None) -> bool:
    """Neither closed (save by amendment) nor skipped: a meeting that is going to be held.
    True when the change is an amendment (see `require_changeable`)."""
    amending = require_changeable(meeting, amendment)
    if meeting.get("status") == "skipped":
        raise Refused("meeting_skipped", date=meeting["date"], reason=meeting.get("skip_reason"))
    return amending


def record_amendment(record: Record, meeting: Mapping[str, Any], now: datetime) -> None:
    """Write into `meeting` that this change amends it, with the reason given (once per
    change, however many facts the change touches)."""
    if meeting["date"] in record.amended or not record.amendment:
        return
    from sanjian_cli.store import whoami

    found = current(record, meeting)
    note = documents.new_amendment(now, whoami(), record.amendment)
    record.update_meeting(found["id"], {"amendments": [*found.get("amendments", []), note]})
    record.amended.add(meeting["date"])


def start_of(meeting: Mapping[str, Any]) -> datetime:
    return clock.from_iso(meeting["start"])


def previous(record: Record, meeting: Mapping[str, Any]) -> dict[str, Any] | None:
    """The latest meeting before `meeting` that was not skipped."""
    return record.latest_meeting_before(meeting["date"], skip=("skipped",))


def listing(record: Record) -> list[dict[str, Any]]:
    """Every meeting, oldest first (`meeting list`)."""
    return record.meetings()
