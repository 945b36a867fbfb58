"""The roster: members of the three sides, their leads, voting and non-voting members."""

from __future__ import annotations

from datetime import date
from typing import Any

from sanjian_cli.domain import attendance, pinyin
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.store import Record


def active(member: dict[str, Any], day: date) -> bool:
    return attendance.on_roster(member, day)


def resolve(record: Record, ref: str) -> dict[str, Any]:
    """The member named by `ref`: an id (`7` or `#7`), an exact, unambiguous name, or the
    full pinyin or pinyin initials (`zhangjianguo`, `zjg`) of exactly one current member."""
    text = ref.strip()
    digits = text[1:] if text.startswith("#") else text
    if digits.isdigit():
        member = record.member(int(digits))
        if member is None:
            raise NotFound("unknown_member", ref=ref)
        return member
    matches = [m for m in record.members() if m["name"] == text]
    if len(matches) > 1:
        current = [m for m in matches if not m.get("retired")]
        if len(current) == 1:
            return current[0]
        raise Refused("ambiguous_member", ref=ref, candidates=candidates(matches))
    if not matches and pinyin.is_pinyin(text):
        typed = text.lower()
        matches = [m for m in record.members() if not m.get("retired") and typed in pinyin_keys(m)]
        if len(matches) > 1:
            raise Refused("ambiguous_pinyin", ref=ref, candidates=candidates(matches))
    if not matches:
        raise NotFound("unknown_member", ref=ref)
    return matches[0]


def candidates(found: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """Members a refusal lists (id, name, side); the message shows the side in its language."""
    return [(m["id"], m["name"], m["side"]) for m in sorted(found, key=lambda m: m["id"])]


def pinyin_keys(member: dict[str, Any]) -> tuple[str, str]:
    """(full pinyin, initials) of a member: stored when the member was added or edited,
    worked out now for a member of an older store."""
    stored = member.get("pinyin")
    if not isinstance(stored, list):
        stored = pinyin.syllables(member["name"])
    return pinyin.keys(stored)


def fill_pinyin(record: Record) -> int:
    """Store the pinyin of every member that has none yet (members of an older store);
    returns how many were filled."""
    filled = 0
    for member in record.members():
        if not isinstance(member.get("pinyin"), list):
            record.update_member(member["id"], {"pinyin": pinyin.syllables(member["name"])})
            filled += 1
    return filled


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
) -> dict[str, Any]:
    if not name.strip():
        raise BadInput("empty_name")
    if lead:
        _check_lead_free(record, side, joined, None)
    member_id = record.add_member(
        {
            "name": name,
            "side": side,
            "lead": lead,
            "voting": voting,
            "org": org or "",
            "phone": phone or "",
            "joined": joined.isoformat(),
            "retired": None,
            "retire_reason": "",
            "pinyin": pinyin.syllables(name),
        }
    )
    fill_pinyin(record)
    return record.member(member_id) or {}


def edit(
    record: Record, member: dict[str, Any], changes: dict[str, Any], today: date
) -> dict[str, Any]:
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise BadInput("nothing_to_change")
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
    return record.member(member["id"]) or {}


def retire(record: Record, member: dict[str, Any], day: date, reason: str | None) -> dict[str, Any]:
    if member.get("retired"):
        raise Refused("member_retired", name=member["name"], date=member["retired"])
    if day < date.fromisoformat(member["joined"]):
        raise BadInput("retire_before_join", date=day.isoformat(), joined=member["joined"])
    record.update_member(
        member["id"],
        {"retired": day.isoformat(), "retire_reason": reason or ""},
    )
    return record.member(member["id"]) or {}
