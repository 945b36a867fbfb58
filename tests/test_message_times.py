"""Times in messages are the committee's local wall-clock time, with no zone abbreviation."""

from __future__ import annotations

import re

import pytest
from _week import PRESENT_7, refused

ZONE_WORD = re.compile(r"\b(CST|EST|EDT|UTC|GMT)\b|[+-]\d\d:\d\d")


@pytest.mark.parametrize(
    ("zone", "now", "deadline"),
    [
        ("Asia/Shanghai", "2026-11-22T09:00", "2026-11-23 19:00"),
        ("America/New_York", "2026-11-22T09:00", "2026-11-23 19:00"),
    ],
)
def test_the_topic_deadline_is_local_time_without_a_zone(run, zone, now, deadline) -> None:  # noqa: ANN001
    run("init", "幸福里社区三工联席会议", "--lang", "zh", "--timezone", zone)
    said = run("agenda", "build", "--next", "--if-due", now=now).stderr
    assert f"截止于 {deadline}" in said
    assert not ZONE_WORD.search(said), said


def test_approval_times_in_refusals_are_local_without_an_offset(committee, unchanged) -> None:
    run = committee
    run("attend", "2026-11-25", *PRESENT_7, now="2026-11-25T19:00")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    run("minutes", "approve", "2026-11-25", now="2026-12-02T19:05")
    line = refused(run, unchanged, "minutes", "approve", "2026-11-25")
    assert "2026-12-02 19:05" in line and not ZONE_WORD.search(line), line
    line = refused(run, unchanged, "guest", "2026-11-25", "钱阿姨")
    assert "2026-12-02 19:05" in line and not ZONE_WORD.search(line), line
