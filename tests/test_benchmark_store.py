"""The benchmark's generated store is a store the commands read like any other."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402

NOW = "2026-11-23T09:00:00+08:00"


@pytest.fixture(scope="module")
def one_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "one-year.json"
    assert make_store.main(["--years", "1", "--out", str(path), "--seed", "3"]) == 0
    return path


def test_same_seed_same_bytes(one_year: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    make_store.main(["--years", "1", "--out", str(again), "--seed", "3"])
    assert again.read_bytes() == one_year.read_bytes()
    other = tmp_path / "other.json"
    make_store.main(["--years", "1", "--out", str(other), "--seed", "4"])
    assert other.read_bytes() != one_year.read_bytes()


def test_shape_of_a_year(one_year: Path) -> None:
    data = json.loads(one_year.read_text(encoding="utf-8"))
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
    store = tmp_path / "store.json"
    store.write_bytes(one_year.read_bytes())
    monkeypatch.setenv("SANJIAN_DB", str(store))
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
    run("attend", "2026-11-25", str(members[-1]["id"]))
