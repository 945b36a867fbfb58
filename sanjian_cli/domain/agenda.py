"""Which accepted topics go on a meeting's agenda, in which order, within its time.

Order: carried-over topics first (the more often carried, the earlier), then urgent ones, then
the oldest proposal; ties by topic id, so the order is total and the agenda deterministic.
Fitting is first-fit in that order: a topic that does not fit in the time left waits for the
next meeting, and a shorter one after it may still take the remaining time.

Topic collection closes `topic-deadline` hours before the meeting's start, counted on the
local wall clock (48 hours before Wednesday 19:00 is Monday 19:00, daylight saving or not).
A topic proposed after the deadline waits for the following meeting unless it is urgent;
one proposed exactly at the deadline is in time. Carried-over topics were proposed for an
earlier meeting and are never late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any


def collection_deadline(start: datetime, hours_before: int) -> datetime:
    """When topic collection closes for a meeting starting at `start` (local wall clock)."""
    wall = start.replace(tzinfo=None) - timedelta(hours=hours_before)
    return wall.replace(tzinfo=start.tzinfo)


def late(topic: Mapping[str, Any], deadline: datetime) -> bool:
    """Proposed after the deadline, and neither urgent nor carried over from a meeting."""
    if topic.get("urgent") or int(topic.get("carried", 0)):
        return False
    return datetime.fromisoformat(topic["proposed_at"]) > deadline


def priority(topic: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        -int(topic.get("carried", 0)),
        0 if topic.get("urgent") else 1,
        topic["proposed_at"],
        topic["id"],
    )


class Plan:
    # A plain class (its lists grow as the agenda is fitted), cheaper to build than a dataclass.
    def __init__(self, opening_minutes: int) -> None:
        self.opening_minutes = opening_minutes
        self.scheduled: list[Mapping[str, Any]] = []
        self.waiting: list[Mapping[str, Any]] = []
        self.late: list[Mapping[str, Any]] = []

    @property
    def used_minutes(self) -> int:
        return self.opening_minutes + sum(int(t["minutes"]) for t in self.scheduled)


def fit(
    topics: Iterable[Mapping[str, Any]],
    duration: int,
    opening_minutes: int,
    deadline: datetime | None = None,
) -> Plan:
    """Fit `topics` into `duration` minutes after `opening_minutes` of opening items;
    with a `deadline`, topics proposed after it wait (see `late`)."""
    result = Plan(opening_minutes=opening_minutes)
    left = duration - opening_minutes
    for topic in sorted(topics, key=priority):
        if deadline is not None and late(topic, deadline):
            result.late.append(topic)
            continue
        minutes = int(topic["minutes"])
        if minutes <= left:
            result.scheduled.append(topic)
            left -= minutes
        else:
            result.waiting.append(topic)
    return result
