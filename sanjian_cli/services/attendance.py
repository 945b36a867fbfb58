"""Leave (请假), sign-in (签到) and guests (列席) at a meeting, and the roll of a held meeting.

Who counts as 应到, 实到, 请假 and 缺席 is decided by `domain.attendance`; this module
records the facts it counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sanjian_cli.domain import attendance, clock
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import members
from sanjian_cli.services.meetings import (
    require_open,
    start_of,
)
from sanjian_cli.store import Record


def _require_on_roster(member: dict[str, Any], meeting: dict[str, Any]) -> None:
    if not members.active(member, date.fromisoformat(meeting["date"])):
        raise Refused("member_retired", name=member["name"], date=member.get("retired") or "")


def file_leave(
    record: Record,
    config: dict[str, Any],
    meeting: dict[str, Any],
    member: dict[str, Any],
    reason: str,
    now: datetime,
) -> dict[str, Any]:
    """File a leave notice at `now`; it excuses only if filed before the deadline."""
    require_open(meeting, record)
    _require_on_roster(member, meeting)
    if not reason.strip():
        raise BadInput("empty_reason")
    excused = attendance.leave_in_time(now, start_of(meeting), config["leave-deadline"])
    notice = {
        "member": member["id"],
        "reason": reason,
        "filed_at": clock.iso(now),
        "excused": excused,
    }
    record.update_meeting(meeting["id"], {"leaves": [*meeting.get("leaves", []), notice]})
    return notice


def sign_in(
    record: Record,
    meeting: dict[str, Any],
    members: list[dict[str, Any]],
    *,
    late: bool,
    online: bool,
    now: datetime,
) -> None:
    require_open(meeting, record)
    for member in members:
        _require_on_roster(member, meeting)
    present = dict(meeting.get("attendance", {}))
    for member in members:
        present[str(member["id"])] = {"at": clock.iso(now), "late": late, "online": online}
    record.update_meeting(meeting["id"], {"attendance": present})


def add_guest(
    record: Record, meeting: dict[str, Any], name: str, org: str | None
) -> dict[str, Any]:
    require_open(meeting, record)
    if not name.strip():
        raise BadInput("empty_name")
    guest = {"name": name, "org": org or ""}
    record.update_meeting(meeting["id"], {"guests": [*meeting.get("guests", []), guest]})
    return guest


def held(record: Record) -> list[tuple[dict[str, Any], attendance.Roll]]:
    """The meetings held (closed; not planned or skipped) with their rolls, oldest first:
    what attendance figures are counted over."""
    members = record.members()  # once: the record hands out a copy on every call
    return [(m, roll(record, m, members)) for m in record.meetings() if m.get("status") == "closed"]


def roll(
    record: Record, meeting: dict[str, Any], members: list[dict[str, Any]] | None = None
) -> attendance.Roll:
    excused = {n["member"] for n in meeting.get("leaves", []) if n.get("excused")}
    attended = [int(k) for k in meeting.get("attendance", {})]
    roster = members if members is not None else record.members()
    return attendance.roll(roster, date.fromisoformat(meeting["date"]), attended, excused)
