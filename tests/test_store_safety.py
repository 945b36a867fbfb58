"""The store as the committee's official record: private files, broken files, schema
versions, backups and restore, the lock timeout, doctor, the audit log."""

from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SANJIAN, env_for

from sanjian_cli import store
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, audit, backups, files, migrations


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_backups_and_log_are_private_and_utf8(committee, db: Path, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "C")
    committee("topic", "add", "楼道堆物清理", "--by", "刘洋")
    assert _mode(db) == 0o600
    assert _mode(store.log_path(db)) == 0o600
    found = backups.listing(db)
    assert found and all(_mode(p) == 0o600 for p in found)
    assert _mode(store.backup_dir(db)) == 0o700
    assert "楼道堆物清理" in db.read_bytes().decode("utf-8")  # UTF-8, not \\u escapes


BROKEN = {
    "truncated": None,  # filled from a real store below
    "empty": b"",
    "non-json": b"this is not json {",
    "wrong-schema": b'{"members": [1, 2, 3]}',
    "not-an-object": b"[1, 2]",
    "latin-1": '{"committee": {"1": {"name": "caf\u00e9"}}}'.encode("latin-1"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize(
    "command", [("member", "list"), ("topic", "add", "x", "--by", "刘洋"), ("init", "新的")]
)
def test_a_broken_store_is_never_written_over(committee, db, run, kind, command) -> None:
    good = db.read_bytes()
    broken = good[: len(good) // 2] if kind == "truncated" else BROKEN[kind]
    db.write_bytes(broken)
    result = run(*command, ok=False)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(db) in lines[0] and "Traceback" not in result.output
    assert "已损坏" in lines[0]
    # the committee fixture made changes, so a good backup exists and is named
    newest = backups.newest_good(db)
    assert newest is not None and str(newest) in lines[0]
    assert db.read_bytes() == broken


def test_broken_store_without_backups_says_so(run, db) -> None:
    db.write_bytes(b"{")
    result = run("--lang", "en", "member", "list", ok=False)
    assert result.exit_code == 1
    assert "no good backup" in result.stderr
    assert db.read_bytes() == b"{"


def test_newest_good_backup_skips_broken_ones(committee, db) -> None:
    good = backups.listing(db)
    good[-1].write_bytes(b"{")  # the newest one is damaged
    assert backups.newest_good(db) == good[-2]


def test_a_store_from_a_newer_sanjian_is_refused(committee, db, run, unchanged) -> None:
    data = json.loads(db.read_bytes())
    data["_meta"]["1"]["schema"] = files.SCHEMA + 1
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    check = unchanged()
    for args in (("member", "list"), ("topic", "add", "x", "--by", "刘洋")):
        result = run("--lang", "en", *args, ok=False)
        assert result.exit_code == 1
        assert "newer sanjian" in result.stderr and f"schema {files.SCHEMA + 1}" in result.stderr
    check()


def _as_version_0(db: Path) -> dict:
    """The fixture's store as an early sanjian wrote it: no _meta, lists not yet filled in."""
    data = json.loads(db.read_bytes())
    del data["_meta"]
    for meeting in data["meetings"].values():
        for key in ("leaves", "guests", "notes", "dissents"):
            del meeting[key]
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    store.log_path(db).unlink()  # the log came later, too
    return data


def test_migration_step_0_to_1_fills_in_the_record() -> None:
    data = {"meetings": {"1": {"date": "2026-11-25", "attendance": {"3": {}}}},
            "topics": {"1": {"title": "x", "status": "accepted"}}}  # fmt: skip
    assert files.schema_of(data) == 0
    # The store's policy says what a document's fields are (documents.upgrade).
    assert migrations.migrate(data, target=1, upgrade=POLICY.upgrade) == 0
    assert data["_meta"]["1"]["schema"] == 1 == files.schema_of(data)
    meeting = data["meetings"]["1"]
    assert meeting["leaves"] == [] and meeting["votes"] == {} and meeting["status"] == "planned"
    assert meeting["attendance"] == {"3": {}}  # what was there stays
    assert data["topics"]["1"]["approvals"] == [] and data["topics"]["1"]["carried"] == 0


def test_an_old_store_is_migrated_on_change_after_a_backup(committee, db, run) -> None:
    _as_version_0(db)
    old = db.read_bytes()
    # reading works on the migrated record in memory and does not write
    run("leave", "赵敏", "2026-11-25", "--reason", "看病")
    data = json.loads(db.read_bytes())
    assert data["_meta"]["1"]["schema"] == files.SCHEMA
    kept = [p for p in backups.listing(db) if p.name.startswith("before-schema-")]
    assert len(kept) == 1 and kept[0].read_bytes() == old
    assert audit.entries(db)[-1]["migrated_from"] == 0
    assert run("doctor").exit_code == 0


def test_reading_an_old_store_does_not_write(committee, db, run) -> None:
    _as_version_0(db)
    before = db.read_bytes()
    run("minutes", "2026-11-25")
    assert db.read_bytes() == before


def test_backups_rotate_to_the_configured_count(committee, db, run) -> None:
    run("config", "set", "backups", "3")
    for n in range(6):
        run("guest", "2026-11-25", f"来宾{n}")
    numbered = [p for p in backups.listing(db) if p.name[0].isdigit()]
    assert len(numbered) == 3
    # the newest backup is the store as the last change left it, the one before it the
    # store just before that change
    assert numbered[-1].read_bytes() == db.read_bytes()
    assert "来宾4" in numbered[-2].read_text(encoding="utf-8")
    assert "来宾5" not in numbered[-2].read_text(encoding="utf-8")


def test_backup_to_a_file_and_restore_it(committee, db, run, tmp_path) -> None:
    copy = tmp_path / "copy.json"
    run("backup", "--output", str(copy))
    assert copy.read_bytes() == db.read_bytes() and _mode(copy) == 0o600
    run("guest", "2026-11-25", "街道办王主任")
    replaced = db.read_bytes()
    result = run("--lang", "en", "restore", str(copy))
    assert "kept in" in result.stderr
    assert "街道办王主任" not in db.read_text(encoding="utf-8")
    assert any(p.read_bytes() == replaced for p in backups.listing(db))
    assert audit.entries(db)[-1]["restored_from"] == str(copy)
    assert run("doctor").exit_code == 0


def test_restore_checks_the_file_first(committee, db, run, tmp_path, unchanged) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"members": ')
    check = unchanged()
    result = run("--lang", "en", "restore", str(bad), ok=False)
    assert result.exit_code == 1 and "not a valid store" in result.stderr
    result = run("restore", str(tmp_path / "missing.json"), ok=False)
    assert result.exit_code == 1
    check()


def test_restore_repairs_a_broken_store_and_keeps_the_broken_bytes(committee, db, run) -> None:
    newest = backups.newest_good(db)
    db.write_bytes(b"\x00\x00garbage")
    run("restore", str(newest))
    assert run("member", "list").exit_code == 0
    assert any(p.read_bytes() == b"\x00\x00garbage" for p in backups.listing(db))


def test_backup_without_a_store_is_refused(run) -> None:
    result = run("backup", ok=False)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1


def test_a_held_lock_makes_a_writer_give_up_cleanly(committee, db) -> None:
    holder = {"pid": os.getpid(), "user": "secretary", "command": ["sanjian", "demo"],
              "since": "x"}  # fmt: skip
    fd = os.open(db.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        store.lock_path(db).write_text(json.dumps(holder), encoding="utf-8")
        before = db.read_bytes()
        env = {**env_for(db, "2026-11-23T09:00+08:00"), "SANJIAN_LOCK_TIMEOUT": "0.5"}
        started = time.monotonic()
        result = subprocess.run(
            [str(SANJIAN), "--lang", "en", "topic", "add", "x", "--by", "刘洋"],
            env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        waited = time.monotonic() - started
        assert result.returncode == 75  # EX_TEMPFAIL: try again later
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and f"pid {os.getpid()}" in lines[0] and "secretary" in lines[0]
        assert "0.5 s" in lines[0]
        assert waited < 10
        assert db.read_bytes() == before
        # a reader waits too: shared locks do not pass an exclusive holder
        with pytest.raises(store.Busy):
            with Store(db, POLICY, lock_timeout=0.1).reading():
                pass
    finally:
        os.close(fd)


def test_readers_share_the_lock(committee, db) -> None:
    with Store(db, POLICY, lock_timeout=0.1).reading() as one:
        with Store(db, POLICY, lock_timeout=0.1).reading() as two:
            assert one.committee() == two.committee()
        with pytest.raises(store.StoreError) as caught:
            with Store(db, POLICY, lock_timeout=0.1).writing():
                pass
        assert caught.value.key == "lock_timeout_by"


def test_lock_timeout_comes_from_the_setting(committee, db, run) -> None:
    run("config", "set", "lock-timeout", "3")
    assert Store(db, POLICY)._timeout() == 3.0
    os.environ["SANJIAN_LOCK_TIMEOUT"] = "0.25"
    try:
        assert Store(db, POLICY)._timeout() == 0.25
    finally:
        del os.environ["SANJIAN_LOCK_TIMEOUT"]


def test_bad_lock_timeout_is_bad_input(committee, run, monkeypatch) -> None:
    monkeypatch.setenv("SANJIAN_LOCK_TIMEOUT", "soon")
    result = run("member", "list", ok=False)
    assert result.exit_code == 2 and "SANJIAN_LOCK_TIMEOUT" in result.stderr


def test_a_refused_command_writes_no_backup_and_no_log(committee, db, run) -> None:
    entries, saved = len(audit.entries(db)), backups.listing(db)
    run("topic", "add", "x", "--by", "无此人", ok=False)
    assert len(audit.entries(db)) == entries and backups.listing(db) == saved
