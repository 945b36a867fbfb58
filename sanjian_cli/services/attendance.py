"""Leave (请假), sign-in (签到) and guests (列席) at a meeting, their corrections, and the
roll of a held meeting.

Who counts as 应到, 实到, 请假 and 缺席 is decided by `domain.attendance`; this module
records the facts it counts. A closed meeting's 应到 was fixed at its close
(`meeting["filed"]["expected"]`), so the roll of a held meeting never follows a later
change of the roster.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import attendance, clock, documents
from sanjian_cli.domain.corrections import change, leave_value, mark_value
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import members, rolls
from sanjian_cli.services.amendments import correct, log_correction, record_amendment
from sanjian_cli.services.meetings import current, require_open, require_started, start_of
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Guest, Leave


def _require_on_roster(member: Mapping[str, Any], meeting: Mapping[str, Any]) -> None:
    members.require_active(member, date.fromisoformat(meeting["date"]))


def leave_deadline(config: Mapping[str, Any], meeting: Mapping[str, Any]) -> datetime:
    """The last moment a leave notice for `meeting` excuses (setting leave-deadline), on
    the committee's wall clock: the notice, the count and the message all use this."""
    return attendance.leave_deadline(
        start_of(meeting), config["leave-deadline"], clock.zone(config["timezone"])
    )


def file_leave(
    record: Record,
    config: Mapping[str, Any],
    meeting: Mapping[str, Any],
    member: Mapping[str, Any],
    reason: str,
    now: datetime,
    filed_at: datetime | None = None,
) -> Leave:
    """File a leave notice given at `filed_at` (default now: when it is typed in); it
    excuses only if given before the deadline. The notice keeps both times, so the
    minutes can say 补登 of one entered after the start. A member signed in at the meeting
    needs no leave, and a member has one leave notice per meeting."""
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    _require_on_roster(member, meeting)
    if not reason.strip():
        raise BadInput("empty_reason")
    given = filed_at or now
    if given > now:
        raise BadInput("filed_in_future", at=given.strftime("%Y-%m-%d %H:%M"),
                       now=now.strftime("%Y-%m-%d %H:%M"))  # fmt: skip
    if str(member["id"]) in meeting.get("attendance", {}):
        raise Refused("leave_but_signed_in", name=member["name"], date=meeting["date"])
    for notice in meeting.get("leaves", []):
        if notice.get("member") == member["id"]:
            raise Refused("leave_twice", name=member["name"], date=meeting["date"],
                          member=member["id"])  # fmt: skip
    excused = given < leave_deadline(config, meeting)
    notice = documents.new_leave(member["id"], reason, given, excused, entered_at=now)
    record.update_meeting(meeting["id"], {"leaves": [*meeting.get("leaves", []), notice]})
    if amending:
        record_amendment(record, meeting, now)
    return notice


def remove_leave(
    record: Record,
    meeting: Mapping[str, Any],
    member: Mapping[str, Any],
    now: datetime,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """Take back a leave notice entered by mistake (the log keeps it, with the reason)."""
    meeting = current(record, meeting)
    require_open(meeting, record.amendment)
    leaves = meeting.get("leaves", [])
    kept = [n for n in leaves if n.get("member") != member["id"]]
    if len(kept) == len(leaves):
        raise NotFound("no_such_leave", name=member["name"], date=meeting["date"])
    record.update_meeting(meeting["id"], {"leaves": kept})
    changes = [change("leave", member["id"], leave_value(n), None)
               for n in leaves if n.get("member") == member["id"]]  # fmt: skip
    correct(record, meeting, now, changes, reason)
    return changes


def sign_in(
    record: Record,
    meeting: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    *,
    late: bool,
    online: bool,
    now: datetime,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """Sign members in; for one already signed in, the marks given replace theirs (迟到 ->
    准时, 线上 ...), and the change is returned and logged, never made silently. Returns
    the corrections made (from -> to), one per member whose sign-in changed."""
    meeting = current(record, meeting)
    amending = require_open(meeting, record.amendment)
    require_started(meeting, now)
    for member in members:
        _require_on_roster(member, meeting)
    present = dict(meeting.get("attendance", {}))
    corrected: list[dict[str, Any]] = []
    for member in members:
        key = str(member["id"])
        old = present.get(key)
        if old is None:
            present[key] = documents.new_mark(now, late=late, online=online)
            continue
        left = clock.from_iso(str(old["left"])) if old.get("left") else None
        mark = documents.new_mark(clock.from_iso(old["at"]), late=late, online=online, left=left)
        if mark_value(mark) != mark_value(old):
            present[key] = mark
            corrected.append(change("attendance", member["id"], mark_value(old), mark_value(mark)))
    if present == meeting.get("attendance", {}):
        return corrected
    record.update_meeting(meeting["id"], {"attendance": present})
    if corrected:
        log_correction(record, corrected, reason)
    if amending:
        record_amendment(record, meeting, now)
    return corrected


def mark_left(
    record: Record,
    meeting: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    left: datetime,
    now: datetime,
    reason: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Record that members signed in left before the end (离席) at `left`: votes taken
    after that do not count them present (those already recorded are counted again,
    `votes.recount`). One not signed in is signed in as well."""
    meeting = current(record, meeting)
    require_open(meeting, record.amendment)
    require_started(meeting, now)
    start = start_of(meeting)
    if left <= start:
        raise BadInput("left_before_start", left=left.strftime("%H:%M"),
                       start=start.strftime("%H:%M"))  # fmt: skip
    present = dict(meeting.get("attendance", {}))
    changes = []
    for member in members:
        _require_on_roster(member, meeting)
        old = present.get(str(member["id"]))
        at = clock.from_iso(old["at"]) if old else start
        mark = documents.new_mark(at, late=bool(old and old.get("late")),
                                  online=bool(old and old.get("online")), left=left)  # fmt: skip
        if old is not None and mark_value(old) == mark_value(mark):
            continue
        present[str(member["id"])] = mark
        changes.append(change("attendance", member["id"], mark_value(old), mark_value(mark)))
    if changes:
        record.update_meeting(meeting["id"], {"attendance": present})
        if config is not None:
            from sanjian_cli.services import votes

            votes.recount(record, config, meeting, now, reason)
        correct(record, meeting, now, changes, reason)
    return changes


def remove_sign_in(
    record: Record,
    meeting: Mapping[str, Any],
    members: Sequence[Mapping[str, Any]],
    now: datetime,
    reason: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Take back sign-ins entered by mistake. Refused while a vote of the meeting names
    the member or would count more votes than members left present: correct the vote
    first (`vote --correct`). The votes that counted them present are counted again
    (`votes.recount`: every rule checked again)."""
    meeting = current(record, meeting)
    require_open(meeting, record.amendment)
    present = dict(meeting.get("attendance", {}))
    changes = []
    for member in members:
        old = present.pop(str(member["id"]), None)
        if old is None:
            raise NotFound("not_signed_in", name=member["name"], date=meeting["date"])
        changes.append(change("attendance", member["id"], mark_value(old), None))
        for topic, vote in (meeting.get("votes") or {}).items():
            if member["id"] in [*vote.get("yes_by", []), *vote.get("no_by", []),
                                *vote.get("abstain_by", [])]:  # fmt: skip
                raise Refused("sign_in_in_vote", name=member["name"], topic=topic,
                              date=meeting["date"])  # fmt: skip
    after = {**meeting, "attendance": present}
    for topic, vote in (meeting.get("votes") or {}).items():
        cast = int(vote.get("yes", 0)) + int(vote.get("no", 0)) + int(vote.get("abstain", 0))
        here = len(rolls.roll(record, after, at=rolls.vote_time(vote)).present)
        if cast > here:
            raise Refused("sign_in_needed_by_vote", topic=topic, cast=cast, present=here,
                          date=meeting["date"])  # fmt: skip
    record.update_meeting(meeting["id"], {"attendance": present})
    if config is not None:
        from sanjian_cli.services import votes

        votes.recount(record, config, meeting, now, reason)
    correct(record, meeting, now, changes, reason)
    return changes


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


def remove_guest(
    record: Record, meeting: Mapping[str, Any], name: str, now: datetime, reason: str | None = None
) -> dict[str, Any]:
    """Take back a guest (列席) entered by mistake: the first of that name."""
    meeting = current(record, meeting)
    require_open(meeting, record.amendment)
    guests = list(meeting.get("guests", []))
    found = next((g for g in guests if g.get("name") == name.strip()), None)
    if found is None:
        raise NotFound("no_such_guest", name=name, date=meeting["date"])
    guests.remove(found)
    record.update_meeting(meeting["id"], {"guests": guests})
    gone = change("guest", found["name"], {"name": found["name"], "org": found.get("org") or ""},
                  None)  # fmt: skip
    correct(record, meeting, now, [gone], reason)
    return gone
