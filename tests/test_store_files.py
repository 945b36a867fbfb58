"""The store's files as the system sees them: a symlinked store, a store written by root
for its owner, temporary files of killed writers, and documents handed out by the Record."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, backup_dir, lock_path, log_path


def test_a_symlinked_store_is_its_target(committee, db: Path, run, monkeypatch, tmp_path) -> None:
    real = tmp_path / "real" / "store.json"
    real.parent.mkdir()
    os.replace(db, real)
    for side in (log_path(db), backup_dir(db)):
        os.replace(side, real.parent / side.name)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    monkeypatch.setenv("SANJIAN_DB", str(link))
    run("guest", "2026-11-25", "来宾")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "来宾" in real.read_text("utf-8")
    for beside in (log_path(real), backup_dir(real), lock_path(real)):
        assert beside.exists(), beside
    for beside in (log_path(link), backup_dir(link), lock_path(link)):
        assert not beside.exists(), beside
    assert run("doctor").exit_code == 0
    assert "来宾" in run("meeting", "show", "2026-11-25").stdout


def test_a_change_keeps_the_mode_of_the_store(committee, db: Path, run) -> None:
    os.chmod(db, 0o640)  # the secretary lets her group read it
    run("guest", "2026-11-25", "来宾")
    assert stat.S_IMODE(db.stat().st_mode) == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_change_as_root_keeps_the_owner_of_the_store(committee, db: Path, run) -> None:
    owner = (4242, 4243)
    for path in [db.parent, db, log_path(db), backup_dir(db), *backup_dir(db).iterdir()]:
        os.chown(path, *owner)
    run("guest", "2026-11-25", "来宾")  # cron, as root
    run("config", "set", "place", "别处")
    made = [db, log_path(db), lock_path(db), backup_dir(db), *backup_dir(db).iterdir()]
    for path in made:
        st = path.stat()
        assert (st.st_uid, st.st_gid) == owner, path


def test_temporary_files_of_killed_writers_are_swept(committee, db: Path, run) -> None:
    dead = [
        db.parent / f".{db.name}.k1l2e3d.tmp",
        backup_dir(db) / ".000009.json.abc123.tmp",
    ]
    for path in dead:
        path.write_bytes(b"half a file")
    run("guest", "2026-11-25", "来宾")
    assert [p for p in dead if p.exists()] == []


def test_documents_handed_out_are_copies(committee, db: Path) -> None:
    with Store(db, POLICY).writing() as record:
        meeting = record.meeting("2026-11-25")
        assert meeting is not None
        meeting["guests"].append({"name": "不该出现"})
        meeting["attendance"]["99"] = {}
        record.committee()["settings"]["quorum"] = "two-thirds"
        for topic in record.topics():
            topic["approvals"].append(99)
        again = record.meeting("2026-11-25")
        assert again is not None and again["guests"] == [] and "99" not in again["attendance"]
        # and what goes in is copied too: changing it afterwards changes nothing
        guests = [{"name": "来宾"}]
        record.update_meeting(again["id"], {"guests": guests})
        guests.append({"name": "后加的"})
    data = json.loads(db.read_bytes())
    day = next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")
    assert day["guests"] == [{"name": "来宾"}] and "99" not in day["attendance"]
    assert data["committee"]["1"]["settings"]["quorum"] == "majority"
