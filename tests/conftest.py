"""Shared fixtures: every test gets its own store and a fixed clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _week import found_committee
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from sanjian_cli.cli.app import app

SANJIAN = Path(sys.executable).parent / "sanjian"

# No wall-clock limit in a test (speed is the benchmark's to measure): on a shared machine
# under load, hypothesis's deadline per example and its check that examples are made fast
# enough fail tests whose assertions hold.
settings.register_profile("sanjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sanjian")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's store, and no test sees the real clock or locale."""
    monkeypatch.setenv("SANJIAN_DB", str(tmp_path / "store.json"))
    monkeypatch.setenv("SANJIAN_NOW", "2026-11-23T09:00:00+08:00")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("SANJIAN_DEBUG", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    yield


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


class Run:
    """Invoke the CLI in-process: `run("member", "list", now="2026-12-02T19:01")`."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None, ok: bool = True):  # noqa: ANN204
        env = {"SANJIAN_NOW": now} if now else None
        result = self.runner.invoke(app, list(args), env=env, catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"sanjian {' '.join(args)} exited {result.exit_code}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result


@pytest.fixture
def run() -> Run:
    return Run()


def decode_calls(monkeypatch: pytest.MonkeyPatch, module: object) -> list[int]:
    """The sizes of the files `module.decode` (`files.decode` as `module` names it) is
    asked to decode whole from now on: a test that a file is read without it holds this
    list empty."""
    sizes: list[int] = []
    real = module.decode  # type: ignore[attr-defined]

    def spy(raw: bytes, *args: object, **kwargs: object) -> object:
        sizes.append(len(raw))
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(module, "decode", spy)
    return sizes


@pytest.fixture
def committee(run: Run) -> Run:
    """A committee meeting on Wednesdays at 19:00 with nine voting members, three leads,
    one non-voting member, and the meeting of 2026-11-25 planned."""
    found_committee(run)
    return run


def store_bytes(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


@pytest.fixture
def unchanged(db: Path) -> Callable[[], Callable[[], None]]:
    """`check = unchanged(); ...; check()` asserts the store file did not change."""

    def start() -> Callable[[], None]:
        before = store_bytes(db)

        def check() -> None:
            assert store_bytes(db) == before, "the store changed"

        return check

    return start


def env_for(db: Path, now: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANJIAN")}
    env.update({"SANJIAN_DB": str(db), "SANJIAN_NOW": now, "LANG": "C.UTF-8"})
    return env
