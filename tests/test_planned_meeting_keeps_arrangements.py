"""A meeting planned without being told its recorder or link (by cron's `agenda build
--next`, or `meeting plan` alone) takes those of the meeting before it."""

from __future__ import annotations

from _week import data

LINK = "https://meeting.example.cn/xfl"


def _show(run, day: str) -> dict:  # noqa: ANN001
    return data(run("meeting", "show", day, "--format", "json"))


def test_the_cron_planned_meeting_keeps_the_recorder_and_the_link(committee) -> None:
    run = committee  # 11-25 is planned with 李秀兰 as recorder
    run("meeting", "plan", "2026-11-25", "--online", LINK)
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    run("agenda", "build", "--next", "--if-due", now="2026-11-30T19:00")
    planned = _show(run, "2026-12-02")
    assert (planned["recorder"], planned["online"]) == (2, LINK)  # 李秀兰 is #2
    # and so on, week after week
    run("meeting", "plan", "2026-12-09", now="2026-12-03T09:00")
    assert (_show(run, "2026-12-09")["recorder"], _show(run, "2026-12-09")["online"]) == (2, LINK)


def test_told_otherwise_the_new_meeting_takes_what_it_is_told(committee) -> None:
    run = committee
    run("meeting", "plan", "2026-11-25", "--online", LINK)
    run("meeting", "plan", "2026-12-02", "--recorder", "刘洋", "--online", "https://x.example/2")
    shown = _show(run, "2026-12-02")
    assert (shown["recorder"], shown["online"]) == (5, "https://x.example/2")


def test_without_a_link_before_it_the_committee_s_link_is_used(committee) -> None:
    run = committee
    run("config", "set", "online", "https://committee.example/weekly")
    run("meeting", "plan", "2026-12-02")
    assert _show(run, "2026-12-02")["online"] == "https://committee.example/weekly"


def test_a_recorder_who_has_left_is_not_carried_over(committee) -> None:
    run = committee
    run("member", "retire", "李秀兰", "--date", "2026-11-30")
    run("meeting", "plan", "2026-12-02")
    assert _show(run, "2026-12-02")["recorder"] is None


def test_the_first_meeting_has_no_recorder_until_one_is_named(run) -> None:  # noqa: ANN001
    run("init", "幸福里社区三工联席会议", "--lang", "zh")
    run("member", "add", "张建国", "--side", "政工", "--lead", "--joined", "2026-01-01")
    run("meeting", "plan", "2026-11-25")
    shown = _show(run, "2026-11-25")
    assert (shown["recorder"], shown["chair"], shown["online"]) == (None, 1, None)
