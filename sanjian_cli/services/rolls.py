"""The roll of a meeting (应到, 实到, 请假, 缺席): as the roster and the sign-ins give it,
fixed when the meeting closes, and as it stood when a vote was taken (离席).

Who counts as what is decided by `domain.attendance`; this module gathers the facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import attendance, clock
from sanjian_cli.store import Record

if TYPE_CHECKING:
    pass


def held(record: Record) -> list[tuple[dict[str, Any], attendance.Roll]]:
    """The meetings held (closed; not planned or skipped) with their rolls, oldest first:
    what attendance figures are counted over."""
    members = record.members()  # once: the record hands out a copy on every call
    return [
        (m, roll(record, m, members=members))
        for m in record.meetings()
        if m.get("status") == "closed"
    ]


def vote_time(vote: Mapping[str, Any]) -> datetime | None:
    try:
        return clock.from_iso(vote["at"]) if vote.get("at") else None
    except (TypeError, ValueError):
        return None


def fixed_expected(meeting: Mapping[str, Any]) -> list[int] | None:
    """应到 of `meeting` as fixed at its close, or None (not closed, or closed by an older
    sanjian before the roster changed: then it is counted from the roster)."""
    filed = meeting.get("filed") or {}
    expected = filed.get("expected")
    return list(expected) if isinstance(expected, list) else None


def roll(
    record: Record,
    meeting: Mapping[str, Any],
    at: datetime | None = None,
    members: list[dict[str, Any]] | None = None,
) -> attendance.Roll:
    """The roll of `meeting`; with `at` (a vote's time), those who had left by then (离席)
    are not present. `members`: the roster, when the caller has read it already."""
    excused = {n["member"] for n in meeting.get("leaves", []) if n.get("excused")}
    marks = meeting.get("attendance", {})
    attended = [int(k) for k in marks]
    gone = []
    if at is not None:
        for key, mark in marks.items():
            if mark.get("left") and clock.from_iso(mark["left"]) <= at:
                gone.append(int(key))
    return attendance.roll(
        members if members is not None else record.members(),
        date.fromisoformat(meeting["date"]),
        attended,
        excused,
        fixed=fixed_expected(meeting),
        gone=gone,
    )


def vote_roll(record: Record, meeting: Mapping[str, Any], at: datetime) -> attendance.Roll:
    """The roll a vote taken at `at` is counted on."""
    return roll(record, meeting, at=at)


def pin_rolls(record: Record, since: str | None = None) -> None:
    """Fix 应到, from the roster as it is now, before a change of the roster could alter
    it (`since`: only meetings on or after that day can be affected), where it is already
    counted on: meetings an older sanjian closed without fixing it, and meetings under way
    whose votes have counted it (the close keeps what is fixed here)."""
    found = record.meetings_since(since) if since else record.meetings()
    for meeting in found:
        counted = meeting.get("status") == "closed" or bool(meeting.get("votes"))
        if not counted or fixed_expected(meeting) is not None:
            continue
        expected = roll(record, meeting).expected
        filed = {**(meeting.get("filed") or {}), "expected": expected}
        record.update_meeting(meeting["id"], {"filed": filed})
