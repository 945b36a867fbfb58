"""Decision items (议定事项) and their follow-up (督办): each with an owner and a deadline.

An owner or a deadline that was not given stays missing; nothing here invents one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.domain.documents import overdue
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import meetings, papers, votes
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Decision


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
    if not text.strip():
        raise BadInput("empty_text")
    if due is not None and due < date.fromisoformat(meeting["date"]):
        raise BadInput("due_before_meeting", due=due.isoformat(), date=meeting["date"])
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
        meetings.record_amendment(record, meeting, now)
    return _reread(record, item_id)


def listing(
    record: Record, today: date, *, only_open: bool, only_overdue: bool
) -> list[dict[str, Any]]:
    """The items as `action list` shows them (`documents.action_json`, owners named)."""
    # Open items are all in the hot file: --open and --overdue read no history.
    items = record.open_decisions() if only_open or only_overdue else record.decisions()
    if only_overdue:
        items = [d for d in items if overdue(d, today)]
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
    record: Record, item: Mapping[str, Any], now: datetime, note: str | None = None
) -> Decision:
    item = _reread(record, item["id"])
    if item["status"] == "done":
        raise Refused("action_already_done", id=item["id"])
    fields: dict[str, Any] = {"status": "done", "done_at": clock.iso(now)}
    if note:
        fields["notes"] = [*item.get("notes", []), documents.new_progress_note(now, note)]
    record.update_decision(item["id"], fields)
    return _reread(record, item["id"])
