"""`member list` and `member show` as tables: the roster in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.tables import Pairs, Table

_COLUMNS = ("col.id", "col.name", "col.side", "col.lead", "col.voting", "col.org", "col.retired")


def listing(members: Sequence[Mapping[str, Any]], lang: str) -> Table:
    yes = t(lang, "yes")
    rows = [
        [
            str(m["id"]),
            m["name"],
            word(lang, "side", m["side"]),
            yes if m.get("lead") else "",
            yes if m.get("voting", True) else t(lang, "no"),
            m.get("org", ""),
            m.get("retired") or "",
        ]
        for m in members
    ]
    return [t(lang, k) for k in _COLUMNS], rows


def show(member: Mapping[str, Any], lang: str) -> Pairs:
    """One member, from its JSON projection (`documents.member_json`)."""
    return [
        (t(lang, "col.id"), str(member["id"])),
        (t(lang, "col.name"), member["name"]),
        (t(lang, "col.side"), word(lang, "side", member["side"])),
        (t(lang, "col.lead"), t(lang, "yes" if member["lead"] else "no")),
        (t(lang, "col.voting"), t(lang, "yes" if member["voting"] else "no")),
        (t(lang, "col.org"), member["org"] or ""),
        (t(lang, "col.phone"), member["phone"] or ""),
        (t(lang, "col.joined"), member["joined"] or ""),
        (
            t(lang, "col.retired"),
            " ".join(filter(None, [member["retired"], member["retire_reason"]])),
        ),
    ]
