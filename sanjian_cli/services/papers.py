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


def number_in_year(record: Record, meeting: dict[str, Any]) -> dict[str, int] | None:
    """Which meeting of its year this is (2026年第4次): the meetings held or to be held that
    year up to it, skipped ones left out. None for a skipped meeting."""
    if meeting.get("status") == "skipped":
        return None
    year = meeting["date"][:4]
    earlier = [
        m
        for m in record.meetings_since(f"{year}-01-01")
        if m["date"][:4] == year and m["date"] < meeting["date"] and m.get("status") != "skipped"
    ]
    return {"year": int(year), "n": len(earlier) + 1}


def follow_up(
    record: Record, meeting: dict[str, Any], followups: list[int], today: date
) -> list[dict[str, Any]]:
    """The earlier decisions a meeting reviews (上次议定事项落实情况): those still open when
    its agenda was built (`followups`), and those carried out since the previous meeting,
    up to this one's close. Read from the record as it is now; a snapshot of the record
    taken at the close can take this function's place."""
    prev = meetings.previous(record, meeting)
    chosen = {i: item for i in followups if (item := record.decision(i))}
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
    return [action_entry(record, chosen[i], today) for i in sorted(chosen)]


def _decisions_from(record: Record, year: int) -> list[dict[str, Any]]:
    """Every decision item that can have been done since a meeting of `year`. While that
    year is open, all of them are in the hot file (a done item moves to an archive only once
    the year it was done in is closed); for an older meeting every archive is read."""
    if any(held >= year for held in record.shelf.years()):
        return record.decisions()
    return [dict(doc, id=int(key)) for key, doc in (record.raw().get("decisions") or {}).items()]


def _review(record: Record, meeting: dict[str, Any], prev: dict[str, Any] | None) -> dict:
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


def meeting_head(record: Record, committee: dict[str, Any], meeting: dict[str, Any]) -> dict:
    """The head of a paper: when, where, who chairs and records, and the meeting's number in
    its year."""
    return {**_meeting_head(record, committee, meeting), "number": number_in_year(record, meeting)}


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
            item["actions"] = follow_up(record, meeting, built["followups"], today)
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
            "meeting": meeting_head(record, committee, meeting),
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
            items.append(
                {
                    "kind": kind,
                    "previous": prev["date"] if prev else None,
                    "review": _review(record, meeting, prev),
                }
            )
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
    reviewed = follow_up(record, meeting, built.get("followups", []), day)
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
            "amendments": [
                {"at": a.get("at"), "user": a.get("user"), "reason": a.get("reason")}
                for a in meeting.get("amendments", [])
            ],
        },
    )
