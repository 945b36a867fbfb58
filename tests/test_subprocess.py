"""The installed `sanjian` and `python -m sanjian_cli`, run as a user or cron would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SANJIAN, env_for

NOW = "2026-11-23T09:00+08:00"

# Each test runs the installed `sanjian` in a subprocess.
pytestmark = pytest.mark.slow


def _run(args: list[str], db: Path, now: str = NOW) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env_for(db, now), capture_output=True, text=True, timeout=60, check=False
    )


COMMANDS = [pytest.param([str(SANJIAN)], id="sanjian"),
            pytest.param([sys.executable, "-m", "sanjian_cli"], id="python-m")]  # fmt: skip


@pytest.mark.parametrize("prog", COMMANDS)
def test_version_and_help(prog: list[str], db: Path) -> None:
    done = _run([*prog, "--version"], db)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "sanjian 0.1.0", "")
    bare = _run(prog, db)
    assert bare.returncode == 0 and "Usage:" in bare.stdout and bare.stderr == ""


@pytest.mark.parametrize("prog", COMMANDS)
def test_exit_codes_and_one_line_errors(prog: list[str], db: Path) -> None:
    missing = _run([*prog, "member", "list"], db)
    assert missing.returncode == 1 and missing.stdout == ""
    # LANG=C.UTF-8 in env_for: no committee yet, so the message is in English
    assert (
        missing.stderr
        == "sanjian: no committee yet; run sanjian init NAME first (or sanjian demo)\n"
    )
    assert not db.exists()
    assert _run([*prog, "init", "委员会", "--lang", "zh"], db).returncode == 0
    before = db.read_bytes()
    for args, code, says in [
        (["meeting", "show", "2026-1-5"], 2, "YYYY-MM-DD"),
        (["member", "show", "无名氏"], 1, "找不到成员"),
        (["vote", "2026-11-25", "1", "--yes", "x"], 2, "sanjian vote --help"),
        (["nosuch"], 2, "sanjian --help"),
        (["init", "again"], 1, "不会覆盖"),
    ]:
        done = _run([*prog, *args], db)
        assert done.returncode == code, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("sanjian: "), done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr
        assert db.read_bytes() == before


def test_bad_clock_is_one_line(db: Path) -> None:
    assert _run([str(SANJIAN), "init", "委员会"], db).returncode == 0
    done = _run([str(SANJIAN), "member", "list"], db, now="yesterday")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "ISO 8601" in done.stderr


def test_demo_prints_an_agenda_and_minutes(tmp_path: Path, db: Path) -> None:
    store = tmp_path / "demo.json"
    done = _run([str(SANJIAN), "demo", "--db", str(store)], db)
    assert done.returncode == 0, done.stderr
    assert "会议议程" in done.stdout and "会议纪要" in done.stdout and "散会" in done.stdout
    assert str(store) in done.stdout and "13800000000" not in done.stdout
    assert "\x1b" not in done.stdout
    again = _run([str(SANJIAN), "--db", str(store), "member", "list", "--format", "json"], db)
    assert again.returncode == 0 and again.stdout.count('"name"') >= 9
