"""Closing a meeting (its unvoted topics carried over) and approving its minutes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services.amendments import log_correction, record_amendment, refresh_digest
from sanjian_cli.services.meetings import current, previous, require_open, require_started, start_of
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Filed, Meeting


def approve_minutes(
    record: Record,
    meeting: Mapping[str, Any],
    now: datetime,
    by: Mapping[str, Any] | None = None,
) -> Meeting:
    """Approve the minutes of a closed meeting (usually at the next one), by `by` (default
    the meeting's chair); from then on the meeting changes only by amendment. The digest
    of the minutes as approved is kept: doctor reports minutes that no longer match it."""
    meeting = current(record, meeting)
    if meeting.get("approved_at"):
        at = clock.shown(meeting["approved_at"])
        raise Refused("minutes_already_approved", date=meeting["date"], at=at)
    if meeting.get("status") != "closed":
        raise Refused("meeting_not_closed", date=meeting["date"])
    from sanjian_cli.store import whoami

    who = by["id"] if by is not None else meeting.get("chair")
    record.update_meeting(
        meeting["id"],
        {"approved_at": clock.iso(now), "approved_by": who, "approved_user": whoami()},
    )
    refresh_digest(record, meeting)
    return current(record, meeting)


def close(record: Record, meeting: Mapping[str, Any], end: str | None, now: datetime) -> Meeting:
    """Close the meeting: topics on its agenda left without a vote are carried over, and
    what its minutes show from outside it is fixed as it stands now (`documents.Filed`:
    the roll's 应到, the follow-up of earlier decisions, its topics). A meeting that never
    reached quorum closes too (people did come); its minutes say so."""
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    require_started(meeting, now)
    start = start_of(meeting)
    if end is not None:
        finish = start.replace(hour=clock.parse_time(end).hour, minute=clock.parse_time(end).minute)
        if finish <= start:
            raise BadInput("end_before_start", end=end, start=start.strftime("%H:%M"))
    elif start < now < start + timedelta(hours=12):
        finish = now
    else:
        finish = start + timedelta(minutes=meeting["duration"])
    # Closed again by amendment (a corrected end, say): what the first close fixed stays.
    filed = meeting.get("filed") or file(record, meeting, finish)
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
    fields = {"status": "closed", "end": clock.iso(finish), "filed": filed}
    record.update_meeting(meeting["id"], fields)
    if amending:
        record_amendment(record, meeting, now)
    return current(record, meeting)


def file(record: Record, meeting: Mapping[str, Any], at: datetime) -> Filed:
    """What the minutes of `meeting` will show from outside it, as it stands at `at`."""
    from sanjian_cli.services import papers, rolls

    roll = rolls.roll(record, meeting)
    built = documents.agenda_of(meeting)
    day = date.fromisoformat(meeting["date"])
    follow_up = [
        documents.filed_action(entry)
        for entry in papers.follow_up(record, meeting, built["followups"], day)
    ]
    topics = {
        str(t["id"]): papers.topic_entry(record, t, built)
        for t in (record.topic(i) for i in built["topics"])
        if t is not None
    }
    prev = previous(record, meeting)
    return {
        "at": clock.iso(at),
        "expected": list(roll.expected),
        "follow_up": follow_up,
        "topics": topics,
        "previous": prev["date"] if prev else None,
    }


def reopen(record: Record, meeting: Mapping[str, Any], reason: str, now: datetime) -> Meeting:
    """Open again a meeting closed by mistake or too early, while its minutes are not
    approved: what its close carried over goes back on its agenda, and what the close
    fixed is let go (the next close fixes it again). Logged with the reason."""
    if not reason.strip():
        raise BadInput("empty_reason")
    meeting = current(record, meeting)
    if meeting.get("approved_at"):
        raise Refused(
            "reopen_approved", date=meeting["date"], at=clock.shown(meeting["approved_at"])
        )
    if meeting.get("status") != "closed":
        raise Refused("reopen_not_closed", date=meeting["date"])
    back = []
    for topic_id in documents.agenda_of(meeting)["topics"]:
        topic = record.topic(topic_id)
        if topic is None or str(topic_id) in meeting.get("votes", {}):
            continue
        history = list(topic.get("history", []))
        last = history[-1] if history else {}
        if last != documents.history_entry(meeting["date"], "carried"):
            continue
        if topic["status"] != "accepted" or topic.get("meeting") is not None:
            raise Refused("reopen_topic_moved", id=topic_id, date=meeting["date"],
                          later=topic.get("meeting") or "")  # fmt: skip
        record.update_topic(
            topic_id,
            {
                "status": "scheduled",
                "meeting": meeting["date"],
                "carried": max(0, int(topic.get("carried", 0)) - 1),
                "history": history[:-1],
            },
        )
        back.append(topic_id)
    record.update_meeting(meeting["id"], {"status": "planned", "end": None})
    expected = (meeting.get("filed") or {}).get("expected")
    if meeting.get("votes") and expected is not None:
        # Its votes were counted on that 应到: it stays fixed (the next close keeps it).
        record.update_meeting(meeting["id"], {"filed": {"expected": expected}})
    else:
        record.patch_document("meetings", meeting["id"], {}, ["filed"])
    from sanjian_cli.domain.corrections import change

    changes = [change("meeting", "status", "closed", "planned")]
    log_correction(record, changes, reason)
    record.log_note(topics_back=back)
    return current(record, meeting)
