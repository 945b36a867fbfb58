"""What a correction or an amendment changed, fact by fact, from -> to.

A change is `{"kind", "subject", "from", "to"}` (`documents.Change`); `from` or `to` is None
where the fact was not there before or is not there after. The kinds, and what their
subject and values are:

| kind | subject | from / to |
|---|---|---|
| attendance | member id | `{"late", "online", "left"}` (a sign-in) |
| leave | member id | `{"reason", "excused", "filed_at"}` |
| guest | the guest's name | `{"name", "org"}` |
| vote | topic id | `{"method", "yes", "no", "abstain", "outcome"}` |
| note | topic id | the text of the point |
| dissent | `{"topic", "member"}` | the text of the opinion |
| decision | decision item id | `{"text", "owner", "due"}` (owner a member id) |
| meeting | a field (start, place, chair, status, end, approved ...) | its value |

The same list goes into the audit log entry of a correction (with its reason) and, for a
closed meeting, into the amendment the minutes print under 修订记录.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_MEETING_FIELDS = ("start", "duration", "place", "online", "chair", "recorder", "status", "end")


def change(kind: str, subject: Any, old: Any, new: Any) -> dict[str, Any]:
    return {"kind": kind, "subject": subject, "from": old, "to": new}


def mark_value(mark: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if mark is None:
        return None
    return {
        "late": bool(mark.get("late")),
        "online": bool(mark.get("online")),
        "left": mark.get("left"),
    }


def leave_value(notice: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {
        "reason": notice.get("reason"),
        "excused": bool(notice.get("excused")),
        "filed_at": notice.get("filed_at"),
    }


def vote_value(vote: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if vote is None:
        return None
    return {k: vote.get(k) for k in ("method", "yes", "no", "abstain", "outcome")}


def decision_value(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"text": item.get("text"), "owner": item.get("owner"), "due": item.get("due")}


def _pairs(old: list[Any], new: list[Any]) -> list[tuple[Any, Any]]:
    """The entries of two lists that differ, matched in order: (old, None) for one gone,
    (None, new) for one added, (old, new) where one took another's place."""
    rest = list(new)
    gone = []
    for item in old:
        if item in rest:
            rest.remove(item)
        else:
            gone.append(item)
    pairs: list[tuple[Any, Any]] = []
    while gone and rest:
        pairs.append((gone.pop(0), rest.pop(0)))
    pairs += [(g, None) for g in gone] + [(None, r) for r in rest]
    return pairs


def _grouped(entries: Iterable[Mapping[str, Any]], key: Any) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {}
    for entry in entries:
        out.setdefault(key(entry), []).append(entry)
    return out


def describe(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The facts of a meeting that differ between `before` and `after`, in the order the
    minutes show them: the meeting's details, sign-ins, leave, guests, then per topic."""
    found: list[dict[str, Any]] = []
    for name in _MEETING_FIELDS:
        if before.get(name) != after.get(name):
            found.append(change("meeting", name, before.get(name), after.get(name)))
    if bool(before.get("approved_at")) != bool(after.get("approved_at")):
        found.append(change("meeting", "approved", before.get("approved_at"),
                            after.get("approved_at")))  # fmt: skip
    marks_a, marks_b = before.get("attendance") or {}, after.get("attendance") or {}
    for key in sorted(set(marks_a) | set(marks_b), key=lambda k: int(k) if k.isdigit() else 0):
        a, b = mark_value(marks_a.get(key)), mark_value(marks_b.get(key))
        if a != b:
            found.append(change("attendance", int(key), a, b))
    leaves_a = _grouped(before.get("leaves") or [], lambda n: n.get("member"))
    leaves_b = _grouped(after.get("leaves") or [], lambda n: n.get("member"))
    for member in sorted(set(leaves_a) | set(leaves_b), key=lambda m: (m is None, m)):
        for a, b in _pairs(
            [leave_value(n) for n in leaves_a.get(member, [])],
            [leave_value(n) for n in leaves_b.get(member, [])],
        ):
            found.append(change("leave", member, a, b))
    guests = lambda m: [{"name": g.get("name"), "org": g.get("org") or ""}  # noqa: E731
                        for g in m.get("guests") or []]  # fmt: skip
    for a, b in _pairs(guests(before), guests(after)):
        found.append(change("guest", (a or b or {}).get("name"), a, b))
    votes_a, votes_b = before.get("votes") or {}, after.get("votes") or {}
    for key in sorted(set(votes_a) | set(votes_b), key=lambda k: int(k) if k.isdigit() else 0):
        a, b = vote_value(votes_a.get(key)), vote_value(votes_b.get(key))
        if a != b:
            found.append(change("vote", int(key), a, b))
    notes_a = _grouped(before.get("notes") or [], lambda n: n.get("topic"))
    notes_b = _grouped(after.get("notes") or [], lambda n: n.get("topic"))
    for topic in sorted(set(notes_a) | set(notes_b), key=lambda t: (t is None, t)):
        for a, b in _pairs(
            [n.get("text") for n in notes_a.get(topic, [])],
            [n.get("text") for n in notes_b.get(topic, [])],
        ):
            found.append(change("note", topic, a, b))
    dissent_a = _grouped(before.get("dissents") or [], lambda d: (d.get("topic"), d.get("member")))
    dissent_b = _grouped(after.get("dissents") or [], lambda d: (d.get("topic"), d.get("member")))
    for topic, member in sorted(set(dissent_a) | set(dissent_b), key=str):
        for a, b in _pairs(
            [d.get("text") for d in dissent_a.get((topic, member), [])],
            [d.get("text") for d in dissent_b.get((topic, member), [])],
        ):
            found.append(change("dissent", {"topic": topic, "member": member}, a, b))
    return found


def describe_decision(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """A decision item added, removed or corrected (its text, 责任人 or 时限)."""
    a, b = decision_value(before), decision_value(after)
    if a == b:
        return []
    subject = (after or before or {}).get("id")
    return [change("decision", subject, a, b)]
