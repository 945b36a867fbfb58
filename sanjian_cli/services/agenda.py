"""Building the agenda (议程) of a meeting: which topics it takes, recorded on the meeting.

The order and the fit are `domain.agenda`; this module gathers the queue, records the
result and marks the topics scheduled. `build` is the whole of `agenda build`, for people
and for cron: which meeting, whether it is due, planning it if needed, the agenda and its
paper, and the meetings left open before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sanjian_cli.domain import agenda, documents
from sanjian_cli.services import committee, meetings, papers, planning
from sanjian_cli.services.meetings import (
    previous,
    record_amendment,
    require_open,
    start_of,
)
from sanjian_cli.services.planning import (
    topic_deadline,
)
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Agenda, Meeting


def open_decisions(record: Record, before: str) -> list[dict[str, Any]]:
    """Decision items still open that were taken at meetings before `before`."""
    return [d for d in record.open_decisions() if d["meeting"] < before]


def build_agenda(
    record: Record, config: Mapping[str, Any], meeting: Mapping[str, Any], now: datetime
) -> Agenda:
    """Choose the topics for `meeting` and mark them scheduled.

    Topics already voted on at this meeting stay where they are. The rest of the open
    queue (accepted topics, and those scheduled here by an earlier build) is planned again,
    so building twice on an unchanged record changes nothing.
    """
    meeting = meetings.current(record, meeting)
    amending = require_open(meeting, record.amendment)
    day = meeting["date"]
    voted = [int(t) for t in meeting.get("votes", {})]
    old: Mapping[str, Any] = meeting.get("agenda") or {}
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
    fixed_topics = (record.topic(t) for t in fixed)
    fixed_minutes = sum(int(t["minutes"]) for t in fixed_topics if t is not None)
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
    new = documents.new_agenda(
        opening=opening,
        followups=followups,
        topics=fixed + [t["id"] for t in result.scheduled],
        carried=carried,
        waiting=[t["id"] for t in result.waiting],
        late=[t["id"] for t in result.late],
        deadline=deadline,
        minutes=result.used_minutes + fixed_minutes,
    )
    if new != old:
        record.update_meeting(meeting["id"], {"agenda": new})
    if amending:
        record_amendment(record, meeting, now)
    return new


class NotDue(NamedTuple):
    """`build` with `if_due` before topic collection closed: nothing was changed."""

    day: date
    deadline: datetime  # when topic collection for the meeting of `day` closes

    @property
    def outcome(self) -> str:
        return "not_due"


class Built(NamedTuple):
    """What `build` did, for the paper, the report on stderr and the exit code."""

    meeting: Meeting
    agenda: Agenda
    changed: bool  # the agenda differs from the one the meeting held (or is new)
    paper: dict[str, Any]  # the agenda as `papers.agenda` gives it
    left_open: list[dict[str, Any]]  # earlier meetings started but never closed

    @property
    def outcome(self) -> str:
        """ "built" or "unchanged" (and `NotDue`'s "not_due"): all three a success for cron."""
        return "built" if self.changed else "unchanged"


def build(
    record: Record,
    config: Mapping[str, Any],
    now: datetime,
    *,
    day: date | None = None,
    if_due: bool = False,
) -> Built | NotDue:
    """`agenda build [DATE | --next] [--if-due]`: the agenda of the meeting of `day` (which
    must be on record), or of the next meeting on the schedule (planned first if needed).

    With `if_due`, nothing happens before topic collection for that meeting has closed
    (setting topic-deadline): cron can run this every hour, and the agenda is built once due
    and left as it is after that while nothing changes.
    """
    found: Mapping[str, Any] | None
    if day is None:
        day = planning.next_day(config, now, record)
        found = record.meeting(day.isoformat())
    else:
        found = meetings.resolve(record, day.isoformat())
    if found is not None:
        require_open(found, record.amendment)
    if if_due:
        due, deadline = planning.collection_closed(record, config, day, now)
        if not due:
            return NotDue(day, deadline)
    meeting = found if found is not None else planning.plan(record, config, now, day=day)[0]
    before = meeting.get("agenda")
    unclosed = planning.left_open(record, day, now)
    built = build_agenda(record, config, meeting, now)
    meeting = meetings.current(record, meeting)
    paper = papers.agenda(record, committee.require(record), meeting)
    return Built(meeting, built, built != before, paper, unclosed)
