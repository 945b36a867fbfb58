"""Closing a meeting (its unvoted topics carried over) and approving its minutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sanjian_cli.domain import clock
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services.meetings import (
    require_open,
    start_of,
)
from sanjian_cli.store import Record


def approve_minutes(record: Record, meeting: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Approve the minutes of a closed meeting (usually at the next one); from then on the
    meeting changes only by amendment."""
    if meeting.get("approved_at"):
        raise Refused("minutes_already_approved", date=meeting["date"], at=meeting["approved_at"])
    if meeting.get("status") != "closed":
        raise Refused("meeting_not_closed", date=meeting["date"])
    from sanjian_cli.store import whoami

    record.update_meeting(meeting["id"], {"approved_at": clock.iso(now), "approved_by": whoami()})
    return record.meeting(meeting["date"]) or {}


def close(
    record: Record, meeting: dict[str, Any], end: str | None, now: datetime
) -> dict[str, Any]:
    """Close the meeting: topics on its agenda left without a vote are carried over."""
    require_open(meeting, record)
    start = start_of(meeting)
    if end is not None:
        finish = start.replace(hour=clock.parse_time(end).hour, minute=clock.parse_time(end).minute)
        if finish <= start:
            raise BadInput("end_before_start", end=end, start=start.strftime("%H:%M"))
    elif start < now < start + timedelta(hours=12):
        finish = now
    else:
        finish = start + timedelta(minutes=meeting["duration"])
    votes = meeting.get("votes", {})
    for topic_id in (meeting.get("agenda") or {}).get("topics", []):
        if str(topic_id) in votes:
            continue
        topic = record.topic(topic_id)
        if topic and topic["status"] == "scheduled":
            record.update_topic(
                topic_id,
                {
                    "status": "accepted",
                    "meeting": None,
                    "carried": int(topic.get("carried", 0)) + 1,
                    "history": [
                        *topic.get("history", []),
                        {"meeting": meeting["date"], "outcome": "carried"},
                    ],
                },
            )
    record.update_meeting(meeting["id"], {"status": "closed", "end": clock.iso(finish)})
    return record.meeting(meeting["date"]) or {}
