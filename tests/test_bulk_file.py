"""The hot file's bulk tables as a file of their own (`store.bulkfile`, schema 7): what a
change reads and writes of it, how it is backed up, and what happens when it is missing,
edited, or left behind by a change that never committed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from _generated import copied, generated
from _whole import whole_bytes
from test_hot_bulk import _shorten_latest_follow_up

from sanjian_cli.errors import StoreError
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import audit, backups, bulkfile, files, paths

NOW = "2026-11-23T09:00:00+08:00"
LATEST = "2026-11-18"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory, "bulkfile", 1, 11)


@pytest.fixture
def store(year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> Path:
    """A fresh copy of the one-year store (hot file, archives, log), the CLI's store, after
    one change: its backup set as a store in use has it."""
    path = copied(year, tmp_path, monkeypatch, NOW)
    run("config", "set", "place", "党群服务中心")
    return path


def _name(path: Path) -> str:
    name = files.named_in(path.read_bytes())
    assert name is not None
    return name


def _live(path: Path) -> list[str]:
    return sorted(p.name for p in paths.archive_dir(path).glob("bulk.*.json"))


def _kept(path: Path) -> list[str]:
    return sorted(p.name for p in paths.backup_dir(path).glob("bulk.*.json"))


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bulk files the store reads from now on, by name."""
    read: list[str] = []
    real = bulkfile.live

    def live(path: Path) -> bulkfile.Load:
        load = real(path)

        def counted(name: str) -> bytes | None:
            read.append(name)
            return load(name)

        return counted

    monkeypatch.setattr(bulkfile, "live", live)
    return read


def _untouched(path: Path) -> dict[str, bytes]:
    """The hot file, its log and the archive folder, as bytes."""
    found = {"hot": path.read_bytes(), "log": paths.log_path(path).read_bytes()}
    for file in sorted(paths.archive_dir(path).iterdir()):
        found[file.name] = file.read_bytes()
    return found


def test_the_hot_file_names_its_bulk_file_and_holds_none_of_it(store: Path, run) -> None:
    raw = store.read_bytes()
    name = _name(store)
    assert b"_meetings_bulk" not in raw and _live(store) == [f"bulk.{name}.json"]
    saved = paths.bulk_path(paths.archive_dir(store), name).read_bytes()
    assert files.sha256(saved[1:-1]) == name and saved.startswith(b'{"_meetings_bulk":')
    # what it holds is most of the record: what a change that leaves it saves
    assert len(saved) > len(raw)
    whole, _problem = files.decode(whole_bytes(store))
    assert whole is not None
    state = audit.last_state(store)
    assert files.state_of(whole, POLICY.hot_bulk) == state
    assert files.holds_state(raw, state) and files.file_verified(store, state) is True
    assert f"bulk.{name}.json" in _kept(store)  # the backup set has its copy
    assert run("doctor").exit_code == 0


def test_a_change_that_leaves_the_closed_meetings_neither_reads_nor_writes_it(
    store: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _name(store)
    file = paths.bulk_path(paths.archive_dir(store), name)
    seen = os.stat(file)
    read = _loads(monkeypatch)
    run("config", "set", "place", "新会议室")
    run("topic", "add", "楼道灯更换", "--by", "1")
    run("member", "list")
    assert read == []
    assert _name(store) == name and _live(store) == [file.name]
    after = os.stat(file)
    assert (after.st_ino, after.st_mtime_ns) == (seen.st_ino, seen.st_mtime_ns)
    run("minutes", LATEST)  # a closed meeting's record: read from it
    assert read == [name]
    assert run("doctor").exit_code == 0


def test_a_change_to_a_closed_meeting_writes_a_new_one_and_drops_the_old(store: Path, run) -> None:
    old = _name(store)
    before = run("minutes", LATEST).stdout
    _shorten_latest_follow_up(store)
    new = _name(store)
    assert new != old and _live(store) == [f"bulk.{new}.json"]
    assert {f"bulk.{old}.json", f"bulk.{new}.json"} <= set(_kept(store))
    assert run("minutes", LATEST).stdout != before
    assert run("doctor").exit_code == 0
    run("undo")  # the old one written again, from the record as it was
    assert _name(store) == old and _live(store) == [f"bulk.{old}.json"]
    assert run("minutes", LATEST).stdout == before
    assert run("doctor").exit_code == 0


def test_the_backup_set_keeps_each_bulk_file_while_a_backup_names_it(store: Path, run) -> None:
    run("config", "set", "backups", "2")
    old = _name(store)
    _shorten_latest_follow_up(store)
    new = _name(store)
    assert f"bulk.{old}.json" in _kept(store)  # the backup before the change names it
    run("config", "set", "place", "一")
    run("config", "set", "place", "二")
    assert _kept(store) == [f"bulk.{new}.json"]  # no backup kept names the old one
    assert len(backups.listing(store)) == 2 + sum(
        1 for p in backups.listing(store) if not p.name[0].isdigit()
    )
    newest = backups.newest(store)
    assert newest is not None and files.named_in(newest.read_bytes()) == new


def test_a_missing_bulk_file_is_refused_in_one_line_and_nothing_changes(store: Path, run) -> None:
    name = _name(store)
    paths.bulk_path(paths.archive_dir(store), name).unlink()
    before = _untouched(store)
    for command in (("config", "set", "place", "新会议室"), ("minutes", LATEST)):
        result = run(*command, ok=False)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1, command
        assert f"bulk.{name}.json" in lines[0] and "Traceback" not in result.stderr
        assert "sanjian restore" in lines[0]  # the newest good backup, named
    assert run("member", "list").exit_code == 0  # what needs no closed meeting still reads
    shown = run("doctor", ok=False)
    assert shown.exit_code == 1 and f"bulk.{name}.json" in shown.stdout
    assert _untouched(store) == before
    newest = backups.newest(store)
    assert newest is not None
    run("restore", str(newest))  # its bulk file is in the backup set, found by its digest
    assert _live(store) == [f"bulk.{_name(store)}.json"]
    assert run("doctor").exit_code == 0 and run("minutes", LATEST).exit_code == 0


def _edit_bulk(path: Path) -> None:
    """A hand edit of the bulk file, still valid JSON: a closed meeting's follow-up note."""
    file = paths.bulk_path(paths.archive_dir(path), _name(path))
    data = json.loads(file.read_bytes())
    meeting = data["_meetings_bulk"][max(data["_meetings_bulk"], key=int)]
    meeting["filed"]["follow_up"] = []
    file.write_bytes(files.dumps(data).encode("utf-8"))


def test_a_bulk_file_edited_by_hand_is_refused_by_what_reads_it_for_a_change(
    store: Path, run
) -> None:
    _edit_bulk(store)
    before = _untouched(store)
    with pytest.raises(StoreError) as refused:
        _shorten_latest_follow_up(store)
    assert "edited outside sanjian" in str(refused.value.params.get("problem"))
    assert _untouched(store) == before
    shown = run("doctor", ok=False)
    assert shown.exit_code == 1 and "edited outside sanjian" in shown.stdout
    run("doctor", "--accept-edits", "--reason", "手改了落实情况")
    assert run("doctor").exit_code == 0
    entry = audit.entries(store)[-1]
    assert entry.get("accepted_edits") == "手改了落实情况"
    assert any(c["table"] == "meetings" for c in entry.get("changes") or [])
    _shorten_latest_follow_up(store)  # the record as accepted is the one a change starts from


def test_a_change_that_fails_after_writing_its_bulk_file_takes_it_back(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _untouched(store)

    def crash(*args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(audit, "append_open", crash)
        with pytest.raises(StoreError):
            _shorten_latest_follow_up(store)
    assert _untouched(store) == before  # the new bulk file is gone, the old one there


def test_a_bulk_file_a_killed_change_left_is_dropped_by_the_next(store: Path, run) -> None:
    stray = paths.bulk_path(paths.archive_dir(store), "0" * 64)
    stray.write_bytes(b'{"_meetings_bulk":{}}')
    assert run("minutes", LATEST).exit_code == 0  # never read: the hot file names its own
    run("config", "set", "place", "新会议室")
    assert not stray.exists() and _live(store) == [f"bulk.{_name(store)}.json"]


def test_a_hot_file_restored_alone_finds_its_bulk_file_by_its_digest(
    store: Path, run, tmp_path: Path
) -> None:
    before = run("minutes", LATEST).stdout
    lone = tmp_path / "elsewhere" / "copy.json"
    lone.parent.mkdir()
    lone.write_bytes(store.read_bytes())  # the hot file alone: its archives and bulk file
    run("config", "set", "place", "新会议室")  # are the store's own, found by their digests
    run("restore", str(lone))
    assert run("minutes", LATEST).stdout == before
    assert run("doctor").exit_code == 0
    # A store that holds no copy of it anywhere: refused, and named.
    other = tmp_path / "other" / "s.json"
    other.parent.mkdir()
    result = run("--db", str(other), "restore", str(lone), ok=False)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr and not other.exists()


def test_a_store_of_schema_6_is_read_as_it_is_and_written_apart(store: Path, run) -> None:
    """The layout a sanjian of schema 6 wrote: the bulk tables in the hot file."""
    name = _name(store)
    inline = whole_bytes(store).replace(b'"schema":7', b'"schema":6', 1)
    store.write_bytes(inline)
    paths.bulk_path(paths.archive_dir(store), name).unlink()
    shown = run("minutes", LATEST).stdout
    assert store.read_bytes() == inline  # reading upgrades in memory only
    run("config", "set", "place", "新会议室")
    assert files.named_in(store.read_bytes()) == name  # the same tables, apart
    assert _live(store) == [f"bulk.{name}.json"]
    assert any(p.name.startswith("before-schema-7") for p in backups.listing(store))
    assert run("minutes", LATEST).stdout == shown
    assert run("doctor").exit_code == 0


def test_a_hot_file_laid_out_by_hand_reads_with_its_bulk_file(store: Path, run) -> None:
    """Pretty-printed (as an editor or TinyDB itself would write it): read as it stands,
    its bulk file with it, and the next change writes it as sanjian does."""
    shown = run("minutes", LATEST).stdout
    name = _name(store)
    store.write_text(json.dumps(json.loads(store.read_bytes()), indent=2, ensure_ascii=False))
    assert files.named_in(store.read_bytes()) is None  # not laid out as sanjian writes it
    assert run("minutes", LATEST).stdout == shown
    run("config", "set", "place", "新会议室")  # its content is the logged state: a change
    assert _name(store) == name and run("minutes", LATEST).stdout == shown
    assert run("doctor").exit_code == 0
