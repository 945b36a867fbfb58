"""Decision items (议定事项) and their follow-up (督办): each with an owner and a deadline.

An owner or a deadline that was not given stays missing; nothing here invents one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, corrections, documents
from sanjian_cli.domain.documents import overdue
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import amendments, meetings, papers, votes
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Decision
    from sanjian_cli.domain.reports import Period


def resolve(record: Record, ref: str) -> Decision:
    text = ref.strip().lstrip("#")
    if not text.isdigit():
        raise BadInput("bad_action_ref", ref=ref)
    item = record.decision(int(text))
    if item is None:
        raise NotFound("unknown_action", ref=ref)
    return documents.expect(item, "decision", text)


def _reread(record: Record, item_id: int) -> Decision:
    return documents.expect(record.decision(item_id), "decision", item_id)


def decide(
    record: Record,
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    text: str,
    *,
    owner: Mapping[str, Any] | None,
    due: date | None,
    now: datetime,
) -> Decision:
    meeting = meetings.current(record, meeting)
    amending = meetings.require_open(meeting, record.amendment)
    votes.require_on_agenda(meeting, topic)
    vote = meeting.get("votes", {}).get(str(topic["id"]))
    if vote is None:
        raise Refused("decide_not_voted", id=topic["id"], date=meeting["date"])
    if vote.get("outcome") != "passed":
        raise Refused("decide_not_passed", id=topic["id"], date=meeting["date"],
                      outcome=vote.get("outcome"))  # fmt: skip
    if not text.strip():
        raise BadInput("empty_text")
    if due is not None and due < date.fromisoformat(meeting["date"]):
        raise BadInput("due_before_meeting", due=due.isoformat(), date=meeting["date"])
    if owner is not None:
        require_owner(owner, date.fromisoformat(meeting["date"]), now.date())
    doc = documents.new_decision(
        meeting["date"],
        topic["id"],
        text,
        owner=owner["id"] if owner else None,
        due=due,
        created_at=now,
    )
    item_id = record.add_decision(dict(doc))
    if amending:
        added = corrections.describe_decision(None, {**doc, "id": item_id})
        amendments.record_amendment(record, meeting, now, added)
    return _reread(record, item_id)


def require_owner(owner: Mapping[str, Any], meeting_day: date, today: date) -> None:
    """A 责任人 is a member on the roster at the meeting and still on it today."""
    from sanjian_cli.domain.attendance import on_roster

    for day in (meeting_day, today):
        if not on_roster(owner, day):
            raise Refused("owner_off_roster", name=owner["name"], date=day.isoformat(),
                          retired=owner.get("retired") or "")  # fmt: skip


def _meeting_of(record: Record, item: Mapping[str, Any]) -> dict[str, Any]:
    return documents.expect(record.meeting(item["meeting"]), "meeting", item["meeting"])


def edit(
    record: Record,
    item: Mapping[str, Any],
    *,
    owner: Mapping[str, Any] | None,
    due: date | None,
    text: str | None,
    now: datetime,
    reason: str | None = None,
) -> Decision:
    """Correct a decision item in place: its 责任人, 时限 or wording (a 待定 filled in).
    The item's meeting guards it like every fact of that meeting: once closed, the
    correction is an amendment of its minutes."""
    item = _reread(record, item["id"])
    meeting = _meeting_of(record, item)
    meetings.require_changeable(meeting, record.amendment)
    fields: dict[str, Any] = {}
    if owner is not None:
        require_owner(owner, date.fromisoformat(meeting["date"]), now.date())
        fields["owner"] = owner["id"]
    if due is not None:
        if due < date.fromisoformat(meeting["date"]):
            raise BadInput("due_before_meeting", due=due.isoformat(), date=meeting["date"])
        fields["due"] = due.isoformat()
    if text is not None:
        if not text.strip():
            raise BadInput("empty_text")
        fields["text"] = text
    if not fields:
        raise BadInput("nothing_to_change")
    changed = {k: v for k, v in fields.items() if item.get(k) != v}
    if not changed:
        raise Refused("action_unchanged", id=item["id"])
    record.update_decision(item["id"], changed)
    after = _reread(record, item["id"])
    changes = corrections.describe_decision(item, after)
    amendments.correct(record, meeting, now, changes, reason, outside=True)
    return after


def remove(record: Record, item: Mapping[str, Any], now: datetime, reason: str) -> Decision:
    """Strike a decision item entered by mistake: gone from papers and reports, kept in
    the log (with the reason). It leaves the agendas that listed it for follow-up too; a
    closed meeting it belongs to or was followed up at changes only by amendment."""
    if not reason.strip():
        raise BadInput("empty_reason")
    item = _reread(record, item["id"])
    meeting = _meeting_of(record, item)
    meetings.require_changeable(meeting, record.amendment)
    listing = [
        m for m in record.meetings_since(item["meeting"])
        if item["id"] in documents.agenda_of(m)["followups"]
    ]  # fmt: skip
    for later in listing:
        meetings.require_changeable(later, record.amendment)
    changes = corrections.describe_decision(item, None)
    record.remove_decision(item["id"])
    for later in listing:
        built = documents.agenda_of(later)
        agenda = {**built, "followups": [i for i in built["followups"] if i != item["id"]]}
        fields: dict[str, Any] = {"agenda": agenda}
        filed = later.get("filed")
        if filed and "follow_up" in filed:
            fields["filed"] = {**filed, "follow_up": [a for a in filed["follow_up"]
                                                      if a.get("id") != item["id"]]}  # fmt: skip
        record.update_meeting(later["id"], fields)
        if meetings.require_changeable(later, record.amendment):
            amendments.record_amendment(record, later, now, changes)
    amendments.correct(record, meeting, now, changes, reason, outside=True)
    return item


def listing(
    record: Record,
    today: date,
    *,
    only_open: bool,
    only_overdue: bool,
    owner: int | None = None,
    period: Period | None = None,
) -> list[dict[str, Any]]:
    """The items as `action list` shows them (`documents.action_json`, owners named); with
    `owner`, that member's; with `period`, those taken at meetings in it (as `report
    actions` counts them)."""
    # Open items are all in the hot file: --open and --overdue read no history.
    items = record.open_decisions() if only_open or only_overdue else record.decisions()
    if only_overdue:
        items = [d for d in items if overdue(d, today)]
    if owner is not None:
        items = [d for d in items if d.get("owner") == owner]
    if period is not None:
        items = [d for d in items if d["meeting"] in period]
    return [papers.action_entry(record, d, today) for d in items]


def show(record: Record, ref: str, today: date) -> dict[str, Any]:
    """One item as `action show` shows it, with all its progress notes."""
    return papers.action_entry(record, resolve(record, ref), today)


def update(record: Record, item: Mapping[str, Any], note: str, now: datetime) -> Decision:
    if not note.strip():
        raise BadInput("empty_text")
    item = _reread(record, item["id"])
    notes = [*item.get("notes", []), documents.new_progress_note(now, note)]
    record.update_decision(item["id"], {"notes": notes})
    return _reread(record, item["id"])


def done(
    record: Record,
    item: Mapping[str, Any],
    now: datetime,
    note: str | None = None,
    on: date | None = None,
) -> Decision:
    """Mark an item carried out, now or on the day `on` it was actually done (not before
    its meeting, not after today): reports judge the deadline on that day."""
    item = _reread(record, item["id"])
    if item["status"] == "done":
        raise Refused("action_already_done", id=item["id"])
    when = now
    if on is not None:
        if on > now.date():
            raise BadInput("done_in_future", on=on.isoformat(), today=now.date().isoformat())
        if on < date.fromisoformat(item["meeting"]):
            raise BadInput("done_before_meeting", on=on.isoformat(), date=item["meeting"])
        if on < now.date():
            when = datetime.combine(on, now.timetz())
    fields: dict[str, Any] = {"status": "done", "done_at": clock.iso(when)}
    if note:
        fields["notes"] = [*item.get("notes", []), documents.new_progress_note(now, note)]
    record.update_decision(item["id"], fields)
    return _reread(record, item["id"])
