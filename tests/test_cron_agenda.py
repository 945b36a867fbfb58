"""`agenda build --next` as cron runs it, the topic deadline in the agenda, skips and moves."""

from __future__ import annotations

import json
from pathlib import Path


def accepted(run, title: str, now: str, *extra: str) -> int:
    run("topic", "add", title, "--by", "刘洋", *extra, now=now)
    topic_id = json.loads(run("topic", "list", "--format", "json").stdout)[-1]["id"]
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", str(topic_id), "--by", lead, now=now)
    return topic_id


def test_if_due_waits_for_the_topic_deadline(committee, tmp_path: Path, unchanged) -> None:
    run = committee
    accepted(run, "助餐点扩容", "2026-11-20T10:00")
    target = tmp_path / "议程-{date}.txt"
    check = unchanged()
    early = run("agenda", "build", "--next", "--if-due", "-o", str(target), now="2026-11-23T18:59")
    assert early.exit_code == 0
    assert "尚未到期" in early.stderr and "2026-11-23 19:00" in early.stderr
    assert early.stdout == ""
    check()
    assert not list(tmp_path.glob("议程-*"))
    due = run("agenda", "build", "--next", "--if-due", "-o", str(target), now="2026-11-23T19:00")
    assert "已生成 2026-11-25 会议议程" in due.stderr
    written = tmp_path / "议程-2026-11-25.txt"
    assert "助餐点扩容" in written.read_text(encoding="utf-8")


def test_rerun_is_up_to_date_and_leaves_the_file_alone(
    committee, tmp_path: Path, unchanged
) -> None:
    run = committee
    accepted(run, "助餐点扩容", "2026-11-20T10:00")
    target = tmp_path / "{date}.md"
    run("agenda", "build", "--next", "-f", "markdown", "-o", str(target))
    written = tmp_path / "2026-11-25.md"
    before = written.read_bytes()
    stamp = written.stat().st_mtime_ns
    check = unchanged()
    again = run("agenda", "build", "--next", "-f", "markdown", "-o", str(target))
    assert "已是最新" in again.stderr
    assert written.read_bytes() == before and written.stat().st_mtime_ns == stamp
    check()
    quiet = run("agenda", "build", "--next", "-o", str(target), "--quiet")
    assert quiet.stderr == "" and quiet.stdout == ""
    # A file edited by hand (or a new format) is brought back: that counts as built.
    written.write_text("stale", encoding="utf-8")
    fixed = run("agenda", "build", "--next", "-f", "markdown", "-o", str(target))
    assert "已生成" in fixed.stderr and written.read_bytes() == before


def test_unwritable_output_refused_and_store_unchanged(
    committee, tmp_path: Path, unchanged
) -> None:
    run = committee
    accepted(run, "助餐点扩容", "2026-11-20T10:00")
    check = unchanged()
    result = run("agenda", "build", "--next", "-o", str(tmp_path / "nope" / "{date}.txt"), ok=False)
    assert result.exit_code == 1
    assert "无法写入" in result.stderr and "nope/2026-11-25.txt" in result.stderr
    check()


def test_late_topic_waits_and_the_agenda_says_why(committee) -> None:
    run = committee
    in_time = accepted(run, "助餐点扩容", "2026-11-20T10:00")
    late = accepted(run, "楼道灯维修", "2026-11-24T08:00")
    urgent = accepted(run, "暴雨排水", "2026-11-24T09:00", "--urgent")
    text = run("agenda", "build", "2026-11-25", now="2026-11-24T10:00").stdout
    body, _, tail = text.partition("晚于议题征集截止时间（2026年11月23日（星期一）19:00）提交")
    assert "助餐点扩容" in body and "暴雨排水" in body and "楼道灯维修" not in body
    assert "楼道灯维修" in tail
    assert "时间所限" not in text  # distinct from "no time left"
    doc = json.loads(run("agenda", "build", "2026-11-25", "-f", "json").stdout)
    assert [t["id"] for t in doc["late"]] == [late]
    assert doc["waiting"] == []
    assert doc["topic_deadline"] == "2026-11-23T19:00:00+08:00"
    assert {i["id"] for i in doc["items"] if i["kind"] == "topic"} == {in_time, urgent}
    english = run("agenda", "build", "2026-11-25", "--lang", "en").stdout
    assert "Proposed after the topic deadline (Monday 23 November 2026, 19:00)" in english
    # The late topic is on the following meeting's agenda.
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    nxt = json.loads(run("agenda", "build", "--next", "-f", "json", now="2026-11-26T09:00").stdout)
    assert nxt["meeting"]["date"] == "2026-12-02"
    assert late in [i["id"] for i in nxt["items"] if i["kind"] == "topic"]
    assert nxt["late"] == []


def test_topic_deadline_setting_in_hours(committee) -> None:
    run = committee
    run("config", "set", "topic-deadline", "0")
    late = accepted(run, "楼道灯维修", "2026-11-25T18:00")
    doc = json.loads(run("agenda", "build", "2026-11-25", "-f", "json").stdout)
    assert [i["id"] for i in doc["items"] if i["kind"] == "topic"] == [late]
    bad = run("config", "set", "topic-deadline", "two days", ok=False)
    assert bad.exit_code == 2


def test_day_after_a_meeting_plans_the_next_one(committee) -> None:
    run = committee
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    result = run("agenda", "build", "--next", now="2026-11-26T07:00")
    assert "2026年12月2日（星期三）19:00" in result.stdout
    meetings = json.loads(run("meeting", "list", "-f", "json").stdout)
    assert [m["date"] for m in meetings] == ["2026-11-25", "2026-12-02"]


def test_skipped_week_is_not_next(committee, unchanged) -> None:
    run = committee
    topic = accepted(run, "助餐点扩容", "2026-11-20T10:00")
    run("agenda", "build", "2026-11-25")
    run("meeting", "skip", "2026-11-25", "--reason", "街道统一活动")
    shown = json.loads(run("topic", "show", str(topic), "-f", "json").stdout)
    assert shown["status"] == "accepted" and shown["meeting"] is None
    doc = json.loads(run("agenda", "build", "--next", "-f", "json").stdout)
    assert doc["meeting"]["date"] == "2026-12-02"
    assert [i["id"] for i in doc["items"] if i["kind"] == "topic"] == [topic]
    # No approval of minutes of a meeting that was not held.
    assert [i["kind"] for i in doc["items"]] == ["topic"]
    listed = run("meeting", "list").stdout
    assert "已取消" in listed
    check = unchanged()
    refused = run("leave", "赵敏", "2026-11-25", "--reason", "看病", ok=False)
    assert refused.exit_code == 1 and "已取消" in refused.stderr
    again = run("meeting", "skip", "2026-11-25", "--reason", "x", ok=False)
    assert again.exit_code == 1
    check()


def test_skip_refusals(committee, unchanged) -> None:
    run = committee
    run("leave", "赵敏", "2026-11-25", "--reason", "看病")
    check = unchanged()
    has_records = run("meeting", "skip", "2026-11-25", "--reason", "放假", ok=False)
    assert has_records.exit_code == 1 and "不能取消" in has_records.stderr
    not_a_day = run("meeting", "skip", "2026-12-03", "--reason", "放假", ok=False)
    assert not_a_day.exit_code == 1 and "不是例会日" in not_a_day.stderr
    no_reason = run("meeting", "skip", "2026-12-02", "--reason", " ", ok=False)
    assert no_reason.exit_code == 2
    bad_date = run("meeting", "skip", "2026-12-2", "--reason", "放假", ok=False)
    assert bad_date.exit_code == 2
    check()


def test_planning_a_skipped_day_brings_it_back(committee) -> None:
    run = committee
    run("meeting", "skip", "2026-12-02", "--reason", "放假")
    run("meeting", "plan", "2026-12-02")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    doc = json.loads(run("agenda", "build", "--next", "-f", "json", now="2026-11-26T09:00").stdout)
    assert doc["meeting"]["date"] == "2026-12-02"


def test_moved_meeting_is_next_instead_of_the_regular_one(committee) -> None:
    run = committee
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", "2026-12-03", "--place", "社区活动室", now="2026-11-26T09:00")
    doc = json.loads(run("agenda", "build", "--next", "-f", "json", now="2026-11-26T09:00").stdout)
    assert doc["meeting"]["date"] == "2026-12-03"
    assert doc["meeting"]["place"] == "社区活动室"
    doc = json.loads(run("agenda", "build", "--next", "-f", "json", now="2026-12-03T20:00").stdout)
    assert doc["meeting"]["date"] == "2026-12-09"
    dates = [m["date"] for m in json.loads(run("meeting", "list", "-f", "json").stdout)]
    assert "2026-12-02" not in dates


def test_date_and_next_exclude_each_other(committee, unchanged) -> None:
    check = unchanged()
    result = committee("agenda", "build", "2026-11-25", "--next", ok=False)
    assert result.exit_code == 2 and "--next" in result.stderr
    check()


def test_a_meeting_left_open_is_pointed_out_by_the_next_build(committee) -> None:
    run = committee
    run("topic", "add", "助餐点", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead, now="2026-11-20T11:00")
    run("agenda", "build", "2026-11-25", now="2026-11-21T09:00")
    # The meeting was held but nobody closed it; a week later cron builds the next agenda.
    result = run("agenda", "build", "--next", now="2026-11-30T09:00")
    assert "2026-11-25 的会议尚未结束" in result.stderr
    assert "meeting close 2026-11-25" in result.stderr
    quiet = run("agenda", "build", "--next", "--quiet", now="2026-11-30T09:00")
    assert quiet.stderr == ""
    run("meeting", "close", "2026-11-25", now="2026-11-30T09:05")
    after = run("agenda", "build", "--next", now="2026-11-30T09:10")
    assert "尚未结束" not in after.stderr
    assert "【延续议题】助餐点" in after.stdout  # carried over once the meeting is closed
