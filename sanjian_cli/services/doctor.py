"""`sanjian doctor`: the whole record checked, each problem with where it is.

Works on the raw TinyDB layout (not through Record), so that a store edited by hand with
missing fields or wrong types is reported, not crashed on. The hot file and its yearly
archives are checked as one record (a reference may cross files); the store itself reports
what is wrong with its files and its audit log (`Store.inspecting`). A problem is
(where, catalog key, params); where is `table/id field` or a file and line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from sanjian_cli.domain import vocab
from sanjian_cli.errors import BadInput
from sanjian_cli.store import Inspection, Parts, Store

Problem = tuple[str, str, dict[str, Any]]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# The checks, in the order their problems are reported; each runs on every file in turn.
STEPS = ("committee", "members", "topics", "meetings", "decisions", "minutes")
ARCHIVED = ("meetings", "topics", "decisions")


class _Checker:
    """The checks of the record's content, a file at a time: first `learn` of each file's
    tables (the ids a reference may name, in any year), then `file` of each file whole,
    the hot file last. A document that a later file holds again is checked there only (the
    record is the later copy, as `archive.merge` has it)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data  # the hot file
        # step -> (the id of the document it is of, the problem): reported in id order,
        # whichever file holds the document
        self.found: dict[str, list[tuple[tuple[int, int | str], Problem]]] = {
            step: [] for step in STEPS
        }
        self.step = STEPS[0]
        self.at: tuple[int, int | str] = (0, 0)
        self.members = {int(k) for k in data.get("members", {}) if str(k).isdigit()}
        self.topics: set[int] = set()
        self.decisions: set[int] = set()
        self.dates: set[Any] = set()
        self.major: set[int] = set()
        # table -> id -> the file whose copy of the document is the record's (a year, or
        # None for the hot file)
        self.owner: dict[str, dict[str, int | None]] = {t: {} for t in ARCHIVED}
        self._date_of: dict[str, Any] = {}
        self._major_of: dict[str, bool] = {}
        self.again: dict[str, str] = {}  # meeting id -> the meeting before it on its date
        self.decided: dict[int, str] = {}
        self.broken: set[str] = set()  # steps that met a document of the wrong shape
        self._roster: list[dict[str, Any]] | None = None
        self._settings: dict[str, Any] | None = None

    @property
    def problems(self) -> list[Problem]:
        return [
            problem
            for step in STEPS
            for _at, problem in sorted(self.found[step], key=lambda found: found[0])
        ]

    def learn(self, tables: dict[str, Any], source: int | None) -> None:
        """What the tables of one file (an archive's year, or None: the hot file) hold, a
        later file's copy of a document replacing an earlier one's."""
        for table in ARCHIVED:
            rows = tables.get(table)
            if not isinstance(rows, dict):
                continue
            for key, doc in rows.items():
                self.owner[table][key] = source
                if table == "meetings":
                    self._date_of[key] = doc.get("date") if isinstance(doc, dict) else None
                elif table == "topics":
                    self._major_of[key] = isinstance(doc, dict) and bool(doc.get("major"))

    def settle(self) -> None:
        """The ids and dates a reference may name, once every file is learnt."""
        self.topics = {int(k) for k in self.owner["topics"] if str(k).isdigit()}
        self.decisions = {int(k) for k in self.owner["decisions"] if str(k).isdigit()}
        self.major = {int(k) for k, major in self._major_of.items() if major and k.isdigit()}
        seen: dict[Any, str] = {}
        for key in sorted(self._date_of, key=_id_order):
            day = self._date_of[key]
            with contextlib.suppress(TypeError):  # a date edited into a list, say
                self.dates.add(day)
                if day in seen:
                    self.again[key] = seen[day]
                seen[day] = f"meetings/{key} ({day})"
        self._date_of, self._major_of = {}, {}  # what the checks need is in the sets now

    def file(
        self, data: dict[str, Any], source: int | None, record: Any, parts: Parts | None = None
    ) -> None:
        """The checks of one file's documents (`record`: makes a record to print its
        minutes with, the file's year read already; `parts`: the parts written apart of
        documents `data` holds light, put back one document at a time)."""
        steps = {
            "topics": self.topics_,
            "meetings": self.meetings_,
            "decisions": self.decisions_,
            "minutes": lambda rows: self.minutes_(rows, record),
        }
        if source is None:
            steps = {"committee": lambda _rows: self.committee(),
                     "members": lambda _rows: self.members_(), **steps}  # fmt: skip
        for step, run in steps.items():
            table = "meetings" if step == "minutes" else step
            rows = data.get(table) or {}
            mine = self.owner.get(table)
            if isinstance(rows, dict):
                keep = [k for k in rows if mine is None or mine.get(k, source) == source]
                rows = _Docs(table, rows, keep, parts)
            self.step, self.at = step, (0, 0)
            try:
                run(rows)
            except (AttributeError, TypeError, ValueError, KeyError) as exc:
                # A document of the wrong shape: say where we were, keep the other checks.
                if step not in self.broken:
                    self.broken.add(step)
                    self.add(step, "doctor.bad_shape", error=type(exc).__name__)

    def add(self, where: str, key: str, **params: Any) -> None:
        self.found[self.step].append((self.at, (where, key, params)))

    def ref(
        self, where: str, value: Any, known: set[int], kind: str, optional: bool = False
    ) -> None:
        if value is None and optional:
            return
        if not _int(value) or value not in known:
            self.add(where, "doctor.dangling", kind=kind, value=repr(value))

    def text(self, where: str, doc: dict[str, Any], field: str) -> None:
        if not isinstance(doc.get(field), str) or not doc[field].strip():
            self.add(f"{where} {field}", "doctor.missing_field", field=field)

    def date_ref(self, where: str, value: Any, optional: bool = True) -> None:
        if value is None and optional:
            return
        try:
            known = value in self.dates
        except TypeError:  # not a date at all
            known = False
        if not known:
            self.add(where, "doctor.dangling", kind="meeting", value=repr(value))

    # -- tables -----------------------------------------------------------------------
    def committee(self) -> None:
        from sanjian_cli.domain import settings
        from sanjian_cli.errors import SanjianError

        docs = self.data.get("committee", {})
        if len(docs) > 1:
            self.add("committee", "doctor.many_committees", count=len(docs))
        for doc_id, doc in docs.items():
            where = f"committee/{doc_id}"
            self.text(where, doc, "name")
            values = doc.get("settings", {})
            if not isinstance(values, dict):
                self.add(f"{where} settings", "doctor.bad_value", value=repr(values))
                continue
            for key, value in values.items():
                if key not in settings.BY_KEY:
                    continue
                try:
                    settings.parse(key, str(value))
                except SanjianError:
                    self.add(f"{where} settings.{key}", "doctor.bad_value", value=repr(value))

    def members_(self) -> None:
        for doc_id, doc in self.data.get("members", {}).items():
            where = f"members/{doc_id}"
            self.text(where, doc, "name")
            if doc.get("side") not in vocab.SIDES:
                self.add(f"{where} side", "doctor.bad_value", value=repr(doc.get("side")))

    def topics_(self, rows: dict[str, Any]) -> None:
        for doc_id, doc in rows.items():
            self.at = _id_order(doc_id)
            where = f"topics/{doc_id}"
            self.text(where, doc, "title")
            self.ref(f"{where} by", doc.get("by"), self.members, "member")
            approvals = doc.get("approvals", [])
            for n, lead in enumerate(approvals if isinstance(approvals, list) else [None]):
                self.ref(f"{where} approvals[{n}]", lead, self.members, "member")
            if doc.get("status") not in vocab.TOPIC_STATUSES:
                self.add(f"{where} status", "doctor.bad_value", value=repr(doc.get("status")))
            if doc.get("status") == "scheduled":
                self.date_ref(f"{where} meeting", doc.get("meeting"), optional=False)
            else:
                self.date_ref(f"{where} meeting", doc.get("meeting"))

    def meetings_(self, rows: dict[str, Any]) -> None:
        decided = self.decided
        for doc_id in sorted(rows, key=int):
            doc = rows[doc_id]  # whole: its part put back now, let go after
            self.at = _id_order(doc_id)
            day = doc.get("date")
            where = f"meetings/{doc_id} ({day})"
            if doc_id in self.again:
                self.add(where, "doctor.duplicate_meeting", other=self.again[doc_id])
            for role in ("chair", "recorder"):
                self.ref(f"{where} {role}", doc.get(role), self.members, "member", optional=True)
            attendance = doc.get("attendance") or {}
            present = set()
            for key in attendance:
                value = int(key) if str(key).isdigit() else key
                self.ref(f"{where} attendance.{key}", value, self.members, "member")
                if _int(value):
                    present.add(value)
            for n, notice in enumerate(doc.get("leaves") or []):
                self.ref(f"{where} leaves[{n}].member", notice.get("member"), self.members,
                         "member")  # fmt: skip
            agenda = doc.get("agenda") or {}
            on_agenda = set()
            for n, topic in enumerate(agenda.get("topics", [])):
                self.ref(f"{where} agenda.topics[{n}]", topic, self.topics, "topic")
                on_agenda.add(topic)
            for n, topic in enumerate(agenda.get("waiting", [])):
                self.ref(f"{where} agenda.waiting[{n}]", topic, self.topics, "topic")
            for n, item in enumerate(agenda.get("followups", [])):
                self.ref(f"{where} agenda.followups[{n}]", item, self.decisions, "decision")
            for key, vote in (doc.get("votes") or {}).items():
                self.vote(f"{where} votes.{key}", key, vote, present, on_agenda, decided, doc)
                self.vote_roll(f"{where} votes.{key}", doc, vote)
            for kind in ("notes", "dissents"):
                for n, item in enumerate(doc.get(kind) or []):
                    self.ref(f"{where} {kind}[{n}].topic", item.get("topic"), self.topics, "topic")
                    if kind == "dissents":
                        self.ref(f"{where} {kind}[{n}].member", item.get("member"),
                                 self.members, "member")  # fmt: skip

    def vote(
        self,
        where: str,
        key: str,
        vote: dict[str, Any],
        present: set[int],
        on_agenda: set[Any],
        decided: dict[int, str],
        meeting: dict[str, Any] | None = None,
    ) -> None:
        topic = int(key) if str(key).isdigit() else key
        self.ref(where, topic, self.topics, "topic")
        if topic not in on_agenda:
            self.add(where, "doctor.vote_off_agenda", topic=key)
        found = [vote.get(k) for k in ("yes", "no", "abstain")]
        counts = [c for c in found if isinstance(c, int) and not isinstance(c, bool) and c >= 0]
        if len(counts) != len(found):
            self.add(where, "doctor.bad_value", value=repr(found))
            return
        cast = sum(counts)
        # With written-opinions count, an absent member's written opinion is their vote.
        written = self.written_voters(meeting or {}, vote)
        if cast > len(present) + len(written - present):
            self.add(where, "doctor.votes_exceed", cast=cast, present=len(present))
        names: list[int] = []
        for side in ("yes_by", "no_by", "abstain_by"):
            for n, member in enumerate(vote.get(side) or []):
                self.ref(f"{where}.{side}[{n}]", member, self.members, "member")
                if _int(member) and member not in present and member not in written:
                    self.add(f"{where}.{side}[{n}]", "doctor.voter_not_present", member=member)
                names.append(member)
            group = vote.get(side) or []
            if group and len(group) != vote.get(side[:-3]):
                self.add(f"{where}.{side}", "doctor.count_names", side=side[:-3])
        if len(names) != len(set(names)):
            self.add(where, "doctor.voted_twice")
        if vote.get("outcome") in vocab.TOPIC_DECIDED and isinstance(topic, int):
            if topic in decided:
                self.add(where, "doctor.decided_twice", topic=topic, other=decided[topic])
            decided[topic] = where

    def vote_roll(self, where: str, meeting: dict[str, Any], vote: dict[str, Any]) -> None:
        """The vote against the roll of its meeting at the time it was taken: 应到 as fixed
        at the close (else the roster of that day), present less those who had left."""
        from datetime import date as date_type

        from sanjian_cli.domain import attendance, clock, tally

        marks = meeting.get("attendance") or {}
        at = clock.from_iso(vote["at"]) if vote.get("at") else None
        gone = [int(k) for k, m in marks.items() if str(k).isdigit() and at is not None
                and m.get("left") and clock.from_iso(m["left"]) <= at]  # fmt: skip
        expected = (meeting.get("filed") or {}).get("expected")
        if self._roster is None:
            self._roster = [dict(m, id=int(k)) for k, m in self.data.get("members", {}).items()]
        roll = attendance.roll(
            self._roster,
            date_type.fromisoformat(meeting["date"]),
            [int(k) for k in marks if str(k).isdigit()],
            [n.get("member") for n in meeting.get("leaves") or [] if n.get("excused")],
            fixed=expected if isinstance(expected, list) else None,
            gone=gone,
        )
        if _int(vote.get("expected")) and vote["expected"] != len(roll.expected):
            self.add(where, "doctor.vote_expected", recorded=vote["expected"],
                     roll=len(roll.expected))  # fmt: skip
        # Present at the vote: those signed in then, less any who had left. A late arrival
        # signed in after it may raise the roll; a vote counting more than it has is wrong.
        if _int(vote.get("present")) and vote["present"] > len(roll.present):
            self.add(where, "doctor.vote_present", recorded=vote["present"],
                     roll=len(roll.present))  # fmt: skip
        counted = sum(int(vote.get(k) or 0) for k in ("yes", "no", "abstain")) > 0
        settings = self.settings()
        rule = settings["quorum"]
        if vote.get("topic") in self.major:
            rule = "two-thirds"
        if counted and not tally.has_quorum(len(roll.present), len(roll.expected), rule):
            self.add(where, "doctor.vote_no_quorum", present=len(roll.present),
                     expected=len(roll.expected))  # fmt: skip
        allowed = set(roll.present) | (self.written_voters(meeting, vote) & set(roll.expected))
        for side in ("yes_by", "no_by", "abstain_by"):
            for n, member in enumerate(vote.get(side) or []):
                if _int(member) and member in self.members and member not in allowed:
                    self.add(f"{where}.{side}[{n}]", "doctor.voter_not_in_roll", member=member)

    def written_voters(self, meeting: dict[str, Any], vote: dict[str, Any]) -> set[int]:
        """Members whose written opinion on the vote's topic counts as their vote."""
        if self.settings().get("written-opinions") != "count":
            return set()
        return {d.get("member") for d in meeting.get("dissents") or []
                if d.get("written") and d.get("topic") == vote.get("topic")}  # fmt: skip

    def settings(self) -> dict[str, Any]:
        from sanjian_cli.domain import settings

        if self._settings is None:
            self._settings = settings.defaults()
            for doc in self.data.get("committee", {}).values():
                if isinstance(doc.get("settings"), dict):
                    self._settings = settings.complete(doc["settings"])
                    break
        return self._settings

    def minutes_(self, rows: dict[str, Any], record: Any) -> None:
        """Approved minutes that no longer print as approved (other than by amendment)."""
        from sanjian_cli.errors import StoreError
        from sanjian_cli.services import papers

        built = None  # the record, built for the first approved minutes of the file
        for doc_id in sorted(rows, key=int):
            doc = rows[doc_id]
            self.at = _id_order(doc_id)
            kept = doc.get("approved_digest")
            if not doc.get("approved_at") or not isinstance(kept, str):
                continue
            meeting = dict(doc, id=int(doc_id))
            try:
                built = built if built is not None else record()
                printed = papers.digest(built, meeting)
            except StoreError:
                continue  # an archive it needs cannot be read: reported as a file problem
            if printed != kept:
                self.add(f"meetings/{doc_id} ({doc.get('date')})", "doctor.minutes_changed",
                         date=doc.get("date"), at=doc.get("approved_at"))  # fmt: skip

    def decisions_(self, rows: dict[str, Any]) -> None:
        for doc_id, doc in rows.items():
            self.at = _id_order(doc_id)
            where = f"decisions/{doc_id}"
            self.text(where, doc, "text")
            self.ref(f"{where} owner", doc.get("owner"), self.members, "member", optional=True)
            self.ref(f"{where} topic", doc.get("topic"), self.topics, "topic")
            self.date_ref(f"{where} meeting", doc.get("meeting"), optional=False)
            if doc.get("status") not in ("open", "done"):
                self.add(f"{where} status", "doctor.bad_value", value=repr(doc.get("status")))


class _Docs(Mapping[str, Any]):
    """The documents `keys` of a file's `table`, each whole when it is asked for (its part
    read from `parts` then): the checks go through them one at a time."""

    def __init__(
        self, table: str, rows: dict[str, Any], keys: list[str], parts: Parts | None
    ) -> None:
        self.table, self.rows, self.keys_, self.parts = table, rows, keys, parts

    def __getitem__(self, key: str) -> Any:
        doc = self.rows[key]
        return self.parts.whole(self.table, key, doc) if self.parts is not None else doc

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


def _id_order(key: str) -> tuple[int, int | str]:
    return (0, int(key)) if key.isdigit() else (1, key)


def _learn(checker: _Checker, found: Inspection, year: int) -> None:
    tables = found.tables(year)
    if tables is not None:
        checker.learn(tables, year)


def _check_year(checker: _Checker, found: Inspection, year: int) -> None:
    read = found.archive(year)
    if read is not None:
        data, parts = read
        # The minutes are printed with the year's documents light: each meeting checked is
        # given whole, and the record reads no other meeting's filed minutes.
        checker.file(data, year, lambda: found.record({year: data}), parts)


def check(found: Inspection) -> list[Problem]:
    """Every problem of the store `found` (`Store.inspecting()`): what the store finds wrong
    with its files (archives) and its log, and the references and counts of the whole
    record, checked across the hot file and the archives as one. The archives are read one
    at a time, twice: their tables for the ids a reference may name, then whole."""
    where = str(found.path)
    if found.problem is not None:
        return [(where, "doctor.unreadable", {"problem": found.problem})]
    if found.too_new is not None:
        return [(where, "doctor.too_new", {"schema": found.too_new})]
    checker = _Checker(found.data)
    # One archive decoded at a time: each is let go (a function's local) before the next.
    for year in found.years():
        _learn(checker, found, year)
    checker.learn(found.data, None)
    checker.settle()
    for year in found.years():
        _check_year(checker, found, year)
    problem = found.whole()
    if problem is not None:
        return [(where, "doctor.unreadable", {"problem": problem}), *found.file_problems]
    checker.file(found.data, None, lambda: found.record({}))
    return [*found.file_problems, *checker.problems, *found.log_problems]


def examine(store: Store) -> list[Problem]:
    """`check` of the store as it is now."""
    with store.inspecting() as found:
        return check(found)


def accept(store: Store, reason: str, edits_only: bool) -> dict[str, Any]:
    """Accept the store as it is, logged with `reason`: `--accept-edits` (an edit made
    outside sanjian) or `--adopt` (also a store behind its log). Returns the log entry."""
    if not reason.strip():
        raise BadInput("adopt_needs_reason")
    return store.adopt(reason, edits_only)
