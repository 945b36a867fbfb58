"""The documents of the record: one definition of each kind, its constructor, its upgrade
from older shapes, and its JSON projection.

The store keeps plain dicts in TinyDB's layout (`{table: {id: document}}`) and hands them
out as dicts with their id under "id". The definitions here are `TypedDict`s: a document
*is* that dict, so nothing is converted on the way in or out, while a type checker sees
every field by name. They exist for readers and the type checker only (under
`TYPE_CHECKING`: building two dozen TypedDict classes would cost every command about 2.5 ms);
import them the same way. For each kind:

- a `...Body` (the stored fields) and the document as read (the body with its `id`);
- `new_...`: the one constructor, with the defaults of a new document;
- `upgrade(table, doc)`: fills in what an older sanjian did not write, so a document read
  from any store has every field its constructor writes (a new document is left as it is);
- `..._json`: the projection that `--format json` prints (the contract in the README's
  "JSON output", pinned by tests/golden/).

Entries inside a meeting (a sign-in, a leave, a guest, a vote, a note, a dissent, an
amendment) and inside a decision item (a progress note) have constructors too, so a
correction can rebuild an entry exactly as a first entry would have been written.

Kinds: the committee (with its settings: `domain.settings` holds their keys and defaults),
member, topic, meeting, decision item. Status groups of topics live in `domain.vocab`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from sanjian_cli.domain import clock, pinyin

# -- the committee --------------------------------------------------------------------------


if TYPE_CHECKING:

    class _CommitteeRequired(TypedDict):
        name: str
        settings: dict[str, Any]  # keys and defaults: domain.settings.SPEC
        created_at: str

    class Committee(_CommitteeRequired, total=False):
        demo: bool  # made by `sanjian demo`, which may replace it


def new_committee(name: str, settings: dict[str, Any], created_at: datetime) -> Committee:
    return {"name": name, "settings": settings, "created_at": clock.iso(created_at)}


def config_json(
    committee: Mapping[str, Any], settings: Mapping[str, Any], store: str
) -> dict[str, Any]:
    """`config show --format json`: the name, every setting (defaults filled in), the store."""
    return {"name": committee["name"], "settings": dict(settings), "store": store}


# -- members --------------------------------------------------------------------------------


if TYPE_CHECKING:

    class MemberBody(TypedDict):
        name: str
        side: str  # vocab.SIDES
        lead: bool  # the side's principal lead (主要负责人)
        voting: bool  # False: attends without a vote (列席)
        org: str
        phone: str  # on the roster only, never on a paper
        joined: str | None  # YYYY-MM-DD; None only in stores from before it was kept
        retired: str | None  # the last day on the roster
        retire_reason: str
        # The name's pinyin syllables (zhang, jian, guo: typed as zjg or zhangjianguo);
        # members of an older store get it on the next change to the roster.
        pinyin: list[str]

    class Member(MemberBody):
        id: int


def new_member(
    name: str,
    side: str,
    *,
    lead: bool = False,
    voting: bool = True,
    org: str | None = None,
    phone: str | None = None,
    joined: date,
) -> MemberBody:
    return {
        "name": name,
        "side": side,
        "lead": lead,
        "voting": voting,
        "org": org or "",
        "phone": phone or "",
        "joined": joined.isoformat(),
        "retired": None,
        "retire_reason": "",
        "pinyin": pinyin.syllables(name),
    }


def member_json(member: Mapping[str, Any]) -> dict[str, Any]:
    """`member list` / `member show --format json`: empty text is null."""
    return {
        "id": member["id"],
        "name": member["name"],
        "side": member["side"],
        "lead": bool(member.get("lead")),
        "voting": bool(member.get("voting", True)),
        "org": member.get("org") or None,
        "phone": member.get("phone") or None,
        "joined": member.get("joined"),
        "retired": member.get("retired"),
        "retire_reason": member.get("retire_reason") or None,
    }


if TYPE_CHECKING:

    class Person(TypedDict):
        """A member as papers show them: never with a phone number."""

        id: int
        name: str
        side: str | None


def person_json(member_id: int, member: Mapping[str, Any] | None) -> Person:
    """The member `member_id` (`member`, or None when it is not on the record) on a paper."""
    if member is None:
        return {"id": member_id, "name": f"#{member_id}", "side": None}
    return {"id": member["id"], "name": member["name"], "side": member["side"]}


# -- topics ---------------------------------------------------------------------------------


if TYPE_CHECKING:

    class Rejection(TypedDict):
        by: int
        reason: str
        at: str

    class HistoryEntry(TypedDict):
        meeting: str  # the date of the meeting
        outcome: str  # vocab.OUTCOMES, or "carried" (left without a vote at its close)

    # "for" is a keyword: the functional form names it.
    _TopicRequired = TypedDict(
        "_TopicRequired",
        {
            "title": str,
            "by": int,  # the proposing member
            "for": str,  # a resident proposing through `by`
            "category": str,  # vocab.CATEGORIES
            "detail": str,
            "minutes": int,
            "urgent": bool,
            "major": bool,  # quorum of two thirds
            "proposed_at": str,
            "status": str,  # vocab.TOPIC_STATUSES
            "approvals": list[int],  # the leads who agreed, in order
            "rejection": Rejection | None,
            "meeting": str | None,  # the meeting it is scheduled for
            "carried": int,  # how often it was carried over (deferred, or left without a vote)
            "history": list[HistoryEntry],
        },
    )

    class TopicBody(_TopicRequired, total=False):
        accepted_at: str
        withdrawn_at: str

    class Topic(TopicBody):
        id: int


def new_topic(
    title: str,
    by: int,
    *,
    for_name: str | None = None,
    category: str = "other",
    detail: str | None = None,
    minutes: int,
    urgent: bool = False,
    major: bool = False,
    proposed_at: datetime,
) -> TopicBody:
    return {
        "title": title,
        "by": by,
        "for": for_name or "",
        "category": category,
        "detail": detail or "",
        "minutes": minutes,
        "urgent": urgent,
        "major": major,
        "proposed_at": clock.iso(proposed_at),
        "status": "proposed",
        "approvals": [],
        "rejection": None,
        "meeting": None,
        "carried": 0,
        "history": [],
    }


def new_rejection(by: int, reason: str, at: datetime) -> Rejection:
    return {"by": by, "reason": reason, "at": clock.iso(at)}


def history_entry(meeting: str, outcome: str) -> HistoryEntry:
    return {"meeting": meeting, "outcome": outcome}


def topic_json(topic: Mapping[str, Any]) -> dict[str, Any]:
    """`topic list` / `topic show --format json` (show adds `pending_sides`)."""
    return {
        "id": topic["id"],
        "title": topic["title"],
        "by": topic["by"],
        "for": topic.get("for") or None,
        "category": topic["category"],
        "detail": topic.get("detail") or None,
        "minutes": topic["minutes"],
        "urgent": bool(topic.get("urgent")),
        "major": bool(topic.get("major")),
        "status": topic["status"],
        "proposed_at": topic["proposed_at"],
        "approvals": list(topic.get("approvals", [])),
        "rejection": topic.get("rejection"),
        "meeting": topic.get("meeting"),
        "carried": int(topic.get("carried", 0)),
        "history": list(topic.get("history", [])),
    }


def topic_show_json(topic: Mapping[str, Any], pending_sides: Sequence[str]) -> dict[str, Any]:
    """`topic show --format json`: the topic and the sides whose lead has yet to agree."""
    return {**topic_json(topic), "pending_sides": list(pending_sides)}


# -- meetings and what is recorded at them ----------------------------------------------------


if TYPE_CHECKING:

    class _MarkRequired(TypedDict):
        at: str
        late: bool
        online: bool

    class Mark(_MarkRequired, total=False):
        """A sign-in (签到): `attendance[str(member id)]`."""

        left: str | None  # 离席: when the member left before the end (votes after it miss them)

    class _LeaveRequired(TypedDict):
        member: int
        reason: str
        filed_at: str  # when the notice was given: the deadline is judged on it
        excused: bool

    class Leave(_LeaveRequired, total=False):
        """A leave notice (请假); it excuses only when filed before the deadline."""

        entered_at: str  # when it was entered; after the start, the minutes say 补登

    class Guest(TypedDict):
        """A non-voting attendee (列席) who is not on the roster."""

        name: str
        org: str

    class Vote(TypedDict):
        """A vote, `votes[str(topic id)]`: the counts, who voted how when named, and the rule it
        was counted by, so the minutes can say why it passed or failed."""

        topic: int
        method: str  # vocab.METHODS
        yes: int
        no: int
        abstain: int
        yes_by: list[int]
        no_by: list[int]
        abstain_by: list[int]
        outcome: str  # vocab.OUTCOMES
        basis: str
        threshold: str
        base: int
        needed: int
        close: bool
        expected: int
        present: int
        at: str

    class Note(TypedDict):
        """A main point of the discussion of a topic."""

        topic: int
        text: str
        at: str

    class Dissent(TypedDict):
        """A named minority opinion, kept as said; `written` when the member was not there."""

        topic: int
        member: int
        text: str
        written: bool
        at: str

    # One fact changed by a correction or an amendment, from -> to (None: not there); the
    # kinds and their values are those of `domain.corrections` ("from" is a keyword).
    Change = TypedDict("Change", {"kind": str, "subject": Any, "from": Any, "to": Any})

    class _AmendmentRequired(TypedDict):
        at: str
        user: str  # the OS user, as the audit log has it
        reason: str

    class Amendment(_AmendmentRequired, total=False):
        """A change to a closed meeting or to approved minutes (`--amend --reason`)."""

        by: int | None  # who amended (--by; default the meeting's recorder)
        changes: list[Change]  # what changed, from -> to
        undoes: int  # the number of the log entry an undo reverted

    class Filed(TypedDict, total=False):
        """What a closed meeting's minutes keep as it stood when it closed, so a later
        change elsewhere (the roster, progress on decisions, a topic's details) does not
        rewrite them: the roll's 应到, the follow-up of earlier decisions, the topics as
        the minutes show them, and the meeting before it."""

        at: str  # when the meeting closed
        expected: list[int]  # 应到, member ids
        follow_up: list[dict[str, Any]]  # each `filed_action` of `action_json` at the close
        topics: dict[str, dict[str, Any]]  # str(topic id) -> the topic as the minutes show it
        previous: str | None  # the date of the meeting whose minutes it approved

    class Agenda(TypedDict):
        """The agenda as built (`agenda build`): ids, in order."""

        opening: list[str]  # "approve-minutes", "follow-up"
        followups: list[int]  # open decision items of earlier meetings
        topics: list[int]
        carried: dict[str, int]  # str(topic id) -> times carried over when put on this agenda
        waiting: list[int]  # accepted, but no time left
        late: list[int]  # proposed after the topic-collection deadline
        deadline: str  # the topic-collection deadline
        minutes: int  # minutes the agenda takes
        built_on: str  # YYYY-MM-DD: the day a build last changed it ("" before it was kept)

    class _MeetingRequired(TypedDict):
        date: str  # YYYY-MM-DD: a meeting is named by its date
        start: str
        duration: int
        place: str
        online: str
        chair: int | None
        recorder: int | None
        status: str  # MEETING_STATUSES
        end: str | None
        agenda: Agenda | None  # None until built
        attendance: dict[str, Mark]
        leaves: list[Leave]
        guests: list[Guest]
        votes: dict[str, Vote]
        notes: list[Note]
        dissents: list[Dissent]

    class MeetingBody(_MeetingRequired, total=False):
        created_at: str
        skip_reason: str | None
        approved_at: str
        approved_by: str | int | None  # the member who approved (an OS user in older stores)
        approved_user: str  # the OS user who ran `minutes approve`
        approved_digest: str  # SHA-256 of the minutes as approved (and as last amended)
        amendments: list[Amendment]
        filed: Filed  # fixed at the close (see Filed)

    class Meeting(MeetingBody):
        id: int


MEETING_STATUSES = ("planned", "closed", "skipped")
# Facts recorded at a meeting: a meeting holding any of them has been held, in part at least.
RECORDED = ("attendance", "leaves", "votes", "notes", "dissents")


def new_meeting(
    day: date,
    *,
    start: datetime,
    duration: int,
    place: str,
    online: str,
    chair: int | None,
    created_at: datetime,
) -> MeetingBody:
    """A planned meeting as the store keeps it, with nothing recorded yet."""
    return {
        "date": day.isoformat(),
        "start": clock.iso(start),
        "duration": duration,
        "place": place,
        "online": online,
        "chair": chair,
        "recorder": None,
        "status": "planned",
        "end": None,
        "agenda": None,
        "attendance": {},
        "leaves": [],
        "guests": [],
        "votes": {},
        "notes": [],
        "dissents": [],
        "created_at": clock.iso(created_at),
    }


def new_mark(
    at: datetime, *, late: bool = False, online: bool = False, left: datetime | None = None
) -> Mark:
    mark: Mark = {"at": clock.iso(at), "late": late, "online": online}
    if left is not None:
        mark["left"] = clock.iso(left)
    return mark


def new_leave(
    member: int,
    reason: str,
    filed_at: datetime,
    excused: bool,
    entered_at: datetime | None = None,
) -> Leave:
    """A leave notice given at `filed_at` and typed in at `entered_at` (the same moment
    unless it is entered afterwards, with `leave --filed-at`)."""
    return {
        "member": member,
        "reason": reason,
        "filed_at": clock.iso(filed_at),
        "excused": excused,
        "entered_at": clock.iso(entered_at or filed_at),
    }


def new_guest(name: str, org: str | None = None) -> Guest:
    return {"name": name, "org": org or ""}


def new_vote(
    topic: int,
    method: str,
    count: Any,
    rule: Any,
    result: Any,
    names: Mapping[str, Sequence[int]],
    at: str,
) -> Vote:
    """The vote on `topic` as counted (`tally.Count`, `tally.Rule`, `tally.Result`)."""
    return {
        "topic": topic,
        "method": method,
        "yes": count.yes,
        "no": count.no,
        "abstain": count.abstain,
        "yes_by": list(names.get("yes", [])),
        "no_by": list(names.get("no", [])),
        "abstain_by": list(names.get("abstain", [])),
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


def new_note(topic: int, text: str, at: datetime) -> Note:
    return {"topic": topic, "text": text, "at": clock.iso(at)}


def new_dissent(topic: int, member: int, text: str, *, written: bool, at: datetime) -> Dissent:
    return {"topic": topic, "member": member, "text": text, "written": written, "at": clock.iso(at)}


def new_amendment(
    at: datetime,
    user: str,
    reason: str,
    *,
    by: int | None = None,
    changes: Sequence[Mapping[str, Any]] = (),
) -> Amendment:
    return {
        "at": clock.iso(at),
        "user": user,
        "reason": reason,
        "by": by,
        "changes": [cast("Change", dict(c)) for c in changes],
    }


def new_agenda(
    *,
    opening: list[str],
    followups: list[int],
    topics: list[int],
    carried: dict[str, int],
    waiting: list[int],
    late: list[int],
    deadline: datetime,
    minutes: int,
    built_on: date,
) -> Agenda:
    return {
        "opening": opening,
        "followups": followups,
        "topics": topics,
        "carried": carried,
        "waiting": waiting,
        "late": late,
        "deadline": clock.iso(deadline),
        "minutes": minutes,
        "built_on": built_on.isoformat(),
    }


EMPTY_AGENDA: Agenda = {
    "opening": [],
    "followups": [],
    "topics": [],
    "carried": {},
    "waiting": [],
    "late": [],
    "deadline": "",
    "minutes": 0,
    "built_on": "",
}


def agenda_of(meeting: Mapping[str, Any]) -> Agenda:
    """The built agenda of `meeting`, or an empty one when it has not been built."""
    return cast("Agenda", {**EMPTY_AGENDA, **(meeting.get("agenda") or {})})


# The fields of a meeting in `meeting list --format json`; `meeting show` prints them all.
MEETING_LIST_FIELDS = ("date", "start", "end", "place", "online", "chair", "recorder", "status")


def meeting_json(meeting: Mapping[str, Any]) -> dict[str, Any]:
    """A meeting and everything recorded at it (`meeting_show_json` adds its counts)."""
    return {
        "date": meeting["date"],
        "start": meeting["start"],
        "end": meeting.get("end"),
        "duration": meeting["duration"],
        "place": meeting.get("place") or None,
        "online": meeting.get("online") or None,
        "chair": meeting.get("chair"),
        "recorder": meeting.get("recorder"),
        "status": meeting.get("status", "planned"),
        "agenda": meeting.get("agenda"),
        "attendance": meeting.get("attendance", {}),
        "leaves": meeting.get("leaves", []),
        "guests": meeting.get("guests", []),
        "votes": meeting.get("votes", {}),
        "notes": meeting.get("notes", []),
        "dissents": meeting.get("dissents", []),
    }


def meeting_show_json(meeting: Mapping[str, Any], counts: Mapping[str, int]) -> dict[str, Any]:
    """`meeting show --format json`: the meeting and the counts of its roll so far
    (`expected`, `present`, `leave`, `absent`)."""
    return {**meeting_json(meeting), "counts": dict(counts)}


def meeting_list_json(meeting: Mapping[str, Any]) -> dict[str, Any]:
    """`meeting list --format json`: the meeting's details, not what was recorded at it."""
    full = meeting_json(meeting)
    return {key: full[key] for key in MEETING_LIST_FIELDS}


def meeting_head_json(
    committee_name: str,
    meeting: Mapping[str, Any],
    chair: Person | None,
    recorder: Person | None,
) -> dict[str, Any]:
    """The head of every paper about `meeting` (agenda, minutes, notice): who and when."""
    return {
        "committee": committee_name,
        "date": meeting["date"],
        "start": meeting["start"],
        "end": meeting.get("end"),
        "duration": meeting["duration"],
        "place": meeting.get("place") or None,
        "online": meeting.get("online") or None,
        "chair": chair,
        "recorder": recorder,
        "status": meeting.get("status", "planned"),
    }


# -- decision items -------------------------------------------------------------------------


if TYPE_CHECKING:

    class ProgressNote(TypedDict):
        at: str
        text: str

    class DecisionBody(TypedDict):
        meeting: str  # the date of the meeting that took it
        topic: int
        text: str
        owner: int | None  # 责任人; None: 待定
        due: str | None  # 时限; None: 待定
        status: str  # DECISION_STATUSES
        created_at: str
        done_at: str | None
        notes: list[ProgressNote]

    class Decision(DecisionBody):
        id: int


DECISION_STATUSES = ("open", "done")


def new_decision(
    meeting: str,
    topic: int,
    text: str,
    *,
    owner: int | None,
    due: date | None,
    created_at: datetime,
) -> DecisionBody:
    """A decision item (议定事项); an owner or a deadline not given stays missing."""
    return {
        "meeting": meeting,
        "topic": topic,
        "text": text,
        "owner": owner,
        "due": due.isoformat() if due else None,
        "status": "open",
        "created_at": clock.iso(created_at),
        "done_at": None,
        "notes": [],
    }


def new_progress_note(at: datetime, text: str) -> ProgressNote:
    return {"at": clock.iso(at), "text": text}


def overdue(item: Mapping[str, Any], today: date) -> bool:
    """Open, and past its due day (the due day itself is still in time)."""
    return item["status"] == "open" and bool(item.get("due")) and item["due"] < today.isoformat()


def days_overdue(item: Mapping[str, Any], today: date) -> int:
    if not overdue(item, today):
        return 0
    return (today - date.fromisoformat(item["due"])).days


def as_decided(item: Mapping[str, Any]) -> dict[str, Any]:
    """`item` as the minutes of its meeting show it: what was decided (the text, 责任人,
    时限), without the progress made since, which belongs to later follow-ups."""
    return {**item, "status": "open", "done_at": None, "notes": []}


def action_json(item: Mapping[str, Any], owner: Person | None, today: date) -> dict[str, Any]:
    """`action list` / `action show --format json`, and a decision item on every paper."""
    notes = list(item.get("notes", []))
    return {
        "id": item["id"],
        "meeting": item["meeting"],
        "topic": item["topic"],
        "text": item["text"],
        "owner": owner,
        "due": item.get("due"),
        "status": item["status"],
        "done_at": item.get("done_at"),
        "overdue": overdue(item, today),
        "days_overdue": days_overdue(item, today),
        "latest_note": notes[-1]["text"] if notes else None,
        "notes": notes,
    }


# What a closed meeting keeps of an item it followed up: what a later edit could change.
_FILED_ACTION = ("id", "text", "owner", "due", "status", "done_at")


def filed_action(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A follow-up entry (`action_json` at the close) as a closed meeting keeps it: what a
    later edit of the item could change (its text, owner as named then, due day, status),
    and of its progress notes, which only ever grow, how many there were. The rest is the
    item's own for good (its meeting and topic) or follows from these (overdue, the latest
    note): an item open for a year would otherwise be kept again, with every note so far,
    in the minutes of each of its fifty meetings."""
    kept = {key: entry.get(key) for key in _FILED_ACTION}
    kept["notes_at_close"] = len(entry.get("notes") or [])
    return kept


def unfiled_action(
    entry: Mapping[str, Any], item: Mapping[str, Any] | None, day: date
) -> dict[str, Any]:
    """A follow-up entry as the minutes of the meeting of `day` show it (`action_json` at the
    close), from what the meeting kept (`filed_action`) and the item; an entry kept whole
    (by an older sanjian) as it is."""
    if "notes_at_close" not in entry:
        return dict(entry)
    found = item or {}
    state = {
        "id": entry["id"],
        "meeting": found.get("meeting"),
        "topic": found.get("topic"),
        **{key: entry.get(key) for key in _FILED_ACTION[1:] if key != "owner"},
        "notes": list(found.get("notes") or [])[: int(entry["notes_at_close"])],
    }
    return action_json(state, entry.get("owner"), day)


# -- documents that must be there -------------------------------------------------------------


def expect(found: Mapping[str, Any] | None, kind: str, key: object) -> Any:
    """`found`, a document just written or just resolved: its absence is a bug in sanjian
    (an internal error), never a user's mistake to be papered over with an empty one."""
    if found is None:
        raise LookupError(f"{kind} {key} is not in the record")
    return found


# -- old shapes -----------------------------------------------------------------------------

# What a document of each table holds when an older sanjian did not write it: the fields of
# its constructor that later code reads. Mutable defaults are copied for each document.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "members": {
        "lead": False,
        "voting": True,
        "org": "",
        "phone": "",
        "joined": None,
        "retired": None,
        "retire_reason": "",
    },
    "topics": {
        "for": "",
        "category": "other",
        "detail": "",
        "urgent": False,
        "major": False,
        "status": "proposed",
        "approvals": [],
        "rejection": None,
        "meeting": None,
        "carried": 0,
        "history": [],
    },
    "meetings": {
        "place": "",
        "online": "",
        "chair": None,
        "recorder": None,
        "status": "planned",
        "end": None,
        "agenda": None,
        "attendance": {},
        "leaves": [],
        "guests": [],
        "votes": {},
        "notes": [],
        "dissents": [],
    },
    "decisions": {
        "owner": None,
        "due": None,
        "status": "open",
        "done_at": None,
        "notes": [],
    },
}


def upgrade(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Bring `doc` of `table` to the current shape, in place, and return it: the fields an
    older sanjian did not write get their defaults; nothing present is changed, so a
    document written by this version comes back as it was (and so does one of a table or a
    shape this function does not know: doctor reports those)."""
    defaults = _DEFAULTS.get(table)
    if defaults is None or not isinstance(doc, dict):
        return doc
    for key, default in defaults.items():
        if key not in doc:
            doc[key] = type(default)() if isinstance(default, dict | list) else default
    return doc


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for each field that differs: what a correction changed, for the
    audit log and an amendment's "from → to"."""
    keys = [*before, *(k for k in after if k not in before)]
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
