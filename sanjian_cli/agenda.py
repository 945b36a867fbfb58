"""Which accepted topics go on a meeting's agenda, in which order, within its time.

Order: carried-over topics first (the more often carried, the earlier), then urgent ones, then
the oldest proposal; ties by topic id, so the order is total and the agenda deterministic.
Fitting is first-fit in that order: a topic that does not fit in the time left waits for the
next meeting, and a shorter one after it may still take the remaining time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def priority(topic: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        -int(topic.get("carried", 0)),
        0 if topic.get("urgent") else 1,
        topic["proposed_at"],
        topic["id"],
    )


@dataclass
class Plan:
    opening_minutes: int
    scheduled: list[Mapping[str, Any]] = field(default_factory=list)
    waiting: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def used_minutes(self) -> int:
        return self.opening_minutes + sum(int(t["minutes"]) for t in self.scheduled)


def plan(
    topics: Iterable[Mapping[str, Any]],
    duration: int,
    opening_minutes: int,
) -> Plan:
    """Fit `topics` into `duration` minutes after `opening_minutes` of opening items."""
    result = Plan(opening_minutes=opening_minutes)
    left = duration - opening_minutes
    for topic in sorted(topics, key=priority):
        minutes = int(topic["minutes"])
        if minutes <= left:
            result.scheduled.append(topic)
            left -= minutes
        else:
            result.waiting.append(topic)
    return result
