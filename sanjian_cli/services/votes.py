"""Votes, discussion notes and named dissent on an agenda topic (民主集中制).

The checks that refuse a vote live here; the arithmetic lives in `tally`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sanjian_cli.domain import clock, tally
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import attendance, meetings
from sanjian_cli.store import Record


def require_on_agenda(meeting: dict[str, Any], topic: dict[str, Any]) -> None:
    """Votes, notes, dissent and decisions are about a topic on that meeting's agenda."""
    built = meeting.get("agenda") or {}
    if topic["id"] in built.get("topics", []):
        return
    if topic["id"] in built.get("late", []):
        raise Refused("topic_late_for_agenda", id=topic["id"], date=meeting["date"])
    raise Refused("topic_not_on_agenda", id=topic["id"], date=meeting["date"])


def rule_of(config: dict[str, Any]) -> tally.Rule:
    return tally.Rule(
        basis=config["pass-basis"],
        threshold=config["pass-threshold"],
        close_margin=config["close-margin"],
    )


def vote(
    record: Record,
    config: dict[str, Any],
    meeting: dict[str, Any],
    topic: dict[str, Any],
    *,
    counts: tuple[int | None, int | None, int | None],
    named: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]] | None,
    method: str,
    defer: bool,
    refer: bool,
    now: datetime,
) -> dict[str, Any]:
    """Record the vote on `topic` at `meeting` and apply its outcome to the topic."""
    meetings.require_open(meeting, record)
    require_on_agenda(meeting, topic)
    if str(topic["id"]) in meeting.get("votes", {}) or topic["status"] in (
        "passed",
        "failed",
        "referred",
    ):
        raise Refused("already_voted", id=topic["id"])
    if defer and refer:
        raise BadInput("defer_and_refer")
    roll = attendance.roll(record, meeting)
    present = set(roll.present)
    yes, no, abstain = counts
    names: dict[str, list[int]] = {"yes": [], "no": [], "abstain": []}
    if named is not None:
        seen: set[int] = set()
        for key, group in zip(("yes", "no", "abstain"), named, strict=True):
            for member in group:
                _require_can_vote(member, present, roll, meeting)
                if member["id"] in seen:
                    raise BadInput("voted_twice", name=member["name"])
                seen.add(member["id"])
                names[key].append(member["id"])
        by_name = (len(names["yes"]), len(names["no"]), len(names["abstain"]))
        for given, derived in zip(counts, by_name, strict=True):
            if given is not None and given != derived:
                raise BadInput("counts_disagree")
        yes, no, abstain = by_name
    has_counts = any(c is not None for c in (yes, no, abstain))
    yes, no, abstain = yes or 0, no or 0, abstain or 0
    if min(yes, no, abstain) < 0:
        raise BadInput("negative_votes")
    if not has_counts and not (defer or refer):
        raise BadInput("no_votes")
    quorum_rule = "two-thirds" if topic.get("major") else config["quorum"]
    quorate = tally.has_quorum(len(roll.present), len(roll.expected), quorum_rule)
    if not quorate and not (defer and not has_counts):
        raise Refused(
            "no_quorum",
            present=len(roll.present),
            expected=len(roll.expected),
            needed=tally.needed(quorum_rule, len(roll.expected)),
        )
    if yes + no + abstain > len(roll.present):
        raise Refused("too_many_votes", cast=yes + no + abstain, present=len(roll.present))
    count = tally.Count(yes, no, abstain, len(roll.expected), len(roll.present))
    rule = rule_of(config)
    result = tally.decide(count, rule, urgent=bool(topic.get("urgent")), defer=defer, refer=refer)
    entry = vote_entry(topic["id"], method, count, rule, result, names, clock.iso(now))
    votes = dict(meeting.get("votes", {}))
    votes[str(topic["id"])] = entry
    record.update_meeting(meeting["id"], {"votes": votes})
    history = [*topic.get("history", []), {"meeting": meeting["date"], "outcome": result.outcome}]
    if result.outcome == "deferred":
        record.update_topic(
            topic["id"],
            {
                "status": "accepted",
                "meeting": None,
                "carried": int(topic.get("carried", 0)) + 1,
                "history": history,
            },
        )
    else:
        record.update_topic(topic["id"], {"status": result.outcome, "history": history})
    return entry


def vote_entry(
    topic_id: int,
    method: str,
    count: tally.Count,
    rule: tally.Rule,
    result: tally.Result,
    names: dict[str, list[int]],
    at: str,
) -> dict[str, Any]:
    """A vote as the meeting keeps it: the counts, who voted how when named, and the rule
    it was counted by, so the minutes can say why it passed or failed."""
    return {
        "topic": topic_id,
        "method": method,
        "yes": count.yes,
        "no": count.no,
        "abstain": count.abstain,
        "yes_by": names.get("yes", []),
        "no_by": names.get("no", []),
        "abstain_by": names.get("abstain", []),
        "outcome": result.outcome,
        "basis": rule.basis,
        "threshold": rule.threshold,
        "base": result.base,
        "needed": result.needed,
        "close": result.close,
        "expected": count.expected,
        "present": count.present,
        "at": at,
    }


def _require_can_vote(
    member: dict[str, Any], present: set[int], roll: Any, meeting: dict[str, Any]
) -> None:
    if member["id"] in present:
        return
    if not member.get("voting", True):
        raise Refused("voter_non_voting", name=member["name"])
    if member["id"] in roll.excused:
        raise Refused("voter_on_leave", name=member["name"], date=meeting["date"])
    raise Refused("voter_absent", name=member["name"], date=meeting["date"])


def add_note(
    record: Record, meeting: dict[str, Any], topic: dict[str, Any], text: str, now: datetime
) -> dict[str, Any]:
    meetings.require_open(meeting, record)
    require_on_agenda(meeting, topic)
    if not text.strip():
        raise BadInput("empty_text")
    note = {"topic": topic["id"], "text": text, "at": clock.iso(now)}
    record.update_meeting(meeting["id"], {"notes": [*meeting.get("notes", []), note]})
    return note


def add_dissent(
    record: Record,
    meeting: dict[str, Any],
    topic: dict[str, Any],
    member: dict[str, Any],
    text: str,
    now: datetime,
) -> dict[str, Any]:
    """A named opinion, kept as said. From a member who was not there it is a written one."""
    meetings.require_open(meeting, record)
    require_on_agenda(meeting, topic)
    if not text.strip():
        raise BadInput("empty_text")
    written = str(member["id"]) not in meeting.get("attendance", {})
    dissent = {
        "topic": topic["id"],
        "member": member["id"],
        "text": text,
        "written": written,
        "at": clock.iso(now),
    }
    record.update_meeting(meeting["id"], {"dissents": [*meeting.get("dissents", []), dissent]})
    return dissent
