"""Properties of the rules with many cases: the attendance partition and agenda fitting."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from sanjian_cli.domain import agenda, attendance

DAY = date(2026, 11, 25)

member = st.fixed_dictionaries(
    {
        "voting": st.booleans(),
        "joined": st.sampled_from([None, "2026-01-01", "2026-11-25", "2026-11-26"]),
        "retired": st.sampled_from([None, "2026-11-24", "2026-11-25", "2026-12-31"]),
    }
)


@given(st.lists(member, max_size=25), st.data())
def test_roll_partitions_the_expected(members: list[dict], draw: st.DataObject) -> None:
    members = [{**m, "id": i + 1} for i, m in enumerate(members)]
    ids = [m["id"] for m in members]
    came = draw.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))
    excused = draw.draw(st.sets(st.sampled_from(ids)) if ids else st.just(set()))
    roll = attendance.roll(members, DAY, came, excused)
    expected = set(roll.expected)
    parts = [set(roll.present), set(roll.excused), set(roll.absent)]
    assert sum(len(p) for p in parts) == len(expected)  # disjoint
    assert set().union(*parts) == expected  # and covering
    on_roster = {m["id"] for m in members if m["voting"] and attendance.on_roster(m, DAY)}
    assert expected == on_roster
    assert set(roll.present) == came & expected  # those who came count, leave or not
    assert set(roll.excused) == (excused - came) & expected
    assert set(roll.non_voting_present) == came - expected
    counts = roll.counts
    assert counts["expected"] == counts["present"] + counts["leave"] + counts["absent"]


@given(st.integers(-600, 600), st.integers(0, 7 * 24 * 60))
def test_leave_is_in_time_only_strictly_before_the_deadline(offset: int, before: int) -> None:
    start = datetime(2026, 11, 25, 19, 0, tzinfo=timezone(timedelta(hours=8)))
    filed = start + timedelta(minutes=offset)
    assert attendance.leave_in_time(filed, start, before) == (offset < -before)


topic = st.fixed_dictionaries(
    {
        "minutes": st.integers(1, 120),
        "carried": st.integers(0, 3),
        "urgent": st.booleans(),
        "proposed_at": st.sampled_from(
            ["2026-11-01T10:00:00+08:00", "2026-11-10T10:00:00+08:00", "2026-11-20T10:00:00+08:00"]
        ),
    }
)


@given(st.lists(topic, max_size=20), st.integers(15, 600), st.integers(0, 30))
def test_plan_fits_the_duration_and_keeps_priority(
    topics: list[dict], duration: int, opening: int
) -> None:
    topics = [{**tp, "id": i + 1} for i, tp in enumerate(topics)]
    plan = agenda.fit(topics, duration, opening)
    scheduled = [tp["id"] for tp in plan.scheduled]
    waiting = [tp["id"] for tp in plan.waiting]
    assert sorted(scheduled + waiting) == [tp["id"] for tp in topics]
    if plan.scheduled:
        assert plan.used_minutes <= duration
    keys = [agenda.priority(tp) for tp in plan.scheduled]
    assert keys == sorted(keys)
    # first fit: every waiting topic was too long for the time left when its turn came
    left = duration - opening
    for tp in sorted(topics, key=agenda.priority):
        if tp["id"] in scheduled:
            left -= tp["minutes"]
        else:
            assert tp["minutes"] > left
    # carried-over topics are never passed over by a newer one that needs no more time
    for waiting_topic in plan.waiting:
        for other in plan.scheduled:
            if agenda.priority(other) > agenda.priority(waiting_topic):
                assert other["minutes"] < waiting_topic["minutes"]
