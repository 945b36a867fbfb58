"""The roll of a meeting (应到, 实到, 请假, 缺席): as the roster and the sign-ins give it,
fixed when the meeting closes, and as it stood when a vote was taken (离席).

Who counts as what is decided by `domain.attendance`; this module gathers the facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sanjian_cli.domain import attendance, clock
from sanjian_cli.services import history
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from collections.abc import Sequence

T = TypeVar("T")


def held(record: Record) -> list[tuple[dict[str, Any], attendance.Roll]]:
    """The meetings held (closed; not planned or skipped) with their rolls, oldest first:
    what attendance figures are counted over."""
    return held_folded(record, lambda meeting, roll: (meeting, roll))


def held_folded(record: Record, fold: Callable[[dict[str, Any], attendance.Roll], T]) -> list[T]:
    """`fold(meeting, roll)` of every meeting held, in the order of `held` (by date, then
    id). The history is read a year at a time (`Record.by_year`) and only what `fold`
    returns is kept of a year: a report over ten years holds one archive, not ten."""
    members = record.members()  # once: the record hands out a copy on every call

    def year(meetings: list[dict[str, Any]]) -> list[tuple[int, tuple[str, int, T]]]:
        closed = [m for m in meetings if m.get("status") == "closed"]
        if not closed:
            return []
        roster = members
        if any(fixed_expected(m) is None for m in closed):  # else no roster is asked
            roster = _on_roster_within(members, min(m["date"] for m in closed),
                                       max(m["date"] for m in closed))  # fmt: skip
        return [(m["id"], (m["date"], m["id"], fold(m, roll(record, m, members=roster))))
                for m in closed]  # fmt: skip

    # A later copy of a meeting is the one counted (history.folded).
    found = history.folded(record, "meetings", year)
    return [entry for _day, _id, entry in sorted(found.values(), key=lambda f: f[:2])]


def _on_roster_within(
    members: Sequence[dict[str, Any]], first: str, last: str
) -> list[dict[str, Any]]:
    """The members who can be 应到 on some day from `first` to `last`: the voting members
    `attendance.expected` would look at, less those who joined after `last` or left before
    `first` (not on the roster on any of those days). Each meeting of a year then weighs
    the year's roster, not everyone who was ever a member."""
    start, end = date.fromisoformat(first[:10]), date.fromisoformat(last[:10])
    return [
        m for m in members
        if m.get("voting", True)
        and (attendance.on_roster(m, start) or attendance.on_roster(m, end)
             or (bool(m.get("joined")) and start <= date.fromisoformat(m["joined"]) <= end))
    ]  # fmt: skip


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


def unfixed(meeting: Mapping[str, Any]) -> bool:
    """Whether a change of the roster could alter 应到 of `meeting` where it is already
    counted on: closed by an older sanjian without fixing it, or under way with votes."""
    counted = meeting.get("status") == "closed" or bool(meeting.get("votes"))
    return counted and fixed_expected(meeting) is None


def pin_rolls(record: Record, since: str | None = None) -> None:
    """Fix 应到, from the roster as it is now, before a change of the roster could alter
    it (`since`: only meetings on or after that day can be affected), where it is already
    counted on (`unfixed`; the close keeps what is fixed here). An archive whose listing
    names no such meeting from `since` on is not opened."""
    day = since or ""

    def read(year: int) -> bool:
        noted = record.shelf.notes(year).get("unfixed")
        return not isinstance(noted, list) or any(str(d) >= day for d in noted)

    members = None
    for meeting in record.meetings_since(day, read=read, where=unfixed):
        if members is None:
            members = record.members()  # once, and only when a roll is to be fixed
        expected = roll(record, meeting, members=members).expected
        filed = {**(meeting.get("filed") or {}), "expected": expected}
        record.update_meeting(meeting["id"], {"filed": filed})
