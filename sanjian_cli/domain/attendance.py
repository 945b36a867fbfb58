"""Who counts as 应到, 实到, 请假 and 缺席 at a meeting, and whether a leave notice is in time.

应到 is the voting members on the roster that day; members on leave stay in 应到. 实到 is
those who came, late and online included. 请假 is those excused by a leave notice filed before
the deadline who did not come; 缺席 is everyone else expected who did not come, including
those whose notice came late. A held meeting's 应到 is fixed when it closes: a later change
of the roster (a member added with an earlier joining day, a retirement back-dated) never
alters it. A member who left early (离席) was 实到, but a vote taken after they left does
not count them present.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any


def leave_deadline(start: datetime, minutes_before: int, tz: tzinfo | None = None) -> datetime:
    """The last moment a leave notice excuses: `minutes_before` the start on the local wall
    clock of `tz` (the committee's zone; default the offset of `start`), as the topic
    deadline is counted. With 1440 minutes before Sunday 10:00 it is Saturday 10:00 on the
    clock, whether or not the clocks change in between: the notice announces it, the count
    uses it and the message names it, one definition for all three."""
    local = start.astimezone(tz) if tz is not None else start
    wall = local.replace(tzinfo=None) - timedelta(minutes=minutes_before)
    return wall.replace(tzinfo=local.tzinfo)


def leave_in_time(
    filed_at: datetime, start: datetime, minutes_before: int = 0, tz: tzinfo | None = None
) -> bool:
    """A notice excuses only when filed strictly before the deadline (the start, by default)."""
    return filed_at < leave_deadline(start, minutes_before, tz)


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
        # Signed in but gone (离席) by the moment the roll is taken for (a vote): not present.
        self.left: list[int] = []

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
    fixed: Iterable[int] | None = None,
    gone: Iterable[int] = (),
) -> Roll:
    """Classify every expected member of the meeting on `day`.

    `attended` holds the ids signed in; `excused_leave` the ids whose notice was in time.
    Someone who filed leave and came anyway counts as present. `fixed` is 应到 as fixed
    when the meeting closed (the roster of today is not asked then); `gone` the ids of
    those signed in who had left (离席) by the moment the roll is for.
    """
    members = list(members)
    came = set(attended)
    excused = set(excused_leave)
    away = set(gone)
    result = Roll()
    ids = sorted(set(fixed)) if fixed is not None else [m["id"] for m in expected(members, day)]
    for mid in ids:
        result.expected.append(mid)
        if mid in came and mid in away:
            result.left.append(mid)
        elif mid in came:
            result.present.append(mid)
        elif mid in excused:
            result.excused.append(mid)
        else:
            result.absent.append(mid)
    expected_ids = set(result.expected)
    result.non_voting_present = sorted(mid for mid in came if mid not in expected_ids)
    return result
