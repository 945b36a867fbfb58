"""The sign-in sheet (签到表) for the door, as plain data: who is expected, by side."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sanjian_cli.domain import attendance
from sanjian_cli.store import Record


def signin_sheet(
    record: Record, committee: Mapping[str, Any], meeting: Mapping[str, Any], guest_rows: int
) -> dict[str, Any]:
    """Who is expected at `meeting` (attendance.expected, by side), the non-voting members on
    the roster that day, and how many blank rows to leave for guests."""
    from sanjian_cli.domain.vocab import SIDES

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
