"""Votes, discussion notes and named dissent on an agenda topic (民主集中制).

The checks that refuse a vote live here; the arithmetic lives in `tally`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents, tally
from sanjian_cli.domain.attendance import on_roster
from sanjian_cli.domain.vocab import TOPIC_DECIDED
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import amendments, meetings, rolls
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
    at: datetime | None = None,
    correct: bool = False,
    reason: str | None = None,
) -> Vote:
    """Record the vote on `topic` at `meeting`, taken at `at` (default now), and apply its
    outcome to the topic. With `correct`, the recorded vote is replaced: the topic is put
    back as it was before that vote and the new one is counted exactly as a first one
    would be, every rule checked again."""
    meeting = meetings.current(record, meeting)
    amending = meetings.require_open(meeting, record.amendment)
    meetings.require_started(meeting, now)
    topic = documents.expect(record.topic(topic["id"]), "topic", topic["id"])
    require_on_agenda(meeting, topic)
    before = meeting
    old = meeting.get("votes", {}).get(str(topic["id"]))
    if correct:
        if old is None:
            raise Refused("no_vote_to_correct", id=topic["id"], date=meeting["date"])
        topic = _undo_outcome(record, meeting, topic, old)
        meeting = {**meeting, "votes": {k: v for k, v in meeting["votes"].items()
                                        if k != str(topic["id"])}}  # fmt: skip
        if at is None:
            at = clock.from_iso(old["at"])
    elif str(topic["id"]) in meeting.get("votes", {}) or topic["status"] in TOPIC_DECIDED:
        raise Refused("already_voted", id=topic["id"])
    if defer and refer:
        raise BadInput("defer_and_refer")
    if method == "ballot" and named is not None:
        raise BadInput("ballot_names")
    taken = at or now
    if taken > now or taken < meetings.start_of(meeting):
        raise BadInput("vote_time", at=taken.strftime("%H:%M"),
                       start=meetings.start_of(meeting).strftime("%H:%M"))  # fmt: skip
    roll = rolls.vote_roll(record, meeting, taken)
    present = set(roll.present)
    written = _written_voters(config, meeting, topic, roll)
    yes, no, abstain = counts
    names: dict[str, list[int]] = {"yes": [], "no": [], "abstain": []}
    if named is not None:
        seen: set[int] = set()
        for key, group in zip(("yes", "no", "abstain"), named, strict=True):
            for member in group:
                if member["id"] not in written:
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
    if yes + no + abstain > len(roll.present) + len(written):
        raise Refused("too_many_votes", cast=yes + no + abstain, present=len(roll.present))
    count = tally.Count(yes, no, abstain, len(roll.expected), len(roll.present))
    rule = rule_of(config)
    result = tally.decide(count, rule, urgent=bool(topic.get("urgent")), defer=defer, refer=refer)
    if correct and old is not None:
        _require_decisions_follow(record, meeting, topic, old, result.outcome)
    entry = documents.new_vote(topic["id"], method, count, rule, result, names, clock.iso(taken))
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
    if correct:
        from sanjian_cli.domain.corrections import change, vote_value

        fixed = change("vote", topic["id"], vote_value(old), vote_value(entry))
        amendments.log_correction(record, [fixed], reason)
    if amending:
        amendments.record_amendment(record, before, now)
    return entry


def _undo_outcome(
    record: Record, meeting: Mapping[str, Any], topic: Mapping[str, Any], old: Mapping[str, Any]
) -> dict[str, Any]:
    """Put `topic` back as it was before the vote `old` at `meeting` (to count a corrected
    vote as a first one). Refused once the topic has moved on: a deferred topic put on a
    later agenda or voted there."""
    history = list(topic.get("history", []))
    last = history[-1] if history else {}
    outcome = old.get("outcome")
    moved = last.get("meeting") != meeting["date"] or last.get("outcome") != outcome
    if outcome == "deferred":
        moved = moved or topic["status"] != "accepted" or topic.get("meeting") is not None
    else:
        moved = moved or topic["status"] != outcome
    if moved:
        raise Refused("vote_moved_on", id=topic["id"], date=meeting["date"],
                      later=topic.get("meeting") or (last.get("meeting") or ""))  # fmt: skip
    fields: dict[str, Any] = {"status": "scheduled", "meeting": meeting["date"],
                              "history": history[:-1]}  # fmt: skip
    if outcome == "deferred":
        fields["carried"] = max(0, int(topic.get("carried", 0)) - 1)
    record.update_topic(topic["id"], fields)
    return documents.expect(record.topic(topic["id"]), "topic", topic["id"])


def _require_decisions_follow(
    record: Record,
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    old: Mapping[str, Any],
    outcome: str,
) -> None:
    """A vote that passed and is corrected to one that does not keeps its decision items
    only if the secretary removes them: refuse, naming them."""
    if old.get("outcome") != "passed" or outcome == "passed":
        return
    items = [d["id"] for d in record.decisions_of(meeting["date"]) if d["topic"] == topic["id"]]
    if items:
        raise Refused("vote_correct_decisions", id=topic["id"],
                      items=", ".join(f"#{i}" for i in items), first=items[0])  # fmt: skip


def _written_voters(
    config: Mapping[str, Any], meeting: Mapping[str, Any], topic: Mapping[str, Any], roll: Any
) -> set[int]:
    """Absent members whose written opinion on `topic` counts as their vote, when the
    committee counts written opinions (setting written-opinions count); else none."""
    if config.get("written-opinions") != "count":
        return set()
    expected, present = set(roll.expected), set(roll.present)
    return {
        d["member"]
        for d in meeting.get("dissents", [])
        if d.get("topic") == topic["id"]
        and d.get("written")
        and d["member"] in expected
        and d["member"] not in present
    }


def _require_can_vote(
    member: Mapping[str, Any], present: set[int], roll: Any, meeting: Mapping[str, Any]
) -> None:
    if member["id"] in present:
        return
    if not member.get("voting", True):
        raise Refused("voter_non_voting", name=member["name"])
    if member["id"] in roll.left:
        raise Refused("voter_left", name=member["name"], date=meeting["date"])
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
        amendments.record_amendment(record, meeting, now)
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
    day = date.fromisoformat(meeting["date"])
    if not on_roster(member, day):
        raise Refused("dissent_off_roster", name=member["name"], date=meeting["date"])
    written = str(member["id"]) not in meeting.get("attendance", {})
    dissent = documents.new_dissent(topic["id"], member["id"], text, written=written, at=now)
    record.update_meeting(meeting["id"], {"dissents": [*meeting.get("dissents", []), dissent]})
    if amending:
        amendments.record_amendment(record, meeting, now)
    return dissent


def remove_note(
    record: Record,
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    number: int,
    now: datetime,
    reason: str | None = None,
) -> Note:
    """Take back point `number` (from 1, as `meeting show` and the minutes number the
    points of that topic) of the discussion of `topic`."""
    meeting = meetings.current(record, meeting)
    meetings.require_open(meeting, record.amendment)
    notes = list(meeting.get("notes", []))
    mine = [n for n in notes if n.get("topic") == topic["id"]]
    if not 1 <= number <= len(mine):
        raise NotFound("no_such_note", n=number, id=topic["id"], date=meeting["date"],
                       count=len(mine))  # fmt: skip
    gone = mine[number - 1]
    notes.remove(gone)
    record.update_meeting(meeting["id"], {"notes": notes})
    from sanjian_cli.domain.corrections import change

    amendments.correct(record, meeting, now, [change("note", topic["id"], gone["text"], None)],
                     reason)  # fmt: skip
    return gone


def remove_dissent(
    record: Record,
    meeting: Mapping[str, Any],
    topic: Mapping[str, Any],
    member: Mapping[str, Any],
    now: datetime,
    reason: str | None = None,
) -> list[Dissent]:
    """Take back the opinion(s) recorded for `member` on `topic` by mistake."""
    meeting = meetings.current(record, meeting)
    meetings.require_open(meeting, record.amendment)
    dissents = list(meeting.get("dissents", []))
    gone = [d for d in dissents if d.get("topic") == topic["id"] and d["member"] == member["id"]]
    if not gone:
        raise NotFound("no_such_dissent", name=member["name"], id=topic["id"],
                       date=meeting["date"])  # fmt: skip
    kept = [d for d in dissents if d not in gone]
    record.update_meeting(meeting["id"], {"dissents": kept})
    from sanjian_cli.domain.corrections import change

    subject = {"topic": topic["id"], "member": member["id"]}
    changes = [change("dissent", subject, d["text"], None) for d in gone]
    amendments.correct(record, meeting, now, changes, reason)
    return gone


def recount(
    record: Record,
    config: Mapping[str, Any],
    meeting: Mapping[str, Any],
    now: datetime,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """Count again, with the same counts and names, every vote of `meeting` whose roll a
    correction of attendance changed (a sign-in taken back, a departure): each is counted
    as `vote --correct` would count it, every rule checked again, and refused the same
    way. Returns the corrections of the votes whose record changed."""
    from sanjian_cli.domain.corrections import change, vote_value

    meeting = meetings.current(record, meeting)
    changed = []
    for key, old in sorted(meeting.get("votes", {}).items(), key=lambda kv: int(kv[0])):
        taken = clock.from_iso(old["at"])
        roll = rolls.vote_roll(record, meeting, taken)
        if (len(roll.present), len(roll.expected)) == (old.get("present"), old.get("expected")):
            continue
        topic = documents.expect(record.topic(int(key)), "topic", key)
        named: tuple[Voters, Voters, Voters] | None = None
        if any(old.get(side) for side in ("yes_by", "no_by", "abstain_by")):
            listed: dict[str, Any] = dict(old)
            yes_, no_, abstain_ = (
                [documents.expect(record.member(m), "member", m) for m in listed.get(side) or []]
                for side in ("yes_by", "no_by", "abstain_by")
            )
            named = (yes_, no_, abstain_)
        cast = old["yes"] + old["no"] + old["abstain"]
        entry = vote(
            record,
            config,
            meeting,
            topic,
            counts=(None, None, None)
            if named or not cast
            else (old["yes"], old["no"], old["abstain"]),  # fmt: skip
            named=named,
            method=old.get("method", "hands"),
            defer=old["outcome"] == "deferred" and not old.get("close"),
            refer=old["outcome"] == "referred",
            now=now,
            at=taken,
            correct=True,
            reason=reason,
        )
        changed.append(change("vote", int(key), vote_value(old), vote_value(entry)))
        meeting = meetings.current(record, meeting)
    return changed
