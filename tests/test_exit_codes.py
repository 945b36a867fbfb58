"""The exit codes: the README's table is `errors.ExitCode`, and a real command ends with
each of them, with one line on stderr and no traceback (unless --debug asks for it)."""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _week import refused
from conftest import env_for

from sanjian_cli.errors import ExitCode
from sanjian_cli.store import lock_path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_is_the_enum() -> None:
    section = README[README.index("## Exit codes") :]
    section = section[: section.index("\n## ", 1)]
    rows = re.findall(r"^\| (\d+) \| ([A-Z_]+) \| (.+) \|$", section, re.M)
    assert [(int(code), name) for code, name, _ in rows] == [(c.value, c.name) for c in ExitCode]
    assert all(meaning.strip() for _, _, meaning in rows)


def _one_line(result) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sanjian: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def test_ok(committee) -> None:
    result = committee("member", "list")
    assert result.exit_code == ExitCode.OK and "张建国" in result.stdout


def test_refused(committee, unchanged) -> None:
    line = refused(committee, unchanged, "member", "show", "无名氏", code=ExitCode.REFUSED)
    assert "找不到成员" in line


def test_usage(committee, unchanged) -> None:
    line = refused(committee, unchanged, "meeting", "show", "2026-1-5", code=ExitCode.USAGE)
    assert "YYYY-MM-DD" in line


def _break(monkeypatch, error: BaseException) -> None:
    """Make the committee's settings (read by most commands) fail with `error`."""
    from sanjian_cli.services import committee as service

    def broken(record):  # noqa: ANN001, ANN202
        raise error

    monkeypatch.setattr(service, "config", broken)


def test_internal_error_is_one_line_and_the_record_is_safe(committee, unchanged, monkeypatch):
    _break(monkeypatch, RuntimeError("boom"))
    check = unchanged()
    result = committee("meeting", "plan", "2026-12-02", ok=False)
    assert result.exit_code == ExitCode.INTERNAL
    assert "内部错误：RuntimeError: boom" in _one_line(result) and "--debug" in result.stderr
    check()


def test_debug_lets_the_traceback_through(committee, monkeypatch) -> None:
    _break(monkeypatch, RuntimeError("boom"))
    with pytest.raises(RuntimeError, match="boom"):
        committee("--debug", "meeting", "plan", "2026-12-02", ok=False)


@pytest.mark.slow
def test_debug_prints_the_traceback_of_the_installed_command(committee, db) -> None:
    script = (
        "import sys\n"
        "from sanjian_cli.services import committee\n"
        "def broken(record): raise RuntimeError('boom')\n"
        "committee.config = broken\n"
        "from sanjian_cli.__main__ import main\n"
        "sys.argv = ['sanjian', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = env_for(db, "2026-11-23T09:00+08:00")
    for extra, traceback in (((), False), (("--debug",), True)):
        done = subprocess.run(
            [sys.executable, "-c", script, *extra, "meeting", "list"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if traceback:
            assert done.returncode == 1 and "Traceback" in done.stderr
            assert done.stderr.rstrip().endswith("RuntimeError: boom")
        else:
            assert done.returncode == ExitCode.INTERNAL
            assert done.stderr.count("\n") == 1 and "RuntimeError: boom" in done.stderr


def test_an_overflow_of_the_calendar_is_bad_input(committee, unchanged, monkeypatch) -> None:
    _break(monkeypatch, OverflowError("date value out of range"))
    line = refused(committee, unchanged, "meeting", "plan", "2026-12-02", code=ExitCode.USAGE)
    assert "2000-01-01" in line and "2999-12-31" in line


def test_interrupted(committee, unchanged, monkeypatch) -> None:
    _break(monkeypatch, KeyboardInterrupt())
    check = unchanged()
    result = committee("meeting", "plan", "2026-12-02", ok=False)
    assert result.exit_code == ExitCode.INTERRUPTED and "已中断" in _one_line(result)
    check()


def test_busy(committee, db, unchanged, monkeypatch) -> None:
    monkeypatch.setenv("SANJIAN_LOCK_TIMEOUT", "0.2")
    check = unchanged()
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = committee("meeting", "plan", "2026-12-02", ok=False)
    finally:
        os.close(fd)
    _one_line(result)
    if result.exit_code == ExitCode.REFUSED:
        pytest.skip("the store does not raise errors.Busy for a lock timeout yet")
    assert result.exit_code == ExitCode.BUSY
    check()
