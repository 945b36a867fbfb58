"""The public notice of a meeting's results (结果公示) for residents, as plain data.

It carries the topics voted on, their outcome and counts, and each decision with its
owner's name and deadline: nothing else. No phone numbers (phone-like numbers typed into a
title or decision are masked too), no dissent or its authors, no discussion notes, no leave
reasons, no progress notes, no resident's name given with a topic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sanjian_cli.domain.privacy import mask_phones
from sanjian_cli.errors import Refused
from sanjian_cli.store import Record


def public_notice(
    record: Record, committee: Mapping[str, Any], meeting: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The results of a closed meeting for residents."""
    if meeting.get("status") != "closed":
        raise Refused("publish_not_closed", date=meeting["date"])
    phones = [m.get("phone") or "" for m in record.members()]

    def clean(text: str) -> str:
        return mask_phones(text, phones)

    votes = meeting.get("votes", {})
    decided = record.decisions_of(meeting["date"])
    order = list((meeting.get("agenda") or {}).get("topics", []))
    order += [d["topic"] for d in decided if d["topic"] not in order]
    items = []
    for topic_id in order:
        topic = record.topic(topic_id)
        vote = votes.get(str(topic_id))
        own = [d for d in decided if d["topic"] == topic_id]
        if topic is None or (vote is None and not own):
            continue
        entry: dict[str, Any] = {"title": clean(topic["title"]), "outcome": None, "counts": None}
        if vote is not None:
            entry["outcome"] = vote["outcome"]
            if vote["yes"] + vote["no"] + vote["abstain"]:
                entry["counts"] = {k: vote[k] for k in ("yes", "no", "abstain")}
        entry["decisions"] = [
            {
                "text": clean(d["text"]),
                "owner": (record.member(d["owner"]) or {}).get("name") if d.get("owner") else None,
                "due": d.get("due"),
            }
            for d in own
        ]
        items.append(entry)
    return {
        "committee": committee["name"],
        "date": meeting["date"],
        "start": meeting["start"],
        "place": meeting.get("place") or None,
        "published": today.isoformat(),
        "items": items,
    }
