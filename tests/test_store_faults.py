"""All or nothing, at every step: a change, the yearly archive move, a schema migration,
`restore` and `init`, each stopped by a kill or refused by a full disk at each of the system
calls that write (found by counting them), leave the old record whole or the new one whole,
with a log that matches; a refusal leaves no trace at all; and running the command again
gives a sound store."""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sanjian_cli.errors import StoreError
from sanjian_cli.services import committee, doctor
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, archive, files

NOW = "2026-11-23T09:00:00+08:00"
_CREATES = os.O_CREAT | os.O_WRONLY | os.O_RDWR
_CALLS = ("write", "pwrite", "fsync", "replace", "rename", "ftruncate", "truncate", "unlink",
          "rmdir", "mkdir", "open")  # fmt: skip
_FULL_DISK = {"open", "write", "pwrite", "fsync", "replace", "rename", "mkdir"}


class Steps:
    """Counts the calls that change files (an `open` only when it may create or write);
    at call number `at` it kills the process (`kill`) or fails it with ENOSPC."""

    def __init__(self, at: int | None = None, kill: bool = False) -> None:
        self.at, self.kill, self.count = at, kill, 0
        self.real = {name: getattr(os, name) for name in _CALLS}

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in _CALLS:
            monkeypatch.setattr(os, name, self._wrap(name))

    def _wrap(self, name: str) -> Callable[..., Any]:
        real = self.real[name]

        def call(*args: Any, **kwargs: Any) -> Any:
            counts = name != "open" or bool((args[1] if len(args) > 1 else 0) & _CREATES)
            if counts:
                self.count += 1
                if self.count == self.at:
                    if self.kill:
                        self.real["_exit"] = os._exit
                        os._exit(137)
                    if name in _FULL_DISK:
                        raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)

        return call


def _record(path: Path) -> dict | None:
    """The whole record (hot file and archives, without `_meta`); None when none."""
    if not path.exists():
        return None
    data, problem = files.parse(path.read_bytes())
    assert data is not None, problem
    shelf = archive.Shelf(path, files.meta_of(data).get("archives"))
    whole = archive.merge(data, shelf)
    return {k: v for k, v in whole.items() if k != "_meta"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` but the lock note, by relative path."""
    found = {}
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not file.name.endswith(".lock"):
            found[str(file.relative_to(folder))] = file.read_bytes()
        elif file.is_dir():
            found[str(file.relative_to(folder)) + "/"] = b""
    return found


def _sound(path: Path) -> None:
    assert doctor.examine(Store(path, POLICY)) == []


def _logged(path: Path) -> int:
    """Entries in the log as `sanjian log` shows them (with the store's head)."""
    return len(Store(path, POLICY).history())


# -- the operations -------------------------------------------------------------------
def _change(path: Path) -> None:
    with Store(path, POLICY, command=["test", "change"]).writing() as record:
        record.add_member({"name": "新成员", "side": "volunteer", "voting": True})


def _split(path: Path) -> None:
    Store(path, POLICY, command=["test", "archive"]).archive()


def _init(path: Path) -> None:
    with Store(path, POLICY, command=["test", "init"]).writing() as record:
        committee.create(record, "新的联席会议", {"lang": "zh"}, committee.clock.now(
            committee.clock.zone("Asia/Shanghai")))  # fmt: skip


def _a_closed_year(path: Path) -> None:
    """Meetings, settled topics and done items of 2025, and a closed meeting of 2026: the
    next change moves 2025 to its archive (the policy's plan of moves is kept off here)."""

    def meeting(day: str, status: str) -> dict:
        return {"date": day, "status": status, "start": "19:00", "end": None, "place": "",
                "agenda": None, "attendance": {}, "leaves": [], "guests": [], "votes": {},
                "notes": [], "dissents": []}  # fmt: skip

    # As an older sanjian left it: nothing moved, and no note that nothing is due.
    real, key = archive.plan_moves, archive.plan_key
    archive.plan_moves = lambda *args: {}  # type: ignore[assignment]
    archive.plan_key = lambda *args: None  # type: ignore[assignment]
    try:
        with Store(path, POLICY, command=["test", "history"]).writing() as record:
            for day in ("2025-11-05", "2025-11-12", "2025-12-03"):
                record.add_meeting(meeting(day, "closed"))
                history = [{"meeting": day, "outcome": "passed"}]
                topic = record.add_topic(
                    {"title": f"议题{day}", "by": 1, "approvals": [], "status": "passed",
                     "meeting": day, "carried": 0, "history": history}
                )  # fmt: skip
                record.add_decision(
                    {"text": "落实", "topic": topic, "meeting": day, "status": "done",
                     "notes": [], "done_at": "2025-12-20T10:00:00+08:00"}
                )  # fmt: skip
            record.add_meeting(meeting("2026-01-07", "closed"))
            record.add_meeting(meeting("2026-11-25", "planned"))
    finally:
        archive.plan_moves, archive.plan_key = real, key  # type: ignore[assignment]


def _restore_from(source: Path) -> Callable[[Path], None]:
    def restore(path: Path) -> None:
        Store(path, POLICY, command=["test", "restore"]).restore(source)

    return restore


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Store folders to copy for each trial: a small committee, the same in schema 0 (no
    `_meta`, no log), a year of records in one file (due for its first archive move), the
    same split, and a whole-store file of another record to restore."""
    base = tmp_path_factory.mktemp("faults")
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = NOW
    try:
        small = base / "small" / "s.json"
        small.parent.mkdir()
        _init(small)
        _change(small)
        old = base / "v0" / "s.json"
        old.parent.mkdir()
        data = json.loads(small.read_bytes())
        del data["_meta"]
        old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        year = base / "year" / "s.json"
        shutil.copytree(small.parent, year.parent)
        _a_closed_year(year)
        schema1 = base / "schema1" / "s.json"
        schema1.parent.mkdir()
        tables = json.loads(year.read_bytes())
        tables["_meta"]["1"] = {"schema": 1}
        schema1.write_bytes(files.dumps(tables).encode("utf-8"))
        split = base / "split" / "s.json"
        shutil.copytree(year.parent, split.parent)
        assert Store(split, POLICY).archive() == [2025]
        whole, small_whole = base / "whole.json", base / "small-whole.json"
        Store(split, POLICY).backup(whole)
        Store(small, POLICY).backup(small_whole)
        empty = base / "empty"
        empty.mkdir()
    finally:
        if saved is not None:
            os.environ["SANJIAN_NOW"] = saved
    return {"small": small, "v0": old, "year": year, "schema1": schema1, "split": split,
            "whole": whole, "small_whole": small_whole, "empty": empty / "s.json"}  # fmt: skip


def _trial(template: Path, tmp: Path, n: int) -> Path:
    folder = tmp / f"t{n}"
    shutil.copytree(template.parent, folder)
    return folder / template.name


CASES = {
    # name: (template, operation, what to run again after a kill left the old record)
    "change": ("small", _change),
    "archive move": ("year", _split),
    "migration 0 to 2": ("v0", _change),
    "migration 1 to 2 and split": ("schema1", _change),
    "restore over a split store": ("split", "small_whole"),
    "restore over a small store": ("small", "whole"),
    "init": ("empty", _init),
}


def _case(places: dict[str, Path], name: str) -> tuple[Path, Callable[[Path], None]]:
    template, operation = CASES[name]
    if isinstance(operation, str):
        return places[template], _restore_from(places[operation])
    return places[template], operation


def _outcomes(places, name, tmp_path, monkeypatch) -> tuple[dict | None, dict | None, int, int]:
    """The record before and after the operation done without faults, the log's length
    before, and how many counted steps it takes."""
    template, operation = _case(places, name)
    path = _trial(template, tmp_path, 0)
    old, logged = _record(path), _logged(path)
    steps = Steps()
    with monkeypatch.context() as m:
        steps.install(m)
        operation(path)
    _sound(path)
    assert _logged(path) == logged + 1
    return old, _record(path), logged, steps.count


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_full_disk_at_every_step_leaves_no_trace(places, name, tmp_path, monkeypatch) -> None:
    old, new, logged, total = _outcomes(places, name, tmp_path, monkeypatch)
    template, operation = _case(places, name)
    refused = 0
    for at in range(1, total + 1):
        path = _trial(template, tmp_path, at)
        before = _snapshot(path.parent)
        steps = Steps(at)
        try:
            with monkeypatch.context() as m:
                steps.install(m)
                operation(path)
        except StoreError as exc:
            refused += 1
            assert exc.key == "store_unwritable" and "No space left" in exc.params["reason"]
            assert _snapshot(path.parent) == before, f"a trace after a failure at step {at}"
            operation(path)  # with room again, it goes through
        assert _record(path) == new, at
        _sound(path)
        assert _logged(path) == logged + 1
    assert refused > 5  # the failures before the commit were refusals


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_kill_at_every_step_leaves_one_whole_record(places, name, tmp_path, monkeypatch) -> None:
    old, new, logged, total = _outcomes(places, name, tmp_path, monkeypatch)
    template, operation = _case(places, name)
    seen = set()
    for at in range(1, total + 1):
        path = _trial(template, tmp_path, at)
        pid = os.fork()
        if pid == 0:  # the command, killed at step `at`
            try:
                Steps(at, kill=True).install(monkeypatch)
                operation(path)
            finally:
                os._exit(0)
        _pid, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) in (0, 137)
        found, count = _record(path), _logged(path)
        # the old record with the old log, or the new one with one entry more (a move to an
        # archive changes the layout, not the record: there the log tells them apart)
        assert (found, count) in ((old, logged), (new, logged + 1)), f"mixed after step {at}"
        seen.add("new" if count == logged + 1 else "old")
        if found is not None:
            _sound(path)
        if count == logged:
            operation(path)  # running it again after the kill
            assert _record(path) == new
            _sound(path)
            assert _logged(path) == logged + 1
    assert seen == {"old", "new"}
