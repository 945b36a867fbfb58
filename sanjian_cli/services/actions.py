"""Decision items (议定事项) and their follow-up (督办): each with an owner and a deadline.

An owner or a deadline that was not given stays missing; nothing here invents one.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sanjian_cli.domain import clock
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import meetings, votes
from sanjian_cli.store import Record


def resolve(record: Record, ref: str) -> dict[str, Any]:
    text = ref.strip().lstrip("#")
    if not text.isdigit():
        raise BadInput("bad_action_ref", ref=ref)
    item = record.decision(int(text))
    if item is None:
        raise NotFound("unknown_action", ref=ref)
    return item


def decide(
    record: Record,
    meeting: dict[str, Any],
    topic: dict[str, Any],
    text: str,
    *,
    owner: dict[str, Any] | None,
    due: date | None,
    now: datetime,
) -> dict[str, Any]:
    meetings.require_open(meeting, record)
    votes.require_on_agenda(meeting, topic)
    if not text.strip():
        raise BadInput("empty_text")
    if due is not None and due < date.fromisoformat(meeting["date"]):
        raise BadInput("due_before_meeting", due=due.isoformat(), date=meeting["date"])
    item_id = record.add_decision(
        {
            "meeting": meeting["date"],
            "topic": topic["id"],
            "text": text,
            "owner": owner["id"] if owner else None,
            "due": due.isoformat() if due else None,
            "status": "open",
            "created_at": clock.iso(now),
            "done_at": None,
            "notes": [],
        }
    )
    return record.decision(item_id) or {}


def overdue(item: dict[str, Any], today: date) -> bool:
    return item["status"] == "open" and bool(item.get("due")) and item["due"] < today.isoformat()


def days_overdue(item: dict[str, Any], today: date) -> int:
    if not overdue(item, today):
        return 0
    return (today - date.fromisoformat(item["due"])).days


def listing(
    record: Record, today: date, *, only_open: bool, only_overdue: bool
) -> list[dict[str, Any]]:
    # Open items are all in the hot file: --open and --overdue read no history.
    items = record.open_decisions() if only_open or only_overdue else record.decisions()
    if only_overdue:
        items = [d for d in items if overdue(d, today)]
    return items


def update(record: Record, item: dict[str, Any], note: str, now: datetime) -> dict[str, Any]:
    if not note.strip():
        raise BadInput("empty_text")
    notes = [*item.get("notes", []), {"at": clock.iso(now), "text": note}]
    record.update_decision(item["id"], {"notes": notes})
    return record.decision(item["id"]) or {}


def done(
    record: Record, item: dict[str, Any], now: datetime, note: str | None = None
) -> dict[str, Any]:
    if item["status"] == "done":
        raise Refused("action_already_done", id=item["id"])
    fields: dict[str, Any] = {"status": "done", "done_at": clock.iso(now)}
    if note:
        fields["notes"] = [*item.get("notes", []), {"at": clock.iso(now), "text": note}]
    record.update_decision(item["id"], fields)
    return record.decision(item["id"]) or {}
