"""A record edited outside sanjian: no command writes over it (which would re-hash the
forged record), and `doctor --accept-edits --reason R` records the edit in the log, field
by field, so the history shows it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from _week import refused

from sanjian_cli.store import audit, backups, paths

PRESENT = ["张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟"]


@pytest.fixture
def voted(committee):
    run = committee
    run("topic", "add", "助餐点扩容", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead)
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", *PRESENT, now="2026-11-25T19:00")
    run("vote", "2026-11-25", "1", "--yes", "6", "--no", "1", now="2026-11-25T19:30")
    return run


def _edit(db: Path, change) -> None:
    data = json.loads(db.read_bytes())
    change(data)
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _meeting(data: dict) -> dict:
    return next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")


def _codes(run) -> list[str]:
    result = run("doctor", "--format", "json", ok=False)
    return [p["code"] for p in json.loads(result.stdout)["problems"]]


def test_an_edited_vote_count_stops_every_change(voted, db, unchanged) -> None:
    run = voted
    _edit(db, lambda d: _meeting(d)["votes"]["1"].update(yes=5, no=2))
    for args in (("guest", "2026-11-25", "来宾"), ("topic", "add", "x", "--by", "刘洋"),
                 ("note", "2026-11-25", "1", "补记")):  # fmt: skip
        line = refused(run, unchanged, "--lang", "en", *args)
        assert "changed outside sanjian" in line and "sanjian doctor" in line
        assert "--accept-edits --reason" in line
        assert f"sanjian restore {backups.listing(db)[-1]}" in line  # undoes the edit
    assert "state_mismatch" in _codes(run)  # still seen: nothing re-hashed it


def test_accepting_the_edit_logs_the_changed_fields(voted, db) -> None:
    run = voted
    entries = len(audit.entries(db))
    _edit(db, lambda d: _meeting(d)["votes"]["1"].update(yes=5, no=2))
    _edit(db, lambda d: d["members"]["3"].update(name="王志刚"))
    result = run("--lang", "en", "doctor", "--accept-edits", "--reason", "核对原始票单后更正")
    assert "recorded the outside edit" in result.stderr and result.exit_code == 0
    logged = audit.entries(db)
    assert len(logged) == entries + 1
    edit = logged[-1]
    assert edit["accepted_edits"] == "核对原始票单后更正"
    changed = {(c["table"], c["id"]): c["fields"] for c in edit["changes"]}
    assert changed[("meetings", 1)] == {"votes.1.yes": [6, 5], "votes.1.no": [1, 2]}
    assert changed[("members", 3)] == {"name": ["王志强", "王志刚"]}
    assert edit["meetings"] == ["2026-11-25"]
    shown = run("--lang", "en", "log", "--meeting", "2026-11-25").stdout
    assert "outside edit accepted: 核对原始票单后更正" in shown
    assert "~meetings#1 votes.1.yes,votes.1.no" in shown
    assert _codes(run) == []
    run("guest", "2026-11-25", "来宾")  # and changes carry on
    assert _codes(run) == []


def test_an_edit_is_accepted_even_without_a_backup_to_compare(voted, db, run) -> None:
    _edit(db, lambda d: _meeting(d)["votes"]["1"].update(yes=5, no=2))
    shutil.rmtree(paths.backup_dir(db))
    run("doctor", "--accept-edits", "--reason", "更正")
    edit = audit.entries(db)[-1]
    assert edit["changes"] == [] and edit["changes_unknown"] is True
    assert _codes(run) == []


def test_nothing_to_accept_and_a_rollback_is_for_adopt(voted, db, run, unchanged) -> None:
    line = refused(run, unchanged, "--lang", "en", "doctor", "--accept-edits", "--reason", "x")
    assert "nothing to adopt or accept" in line
    run("guest", "2026-11-25", "来宾")
    shutil.copyfile(backups.listing(db)[-2], db)
    line = refused(run, unchanged, "--lang", "en", "doctor", "--accept-edits", "--reason", "x")
    assert "sanjian doctor --adopt" in line


def test_an_edited_archive_is_not_written_over(tmp_path, run, monkeypatch) -> None:
    """The same for a closed year: a change that would rewrite (or pull from) an edited
    archive refuses; accepting the edit records it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import make_store

    path = tmp_path / "s.json"
    make_store.main(["--years", "1", "--out", str(path), "--seed", "3"])
    monkeypatch.setenv("SANJIAN_DB", str(path))
    monkeypatch.setenv("SANJIAN_NOW", "2026-11-23T09:00:00+08:00")
    file = paths.archive_path(path, 2025)
    data = json.loads(file.read_bytes())
    key, meeting = next(iter(data["meetings"].items()))
    meeting["place"] = "改过的地点"
    file.write_bytes(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    before = path.read_bytes()
    result = run("--lang", "en", "guest", meeting["date"], "来宾", "--amend", "--reason", "补",
                 ok=False)  # fmt: skip
    assert result.exit_code == 1 and f"the yearly archive {file} was changed" in result.stderr
    assert path.read_bytes() == before
    # The edit is in the log now, but the meeting's minutes were approved as they stood:
    # until an amendment, they no longer print as approved, and doctor says so.
    accepted = run("--lang", "en", "doctor", "--accept-edits", "--reason", "地点更正", ok=False)
    assert accepted.exit_code == 1 and "recorded the outside edit" in accepted.stderr
    edit = audit.entries(path)[-1]
    assert edit["archives_edited"] == [2025]
    changed = {(c["table"], c["id"]): c["fields"] for c in edit["changes"]}
    assert changed[("meetings", int(key))]["place"][1] == "改过的地点"
    assert _codes(run) == ["minutes_changed"]
    run("guest", meeting["date"], "来宾", "--amend", "--reason", "补")
    assert _codes(run) == []
