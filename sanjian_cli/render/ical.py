"""The committee's meetings as an RFC 5545 iCalendar file, written with `icalendar`.

One recurring event carries the weekly rule (RRULE, in the committee's zone, with its
VTIMEZONE so phone calendars keep the local time across daylight saving). The schedule's
exceptions (`sanjian_cli.domain.schedule`) map onto the standard's own: a skipped week is an
EXDATE; a planned meeting on a regular day, or a meeting moved to another day, is an
override (RECURRENCE-ID of the regular instance) with its own time, place, link and agenda;
an extra meeting is an event of its own. UIDs derive from the committee's creation time, so
they stay put across runs and renames; DTSTAMP is "now" (SANJIAN_NOW in tests and scripts).
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

from icalendar import Calendar, Event, Timezone

from sanjian_cli import __version__
from sanjian_cli.domain import clock, schedule
from sanjian_cli.messages import t
from sanjian_cli.render.papers import _Writer, item_title, numbered
from sanjian_cli.render.safe import visible
from sanjian_cli.services import committee, papers, planning
from sanjian_cli.store import Record


def _description(record: Record, meeting: dict[str, Any], lang: str) -> str:
    w = _Writer(lang, False)
    head = papers.meeting_head(record, committee.require(record), meeting)
    if head.get("place"):
        w.field(w.t("paper.place"), visible(head["place"]))
    if head.get("online"):
        w.field(w.t("paper.online"), visible(head["online"]))
    if head.get("chair"):
        w.field(w.t("paper.chair"), visible(head["chair"]["name"]))
    if meeting.get("agenda") is None:
        w.line(w.t("cal.agenda_not_built"))
        return w.done()
    items = papers.agenda(record, committee.require(record), meeting)["items"]
    w.line(w.t("notice.agenda") + ("：" if lang == "zh" else ":"))
    if not items:
        w.line(w.t("paper.no_topics"))
    for index, item in enumerate(items):
        w.line(numbered(lang, index, item_title(w, item)))
    return w.done()


def _event(uid: str, start: datetime, minutes: int, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", clock.end(start, minutes, start.tzinfo))  # real minutes, on the wall clock
    event.add("summary", visible(summary))
    return event


def _place(event: Event, place: str | None, online: str | None) -> None:
    # User text is data here too: a control character would reach the calendar app raw.
    if place:
        event.add("location", visible(place))
    elif online:
        event.add("location", visible(online))
    if online:
        event.add("url", visible(online))


def build(record: Record, now: datetime, lang: str) -> tuple[bytes, dict[str, int]]:
    """The .ics bytes and counts of what went in (skipped, moved, planned)."""
    found = committee.require(record)
    config = committee.config(record)
    tz = clock.zone(config["timezone"])
    plan = planning.schedule_of(config, record)
    at = plan.at
    stamp = now.astimezone(timezone.utc)
    base = "sanjian-" + hashlib.sha1(found.get("created_at", "").encode()).hexdigest()[:12]
    summary = t(lang, "cal.summary", committee=found["name"])
    docs = record.meetings()

    created = clock.from_iso(found["created_at"]).astimezone(tz).date()
    earliest = min([created, *(date.fromisoformat(m["date"]) for m in docs)])
    first = plan.regular_days(earliest, earliest + timedelta(days=6))[0]

    def regular_start(day: date) -> datetime:
        return datetime.combine(day, at).replace(tzinfo=tz)

    cal = Calendar()
    cal.add("prodid", f"-//sanjian//sanjian {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", visible(found["name"]))
    cal.add("x-wr-timezone", config["timezone"])
    last = max(now.astimezone(tz).date(), *(date.fromisoformat(m["date"]) for m in docs), first)
    cal.add_component(
        Timezone.from_tzinfo(
            tz,
            tzid=config["timezone"],
            first_date=first - timedelta(days=366),
            last_date=last + timedelta(days=5 * 366),
        )
    )

    weekly = _event(f"{base}-weekly@sanjian", regular_start(first), config["duration"],
                    summary, stamp)  # fmt: skip
    weekly.add("rrule", {"freq": "weekly", "byday": schedule.RRULE_BYDAY[first.weekday()]})
    _place(weekly, config["place"], config["online"])
    weekly.add("description", t(lang, "cal.regular"))
    cancelled = sorted(d for d in plan.cancelled() if d >= first)
    if cancelled:
        weekly.add("exdate", [regular_start(d) for d in cancelled])
    cal.add_component(weekly)

    moved_to = {day: home for home, day in plan.moves().items() if home >= first}
    counts = {"skipped": len(cancelled), "moved": 0, "planned": 0}
    for meeting in docs:
        if meeting.get("status") == "skipped":
            continue
        day = date.fromisoformat(meeting["date"])
        start = clock.from_iso(meeting["start"]).astimezone(tz)
        if day >= first and schedule.is_regular(day, config["weekday"]):
            uid, instance = weekly["uid"], regular_start(day)
        elif day in moved_to:
            uid, instance = weekly["uid"], regular_start(moved_to[day])
            counts["moved"] += 1
        else:
            uid, instance = f"{base}-{day.isoformat()}@sanjian", None
        event = _event(str(uid), start, meeting["duration"], summary, stamp)
        if instance is not None:
            event.add("recurrence-id", instance)
        _place(event, meeting.get("place"), meeting.get("online"))
        event.add("description", _description(record, meeting, lang).rstrip("\n"))
        cal.add_component(event)
        counts["planned"] += 1
    return cal.to_ical(), counts
