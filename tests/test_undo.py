"""`sanjian undo`: the last change reverted as a whole, then the one before; itself logged;
refused on approved minutes (unless amended), after an edit outside sanjian, over a restore.
And the store front it is built on: each log entry keeps what its change replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _week import PRESENT_7, accepted, data, refused
from conftest import decode_calls

from sanjian_cli import store
from sanjian_cli.store import audit

D = "2026-11-25"


def _record(db: Path) -> dict:
    """The record as a whole, without _meta (which names the log's head)."""
    raw = json.loads(db.read_bytes())
    raw.pop("_meta", None)
    return raw


@pytest.fixture
def meeting(committee):  # noqa: ANN001, ANN201
    run = committee
    accepted(run, "助餐点扩容")
    accepted(run, "加装电梯")
    run("agenda", "build", D)
    run("attend", D, *PRESENT_7, now="2026-11-25T19:00")
    return run


# -- the store front ------------------------------------------------------------------------
def test_each_change_logs_what_it_replaced_and_revert_puts_it_back(committee, db) -> None:
    before = _record(db)
    path = Path(db)
    with store.Store(path, command=["test"]).writing() as record:
        record.add_member({"name": "甲", "side": "cadre"})
        record.update_member(1, {"org": "居委会", "lead": False})
        record.patch_document("members", 2, {}, ["phone"])  # a field dropped
    entry = audit.entries(path)[-1]
    ops = {(i["table"], i["id"]): i["op"] for i in entry["undo"]}
    assert ops == {("members", 11): "add", ("members", 1): "change", ("members", 2): "change"}
    with store.Store(path, command=["revert"]).writing() as record:
        found = record.change_to_undo()
        assert found is not None and found["n"] == entry["n"]
        assert record.changed_since(found) == []
        record.revert(found)
        record.log_note(undoes=found["n"])
    assert _record(db) == before
    with store.Store(path).writing() as record:
        # the revert is itself undone only by name: the next one to undo is the change before
        nxt = record.change_to_undo()
        assert nxt is not None and nxt["n"] == entry["n"] - 1


def test_a_removed_document_is_put_back_with_its_id(committee, db) -> None:
    path = Path(db)
    with store.Store(path).writing() as record:
        record.remove_member(10)
        assert record.member(10) is None
    with store.Store(path).writing() as record:
        record.revert(record.change_to_undo() or {})
        assert record.member(10)["name"] == "黄立新"
    with store.Store(path).writing() as record:
        assert record.add_member({"name": "乙", "side": "cadre"}) == 11  # ids never reused


# -- the command ----------------------------------------------------------------------------
def test_undo_twice_reverts_the_last_two_changes(meeting, db) -> None:
    run = meeting
    start = _record(db)
    run("note", D, "1", "第一点", now="2026-11-25T19:10")
    after_note = _record(db)
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    result = run("undo", "--reason", "表决录错", now="2026-11-25T19:31")
    assert "已撤销第" in result.stderr and "sanjian vote 2026-11-25 1 --yes 6" in result.stderr
    assert _record(db) == after_note
    run("undo", now="2026-11-25T19:32")
    assert _record(db) == start
    entries = audit.entries(db)
    assert [e.get("undoes") for e in entries[-2:]] == [entries[-3]["n"], entries[-4]["n"]]
    assert entries[-2]["reason"] == "表决录错"
    shown = run("log").stdout
    assert f"撤销第 {entries[-3]['n']} 号改动" in shown
    assert run("doctor").exit_code == 0


def test_undo_of_a_vote_that_carried_a_topic_over(meeting, db) -> None:
    run = meeting
    before = _record(db)
    run("vote", D, "1", "--defer", now="2026-11-25T19:30")
    topic = data(run("topic", "show", "1", "--format", "json"))
    assert (topic["status"], topic["carried"]) == ("accepted", 1)
    run("undo", now="2026-11-25T19:31")
    assert _record(db) == before
    topic = data(run("topic", "show", "1", "--format", "json"))
    assert (topic["status"], topic["meeting"], topic["carried"], topic["history"]) == (
        "scheduled", D, 0, [])  # fmt: skip
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:40")  # voted as if never deferred
    assert data(run("topic", "show", "1", "--format", "json"))["status"] == "passed"


def test_undo_of_a_close_puts_its_carry_over_back(meeting, db) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    before = _record(db)
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")  # topic 2 carried
    run("undo", now="2026-11-25T20:31")
    assert _record(db) == before


def test_undo_of_an_approved_meeting_needs_an_amendment(meeting, db, unchanged) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("minutes", "approve", D, now="2026-12-02T19:10")
    line = refused(run, unchanged, "undo", now="2026-12-02T19:11")
    assert "已于 2026-12-02 19:10" in line and "--amend" in line
    run("undo", "--amend", "--reason", "审定有误", now="2026-12-02T19:12")
    doc = data(run("minutes", D, "--format", "json"))
    assert doc["approved_at"] is None
    assert doc["amendments"][-1]["reason"] == "审定有误" and doc["amendments"][-1]["undoes"]
    assert run("doctor").exit_code == 0


def test_undo_of_an_amendment_keeps_the_trail_and_says_so(meeting) -> None:
    run = meeting
    run("vote", D, "1", "--yes", "6", now="2026-11-25T19:30")
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("--amend", "--reason", "补记", "note", D, "1", "补记一条", now="2026-11-26T09:00")
    run("undo", "--reason", "补错会议", now="2026-11-26T09:01")
    text = run("minutes", D).stdout
    assert "补记一条" not in text.split("修订记录")[0]  # the note is gone
    trail = text.split("修订记录")[1]
    assert "补记" in trail and "撤销第" in trail and "补错会议" in trail
    assert "议题 #1 讨论要点：补记一条 → 无" in trail


def test_undo_after_an_edit_outside_sanjian_is_refused(meeting, db, unchanged) -> None:
    run = meeting
    raw = json.loads(db.read_bytes())
    raw["members"]["1"]["name"] = "改名"
    db.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    line = refused(run, unchanged, "undo")
    # The store refuses a write over an edited record before undo looks at the log.
    assert "被 sanjian 以外的方式改动" in line and "doctor" in line


def test_undo_over_a_restore_is_refused(meeting, db, tmp_path, unchanged) -> None:
    run = meeting
    copy = tmp_path / "copy.json"
    run("backup", "--output", str(copy))
    run("restore", str(copy))
    line = refused(run, unchanged, "undo")
    assert "sanjian restore" in line


def test_nothing_to_undo(db, run, unchanged) -> None:
    run("init", "测试", "--lang", "zh")
    run("undo")  # the init itself
    assert json.loads(db.read_bytes()).get("committee") == {}
    line = refused(run, unchanged, "undo")
    assert "没有可以撤销的改动" in line


def test_undo_when_a_later_change_touched_the_same_facts_is_refused(meeting, db) -> None:
    """A change that no later change overrode is the newest: the stack never skips one.
    What an undo would put back must be as that change left it."""
    run = meeting
    run("note", D, "1", "第一点", now="2026-11-25T19:10")
    entry = audit.entries(db)[-1]
    with store.Store(Path(db)).writing() as record:
        meeting_doc = record.meeting(D)
        record.update_meeting(meeting_doc["id"], {"notes": []})
        assert record.changed_since(entry) == ["meetings/1"]


def test_the_state_undo_checks_is_read_from_the_bytes_as_written(meeting, db, monkeypatch):
    """Undo checks the hot file against the last entry's state by hashing its bytes, with
    only `_meta` parsed; a file laid out otherwise has its content hashed; one changed
    holds another state."""
    from sanjian_cli.services.storage import POLICY
    from sanjian_cli.store import files

    state = audit.entries(db)[-1]["state"]
    decoded = decode_calls(monkeypatch, files)

    def holds() -> bool:
        with store.Store(Path(db), POLICY).writing() as found:
            return found.disk_holds(state)

    assert holds() and decoded == []
    data = json.loads(db.read_bytes())
    db.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert holds() and decoded  # another layout, the same content
    with store.Store(Path(db), POLICY).writing() as found:
        assert not found.disk_holds(None) and not found.disk_holds("0" * 64)
    assert files.decode(db.read_bytes())[0] is not None
