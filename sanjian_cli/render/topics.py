"""`topic list` and `topic show` as tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.tables import Pairs, Table
from sanjian_cli.render.text import moment

_COLUMNS = (
    "col.id",
    "col.title",
    "col.by",
    "col.category",
    "col.status",
    "col.minutes",
    "col.urgent",
    "col.proposed_at",
)


def listing(topics: Sequence[Mapping[str, Any]], names: Mapping[int, str], lang: str) -> Table:
    """The topics, with proposers named from `names` (member id -> name)."""
    rows = [
        [
            str(tp["id"]),
            tp["title"],
            names.get(tp["by"], f"#{tp['by']}"),
            word(lang, "category", tp["category"]),
            word(lang, "status", tp["status"]),
            str(tp["minutes"]),
            t(lang, "yes") if tp.get("urgent") else "",
            moment(lang, tp["proposed_at"]),
        ]
        for tp in topics
    ]
    return [t(lang, k) for k in _COLUMNS], rows


def show(
    topic: Mapping[str, Any], pending: Sequence[str], names: Mapping[int, str], lang: str
) -> Pairs:
    """One topic with its approvals, the sides yet to agree (`pending`) and its history."""
    sep = "、" if lang == "zh" else ", "
    history = sep.join(
        f"{h['meeting']} {word(lang, 'outcome', h['outcome'])}" for h in topic["history"]
    )
    rows = [
        (t(lang, "col.id"), str(topic["id"])),
        (t(lang, "col.title"), topic["title"]),
        (t(lang, "col.by"), names.get(topic["by"], f"#{topic['by']}")),
        (t(lang, "col.for"), topic.get("for") or ""),
        (t(lang, "col.category"), word(lang, "category", topic["category"])),
        (t(lang, "col.detail"), topic.get("detail") or ""),
        (t(lang, "col.minutes"), str(topic["minutes"])),
        (t(lang, "col.urgent"), t(lang, "yes" if topic.get("urgent") else "no")),
        (t(lang, "col.major"), t(lang, "yes" if topic.get("major") else "no")),
        (t(lang, "col.status"), word(lang, "status", topic["status"])),
        (t(lang, "col.proposed_at"), moment(lang, topic["proposed_at"])),
        (t(lang, "col.approvals"), sep.join(names.get(i, f"#{i}") for i in topic["approvals"])),
        (t(lang, "col.pending"), sep.join(word(lang, "side", s) for s in pending)),
        (t(lang, "col.meeting"), topic.get("meeting") or ""),
        (t(lang, "col.carried"), str(topic.get("carried", 0))),
        (t(lang, "col.history"), history),
    ]
    if topic.get("rejection"):
        rej = topic["rejection"]
        rows.append((t(lang, "col.rejection"), f"{names.get(rej['by'], '')}: {rej['reason']}"))
    return rows
