"""The roster: members of the three sides, their leads, voting and non-voting members."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import attendance, documents, pinyin
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import rolls
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Member


def active(member: Mapping[str, Any], day: date) -> bool:
    return attendance.on_roster(member, day)


def require_active(member: Mapping[str, Any], day: date) -> None:
    """Refuse a member who is not on the roster on `day`, saying why: they join later
    (and when), or they have left (and when)."""
    joined = member.get("joined")
    if joined and date.fromisoformat(joined) > day:
        raise Refused("member_not_joined", name=member["name"], date=joined, day=day.isoformat())
    if not active(member, day):
        raise Refused("member_retired", name=member["name"], date=member.get("retired") or "")


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
    """Every member's name by id, for the tables that show who chairs, proposed, approved;
    a name two members share (`member add --same-name`) with the id that tells them apart."""
    roster = record.members()
    seen: dict[str, int] = {}
    for m in roster:
        seen[m["name"]] = seen.get(m["name"], 0) + 1
    return {
        m["id"]: m["name"] if seen[m["name"]] == 1 else f"{m['name']}#{m['id']}" for m in roster
    }


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
    same_name: bool = False,
    today: date | None = None,
    pin: bool = True,
) -> Member:
    """Add a member. A name already on the roster is refused unless `same_name` (a second
    person of that name: lists then show what tells them apart). `pin=False`: the caller
    has fixed the rolls of held meetings already and fills in the pinyin of older members
    itself (an import of many rows does both once)."""
    if not name.strip():
        raise BadInput("empty_name")
    if not same_name:
        for other in record.members():
            if other["name"] == name and not other.get("retired"):
                raise Refused("member_name_taken", name=name, id=other["id"],
                              side=other["side"])  # fmt: skip
    if lead:
        _check_lead_free(record, side, joined, None)
    if pin:
        rolls.pin_rolls(record, since=joined.isoformat())
    doc = documents.new_member(
        name, side, lead=lead, voting=voting, org=org, phone=phone, joined=joined
    )
    member_id = record.add_member(dict(doc))
    if pin:
        fill_pinyin(record)
    return documents.expect(record.member(member_id), "member", member_id)


def edit(
    record: Record,
    member: Mapping[str, Any],
    changes: dict[str, Any],
    today: date,
    pin: bool = True,
) -> Member:
    """Change a member's fields. `pin=False`: as for `add`."""
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
    if pin and "voting" in changes and bool(changes["voting"]) != bool(member.get("voting", True)):
        rolls.pin_rolls(record)  # 应到 of the meetings held so far stays as it was
    if "name" in changes:
        changes["pinyin"] = pinyin.syllables(str(changes["name"]))
    record.update_member(member["id"], changes)
    if pin:
        fill_pinyin(record)
    return documents.expect(record.member(member["id"]), "member", member["id"])


def retire(record: Record, member: Mapping[str, Any], day: date, reason: str | None) -> Member:
    member = documents.expect(record.member(member["id"]), "member", member["id"])
    if member.get("retired"):
        raise Refused("member_retired", name=member["name"], date=member["retired"])
    if day < date.fromisoformat(member["joined"]):
        raise BadInput("retire_before_join", date=day.isoformat(), joined=member["joined"])
    _require_nothing_after(record, member, day)
    rolls.pin_rolls(record, since=day.isoformat())
    record.update_member(
        member["id"],
        {"retired": day.isoformat(), "retire_reason": reason or ""},
    )
    return documents.expect(record.member(member["id"]), "member", member["id"])


def _require_nothing_after(record: Record, member: Mapping[str, Any], day: date) -> None:
    """A member leaving the roster on `day` must not be signed in, on leave or named in a
    vote or a dissent at a meeting after it that is not closed (a closed meeting keeps its
    roll as it was)."""
    for meeting in record.meetings_since((day + timedelta(days=1)).isoformat()):
        if meeting.get("status") == "closed":
            continue
        if references(meeting, member["id"], roll_only=True):
            raise Refused("retire_with_records", name=member["name"], date=day.isoformat(),
                          meeting=meeting["date"])  # fmt: skip


def references(meeting: Mapping[str, Any], member_id: int, roll_only: bool = False) -> bool:
    """Whether `meeting` records anything of member `member_id` (with `roll_only`, only
    what the roll and the votes count: sign-in, leave, votes, dissent)."""
    if str(member_id) in (meeting.get("attendance") or {}):
        return True
    if any(n.get("member") == member_id for n in meeting.get("leaves") or []):
        return True
    for vote in (meeting.get("votes") or {}).values():
        if member_id in [*vote.get("yes_by", []), *vote.get("no_by", []),
                         *vote.get("abstain_by", [])]:  # fmt: skip
            return True
    if any(d.get("member") == member_id for d in meeting.get("dissents") or []):
        return True
    if roll_only:
        return False
    if member_id in (meeting.get("chair"), meeting.get("recorder")):
        return True
    if member_id in ((meeting.get("filed") or {}).get("expected") or []):
        return True
    return any(a.get("by") == member_id for a in meeting.get("amendments") or [])


def remove(record: Record, member: Mapping[str, Any], reason: str | None = None) -> Member:
    """Remove a member added by mistake: only one the record refers to nowhere (no topic,
    approval, meeting, roll or decision item); anyone else is retired instead (`member
    retire`), so what they did stays on the record. The log keeps the member removed."""
    found: Member = documents.expect(record.member(member["id"]), "member", member["id"])
    mid = found["id"]
    for topic in record.topics():
        rejection = topic.get("rejection") or {}
        if (
            topic.get("by") == mid
            or mid in topic.get("approvals", [])
            or rejection.get("by") == mid
        ):
            raise Refused("member_referenced", name=found["name"], id=mid,
                          where=f"#{topic['id']}")  # fmt: skip
    for meeting in record.meetings():
        if references(meeting, mid) or meeting.get("approved_by") == mid:
            raise Refused("member_referenced", name=found["name"], id=mid,
                          where=meeting["date"])  # fmt: skip
    for item in record.decisions():
        if item.get("owner") == mid:
            raise Refused("member_referenced", name=found["name"], id=mid,
                          where=f"#{item['id']}")  # fmt: skip
    record.remove_member(mid)
    record.log_note(corrections=[{"kind": "member", "subject": mid,
                                  "from": documents.member_json(found), "to": None}])  # fmt: skip
    if reason:
        record.log_note(reason=reason)
    return found


def correct_retired(record: Record, member: Mapping[str, Any], day: date) -> Member:
    """Correct the last day on the roster of a member who has left (`member edit
    --retired`): held meetings keep their rolls; open ones after the day must not count
    on the member."""
    member = documents.expect(record.member(member["id"]), "member", member["id"])
    if not member.get("retired"):
        raise Refused("member_not_retired", name=member["name"], id=member["id"])
    if member.get("joined") and day < date.fromisoformat(member["joined"]):
        raise BadInput("retire_before_join", date=day.isoformat(), joined=member["joined"])
    _require_nothing_after(record, member, day)
    rolls.pin_rolls(record, since=min(day.isoformat(), member["retired"]))
    record.update_member(member["id"], {"retired": day.isoformat()})
    record.log_note(corrections=[{"kind": "member", "subject": member["id"],
                                  "from": {"retired": member["retired"]},
                                  "to": {"retired": day.isoformat()}}])  # fmt: skip
    return documents.expect(record.member(member["id"]), "member", member["id"])
