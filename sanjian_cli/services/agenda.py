"""Building the agenda (议程) of a meeting: which topics it takes, recorded on the meeting.

The order and the fit are `domain.agenda`; this module gathers the queue, records the
result and marks the topics scheduled.
"""

from __future__ import annotations

from typing import Any

from sanjian_cli.domain import agenda, clock
from sanjian_cli.services.meetings import (
    previous,
    require_open,
    start_of,
)
from sanjian_cli.services.planning import (
    topic_deadline,
)
from sanjian_cli.store import Record


def open_decisions(record: Record, before: str) -> list[dict[str, Any]]:
    """Decision items still open that were taken at meetings before `before`."""
    return [d for d in record.open_decisions() if d["meeting"] < before]


def build_agenda(record: Record, config: dict[str, Any], meeting: dict[str, Any]) -> dict[str, Any]:
    """Choose the topics for `meeting` and mark them scheduled.

    Topics already voted on at this meeting stay where they are. The rest of the open
    queue (accepted topics, and those scheduled here by an earlier build) is planned again,
    so building twice on an unchanged record changes nothing.
    """
    require_open(meeting, record)
    day = meeting["date"]
    voted = [int(t) for t in meeting.get("votes", {})]
    old = meeting.get("agenda") or {}
    fixed = [t for t in old.get("topics", []) if t in voted]
    fixed_ids = set(fixed)
    candidates = [
        t
        for t in record.open_topics()
        if t["id"] not in fixed_ids
        and (t["status"] == "accepted" or (t["status"] == "scheduled" and t["meeting"] == day))
    ]
    opening = []
    if previous(record, meeting) is not None:
        opening.append("approve-minutes")
    followups = [d["id"] for d in open_decisions(record, day)]
    if followups:
        opening.append("follow-up")
    opening_minutes = config["opening-minutes"] * len(opening)
    fixed_minutes = sum(int((record.topic(t) or {}).get("minutes", 0)) for t in fixed)
    deadline = topic_deadline(config, start_of(meeting))
    result = agenda.fit(candidates, meeting["duration"] - fixed_minutes, opening_minutes, deadline)
    for topic in result.scheduled:
        if topic["status"] != "scheduled" or topic["meeting"] != day:
            record.update_topic(topic["id"], {"status": "scheduled", "meeting": day})
    for topic in [*result.waiting, *result.late]:
        if topic["status"] == "scheduled":
            record.update_topic(topic["id"], {"status": "accepted", "meeting": None})
    carried = {str(t["id"]): int(t.get("carried", 0)) for t in result.scheduled}
    carried.update({str(t): n for t, n in old.get("carried", {}).items() if int(t) in fixed_ids})
    new = {
        "opening": opening,
        "followups": followups,
        "topics": fixed + [t["id"] for t in result.scheduled],
        "carried": carried,
        "waiting": [t["id"] for t in result.waiting],
        "late": [t["id"] for t in result.late],
        "deadline": clock.iso(deadline),
        "minutes": result.used_minutes + fixed_minutes,
    }
    if new != old:
        record.update_meeting(meeting["id"], {"agenda": new})
    return new
