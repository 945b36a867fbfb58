"""A store put back from an older copy (behind its log): doctor reports it, every change
refuses it with one line saying what to do, and `restore` or `doctor --adopt` brings the
record and its log back into step, without handing out an id a lost change had."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _week import refused

from sanjian_cli.store import audit, backups, paths

WRITES = [
    ("topic", "add", "新议题", "--by", "刘洋"),
    ("guest", "2026-11-25", "来宾"),
    ("member", "add", "新成员", "--side", "volunteer"),
    ("config", "set", "place", "别处"),
]


def _three_changes(run) -> None:
    run("topic", "add", "楼道灯", "--by", "刘洋")
    run("topic", "add", "垃圾分类", "--by", "陈静")
    run("guest", "2026-11-25", "街道办王主任")


def _doctor(run) -> tuple[int, list[dict]]:
    result = run("doctor", "--format", "json", ok=False)
    return result.exit_code, json.loads(result.stdout)["problems"]


@pytest.mark.parametrize("back", [1, 3])
def test_a_rolled_back_store_is_reported_and_refused(committee, db: Path, run, unchanged, back):
    _three_changes(run)
    entries = audit.entries(db)
    # the backup set holds the store as each change left it: -1 is the store now
    older = backups.listing(db)[-1 - back]
    shutil.copyfile(older, db)
    code, problems = _doctor(run)
    assert code == 1
    (behind,) = [p for p in problems if p["code"] == "behind_log"]
    last = entries[-1]["n"]
    assert behind["detail"] == {"count": back, "first": last - back + 1, "last": last}
    assert [p["code"] for p in problems] == ["behind_log"]  # nothing else is wrong
    log = paths.log_path(db).read_bytes()
    for args in WRITES:
        line = refused(run, unchanged, "--lang", "en", *args)
        assert f"behind its audit log by {back} change(s)" in line
        assert f"sanjian restore {backups.listing(db)[-1]}" in line  # the latest record
        assert "sanjian doctor --adopt --reason" in line
    assert paths.log_path(db).read_bytes() == log  # the evidence stays
    assert [e["n"] for e in audit.entries(db)] == [e["n"] for e in entries]


def test_restoring_the_newest_backup_brings_the_latest_record_back(committee, db, run) -> None:
    _three_changes(run)
    latest = db.read_bytes()
    newest = backups.listing(db)[-1]
    shutil.copyfile(backups.listing(db)[-4], db)
    run("restore", str(newest))
    assert json.loads(db.read_bytes())["topics"] == json.loads(latest)["topics"]
    assert _doctor(run) == (0, [])
    run("topic", "add", "又一个", "--by", "刘洋")
    assert _doctor(run) == (0, [])
    entries = audit.entries(db)
    assert entries[-2]["restored_from"] == str(newest)
    assert [e["n"] for e in entries] == list(range(1, len(entries) + 1))


def test_adopting_a_rolled_back_store_is_logged_and_ids_are_not_reused(committee, db, run) -> None:
    _three_changes(run)
    lost_topics = json.loads(db.read_bytes())["topics"]
    shutil.copyfile(backups.listing(db)[-4], db)  # before the three changes
    before = len(audit.entries(db))
    result = run("--lang", "en", "doctor", "--adopt", "--reason", "回到会前的副本")
    assert "adopted the store" in result.stderr and "the record is sound" in result.stderr
    entries = audit.entries(db)
    assert len(entries) == before + 1  # the lost changes stay in the log, then the adoption
    adopted = entries[-1]
    assert adopted["adopted"] == "回到会前的副本"
    assert adopted["lost"] == [before - 2, before]
    removed = {(c["table"], c["id"]) for c in adopted["changes"] if c["op"] == "remove"}
    assert {("topics", int(k)) for k in lost_topics} <= removed
    shown = run("--lang", "en", "log").stdout
    assert "adopted as it was: 回到会前的副本" in shown
    assert f"changes #{before - 2}–#{before} are not in the record" in shown
    run("topic", "add", "新议题", "--by", "刘洋")
    topics = json.loads(db.read_bytes())["topics"]
    new_id = max(int(k) for k in topics)
    assert new_id > max(int(k) for k in lost_topics)  # not the id of a lost topic
    assert _doctor(run) == (0, [])


def test_adopt_needs_a_reason_and_something_to_adopt(committee, db, run, unchanged) -> None:
    refused(run, unchanged, "doctor", "--adopt", code=2)
    refused(run, unchanged, "doctor", "--reason", "x", code=2)
    refused(run, unchanged, "doctor", "--adopt", "--accept-edits", "--reason", "x", code=2)
    line = refused(run, unchanged, "--lang", "en", "doctor", "--adopt", "--reason", "x")
    assert "agrees with its audit log" in line


def test_a_store_from_before_its_log_is_refused_then_adopted(committee, db, run, unchanged):
    data = json.loads(db.read_bytes())
    for key in ("log_head", "log_size", "log_n"):
        del data["_meta"]["1"][key]  # as a copy taken before the log was started
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert any(p["code"] == "log_unclaimed" for p in _doctor(run)[1])
    line = refused(run, unchanged, "--lang", "en", *WRITES[0])
    assert "does not belong to the audit log" in line
    run("doctor", "--adopt", "--reason", "旧副本")
    assert _doctor(run) == (0, [])


def test_an_entry_of_a_command_killed_before_its_commit_is_not_a_rollback(
    committee, db, run
) -> None:
    """The one log entry that may follow the store's head uncommitted: written without its
    newline by a command that died before replacing the store."""
    log = paths.log_path(db)
    with log.open("ab") as handle:
        handle.write(b'{"n":99,"at":"x","changes":[],"state":"y","prev":"z"')
    assert _doctor(run) == (0, [])
    assert [e["n"] for e in audit.entries(db)][-1] != 99
    run("topic", "add", "新议题", "--by", "刘洋")
    assert b'"n":99' not in log.read_bytes()
    assert _doctor(run) == (0, [])


def test_a_store_with_its_log_deleted_is_reported_not_refused(committee, db, run) -> None:
    """No log is not a rollback: doctor says the log is missing, changes carry on (and the
    break in the chain stays visible)."""
    paths.log_path(db).unlink()
    assert [p["code"] for p in _doctor(run)[1]] == ["log_missing"]
    run("topic", "add", "新议题", "--by", "刘洋")
    assert [p["code"] for p in _doctor(run)[1]] == ["log_chain"]


def test_init_beside_the_log_of_a_deleted_store_is_refused(committee, db, run, unchanged):
    db.unlink()
    line = refused(run, unchanged, "--lang", "en", "init", "新的联席会议")
    assert "there is no store" in line and "records" in line and "sanjian restore" in line
    assert not db.exists()
