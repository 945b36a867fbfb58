"""The committee's calendar (`services.calendar`) as an RFC 5545 iCalendar file, written with
`icalendar`.

One recurring event carries the weekly rule (RRULE, in the committee's zone, with its
VTIMEZONE so phone calendars keep the local time across daylight saving); a skipped week is
an EXDATE; a meeting standing for a regular instance is an override (RECURRENCE-ID) with its
own time, place, link and agenda; an extra meeting is an event of its own. DTSTAMP is "now"
(SANJIAN_NOW in tests and scripts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import Calendar, Event, Timezone

from sanjian_cli import __version__
from sanjian_cli.domain import clock
from sanjian_cli.messages import t
from sanjian_cli.render.papers import _Writer, item_title, numbered
from sanjian_cli.render.safe import visible


def _description(event: dict[str, Any], lang: str) -> str:
    w = _Writer(lang, False)
    head = event["meeting"]
    if head.get("place"):
        w.field(w.t("paper.place"), visible(head["place"]))
    if head.get("online"):
        w.field(w.t("paper.online"), visible(head["online"]))
    if head.get("chair"):
        w.field(w.t("paper.chair"), visible(head["chair"]["name"]))
    items = event["agenda"]
    if items is None:
        w.line(w.t("cal.agenda_not_built"))
        return w.done()
    w.line(w.t("notice.agenda") + ("：" if lang == "zh" else ":"))
    if not items:
        w.line(w.t("paper.no_topics"))
    for index, item in enumerate(items):
        w.line(numbered(lang, index, item_title(w, item)))
    return w.done()


def _event(
    uid: str,
    start: datetime,
    minutes: int,
    summary: str,
    stamp: datetime,
    end: datetime | None = None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    # The actual end of a meeting held; else the planned one, in real minutes on the wall clock.
    event.add("dtend", end if end is not None else clock.end(start, minutes, start.tzinfo))
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


def build(data: dict[str, Any], lang: str, one_by_one: bool = True) -> bytes:
    """The .ics bytes of `data` (as `services.calendar.calendar` gives it), in `lang`;
    its events made and written one by one, or (not `one_by_one`: the same bytes, as
    icalendar writes a calendar holding them all) all added first."""
    summary = t(lang, "cal.summary", committee=data["name"])
    stamp = data["stamp"]
    cal = Calendar()
    cal.add("prodid", f"-//sanjian//sanjian {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", visible(data["name"]))
    cal.add("x-wr-timezone", data["timezone"])
    cal.add_component(
        Timezone.from_tzinfo(
            data["tz"],
            tzid=data["timezone"],
            first_date=data["zone_from"],
            last_date=data["zone_to"],
        )
    )

    regular = data["weekly"]
    weekly = _event(regular["uid"], regular["start"], regular["minutes"], summary, stamp)
    weekly.add("rrule", {"freq": "weekly", "byday": regular["byday"]})
    _place(weekly, regular["place"], regular["online"])
    weekly.add("description", t(lang, "cal.regular"))
    if regular["exdates"]:
        weekly.add("exdate", regular["exdates"])
    cal.add_component(weekly)

    # Each event is written as soon as it is made, not kept in the calendar: on ten years
    # 521 of icalendar's events held at once were most of the command's memory. A calendar
    # is its head, its components one after another and its end line, so the bytes are
    # those `cal.to_ical()` would give with every event added.
    head: bytes = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    if not one_by_one or not head.endswith(end):  # else: add them and write it whole
        for found in data["events"]:
            cal.add_component(_meeting(found, summary, stamp, lang))
        whole: bytes = cal.to_ical()
        return whole
    pieces = [head[: -len(end)]]
    for found in data["events"]:
        pieces.append(_meeting(found, summary, stamp, lang).to_ical())
    pieces.append(end)
    return b"".join(pieces)


def _meeting(found: dict[str, Any], summary: str, stamp: datetime, lang: str) -> Event:
    """The event of one meeting of the calendar (`services.calendar`'s `events`)."""
    event = _event(found["uid"], found["start"], found["minutes"], summary, stamp, found.get("end"))
    if found["recurrence_id"] is not None:
        event.add("recurrence-id", found["recurrence_id"])
    _place(event, found["place"], found["online"])
    event.add("description", _description(found, lang).rstrip("\n"))
    return event
