"""The meeting notice, the iCalendar file and the reminders."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dateutil.rrule import rrulestr
from icalendar import Calendar


def accepted(run, title: str, now: str) -> int:
    run("topic", "add", title, "--by", "刘洋", now=now)
    topic_id = json.loads(run("topic", "list", "--format", "json").stdout)[-1]["id"]
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", str(topic_id), "--by", lead, now=now)
    return topic_id


# -- the notice -----------------------------------------------------------------------
def test_notice_names_date_weekday_time_place_chair_agenda(committee) -> None:
    run = committee
    run("config", "set", "online", "https://meet.example/xfl")
    run("config", "set", "leave-deadline", "120")
    run(
        "meeting",
        "plan",
        "2026-11-25",
        "--place",
        "社区活动室",
        "--online",
        "https://meet.example/xfl",
    )
    topic = accepted(run, "助餐点扩容", "2026-11-20T10:00")
    run("agenda", "build", "2026-11-25")
    result = run("notice")
    text = result.stdout
    for part in [
        "幸福里社区三工联席会议通知",
        "召开2026年第1次联席会议",
        "时间：2026年11月25日（星期三）19:00—20:30",
        "地点：社区活动室",
        "线上链接：https://meet.example/xfl",
        "主持人：张建国",
        "一、助餐点扩容（提出人：刘洋",
        "请于 2026年11月25日（星期三）17:00 前向主持人张建国请假",
        "下次会议定于 2026年12月2日（星期三）19:00，议题请于 2026年11月30日（星期一）19:00 前提交",
    ]:
        assert part in text, part
    assert "\x1b" not in text and "13800" not in text
    assert f"#{topic}" not in text  # ids stay in tables and JSON
    assert text.endswith("幸福里社区三工联席会议\n2026年11月23日\n")  # 落款: who issues it, when
    assert result.stderr == ""  # the agenda is built: nothing to warn about
    english = run("notice", "2026-11-25", "--lang", "en").stdout
    assert (
        "Wednesday 25 November 2026, 19:00" in english
        and "before Wednesday 25 November 2026, 17:00" in english
    )
    md = run("notice", "-f", "markdown").stdout
    assert md.startswith("# 幸福里社区三工联席会议通知") and "\n\n一、助餐点扩容" in md


def test_notice_without_agenda_says_it_will_follow(committee, unchanged) -> None:
    check = unchanged()
    result = committee("notice", "2026-11-25")
    assert "议程尚未生成，另行通知" in result.stdout
    assert "sanjian agenda build 2026-11-25" in result.stderr
    check()


def test_notice_of_an_unplanned_week_and_a_moved_one(committee, tmp_path: Path) -> None:
    run = committee
    text = run("notice", "2026-12-02").stdout
    assert "2026年12月2日（星期三）19:00" in text and "地点：党群服务中心" in text
    run("meeting", "plan", "2026-12-03", "--time", "15:00", "--place", "街道会议室")
    moved = run("notice", "2026-12-02", ok=False)
    assert moved.exit_code == 1  # displaced by the move: no meeting that day
    text = run("notice", "2026-12-03").stdout
    assert "2026年12月3日（星期四）15:00—16:30" in text and "街道会议室" in text
    target = tmp_path / "通知-{date}.txt"
    run("notice", "2026-12-03", "-o", str(target))
    assert (tmp_path / "通知-2026-12-03.txt").read_text(encoding="utf-8") == text
    # The notice of the week before names the moved meeting as the next one, and its
    # topic deadline counts from the moved start.
    before = run("notice", "2026-11-25").stdout
    assert (
        "下次会议定于 2026年12月3日（星期四）15:00，议题请于 2026年12月1日（星期二）15:00" in before
    )


def test_notice_of_a_skipped_meeting_is_a_cancellation(committee) -> None:
    run = committee
    run("meeting", "skip", "2026-11-25", "--reason", "街道统一活动")
    text = run("notice", "2026-11-25").stdout
    assert "会议取消通知" in text and "原因：街道统一活动" in text
    assert "下次会议定于 2026年12月2日（星期三）19:00 召开" in text  # where members go instead
    assert "2026年12月2日" in run("notice").stdout


# -- the calendar ---------------------------------------------------------------------
def _calendar(run, *args: str) -> Calendar:
    return Calendar.from_ical(run("calendar", *args).stdout_bytes)


def test_calendar_recurrence_skips_and_moves(committee) -> None:
    run = committee
    run("meeting", "skip", "2026-12-02", "--reason", "放假")
    run("meeting", "plan", "2026-12-10", "--place", "街道会议室", "--online", "https://m.example/1")
    topic = accepted(run, "助餐点扩容", "2026-11-20T10:00")
    run("agenda", "build", "2026-11-25")
    first = run("calendar").stdout_bytes
    assert first == run("calendar").stdout_bytes  # deterministic
    cal = Calendar.from_ical(first)
    events = cal.walk("VEVENT")
    master = [e for e in events if e.get("rrule") and not e.get("recurrence-id")]
    assert len(master) == 1
    weekly = master[0]
    assert weekly["rrule"]["FREQ"] == ["WEEKLY"] and weekly["rrule"]["BYDAY"] == ["WE"]
    assert str(weekly["dtstart"].dt.tzinfo) == "Asia/Shanghai"
    exdates = [d.dt for ex in [weekly["exdate"]] for d in ex.dts]
    assert [d.strftime("%Y-%m-%d %H:%M") for d in exdates] == ["2026-12-02 19:00"]
    overrides = {
        e["recurrence-id"].dt.date().isoformat(): e for e in events if e.get("recurrence-id")
    }
    assert set(overrides) == {"2026-11-25", "2026-12-09"}
    moved = overrides["2026-12-09"]
    assert moved["dtstart"].dt.strftime("%Y-%m-%d %H:%M") == "2026-12-10 19:00"
    assert str(moved["location"]) == "街道会议室" and str(moved["url"]) == "https://m.example/1"
    assert all(str(e["uid"]) == str(weekly["uid"]) for e in overrides.values())
    assert "一、助餐点扩容" in str(overrides["2026-11-25"]["description"])
    assert f"#{topic}" not in str(overrides["2026-11-25"]["description"])
    assert cal.walk("VTIMEZONE")[0]["tzid"] == "Asia/Shanghai"
    stamp = weekly["dtstamp"].dt
    assert stamp == datetime.fromisoformat("2026-11-23T01:00:00+00:00")


def test_calendar_keeps_local_time_across_daylight_saving(run, tmp_path: Path) -> None:
    run("init", "Maple Street Joint Meeting", "--timezone", "America/New_York", "--lang", "en",
        "--weekday", "wed", "--time", "19:00", now="2026-10-01T09:00")  # fmt: skip
    run("meeting", "skip", "2026-10-28", "--reason", "Halloween", now="2026-10-01T09:00")
    out = tmp_path / "m.ics"
    result = run("calendar", "--output", str(out), now="2026-10-01T09:00")
    assert result.stdout == "" and "1 skipped" in result.stderr
    cal = Calendar.from_ical(out.read_bytes())
    tz = cal.walk("VTIMEZONE")[0]
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    weekly = next(e for e in cal.walk("VEVENT") if e.get("rrule"))
    start = weekly["dtstart"].dt
    rule = rrulestr(weekly["rrule"].to_ical().decode(), dtstart=start)
    excluded = {d.dt for d in weekly["exdate"].dts}
    expanded = [d for d in rule.between(start, start + timedelta(days=40), inc=True)]
    held = [d for d in expanded if d not in excluded]
    assert [d.strftime("%m-%d %H:%M") for d in held] == [
        "10-07 19:00", "10-14 19:00", "10-21 19:00", "11-04 19:00", "11-11 19:00",
    ]  # fmt: skip
    assert [d.utcoffset() for d in held] == [timedelta(hours=-4)] * 3 + [timedelta(hours=-5)] * 2
    # In UTC the meeting moves by an hour: the local time is what is kept.
    assert [d.astimezone(timezone.utc).hour for d in held] == [23, 23, 23, 0, 0]


# -- reminders ------------------------------------------------------------------------
def _decisions(run) -> None:
    topic = accepted(run, "助餐点扩容", "2026-11-20T10:00")
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", "张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华",
        now="2026-11-25T19:00")  # fmt: skip
    run("vote", "2026-11-25", str(topic), "--yes", "6", now="2026-11-25T19:30")
    for text, owner, due in [
        ("扩容至每日60份", "陈静", "2026-11-28"),
        ("联系餐饮企业", "刘洋", "2026-12-05"),
        ("招募送餐志愿者", "陈静", "2026-12-20"),
        ("发布公示", None, "2026-11-26"),
        ("整理需求清单", "刘洋", None),
    ]:
        args = ["decide", "2026-11-25", str(topic), text, "--due", due] if due else [
            "decide", "2026-11-25", str(topic), text]  # fmt: skip
        run(*args, *(["--owner", owner] if owner else []), now="2026-11-25T19:40")


def test_remind_groups_by_owner_within_days(committee) -> None:
    run = committee
    _decisions(run)
    result = run("remind", "--days", "7", now="2026-11-30T08:00")
    text = result.stdout
    assert "陈静" in text and "刘洋" in text and "待定" in text
    assert text.index("陈静") < text.index("扩容至每日60份") < text.index("刘洋")
    assert "#1 扩容至每日60份（时限：2026-11-28，逾期 2 天）" in text
    assert "#2 联系餐饮企业（时限：2026-12-05，还有 5 天）" in text
    assert "#4 发布公示（时限：2026-11-26，逾期 4 天）" in text
    assert "招募送餐志愿者" not in text and "整理需求清单" not in text
    data = json.loads(run("remind", "-f", "json", now="2026-11-30T08:00").stdout)
    assert [(g["owner"]["name"] if g["owner"] else None, [i["id"] for i in g["items"]])
            for g in data] == [("陈静", [1]), ("刘洋", [2]), (None, [4])]  # fmt: skip
    failing = run("remind", "--fail-if-any", now="2026-11-30T08:00", ok=False)
    assert failing.exit_code == 1 and failing.stdout == text
    run("action", "done", "1", now="2026-11-30T09:00")
    run("action", "done", "4", now="2026-11-30T09:00")
    run("action", "done", "2", now="2026-11-30T09:00")
    quiet = run("remind", "--fail-if-any", now="2026-11-30T10:00")
    assert quiet.exit_code == 0 and quiet.stdout == "" and "没有 7 天内" in quiet.stderr


def test_action_list_text_for_cron_mail(committee) -> None:
    run = committee
    _decisions(run)
    text = run("action", "list", "--overdue", "-f", "text", now="2026-11-30T08:00").stdout
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2026-11-25 #1 扩容至每日60份（责任人：陈静；时限：2026-11-28）")
    assert "逾期 2 天" in lines[0] and "#4 发布公示" in lines[1]
    assert "\x1b" not in text and "┃" not in text
    none = run("action", "list", "--overdue", "-f", "text", now="2026-11-26T08:00")
    assert none.stdout == "" and none.exit_code == 0
    bad = run("remind", "--days", "-1", ok=False)
    assert bad.exit_code == 2
