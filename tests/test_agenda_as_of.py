"""The follow-up on an agenda is as of the day the agenda is built: an item not yet due that
day says when it falls due, never "overdue" counted to the meeting's day."""

from __future__ import annotations

import pytest
from _week import PRESENT_7, accepted, data


@pytest.fixture
def due_12_24(committee):  # noqa: ANN001, ANN201
    """A decision item of the meeting of 11-25 due 12-24, two others due 12-20 and 12-23,
    and the meeting of 12-30 planned."""
    run = committee
    first = accepted(run, "楼道堆物清理")
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", *PRESENT_7, now="2026-11-25T19:00")
    run("vote", "2026-11-25", str(first), "--yes", "7", now="2026-11-25T19:10")
    for text, due in (("每周巡查", "2026-12-24"), ("公示", "2026-12-20"), ("复查", "2026-12-23")):
        run("decide", "2026-11-25", str(first), text, "--owner", "陈静", "--due", due,
            now="2026-11-25T19:20")  # fmt: skip
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", "2026-12-30", now="2026-12-01T09:00")
    return run


def _follow_up(text: str) -> dict[str, str]:
    """The follow-up lines of an agenda, by the decision's text."""
    found = {}
    for line in text.splitlines():
        if "（责任人：" in line:
            # "   1. 每周巡查（责任人：…" (a numbered point of the follow-up item)
            found[line.strip().split(" ", 1)[-1].split("（")[0]] = line
    return found


def test_an_item_not_yet_due_on_the_build_day_is_not_overdue(due_12_24) -> None:  # noqa: ANN001
    run = due_12_24
    lines = _follow_up(run("agenda", "build", "2026-12-30", now="2026-12-23T09:00").stdout)
    assert "（将于 1 天后到期）" in lines["每周巡查"]
    assert "逾期" not in lines["每周巡查"]
    assert "（逾期 3 天）" in lines["公示"]  # due 12-20: overdue on 12-23
    assert "（今天到期）" in lines["复查"]


def test_the_json_agenda_says_what_day_it_is_as_of(due_12_24) -> None:  # noqa: ANN001
    run = due_12_24
    doc = data(run("agenda", "build", "2026-12-30", "--format", "json", now="2026-12-23T09:00"))
    assert doc["as_of"] == "2026-12-23"
    (follow,) = [i for i in doc["items"] if i["kind"] == "follow-up"]
    states = {a["text"]: (a["overdue"], a["days_overdue"]) for a in follow["actions"]}
    assert states == {"每周巡查": (False, 0), "公示": (True, 3), "复查": (False, 0)}


def test_an_agenda_rebuilt_unchanged_keeps_its_day_and_its_bytes(due_12_24) -> None:  # noqa: ANN001
    run = due_12_24
    built = run("agenda", "build", "2026-12-30", now="2026-12-23T09:00").stdout
    again = run("agenda", "build", "2026-12-30", now="2026-12-29T09:00").stdout
    assert again == built
    # A change to the agenda makes it a new build, as of its own day.
    accepted(run, "电动车充电棚", at="2026-12-24T10:00")
    changed = run("agenda", "build", "2026-12-30", now="2026-12-26T09:00")
    assert "（逾期 2 天）" in _follow_up(changed.stdout)["每周巡查"]
    assert data(run("meeting", "show", "2026-12-30", "--format", "json"))["agenda"]["built_on"] == (
        "2026-12-26"
    )


def test_english_agendas_say_due_in_days(due_12_24) -> None:  # noqa: ANN001
    text = due_12_24("agenda", "build", "2026-12-30", "--lang", "en", now="2026-12-21T09:00").stdout
    assert "(due in 3 days)" in text
    assert "(1 days overdue)" in text
