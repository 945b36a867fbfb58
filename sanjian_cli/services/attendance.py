"""Leave (请假), sign-in (签到) and guests (列席) at a meeting, and the roll of a held meeting.

Who counts as 应到, 实到, 请假 and 缺席 is decided by `domain.attendance`; this module
records the facts it counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import attendance, documents
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import members
from sanjian_cli.services.meetings import (
    current,
    record_amendment,
    require_open,
    start_of,
)
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Guest, Leave


def _require_on_roster(member: Mapping[str, Any], meeting: Mapping[str, Any]) -> None:
    if not members.active(member, date.fromisoformat(meeting["date"])):
        raise Refused("member_retired", name=member["name"], date=member.get("retired") or "")


def leave_deadline(config: Mapping[str, Any], meeting: Mapping[str, Any]) -> datetime:
    """The last moment a leave notice for `meeting` excuses (setting leave-deadline)."""
    return attendance.leave_deadline(start_of(meeting), config["leave-deadline"])


def file_leave(
    record: Record,
    config: Mapping[str, Any],
    meeting: Mapping[str, Any],
    member: Mapping[str, Any],
    reason: str,
    now: datetime,
) -> Leave:
    """File a leave notice at `now`; it excuses only if filed before the deadline."""
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    _require_on_roster(member, meeting)
    if not reason.strip():
        raise BadInput("empty_reason")
    excused = attendance.leave_in_time(now, start_of(meeting), config["leave-deadline"])
    notice = documents.new_leave(member["id"], reason, now, excused)
    record.update_meeting(meeting["id"], {"leaves": [*meeting.get("leaves", []), notice]})
    if amending:
        record_amendment(record, meeting, now)
    return notice


def sign_in(
    record: Record,
    meeting: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    *,
    late: bool,
    online: bool,
    now: datetime,
) -> None:
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    for member in members:
        _require_on_roster(member, meeting)
    present = dict(meeting.get("attendance", {}))
    for member in members:
        present[str(member["id"])] = documents.new_mark(now, late=late, online=online)
    record.update_meeting(meeting["id"], {"attendance": present})
    if amending:
        record_amendment(record, meeting, now)


def add_guest(
    record: Record, meeting: Mapping[str, Any], name: str, org: str | None, now: datetime
) -> Guest:
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    if not name.strip():
        raise BadInput("empty_name")
    guest = documents.new_guest(name, org)
    record.update_meeting(meeting["id"], {"guests": [*meeting.get("guests", []), guest]})
    if amending:
        record_amendment(record, meeting, now)
    return guest


def held(record: Record) -> list[tuple[dict[str, Any], attendance.Roll]]:
    """The meetings held (closed; not planned or skipped) with their rolls, oldest first:
    what attendance figures are counted over."""
    return [(m, roll(record, m)) for m in record.meetings() if m.get("status") == "closed"]


def roll(record: Record, meeting: Mapping[str, Any]) -> attendance.Roll:
    excused = {n["member"] for n in meeting.get("leaves", []) if n.get("excused")}
    attended = [int(k) for k in meeting.get("attendance", {})]
    return attendance.roll(record.members(), date.fromisoformat(meeting["date"]), attended, excused)
