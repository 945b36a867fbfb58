"""What was true at the meeting stays true: the roll of a held meeting is fixed when it
closes, doctor checks every vote against its meeting's roll, and the leave deadline has one
wall-clock definition for the notice, the count and the message, daylight saving or not."""

from __future__ import annotations

import json

from _week import data
from _whole import whole_bytes

D = "2026-11-25"


def _five(run) -> None:  # noqa: ANN001
    """A committee of five voting members, three of them at the meeting of 11-25, which
    passes a topic by 3 votes of 应到 5 and is closed and approved."""
    run("init", "小区联席会议", "--lang", "zh", now="2026-11-01T09:00")
    for name, side, lead in (("甲", "cadre", True), ("乙", "social-worker", True),
                             ("丙", "volunteer", True), ("丁", "cadre", False),
                             ("戊", "volunteer", False)):  # fmt: skip
        run("member", "add", name, "--side", side, *(["--lead"] if lead else []),
            "--joined", "2026-01-01", now="2026-11-01T09:00")  # fmt: skip
    run("meeting", "plan", D, now="2026-11-10T09:00")
    run("topic", "add", "路灯维修", "--by", "丁", now="2026-11-20T09:00")
    for lead in ("甲", "乙", "丙"):
        run("topic", "approve", "1", "--by", lead, now="2026-11-20T09:00")
    run("agenda", "build", D, now="2026-11-23T09:00")
    run("attend", D, "甲", "乙", "丁", now="2026-11-25T19:00")
    run("vote", D, "1", "--yes", "3", now="2026-11-25T19:30")
    run("meeting", "close", D, "--end", "20:00", now="2026-11-25T20:00")
    run("minutes", "approve", D, now="2026-12-02T19:00")


def test_members_added_with_an_earlier_joining_day_leave_the_roll_as_it_was(run) -> None:
    _five(run)
    before = run("minutes", D).stdout
    assert "应到 5 人，实到 3 人" in before and "结果：通过" in before
    for name in ("己", "庚"):
        run("member", "add", name, "--side", "volunteer", "--joined", "2026-01-01",
            now="2026-12-03T09:00")  # fmt: skip
    assert run("minutes", D).stdout == before
    assert data(run("meeting", "show", D, "--format", "json"))["counts"]["expected"] == 5
    report = data(run("report", "attendance", "--format", "json", now="2026-12-03T09:00"))
    assert json.dumps(report).count('"expected": 5') >= 1
    assert run("doctor").exit_code == 0


def test_a_present_member_retired_back_dated_is_still_present(run) -> None:
    _five(run)
    before = run("minutes", D).stdout
    run("member", "retire", "丁", "--date", "2026-11-01", now="2026-12-03T09:00")
    assert run("minutes", D).stdout == before  # 实到 3 beside the vote of 3 yes
    assert run("doctor").exit_code == 0


def test_doctor_checks_each_vote_against_the_roll_of_its_meeting(run, db) -> None:
    _five(run)
    raw = json.loads(whole_bytes(db))
    meeting = next(m for m in raw["meetings"].values() if m["date"] == D)
    meeting["filed"]["expected"] = [1, 2, 3, 4, 5, 6, 7]  # as if 应到 had been 7
    raw["members"]["6"] = {**raw["members"]["5"], "name": "己"}
    raw["members"]["7"] = {**raw["members"]["5"], "name": "庚"}
    db.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    problems = data(run("doctor", "--format", "json", ok=False))["problems"]
    codes = {p["code"] for p in problems}
    assert {"vote_expected", "vote_no_quorum", "minutes_changed"} <= codes


def _new_york(run) -> None:  # noqa: ANN001
    run("init", "Brooklyn joint meeting", "--lang", "en", "--weekday", "sun", "--time", "10:00",
        now="2026-02-01T09:00")  # fmt: skip
    run("config", "set", "timezone", "America/New_York", now="2026-02-01T09:00")
    run("config", "set", "leave-deadline", "1440", now="2026-02-01T09:00")
    run("member", "add", "Ann", "--side", "cadre", "--lead", "--joined", "2026-01-01",
        now="2026-02-01T09:00")  # fmt: skip
    run("member", "add", "Bo", "--side", "volunteer", "--joined", "2026-01-01",
        now="2026-02-01T09:00")  # fmt: skip
    # Sunday 2026-03-08: the clocks spring forward at 02:00 that morning.
    run("meeting", "plan", "2026-03-08", now="2026-03-01T09:00")


def test_the_leave_deadline_across_a_change_of_the_clocks(run) -> None:
    _new_york(run)
    notice = run("notice", "2026-03-08", "--format", "json", now="2026-03-06T09:00").stdout
    assert json.loads(notice)["leave_deadline"] == "2026-03-07T10:00:00-05:00"  # Saturday 10:00
    in_time = run("leave", "Bo", "2026-03-08", "--reason", "away", now="2026-03-07T09:30-05:00")
    assert "in time: excused" in in_time.stderr
    run("leave", "Bo", "2026-03-08", "--remove", now="2026-03-07T09:40-05:00")
    late = run("leave", "Bo", "2026-03-08", "--reason", "away", now="2026-03-07T10:00-05:00")
    assert "after the deadline 2026-03-07 10:00" in late.stderr


def test_a_notice_entered_after_the_deadline_judged_on_when_it_was_given(run) -> None:
    _new_york(run)
    result = run("leave", "Bo", "2026-03-08", "--reason", "phoned on Friday",
                 "--filed-at", "2026-03-06 18:00", now="2026-03-08T10:05")  # fmt: skip
    assert "in time: excused" in result.stderr


def test_a_roster_change_during_the_meeting_leaves_its_votes_roll_alone(committee) -> None:
    run = committee
    run("topic", "add", "助餐点扩容", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead)
    run("agenda", "build", D)
    run("attend", D, "张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", now="2026-11-25T19:00")
    run("vote", D, "1", "--yes", "5", now="2026-11-25T19:30")
    run("member", "add", "郑红", "--side", "志愿者", "--joined", "2026-01-01",
        now="2026-11-25T19:40")  # fmt: skip
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    doc = data(run("minutes", D, "--format", "json"))
    assert doc["attendance"]["expected"] == 9 == doc["items"][-1]["vote"]["expected"]
    assert run("doctor").exit_code == 0


def test_members_imported_with_an_earlier_joining_day_leave_the_roll_as_it_was(
    run, tmp_path
) -> None:
    _five(run)
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名,方面,加入日期\n己,志愿者,2026-01-01\n庚,社工,2026-01-01\n", "utf-8")
    run("member", "import", str(sheet), now="2026-12-03T09:00")
    after = run("minutes", D).stdout
    assert "应到 5 人，实到 3 人" in after and "结果：通过" in after
    assert run("doctor", ok=False).exit_code == 0


def test_an_import_during_a_meeting_leaves_the_roll_its_votes_counted_on(run, tmp_path) -> None:
    _five(run)
    day = "2026-12-02"
    run("meeting", "plan", day, now="2026-11-26T09:00")
    run("topic", "add", "楼道灯", "--by", "丁", now="2026-11-26T09:00")
    for lead in ("甲", "乙", "丙"):
        run("topic", "approve", "2", "--by", lead, now="2026-11-26T09:00")
    run("agenda", "build", day, now="2026-11-30T09:00")
    run("attend", day, "甲", "乙", "丁", now="2026-12-02T19:00")
    run("vote", day, "2", "--yes", "3", now="2026-12-02T19:20")  # 3 of 应到 5: passed
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名,方面,加入日期\n己,志愿者,2026-01-01\n庚,社工,2026-01-01\n", "utf-8")
    run("member", "import", str(sheet), now="2026-12-02T19:40")  # the rolls are fixed first
    shown = data(run("meeting", "show", day, "--format", "json", now="2026-12-02T19:45"))
    assert shown["counts"]["expected"] == 5
    assert run("doctor", ok=False).exit_code == 0
