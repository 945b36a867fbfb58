"""What the environment can do to a command, run as the installed `sanjian`: bytes that are
not UTF-8 in an argument, a clock outside the years the schedule computes, a stdout that is
closed, full or ASCII-only. Each is one line on stderr and a meaningful exit code, the
store unchanged, and never a paper printed in part."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import SANJIAN, env_for

NOW = "2026-11-23T09:00+08:00"
pytestmark = pytest.mark.slow


def _sanjian(db: Path, *args: str | bytes, now: str = NOW, stdout=subprocess.PIPE, **env: str):  # noqa: ANN003, ANN201
    return subprocess.run(
        [str(SANJIAN), *args], env={**env_for(db, now), **env}, stdout=stdout,
        stderr=subprocess.PIPE, timeout=60, check=False,
    )  # fmt: skip


def _one_line(done) -> str:
    text = done.stderr.decode("utf-8")
    assert text.count("\n") == 1 and text.startswith("sanjian: "), text
    assert "Traceback" not in text
    return text


@pytest.fixture
def held(committee, db: Path) -> Path:
    committee("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    return db


def test_an_argument_that_is_not_utf8_is_bad_input(held: Path) -> None:
    before = held.read_bytes()
    done = _sanjian(held, "member", "add", b"\xff\xfe\xe5\x90", "--side", "volunteer")
    assert done.returncode == 2 and done.stdout == b""
    line = _one_line(done)
    assert "UTF-8" in line and "\\xff\\xfe\\xe5\\x90" in line
    assert held.read_bytes() == before


@pytest.mark.parametrize("now", ["9999-12-30T10:00+08:00", "0001-01-01T10:00+08:00"])
@pytest.mark.parametrize(
    "args", [("meeting", "plan"), ("notice",), ("calendar",), ("agenda", "build", "--next")]
)
def test_a_clock_outside_the_schedules_years_is_bad_input(held: Path, now: str, args) -> None:
    before = held.read_bytes()
    done = _sanjian(held, *args, now=now)
    assert done.returncode == 2 and done.stdout == b""
    line = _one_line(done)
    assert now in line and "2000-01-01" in line and "2999-12-31" in line
    assert held.read_bytes() == before


def test_a_date_outside_the_schedules_years_is_bad_input(held: Path) -> None:
    before = held.read_bytes()
    for day in ("9999-12-29", "0001-01-03", "1999-12-31", "3000-01-01"):
        done = _sanjian(held, "meeting", "plan", day)
        assert done.returncode == 2 and day in _one_line(done)
    assert held.read_bytes() == before


PRINTING = [
    pytest.param(("minutes", "2026-11-25"), id="paper"),
    pytest.param(("member", "list"), id="table"),
    pytest.param(("calendar",), id="ics"),
    pytest.param(("member", "list", "--format", "json"), id="json"),
    pytest.param(("member",), id="help"),
]


@pytest.mark.parametrize("args", PRINTING)
def test_a_closed_stdout_is_refused(held: Path, args) -> None:
    command = " ".join([str(SANJIAN), *args])
    done = subprocess.run(
        ["sh", "-c", f"exec {command} >&-"], env=env_for(held, NOW),
        stderr=subprocess.PIPE, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "无法写入标准输出" in _one_line(done) or "standard output" in _one_line(done)


@pytest.mark.parametrize("args", PRINTING)
def test_a_full_stdout_is_refused(held: Path, args) -> None:
    with open("/dev/full", "wb") as full:
        done = _sanjian(held, *args, stdout=full)
    assert done.returncode == 1
    assert "No space left on device" in _one_line(done)


@pytest.mark.parametrize("args", PRINTING[:2])
def test_an_ascii_only_stdout_prints_nothing_and_says_so(held: Path, args) -> None:
    done = _sanjian(held, *args, PYTHONIOENCODING="ascii")
    assert done.returncode == 1 and done.stdout == b""  # never half a paper
    line = _one_line(done)
    assert line.isascii() and "PYTHONIOENCODING=utf-8" in line  # said so in English


def test_a_command_that_prints_nothing_needs_no_stdout(held: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = _sanjian(held, "member", "add", "钱阿姨", "--side", "volunteer", stdout=full)
    assert done.returncode == 0 and "钱阿姨" in done.stderr.decode()


def test_an_english_committee_prints_to_an_ascii_stdout(held: Path) -> None:
    assert _sanjian(held, "config", "set", "lang", "en").returncode == 0
    done = _sanjian(held, "action", "list", "--format", "json", PYTHONIOENCODING="ascii")
    assert done.returncode == 0 and done.stdout.strip() == b"[]"
