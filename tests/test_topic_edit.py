"""`topic edit`: the secretary adjusts a topic; the wording the leads agreed stays fixed."""

from __future__ import annotations

import json

from _week import refused

LEADS = ("张建国", "陈静", "孙丽华")


def _topic(run, tid: str = "1") -> dict:  # noqa: ANN001
    return json.loads(run("topic", "show", tid, "--format", "json").stdout)


def test_edit_before_and_after_approval(committee, unchanged) -> None:  # noqa: ANN001
    run = committee
    run("topic", "add", "助餐点扩容", "--by", "刘洋", now="2026-11-20T10:00")
    run("topic", "edit", "1", "--title", "独居老人助餐点扩容", "--minutes", "30",
        "--category", "福利保障")  # fmt: skip
    shown = _topic(run)
    assert (shown["title"], shown["minutes"], shown["category"]) == (
        "独居老人助餐点扩容",
        30,
        "welfare",
    )
    run("topic", "approve", "1", "--by", "张建国")
    line = refused(run, unchanged, "topic", "edit", "1", "--title", "改个说法")
    assert "措辞不能再改" in line
    run("topic", "edit", "1", "--urgent")
    assert _topic(run)["urgent"] is True
    refused(run, unchanged, "topic", "edit", "1", code=2)  # nothing to change
    refused(run, unchanged, "topic", "edit", "1", "--minutes", "0", code=2)


def test_a_late_topic_made_urgent_joins_this_weeks_agenda(committee, unchanged) -> None:  # noqa: ANN001
    run = committee
    # Proposed on the Tuesday before the Wednesday meeting: after the 48-hour deadline.
    run("topic", "add", "电动车充电棚", "--by", "刘洋", now="2026-11-24T10:00")
    for lead in LEADS:
        run("topic", "approve", "1", "--by", lead, now="2026-11-24T11:00")
    run("agenda", "build", "2026-11-25", now="2026-11-24T12:00")
    run("attend", "2026-11-25", "张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华",
        now="2026-11-25T19:00")  # fmt: skip
    line = refused(run, unchanged, "vote", "2026-11-25", "1", "--yes", "6", now="2026-11-25T19:05")
    assert "截止时间" in line and "topic edit 1 --urgent" in line
    run("topic", "edit", "1", "--urgent")
    run("agenda", "build", "2026-11-25", now="2026-11-25T19:05")
    run("vote", "2026-11-25", "1", "--yes", "6", now="2026-11-25T19:10")
    assert _topic(run)["status"] == "passed"


def test_a_decided_topic_cannot_be_edited(committee, unchanged) -> None:  # noqa: ANN001
    run = committee
    run("topic", "add", "楼道清理", "--by", "刘洋", now="2026-11-20T10:00")
    run("topic", "withdraw", "1")
    refused(run, unchanged, "topic", "edit", "1", "--urgent")
