"""The roster: members of the three sides, their leads, voting and non-voting members."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import attendance, documents, pinyin
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Member


def active(member: Mapping[str, Any], day: date) -> bool:
    return attendance.on_roster(member, day)


def resolve(record: Record, ref: str) -> Member:
    """The member named by `ref`: an id (`7` or `#7`), an exact, unambiguous name (a name
    shared with members who have left means the current one), or the full pinyin or the
    pinyin initials (`zhangjianguo`, `zjg`) of exactly one current member."""
    text = ref.strip()
    digits = text[1:] if text.startswith("#") else text
    found = record.member(int(digits)) if digits.isdigit() else None
    if not digits.isdigit():
        matches = [m for m in record.members() if m["name"] == text]
        current = [m for m in matches if not m.get("retired")]
        if len(matches) > 1 and len(current) != 1:
            raise Refused("ambiguous_member", ref=ref, candidates=candidates(matches))
        found = current[0] if len(matches) > 1 else (matches[0] if matches else None)
        if found is None and pinyin.is_pinyin(text):
            typed = text.lower()
            matches = [
                m for m in record.members() if not m.get("retired") and typed in pinyin_keys(m)
            ]
            if len(matches) > 1:
                raise Refused("ambiguous_pinyin", ref=ref, candidates=candidates(matches))
            found = matches[0] if matches else None
    if found is None:
        raise NotFound("unknown_member", ref=ref)
    return documents.expect(found, "member", ref)


def candidates(found: list[Any]) -> list[tuple[int, str, str]]:
    """Members a refusal lists (id, name, side); the message shows the side in its language."""
    return [(m["id"], m["name"], m["side"]) for m in sorted(found, key=lambda m: m["id"])]


def pinyin_keys(member: Mapping[str, Any]) -> tuple[str, str]:
    """(full pinyin, initials) of a member: stored when the member was added or edited,
    worked out now for a member of an older store."""
    stored = member.get("pinyin")
    if not isinstance(stored, list):
        stored = pinyin.syllables(member["name"])
    return pinyin.keys(stored)


def fill_pinyin(record: Record) -> int:
    """Store the pinyin of every member that has none yet (members of an older store): run
    by every change to the roster. Returns how many were filled."""
    filled = 0
    for member in record.members():
        if not isinstance(member.get("pinyin"), list):
            record.update_member(member["id"], {"pinyin": pinyin.syllables(member["name"])})
            filled += 1
    return filled


def listing(record: Record, today: date, *, all_: bool, side: str | None) -> list[dict[str, Any]]:
    """The members in id order: those on the roster `today` (or all), of one side or all."""
    return [
        m
        for m in sorted(record.members(), key=lambda m: m["id"])
        if (all_ or active(m, today)) and (side is None or m["side"] == side)
    ]


def names(record: Record) -> dict[int, str]:
    """Every member's name by id, for the tables that show who chairs, proposed, approved."""
    return {m["id"]: m["name"] for m in record.members()}


def lead_of(record: Record, side: str, day: date) -> dict[str, Any] | None:
    for member in record.members():
        if member["side"] == side and member.get("lead") and active(member, day):
            return member
    return None


def _check_lead_free(record: Record, side: str, day: date, except_id: int | None) -> None:
    current = lead_of(record, side, day)
    if current is not None and current["id"] != except_id:
        raise Refused("lead_taken", side=side, name=current["name"], id=current["id"])


def add(
    record: Record,
    *,
    name: str,
    side: str,
    lead: bool,
    voting: bool,
    org: str | None,
    phone: str | None,
    joined: date,
) -> Member:
    if not name.strip():
        raise BadInput("empty_name")
    if lead:
        _check_lead_free(record, side, joined, None)
    doc = documents.new_member(
        name, side, lead=lead, voting=voting, org=org, phone=phone, joined=joined
    )
    member_id = record.add_member(dict(doc))
    fill_pinyin(record)
    return documents.expect(record.member(member_id), "member", member_id)


def edit(record: Record, member: Mapping[str, Any], changes: dict[str, Any], today: date) -> Member:
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise BadInput("nothing_to_change")
    member = documents.expect(record.member(member["id"]), "member", member["id"])
    if "name" in changes and not str(changes["name"]).strip():
        raise BadInput("empty_name")
    if member.get("retired"):
        raise Refused("member_retired", name=member["name"], date=member["retired"])
    side = changes.get("side", member["side"])
    if changes.get("lead", member.get("lead")):
        _check_lead_free(record, side, today, member["id"])
    if "name" in changes:
        changes["pinyin"] = pinyin.syllables(str(changes["name"]))
    record.update_member(member["id"], changes)
    fill_pinyin(record)
    return documents.expect(record.member(member["id"]), "member", member["id"])


def retire(record: Record, member: Mapping[str, Any], day: date, reason: str | None) -> Member:
    member = documents.expect(record.member(member["id"]), "member", member["id"])
    if member.get("retired"):
        raise Refused("member_retired", name=member["name"], date=member["retired"])
    if day < date.fromisoformat(member["joined"]):
        raise BadInput("retire_before_join", date=day.isoformat(), joined=member["joined"])
    record.update_member(
        member["id"],
        {"retired": day.isoformat(), "retire_reason": reason or ""},
    )
    return documents.expect(record.member(member["id"]), "member", member["id"])
