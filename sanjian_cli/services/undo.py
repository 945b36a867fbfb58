"""`sanjian undo`: revert the last change as a whole, on the audit log and the store front.

The change reverted is the newest one not yet undone (`Record.change_to_undo`); run again,
undo reverts the one before. It is itself a change, logged naming the entry it undid. It
is refused where a document it would put back has changed since, where the record was
changed outside sanjian, and where it touches a meeting whose minutes are approved, unless
it is an amendment (`--amend --reason`). On a closed meeting the minutes list the undo
under 修订记录, with what it changed back: the trail of amendments is never reverted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sanjian_cli.domain import clock, corrections, documents
from sanjian_cli.errors import Refused
from sanjian_cli.services import amendments
from sanjian_cli.store import Record


def _dates(record: Record, entry: dict[str, Any]) -> list[str]:
    """The meetings `entry` touched, by date (as it logged them, and the meetings it
    changed, added or removed)."""
    found = set(entry.get("meetings") or [])
    for item in entry.get("undo") or []:
        if item.get("table") != "meetings":
            continue
        now = record.document("meetings", item["id"])
        for doc in (now, item.get("doc"), item.get("old")):
            if isinstance(doc, dict) and isinstance(doc.get("date"), str):
                found.add(doc["date"])
    return sorted(found)


def undo(record: Record, now: datetime, reason: str | None = None) -> dict[str, Any]:
    """Revert the newest change not yet undone; returns what was reverted: its log number,
    when, by whom, its command, and the meetings it touched."""
    entry = record.change_to_undo()
    if entry is None:
        raise Refused("nothing_to_undo")
    changed = record.changed_since(entry)
    if changed:
        raise Refused("undo_changed_since", n=entry.get("n"), where=", ".join(changed[:3]))
    days = _dates(record, entry)
    before = {day: record.meeting(day) for day in days}
    for day, meeting in before.items():
        if meeting is not None and meeting.get("approved_at") and not record.amendment:
            raise Refused(
                "undo_approved", n=entry.get("n"), date=day, at=clock.shown(meeting["approved_at"])
            )
    items = [(i["table"], int(i["id"])) for i in entry.get("undo") or []]
    decisions = {key: record.decision(key) for table, key in items if table == "decisions"}
    record.revert(entry)
    for day, meeting in before.items():
        after = record.meeting(day)
        if meeting is None or after is None:
            continue
        changes = corrections.describe(meeting, after)
        for key, old in decisions.items():
            new = record.decision(key)
            if day in ((old or {}).get("meeting"), (new or {}).get("meeting")):
                changes += corrections.describe_decision(old, new)
        approved = after.get("approved_at") or meeting.get("approved_at")
        if approved or (changes and after.get("status") == "closed"):
            _note_undo(record, after, changes, entry, now, reason)
    record.log_note(undoes=entry.get("n"), undid=entry.get("command"))
    if reason:
        record.log_note(reason=reason)
    return {
        "n": entry.get("n"),
        "at": entry.get("at"),
        "user": entry.get("user"),
        "command": entry.get("command") or [],
        "meetings": days,
    }


def _note_undo(
    record: Record,
    after: dict[str, Any],
    changes: list[dict[str, Any]],
    entry: dict[str, Any],
    now: datetime,
    reason: str | None,
) -> None:
    """The minutes of a closed meeting say that an undo changed them, and what it changed
    back (an approved meeting's minutes get the digest as amended)."""
    from sanjian_cli.store import whoami

    by = record.amendment_by if record.amendment_by is not None else after.get("recorder")
    note = documents.new_amendment(
        now,
        whoami(),
        record.amendment or reason or "",
        by=by,
        changes=changes,
    )
    note["undoes"] = int(entry.get("n") or 0)
    record.update_meeting(after["id"], {"amendments": [*after.get("amendments", []), note]})
    record.amended.add(after["date"])
    amendments.refresh_digest(record, after)
