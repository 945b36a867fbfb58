"""Stores made by the benchmark's generator (`benchmarks/make_store.py`), and fresh copies
of them for a test that changes one."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from sanjian_cli.store import paths

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402


def generated(factory: pytest.TempPathFactory, name: str, years: int, seed: int) -> Path:
    """A store of `years` years (seeded), made once in a folder of its own."""
    path = factory.mktemp(name) / f"{name}.json"
    assert make_store.main(["--years", str(years), "--out", str(path), "--seed", str(seed)]) == 0
    return path


def copied(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: str) -> Path:
    """A fresh copy of the store at `source` (hot file, archives, log), the CLI's store at
    `now`."""
    target = tmp_path / "s.json"
    shutil.copyfile(source, target)
    if paths.archive_dir(source).is_dir():
        shutil.copytree(paths.archive_dir(source), paths.archive_dir(target))
    shutil.copyfile(paths.log_path(source), paths.log_path(target))
    monkeypatch.setenv("SANJIAN_DB", str(target))
    monkeypatch.setenv("SANJIAN_NOW", now)
    return target
