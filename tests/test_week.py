"""A week through the CLI: topics agreed, agenda built, leave, attendance, votes, minutes."""

from __future__ import annotations

import json


def _accepted_topic(run, title: str, by: str = "刘洋", **opts: str) -> int:
    extra = [x for k, v in opts.items() for x in (f"--{k}", v)]
    run("topic", "add", title, "--by", by, *extra, now="2026-11-20T10:00")
    topics = json.loads(run("topic", "list", "--format", "json").stdout)
    topic_id = topics[-1]["id"]
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", str(topic_id), "--by", lead)
    return topic_id


def test_topic_needs_all_three_leads(committee) -> None:
    run = committee
    run("topic", "add", "楼道堆物清理", "--by", "刘洋", "--category", "社区环境")
    run("topic", "approve", "1", "--by", "张建国")
    run("topic", "approve", "1", "--by", "陈静")
    shown = json.loads(run("topic", "show", "1", "--format", "json").stdout)
    assert shown["status"] == "proposed"
    assert shown["pending_sides"] == ["volunteer"]
    run("topic", "approve", "1", "--by", "孙丽华")
    shown = json.loads(run("topic", "show", "1", "--format", "json").stdout)
    assert shown["status"] == "accepted"
    assert shown["category"] == "environment"


def test_a_full_meeting_and_its_minutes(committee) -> None:
    run = committee
    first = _accepted_topic(run, "助餐点扩容", category="welfare")
    run("agenda", "build", "2026-11-25")
    run("leave", "赵敏", "2026-11-25", "--reason", "看病", now="2026-11-25T18:59")
    run("leave", "吴晓梅", "2026-11-25", "--reason", "加班", now="2026-11-25T19:01")
    run(
        "attend",
        "2026-11-25",
        "张建国",
        "李秀兰",
        "王志强",
        "陈静",
        "刘洋",
        "孙丽华",
        now="2026-11-25T19:00",
    )
    run("attend", "2026-11-25", "周大伟", "--late", now="2026-11-25T19:10")
    run("attend", "2026-11-25", "黄立新", now="2026-11-25T19:00")
    run("guest", "2026-11-25", "钱阿姨", "--org", "居民代表")
    run("note", "2026-11-25", str(first), "拟与餐饮企业合作")
    run(
        "vote",
        "2026-11-25",
        str(first),
        "--yes-by",
        "张建国,李秀兰,王志强,陈静,刘洋,孙丽华",
        "--no-by",
        "周大伟",
        now="2026-11-25T19:30",
    )
    run("dissent", "2026-11-25", str(first), "周大伟", "担心资金不足")
    run("decide", "2026-11-25", str(first), "扩容至每日60份", "--owner", "陈静")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    text = run("minutes", "2026-11-25").stdout
    for part in [
        "应到 9 人，实到 7 人，请假 1 人，缺席 1 人",
        "请假：赵敏（看病）",
        "缺席：吴晓梅",
        "列席：黄立新（街道办）、钱阿姨（居民代表）",
        "周大伟（迟到）",
        "结果：通过",
        "周大伟：担心资金不足",
        "时限：待定",
        "散会：20:30",
        "主持人（签字）",
    ]:
        assert part in text, part
    data = json.loads(run("minutes", "2026-11-25", "--format", "json").stdout)
    assert data["attendance"]["expected"] == 9
    assert data["items"][0]["vote"]["outcome"] == "passed"
    english = run("minutes", "2026-11-25", "--lang", "en").stdout
    assert "Expected 9, present 7, on leave 1, absent 1" in english
