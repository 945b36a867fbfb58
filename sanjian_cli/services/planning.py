"""Planning meetings on the weekly schedule: the next meeting, a plan or a move, a skipped
week, the topic-collection deadline of a meeting.

"Planning" here is always about a meeting on the calendar; fitting topics into a meeting's
time is `domain.agenda.fit`, and the weekly rule itself is `domain.schedule`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import agenda, clock, documents, schedule
from sanjian_cli.domain.documents import new_meeting
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import members
from sanjian_cli.services.amendments import record_amendment
from sanjian_cli.services.meetings import require_changeable, start_of
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Meeting, MeetingBody

# A meeting off the weekly day displaces the regular meeting at most three days away, so the
# schedule from a day on depends only on the meetings from a few days before it.
EXCEPTION_REACH = timedelta(days=7)


def schedule_of(
    config: Mapping[str, Any], record: Record | None = None, since: date | None = None
) -> schedule.Schedule:
    """The committee's weekly rule with the meetings on record as its exceptions: all of
    them, or (cheaper: no history read) those that can matter from `since` on."""
    if record is None:
        found: list[dict[str, Any]] = []
    elif since is None:
        found = record.meetings_since("", fields=("start", "status"))
    else:
        found = record.meetings_since(
            (since - EXCEPTION_REACH).isoformat(), fields=("start", "status")
        )
    held = {
        date.fromisoformat(m["date"]): schedule.Held(start_of(m), m.get("status", "planned"))
        for m in found
    }
    return schedule.Schedule(
        config["weekday"], clock.parse_time(config["time"]), clock.zone(config["timezone"]), held
    )


def next_day(config: Mapping[str, Any], now: datetime, record: Record | None = None) -> date:
    """The day of the next meeting to be held after `now`: skipped weeks, moves and meetings
    already held are taken into account when `record` is given."""
    return schedule_of(config, record, since=now.date()).next_day(now)


def topic_deadline(config: Mapping[str, Any], start: datetime) -> datetime:
    """The topic-collection deadline of a meeting starting at `start`, in the committee's
    zone (so the wall-clock arithmetic sees its daylight-saving rules, not a fixed offset)."""
    local = start.astimezone(clock.zone(config["timezone"]))
    return agenda.collection_deadline(local, config["topic-deadline"])


def collection_closed(
    record: Record, config: Mapping[str, Any], day: date, now: datetime
) -> tuple[bool, datetime]:
    """Whether topic collection for the meeting of `day` has closed at `now`, and when it
    closes: the agenda of an unattended run (`agenda build --if-due`) waits for it."""
    deadline = topic_deadline(config, schedule_of(config, record, since=day).start(day))
    return now >= deadline, deadline


def draft(
    record: Record, config: Mapping[str, Any], day: date, start: datetime, now: datetime
) -> MeetingBody:
    """The meeting of `day` as planning it now would make it: the committee's usual place
    and length, chaired by the 政工 lead of that day, with the recorder and the online link
    of the meeting before it (the committee's link when that one had none), nothing
    recorded yet. So a meeting cron plans keeps the arrangements the secretary made."""
    chair = members.lead_of(record, "cadre", day)
    last = record.latest_meeting_before(day.isoformat(), fields=("recorder", "online"))
    recorder = None
    if last is not None and last.get("recorder") is not None:
        person = record.member(last["recorder"])
        if person is not None and members.active(person, day):
            recorder = person["id"]
    online = (last or {}).get("online") or config["online"]
    meeting = new_meeting(
        day,
        start=start,
        duration=config["duration"],
        place=config["place"],
        online=online,
        chair=chair["id"] if chair else None,
        created_at=now,
    )
    meeting["recorder"] = recorder
    return meeting


def _reread(record: Record, day: date) -> Meeting:
    return documents.expect(record.meeting(day.isoformat()), "meeting", day)


def plan(
    record: Record,
    config: Mapping[str, Any],
    now: datetime,
    *,
    day: date | None,
    at: str | None = None,
    chair: Mapping[str, Any] | None = None,
    recorder: Mapping[str, Any] | None = None,
    place: str | None = None,
    online: str | None = None,
    duration: int | None = None,
) -> tuple[Meeting, bool]:
    """Plan the meeting on `day` (default: the next one on the schedule), or update the
    details of a planned one. Returns the meeting and whether it was new."""
    tz = clock.zone(config["timezone"])
    if day is None:
        day = next_day(config, now, record)
    existing = record.meeting(day.isoformat())
    amending = existing is not None and require_changeable(existing, record.amendment)
    if existing is not None:
        if existing.get("status") == "skipped":
            # Planning a skipped day by name brings its meeting back.
            record.update_meeting(existing["id"], {"status": "planned", "skip_reason": None})
    for person in (chair, recorder):
        if person is not None:
            members.require_active(person, day)
    if chair is not None and chair["side"] != "cadre" and config.get("chair-side") != "any":
        # DOMAIN.md: the 政工 side chairs, unless the committee's setting says any side may.
        raise Refused("chair_not_cadre", name=chair["name"], side=chair["side"])
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
        if amending:
            record_amendment(record, existing, now)
        return _reread(record, day), False
    start = clock.local(day, clock.parse_time(at or config["time"]), tz)
    record.add_meeting({**draft(record, config, day, start, now), **fields})
    return _reread(record, day), True


def never_held(meeting: Mapping[str, Any]) -> bool:
    """Whether `meeting` is still as planned: neither closed nor skipped."""
    return meeting.get("status", "planned") == "planned"


def left_open(record: Record, day: date, now: datetime) -> list[dict[str, Any]]:
    """Meetings before `day` that have started but were never closed (looking back eight
    weeks): their unvoted topics stay with them, so the next agenda cannot carry them over
    until they are closed. An archive whose listing names no meeting still as planned from
    then on is not opened (in January the look back reaches last year's)."""
    since = (day - timedelta(weeks=8)).isoformat()

    def read(year: int) -> bool:
        noted = record.shelf.notes(year).get("planned")
        return not isinstance(noted, list) or any(str(d) >= since for d in noted)

    found = [
        m["date"]
        for m in record.meetings_since(since, fields=("start", "status"), read=read)
        if m["date"] < day.isoformat() and never_held(m) and start_of(m) < now
    ]
    return [m for m in (record.meeting(d) for d in found) if m is not None]


def skip(
    record: Record, config: Mapping[str, Any], day: date, reason: str, now: datetime
) -> Meeting:
    """Mark the meeting of `day` as not held (a skipped week), with the reason.

    A planned meeting may be skipped as long as nothing has been recorded at it yet; its
    agenda topics go back to the queue. A day without a meeting must be a regular meeting day.
    """
    if not reason.strip():
        raise BadInput("empty_reason")
    existing = record.meeting(day.isoformat())
    if existing is not None:
        require_changeable(existing, None)  # a meeting held is never skipped, amended or not
        if existing.get("status") == "skipped":
            raise Refused("meeting_already_skipped", date=day.isoformat())
        if any(existing.get(k) for k in documents.RECORDED):
            raise Refused("meeting_has_records", date=day.isoformat())
        for topic in record.open_topics():
            if topic["status"] == "scheduled" and topic.get("meeting") == day.isoformat():
                record.update_topic(topic["id"], {"status": "accepted", "meeting": None})
        fields = {"status": "skipped", "skip_reason": reason, "agenda": None}
        record.update_meeting(existing["id"], fields)
        return _reread(record, day)
    if not schedule.is_regular(day, config["weekday"]):
        raise Refused("not_a_meeting_day", date=day.isoformat(), weekday=config["weekday"])
    meeting, _new = plan(record, config, now, day=day)
    record.update_meeting(meeting["id"], {"status": "skipped", "skip_reason": reason})
    return _reread(record, day)
