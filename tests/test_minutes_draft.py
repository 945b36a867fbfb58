"""Minutes of a meeting not yet held: a draft, without attendance figures before the start."""

from __future__ import annotations

from _week import PRESENT_7, accepted, data

D = "2026-11-25"  # the committee fixture's meeting, Wednesday 19:00


def test_before_the_start_the_minutes_are_a_draft_without_figures(committee) -> None:
    run = committee
    accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("leave", "赵敏", D, "--reason", "看病", now="2026-11-24T10:00")
    text = run("minutes", D, now="2026-11-25T18:00").stdout
    assert text.splitlines()[0] == "幸福里社区三工联席会议记录（草稿）"
    assert "（会议尚未开始，出勤情况待签到后记录）" in text
    assert "应到" not in text and "缺席" not in text
    assert "助餐点扩容" in text  # the agenda is there to be filled in
    doc = data(run("minutes", D, "--format", "json", now="2026-11-25T18:00"))
    assert (doc["draft"], doc["attendance"]) == (True, None)
    official = run("minutes", D, "--layout", "official", now="2026-11-25T18:00").stdout
    assert "出席：" not in official and "（会议尚未开始" in official
    english = run("minutes", D, "--lang", "en", now="2026-11-25T18:00").stdout
    assert english.startswith("幸福里社区三工联席会议: record of the meeting (draft)")


def test_from_the_start_the_figures_are_there_and_it_stays_a_draft_until_closed(committee) -> None:
    run = committee
    at_start = data(run("minutes", D, "--format", "json", now="2026-11-25T19:00"))
    assert at_start["draft"] is True
    assert at_start["attendance"]["expected"] == 9
    run("attend", D, *PRESENT_7, now="2026-11-25T19:00")  # signed in: it has begun
    early = data(run("minutes", D, "--format", "json", now="2026-11-25T18:55"))
    assert early["attendance"]["present"] == 7
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    closed = run("minutes", D, now="2026-11-25T20:31").stdout
    assert closed.splitlines()[0] == "幸福里社区三工联席会议记录"
    assert "应到 9 人，实到 7 人" in closed
    assert data(run("minutes", D, "--format", "json"))["draft"] is False
