"""Papers stay as filed: a closed meeting's minutes show the follow-up of earlier decisions
as it stood at the close; approved minutes print the same bytes, in every format, until an
amendment; doctor reports approved minutes that no longer print to their digest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _week import PRESENT_7, accepted, data
from _whole import whole_bytes

from sanjian_cli import store
from sanjian_cli.store import files

LAST, THIS = "2026-11-18", "2026-11-25"
FORMATS = [
    ("minutes", THIS),
    ("minutes", THIS, "--format", "markdown"),
    ("minutes", THIS, "--format", "json"),
    ("minutes", THIS, "--layout", "official"),
    ("--lang", "en", "minutes", THIS),
    ("--lang", "en", "minutes", THIS, "--format", "markdown"),
]


@pytest.fixture
def approved(committee):  # noqa: ANN001, ANN201
    """Last week's meeting decided two items; this week's followed them up, carried a topic
    over, decided one more, closed; its minutes approved a week later."""
    run = committee
    run("meeting", "plan", LAST, "--recorder", "李秀兰", now="2026-11-10T09:00")
    accepted(run, "楼道堆物清理", at="2026-11-09T10:00")  # 1
    run("agenda", "build", LAST, now="2026-11-16T09:00")
    run("attend", LAST, *PRESENT_7, now="2026-11-18T19:00")
    run("vote", LAST, "1", "--yes", "6", now="2026-11-18T19:10")
    run("decide", LAST, "1", "每周巡查", "--owner", "周大伟", "--due", "2026-11-30",
        now="2026-11-18T19:11")  # fmt: skip
    run("decide", LAST, "1", "张贴告示", now="2026-11-18T19:12")
    run("meeting", "close", LAST, "--end", "20:00", now="2026-11-18T20:00")
    run("action", "update", "1", "--note", "已巡查一次", now="2026-11-21T09:00")
    accepted(run, "助餐点扩容")  # 2
    accepted(run, "加装电梯")  # 3: on the agenda, left without a vote
    run("agenda", "build", THIS, now="2026-11-23T09:00")
    run("attend", THIS, *PRESENT_7, now="2026-11-25T19:00")
    run("vote", THIS, "2", "--yes", "6", now="2026-11-25T19:30")
    run("decide", THIS, "2", "扩容至60份", "--owner", "陈静", "--due", "2026-12-31",
        now="2026-11-25T19:31")  # fmt: skip
    run("meeting", "close", THIS, "--end", "20:30", now="2026-11-25T20:30")
    run("minutes", "approve", THIS, "--by", "张建国", now="2026-12-02T19:10")
    return run


def _print(run) -> list[str]:  # noqa: ANN001
    return [run(*args, now="2026-12-20T09:00").stdout for args in FORMATS]


def test_approved_minutes_reprint_identically_after_later_progress(approved) -> None:
    run = approved
    filed = _print(run)
    assert (
        "每周巡查（责任人：周大伟；时限：2026年11月30日），办理中；最新进展：已巡查一次" in filed[0]
    )
    assert "本纪要已于2026年12月2日 19:10审定（审定人：张建国）" in filed[0]
    # Afterwards: progress on every decision, the roster changes, the carried topic edited.
    run("action", "update", "1", "--note", "已巡查三次", now="2026-12-05T09:00")
    run("action", "done", "1", now="2026-12-06T09:00")
    run("action", "done", "2", "--note", "已张贴", now="2026-12-06T09:10")
    run("action", "update", "3", "--note", "已选址", now="2026-12-07T09:00")
    run("action", "done", "3", now="2026-12-08T09:00")
    run(
        "member",
        "add",
        "郑红",
        "--side",
        "志愿者",
        "--joined",
        "2026-01-01",
        now="2026-12-09T09:00",
    )
    run("member", "retire", "吴晓梅", "--date", "2026-11-01", now="2026-12-09T09:01")
    run("member", "edit", "周大伟", "--non-voting", now="2026-12-09T09:02")
    run("topic", "edit", "3", "--urgent", "--category", "plan", now="2026-12-09T09:03")
    assert _print(run) == filed
    assert run("doctor").exit_code == 0


def test_the_follow_up_is_as_it_stood_when_the_meeting_closed(committee) -> None:
    """Not approved yet, the minutes already keep the follow-up of their close."""
    run = committee
    run("meeting", "plan", LAST, now="2026-11-10T09:00")
    accepted(run, "楼道堆物清理", at="2026-11-09T10:00")
    run("agenda", "build", LAST, now="2026-11-16T09:00")
    run("attend", LAST, *PRESENT_7, now="2026-11-18T19:00")
    run("vote", LAST, "1", "--yes", "6", now="2026-11-18T19:10")
    run("decide", LAST, "1", "每周巡查", "--owner", "周大伟", "--due", "2026-11-30",
        now="2026-11-18T19:11")  # fmt: skip
    run("meeting", "close", LAST, "--end", "20:00", now="2026-11-18T20:00")
    run("agenda", "build", THIS, now="2026-11-23T09:00")
    run("attend", THIS, *PRESENT_7, now="2026-11-25T19:00")
    run("meeting", "close", THIS, "--end", "20:30", now="2026-11-25T20:30")
    run("action", "done", "1", "--note", "已完成", now="2026-11-26T09:00")
    follow = data(run("minutes", THIS, "--format", "json"))["follow_up"]
    assert [(f["status"], f["latest_note"]) for f in follow] == [("open", None)]
    last = data(run("minutes", LAST, "--format", "json"))["decisions"]
    assert [(d["status"], d["notes"]) for d in last] == [("open", [])]  # as decided
    assert data(run("action", "show", "1", "--format", "json"))["status"] == "done"


def test_doctor_reports_approved_minutes_changed_outside_an_amendment(approved, db) -> None:
    run = approved
    raw, _problem = files.decode(whole_bytes(db))  # the record whole, edited by hand
    assert raw is not None
    meeting = next(m for m in raw["meetings"].values() if m["date"] == THIS)
    meeting["notes"] = [{"topic": 2, "text": "事后补写", "at": "2026-12-03T09:00:00+08:00"}]
    db.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    problems = data(run("doctor", "--format", "json", ok=False))["problems"]
    codes = {p["code"] for p in problems}
    assert {"minutes_changed", "state_mismatch"} <= codes


def test_a_change_the_minutes_show_made_other_than_by_amendment_is_reported(approved) -> None:
    run = approved
    run("member", "edit", "陈静", "--name", "陈晶", now="2026-12-09T09:00")
    problems = data(run("doctor", "--format", "json", ok=False))["problems"]
    assert [p["code"] for p in problems] == ["minutes_changed"]
    # An amendment of that meeting files its minutes as they now read.
    run("--amend", "--reason", "成员更名", "meeting", "plan", THIS, now="2026-12-09T09:05")
    assert run("doctor").exit_code == 0
    assert "成员更名" in run("minutes", THIS).stdout


def test_an_amendment_reprints_with_its_entry_and_then_stays(approved) -> None:
    run = approved
    run("--amend", "--reason", "漏记", "--by", "李秀兰", "note", THIS, "2", "补记：资金",
        now="2026-12-03T09:00")  # fmt: skip
    amended = _print(run)
    assert "2026年12月3日 09:00（李秀兰）：漏记" in amended[0]
    assert "议题 #2 讨论要点：无 → 补记：资金" in amended[0]
    assert "topic #2" in amended[4] and "none → 补记：资金" in amended[4]
    run("action", "done", "3", now="2026-12-04T09:00")
    assert _print(run) == amended
    assert run("doctor").exit_code == 0


def test_approval_by_a_member_and_its_digest(approved, db) -> None:
    raw = json.loads(whole_bytes(db))
    meeting = next(m for m in raw["meetings"].values() if m["date"] == THIS)
    assert meeting["approved_by"] == 1 and len(meeting["approved_digest"]) == 64
    assert meeting["approved_user"] == store.whoami()


def test_a_store_closed_before_the_roll_was_fixed_keeps_its_roll(approved, db) -> None:
    """A meeting closed by an older sanjian has no fixed 应到: the first roster change
    that could alter it fixes it first, from the roster as it was."""
    run = approved
    with store.Store(Path(db)).writing() as record:
        for day in (LAST, THIS):
            found = record.meeting(day)
            filed = {k: v for k, v in found["filed"].items() if k != "expected"}
            record.update_meeting(found["id"], {"filed": filed})
        record.update_meeting(record.meeting(THIS)["id"], {"approved_digest": None})
    before = data(run("minutes", THIS, "--format", "json"))["attendance"]
    run(
        "member",
        "add",
        "郑红",
        "--side",
        "志愿者",
        "--joined",
        "2026-01-01",
        now="2026-12-09T09:00",
    )
    after = data(run("minutes", THIS, "--format", "json"))["attendance"]
    assert (
        (after["expected"], after["present"]) == (before["expected"], before["present"]) == (9, 7)
    )


def test_closed_again_by_amendment_the_follow_up_stays_as_first_filed(approved) -> None:
    run = approved
    run("action", "done", "1", "--note", "已完成", now="2026-12-03T09:00")
    run("--amend", "--reason", "散会时间记错", "meeting", "close", THIS, "--end", "20:45",
        now="2026-12-03T09:05")  # fmt: skip
    text = run("minutes", THIS).stdout
    assert "散会：20:45" in text and "会议散会时间：" in text
    assert "每周巡查（责任人：周大伟；时限：2026年11月30日），办理中；最新进展：已巡查一次" in text
