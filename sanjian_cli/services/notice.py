"""The meeting notice (会议通知) as plain data: what the group chat needs to know.

When and where, who chairs, the agenda if it has been built, how and by when to file leave
(the leave rule of `attendance`), and when topics for the following meeting close (the
collection rule of `agenda`). A meeting not yet planned is described from the schedule; a
skipped one gets a cancellation notice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sanjian_cli.domain import attendance, clock
from sanjian_cli.errors import NotFound
from sanjian_cli.services import committee, papers, planning
from sanjian_cli.store import Record


def build(record: Record, day: date | None, now: datetime) -> dict[str, Any]:
    """The notice of the meeting of `day` (default: the next one to be held)."""
    config = committee.config(record)
    today = now.astimezone(clock.zone(config["timezone"])).date()
    plan = planning.schedule_of(config, record, since=min(day or today, today))
    if day is None:
        day = plan.next_day(now)
    meeting = record.meeting(day.isoformat())
    if meeting is None:
        if day not in plan.days(day, day):
            raise NotFound("unknown_meeting", date=day.isoformat())
        # Described as planning it would make it, without planning it (notice only reads).
        draft = planning.draft(record, config, day, plan.start(day), now)
        meeting = {**draft, "status": "unplanned"}
    start = clock.from_iso(meeting["start"]).astimezone(clock.zone(config["timezone"]))
    head = papers.meeting_head(record, committee.require(record), meeting)
    head["end"] = clock.iso(clock.end(start, meeting["duration"], start.tzinfo))
    result: dict[str, Any] = {
        "meeting": head,
        "cancelled": meeting.get("status") == "skipped",
        "reason": meeting.get("skip_reason"),
        "agenda": None,
        "leave_deadline": None,
        "next": None,
    }
    if result["cancelled"]:
        return result
    if meeting.get("agenda") is not None:
        result["agenda"] = papers.agenda(record, committee.require(record), meeting)["items"]
    result["leave_deadline"] = clock.iso(attendance.leave_deadline(start, config["leave-deadline"]))
    following = plan.next_day(start)
    following_start = plan.start(following)
    result["next"] = {
        "date": following.isoformat(),
        "start": clock.iso(following_start),
        "topic_deadline": clock.iso(planning.topic_deadline(config, following_start)),
    }
    return result
