"""Who counts as 应到, 实到, 请假 and 缺席 at a meeting, and whether a leave notice is in time.

应到 is the voting members on the roster that day; members on leave stay in 应到. 实到 is
those who came, late and online included. 请假 is those excused by a leave notice filed before
the deadline who did not come; 缺席 is everyone else expected who did not come, including
those whose notice came late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any


def leave_deadline(start: datetime, minutes_before: int) -> datetime:
    return start - timedelta(minutes=minutes_before)


def leave_in_time(filed_at: datetime, start: datetime, minutes_before: int = 0) -> bool:
    """A notice excuses only when filed strictly before the deadline (the start, by default)."""
    return filed_at < leave_deadline(start, minutes_before)


def on_roster(member: Mapping[str, Any], day: date) -> bool:
    """A member is on the roster on `day` from the day they joined until the day they left."""
    joined = member.get("joined")
    retired = member.get("retired")
    if joined and date.fromisoformat(joined) > day:
        return False
    if retired and date.fromisoformat(retired) < day:
        return False
    return True


def expected(members: Iterable[Mapping[str, Any]], day: date) -> list[Mapping[str, Any]]:
    """应到: voting members on the roster on `day`, in id order."""
    chosen = [m for m in members if m.get("voting", True) and on_roster(m, day)]
    return sorted(chosen, key=lambda m: m["id"])


class Roll:
    """The attendance of one meeting, by member id (filled in by `roll`)."""

    # A plain class (its lists grow as the roll is taken): a dataclass would cost every
    # command that counts attendance the import and the build of one more class.
    def __init__(self) -> None:
        self.expected: list[int] = []
        self.present: list[int] = []
        self.excused: list[int] = []
        self.absent: list[int] = []
        self.non_voting_present: list[int] = []

    @property
    def counts(self) -> dict[str, int]:
        return {
            "expected": len(self.expected),
            "present": len(self.present),
            "leave": len(self.excused),
            "absent": len(self.absent),
        }


def roll(
    members: Iterable[Mapping[str, Any]],
    day: date,
    attended: Iterable[int],
    excused_leave: Iterable[int],
) -> Roll:
    """Classify every expected member of the meeting on `day`.

    `attended` holds the ids signed in; `excused_leave` the ids whose notice was in time.
    Someone who filed leave and came anyway counts as present.
    """
    members = list(members)
    came = set(attended)
    excused = set(excused_leave)
    result = Roll()
    for member in expected(members, day):
        mid = member["id"]
        result.expected.append(mid)
        if mid in came:
            result.present.append(mid)
        elif mid in excused:
            result.excused.append(mid)
        else:
            result.absent.append(mid)
    expected_ids = set(result.expected)
    result.non_voting_present = sorted(mid for mid in came if mid not in expected_ids)
    return result
