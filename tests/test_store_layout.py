"""The split store: closed years in archive files, the hot file for the current ones.

One record spanning three calendar years (2024-11 to 2026-11, from benchmarks/make_store.py)
is kept twice: as one file, as every earlier sanjian wrote it, and split by the archive
pass. Every command must print the same on both.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from sanjian_cli.errors import StoreError
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, archive, audit, backups, files, paths, policy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402
from _reads import archive_reads, rest_parses  # noqa: E402
from _whole import whole_bytes

NOW = "2026-11-23T09:00:00+08:00"
LATEST = "2026-11-18"


def _single_file(path: Path, schema: int = files.SCHEMA) -> None:
    """Two years of records as one file, with no archives."""
    tables = make_store.build(2, 5, make_store.datetime.fromisoformat(NOW))
    tables["_meta"]["1"] = {"schema": schema}
    if schema >= 2:
        tables["_meta"]["1"]["next_id"] = archive.next_ids(tables)
    path.write_bytes(files.dumps(tables).encode("utf-8"))


def _copy(source: Path, target: Path) -> Path:
    """The store at `source` with its archives and log (a fresh record for a test that
    changes it)."""
    shutil.copyfile(source, target)
    if paths.archive_dir(source).is_dir():
        shutil.copytree(paths.archive_dir(source), paths.archive_dir(target))
    if paths.log_path(source).exists():
        shutil.copyfile(paths.log_path(source), paths.log_path(target))
    return target


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("layout")
    single = folder / "single.json"
    _single_file(single)
    split = _copy(single, folder / "split.json")
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = NOW
    try:
        assert Store(split, POLICY).archive() == [2024, 2025]
    finally:
        if saved is not None:
            os.environ["SANJIAN_NOW"] = saved
    return {"single": single, "split": split}


def _archive_year(table: str, doc: dict) -> int | None:
    found = POLICY.settled(table, doc)
    return found[0] if found else None


def _hot(path: Path) -> dict:
    return json.loads(whole_bytes(path))


def _archive(path: Path, year: int) -> dict:
    return json.loads(paths.archive_path(path, year).read_bytes())


def _use(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setenv("SANJIAN_DB", str(path))
    monkeypatch.setenv("SANJIAN_NOW", NOW)


# Commands whose output must not depend on the layout: papers of a current, an archived and
# a year-boundary meeting, and the whole-history listings and reports.
def _dates(path: Path) -> list[str]:
    data = archive.merge(_hot(path), archive.Shelf(path, _hot(path)["_meta"]["1"].get("archives")))
    days = sorted(m["date"] for m in data["meetings"].values())
    first_2026 = next(d for d in days if d.startswith("2026"))
    return [LATEST, days[10], days[40], first_2026]


def _outputs(run, path: Path, monkeypatch: pytest.MonkeyPatch, full: bool = False) -> dict:
    """What the commands print on the store at `path`: those the issue names (the papers of a
    current, an archived and a year-boundary meeting, the whole-history listings, a report),
    and with `full` every other reader too."""
    _use(monkeypatch, path)
    commands = [
        ("topic", "list", "--format", "json"),
        ("action", "list", "--format", "json"),
        ("meeting", "list", "--format", "json"),
        ("report", "attendance", "--format", "json"),
    ]
    if full:
        commands += [
            ("topic", "list", "--status", "accepted", "--format", "json"),
            ("topic", "list", "--status", "passed", "--format", "json"),
            ("action", "list", "--open", "--format", "json"),
            ("action", "list", "--overdue", "--format", "json"),
            ("report", "actions", "--format", "json"),
            ("report", "topics", "--format", "json"),
            ("member", "list", "--all", "--format", "json"),
            ("topic", "show", "30", "--format", "json"),
            ("action", "show", "40", "--format", "json"),
            ("notice",),
            ("remind", "--days", "30"),
            ("calendar",),
        ]
    for day in _dates(path):
        commands.append(("minutes", day))
        if full:
            commands.append(("minutes", day, "--format", "json"))
            commands.append(("meeting", "show", day, "--format", "json"))
            commands.append(("publish", day))
    found = {}
    for command in commands:
        result = run(*command, ok=False)
        found[" ".join(command)] = f"{result.exit_code}\n{result.stdout}\n{result.stderr}"
    return found


def test_every_output_is_the_same_split_or_not(stores, run, monkeypatch) -> None:
    single = _outputs(run, stores["single"], monkeypatch, full=True)
    split = _outputs(run, stores["split"], monkeypatch, full=True)
    assert single.keys() == split.keys()
    for command in single:
        assert split[command] == single[command], command
    assert all(text.startswith("0\n") for text in single.values()), single


def test_closed_years_are_in_their_archives(stores) -> None:
    path = stores["split"]
    hot = _hot(path)
    meta = hot["_meta"]["1"]
    assert meta["schema"] == files.SCHEMA == 7 and sorted(meta["archives"]) == ["2024", "2025"]
    assert {m["date"][:4] for m in hot["meetings"].values()} == {"2026"}
    for topic in hot["topics"].values():
        year = _archive_year("topics", topic)
        assert year is None or year == 2026
    for item in hot["decisions"].values():
        assert item["status"] == "open" or "2026" in (item["meeting"][:4], item["done_at"][:4])
    assert any(t["status"] in ("proposed", "accepted", "scheduled") for t in hot["topics"].values())
    for year in (2024, 2025):
        archived = _archive(path, year)
        assert archived["_meta"]["1"] == {"schema": files.SCHEMA, "archive": year}
        assert {m["date"][:4] for m in archived["meetings"].values()} == {str(year)}
        for table in archive.ARCHIVED:
            for doc in archived[table].values():
                assert _archive_year(table, doc) == year
        assert all(d["status"] == "done" for d in archived["decisions"].values())
        assert not set(archived["meetings"]) & set(hot["meetings"])
        raw = paths.archive_path(path, year).read_bytes()
        assert meta["archives"][str(year)]["sha256"] == files.sha256(raw)
        assert stat.S_IMODE(os.stat(paths.archive_path(path, year)).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(paths.archive_dir(path)).st_mode) == 0o700
    # nothing lost, nothing doubled
    single = _hot(stores["single"])
    for table in archive.ARCHIVED:
        keys = list(hot[table]) + [k for y in (2024, 2025) for k in _archive(path, y)[table]]
        assert sorted(keys, key=int) == sorted(single[table], key=int)
    assert audit.entries(path)[-1]["archived"] == [2024, 2025]


def test_an_archive_writes_the_filed_minutes_apart_and_reads_them_back(stores) -> None:
    """The bulk of an archive (each closed meeting's filed follow-up and topics) is written
    after its tables: a reader of the meetings alone (a report over the years) stops before
    it; a reader of the whole archive gets every meeting whole."""
    path = stores["split"]
    listing = _hot(path)["_meta"]["1"]["archives"]
    for year in (2024, 2025):
        raw_file = json.loads(paths.archive_path(path, year).read_bytes())
        assert list(raw_file)[-1] == "_meetings_bulk"
        light = raw_file["meetings"]
        closed = [k for k, m in light.items() if m.get("status") == "closed"]
        assert closed and all("follow_up" not in light[k]["filed"] for k in closed)
        assert all("expected" in light[k]["filed"] for k in closed)  # the roll stays
        shelf = archive.Shelf(path, listing, keep_raw=False)
        peeked = shelf.peek(year, ("meetings",))["meetings"]
        whole = shelf.get(year)["meetings"]
        assert peeked == light and "_meetings_bulk" not in shelf.get(year)
        for key in closed:
            assert {"follow_up", "topics"} <= set(whole[key]["filed"])
            assert (
                whole[key]["filed"]["follow_up"]
                == raw_file["_meetings_bulk"][key]["filed"]["follow_up"]
            )


def test_the_parts_written_apart_come_back_as_they_were() -> None:
    from sanjian_cli.services.storage import POLICY

    meeting = {"date": "2024-03-06", "status": "closed",
               "filed": {"at": "x", "expected": [1, 2], "follow_up": [{"id": 3}],
                         "topics": {"5": {"title": "t"}}, "previous": None}}  # fmt: skip
    plain = {"date": "2024-03-13", "status": "planned"}  # nothing to write apart
    tables = {"meetings": {"1": meeting, "2": plain}, "topics": {}, "decisions": {}}
    raw = archive.archive_payload(2024, tables, POLICY)
    data, problem = files.decode(raw)
    assert problem is None and data["meetings"] == {"1": meeting, "2": plain}
    assert meeting["filed"]["follow_up"] == [{"id": 3}]  # the document given is untouched
    assert json.loads(raw)["_meetings_bulk"] == {
        "1": {"filed": {"follow_up": [{"id": 3}], "topics": {"5": {"title": "t"}}}}
    }
    # without a policy (or an archive an older sanjian wrote) nothing is written apart
    assert files.decode(archive.archive_payload(2024, tables))[0]["meetings"]["1"] == meeting
    # a part that belongs to no document is a damaged archive
    broken = json.loads(raw)
    broken["_meetings_bulk"]["9"] = {"filed": {}}
    assert files.decode(json.dumps(broken).encode())[0] is None


def test_a_reader_of_the_meetings_stops_before_the_bulk_written_apart(stores) -> None:
    """A report over the years decodes an archive no further than its meetings: the bulk of
    the closed meetings (their filed minutes, most of an archive) comes after every table,
    and the decoder stops before it, and decodes no UTF-8 of it, whatever follows."""
    raw = paths.archive_path(stores["split"], 2025).read_bytes()
    assert list(json.loads(raw)) == ["_meta", *archive.ARCHIVED, "_meetings_bulk"]
    assert archive.ARCHIVED[0] == "meetings"
    at = raw.index(b',"_meetings_bulk":')
    cut = raw[:at] + b',"_meetings_bulk":{\xff not json, not even UTF-8' + b"x" * (1 << 20)
    assert files.leading_tables(cut, ("meetings",)) is None  # not UTF-8: read whole, refused
    found = files.leading_tables(archive.before_bulk(cut), ("meetings",))
    assert found is not None and found["meetings"] == json.loads(raw)["meetings"]
    assert archive.before_bulk(raw)[-1:] == b"}" and json.loads(archive.before_bulk(raw))


def test_a_read_of_this_week_opens_no_archive(stores, run, monkeypatch) -> None:
    opened = archive_reads(monkeypatch)
    _use(monkeypatch, stores["split"])
    run("member", "list")
    run("topic", "list", "--status", "accepted")
    run("minutes", LATEST)
    run("action", "list", "--overdue")
    run("notice")
    assert opened == []
    run("minutes", _dates(stores["split"])[1])
    assert opened and set(opened) <= {2024, 2025}


def test_a_change_looking_back_into_last_year_decodes_only_its_meetings(
    stores, monkeypatch, tmp_path
) -> None:
    """In January the agenda looks eight weeks back into last year's archive: a change
    hashes that archive (an edited one stops it) but decodes its meetings table alone."""
    path = _copy(stores["split"], tmp_path / "s.json")
    since, fields = "2025-11-01", ("start", "status")
    with Store(path, POLICY).reading() as record:
        expected = record.meetings_since(since, fields=fields)
    assert any(m["date"] < "2026" for m in expected)
    opened = archive_reads(monkeypatch)
    with Store(path, POLICY).writing() as record:
        assert record.meetings_since(since, fields=fields) == expected
        assert record.meetings_since(since, fields=fields) == expected  # read once, kept
        assert record.shelf.edited == []
    assert opened == []
    # What the change read was edited outside sanjian: the change is refused, as when the
    # archive was decoded whole.
    file = paths.archive_path(path, 2025)
    data = json.loads(whole_bytes(file))
    meeting = next(iter(data["meetings"].values()))
    meeting["place"] = "改过的地点"
    file.write_bytes(files.dumps(data).encode("utf-8"))
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        with Store(path, POLICY).writing() as record:
            record.meetings_since(since, fields=fields)
            record.meetings_since(since, fields=fields)
            assert record.shelf.edited == [2025]  # named once
            member = record.members()[0]
            record.update_member(member["id"], {"note": "x"})
    assert refused.value.key == "archive_edited_write"
    assert path.read_bytes() == before


def test_the_roster_is_read_without_this_years_tables(stores, run, monkeypatch) -> None:
    parses = rest_parses(monkeypatch)
    _use(monkeypatch, stores["split"])
    for command in (("member", "list"), ("member", "list", "--all"), ("config", "show")):
        assert run(*command).exit_code == 0
    assert parses == []
    run("topic", "list", "--status", "accepted")
    assert parses == [1]


def test_ids_are_never_reused_after_archiving(stores, run, monkeypatch, tmp_path) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    single = _hot(stores["single"])
    top = {t: max(int(k) for k in single[t]) for t in ("topics", "meetings", "members")}
    hot = _hot(path)
    # archiving took the highest topic ids out of the hot file
    assert max(int(k) for k in hot["topics"]) < top["topics"]
    _use(monkeypatch, path)
    member = next(k for k, m in hot["members"].items() if not m["retired"] and m["voting"])
    run("topic", "add", "新议题", "--by", member)
    run("meeting", "plan", "2026-12-02")
    run("member", "add", "新成员", "--side", "volunteer", "--joined", "2026-11-23")
    hot = _hot(path)
    assert hot["topics"].get(str(top["topics"] + 1), {}).get("title") == "新议题"
    assert hot["meetings"][str(top["meetings"] + 1)]["date"] == "2026-12-02"
    assert hot["members"][str(top["members"] + 1)]["name"] == "新成员"
    assert hot["_meta"]["1"]["next_id"]["topics"] == top["topics"] + 2


def test_next_id_survives_a_hand_edit_that_drops_it(stores, tmp_path) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    data = _hot(path)
    del data["_meta"]["1"]["next_id"]
    path.write_bytes(files.dumps(data).encode("utf-8"))
    top = max(int(k) for k in _hot(stores["single"])["topics"])
    with Store(path, POLICY).writing() as record:
        new = record.add_topic({"title": "x", "status": "proposed"})
    assert new == top + 1  # from the archives' id ranges, not the hot file's highest id


def test_a_change_to_an_archived_document_goes_back_to_its_archive(
    stores, run, monkeypatch, tmp_path
) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    archived = _archive(path, 2024)["decisions"]
    item = next(iter(archived))
    _use(monkeypatch, path)
    run("action", "update", item, "--note", "补记：档案核对")
    hot = _hot(path)
    assert item in hot["decisions"]  # changed in the hot file, which wins
    shown = json.loads(run("action", "show", item, "--format", "json").stdout)
    assert shown["notes"][-1]["text"] == "补记：档案核对"
    assert run("doctor").exit_code == 0
    # the next change moves it back
    run("guest", "2026-11-25", "街道办王主任")
    assert item not in _hot(path)["decisions"]
    assert _archive(path, 2024)["decisions"][item]["notes"][-1]["text"] == "补记：档案核对"
    again = json.loads(run("action", "show", item, "--format", "json").stdout)
    assert again == shown
    assert run("doctor").exit_code == 0
    # the rewritten archive was kept as it was, beside the backup of that change
    # (and as the change wrote it, beside the copy of the new store)
    copies = [json.loads(whole_bytes(p)) for p in backups.archive_copies(path, 2024)]
    assert copies[0] == _archive(path, 2024)
    assert any(c["decisions"][item] == archived[item] for c in copies[1:])


def test_an_amendment_of_an_archived_meeting(stores, run, monkeypatch, tmp_path) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    day = _dates(path)[1]
    _use(monkeypatch, path)
    run("guest", day, "区民政局李科长", "--amend", "--reason", "漏记列席人员")
    minutes = run("minutes", day).stdout
    assert "区民政局李科长" in minutes and "漏记列席人员" in minutes
    run("topic", "add", "x", "--by", "1", ok=False)  # any change: moves the meeting back
    run("config", "set", "place", "新会议室")
    assert all(m["date"] != day for m in _hot(path)["meetings"].values())
    assert run("minutes", day).stdout == minutes
    assert run("doctor").exit_code == 0


def _fail_hot_write(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The disk refuses the hot file, after the new archives were staged."""
    real = files.write_atomic

    def write_atomic(target: Path, payload: bytes, *args: object, **kwargs: object) -> None:
        if target == path:
            raise OSError(5, "simulated crash")
        real(target, payload, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "write_atomic", write_atomic)


def _archive_files(path: Path) -> dict[str, bytes]:
    """The files of the archive folder but the hot file's bulk file."""
    folder = paths.archive_dir(path)
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith("bulk.")}


def test_a_failure_during_the_first_split_leaves_the_old_record(stores, run, monkeypatch, tmp_path):
    path = _copy(stores["single"], tmp_path / "s.json")
    expected = _outputs(run, stores["single"], monkeypatch)
    _use(monkeypatch, path)
    with monkeypatch.context() as m:
        # A store with a log that has not been split yet.
        m.setattr(archive, "plan_moves", lambda *args: {})
        m.setattr(archive, "plan_key", lambda *args: None)
        run("config", "set", "place", make_store.PLACE + " ")
        run("config", "set", "place", make_store.PLACE)
    assert "archives" not in _hot(path)["_meta"]["1"]
    before, log = path.read_bytes(), paths.log_path(path).read_bytes()
    saved = backups.listing(path)
    with monkeypatch.context() as m:
        _fail_hot_write(m, path)
        result = run("config", "set", "place", "新会议室", ok=False)
    assert result.exit_code == 1 and "simulated crash" in result.stderr
    assert path.read_bytes() == before  # the hot file was never replaced
    assert _archive_files(path) == {}  # and the archives staged for it are gone
    assert paths.log_path(path).read_bytes() == log and backups.listing(path) == saved
    assert run("doctor").exit_code == 0
    assert _outputs(run, path, monkeypatch) == expected
    run("config", "set", "place", "新会议室")
    assert sorted(_hot(path)["_meta"]["1"]["archives"]) == ["2024", "2025"]
    assert sorted(_archive_files(path)) == ["2024.json", "2025.json"]
    assert run("doctor").exit_code == 0
    run("config", "set", "place", make_store.PLACE)
    assert _outputs(run, path, monkeypatch) == expected


def test_a_failure_while_an_archive_is_rewritten(stores, run, monkeypatch, tmp_path) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    item = next(iter(_archive(path, 2025)["decisions"]))
    _use(monkeypatch, path)
    run("action", "update", item, "--note", "补记")
    expected = _outputs(run, path, monkeypatch)
    archives = _archive_files(path)
    with monkeypatch.context() as m:
        _fail_hot_write(m, path)
        assert run("guest", "2026-11-25", "来宾", ok=False).exit_code == 1
    # the archive is as it was (the item in it without the note), the hot copy wins
    assert _archive_files(path) == archives
    assert item in _hot(path)["decisions"]
    assert _outputs(run, path, monkeypatch) == expected
    assert run("doctor").exit_code == 0
    run("guest", "2026-11-25", "来宾")
    assert item not in _hot(path)["decisions"]
    assert _archive(path, 2025)["decisions"][item]["notes"][-1]["text"] == "补记"
    assert run("doctor").exit_code == 0


def test_a_move_an_older_sanjian_left_half_done_is_finished(stores, run, monkeypatch, tmp_path):
    """An older sanjian wrote the archive in place before the hot file; a crash between left
    the archive ahead of the hot file's listing. doctor calls it interrupted; the next change
    finishes the move."""
    path = _copy(stores["split"], tmp_path / "s.json")
    item = next(iter(_archive(path, 2025)["decisions"]))
    _use(monkeypatch, path)
    run("action", "update", item, "--note", "补记")
    hot = _hot(path)
    ahead = files.decode(paths.archive_path(path, 2025).read_bytes())[0]  # parts put back
    ahead["decisions"][item] = hot["decisions"][item]
    paths.archive_path(path, 2025).write_bytes(archive.archive_payload(2025, ahead, POLICY))
    result = run("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1 and "interrupted" in result.stdout
    assert str(paths.archive_path(path, 2025)) in result.stdout
    run("guest", "2026-11-25", "来宾")
    assert item not in _hot(path)["decisions"]
    assert run("doctor").exit_code == 0


def test_doctor_sees_an_edited_or_missing_archive(stores, run, monkeypatch, tmp_path) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    _use(monkeypatch, path)
    assert run("doctor").exit_code == 0
    file = paths.archive_path(path, 2024)
    data = json.loads(whole_bytes(file))
    meeting = next(iter(data["meetings"].values()))
    meeting["place"] = "改过的地点"
    file.write_bytes(files.dumps(data).encode("utf-8"))
    result = run("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1
    assert f"{file}: the yearly archive differs" in result.stdout
    # a reference that crosses into an archive must resolve there too
    data = _hot(path)
    topic = next(t for t in data["topics"].values() if t["status"] == "accepted")
    topic["by"] = 99999
    path.write_bytes(files.dumps(data).encode("utf-8"))
    assert "member that does not exist: 99999" in run("--lang", "en", "doctor", ok=False).stdout
    file.unlink()
    result = run("--lang", "en", "doctor", ok=False)
    assert f"{file}: the store lists this yearly archive, but the file is missing" in result.stdout


def test_a_damaged_archive_is_named_and_never_written_over(
    stores, run, monkeypatch, db, unchanged
) -> None:
    path = _copy(stores["split"], db)
    day = min(m["date"] for m in _archive(path, 2024)["meetings"].values())  # a 2024 meeting
    old_item = next(iter(_archive(path, 2024)["decisions"]))
    _use(monkeypatch, path)
    file = paths.archive_path(path, 2024)
    file.write_bytes(file.read_bytes()[:1000])
    damaged = file.read_bytes()
    check = unchanged()
    for command in (("minutes", day), ("meeting", "list"), ("action", "update", old_item,
                                                            "--note", "x")):  # fmt: skip
        result = run("--lang", "en", *command, ok=False)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
        assert f"the yearly archive {file} is damaged" in result.stderr
        assert "Traceback" not in result.stderr
    check()
    # what needs no 2024 still works, changes included
    assert run("member", "list").exit_code == 0
    item = next(iter(_archive(path, 2025)["decisions"]))
    run("action", "update", item, "--note", "x")
    run("guest", "2026-11-25", "来宾")  # moves the 2025 item back: 2024 is not touched
    assert file.read_bytes() == damaged
    result = run("--lang", "en", "doctor", ok=False)
    assert result.exit_code == 1 and f"{file}: the file cannot be read" in result.stdout


def test_backup_is_one_whole_file_and_restore_splits_it(stores, run, monkeypatch, tmp_path):
    path = _copy(stores["split"], tmp_path / "s.json")
    expected = _outputs(run, path, monkeypatch)
    whole = tmp_path / "whole.json"
    _use(monkeypatch, path)
    run("backup", "--output", str(whole))
    data = json.loads(whole_bytes(whole))
    assert "archives" not in data["_meta"]["1"]
    single = _hot(stores["single"])
    for table in archive.ARCHIVED:
        assert sorted(data[table], key=int) == sorted(single[table], key=int)
    run("guest", "2026-11-25", "街道办王主任")
    run("restore", str(whole))
    assert sorted(_hot(path)["_meta"]["1"]["archives"]) == ["2024", "2025"]
    assert "街道办王主任" not in path.read_text(encoding="utf-8")
    assert run("doctor").exit_code == 0
    assert _outputs(run, path, monkeypatch) == expected
    # the whole file restores into an empty place too
    fresh = tmp_path / "fresh" / "s.json"
    _use(monkeypatch, fresh)
    run("restore", str(whole))
    assert run("doctor").exit_code == 0
    assert _outputs(run, fresh, monkeypatch) == expected


def test_restore_logs_the_changes_of_the_whole_record_read_a_file_at_a_time(
    stores, run, monkeypatch, tmp_path
) -> None:
    """What restore logs is `audit.diff` of the whole record it replaces (merged) and the
    one it restores, though it reads the replaced one an archive at a time: changes in an
    archive, in the hot file, a document the hot file holds again, and one added."""
    path = _copy(stores["split"], tmp_path / "s.json")
    _use(monkeypatch, path)
    whole = tmp_path / "whole.json"
    run("backup", "--output", str(whole))
    old_day = next(iter(_archive(path, 2025)["meetings"].values()))["date"]
    run("guest", old_day, "来宾", "--amend", "--reason", "补")
    run("guest", "2026-11-25", "街道办王主任")
    active = next(k for k, m in _hot(path)["members"].items() if not m.get("retired"))
    run("topic", "add", "新议题", "--by", active)
    item = next(iter(_archive(path, 2024)["decisions"]))
    run("action", "update", item, "--note", "补记")  # an archived decision, now hot as well
    assert item in _hot(path)["decisions"] and item in _archive(path, 2024)["decisions"]
    hot, _problem = files.decode(whole_bytes(path))
    assert hot is not None
    replaced = archive.merge(hot, archive.Shelf(path, hot["_meta"]["1"]["archives"]))
    restored, _problem = files.decode(whole_bytes(whole))
    assert restored is not None
    expected = json.loads(json.dumps(audit.diff(replaced, restored), ensure_ascii=False))
    run("restore", str(whole))
    logged = audit.entries(path)[-1]["changes"]
    assert logged == expected
    assert {(c["table"], c["op"]) for c in logged} >= {("decisions", "change"),
            ("meetings", "change"), ("topics", "remove")}  # fmt: skip
    assert backups.listing(path)  # the store replaced is kept, whole
    kept, _problem = files.decode(Path(audit.entries(path)[-1]["replaced_kept_in"]).read_bytes())
    assert kept is not None and {k: v for k, v in kept.items() if k != "_meta"} == {
        k: v for k, v in replaced.items() if k != "_meta"
    }


def test_restore_of_an_automatic_backup_finds_its_archives(stores, run, monkeypatch, tmp_path):
    path = _copy(stores["split"], tmp_path / "s.json")
    _use(monkeypatch, path)
    run("guest", "2026-11-25", "来宾甲")
    expected = _outputs(run, path, monkeypatch)
    run("guest", "2026-11-25", "来宾乙")
    hot_backup = backups.listing(path)[-2]  # the newest is the store as it is now
    assert "来宾甲" in hot_backup.read_text("utf-8") and "来宾乙" not in hot_backup.read_text(
        "utf-8"
    )
    run("restore", str(hot_backup))
    assert run("doctor").exit_code == 0
    assert _outputs(run, path, monkeypatch) == expected
    # without its archives anywhere it is refused, and nothing changes
    lone = tmp_path / "lone" / "s.json"
    lone.parent.mkdir()
    shutil.copyfile(hot_backup, lone)
    shutil.rmtree(paths.archive_dir(path))
    for copy in backups.archive_copies(path, 2024):
        copy.unlink()
    result = run("--lang", "en", "restore", str(lone), ok=False)
    assert result.exit_code == 1 and "no matching archive of 2024" in result.stderr


def test_a_single_file_schema_1_store_is_migrated_and_split(run, monkeypatch, tmp_path) -> None:
    path = tmp_path / "old.json"
    _single_file(path, schema=1)
    old = path.read_bytes()
    _use(monkeypatch, path)
    expected = _outputs(run, path, monkeypatch)
    assert path.read_bytes() == old  # reading migrates in memory only
    run("config", "set", "place", "新会议室")
    meta = _hot(path)["_meta"]["1"]
    assert meta["schema"] == files.SCHEMA and sorted(meta["archives"]) == ["2024", "2025"]
    single = json.loads(old)
    assert meta["next_id"]["topics"] == max(int(k) for k in single["topics"]) + 1
    kept = [p for p in backups.listing(path) if p.name.startswith(f"before-schema-{files.SCHEMA}-")]
    assert len(kept) == 1 and kept[0].read_bytes() == old
    entry = audit.entries(path)[-1]
    assert entry["migrated_from"] == 1 and entry["archived"] == [2024, 2025]
    assert [c["table"] for c in entry["changes"]] == ["committee"]
    assert run("doctor").exit_code == 0
    run("config", "set", "place", make_store.PLACE)
    assert _outputs(run, path, monkeypatch) == expected


def test_migration_step_1_to_2_records_next_ids() -> None:
    from sanjian_cli.store import migrations

    data = {"_meta": {"1": {"schema": 1}}, "topics": {"3": {}, "9": {}}, "members": {"2": {}}}
    assert migrations.migrate(data) == 1
    meta = data["_meta"]["1"]
    assert meta["schema"] == files.SCHEMA
    assert meta["next_id"]["topics"] == 10 and meta["next_id"]["members"] == 3
    assert meta["next_id"]["meetings"] == 1


@pytest.mark.parametrize(
    ("table", "doc", "year"),
    [
        ("meetings", {"date": "2019-05-08", "status": "planned"}, 2019),
        ("topics", {"status": "accepted", "history": [{"meeting": "2019-05-08"}]}, None),
        ("topics", {"status": "passed", "history": [{"meeting": "2018-12-26",
                                                     "outcome": "deferred"},
                                                    {"meeting": "2019-01-02",
                                                     "outcome": "passed"}]}, 2019),
        ("topics", {"status": "rejected", "rejection": {"at": "2020-12-31T23:59:00+08:00"}}, 2020),
        ("topics", {"status": "withdrawn", "withdrawn_at": "2021-01-01T00:10:00+08:00"}, 2021),
        ("topics", {"status": "withdrawn"}, None),
        ("decisions", {"status": "open", "meeting": "2019-05-08"}, None),
        ("decisions", {"status": "done", "meeting": "2019-05-08"}, 2019),
        ("meetings", {"date": 20190508}, None),
    ],
)  # fmt: skip
def test_which_archive_a_document_goes_to(table: str, doc: dict, year: int | None) -> None:
    assert _archive_year(table, doc) == year


def test_a_year_closes_when_a_later_meeting_is_closed() -> None:
    data = {
        "meetings": {
            "1": {"date": "2025-12-31", "status": "closed"},
            "2": {"date": "2026-01-07", "status": "planned"},
        },
        "decisions": {
            "1": {"meeting": "2025-12-31", "status": "done", "done_at": "2026-01-03T10:00"},
            "2": {"meeting": "2025-11-05", "status": "done", "done_at": "2025-12-01T10:00"},
        },
    }
    assert archive.plan_moves(data, {}, POLICY) == {}  # 2025 still current: nothing moves
    data["meetings"]["2"]["status"] = "closed"
    moves = archive.plan_moves(data, {}, POLICY)
    assert set(moves) == {2025}
    assert set(moves[2025]["meetings"]) == {"1"}
    # an item done in 2026 waits with the 2026 papers that list it as a follow-up
    assert set(moves[2025]["decisions"]) == {"2"}


def _asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables of the documents the policy is asked whether they are settled, from now on."""
    asked: list[str] = []
    real = POLICY.settled

    def settled(table: str, doc: dict) -> tuple[int, int] | None:
        asked.append(table)
        return real(table, doc)

    monkeypatch.setattr(POLICY, "settled", settled)
    return asked


def _hot_documents(path: Path) -> int:
    return sum(len(_hot(path).get(table) or {}) for table in archive.ARCHIVED)


def test_once_nothing_is_due_a_change_asks_only_the_documents_it_made(
    stores, tmp_path, monkeypatch
) -> None:
    path = _copy(stores["split"], tmp_path / "s.json")
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    # The archiving change left nothing due, and noted under what: the schema, the year
    # before which all are closed, the years archived.
    meta = _hot(path)["_meta"]["1"]
    assert meta["nothing_due"] == [files.SCHEMA, 2026, [2024, 2025]]
    asked = _asked(monkeypatch)
    with Store(path, POLICY).writing() as record:
        record.add_topic({"title": "新议题", "status": "proposed"})
    assert asked == ["topics"]
    assert _hot(path)["_meta"]["1"]["nothing_due"] == meta["nothing_due"]
    # A store whose last change noted nothing (an older sanjian's) is asked it all.
    with monkeypatch.context() as m:
        m.setattr(archive, "plan_key", lambda *args: None)
        with Store(path, POLICY).writing() as record:
            record.add_topic({"title": "又一个", "status": "proposed"})
    assert "nothing_due" not in _hot(path)["_meta"]["1"]
    asked.clear()
    with Store(path, POLICY).writing() as record:
        record.add_topic({"title": "第三个", "status": "proposed"})
    assert len(asked) == _hot_documents(path)


def test_a_year_closed_since_the_note_is_asked_again(tmp_path, monkeypatch) -> None:
    """The first meeting of a year closed: every document of the year before moves, though
    the last change noted nothing due (under the year before)."""
    path = tmp_path / "s.json"
    monkeypatch.setenv("SANJIAN_NOW", "2026-01-07T21:00:00+08:00")

    def meeting(day: str, status: str) -> dict:
        return {"date": day, "status": status, "start": "19:00", "end": None, "place": "",
                "agenda": None, "attendance": {}, "leaves": [], "guests": [], "votes": {},
                "notes": [], "dissents": []}  # fmt: skip

    with Store(path, POLICY).writing() as record:
        record.add_meeting(meeting("2025-12-31", "closed"))
        record.add_decision({"text": "落实", "topic": 1, "meeting": "2025-12-31",
                             "status": "done", "notes": [],
                             "done_at": "2025-12-31T21:00:00+08:00"})  # fmt: skip
        opening = record.add_meeting(meeting("2026-01-07", "planned"))
    assert _hot(path)["_meta"]["1"]["nothing_due"] == [files.SCHEMA, 2025, []]
    with Store(path, POLICY).writing() as record:
        record.update_meeting(opening, {"status": "closed"})
    hot = _hot(path)
    assert [m["date"] for m in hot["meetings"].values()] == ["2026-01-07"]
    assert hot["decisions"] == {}
    assert list(_archive(path, 2025)["decisions"]) == ["1"]
    assert hot["_meta"]["1"]["nothing_due"] == [files.SCHEMA, 2026, [2025]]


def test_accepted_edits_are_asked_again(stores, run, tmp_path, monkeypatch) -> None:
    """An edit accepted by `doctor --accept-edits` may have settled a document in a closed
    year: the next change asks every document, and it goes to its archive."""
    path = _copy(stores["split"], tmp_path / "s.json")
    _use(monkeypatch, path)
    data = _hot(path)
    key, item = next((k, d) for k, d in data["decisions"].items()
                     if d["status"] == "open" and d["meeting"] < "2026")  # fmt: skip
    item.update(status="done", done_at=item["meeting"] + "T21:00:00+08:00")
    path.write_bytes(files.dumps(data).encode("utf-8"))
    run("doctor", "--accept-edits", "--reason", "补记办结")
    assert key in _hot(path)["decisions"]
    assert "nothing_due" not in _hot(path)["_meta"]["1"]
    run("guest", "2026-11-25", "街道办王主任")
    assert key not in _hot(path)["decisions"]
    assert _archive(path, int(item["meeting"][:4]))["decisions"][key]["status"] == "done"


def test_the_lock_timeout_peek_reads_the_setting_not_user_text(committee, run, db) -> None:
    run("member", "add", '"lock-timeout":1', "--side", "cadre", "--joined", "2026-01-01")
    run("topic", "add", 'x "lock-timeout": 2', "--by", "张建国")
    assert Store(db, POLICY)._timeout() == policy.LOCK_TIMEOUT
    run("config", "set", "lock-timeout", "3")
    assert Store(db, POLICY)._timeout() == 3.0


def test_archive_copies_rotate_with_their_backup(tmp_path) -> None:
    path = tmp_path / "s.json"
    taken = [backups.take(path, f"hot {n}".encode(), keep=2) for n in range(3)]
    assert taken[0] is not None and not taken[0].exists()
    for n, backup in enumerate(taken[1:], 1):
        backups.take_archive(backup, 2019, f"archive {n}".encode())
    copies = [p.read_bytes() for p in backups.archive_copies(path, 2019)]
    assert copies == [b"archive 2", b"archive 1"]
    assert backups.archive_copies(path, 2020) == []
    backups.take(path, b"hot 3", keep=2)  # drops backup 2 and the archive kept beside it
    assert [p.read_bytes() for p in backups.archive_copies(path, 2019)] == [b"archive 2"]
    assert all(p.name[0].isdigit() and "archive" not in p.name for p in backups.listing(path))


@pytest.mark.parametrize("case", ["as written", "a meeting held again", "an archive edited"])
def test_a_backup_holds_what_the_record_merged_holds(stores, run, monkeypatch, tmp_path, case):
    """`backup --output` copies each archive's tables as they lie, a year at a time, when
    its hash is the listing's (else it merges the record whole, as before): the file holds
    the record `merge` gives, the hot file's copy of a document winning."""
    path = _copy(stores["split"], tmp_path / "s.json")
    _use(monkeypatch, path)
    if case == "a meeting held again":  # an amendment copies an archived meeting back
        day = _dates(path)[1]
        run("guest", day, "区民政局李科长", "--amend", "--reason", "漏记列席人员")
        assert any(m["date"] == day for m in _hot(path)["meetings"].values())
    if case == "an archive edited":
        file = paths.archive_path(path, 2024)
        file.write_bytes(file.read_bytes().replace(b'{"_meta":', b'{ "_meta":', 1))
    data, _problem = files.decode(whole_bytes(path))
    assert data is not None
    merged = archive.merge(data, archive.Shelf(path, files.meta_of(data)["archives"]))
    merges: list[int] = []
    real = archive.merge
    monkeypatch.setattr(archive, "merge", lambda *a: merges.append(1) or real(*a))
    whole = tmp_path / "whole.json"
    run("backup", "--output", str(whole))
    found, problem = files.decode(whole_bytes(whole))
    assert problem is None and found is not None
    assert merges == ([1] if case == "an archive edited" else [])
    for table in {*merged, *found} - {"_meta"}:
        assert found.get(table) == merged.get(table), table
    assert {k: v for k, v in found["_meta"]["1"].items() if k != "bulk"} == {
        k: v for k, v in merged["_meta"]["1"].items() if k != "bulk"
    }
    if case != "an archive edited":
        expected = _outputs(run, path, monkeypatch)
        run("restore", str(whole))
        assert run("doctor").exit_code == 0
        assert _outputs(run, path, monkeypatch) == expected


def _peeks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The years whose archive is read in any way from now on (a table of it, or whole)."""
    read: list[int] = []
    for name in ("peek", "get", "table"):
        real = getattr(archive.Shelf, name)

        def spy(self: archive.Shelf, year: int, *args: object, _real=real, **kw: object):  # noqa: ANN202
            read.append(year)
            return _real(self, year, *args, **kw)

        monkeypatch.setattr(archive.Shelf, name, spy)
    return read


JANUARY_DAY = make_store.date(2026, 1, 14)
JANUARY_NOW = make_store.datetime.fromisoformat("2026-01-14T09:00:00+08:00")


def test_the_look_back_for_a_meeting_left_open_opens_no_archive_its_notes_clear(
    stores, monkeypatch, tmp_path
) -> None:
    """In January the agenda looks eight weeks back for a meeting left open, into last
    year's archive: the listing notes each archive's meetings still as planned, so an
    archive that holds none is not opened; a listing an older sanjian wrote, without the
    note, has the archive read as before."""
    from sanjian_cli.services import planning

    path = _copy(stores["split"], tmp_path / "s.json")
    assert _hot(path)["_meta"]["1"]["archives"]["2025"]["planned"] == []
    read = _peeks(monkeypatch)
    with Store(path, POLICY).writing() as record:
        assert planning.left_open(record, JANUARY_DAY, JANUARY_NOW) == []
    assert read == []
    hot = _hot(path)
    del hot["_meta"]["1"]["archives"]["2025"]["planned"]  # `_meta` is not under the hash
    path.write_bytes(files.dumps(hot).encode("utf-8"))
    with Store(path, POLICY).writing() as record:
        assert planning.left_open(record, JANUARY_DAY, JANUARY_NOW) == []
    assert read == [2025]


def test_a_meeting_left_open_in_last_years_archive_is_found(tmp_path, monkeypatch) -> None:
    from sanjian_cli.services import planning

    tables = make_store.build(2, 5, make_store.datetime.fromisoformat(NOW))
    december = max(m["date"] for m in tables["meetings"].values() if m["date"] < "2026")
    key = next(k for k, m in tables["meetings"].items() if m["date"] == december)
    left = tables["meetings"][key]
    for field in ("end", "filed", "approved_at", "approved_digest"):
        left.pop(field, None)
    left["status"] = "planned"  # held, never closed
    tables["_meta"]["1"] = {"schema": files.SCHEMA, "next_id": archive.next_ids(tables)}
    path = tmp_path / "s.json"
    path.write_bytes(files.dumps(tables).encode("utf-8"))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    assert Store(path, POLICY).archive() == [2024, 2025]
    assert _hot(path)["_meta"]["1"]["archives"]["2025"]["planned"] == [december]
    read = _peeks(monkeypatch)
    with Store(path, POLICY).writing() as record:
        found = planning.left_open(record, JANUARY_DAY, JANUARY_NOW)
    assert [m["date"] for m in found] == [december] and 2025 in read


def test_the_upgrading_change_notes_what_an_older_listing_lacks(stores, run, monkeypatch, tmp_path):
    path = _copy(stores["split"], tmp_path / "s.json")
    hot = _hot(path)
    meta = hot["_meta"]["1"]
    for entry in meta["archives"].values():
        del entry["planned"]
    meta["schema"] = 5  # an older sanjian's listing: the state is unchanged (`_meta` is not hashed)
    path.write_bytes(files.dumps(hot).encode("utf-8"))
    monkeypatch.setenv("SANJIAN_DB", str(path))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    run("config", "set", "place", "三楼会议室")
    listing = _hot(path)["_meta"]["1"]["archives"]
    assert {y: e["planned"] for y, e in listing.items()} == {"2024": [], "2025": []}
    run("doctor")
