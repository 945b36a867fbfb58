"""`restore` of a whole store takes it a document at a time (`restore._streamed`): the store
it leaves, the log entry and the copy of what it replaced are those of the restore that
decodes the file whole, in every case, and the file is never decoded whole."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, audit, files, paths, restore, scan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402
from _whole import whole_bytes
from conftest import Run, decode_calls  # noqa: E402

NOW = "2026-11-23T09:00:00+08:00"


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of records, 2024 and 2025 in their archives, and its whole file."""
    folder = tmp_path_factory.mktemp("streamed")
    path = folder / "s.json"
    tables = make_store.build(2, 5, make_store.datetime.fromisoformat(NOW))
    tables["_meta"]["1"] = {"schema": files.SCHEMA}
    path.write_bytes(files.dumps(tables).encode("utf-8"))
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = NOW
    try:
        assert Store(path, POLICY).archive() == [2024, 2025]
        Store(path, POLICY).backup(folder / "whole.json")
        # A hot file with its archives beside it, as an automatic backup is kept.
        shutil.copyfile(path, folder / "hot.json")
        shutil.copytree(paths.archive_dir(path), paths.archive_dir(folder / "hot.json"))
        # ... and one whose hot file holds an archived decision again, changed.
        again = folder / "again" / "s.json"
        shutil.copytree(folder, again.parent, ignore=shutil.ignore_patterns("*.json", "*.d"))
        shutil.copyfile(path, again)
        shutil.copytree(paths.archive_dir(path), paths.archive_dir(again))
        item = int(next(iter(json.loads(paths.archive_path(path, 2024).read_bytes())["decisions"])))
        Run()("--db", str(again), "action", "update", str(item), "--note", "来源补记")
        assert str(item) in json.loads(whole_bytes(again))["decisions"]
        shutil.copyfile(again, folder / "again.json")
        shutil.copytree(paths.archive_dir(again), paths.archive_dir(folder / "again.json"))
        shutil.rmtree(again.parent)
    finally:
        if saved is not None:
            os.environ["SANJIAN_NOW"] = saved
    return path


def _folder(path: Path) -> dict[str, bytes]:
    """Every file beside the store, by name; the backups decoded (the copy of the store
    replaced is laid out as its copier lays it out: its record is what counts)."""
    found: dict[str, bytes] = {}
    for file in sorted(path.parent.rglob("*")):
        if not file.is_file() or file.name.endswith(".lock"):
            continue
        raw = file.read_bytes()
        if file.parent == paths.backup_dir(path):
            data, _problem = files.decode(raw)
            raw = json.dumps(data, sort_keys=True).encode() if data is not None else raw
        found[str(file.relative_to(path.parent))] = raw
    return found


def _changed(path: Path, run, monkeypatch) -> None:
    monkeypatch.setenv("SANJIAN_DB", str(path))
    hot = json.loads(whole_bytes(path))
    archived = json.loads(paths.archive_path(path, 2025).read_bytes())
    old_day = next(iter(archived["meetings"].values()))["date"]
    run("guest", old_day, "来宾", "--amend", "--reason", "补")  # an archived meeting
    run("guest", "2026-11-25", "街道办王主任")
    active = next(k for k, m in hot["members"].items() if not m.get("retired"))
    run("topic", "add", "新议题 [b]", "--by", active)  # not in the file restored: removed
    item = next(iter(json.loads(paths.archive_path(path, 2024).read_bytes())["decisions"]))
    run("action", "update", item, "--note", "补记")  # archived, and now hot as well


def _damaged_hot(path: Path, run, monkeypatch) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _damaged_archive(path: Path, run, monkeypatch) -> None:
    file = paths.archive_path(path, 2024)
    file.write_bytes(file.read_bytes()[:-10])


def _nothing(path: Path, run, monkeypatch) -> None:
    pass


def _none(path: Path, run, monkeypatch) -> None:
    shutil.rmtree(path.parent)
    path.parent.mkdir()


CASES = {
    "over the same record": _nothing,
    "over a record changed since": _changed,
    "over an unreadable hot file": _damaged_hot,
    "over a damaged archive": _damaged_archive,
    "into an empty place": _none,
}


# A whole store; a hot file with its archives; one holding an archived document again.
SOURCES = ("whole.json", "hot.json", "again.json")


def _restored(
    split: Path, place: Path, case, run, monkeypatch, whole_read: bool, source: Path
) -> dict:
    if place.parent.exists():
        shutil.rmtree(place.parent)
    shutil.copytree(split.parent, place.parent, ignore=shutil.ignore_patterns("whole.json",
                    "hot.json", "hot.d", "again.json", "again.d"))  # fmt: skip
    monkeypatch.setenv("SANJIAN_DB", str(place))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    case(place, run, monkeypatch)
    streamed = []
    real_streamed = restore._streamed

    def spy_streamed(*args, **kwargs):
        streamed.append(1)
        return real_streamed(*args, **kwargs)

    with monkeypatch.context() as m:
        decoded = decode_calls(m, files)
        m.setattr(restore, "_streamed", spy_streamed)
        if whole_read:
            m.setattr(scan, "scan", lambda path, locate=None: None)
        run("restore", str(source))
    assert bool(streamed) != whole_read
    if not whole_read:  # never the whole file (nor an archive) decoded at once
        sizes = {source.stat().st_size}
        sizes |= {f.stat().st_size for f in paths.archive_dir(source).glob("*.json")}
        assert not sizes & set(decoded)
    assert run("doctor").exit_code == 0
    return _folder(place)


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_restore_read_a_document_at_a_time_is_the_restore_read_whole(
    split, run, monkeypatch, tmp_path, name, kind
) -> None:
    place = tmp_path / "store" / "s.json"
    source = split.parent / kind
    read_whole = _restored(split, place, CASES[name], run, monkeypatch, True, source)
    streamed = _restored(split, place, CASES[name], run, monkeypatch, False, source)
    assert streamed.keys() == read_whole.keys()
    for file in streamed:
        assert streamed[file] == read_whole[file], file
    entry = audit.entries(place)[-1]
    if name == "over a record changed since":
        ops = {(c["table"], c["op"]) for c in entry["changes"]}
        assert ops >= {("decisions", "change"), ("meetings", "change"), ("topics", "remove")}
    if name == "over the same record":  # the source's own change to an archived item
        expected = [("decisions", "change")] if kind == "again.json" else []
        assert [(c["table"], c["op"]) for c in entry["changes"]] == expected
    assert entry["archived"] == [2024, 2025]  # split again, whichever the source


def test_a_failure_while_the_archives_are_made_leaves_no_trace(split, run, monkeypatch, tmp_path):
    place = tmp_path / "store" / "s.json"
    shutil.copytree(split.parent, place.parent, ignore=shutil.ignore_patterns("whole.json"))
    shutil.rmtree(paths.archive_dir(place))  # the restore is the one to make the folder
    before = _folder(place)
    monkeypatch.setenv("SANJIAN_DB", str(place))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    written = []
    real = files.write_temporary

    def second_fails(*args, **kwargs):
        written.append(1)
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(files, "write_temporary", second_fails)
    result = run("--lang", "en", "restore", str(split.parent / "whole.json"), ok=False)
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert _folder(place) == before
    assert not paths.archive_dir(place).exists()


def _merged(hot: Path, find) -> dict:
    """The record whose hot file is `hot` decoded whole and merged (the old way)."""
    from sanjian_cli.store import archive

    data, _problem = files.decode(whole_bytes(hot))
    assert data is not None
    shelf = archive.Shelf(hot, data["_meta"]["1"].get("archives"))
    for year in shelf.years():
        raw = find(year, shelf.sha(year)).read_bytes()
        shelf.raw[year], shelf.loaded[year] = raw, files.decode(raw)[0]
    return archive.merge(data, shelf)


def test_accepted_edits_log_the_diff_of_the_records_whole(split, run, monkeypatch, tmp_path):
    """`doctor --accept-edits` logs what differs from the record of the last change (its
    backup and the archives it lists), found file by file: `audit.diff` of the two records
    decoded whole, deep, for an edit in an archive and one in the hot file, with an
    archived item the hot file holds again."""
    from sanjian_cli.store import archive, backups

    place = tmp_path / "store" / "s.json"
    shutil.copytree(split.parent, place.parent, ignore=shutil.ignore_patterns(
        "whole.json", "hot.json", "hot.d", "again.json", "again.d"))  # fmt: skip
    monkeypatch.setenv("SANJIAN_DB", str(place))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    item = next(iter(json.loads(paths.archive_path(place, 2024).read_bytes())["decisions"]))
    run("action", "update", item, "--note", "补记")
    state = audit.entries(place)[-1]["state"]
    file = paths.archive_path(place, 2025)
    data = json.loads(whole_bytes(file))
    key = next(iter(data["topics"]))
    data["topics"][key]["title"] = "改过的标题"
    meeting = next(k for k, m in data["meetings"].items() if m.get("attendance"))
    roll = data["meetings"][meeting]["attendance"]
    who = next(iter(roll))
    roll[who]["online"] = not roll[who]["online"]  # nested: a deep diff names the path
    file.write_bytes(files.dumps(data).encode("utf-8"))
    hot = json.loads(whole_bytes(place))
    hot["members"]["1"]["org"] = "改过的单位"
    hot["decisions"][item]["text"] = "改过的事项"
    place.write_bytes(files.dumps(hot).encode("utf-8"))
    backup = backups.holding(place, state)
    assert backup is not None
    was = _merged(backup, lambda year, sha: restore.find_archive_file(place, year, sha))
    now = _merged(place, lambda year, sha: archive.current_file(place, year, sha))
    expected = json.loads(json.dumps(audit.diff(was, now, deep=True), ensure_ascii=False))
    run("doctor", "--accept-edits", "--reason", "手改", ok=False)
    entry = audit.entries(place)[-1]
    assert entry["accepted_edits"] == "手改" and entry["archives_edited"] == [2025]
    assert entry["changes"] == expected
    assert {(c["table"], c["id"]) for c in expected} == {("topics", int(key)),
            ("members", 1), ("decisions", int(item)), ("meetings", int(meeting))}  # fmt: skip
    assert any(f"attendance.{who}.online" in c["fields"] for c in expected)
