"""The benchmark's generated store is a store the commands read like any other."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402
from _reads import archive_reads  # noqa: E402
from _whole import whole_bytes

from sanjian_cli import store  # noqa: E402
from sanjian_cli.store import archive, files  # noqa: E402

NOW = "2026-11-23T09:00:00+08:00"


@pytest.fixture(scope="module")
def one_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "one-year.json"
    assert make_store.main(["--years", "1", "--out", str(path), "--seed", "3"]) == 0
    return path


def _files(path: Path) -> dict[str, bytes]:
    """The hot file and the yearly archives of the store at `path`, by name."""
    found = {"hot": path.read_bytes()}
    for file in sorted(store.archive_dir(path).glob("[0-9]*.json")):
        found[file.name] = file.read_bytes()
    return found


def test_same_seed_same_bytes(one_year: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    make_store.main(["--years", "1", "--out", str(again), "--seed", "3"])
    assert _files(again) == _files(one_year)
    other = tmp_path / "other.json"
    make_store.main(["--years", "1", "--out", str(other), "--seed", "4"])
    assert _files(other)["hot"] != _files(one_year)["hot"]


def test_it_is_split_as_years_of_use_leave_it(one_year: Path) -> None:
    """The year before the latest closed meeting's is archived; the rest stays hot."""
    assert list(_files(one_year)) == ["hot", "2025.json"]
    hot = json.loads(whole_bytes(one_year))
    assert {m["date"][:4] for m in hot["meetings"].values()} == {"2026"}
    archived = json.loads((store.archive_dir(one_year) / "2025.json").read_bytes())
    assert {m["date"][:4] for m in archived["meetings"].values()} == {"2025"}
    assert all(d["status"] == "done" for d in archived["decisions"].values())


def _whole(path: Path) -> dict:
    data, _problem = files.decode(whole_bytes(path))
    assert data is not None
    return archive.merge(data, archive.Shelf(path, data["_meta"]["1"].get("archives")))


def test_shape_of_a_year(one_year: Path) -> None:
    data = _whole(one_year)
    meetings = sorted(data["meetings"].values(), key=lambda m: m["date"])
    assert len(meetings) == 53  # 52 held and the next one planned
    assert [m["status"] for m in meetings[-2:]] == ["closed", "planned"]
    assert meetings[-2]["date"] == "2026-11-18" and meetings[-1]["date"] == "2026-11-25"
    for meeting in meetings[:-1]:
        assert 4 <= len(meeting["agenda"]["topics"]) <= 8
        assert set(meeting["votes"]) == {str(t) for t in meeting["agenda"]["topics"]}
        assert meeting["attendance"]
    members = list(data["members"].values())
    assert any(m["retired"] for m in members)
    current = [m for m in members if not m["retired"]]
    assert 20 <= len(current) <= 30
    assert {m["side"] for m in current if m["lead"]} == {"cadre", "social-worker", "volunteer"}
    queue = [t for t in data["topics"].values() if t["status"] == "accepted"]
    assert len(queue) >= 4


def test_commands_work_on_it(one_year: Path, tmp_path: Path, run, monkeypatch) -> None:
    copy = tmp_path / "store.json"
    copy.write_bytes(one_year.read_bytes())
    shutil.copytree(store.archive_dir(one_year), store.archive_dir(copy))
    monkeypatch.setenv("SANJIAN_DB", str(copy))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    members = json.loads(run("member", "list", "--format", "json").stdout)
    assert 20 <= len(members) <= 30
    accepted = json.loads(run("topic", "list", "--status", "accepted", "--format", "json").stdout)
    assert accepted
    minutes = json.loads(run("minutes", "2026-11-18", "--format", "json").stdout)
    assert minutes["attendance"]["expected"] >= minutes["attendance"]["present"] > 0
    assert any(item.get("vote") for item in minutes["items"])
    agenda = json.loads(run("agenda", "build", "--next", "--format", "json").stdout)
    assert agenda["meeting"]["date"] == "2026-11-25"
    assert any(item["kind"] == "topic" for item in agenda["items"])
    assert json.loads(run("action", "list", "--format", "json").stdout)
    run("meeting", "show", "2026-11-18")
    run("attend", "2026-11-25", str(members[-1]["id"]), now="2026-11-25T19:00")


def test_closed_meetings_are_filed_as_a_close_files_them(one_year: Path) -> None:
    """Every closed meeting keeps what `closing.file` fixes at a close: 应到 as the roster
    gives it on that day (so no later roster change needs to pin it), the follow-up as it
    stood at the end (nothing done or noted after it), its topics and the meeting before."""
    from datetime import date

    from sanjian_cli.domain import attendance, documents
    from sanjian_cli.store import Record

    data = _whole(one_year)
    record = Record(data, shared=True)
    roster = record.members()
    closed = [m for m in record.meetings() if m["status"] == "closed"]
    assert len(closed) == 52
    previous = None
    for meeting in closed:
        filed = meeting["filed"]
        assert set(filed) == {"at", "expected", "follow_up", "topics", "previous"}
        assert filed["at"] == meeting["end"]
        assert filed["previous"] == previous
        previous = meeting["date"]
        unfixed = attendance.roll(roster, date.fromisoformat(meeting["date"]), [], set())
        assert filed["expected"] == list(unfixed.expected)
        assert {v["expected"] for v in meeting["votes"].values()} == {len(filed["expected"])}
        assert set(filed["topics"]) == {str(t) for t in meeting["agenda"]["topics"]}
        shown = {a["id"] for a in filed["follow_up"]}
        assert set(meeting["agenda"]["followups"]) <= shown
        for kept in filed["follow_up"]:
            # kept without its notes: their count at the close says which the minutes show
            assert "notes" not in kept
            item = data["decisions"][str(kept["id"])]
            action = documents.unfiled_action(kept, item, date.fromisoformat(meeting["date"]))
            assert (action["done_at"] or "") <= filed["at"]
            assert action["notes"] == [n for n in item["notes"] if n["at"] <= filed["at"]]
            assert action["latest_note"] == (
                action["notes"][-1]["text"] if action["notes"] else None
            )
            assert (action["status"] == "done") == bool(action["done_at"])
    # Items still open at some close and done later: the store holds both states.
    assert any(a["status"] == "open" and data["decisions"][str(a["id"])]["status"] == "done"
               for m in closed for a in m["filed"]["follow_up"])  # fmt: skip


def test_doctor_finds_nothing_wrong(one_year: Path, tmp_path: Path, run, monkeypatch) -> None:
    copy = tmp_path / "store.json"
    copy.write_bytes(one_year.read_bytes())
    shutil.copytree(store.archive_dir(one_year), store.archive_dir(copy))
    shutil.copy(store.log_path(one_year), store.log_path(copy))
    monkeypatch.setenv("SANJIAN_DB", str(copy))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    assert run("doctor").exit_code == 0


def test_adding_members_opens_no_archive_when_every_roll_is_fixed(
    one_year: Path, tmp_path: Path, run, monkeypatch
) -> None:
    """Each archive's listing names its meetings whose 应到 is not fixed (none here): a
    member joining in an archived year changes no held meeting, so none is read."""
    copy = tmp_path / "store.json"
    copy.write_bytes(one_year.read_bytes())
    shutil.copytree(store.archive_dir(one_year), store.archive_dir(copy))
    shutil.copy(store.log_path(one_year), store.log_path(copy))
    listing = json.loads(whole_bytes(copy))["_meta"]["1"]["archives"]
    assert listing["2025"]["unfixed"] == []
    monkeypatch.setenv("SANJIAN_DB", str(copy))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    opened = archive_reads(monkeypatch)
    run("member", "add", "新成员", "--side", "volunteer", "--joined", "2025-01-01")
    assert opened == []


def test_an_archived_meeting_without_a_fixed_roll_is_pinned(
    tmp_path: Path, run, monkeypatch
) -> None:
    """A meeting closed by an older sanjian (no `filed.expected`) is named in its archive's
    listing: a member joining before it opens that archive and fixes its roll; a member
    joining after it opens none."""
    from sanjian_cli.services.storage import POLICY

    path = tmp_path / "old.json"
    tables = make_store.build(1, 3, make_store.datetime.fromisoformat(NOW))
    old = next(m for m in tables["meetings"].values() if m["date"].startswith("2025"))
    expected = old["filed"].pop("expected")
    tables["_meta"]["1"]["next_id"] = archive.next_ids(tables)
    path.write_bytes(json.dumps(tables, ensure_ascii=False).encode("utf-8"))
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    assert store.Store(path, POLICY).archive() == [2025]
    assert json.loads(whole_bytes(path))["_meta"]["1"]["archives"]["2025"]["unfixed"] == [
        old["date"]
    ]
    monkeypatch.setenv("SANJIAN_DB", str(path))
    opened = archive_reads(monkeypatch)
    later = (make_store.date.fromisoformat(old["date"]) + make_store.timedelta(days=1)).isoformat()
    run("member", "add", "后来者", "--side", "volunteer", "--joined", later)
    assert opened == []
    run("member", "add", "早来者", "--side", "volunteer", "--joined", old["date"])
    assert opened == [2025]
    hot = json.loads(whole_bytes(path))
    pinned = next(m for m in hot["meetings"].values() if m["date"] == old["date"])
    assert pinned["filed"]["expected"] == expected
