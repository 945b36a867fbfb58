"""`doctor` against stores edited by hand; the audit log; approved minutes and amendments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _whole import whole_bytes

from sanjian_cli import store
from sanjian_cli.store import audit, files

PRESENT = ["张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟"]


@pytest.fixture
def held(committee):
    """The meeting of 2026-11-25 held: one topic voted (6-1-0), a decision, closed."""
    run = committee
    run("topic", "add", "助餐点扩容", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead)
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", *PRESENT, now="2026-11-25T19:00")
    run("vote", "2026-11-25", "1", "--yes", "6", "--no", "1", now="2026-11-25T19:30")
    run("decide", "2026-11-25", "1", "扩到三十个座位", "--owner", "刘洋", "--due", "2026-12-20")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    return run


def _edit(db: Path, change) -> None:
    """A hand edit of the record, written back as one plain TinyDB file (the parts the hot
    file keeps apart put back first)."""
    data, _problem = files.decode(whole_bytes(db))
    assert data is not None
    change(data)
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _doctor(run) -> tuple[int, list[dict]]:
    result = run("doctor", "--format", "json", ok=False)
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_a_sound_record_passes(held) -> None:
    assert _doctor(held) == (0, [])


def _meeting(data):
    return next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")


EDITS = {
    "topic by": (lambda d: d["topics"]["1"].update(by=99), "topics/1 by", "dangling"),
    "approval": (lambda d: d["topics"]["1"]["approvals"].append(77), "approvals[3]", "dangling"),
    "chair": (lambda d: _meeting(d).update(chair=50), "chair", "dangling"),
    "attendance": (lambda d: _meeting(d)["attendance"].update({"42": {}}), "attendance.42",
                   "dangling"),
    "votes exceed": (lambda d: _meeting(d)["votes"]["1"].update(yes=60), "votes.1",
                     "votes_exceed"),
    "agenda topic": (lambda d: _meeting(d)["agenda"]["topics"].append(9), "agenda.topics[1]",
                     "dangling"),
    "decision owner": (lambda d: d["decisions"]["1"].update(owner=31), "decisions/1 owner",
                       "dangling"),
    "decision meeting": (lambda d: d["decisions"]["1"].update(meeting="2026-01-01"),
                         "decisions/1 meeting", "dangling"),
    "empty title": (lambda d: d["topics"]["1"].update(title=" "), "topics/1 title",
                    "missing_field"),
    "bad setting": (lambda d: d["committee"]["1"]["settings"].update(quorum="most"),
                    "settings.quorum", "bad_value"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EDITS))
def test_doctor_finds_a_hand_edit_and_says_where(held, db, name) -> None:
    change, where, problem = EDITS[name]
    _edit(db, change)
    code, problems = _doctor(held)
    assert code == 1
    assert any(where in p["where"] and p["code"] == problem for p in problems), problems
    # and any edit outside sanjian breaks the record's hash in the audit log
    assert any(p["code"] == "state_mismatch" for p in problems)


def test_a_named_voter_who_was_absent_and_a_topic_decided_twice(held, db) -> None:
    held("meeting", "plan", "2026-12-02")

    def change(d):
        _meeting(d)["votes"]["1"].update(yes_by=[9], yes=1, no=0)
        later = next(m for m in d["meetings"].values() if m["date"] == "2026-12-02")
        later["agenda"] = {"topics": [1], "opening": [], "followups": [], "waiting": []}
        later["attendance"] = {"1": {}}
        later["votes"] = {"1": {"yes": 1, "no": 0, "abstain": 0, "outcome": "passed"}}

    _edit(db, change)
    code, problems = _doctor(held)
    kinds = {p["code"] for p in problems}
    assert code == 1 and {"voter_not_present", "decided_twice"} <= kinds


def test_doctor_text_output_and_exit_code(held, db) -> None:
    _edit(db, lambda d: d["topics"]["1"].update(by=99))
    result = held("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1
    assert "topics/1 by: refers to a member that does not exist: 99" in result.stdout


def test_editing_the_log_breaks_the_chain(held, db) -> None:
    path = store.log_path(db)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"user":"', b'"user":"x')
    path.write_bytes(b"\n".join(lines))
    code, problems = _doctor(held)
    assert code == 1 and any(p["code"] == "log_chain" and p["where"].endswith(":4")
                             for p in problems)  # fmt: skip


def test_dropping_the_last_log_entry_is_seen(held, db) -> None:
    path = store.log_path(db)
    lines = path.read_bytes().rstrip(b"\n").split(b"\n")
    path.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    code, problems = _doctor(held)
    assert code == 1 and any(p["code"] == "log_head" for p in problems)


def test_doctor_on_a_broken_file(held, db) -> None:
    db.write_bytes(b"{")
    code, problems = _doctor(held)
    assert code == 1 and problems[0]["code"] == "unreadable"
    assert db.read_bytes() == b"{"


def test_every_change_is_logged_with_who_when_what(held, db) -> None:
    entries = audit.entries(db)
    vote = next(e for e in entries if e["command"][1:2] == ["vote"])
    assert vote["at"] == "2026-11-25T19:30:00+08:00"  # SANJIAN_NOW, in the committee's zone
    assert vote["user"] == store.whoami()
    assert vote["command"] == ["sanjian", "vote", "2026-11-25", "1", "--yes", "6", "--no", "1"]
    changed = {(c["table"], c["id"]): c for c in vote["changes"]}
    assert changed[("topics", 1)]["fields"]["status"] == ["scheduled", "passed"]
    assert "votes" in changed[("meetings", 1)]["fields"]
    assert [e["n"] for e in entries] == list(range(1, len(entries) + 1))
    shown = held("--lang", "en", "log", "--meeting", "2026-11-25").stdout
    assert "sanjian vote 2026-11-25 1 --yes 6 --no 1" in shown
    assert "member add" not in shown  # not about that meeting
    as_json = json.loads(held("log", "--format", "json").stdout)
    assert len(as_json) == len(entries)


# -- approved minutes ------------------------------------------------------------------
def test_minutes_need_a_closed_meeting_to_be_approved(committee, unchanged) -> None:
    check = unchanged()
    result = committee("minutes", "approve", "2026-11-25", ok=False)
    assert result.exit_code == 1 and "尚未结束" in result.stderr
    check()


def test_approved_minutes_are_locked_and_amended_with_a_reason(held, db, unchanged) -> None:
    run = held
    run("minutes", "approve", "2026-11-25", now="2026-12-02T19:10")
    assert run("minutes", "approve", "2026-11-25", ok=False).exit_code == 1
    check = unchanged()
    for args in (
        ("note", "2026-11-25", "1", "补记"),
        ("attend", "2026-11-25", "赵敏"),
        ("guest", "2026-11-25", "王主任"),
        ("leave", "赵敏", "2026-11-25", "--reason", "看病"),
        ("dissent", "2026-11-25", "1", "周大伟", "反对"),
        ("decide", "2026-11-25", "1", "再议"),
        ("meeting", "plan", "2026-11-25", "--place", "别处"),
        ("meeting", "close", "2026-11-25"),
        ("agenda", "build", "2026-11-25"),
    ):
        result = run("--lang", "en", *args, ok=False)
        assert result.exit_code == 1, args
        assert "approved" in result.stderr and "--amend" in result.stderr
    bad = run("--amend", "note", "2026-11-25", "1", "补记", ok=False)
    assert bad.exit_code == 2
    check()
    result = run("note", "2026-11-25", "1", "补记：讨论了座位数", "--amend", "--reason", "漏记")
    assert "修订" in result.stderr
    # leave has its own --reason: the one right after --amend is the amendment's
    run("leave", "赵敏", "2026-11-25", "--reason", "看病", "--amend", "--reason", "补请假")
    text = run("minutes", "2026-11-25").stdout
    assert "补记：讨论了座位数" in text
    assert "修订记录" in text and "漏记" in text and "补请假" in text
    assert "本纪要已于2026年12月2日 19:10审定" in text
    doc = json.loads(run("minutes", "2026-11-25", "--format", "json").stdout)
    assert [a["reason"] for a in doc["amendments"]] == ["漏记", "补请假"]
    assert doc["attendance"]["leave_members"][0]["reason"] == "看病"
    logged = [e for e in audit.entries(db) if e.get("amendment")]
    assert [e["amendment"] for e in logged] == ["漏记", "补请假"]
    assert run("doctor").exit_code == 0


def test_a_closed_meeting_can_be_amended_before_approval(held) -> None:
    result = held("note", "2026-11-25", "1", "补记", ok=False)
    assert result.exit_code == 1
    held("--amend", "--reason", "会后补记", "note", "2026-11-25", "1", "补记")
    assert "会后补记" in held("minutes", "2026-11-25").stdout


def test_reason_alone_is_not_an_amendment(held) -> None:
    result = held("--reason", "x", "member", "list", ok=False)
    assert result.exit_code == 2
