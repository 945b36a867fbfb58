"""Meetings: planning, attendance and leave, the agenda build, closing.

A meeting is named by its date (YYYY-MM-DD); the committee meets at most once a day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sanjian_cli import agenda, attendance, clock, roster, schedule
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.store import Record


def resolve(record: Record, day: str) -> dict[str, Any]:
    parsed = clock.parse_date(day)
    meeting = record.meeting(parsed.isoformat())
    if meeting is None:
        raise NotFound("unknown_meeting", date=parsed.isoformat())
    return meeting


def require_not_closed(meeting: dict[str, Any], record: Record | None = None) -> None:
    """Refuse changes to a closed meeting, or to one whose minutes are approved, unless the
    change is an amendment (`record.amendment`, from --amend --reason), which is then
    written into the meeting so the minutes show it."""
    approved = meeting.get("approved_at")
    if not approved and meeting.get("status") != "closed":
        return
    if record is None or not record.amendment:
        if approved:
            raise Refused("minutes_locked", date=meeting["date"], at=approved)
        raise Refused("meeting_closed", date=meeting["date"])
    if meeting["date"] in record.amended:
        return
    from sanjian_cli.store import whoami

    current = record.meeting(meeting["date"]) or meeting
    note = {"at": clock.iso(_now(record)), "user": whoami(), "reason": record.amendment}
    record.update_meeting(meeting["id"], {"amendments": [*current.get("amendments", []), note]})
    record.amended.add(meeting["date"])


def _now(record: Record) -> datetime:
    tz_name = record.committee().get("settings", {}).get("timezone") or "Asia/Shanghai"
    return clock.now(clock.zone(tz_name))


def approve_minutes(record: Record, meeting: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Approve the minutes of a closed meeting (usually at the next one); from then on the
    meeting changes only by amendment."""
    if meeting.get("approved_at"):
        raise Refused("minutes_already_approved", date=meeting["date"], at=meeting["approved_at"])
    if meeting.get("status") != "closed":
        raise Refused("meeting_not_closed", date=meeting["date"])
    from sanjian_cli.store import whoami

    record.update_meeting(meeting["id"], {"approved_at": clock.iso(now), "approved_by": whoami()})
    return record.meeting(meeting["date"]) or {}


def require_open(meeting: dict[str, Any], record: Record | None = None) -> None:
    """Neither closed (save by amendment) nor skipped: a meeting that is going to be held."""
    require_not_closed(meeting, record)
    if meeting.get("status") == "skipped":
        raise Refused("meeting_skipped", date=meeting["date"], reason=meeting.get("skip_reason"))


def start_of(meeting: dict[str, Any]) -> datetime:
    return clock.from_iso(meeting["start"])


# A meeting off the weekly day displaces the regular meeting at most three days away, so the
# schedule from a day on depends only on the meetings from a few days before it.
EXCEPTION_REACH = timedelta(days=7)


def schedule_of(
    config: dict[str, Any], record: Record | None = None, since: date | None = None
) -> schedule.Schedule:
    """The committee's weekly rule with the meetings on record as its exceptions: all of
    them, or (cheaper: no history read) those that can matter from `since` on."""
    if record is None:
        found: list[dict[str, Any]] = []
    elif since is None:
        found = record.meetings()
    else:
        found = record.meetings_since((since - EXCEPTION_REACH).isoformat())
    held = {
        date.fromisoformat(m["date"]): schedule.Held(start_of(m), m.get("status", "planned"))
        for m in found
    }
    return schedule.Schedule(
        config["weekday"], clock.parse_time(config["time"]), clock.zone(config["timezone"]), held
    )


def next_day(config: dict[str, Any], now: datetime, record: Record | None = None) -> date:
    """The day of the next meeting to be held after `now`: skipped weeks, moves and meetings
    already held are taken into account when `record` is given."""
    return schedule_of(config, record, since=now.date()).next_day(now)


def topic_deadline(config: dict[str, Any], start: datetime) -> datetime:
    """The topic-collection deadline of a meeting starting at `start`, in the committee's
    zone (so the wall-clock arithmetic sees its daylight-saving rules, not a fixed offset)."""
    local = start.astimezone(clock.zone(config["timezone"]))
    return agenda.collection_deadline(local, config["topic-deadline"])


def collection_closed(
    record: Record, config: dict[str, Any], day: date, now: datetime
) -> tuple[bool, datetime]:
    """Whether topic collection for the meeting of `day` has closed at `now`, and when it
    closes: the agenda of an unattended run (`agenda build --if-due`) waits for it."""
    deadline = topic_deadline(config, schedule_of(config, record, since=day).start(day))
    return now >= deadline, deadline


def new_meeting(
    day: date,
    *,
    start: datetime,
    duration: int,
    place: str,
    online: str,
    chair: int | None,
    created_at: datetime,
) -> dict[str, Any]:
    """A planned meeting as the store keeps it, with nothing recorded yet."""
    return {
        "date": day.isoformat(),
        "start": clock.iso(start),
        "duration": duration,
        "place": place,
        "online": online,
        "chair": chair,
        "recorder": None,
        "status": "planned",
        "end": None,
        "agenda": None,
        "attendance": {},
        "leaves": [],
        "guests": [],
        "votes": {},
        "notes": [],
        "dissents": [],
        "created_at": clock.iso(created_at),
    }


def plan(
    record: Record,
    config: dict[str, Any],
    now: datetime,
    *,
    day: date | None,
    at: str | None = None,
    chair: dict[str, Any] | None = None,
    recorder: dict[str, Any] | None = None,
    place: str | None = None,
    online: str | None = None,
    duration: int | None = None,
) -> tuple[dict[str, Any], bool]:
    """Plan the meeting on `day` (default: the next one on the schedule), or update the
    details of a planned one. Returns the meeting and whether it was new."""
    tz = clock.zone(config["timezone"])
    if day is None:
        day = next_day(config, now, record)
    existing = record.meeting(day.isoformat())
    if existing is not None:
        require_not_closed(existing, record)
        if existing.get("status") == "skipped":
            # Planning a skipped day by name brings its meeting back.
            record.update_meeting(existing["id"], {"status": "planned", "skip_reason": None})
    for person in (chair, recorder):
        if person is not None and not roster.active(person, day):
            raise Refused("member_retired", name=person["name"], date=person.get("retired"))
    fields: dict[str, Any] = {}
    if at is not None:
        fields["start"] = clock.iso(clock.local(day, clock.parse_time(at), tz))
    if chair is not None:
        fields["chair"] = chair["id"]
    if recorder is not None:
        fields["recorder"] = recorder["id"]
    if place is not None:
        fields["place"] = place
    if online is not None:
        fields["online"] = online
    if duration is not None:
        if not 15 <= duration <= 600:
            raise BadInput("bad_duration", value=duration)
        fields["duration"] = duration
    if existing is not None:
        if fields:
            record.update_meeting(existing["id"], fields)
        return record.meeting(day.isoformat()) or {}, False
    default_chair = roster.lead_of(record, "cadre", day)
    doc = new_meeting(
        day,
        start=clock.local(day, clock.parse_time(config["time"]), tz),
        duration=config["duration"],
        place=config["place"],
        online=config["online"],
        chair=default_chair["id"] if default_chair else None,
        created_at=now,
    )
    doc.update(fields)
    record.add_meeting(doc)
    return record.meeting(day.isoformat()) or {}, True


def left_open(record: Record, day: date, now: datetime) -> list[dict[str, Any]]:
    """Meetings before `day` that have started but were never closed (looking back eight
    weeks): their unvoted topics stay with them, so the next agenda cannot carry them over
    until they are closed."""
    since = (day - timedelta(weeks=8)).isoformat()
    return [
        m
        for m in record.meetings_since(since)
        if m["date"] < day.isoformat()
        and m.get("status", "planned") == "planned"
        and start_of(m) < now
    ]


def previous(record: Record, meeting: dict[str, Any]) -> dict[str, Any] | None:
    """The latest meeting before `meeting` that was not skipped."""
    return record.latest_meeting_before(meeting["date"], skip=("skipped",))


def skip(
    record: Record, config: dict[str, Any], day: date, reason: str, now: datetime
) -> dict[str, Any]:
    """Mark the meeting of `day` as not held (a skipped week), with the reason.

    A planned meeting may be skipped as long as nothing has been recorded at it yet; its
    agenda topics go back to the queue. A day without a meeting must be a regular meeting day.
    """
    if not reason.strip():
        raise BadInput("empty_reason")
    existing = record.meeting(day.isoformat())
    if existing is not None:
        require_not_closed(existing)
        if existing.get("status") == "skipped":
            raise Refused("meeting_already_skipped", date=day.isoformat())
        if any(existing.get(k) for k in ("attendance", "leaves", "votes", "notes", "dissents")):
            raise Refused("meeting_has_records", date=day.isoformat())
        for topic in record.open_topics():
            if topic["status"] == "scheduled" and topic.get("meeting") == day.isoformat():
                record.update_topic(topic["id"], {"status": "accepted", "meeting": None})
        fields = {"status": "skipped", "skip_reason": reason, "agenda": None}
        record.update_meeting(existing["id"], fields)
        return record.meeting(day.isoformat()) or {}
    if not schedule.is_regular(day, config["weekday"]):
        raise Refused("not_a_meeting_day", date=day.isoformat(), weekday=config["weekday"])
    meeting, _new = plan(record, config, now, day=day)
    record.update_meeting(meeting["id"], {"status": "skipped", "skip_reason": reason})
    return record.meeting(day.isoformat()) or {}


# -- leave and attendance ----------------------------------------------------------------
def _require_on_roster(member: dict[str, Any], meeting: dict[str, Any]) -> None:
    if not roster.active(member, date.fromisoformat(meeting["date"])):
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
    return [(m, roll(record, m)) for m in record.meetings() if m.get("status") == "closed"]


def roll(record: Record, meeting: dict[str, Any]) -> attendance.Roll:
    excused = {n["member"] for n in meeting.get("leaves", []) if n.get("excused")}
    attended = [int(k) for k in meeting.get("attendance", {})]
    return attendance.roll(record.members(), date.fromisoformat(meeting["date"]), attended, excused)


# -- the agenda ---------------------------------------------------------------------------
def open_decisions(record: Record, before: str) -> list[dict[str, Any]]:
    """Decision items still open that were taken at meetings before `before`."""
    return [d for d in record.open_decisions() if d["meeting"] < before]


def build_agenda(record: Record, config: dict[str, Any], meeting: dict[str, Any]) -> dict[str, Any]:
    """Choose the topics for `meeting` and mark them scheduled.

    Topics already voted on at this meeting stay where they are. The rest of the open
    queue (accepted topics, and those scheduled here by an earlier build) is planned again,
    so building twice on an unchanged record changes nothing.
    """
    require_open(meeting, record)
    day = meeting["date"]
    voted = [int(t) for t in meeting.get("votes", {})]
    old = meeting.get("agenda") or {}
    fixed = [t for t in old.get("topics", []) if t in voted]
    fixed_ids = set(fixed)
    candidates = [
        t
        for t in record.open_topics()
        if t["id"] not in fixed_ids
        and (t["status"] == "accepted" or (t["status"] == "scheduled" and t["meeting"] == day))
    ]
    opening = []
    if previous(record, meeting) is not None:
        opening.append("approve-minutes")
    followups = [d["id"] for d in open_decisions(record, day)]
    if followups:
        opening.append("follow-up")
    opening_minutes = config["opening-minutes"] * len(opening)
    fixed_minutes = sum(int((record.topic(t) or {}).get("minutes", 0)) for t in fixed)
    deadline = topic_deadline(config, start_of(meeting))
    result = agenda.plan(candidates, meeting["duration"] - fixed_minutes, opening_minutes, deadline)
    for topic in result.scheduled:
        if topic["status"] != "scheduled" or topic["meeting"] != day:
            record.update_topic(topic["id"], {"status": "scheduled", "meeting": day})
    for topic in [*result.waiting, *result.late]:
        if topic["status"] == "scheduled":
            record.update_topic(topic["id"], {"status": "accepted", "meeting": None})
    carried = {str(t["id"]): int(t.get("carried", 0)) for t in result.scheduled}
    carried.update({str(t): n for t, n in old.get("carried", {}).items() if int(t) in fixed_ids})
    new = {
        "opening": opening,
        "followups": followups,
        "topics": fixed + [t["id"] for t in result.scheduled],
        "carried": carried,
        "waiting": [t["id"] for t in result.waiting],
        "late": [t["id"] for t in result.late],
        "deadline": clock.iso(deadline),
        "minutes": result.used_minutes + fixed_minutes,
    }
    if new != old:
        record.update_meeting(meeting["id"], {"agenda": new})
    return new


def close(
    record: Record, meeting: dict[str, Any], end: str | None, now: datetime
) -> dict[str, Any]:
    """Close the meeting: topics on its agenda left without a vote are carried over."""
    require_open(meeting, record)
    start = start_of(meeting)
    if end is not None:
        finish = start.replace(hour=clock.parse_time(end).hour, minute=clock.parse_time(end).minute)
        if finish <= start:
            raise BadInput("end_before_start", end=end, start=start.strftime("%H:%M"))
    elif start < now < start + timedelta(hours=12):
        finish = now
    else:
        finish = start + timedelta(minutes=meeting["duration"])
    votes = meeting.get("votes", {})
    for topic_id in (meeting.get("agenda") or {}).get("topics", []):
        if str(topic_id) in votes:
            continue
        topic = record.topic(topic_id)
        if topic and topic["status"] == "scheduled":
            record.update_topic(
                topic_id,
                {
                    "status": "accepted",
                    "meeting": None,
                    "carried": int(topic.get("carried", 0)) + 1,
                    "history": [
                        *topic.get("history", []),
                        {"meeting": meeting["date"], "outcome": "carried"},
                    ],
                },
            )
    record.update_meeting(meeting["id"], {"status": "closed", "end": clock.iso(finish)})
    return record.meeting(meeting["date"]) or {}
