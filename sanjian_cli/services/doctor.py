"""`sanjian doctor`: the whole record checked, each problem with where it is.

Works on the raw TinyDB layout (not through Record), so that a store edited by hand with
missing fields or wrong types is reported, not crashed on. The hot file and its yearly
archives are checked as one record (a reference may cross files); the store itself reports
what is wrong with its files and its audit log (`Store.inspect`). A problem is
(where, catalog key, params); where is `table/id field` or a file and line.
"""

from __future__ import annotations

from typing import Any

from sanjian_cli.domain import vocab
from sanjian_cli.errors import BadInput
from sanjian_cli.store import Inspection, Store

Problem = tuple[str, str, dict[str, Any]]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[Problem] = []
        self.members = {int(k) for k in data.get("members", {})}
        self.topics = {int(k) for k in data.get("topics", {})}
        self.decisions = {int(k) for k in data.get("decisions", {})}
        self.dates = [m.get("date") for m in data.get("meetings", {}).values()]

    def add(self, where: str, key: str, **params: Any) -> None:
        self.problems.append((where, key, params))

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
        if value not in self.dates:
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

    def topics_(self) -> None:
        for doc_id, doc in self.data.get("topics", {}).items():
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

    def meetings_(self) -> None:
        seen: dict[Any, str] = {}
        decided: dict[int, str] = {}
        for doc_id, doc in sorted(self.data.get("meetings", {}).items(), key=lambda i: int(i[0])):
            day = doc.get("date")
            where = f"meetings/{doc_id} ({day})"
            if day in seen:
                self.add(where, "doctor.duplicate_meeting", other=seen[day])
            seen[day] = where
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
                self.vote(f"{where} votes.{key}", key, vote, present, on_agenda, decided)
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
        if cast > len(present):
            self.add(where, "doctor.votes_exceed", cast=cast, present=len(present))
        names: list[int] = []
        for side in ("yes_by", "no_by", "abstain_by"):
            for n, member in enumerate(vote.get(side) or []):
                self.ref(f"{where}.{side}[{n}]", member, self.members, "member")
                if _int(member) and member not in present:
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

    def decisions_(self) -> None:
        for doc_id, doc in self.data.get("decisions", {}).items():
            where = f"decisions/{doc_id}"
            self.text(where, doc, "text")
            self.ref(f"{where} owner", doc.get("owner"), self.members, "member", optional=True)
            self.ref(f"{where} topic", doc.get("topic"), self.topics, "topic")
            self.date_ref(f"{where} meeting", doc.get("meeting"), optional=False)
            if doc.get("status") not in ("open", "done"):
                self.add(f"{where} status", "doctor.bad_value", value=repr(doc.get("status")))


def check(found: Inspection) -> list[Problem]:
    """Every problem of the store `found` (`Store.inspect()`): what the store finds wrong
    with its files (archives) and its log, and the references and counts of the whole
    record, checked across the hot file and the archives as one."""
    where = str(found.path)
    if found.problem is not None:
        return [(where, "doctor.unreadable", {"problem": found.problem})]
    if found.too_new is not None:
        return [(where, "doctor.too_new", {"schema": found.too_new})]
    problems: list[Problem] = list(found.file_problems)
    checker = _Checker(found.whole or found.data)
    for step in (checker.committee, checker.members_, checker.topics_, checker.meetings_,
                 checker.decisions_):  # fmt: skip
        try:
            step()
        except (AttributeError, TypeError, ValueError, KeyError) as exc:
            # A document of the wrong shape: say where we were, keep the other checks.
            checker.add(step.__name__.strip("_"), "doctor.bad_shape", error=type(exc).__name__)
    problems.extend(checker.problems)
    problems.extend(found.log_problems)
    return problems


def examine(store: Store) -> list[Problem]:
    """`check` of the store as it is now."""
    return check(store.inspect())


def accept(store: Store, reason: str, edits_only: bool) -> dict[str, Any]:
    """Accept the store as it is, logged with `reason`: `--accept-edits` (an edit made
    outside sanjian) or `--adopt` (also a store behind its log). Returns the log entry."""
    if not reason.strip():
        raise BadInput("adopt_needs_reason")
    return store.adopt(reason, edits_only)
