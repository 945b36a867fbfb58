"""The counting rules of DOMAIN.md, with real numbers at the edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanjian_cli.domain import tally


@pytest.mark.parametrize(
    ("base", "needed"),
    [(9, 5), (10, 6), (1, 1), (2, 2), (3, 2)],
)
def test_more_than_half(base: int, needed: int) -> None:
    assert tally.needed("majority", base) == needed
    assert not tally.meets("majority", needed - 1, base)
    assert tally.meets("majority", needed, base)


@pytest.mark.parametrize(("base", "needed"), [(9, 6), (10, 7), (3, 2), (6, 4)])
def test_two_thirds_includes_the_number(base: int, needed: int) -> None:
    assert tally.needed("two-thirds", base) == needed
    assert tally.meets("two-thirds", needed, base)
    assert not tally.meets("two-thirds", needed - 1, base)


def test_quorum_at_exactly_half_is_not_enough() -> None:
    assert not tally.has_quorum(5, 10)
    assert tally.has_quorum(6, 10)
    assert not tally.has_quorum(5, 8, "two-thirds")
    assert tally.has_quorum(6, 9, "two-thirds")


def test_yes_at_exactly_half_of_expected_fails_but_passes_on_cast() -> None:
    count = tally.Count(yes=5, no=2, abstain=1, expected=10, present=8)
    assert tally.decide(count, tally.Rule()).outcome == "failed"
    assert tally.decide(count, tally.Rule(basis="cast")).outcome == "passed"
    assert tally.decide(count, tally.Rule(basis="present")).outcome == "passed"


def test_close_split_is_deferred_unless_urgent() -> None:
    count = tally.Count(yes=6, no=5, abstain=0, expected=11, present=11)
    rule = tally.Rule(close_margin=1)
    assert tally.decide(count, rule).outcome == "deferred"
    assert tally.decide(count, rule, urgent=True).outcome == "passed"
    assert tally.decide(count, tally.Rule()).outcome == "passed"


def test_chair_referral_and_deferral_stand_over_the_count() -> None:
    count = tally.Count(yes=9, no=0, abstain=0, expected=9, present=9)
    assert tally.decide(count, tally.Rule(), refer=True).outcome == "referred"
    assert tally.decide(count, tally.Rule(), defer=True).outcome == "deferred"


@given(st.integers(0, 200), st.integers(1, 200))
def test_threshold_matches_fractions(count: int, base: int) -> None:
    assert tally.meets("majority", count, base) == (count / base > 0.5)
    assert tally.meets("two-thirds", count, base) == (count * 3 >= base * 2)
    assert tally.meets("majority", tally.needed("majority", base), base)
