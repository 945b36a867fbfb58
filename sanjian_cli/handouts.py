"""Papers handed to people outside the record, as plain data: the public notice of a
meeting's results (结果公示) for residents, and the sign-in sheet (签到表) for the door.

The notice carries the topics voted on, their outcome and counts, and each decision with its
owner's name and deadline: nothing else. No phone numbers (phone-like numbers typed into a
title or decision are masked too), no dissent or its authors, no discussion notes, no leave
reasons, no progress notes, no resident's name given with a topic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanjian_cli import attendance
from sanjian_cli.errors import Refused
from sanjian_cli.privacy import mask_phones
from sanjian_cli.store import Record


def public_notice(
    record: Record, committee: dict[str, Any], meeting: dict[str, Any], today: date
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


def signin_sheet(
    record: Record, committee: dict[str, Any], meeting: dict[str, Any], guest_rows: int
) -> dict[str, Any]:
    """Who is expected at `meeting` (attendance.expected, by side), the non-voting members on
    the roster that day, and how many blank rows to leave for guests."""
    from sanjian_cli.vocab import SIDES

    day = date.fromisoformat(meeting["date"])
    members = record.members()
    on_leave = {n["member"] for n in meeting.get("leaves", []) if n.get("excused")}
    expected = attendance.expected(members, day)

    def row(m: Any) -> dict[str, Any]:
        return {
            "id": m["id"],
            "name": m["name"],
            "org": m.get("org") or None,
            "lead": bool(m.get("lead")),
            "on_leave": m["id"] in on_leave,
        }

    sides = []
    for side in SIDES:
        group = [m for m in expected if m["side"] == side]
        # The lead signs first, then the others in the order they joined the roster.
        group.sort(key=lambda m: (not m.get("lead"), m["id"]))
        sides.append({"side": side, "members": [row(m) for m in group]})
    non_voting = sorted(
        (m for m in members if not m.get("voting", True) and attendance.on_roster(m, day)),
        key=lambda m: m["id"],
    )
    return {
        "committee": committee["name"],
        "date": meeting["date"],
        "start": meeting["start"],
        "place": meeting.get("place") or None,
        "online": meeting.get("online") or None,
        "expected": len(expected),
        "sides": sides,
        "non_voting": [row(m) for m in non_voting],
        "guest_rows": guest_rows,
    }
