"""`action list` and `action show` as tables, from the items' JSON projection
(`documents.action_json`): a missing owner or due date shows as 待定."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.tables import Pairs, Table
from sanjian_cli.render.text import moment

_COLUMNS = (
    "col.id",
    "col.meeting",
    "col.topic",
    "col.text",
    "col.owner",
    "col.due",
    "col.status",
    "col.overdue",
    "col.note",
)


def listing(entries: Sequence[Mapping[str, Any]], lang: str) -> Table:
    missing = t(lang, "missing")
    rows = [
        [
            str(e["id"]),
            e["meeting"],
            f"#{e['topic']}",
            e["text"],
            e["owner"]["name"] if e["owner"] else missing,
            e["due"] or missing,
            word(lang, "status", e["status"]),
            str(e["days_overdue"] or ""),
            e["latest_note"] or "",
        ]
        for e in entries
    ]
    return [t(lang, k) for k in _COLUMNS], rows


def show(entry: Mapping[str, Any], lang: str) -> Pairs:
    """One item with all its progress notes, one a line."""
    missing = t(lang, "missing")
    return [
        (t(lang, "col.id"), str(entry["id"])),
        (t(lang, "col.meeting"), entry["meeting"]),
        (t(lang, "col.topic"), f"#{entry['topic']}"),
        (t(lang, "col.text"), entry["text"]),
        (t(lang, "col.owner"), entry["owner"]["name"] if entry["owner"] else missing),
        (t(lang, "col.due"), entry["due"] or missing),
        (t(lang, "col.status"), word(lang, "status", entry["status"])),
        (t(lang, "col.overdue"), str(entry["days_overdue"])),
        (
            t(lang, "col.notes"),
            "\n".join(f"{moment(lang, n['at'])} {n['text']}" for n in entry["notes"]),
        ),
    ]
