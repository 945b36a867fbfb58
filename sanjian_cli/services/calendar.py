"""The committee's meetings as calendar events (for `sanjian calendar`), as plain data.

One recurring event carries the weekly rule; the schedule's exceptions
(`domain.schedule`) map onto the iCalendar standard's own: a skipped week is an excluded
date of the weekly event; a planned meeting on a regular day, or a meeting moved to another
day, overrides the regular instance it stands for; an extra meeting is an event of its own.
UIDs derive from the committee's creation time, so they stay put across runs and renames.
`render.ical` turns this into the bytes of an .ics file.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sanjian_cli.domain import clock, schedule
from sanjian_cli.services import committee, papers, planning
from sanjian_cli.store import Record


def calendar(record: Record, now: datetime) -> dict[str, Any]:
    """The weekly event, the meetings on record as events, and how many of each kind went
    in (`counts`: skipped weeks, moved meetings, meetings planned or held)."""
    found = committee.require(record)
    config = committee.config(record)
    tz = clock.zone(config["timezone"])
    plan = planning.schedule_of(config, record)
    base = "sanjian-" + hashlib.sha1(found.get("created_at", "").encode()).hexdigest()[:12]
    docs = record.meetings()

    created = clock.from_iso(found["created_at"]).astimezone(tz).date()
    earliest = min([created, *(date.fromisoformat(m["date"]) for m in docs)])
    first = plan.regular_days(earliest, earliest + timedelta(days=6))[0]
    last = max(now.astimezone(tz).date(), *(date.fromisoformat(m["date"]) for m in docs), first)

    def regular_start(day: date) -> datetime:
        return datetime.combine(day, plan.at).replace(tzinfo=tz)

    weekly_uid = f"{base}-weekly@sanjian"
    cancelled = sorted(d for d in plan.cancelled() if d >= first)
    moved_to = {day: home for home, day in plan.moves().items() if home >= first}
    counts = {"skipped": len(cancelled), "moved": 0, "planned": 0}
    events = []
    for meeting in docs:
        if meeting.get("status") == "skipped":
            continue
        day = date.fromisoformat(meeting["date"])
        instance: datetime | None
        if day >= first and schedule.is_regular(day, config["weekday"]):
            uid, instance = weekly_uid, regular_start(day)
        elif day in moved_to:
            uid, instance = weekly_uid, regular_start(moved_to[day])
            counts["moved"] += 1
        else:
            uid, instance = f"{base}-{day.isoformat()}@sanjian", None
        built = meeting.get("agenda") is not None
        events.append(
            {
                "uid": uid,
                "start": clock.from_iso(meeting["start"]).astimezone(tz),
                "minutes": meeting["duration"],
                "recurrence_id": instance,
                "place": meeting.get("place") or None,
                "online": meeting.get("online") or None,
                "meeting": papers.meeting_head(record, found, meeting),
                "agenda": papers.agenda(record, found, meeting)["items"] if built else None,
            }
        )
        counts["planned"] += 1
    return {
        "name": found["name"],
        "timezone": config["timezone"],
        "tz": tz,
        # The span of the time zone's rules the file carries (phones need them to keep the
        # local time across daylight saving): a year before the first meeting, five after.
        "zone_from": first - timedelta(days=366),
        "zone_to": last + timedelta(days=5 * 366),
        "stamp": now.astimezone(timezone.utc),
        "weekly": {
            "uid": weekly_uid,
            "start": regular_start(first),
            "minutes": config["duration"],
            "byday": schedule.RRULE_BYDAY[first.weekday()],
            "place": config["place"] or None,
            "online": config["online"] or None,
            "exdates": [regular_start(d) for d in cancelled],
        },
        "events": events,
        "counts": counts,
    }
