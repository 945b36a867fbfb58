"""`doctor` a year at a time: what it finds in a record split into archives is what it
finds in the same record as one file.

The checks read each archive twice, one at a time (its tables for the ids a reference may
name, then whole), so the whole record is never decoded at once. These tests hold that to
the answer of the old way, the record merged into one dict and checked as one: faults put
into several years, a reference that crosses years, a document the hot file holds again,
approved minutes kept in an archive.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from sanjian_cli.services import doctor, papers
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Inspection, Record, Store, archive, files, paths

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402
from _whole import whole_bytes

NOW = "2026-11-23T09:00:00+08:00"
FILE_OR_LOG = ("archive_edited", "archive_interrupted", "archive_missing", "unreadable")


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANJIAN_NOW", NOW)


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three calendar years, every closed meeting's minutes approved, then archived."""
    path = tmp_path_factory.mktemp("approved") / "store.json"
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = NOW
    try:
        tables = make_store.build(2, 3, make_store.datetime.fromisoformat(NOW))
        tables["_meta"]["1"] = {"schema": files.SCHEMA, "next_id": archive.next_ids(tables)}
        record = Record(tables, policy=POLICY)
        for key, doc in tables["meetings"].items():
            if doc.get("status") == "closed":
                doc["approved_at"] = doc["date"] + "T21:00:00+08:00"
                doc["approved_digest"] = papers.digest(record, dict(doc, id=int(key)))
        path.write_bytes(files.dumps(tables).encode("utf-8"))
        assert Store(path, POLICY).archive() == [2024, 2025]
    finally:
        if saved is None:
            os.environ.pop("SANJIAN_NOW", None)
        else:
            os.environ["SANJIAN_NOW"] = saved
    return path


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    shutil.copytree(paths.archive_dir(source), paths.archive_dir(target))
    shutil.copyfile(paths.log_path(source), paths.log_path(target))
    return target


def _edit(path: Path, year: int, change: Any) -> None:
    """Change `year`'s archive by hand: decoded whole, changed, written as sanjian lays it."""
    file = paths.archive_path(path, year)
    data, _problem = files.decode(whole_bytes(file))
    assert data is not None
    change(data)
    tables = {t: data[t] for t in archive.ARCHIVED}
    file.write_bytes(archive.archive_payload(year, tables, POLICY))


def _merged(path: Path) -> list[Any]:
    """The content problems of the record merged into one dict, checked as one."""
    data, _problem = files.decode(whole_bytes(path))
    assert data is not None
    shelf = archive.Shelf(path, files.meta_of(data).get("archives"))
    whole = archive.merge(data, shelf)
    return doctor.check(Inspection(path, whole, policy=POLICY))


def _content(problems: list[Any]) -> list[Any]:
    return [p for p in problems if p[1].split(".")[-1] not in FILE_OR_LOG
            and not p[1].startswith("doctor.log") and p[1] != "doctor.state_mismatch"]  # fmt: skip


def test_approved_minutes_in_the_archives_print_as_approved(approved, tmp_path) -> None:
    path = _copy(approved, tmp_path / "s.json")
    assert doctor.examine(Store(path, POLICY)) == []
    count = 0
    for year in (2024, 2025):
        archived = files.decode(paths.archive_path(path, year).read_bytes())[0]
        assert archived is not None
        count += sum(1 for m in archived["meetings"].values() if m.get("approved_digest"))
    assert count > 50


def test_faults_in_several_years_are_found_as_in_the_record_as_one(approved, tmp_path) -> None:
    path = _copy(approved, tmp_path / "s.json")

    def in_2024(data: dict[str, Any]) -> None:
        meetings = data["meetings"]
        first, second = sorted(meetings, key=int)[:2]
        meetings[first]["chair"] = 9999  # dangling
        meetings[second]["date"] = meetings[first]["date"]  # two meetings on one day
        approved_one = next(k for k in sorted(meetings, key=int)[2:]
                            if meetings[k].get("notes"))  # fmt: skip
        # the minutes no longer print as approved
        meetings[approved_one]["notes"][0]["text"] += "（事后改动）"
        topic = sorted(data["topics"], key=int)[0]
        data["topics"][topic]["by"] = "nobody"

    def in_2025(data: dict[str, Any]) -> None:
        decision = sorted(data["decisions"], key=int)[-1]
        data["decisions"][decision]["meeting"] = "2025-02-30"
        data["decisions"][decision]["text"] = " "

    _edit(path, 2024, in_2024)
    _edit(path, 2025, in_2025)
    found = doctor.examine(Store(path, POLICY))
    kinds = {p[1] for p in found}
    assert {"doctor.archive_edited", "doctor.dangling", "doctor.duplicate_meeting",
            "doctor.minutes_changed", "doctor.missing_field"} <= kinds  # fmt: skip
    assert [p[0] for p in found if p[1] == "doctor.archive_edited"] == [
        str(paths.archive_path(path, 2024)),
        str(paths.archive_path(path, 2025)),
    ]
    assert _content(found) == _content(_merged(path))
    assert len(_content(found)) >= 6


def test_a_reference_into_a_later_year_is_not_dangling(approved, tmp_path) -> None:
    path = _copy(approved, tmp_path / "s.json")
    later = files.decode(paths.archive_path(path, 2025).read_bytes())[0]
    assert later is not None
    topic = int(sorted(later["topics"], key=int)[-1])

    def point(data: dict[str, Any]) -> None:
        meeting = sorted(data["meetings"], key=int)[0]
        data["meetings"][meeting].setdefault("notes", []).append({"topic": topic, "text": "x"})

    _edit(path, 2024, point)
    found = doctor.examine(Store(path, POLICY))
    assert not [p for p in found if p[1] == "doctor.dangling"]
    assert _content(found) == _content(_merged(path))


def test_a_document_the_hot_file_holds_again_is_checked_there_only(approved, tmp_path) -> None:
    path = _copy(approved, tmp_path / "s.json")
    old = files.decode(paths.archive_path(path, 2024).read_bytes())[0]
    assert old is not None
    key = sorted(old["topics"], key=int)[0]

    def blank(data: dict[str, Any]) -> None:
        data["topics"][key]["title"] = ""  # the archived copy is wrong ...

    _edit(path, 2024, blank)
    hot = files.decode(whole_bytes(path))[0]
    assert hot is not None
    hot["topics"][key] = dict(old["topics"][key], title="热文件里的副本")  # ... the record's is not
    path.write_bytes(files.payload(files.meta_of(hot), files.body_of(hot)))
    found = doctor.examine(Store(path, POLICY))
    assert not [p for p in found if p[0].startswith(f"topics/{key} ")]
    assert _content(found) == _content(_merged(path)) == []


def test_a_missing_archive_is_named_and_its_references_dangle(approved, tmp_path) -> None:
    path = _copy(approved, tmp_path / "s.json")
    paths.archive_path(path, 2024).unlink()
    found = doctor.examine(Store(path, POLICY))
    assert found[0] == (str(paths.archive_path(path, 2024)), "doctor.archive_missing", {})
    assert [p for p in found if p[1] == "doctor.archive_missing"] == [found[0]]
    assert any(p[1] == "doctor.dangling" for p in found)  # 2025 names what 2024 held


def _joined(light: dict[str, Any], parts: Any) -> dict[str, Any]:
    return {t: {k: parts.whole(t, k, d) for k, d in light[t].items()} for t in archive.ARCHIVED}


def test_an_archive_read_light_with_its_parts_is_the_archive_decoded(approved) -> None:
    """`doctor` reads an archive's documents light and puts each one's part back when it
    checks it: document for document, the archive `files.decode` gives."""
    raw = paths.archive_path(approved, 2025).read_bytes()
    whole, _problem = files.decode(raw)
    light, parts, problem = files.light_and_parts(raw)
    assert whole is not None and light is not None and parts is not None and problem is None
    assert _joined(light, parts) == {t: whole[t] for t in archive.ARCHIVED}
    assert any("filed" in d and "follow_up" not in d["filed"] for d in light["meetings"].values())


@pytest.mark.parametrize(
    "edit",
    ["trailing comma", "part of no document", "part not an object", "bulk table first"],
)
def test_an_archive_not_laid_out_as_sanjian_writes_it_is_decoded_whole(approved, edit) -> None:
    raw = paths.archive_path(approved, 2025).read_bytes()
    at = raw.index(b',"_meetings_bulk":{') + len(b',"_meetings_bulk":{')
    if edit == "trailing comma":
        raw = raw[:-2] + b",}}"
    elif edit == "part of no document":
        raw = raw[:at] + b'"99999":{"filed":{}},' + raw[at:]
    elif edit == "part not an object":
        raw = raw[:at] + b'"1":[],' + raw[at:]
    else:
        data = json.loads(raw)
        data = {"_meetings_bulk": data.pop("_meetings_bulk"), **data}
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    light, parts, problem = files.light_and_parts(raw)
    assert parts is None
    assert (light, problem) == files.decode(raw)
