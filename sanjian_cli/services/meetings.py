"""Meetings by their date, and the guards every change to one passes: open, not closed,
not skipped.

A meeting is named by its date (YYYY-MM-DD); the committee meets at most once a day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sanjian_cli.domain import clock
from sanjian_cli.errors import NotFound, Refused
from sanjian_cli.store import Record


def resolve(record: Record, day: str) -> dict[str, Any]:
    parsed = clock.parse_date(day)
    meeting = record.meeting(parsed.isoformat())
    if meeting is None:
        raise NotFound("unknown_meeting", date=parsed.isoformat())
    return meeting


def require_not_closed(meeting: dict[str, Any], record: Record | None = None) -> None:
    """Refuse changes to a closed meeting, or to one whose minutes are approved, unless the
    change is an amendment (`record.amendment`, from --amend --reason), which is then
    written into the meeting so the minutes show it."""
    approved = meeting.get("approved_at")
    if not approved and meeting.get("status") != "closed":
        return
    if record is None or not record.amendment:
        if approved:
            raise Refused("minutes_locked", date=meeting["date"], at=approved)
        raise Refused("meeting_closed", date=meeting["date"])
    if meeting["date"] in record.amended:
        return
    from sanjian_cli.store import whoami

    current = record.meeting(meeting["date"]) or meeting
    note = {"at": clock.iso(_now(record)), "user": whoami(), "reason": record.amendment}
    record.update_meeting(meeting["id"], {"amendments": [*current.get("amendments", []), note]})
    record.amended.add(meeting["date"])


def _now(record: Record) -> datetime:
    tz_name = record.committee().get("settings", {}).get("timezone") or "Asia/Shanghai"
    return clock.now(clock.zone(tz_name))


def require_open(meeting: dict[str, Any], record: Record | None = None) -> None:
    """Neither closed (save by amendment) nor skipped: a meeting that is going to be held."""
    require_not_closed(meeting, record)
    if meeting.get("status") == "skipped":
        raise Refused("meeting_skipped", date=meeting["date"], reason=meeting.get("skip_reason"))


def start_of(meeting: dict[str, Any]) -> datetime:
    return clock.from_iso(meeting["start"])


def previous(record: Record, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """The latest meeting before `meeting` that was not skipped."""
    return record.latest_meeting_before(meeting["date"], skip=("skipped",))
