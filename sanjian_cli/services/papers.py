"""The papers of a meeting as plain data: its agenda and its minutes (会议纪要).

These dicts are the JSON output contract and the input of the text and markdown
renderers; names are resolved here, words are chosen by the renderers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sanjian_cli.services import attendance, meetings
from sanjian_cli.store import Record


def person(record: Record, member_id: int | None) -> dict[str, Any] | None:
    """A member as papers show them: never with a phone number."""
    if member_id is None:
        return None
    member = record.member(member_id)
    if member is None:
        return {"id": member_id, "name": f"#{member_id}", "side": None}
    return {"id": member["id"], "name": member["name"], "side": member["side"]}


def topic_entry(
    record: Record, topic: dict[str, Any], built: dict[str, Any] | None = None
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


def action_entry(record: Record, item: dict[str, Any], today: date) -> dict[str, Any]:
    from sanjian_cli.services import actions

    notes = item.get("notes", [])
    return {
        "id": item["id"],
        "meeting": item["meeting"],
        "topic": item["topic"],
        "text": item["text"],
        "owner": person(record, item.get("owner")),
        "due": item.get("due"),
        "status": item["status"],
        "done_at": item.get("done_at"),
        "overdue": actions.overdue(item, today),
        "days_overdue": actions.days_overdue(item, today),
        "latest_note": notes[-1]["text"] if notes else None,
        "notes": notes,
    }


def _meeting_head(record: Record, committee: dict[str, Any], meeting: dict[str, Any]) -> dict:
    return {
        "committee": committee["name"],
        "date": meeting["date"],
        "start": meeting["start"],
        "end": meeting.get("end"),
        "duration": meeting["duration"],
        "place": meeting.get("place") or None,
        "online": meeting.get("online") or None,
        "chair": person(record, meeting.get("chair")),
        "recorder": person(record, meeting.get("recorder")),
        "status": meeting.get("status", "planned"),
    }


meeting_head = _meeting_head


def _safe(record: Record, paper: dict[str, Any]) -> dict[str, Any]:
    """Papers are filed and posted: no phone or ID number in them, whatever was typed."""
    from sanjian_cli.domain.privacy import scrub

    return scrub(paper, [m.get("phone") or "" for m in record.members()])


def agenda(record: Record, committee: dict[str, Any], meeting: dict[str, Any]) -> dict[str, Any]:
    """The built agenda of `meeting` (build it first with agenda.build_agenda)."""
    built = meeting.get("agenda") or {"opening": [], "followups": [], "topics": [], "waiting": []}
    today = date.fromisoformat(meeting["date"])
    prev = meetings.previous(record, meeting)
    items: list[dict[str, Any]] = []
    opening_minutes = committee.get("settings", {}).get("opening-minutes", 5)
    for kind in built["opening"]:
        item: dict[str, Any] = {"kind": kind, "minutes": opening_minutes}
        if kind == "approve-minutes":
            item["previous"] = prev["date"] if prev else None
        else:
            item["actions"] = [
                action_entry(record, record.decision(i) or {}, today)
                for i in built["followups"]
                if record.decision(i)
            ]
        items.append(item)
    for topic_id in built["topics"]:
        topic = record.topic(topic_id)
        if topic:
            items.append({"kind": "topic", **topic_entry(record, topic, built)})
    waiting = [topic_entry(record, t) for i in built["waiting"] if (t := record.topic(i))]
    # Proposed after the topic-collection deadline: waiting for that reason, not for time.
    late = [topic_entry(record, t) for i in built.get("late", []) if (t := record.topic(i))]
    return _safe(
        record,
        {
            "meeting": _meeting_head(record, committee, meeting),
            "items": items,
            "waiting": waiting,
            "late": late,
            "topic_deadline": built.get("deadline"),
            "minutes_used": built.get("minutes", 0),
        },
    )


def minutes(record: Record, committee: dict[str, Any], meeting: dict[str, Any]) -> dict[str, Any]:
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
    attendees = [
        {"name": p["name"], "org": (record.member(p["id"]) or {}).get("org") or None,
         "member": p["id"]}
        for p in (present_entry(m) for m in roll.non_voting_present)
    ] + [{"name": g["name"], "org": g.get("org") or None, "member": None}
         for g in meeting.get("guests", [])]  # fmt: skip

    built = meeting.get("agenda") or {"opening": [], "followups": [], "topics": []}
    votes = meeting.get("votes", {})
    items: list[dict[str, Any]] = []
    prev = meetings.previous(record, meeting)
    for kind in built.get("opening", []):
        if kind == "approve-minutes":
            items.append({"kind": kind, "previous": prev["date"] if prev else None})
        else:
            items.append({"kind": kind})
    decided_here = record.decisions_of(meeting["date"])
    for topic_id in built.get("topics", []):
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
    follow_up = [
        action_entry(record, record.decision(i) or {}, day)
        for i in built.get("followups", [])
        if record.decision(i)
    ]
    return _safe(
        record,
        {
            "meeting": _meeting_head(record, committee, meeting),
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
