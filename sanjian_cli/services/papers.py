"""The papers of a meeting as plain data: its agenda and its minutes (会议纪要).

These dicts are the JSON output contract and the input of the text and markdown
renderers; names are resolved here, words are chosen by the renderers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import documents, settings
from sanjian_cli.services import attendance, meetings
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


def action_entry(record: Record, item: Mapping[str, Any], today: date) -> dict[str, Any]:
    return documents.action_json(item, person(record, item.get("owner")), today)


def meeting_head(
    record: Record, committee: Mapping[str, Any], meeting: Mapping[str, Any]
) -> dict[str, Any]:
    chair, recorder = person(record, meeting.get("chair")), person(record, meeting.get("recorder"))
    return documents.meeting_head_json(committee["name"], meeting, chair, recorder)


def _actions(record: Record, ids: list[int], today: date) -> list[dict[str, Any]]:
    """The decision items `ids` (follow-ups listed on an agenda) that are on the record."""
    found = (record.decision(i) for i in ids)
    return [action_entry(record, item, today) for item in found if item is not None]


def _topics(record: Record, ids: list[int]) -> list[dict[str, Any]]:
    found = (record.topic(i) for i in ids)
    return [topic_entry(record, topic) for topic in found if topic is not None]


def _safe(record: Record, paper: dict[str, Any]) -> dict[str, Any]:
    """Papers are filed and posted: no phone or ID number in them, whatever was typed."""
    from sanjian_cli.domain.privacy import scrub

    return scrub(paper, [m.get("phone") or "" for m in record.members()])


def agenda(
    record: Record, committee: Mapping[str, Any], meeting: Mapping[str, Any]
) -> dict[str, Any]:
    """The built agenda of `meeting` (build it first with agenda.build_agenda)."""
    built = documents.agenda_of(meeting)
    today = date.fromisoformat(meeting["date"])
    prev = meetings.previous(record, meeting)
    items: list[dict[str, Any]] = []
    opening_minutes = settings.complete(committee.get("settings", {}))["opening-minutes"]
    for kind in built["opening"]:
        item: dict[str, Any] = {"kind": kind, "minutes": opening_minutes}
        if kind == "approve-minutes":
            item["previous"] = prev["date"] if prev else None
        else:
            item["actions"] = _actions(record, built["followups"], today)
        items.append(item)
    for topic_id in built["topics"]:
        topic = record.topic(topic_id)
        if topic:
            items.append({"kind": "topic", **topic_entry(record, topic, built)})
    return _safe(
        record,
        {
            "meeting": meeting_head(record, committee, meeting),
            "items": items,
            "waiting": _topics(record, built["waiting"]),
            # Proposed after the topic-collection deadline: waiting for that, not for time.
            "late": _topics(record, built["late"]),
            "topic_deadline": built["deadline"] or None,
            "minutes_used": built["minutes"],
        },
    )


def minutes(
    record: Record, committee: Mapping[str, Any], meeting: Mapping[str, Any]
) -> dict[str, Any]:
    """Everything DOMAIN.md lists under minutes, in that order."""
    roll = attendance.roll(record, meeting)
    signed = meeting.get("attendance", {})
    leaves = meeting.get("leaves", [])
    day = date.fromisoformat(meeting["date"])

    def present_entry(member_id: int) -> dict[str, Any]:
        mark = signed.get(str(member_id), {})
        return {
            **(person(record, member_id) or {}),
            "late": bool(mark.get("late")),
            "online": bool(mark.get("online")),
        }

    def leave_reason(member_id: int, excused: bool) -> str | None:
        for notice in reversed(leaves):
            if notice["member"] == member_id and bool(notice.get("excused")) == excused:
                return notice["reason"]
        return None

    absent = []
    for member_id in roll.absent:
        late_notice = leave_reason(member_id, False)
        absent.append({**(person(record, member_id) or {}), "late_leave": late_notice})
    attendance_part = {
        **roll.counts,
        "present_members": [present_entry(m) for m in roll.present],
        "leave_members": [
            {**(person(record, m) or {}), "reason": leave_reason(m, True)} for m in roll.excused
        ],
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
    prev = meetings.previous(record, meeting)
    for kind in built["opening"]:
        if kind == "approve-minutes":
            items.append({"kind": kind, "previous": prev["date"] if prev else None})
        else:
            items.append({"kind": kind})
    decided_here = record.decisions_of(meeting["date"])
    for topic_id in built["topics"]:
        topic = record.topic(topic_id)
        if topic is None:
            continue
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
                **topic_entry(record, topic, built),
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
    follow_up = _actions(record, built["followups"], day)
    return _safe(
        record,
        {
            "meeting": meeting_head(record, committee, meeting),
            "attendance": attendance_part,
            "attendees": attendees,
            "items": items,
            "decisions": [action_entry(record, d, day) for d in decided_here],
            "follow_up": follow_up,
            "adjourned": meeting.get("end"),
            "approved_at": meeting.get("approved_at"),
            "amendments": [
                {"at": a.get("at"), "user": a.get("user"), "reason": a.get("reason")}
                for a in meeting.get("amendments", [])
            ],
        },
    )
