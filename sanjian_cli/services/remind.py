"""Reminders (督办提醒): open decision items due soon or overdue, grouped by owner."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sanjian_cli.errors import BadInput
from sanjian_cli.services import papers
from sanjian_cli.store import Record


def due_within(record: Record, today: date, days: int) -> list[dict[str, Any]]:
    """Groups `{"owner": person | None, "items": [action entries]}` of the open items due on
    or before `today + days` (overdue ones included). Items without a deadline are not due.

    Owners in id order, items without an owner last; within a group, by due date then id.
    """
    if not 0 <= days <= 365:
        raise BadInput("bad_days", value=days)
    horizon = (today + timedelta(days=days)).isoformat()
    chosen = [d for d in record.open_decisions() if d.get("due") and d["due"] <= horizon]
    chosen.sort(key=lambda d: (d["due"], d["id"]))
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for item in chosen:
        groups.setdefault(item.get("owner"), []).append(papers.action_entry(record, item, today))
    order = sorted(groups, key=lambda owner: (owner is None, owner or 0))
    return [{"owner": papers.person(record, owner), "items": groups[owner]} for owner in order]
