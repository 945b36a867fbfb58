"""The papers of a meeting as plain data: its agenda and its minutes (会议纪要).

These dicts are the JSON output contract and the input of the text and markdown
renderers; names are resolved here, words are chosen by the renderers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import documents, settings, tally
from sanjian_cli.services import meetings, rolls
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Person


def person(record: Record, member_id: int | None) -> Person | None:
    """A member as papers show them: never with a phone number."""
    if member_id is None:
        return None
    return documents.person_json(member_id, record.member(member_id))


def topic_entry(
    record: Record, topic: Mapping[str, Any], built: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A topic as papers show it; `built` (an agenda) fixes how often it had been carried
    over when it was put on that agenda, so later deferrals do not rewrite old papers."""
    carried = int(topic.get("carried", 0))
    if built is not None and str(topic["id"]) in built.get("carried", {}):
        carried = int(built["carried"][str(topic["id"])])
    return {
        "id": topic["id"],
        "title": topic["title"],
        "category": topic["category"],
        "proposer": person(record, topic["by"]),
        "for": topic.get("for") or None,
        "detail": topic.get("detail") or None,
        "minutes": topic["minutes"],
        "urgent": bool(topic.get("urgent")),
        "major": bool(topic.get("major")),
        "carried": carried,
    }


def action_entry(
    record: Record,
    item: Mapping[str, Any],
    today: date,
    people: Callable[[int | None], Person | None] | None = None,
) -> dict[str, Any]:
    """A decision item as papers show it; `people` (`people_of`) for many of them."""
    owner = item.get("owner")
    return documents.action_json(item, people(owner) if people else person(record, owner), today)


def people_of(record: Record) -> Callable[[int | None], Person | None]:
    """`person` of each member asked for, each looked up once: a paper of a hundred items
    names the same few owners again and again."""
    found: dict[int | None, Person | None] = {}

    def of(member_id: int | None) -> Person | None:
        if member_id not in found:
            found[member_id] = person(record, member_id)
        return found[member_id]

    return of


def meeting_head(
    record: Record,
    committee: Mapping[str, Any],
    meeting: Mapping[str, Any],
    numbers: Mapping[str, dict[str, int] | None] | None = None,
) -> dict[str, Any]:
    """The head of a paper: when, where, who chairs and records, and the meeting's number in
    its year (from `numbers`, `numbering` of every meeting of its year, when given)."""
    chair, recorder = person(record, meeting.get("chair")), person(record, meeting.get("recorder"))
    head = documents.meeting_head_json(committee["name"], meeting, chair, recorder)
    number = numbers[meeting["date"]] if numbers is not None else number_in_year(record, meeting)
    return {**head, "number": number}


def _topics(record: Record, ids: list[int]) -> list[dict[str, Any]]:
    found = (record.topic(i) for i in ids)
    return [topic_entry(record, topic) for topic in found if topic is not None]


def number_in_year(record: Record, meeting: Mapping[str, Any]) -> dict[str, int] | None:
    """Which meeting of its year this is (2026年第4次): the meetings held or to be held that
    year up to it, skipped ones left out. None for a skipped meeting."""
    if meeting.get("status") == "skipped":
        return None
    year = meeting["date"][:4]
    held = record.meetings_since(f"{year}-01-01", fields=("status",), read=int(year).__eq__)
    others = [m for m in held if m["date"][:4] == year and m["date"] != meeting["date"]]
    return numbering([*others, meeting])[meeting["date"]]


def numbering(meetings: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int] | None]:
    """`number_in_year` of each of `meetings` (every meeting of the years they fall in), by
    day: one pass for a paper of every meeting (the calendar)."""
    numbers: dict[str, dict[str, int] | None] = {}
    counts: dict[str, int] = {}
    for meeting in sorted(meetings, key=lambda m: m["date"]):
        if meeting.get("status") == "skipped":
            numbers[meeting["date"]] = None
            continue
        year = meeting["date"][:4]
        counts[year] = counts.get(year, 0) + 1
        numbers[meeting["date"]] = {"year": int(year), "n": counts[year]}
    return numbers


def follow_up(
    record: Record, meeting: Mapping[str, Any], followups: list[int], today: date
) -> list[dict[str, Any]]:
    """The earlier decisions a meeting reviews (上次议定事项落实情况): those still open when
    its agenda was built (`followups`), and those carried out since the previous meeting,
    up to this one's close. Read from the record as it is now; a snapshot of the record
    taken at the close can take this function's place."""
    prev = meetings.previous(record, meeting)
    # Only read here: a hot item as it is (no copy, as `_decisions_from`), another looked up.
    hot = record.raw().get("decisions") or {}
    chosen: dict[int, dict[str, Any]] = {}
    for i in followups:
        doc = hot.get(str(i))
        item = dict(doc, id=i) if doc is not None else record.decision(i)
        if item:
            chosen[i] = item
    if prev is not None:
        since = prev.get("end") or prev["start"]
        until = meeting.get("end") if meeting.get("status") == "closed" else None
        for item in _decisions_from(record, int(prev["date"][:4])):
            done_at = item.get("done_at")
            if (
                item["meeting"] < meeting["date"]
                and item.get("status") == "done"
                and done_at
                and done_at > since
                and (until is None or done_at <= until)
            ):
                chosen.setdefault(item["id"], item)
    people = people_of(record)
    return [action_entry(record, chosen[i], today, people) for i in sorted(chosen)]


def _decisions_from(record: Record, year: int) -> list[dict[str, Any]]:
    """Every decision item that can have been done since a meeting of `year`. While that
    year is open, all of them are in the hot file (a done item moves to an archive only once
    the year it was done in is closed); for an older meeting every archive is read."""
    if any(held >= year for held in record.shelf.years()):
        return record.decisions()
    return [dict(doc, id=int(key)) for key, doc in (record.raw().get("decisions") or {}).items()]


def _review(
    record: Record, meeting: Mapping[str, Any], prev: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What became of the previous minutes at `meeting`: approved there, approved before it,
    or not (yet) approved when it closed."""
    approved = (prev or {}).get("approved_at")
    if not approved:
        return {"result": "pending", "on": None}
    on = approved[:10]
    if on < meeting["date"]:
        return {"result": "earlier", "on": on}
    if on == meeting["date"] and (
        meeting.get("status") != "closed" or approved <= (meeting.get("end") or approved)
    ):
        return {"result": "approved", "on": on}
    return {"result": "pending", "on": None}


def _safe(record: Record, paper: dict[str, Any]) -> dict[str, Any]:
    """Papers are filed and posted: no phone or ID number in them, whatever was typed."""
    from sanjian_cli.domain.privacy import scrub

    return scrub(paper, [m.get("phone") or "" for m in record.members()])


def agenda(
    record: Record,
    committee: Mapping[str, Any],
    meeting: Mapping[str, Any],
    follow_ups: bool = True,
    numbers: Mapping[str, dict[str, int] | None] | None = None,
    previous: Mapping[str, str | None] | None = None,
) -> dict[str, Any]:
    """The built agenda of `meeting` (build it first with agenda.build_agenda), as of the
    day it was built (`as_of`): an item due after that day is not overdue on it, however
    late the meeting. An agenda built before sanjian kept that day is as of the meeting.
    Without `follow_ups`, the follow-up item lists no decision items (the calendar, which
    prints only the items' titles, for every meeting of the years); `numbers` as
    `meeting_head` takes them, and `previous` the day of each meeting's previous one
    (`meetings.previous_days`)."""
    built = documents.agenda_of(meeting)
    day = date.fromisoformat(meeting["date"])
    today = min(date.fromisoformat(built["built_on"]), day) if built["built_on"] else day
    if previous is not None:
        prev_day = previous[meeting["date"]]
    else:
        prev = meetings.previous(record, meeting)
        prev_day = prev["date"] if prev else None
    items: list[dict[str, Any]] = []
    opening_minutes = settings.complete(committee.get("settings", {}))["opening-minutes"]
    for kind in built["opening"]:
        item: dict[str, Any] = {"kind": kind, "minutes": opening_minutes}
        if kind == "approve-minutes":
            item["previous"] = prev_day
        else:
            item["actions"] = (
                follow_up(record, meeting, built["followups"], today) if follow_ups else []
            )
        items.append(item)
    for topic_id in built["topics"]:
        topic = record.topic(topic_id)
        if topic:
            items.append({"kind": "topic", **topic_entry(record, topic, built)})
    return _safe(
        record,
        {
            "meeting": meeting_head(record, committee, meeting, numbers),
            "items": items,
            "waiting": _topics(record, built["waiting"]),
            # Proposed after the topic-collection deadline: waiting for that, not for time.
            "late": _topics(record, built["late"]),
            "topic_deadline": built["deadline"] or None,
            "minutes_used": built["minutes"],
            "as_of": today.isoformat(),
        },
    )


def minutes(
    record: Record,
    committee: Mapping[str, Any],
    meeting: Mapping[str, Any],
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything DOMAIN.md lists under minutes, in that order. Until the meeting is closed
    they are a draft (`draft`); before it starts (at `now`) they hold no attendance figures
    (`attendance` is None), since everyone not yet arrived would count as absent."""
    if now is not None and _not_started(meeting, now):
        return _draft_before_start(minutes(record, committee, meeting))
    roll = rolls.roll(record, meeting)
    signed = meeting.get("attendance", {})
    leaves = meeting.get("leaves", [])
    day = date.fromisoformat(meeting["date"])

    def present_entry(member_id: int) -> dict[str, Any]:
        mark = signed.get(str(member_id), {})
        return {
            **(person(record, member_id) or {}),
            "late": bool(mark.get("late")),
            "online": bool(mark.get("online")),
            "left": mark.get("left"),  # 离席: when they left before the end
        }

    def entered_late(member_id: int) -> bool:
        """补登: the leave notice was entered after the start (given before it, by phone)."""
        start = meeting["start"]
        return any(n["member"] == member_id and _after(n.get("entered_at"), start) for n in leaves)

    def leave_reason(member_id: int, excused: bool) -> str | None:
        for notice in reversed(leaves):
            if notice["member"] == member_id and bool(notice.get("excused")) == excused:
                return notice["reason"]
        return None

    absent = []
    for member_id in roll.absent:
        late_notice = leave_reason(member_id, False)
        absent.append({**(person(record, member_id) or {}), "late_leave": late_notice})
    quorum_rule = settings.complete(committee.get("settings", {}))["quorum"]
    attendance_part = {
        **roll.counts,
        # 未达法定人数: the meeting was held (people came) without quorum, so no votes.
        "quorum": tally.has_quorum(len(roll.present), len(roll.expected), quorum_rule),
        "quorum_needed": tally.needed(quorum_rule, len(roll.expected)),
        "present_members": [present_entry(m) for m in roll.present],
        "leave_members": [
            {
                **(person(record, m) or {}),
                "reason": leave_reason(m, True),
                "late_entry": entered_late(m),
            }
            for m in roll.excused
        ],  # fmt: skip
        "absent_members": absent,
    }
    roster = {m["id"]: m for m in record.members()}
    attendees = [
        {"name": p["name"], "org": roster[p["id"]].get("org") or None, "member": p["id"]}
        for p in (present_entry(m) for m in roll.non_voting_present)
    ] + [{"name": g["name"], "org": g.get("org") or None, "member": None}
         for g in meeting.get("guests", [])]  # fmt: skip

    built = documents.agenda_of(meeting)
    votes = meeting.get("votes", {})
    items: list[dict[str, Any]] = []
    # A closed meeting's minutes show, from outside it, what its close fixed (`filed`).
    filed = meeting.get("filed") or {}
    prev = meetings.previous(record, meeting)
    previous_day = filed["previous"] if "previous" in filed else (prev["date"] if prev else None)
    for kind in built["opening"]:
        if kind == "approve-minutes":
            items.append(
                {
                    "kind": kind,
                    "previous": previous_day,
                    "review": _review(record, meeting, prev),
                }
            )
        else:
            items.append({"kind": kind})
    # What was decided, without the progress made since (later follow-ups show that).
    decided_here = [documents.as_decided(d) for d in record.decisions_of(meeting["date"])]
    for topic_id in built["topics"]:
        topic = record.topic(topic_id)
        if topic is None:
            continue
        shown = (filed.get("topics") or {}).get(str(topic_id))
        vote = votes.get(str(topic_id))
        if vote is not None:
            vote = {
                **{k: v for k, v in vote.items() if not k.endswith("_by")},
                "yes_by": [person(record, m) for m in vote.get("yes_by", [])],
                "no_by": [person(record, m) for m in vote.get("no_by", [])],
                "abstain_by": [person(record, m) for m in vote.get("abstain_by", [])],
            }
        items.append(
            {
                "kind": "topic",
                **(shown if shown is not None else topic_entry(record, topic, built)),
                "notes": [n["text"] for n in meeting.get("notes", []) if n["topic"] == topic_id],
                "vote": vote,
                "decisions": [
                    action_entry(record, d, day) for d in decided_here if d["topic"] == topic_id
                ],
                "dissent": [
                    {
                        **(person(record, d["member"]) or {}),
                        "text": d["text"],
                        "written": bool(d.get("written")),
                    }
                    for d in meeting.get("dissents", [])
                    if d["topic"] == topic_id
                ],
            }
        )
    if "follow_up" in filed:
        # as it stood when the meeting closed
        reviewed = [
            documents.unfiled_action(entry, record.decision(entry["id"]), day)
            for entry in filed["follow_up"]
        ]
    else:
        reviewed = follow_up(record, meeting, built.get("followups", []), day)
    approver = meeting.get("approved_by")
    return _safe(
        record,
        {
            "meeting": meeting_head(record, committee, meeting),
            "attendance": attendance_part,
            "attendees": attendees,
            "items": items,
            "decisions": [action_entry(record, d, day) for d in decided_here],
            "follow_up": reviewed,
            "adjourned": meeting.get("end"),
            "approved_at": meeting.get("approved_at"),
            "approved_by": person(record, approver) if isinstance(approver, int) else None,
            "amendments": [amendment_entry(record, a) for a in meeting.get("amendments", [])],
            "draft": meeting.get("status") != "closed",
        },
    )


def _after(moment: str | None, start: str) -> bool:
    if not moment:
        return False
    from sanjian_cli.domain import clock

    return clock.from_iso(moment) > clock.from_iso(start)


def amendment_entry(record: Record, amendment: Mapping[str, Any]) -> dict[str, Any]:
    """An amendment as the minutes show it: when, who (the member; `user` is the OS user
    of older amendments), why, and each fact changed from -> to, names resolved."""
    by = amendment.get("by")
    return {
        "at": amendment.get("at"),
        "user": amendment.get("user"),
        "by": person(record, by) if isinstance(by, int) else None,
        "reason": amendment.get("reason"),
        "undoes": amendment.get("undoes"),
        "changes": [change_entry(record, c) for c in amendment.get("changes", [])],
    }


def change_entry(record: Record, change: Mapping[str, Any]) -> dict[str, Any]:
    """A change (`domain.corrections`) with the members it names as papers show them."""
    kind, subject = change.get("kind"), change.get("subject")
    old, new = change.get("from"), change.get("to")
    if kind in ("attendance", "leave") and isinstance(subject, int):
        subject = person(record, subject)
    elif kind == "dissent" and isinstance(subject, dict):
        subject = {**subject, "member": person(record, subject.get("member"))}
    elif kind == "decision":
        old, new = (
            {**v, "owner": person(record, v.get("owner"))} if isinstance(v, dict) else v
            for v in (old, new)
        )
    elif kind == "meeting" and subject in ("chair", "recorder"):
        old, new = (person(record, v) if isinstance(v, int) else v for v in (old, new))
    return {"kind": kind, "subject": subject, "from": old, "to": new}


def digest(record: Record, meeting: Mapping[str, Any]) -> str:
    """The SHA-256 of the minutes of `meeting` as they would print now (their JSON, from
    which every format is rendered): kept when they are approved and amended."""
    import hashlib
    import json

    doc = minutes(record, record.committee(), meeting)
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _not_started(meeting: Mapping[str, Any], now: datetime) -> bool:
    """Before its start, and nobody signed in or voted yet (a sign-in starts a meeting)."""
    if meeting.get("status") != "planned" or meeting.get("attendance") or meeting.get("votes"):
        return False
    return now < meetings.start_of(meeting)


def _draft_before_start(paper: dict[str, Any]) -> dict[str, Any]:
    """The minutes of a meeting not yet started: a draft without attendance figures (no
    one is absent yet)."""
    return {**paper, "attendance": None, "draft": True}
