"""Topic collection (议题征集) and agreement (协商确定).

A topic is proposed in writing by a member, possibly on behalf of a resident. Under the
`leads` rule it is accepted once the lead of each of the three sides has approved it; under
the `chair` rule the 政工 lead's approval is enough. Topic ids are never reused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.domain.vocab import SIDES, TOPIC_OPEN
from sanjian_cli.errors import BadInput, NotFound, Refused
from sanjian_cli.services import history, members
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Topic
    from sanjian_cli.domain.reports import Period


def resolve(record: Record, ref: str) -> Topic:
    text = ref.strip().lstrip("#")
    if not text.isdigit():
        raise BadInput("bad_topic_ref", ref=ref)
    topic = record.topic(int(text))
    if topic is None:
        raise NotFound("unknown_topic", ref=ref)
    return documents.expect(topic, "topic", text)


def _reread(record: Record, topic_id: int) -> Topic:
    return documents.expect(record.topic(topic_id), "topic", topic_id)


def listing(
    record: Record,
    status: str | None,
    *,
    search: str | None = None,
    category: str | None = None,
    period: Period | None = None,
) -> list[dict[str, Any]]:
    """The topics in `status` (None: all), by id (`topic list`); with `search`, those whose
    title, detail or resident (`for`) hold it (case ignored); with `category`, of that
    category; with `period`, proposed in it."""
    needle = search.casefold().strip() if search else ""

    def wanted(topic: dict[str, Any]) -> bool:
        if status is not None and topic["status"] != status:
            return False
        if category is not None and topic["category"] != category:
            return False
        if period is not None and topic["proposed_at"] not in period:
            return False
        if needle:
            text = " ".join(topic.get(k) or "" for k in ("title", "detail", "for")).casefold()
            return needle in text
        return True

    if status is not None and status in TOPIC_OPEN:
        return [tp for tp in record.topics_with_status(status) if wanted(tp)]  # all hot
    # The whole history: a closed year at a time, keeping only the topics listed (of a
    # topic held twice, the later copy).
    return history.latest(record, "topics", lambda topic: topic if wanted(topic) else None)


def show(record: Record, ref: str, rule: str, at: datetime) -> tuple[Topic, list[str]]:
    """The topic `ref` and the sides whose lead has yet to agree it (`topic show`)."""
    topic = resolve(record, ref)
    return topic, pending_sides(record, topic, rule, at)


def add(
    record: Record,
    *,
    title: str,
    by: Mapping[str, Any],
    for_name: str | None,
    category: str,
    detail: str | None,
    minutes: int,
    urgent: bool,
    major: bool,
    at: datetime,
) -> Topic:
    if not title.strip():
        raise BadInput("empty_title")
    if minutes < 1 or minutes > 600:
        raise BadInput("bad_minutes", value=minutes)
    members.require_active(by, at.date())
    doc = documents.new_topic(
        title,
        by["id"],
        for_name=for_name,
        category=category,
        detail=detail,
        minutes=minutes,
        urgent=urgent,
        major=major,
        proposed_at=at,
    )
    return _reread(record, record.add_topic(dict(doc)))


def pending_sides(record: Record, topic: Mapping[str, Any], rule: str, at: datetime) -> list[str]:
    """The sides whose lead has not yet approved `topic` (just 政工 under the chair rule);
    none once the topic is past approval."""
    if topic["status"] != "proposed":
        return []
    sides = ("cadre",) if rule == "chair" else SIDES
    approved = set(topic.get("approvals", []))
    pending = []
    for side in sides:
        lead = members.lead_of(record, side, at.date())
        if lead is None or lead["id"] not in approved:
            pending.append(side)
    return pending


def _require_status(topic: Mapping[str, Any], *allowed: str) -> None:
    if topic["status"] not in allowed:
        raise Refused("topic_wrong_status", id=topic["id"], status=topic["status"])


def approve(
    record: Record, topic: Mapping[str, Any], lead: Mapping[str, Any], rule: str, at: datetime
) -> tuple[Topic, list[str]]:
    """Record `lead`'s approval; returns the topic and the sides still to approve."""
    topic = _reread(record, topic["id"])
    _require_status(topic, "proposed")
    sides = ("cadre",) if rule == "chair" else SIDES
    if not any(
        (current := members.lead_of(record, side, at.date())) and current["id"] == lead["id"]
        for side in sides
    ):
        raise Refused("not_a_lead", name=lead["name"], rule=rule)
    approvals = list(topic.get("approvals", []))
    if lead["id"] in approvals:
        raise Refused("already_approved", name=lead["name"], id=topic["id"])
    approvals.append(lead["id"])
    record.update_topic(topic["id"], {"approvals": approvals})
    pending = pending_sides(record, _reread(record, topic["id"]), rule, at)
    if not pending:
        record.update_topic(topic["id"], {"status": "accepted", "accepted_at": clock.iso(at)})
    return _reread(record, topic["id"]), pending


def reject(
    record: Record, topic: Mapping[str, Any], lead: Mapping[str, Any], reason: str, at: datetime
) -> Topic:
    topic = _reread(record, topic["id"])
    _require_status(topic, "proposed", "accepted")
    if not lead.get("lead") or not members.active(lead, at.date()):
        raise Refused("not_a_lead", name=lead["name"], rule="leads")
    if not reason.strip():
        raise BadInput("empty_reason")
    rejection = documents.new_rejection(lead["id"], reason, at)
    record.update_topic(topic["id"], {"status": "rejected", "rejection": rejection})
    return _reread(record, topic["id"])


def withdraw(record: Record, topic: Mapping[str, Any], at: datetime) -> Topic:
    topic = _reread(record, topic["id"])
    _require_status(topic, "proposed", "accepted")
    record.update_topic(topic["id"], {"status": "withdrawn", "withdrawn_at": clock.iso(at)})
    return _reread(record, topic["id"])


# What the leads agreed to is the text of the topic: once any lead has approved it, its
# wording is fixed (propose a new topic instead); how urgent, how long and how major it is
# can still be adjusted by the secretary until it has been decided.
_WORDING = ("title", "detail", "for")
_SCHEDULING = ("category", "minutes", "urgent", "major")


def edit(record: Record, topic: Mapping[str, Any], changes: dict[str, Any]) -> Topic:
    """Change a topic's details; refuses wording changes once a lead has approved it."""
    topic = _reread(record, topic["id"])
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise BadInput("nothing_to_change")
    _require_status(topic, *TOPIC_OPEN)
    if "title" in changes and not str(changes["title"]).strip():
        raise BadInput("empty_title")
    if "minutes" in changes and not 1 <= int(changes["minutes"]) <= 600:
        raise BadInput("bad_minutes", value=changes["minutes"])
    wording = [k for k in changes if k in _WORDING]
    if wording and topic.get("approvals"):
        raise Refused("topic_wording_fixed", id=topic["id"])
    unknown = [k for k in changes if k not in _WORDING + _SCHEDULING]
    if unknown:
        raise BadInput("nothing_to_change")
    record.update_topic(topic["id"], changes)
    return _reread(record, topic["id"])
