"""Quorum and the counting of votes under 民主集中制.

Plain arithmetic on whole numbers: "more than half" of n is the smallest integer above n / 2
(超过半数: 5 of 9, 6 of 10); "two thirds" means at least two thirds (三分之二以上 includes the
number itself: 6 of 9, 7 of 10).
"""

from __future__ import annotations

from typing import NamedTuple


def more_than_half(count: int, base: int) -> bool:
    return 2 * count > base


def at_least_two_thirds(count: int, base: int) -> bool:
    return 3 * count >= 2 * base


def meets(threshold: str, count: int, base: int) -> bool:
    """`count` of `base` meets `threshold` ("majority" or "two-thirds"); never on a base of 0."""
    if base <= 0:
        return False
    if threshold == "two-thirds":
        return at_least_two_thirds(count, base)
    return more_than_half(count, base)


def needed(threshold: str, base: int) -> int:
    """The smallest count of `base` that meets `threshold`."""
    for count in range(base + 1):
        if meets(threshold, count, base):
            return count
    return base + 1


def has_quorum(present: int, expected: int, rule: str = "majority") -> bool:
    """Quorum: more than half of 应到 (or two thirds for major matters) are present."""
    return meets(rule, present, expected)


class Rule(NamedTuple):
    """The committee's counting rule: basis (expected / present / cast), threshold, margin."""

    basis: str = "expected"
    threshold: str = "majority"
    close_margin: int = 0


class Count(NamedTuple):
    yes: int
    no: int
    abstain: int
    expected: int
    present: int

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


class Result(NamedTuple):
    outcome: str  # passed / failed / deferred / referred
    base: int  # the number the threshold was measured against
    needed: int  # yes votes that would have been needed
    close: bool  # a close split under the committee's margin


def base_of(count: Count, basis: str) -> int:
    if basis == "present":
        return count.present
    if basis == "cast":
        return count.cast
    return count.expected


def decide(
    count: Count,
    rule: Rule,
    *,
    urgent: bool = False,
    defer: bool = False,
    refer: bool = False,
) -> Result:
    """The outcome of a vote.

    The chair's referral (报上级) or deferral (暂缓) stands over the count. A close split
    (|yes - no| within the committee's margin, margin 0 meaning the rule is off) is deferred
    unless the topic is urgent, as DOMAIN.md describes.
    """
    base = base_of(count, rule.basis)
    need = needed(rule.threshold, base)
    close = rule.close_margin > 0 and abs(count.yes - count.no) <= rule.close_margin
    if refer:
        outcome = "referred"
    elif defer or (close and not urgent):
        outcome = "deferred"
    elif meets(rule.threshold, count.yes, base):
        outcome = "passed"
    else:
        outcome = "failed"
    return Result(outcome=outcome, base=base, needed=need, close=close)
