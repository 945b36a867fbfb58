"""The targeted corrections: each entry a secretary can make is corrected or taken back
without `restore`, logged with old and new values and the reason; on a closed meeting only
as an amendment, which the minutes list under 修订记录 with who, what from -> to and why;
and a refused correction leaves the store byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _week import PRESENT_7, accepted, data, refused

from sanjian_cli.store import audit

D = "2026-11-25"
AT = "2026-11-25T19:00"


@pytest.fixture
def meeting(committee):  # noqa: ANN001, ANN201
    """The meeting of 11-25 under way: topic 1 on its agenda, seven signed in at 19:00."""
    run = committee
    accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, *PRESENT_7, now=AT)
    return run


def _last(db: Path) -> dict:
    return audit.entries(db)[-1]


def _meeting(run) -> dict:  # noqa: ANN001
    return data(run("meeting", "show", D, "--format", "json"))


def _close_and_approve(run) -> None:  # noqa: ANN001
    run("vote", D, "1", "--yes", "5", "--no", "1", now="2026-11-25T19:30")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("minutes", "approve", D, now="2026-12-02T19:10")


# -- sign-ins ---------------------------------------------------------------------------------
def test_a_sign_in_taken_back_on_the_meeting_day_is_logged_with_old_and_new(meeting, db) -> None:
    run = meeting
    result = run("attend", D, "周大伟", "--remove", "--reason", "签错人", now="2026-11-25T19:05")
    assert "已撤销签到：周大伟" in result.stderr
    assert "8" not in _meeting(run)["attendance"]
    entry = _last(db)
    assert entry["reason"] == "签错人"
    assert entry["corrections"] == [
        {"kind": "attendance", "subject": 8, "from": {"late": False, "online": False,
                                                     "left": None}, "to": None}
    ]  # fmt: skip


def test_signing_in_again_says_what_changed(meeting) -> None:
    run = meeting
    run("attend", D, "刘洋", "--late", now="2026-11-25T19:10")
    result = run("attend", D, "刘洋", "--online", now="2026-11-25T19:12")
    assert "已更正 刘洋 的签到：迟到 → 线上" in result.stderr
    mark = _meeting(run)["attendance"]["5"]
    assert (mark["late"], mark["online"], mark["at"]) == (False, True, "2026-11-25T19:00:00+08:00")


def test_a_correction_after_approval_is_refused_unless_amended(meeting, db, unchanged) -> None:
    run = meeting
    _close_and_approve(run)
    line = refused(run, unchanged, "attend", D, "王志强", "--remove", now="2026-12-02T19:20")
    assert "已于 2026-12-02 19:10" in line and "--amend" in line
    run("attend", D, "王志强", "--remove", "--amend", "--reason", "王志强当天未到",
        "--by", "张建国", now="2026-12-02T19:20")  # fmt: skip
    text = run("minutes", D, now="2026-12-02T19:30").stdout
    amendments = text.split("修订记录")[1]
    assert "2026年12月2日 19:20（张建国）：王志强当天未到" in amendments
    assert "签到 王志强：准时 → 未签到" in amendments
    doc = data(run("minutes", D, "--format", "json"))
    change = doc["amendments"][0]["changes"][0]
    assert change["kind"] == "attendance" and change["subject"]["name"] == "王志强"
    assert run("doctor").exit_code == 0


def test_an_amendment_names_the_recorder_by_default(meeting) -> None:
    run = meeting
    _close_and_approve(run)
    run("--amend", "--reason", "补记", "note", D, "1", "补记：资金来源待定", now="2026-12-02T19:20")
    doc = data(run("minutes", D, "--format", "json"))
    assert doc["amendments"][0]["by"]["name"] == "李秀兰"  # the meeting's recorder
    assert doc["amendments"][0]["changes"] == [
        {"kind": "note", "subject": 1, "from": None, "to": "补记：资金来源待定"}
    ]


def test_a_sign_in_named_in_a_vote_cannot_be_taken_back(meeting, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes-by", "张建国,李秀兰,王志强,陈静", "--no-by", "刘洋",
        now="2026-11-25T19:30")  # fmt: skip
    line = refused(run, unchanged, "attend", D, "刘洋", "--remove", now="2026-11-25T19:40")
    assert "--correct" in line


def test_leaving_early_is_recorded_and_later_votes_do_not_count_them(meeting, unchanged) -> None:
    run = meeting
    run("attend", D, "周大伟", "--left", "19:30", now="2026-11-25T19:31")
    line = refused(run, unchanged, "vote", D, "1", "--yes-by", "周大伟", now="2026-11-25T19:40")
    assert "已离席" in line
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:40")
    vote = _meeting(run)["votes"]["1"]
    assert (vote["present"], vote["expected"]) == (6, 9)
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    text = run("minutes", D).stdout
    assert "周大伟（19:30 离席）" in text
    assert "实到 7 人" in text  # they were there: 实到, but not at the vote


# -- leave ------------------------------------------------------------------------------------
def test_a_leave_taken_back_and_filed_again(committee) -> None:
    run = committee
    run("leave", "赵敏", D, "--reason", "看病", now="2026-11-24T10:00")
    run("leave", "赵敏", D, "--remove", "--reason", "填错人", now="2026-11-24T10:05")
    assert _meeting(run)["leaves"] == []
    run("leave", "吴晓梅", D, "--reason", "加班", now="2026-11-24T10:06")


@pytest.mark.parametrize(
    ("filed", "excused"), [("2026-11-25 17:59", True), ("2026-11-25 18:00", False)]
)
def test_a_leave_back_dated_one_minute_before_or_at_the_deadline(
    committee, filed: str, excused: bool
) -> None:
    run = committee
    run("config", "set", "leave-deadline", "60")  # the deadline: 18:00 on the day
    result = run("leave", "赵敏", D, "--reason", "电话请假", "--filed-at", filed,
                 now="2026-11-25T19:03")  # fmt: skip
    assert ("计为请假" in result.stderr) is excused
    if not excused:
        assert "截止时间 2026-11-25 18:00" in result.stderr
    notice = _meeting(run)["leaves"][0]
    assert notice["filed_at"] == filed.replace(" ", "T") + ":00+08:00"
    assert notice["entered_at"] == "2026-11-25T19:03:00+08:00"  # both times are kept
    assert notice["excused"] is excused
    run("attend", D, *PRESENT_7, now=AT)
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    text = run("minutes", D).stdout
    if excused:
        assert "请假：赵敏（电话请假，补登）" in text
    else:
        assert "缺席：赵敏（请假晚于截止时间：电话请假）" in text


def test_a_leave_cannot_be_filed_in_the_future(committee, unchanged) -> None:
    line = refused(committee, unchanged, "leave", "赵敏", D, "--reason", "x", "--filed-at",
                   "2026-11-23 10:00", code=2)  # fmt: skip
    assert "晚于现在" in line


def test_leave_refusals(meeting, unchanged) -> None:
    run = meeting
    line = refused(run, unchanged, "leave", "刘洋", D, "--reason", "有事", now="2026-11-25T19:01")
    assert "已在 2026-11-25 的会议签到" in line
    run("leave", "赵敏", D, "--reason", "看病", now="2026-11-25T19:02")
    line = refused(run, unchanged, "leave", "赵敏", D, "--reason", "再请", now="2026-11-25T19:03")
    assert "已为 2026-11-25 的会议请过假" in line and "--remove" in line


def test_a_day_without_a_meeting_points_to_the_nearest(committee, unchanged) -> None:
    line = refused(committee, unchanged, "leave", "赵敏", "2026-11-24", "--reason", "看病")
    assert "最近的一次会议在 2026-11-25" in line and "meeting plan" not in line
    line = refused(committee, unchanged, "attend", "2026-11-26", "赵敏")
    assert "2026-11-25" in line and "meeting plan" not in line


# -- guests, notes, dissent -------------------------------------------------------------------
def test_a_guest_a_note_and_a_dissent_taken_back(meeting, db) -> None:
    run = meeting
    run("guest", D, "钱阿姨", "--org", "居民代表", now=AT)
    run("guest", D, "钱阿姨", "--remove", "--reason", "未到场", now="2026-11-25T19:10")
    run("note", D, "1", "第一点", now="2026-11-25T19:11")
    run("note", D, "1", "第二点", now="2026-11-25T19:12")
    shown = run("meeting", "show", D).stdout
    assert "1. 第一点" in shown and "2. 第二点" in shown  # numbered as --remove takes them
    run("note", D, "1", "--remove", "1", now="2026-11-25T19:13")
    run("dissent", D, "1", "周大伟", "担心资金", now="2026-11-25T19:14")
    run("dissent", D, "1", "周大伟", "--remove", now="2026-11-25T19:15")
    after = _meeting(run)
    assert after["guests"] == [] and after["dissents"] == []
    assert [n["text"] for n in after["notes"]] == ["第二点"]
    kinds = [c["kind"] for e in audit.entries(db) for c in e.get("corrections", [])]
    assert kinds == ["guest", "note", "dissent"]


def test_a_note_number_that_is_not_there(meeting, unchanged) -> None:
    line = refused(meeting, unchanged, "note", D, "1", "--remove", "3")
    assert "没有第 3 条讨论要点" in line


def test_a_dissent_by_a_member_off_the_roster_is_refused(meeting, unchanged) -> None:
    run = meeting
    run("member", "add", "新来的", "--side", "志愿者", "--joined", "2026-12-01")
    line = refused(run, unchanged, "dissent", D, "1", "新来的", "反对")
    assert "不在成员名单上" in line


# -- votes ------------------------------------------------------------------------------------
def test_names_with_a_secret_ballot_are_refused(meeting, unchanged) -> None:
    line = refused(meeting, unchanged, "vote", D, "1", "--method", "ballot", "--yes-by",
                   "张建国,李秀兰", now="2026-11-25T19:30", code=2)  # fmt: skip
    assert "无记名投票只记票数" in line


def test_a_corrected_vote_is_tallied_exactly_like_a_fresh_one(meeting, run, db, tmp_path) -> None:
    meeting("vote", D, "1", "--yes", "4", "--no", "2", "--abstain", "1", now="2026-11-25T19:30")
    assert _topic(meeting)["status"] == "failed"
    meeting("vote", D, "1", "--yes", "5", "--no", "1", "--abstain", "1", "--correct",
            "--reason", "点票有误", now="2026-11-25T19:50")  # fmt: skip
    corrected = _meeting(meeting)["votes"]["1"]
    topic = _topic(meeting)
    entry = _last(db)
    assert entry["corrections"][0]["from"]["outcome"] == "failed"
    assert entry["corrections"][0]["to"]["outcome"] == "passed"
    # The same vote recorded first time, in a store of its own.
    other = tmp_path / "fresh.json"
    fresh = _other_store(other)
    accepted(fresh, "助餐点扩容")
    fresh("agenda", "build", D)
    fresh("attend", D, *PRESENT_7, now=AT)
    fresh("vote", D, "1", "--yes", "5", "--no", "1", "--abstain", "1", now="2026-11-25T19:30")
    first = data(fresh("meeting", "show", D, "--format", "json"))["votes"]["1"]
    assert corrected == first  # the time of the vote is kept, so even `at` agrees
    assert topic["status"] == _topic(fresh)["status"] == "passed"
    assert topic["history"] == _topic(fresh)["history"]


def _other_store(path: Path):  # noqa: ANN202
    from _week import Go, found_committee

    go = Go(path)
    found_committee(go)
    return go


def _topic(run, topic: str = "1") -> dict:  # noqa: ANN001
    return data(run("topic", "show", topic, "--format", "json"))


def test_a_pass_corrected_to_a_fail_keeps_its_decisions_only_if_removed(meeting, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", D, "1", "扩容", "--owner", "陈静", now="2026-11-25T19:31")
    line = refused(run, unchanged, "vote", D, "1", "--yes", "3", "--no", "3", "--correct",
                   now="2026-11-25T19:40")  # fmt: skip
    assert "#1" in line and "action remove 1" in line
    run("action", "remove", "1", "--reason", "表决有误", now="2026-11-25T19:41")
    run("vote", D, "1", "--yes", "3", "--no", "3", "--correct", now="2026-11-25T19:42")
    assert _topic(run)["status"] == "failed"
    assert data(run("action", "list", "--format", "json")) == []


def test_a_deferred_vote_corrected_after_the_topic_moved_on_is_refused(meeting, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--defer", now="2026-11-25T19:30")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", "2026-12-02", now="2026-11-26T09:00")
    run("agenda", "build", "2026-12-02", now="2026-11-30T09:00")
    line = refused(run, unchanged, "--amend", "--reason", "x", "vote", D, "1", "--yes", "6",
                   "--correct", now="2026-12-01T09:00")  # fmt: skip
    assert "2026-12-02" in line


# -- decision items ---------------------------------------------------------------------------
def test_decide_needs_a_vote_that_passed(meeting, unchanged) -> None:
    run = meeting
    line = refused(run, unchanged, "decide", D, "1", "扩容")
    assert "尚未表决" in line
    run("vote", D, "1", "--yes", "2", "--no", "5", now="2026-11-25T19:30")
    line = refused(run, unchanged, "decide", D, "1", "扩容")
    assert "未通过" in line


def test_a_missing_owner_and_due_date_filled_in_after_the_meeting(meeting, db, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", D, "1", "扩容", now="2026-11-25T19:31")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    refused(run, unchanged, "action", "edit", "1", "--owner", "陈静", now="2026-11-26T09:00")
    run("--amend", "--reason", "会后确定", "action", "edit", "1", "--owner", "陈静", "--due",
        "2026-12-31", now="2026-11-26T09:00")  # fmt: skip
    items = data(run("action", "list", "--format", "json"))
    assert len(items) == 1  # fixed in place: no second item skews the reports
    assert (items[0]["owner"]["name"], items[0]["due"]) == ("陈静", "2026-12-31")
    text = run("minutes", D).stdout
    assert "扩容（责任人：陈静；时限：2026年12月31日）" in text
    assert "待定 → 扩容（责任人：陈静；时限：2026年12月31日）" not in text
    assert "会后确定" in text
    corrected = _last(db)["corrections"][0]
    assert corrected["from"] == {"text": "扩容", "owner": None, "due": None}
    assert corrected["to"] == {"text": "扩容", "owner": 4, "due": "2026-12-31"}


def test_a_retired_member_cannot_be_the_owner(meeting, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", D, "1", "扩容", now="2026-11-25T19:31")
    run("member", "retire", "吴晓梅", "--date", "2026-11-25", now="2026-11-25T19:32")
    line = refused(run, unchanged, "action", "edit", "1", "--owner", "吴晓梅",
                   now="2026-11-26T09:00")  # fmt: skip
    assert "不能作为责任人" in line
    line = refused(run, unchanged, "decide", D, "1", "再议", "--owner", "吴晓梅",
                   now="2026-11-26T09:00")  # fmt: skip
    assert "不能作为责任人" in line


def test_an_item_struck_is_gone_from_papers_and_reports_but_kept_in_the_log(meeting, db) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", D, "1", "扩容", "--owner", "陈静", now="2026-11-25T19:31")
    run("decide", D, "1", "误录的一项", now="2026-11-25T19:32")
    run("action", "remove", "2", "--reason", "重复录入", now="2026-11-25T19:33")
    assert [i["id"] for i in data(run("action", "list", "--format", "json"))] == [1]
    report = data(run("report", "actions", "--format", "json"))
    assert "误录的一项" not in json.dumps(report, ensure_ascii=False)
    assert "误录的一项" not in run("minutes", D).stdout
    entry = _last(db)
    removed = next(i for i in entry["undo"] if i["table"] == "decisions")
    assert removed["op"] == "remove" and removed["doc"]["text"] == "误录的一项"
    assert entry["reason"] == "重复录入"
    result = run("action", "show", "2", ok=False)
    assert result.exit_code == 1


def test_done_on_the_day_it_was_done(meeting, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", D, "1", "扩容", "--owner", "陈静", "--due", "2026-12-15", now="2026-11-25T19:31")
    line = refused(run, unchanged, "action", "done", "1", "--on", "2026-11-24",
                   now="2026-12-17T09:00", code=2)  # fmt: skip
    assert "早于作出决定的会议" in line
    line = refused(run, unchanged, "action", "done", "1", "--on", "2026-12-18",
                   now="2026-12-17T09:00", code=2)  # fmt: skip
    assert "晚于今天" in line
    run("action", "done", "1", "--on", "2026-12-15", now="2026-12-17T09:00")
    item = data(run("action", "show", "1", "--format", "json"))
    assert item["done_at"].startswith("2026-12-15")
    report = data(run("report", "actions", "--format", "json", now="2026-12-17T09:00"))
    assert "done_on_time" in json.dumps(report)


# -- members ----------------------------------------------------------------------------------
def test_a_name_already_on_the_roster(committee, unchanged) -> None:
    line = refused(committee, unchanged, "member", "add", "李秀兰", "--side", "志愿者")
    assert "--same-name" in line
    committee("member", "add", "李秀兰", "--side", "志愿者", "--same-name")
    listed = committee("meeting", "list").stdout  # the recorder, told apart by her id
    assert "李秀兰#2" in listed
    result = committee("member", "show", "李秀兰", ok=False)
    assert result.exit_code == 1 and "#2" in result.stderr and "#11" in result.stderr


def test_a_member_added_by_mistake_is_removed_only_if_referenced_nowhere(
    committee, db, unchanged
) -> None:
    run = committee
    run("member", "add", "错录", "--side", "志愿者")
    run("member", "remove", "错录", "--reason", "重复录入")
    assert all(m["name"] != "错录" for m in data(run("member", "list", "--format", "json")))
    assert _last(db)["corrections"][0]["from"]["name"] == "错录"
    line = refused(run, unchanged, "member", "remove", "李秀兰")  # the recorder of 11-25
    assert "member retire" in line
    run("member", "add", "新人", "--side", "志愿者")  # ids are never given again
    assert data(run("member", "show", "新人", "--format", "json"))["id"] == 12


def test_a_retirement_date_corrected(committee, unchanged) -> None:
    run = committee
    line = refused(run, unchanged, "member", "edit", "吴晓梅", "--retired", "2026-11-30")
    assert "member retire" in line
    run("member", "retire", "吴晓梅", "--date", "2026-11-20")
    run("member", "edit", "吴晓梅", "--retired", "2026-11-30")
    assert data(run("member", "show", "吴晓梅", "--format", "json"))["retired"] == "2026-11-30"


def test_a_member_signed_in_cannot_leave_the_roster_before_that_meeting(meeting, unchanged) -> None:
    line = refused(meeting, unchanged, "member", "retire", "刘洋", "--date", "2026-11-20")
    assert "2026-11-25" in line


# -- meetings ---------------------------------------------------------------------------------
def test_attendance_votes_and_the_close_wait_for_the_start(committee, unchanged) -> None:
    run = committee
    accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    for args in (("attend", D, "刘洋"), ("vote", D, "1", "--yes", "6"), ("meeting", "close", D)):
        line = refused(run, unchanged, *args, now="2026-11-25T18:59")
        assert "19:00 才开始" in line


def test_a_meeting_closed_by_mistake_is_reopened_and_its_carry_over_goes_back(
    meeting, db, unchanged
) -> None:
    run = meeting
    run("meeting", "close", D, "--end", "19:20", now="2026-11-25T19:20")
    assert _topic(run)["status"] == "accepted"  # carried over
    run("meeting", "reopen", D, "--reason", "误操作，会议仍在进行", now="2026-11-25T19:21")
    topic = _topic(run)
    assert (topic["status"], topic["meeting"], topic["carried"], topic["history"]) == (
        "scheduled", D, 0, [])  # fmt: skip
    assert _meeting(run)["status"] == "planned"
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:40")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("minutes", "approve", D, now="2026-12-02T19:10")
    line = refused(run, unchanged, "meeting", "reopen", D, "--reason", "x")
    assert "已于 2026-12-02 19:10" in line


def test_a_meeting_without_quorum_closes_and_its_minutes_say_so(committee) -> None:
    run = committee
    accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, "张建国", "李秀兰", "陈静", now=AT)
    run("meeting", "close", D, "--end", "19:40", now="2026-11-25T19:40")
    text = run("minutes", D).stdout
    assert "未达法定人数（应到 9 人，实到 3 人，须 5 人以上），未进行表决" in text
    assert data(run("minutes", D, "--format", "json"))["attendance"]["quorum"] is False
    english = run("--lang", "en", "minutes", D).stdout
    assert "No quorum (3 present of 9 expected, 5 needed)" in english


def test_the_chair_is_a_cadre_unless_the_setting_allows_any_side(committee, unchanged) -> None:
    run = committee
    line = refused(run, unchanged, "meeting", "plan", "2026-12-02", "--chair", "陈静")
    assert "chair-side any" in line
    run("config", "set", "chair-side", "any")
    run("meeting", "plan", "2026-12-02", "--chair", "陈静")


def test_written_opinions_count_only_when_the_committee_says_so(meeting, unchanged) -> None:
    run = meeting
    run("dissent", D, "1", "赵敏", "书面：赞成", now="2026-11-25T19:10")  # absent: written
    line = refused(run, unchanged, "vote", D, "1", "--yes-by", "张建国,李秀兰,王志强,陈静,赵敏",
                   now="2026-11-25T19:30")  # fmt: skip
    assert "未出席" in line
    run("config", "set", "written-opinions", "count")
    run("vote", D, "1", "--yes-by", "张建国,李秀兰,王志强,陈静,赵敏", now="2026-11-25T19:30")
    vote = _meeting(run)["votes"]["1"]
    assert (vote["yes"], vote["present"], vote["outcome"]) == (5, 7, "passed")
    assert run("doctor").exit_code == 0


def test_every_correction_is_one_line_in_english_too(meeting) -> None:
    result = meeting("--lang", "en", "attend", D, "刘洋", "--late", now="2026-11-25T19:10")
    assert result.stderr.strip() == "corrected the sign-in of 刘洋: on time → late"
