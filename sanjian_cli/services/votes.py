"""Votes, discussion notes and named dissent on an agenda topic (民主集中制).

The checks that refuse a vote live here; the arithmetic lives in `tally`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents, tally
from sanjian_cli.domain.vocab import TOPIC_DECIDED
from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import attendance, meetings
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Dissent, Note, Vote

Voters = Sequence[Mapping[str, Any]]


def require_on_agenda(meeting: Mapping[str, Any], topic: Mapping[str, Any]) -> None:
    """Votes, notes, dissent and decisions are about a topic on that meeting's agenda."""
    built = documents.agenda_of(meeting)
    if topic["id"] in built["topics"]:
        return
    if topic["id"] in built["late"]:
        raise Refused("topic_late_for_agenda", id=topic["id"], date=meeting["date"])
    raise Refused("topic_not_on_agenda", id=topic["id"], date=meeting["date"])


def rule_of(config: Mapping[str, Any]) -> tally.Rule:
    return tally.Rule(
        basis=config["pass-basis"],
        threshold=config["pass-threshold"],
        close_margin=config["close-margin"],
    )


def vote(
    record: Record,
    config: Mapping[str, Any],
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    *,
    counts: tuple[int | None, int | None, int | None],
    named: tuple[Voters, Voters, Voters] | None,
    method: str,
    defer: bool,
    refer: bool,
    now: datetime,
) -> Vote:
    """Record the vote on `topic` at `meeting` and apply its outcome to the topic."""
    meeting = meetings.current(record, meeting)
    amending = meetings.require_open(meeting, record.amendment)
    topic = documents.expect(record.topic(topic["id"]), "topic", topic["id"])
    require_on_agenda(meeting, topic)
    if str(topic["id"]) in meeting.get("votes", {}) or topic["status"] in TOPIC_DECIDED:
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
    entry = documents.new_vote(topic["id"], method, count, rule, result, names, clock.iso(now))
    votes = dict(meeting.get("votes", {}))
    votes[str(topic["id"])] = entry
    record.update_meeting(meeting["id"], {"votes": votes})
    history = [*topic.get("history", []), documents.history_entry(meeting["date"], result.outcome)]
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
    if amending:
        meetings.record_amendment(record, meeting, now)
    return entry


def _require_can_vote(
    member: Mapping[str, Any], present: set[int], roll: Any, meeting: Mapping[str, Any]
) -> None:
    if member["id"] in present:
        return
    if not member.get("voting", True):
        raise Refused("voter_non_voting", name=member["name"])
    if member["id"] in roll.excused:
        raise Refused("voter_on_leave", name=member["name"], date=meeting["date"])
    raise Refused("voter_absent", name=member["name"], date=meeting["date"])


def add_note(
    record: Record, meeting: Mapping[str, Any], topic: Mapping[str, Any], text: str, now: datetime
) -> Note:
    meeting = meetings.current(record, meeting)
    amending = meetings.require_open(meeting, record.amendment)
    require_on_agenda(meeting, topic)
    if not text.strip():
        raise BadInput("empty_text")
    note = documents.new_note(topic["id"], text, now)
    record.update_meeting(meeting["id"], {"notes": [*meeting.get("notes", []), note]})
    if amending:
        meetings.record_amendment(record, meeting, now)
    return note


def add_dissent(
    record: Record,
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    member: Mapping[str, Any],
    text: str,
    now: datetime,
) -> Dissent:
    """A named opinion, kept as said. From a member who was not there it is a written one."""
    meeting = meetings.current(record, meeting)
    amending = meetings.require_open(meeting, record.amendment)
    require_on_agenda(meeting, topic)
    if not text.strip():
        raise BadInput("empty_text")
    written = str(member["id"]) not in meeting.get("attendance", {})
    dissent = documents.new_dissent(topic["id"], member["id"], text, written=written, at=now)
    record.update_meeting(meeting["id"], {"dissents": [*meeting.get("dissents", []), dissent]})
    if amending:
        meetings.record_amendment(record, meeting, now)
    return dissent
