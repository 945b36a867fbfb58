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
from sanjian_cli.services import committee, meetings, papers, planning
from sanjian_cli.store import Record

# What an event says of a meeting (its head, its agenda's titles): read a year at a time,
# without the rolls and minutes of ten years.
_FIELDS = ("start", "end", "duration", "place", "online", "status", "chair", "recorder",
           "agenda")  # fmt: skip


def _series_start(
    plan: schedule.Schedule,
    record: Record,
    docs: list[dict[str, Any]],
    config: dict[str, Any],
    now: datetime,
) -> date:
    """The first instance of the weekly event: the regular day of the first meeting on
    record (`docs`) that is planned or held (its home day, if it was moved), or while none
    is, the next one due. Never a week before the committee's first meeting, which phones
    would show as a meeting nobody called."""
    kept = [m for m in docs if m.get("status") in ("planned", "closed")]
    if kept:
        day = date.fromisoformat(kept[0]["date"])
        home = {moved: home for home, moved in plan.moves().items()}.get(day)
        anchor = min(day, home) if home is not None else day
    else:
        anchor = planning.next_day(config, now, record)
    return plan.regular_days(anchor, anchor + timedelta(days=6))[0]


def calendar(record: Record, now: datetime) -> dict[str, Any]:
    """The weekly event, the meetings on record as events, and how many of each kind went
    in (`counts`: skipped weeks, moved meetings, meetings planned or held)."""
    found = committee.require(record)
    config = committee.config(record)
    tz = clock.zone(config["timezone"])
    plan = planning.schedule_of(config, record)
    base = "sanjian-" + hashlib.sha1(found.get("created_at", "").encode()).hexdigest()[:12]
    docs = record.meetings_since("", fields=_FIELDS)
    numbers, previous = papers.numbering(docs), meetings.previous_days(docs)

    first = _series_start(plan, record, docs, config, now)
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
                # A meeting held ends when it was closed, not when it was planned to.
                "end": clock.from_iso(meeting["end"]).astimezone(tz)
                if meeting.get("end")
                else None,
                "recurrence_id": instance,
                "place": meeting.get("place") or None,
                "online": meeting.get("online") or None,
                "meeting": papers.meeting_head(record, found, meeting, numbers),
                # the items' titles: no decision item of a follow-up is printed
                "agenda": papers.agenda(record, found, meeting, False, numbers, previous)["items"]
                if built
                else None,
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
