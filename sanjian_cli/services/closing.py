"""Closing a meeting (its unvoted topics carried over) and approving its minutes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services.meetings import (
    current,
    record_amendment,
    require_open,
    start_of,
)
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Meeting


def approve_minutes(record: Record, meeting: Mapping[str, Any], now: datetime) -> Meeting:
    """Approve the minutes of a closed meeting (usually at the next one); from then on the
    meeting changes only by amendment."""
    meeting = current(record, meeting)
    if meeting.get("approved_at"):
        raise Refused("minutes_already_approved", date=meeting["date"], at=meeting["approved_at"])
    if meeting.get("status") != "closed":
        raise Refused("meeting_not_closed", date=meeting["date"])
    from sanjian_cli.store import whoami

    record.update_meeting(meeting["id"], {"approved_at": clock.iso(now), "approved_by": whoami()})
    return current(record, meeting)


def close(record: Record, meeting: Mapping[str, Any], end: str | None, now: datetime) -> Meeting:
    """Close the meeting: topics on its agenda left without a vote are carried over."""
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
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
    for topic_id in documents.agenda_of(meeting)["topics"]:
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
                        documents.history_entry(meeting["date"], "carried"),
                    ],
                },
            )
    record.update_meeting(meeting["id"], {"status": "closed", "end": clock.iso(finish)})
    if amending:
        record_amendment(record, meeting, now)
    return current(record, meeting)
