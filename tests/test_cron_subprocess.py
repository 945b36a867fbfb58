"""Weeks of cron runs: the installed `sanjian`, no terminal, only PATH, the store and the clock."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import SANJIAN

# Each test runs the installed `sanjian` in a subprocess.
pytestmark = pytest.mark.slow


def cron(db: Path, now: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """As cron runs a job: `env -i` with PATH, SANJIAN_DB and SANJIAN_NOW only, no stdin."""
    env = {"PATH": "/usr/bin:/bin", "SANJIAN_DB": str(db), "SANJIAN_NOW": now}
    return subprocess.run(
        [str(SANJIAN), *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=30
    )


def accepted(run, title: str, now: str) -> None:
    run("topic", "add", title, "--by", "刘洋", now=now)
    topic_id = json.loads(run("topic", "list", "--format", "json").stdout)[-1]["id"]
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", str(topic_id), "--by", lead, now=now)


def test_weeks_of_cron_runs(committee, db: Path, tmp_path: Path) -> None:
    run = committee
    out = tmp_path / "agendas"
    out.mkdir()
    target = str(out / "{date}.txt")
    build = ("agenda", "build", "--next", "--if-due", "--output", target)
    accepted(run, "助餐点扩容", "2026-11-20T10:00")
    run("meeting", "skip", "2026-12-02", "--reason", "街道统一活动")
    run("meeting", "plan", "2026-12-10", "--place", "街道会议室")  # moved from Wed 12-09

    def step(now: str) -> str:
        done = cron(db, now, *build)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout == b""
        lines = done.stderr.decode("utf-8").splitlines()
        assert len(lines) == 1 and "\x1b" not in lines[0]
        return lines[0]

    assert "尚未到期" in step("2026-11-23T09:00+08:00")
    assert not list(out.iterdir())
    assert "已生成 2026-11-25" in step("2026-11-23T19:00+08:00")
    first = (out / "2026-11-25.txt").read_bytes()
    assert "已是最新" in step("2026-11-24T08:00+08:00")
    assert (out / "2026-11-25.txt").read_bytes() == first
    run("meeting", "close", "2026-11-25", "--end", "20:30")

    # The skipped week is passed over; the moved meeting is next, due two days before it.
    assert "2026-12-10" in step("2026-11-26T07:00+08:00")
    assert "尚未到期" in step("2026-12-08T18:59+08:00")
    accepted(run, "楼道灯维修", "2026-12-08T20:00")  # after the deadline: waits
    assert "已生成 2026-12-10" in step("2026-12-08T21:00+08:00")
    moved = (out / "2026-12-10.txt").read_text(encoding="utf-8")
    assert "2026年12月10日（星期四）19:00" in moved and "街道会议室" in moved
    assert "晚于议题征集截止时间" in moved and "楼道灯维修" in moved.split("晚于")[1]

    notice = cron(db, "2026-12-08T21:05+08:00", "notice")
    assert notice.returncode == 0 and notice.stderr == b""
    text = notice.stdout.decode("utf-8")
    assert "2026年12月10日（星期四）19:00" in text and "地点：街道会议室" in text
    assert "审议上次会议（2026-11-25）纪要" in text
    run("meeting", "close", "2026-12-10", "--end", "20:30")

    # The day after: the next regular meeting is planned by the cron run itself.
    assert "尚未到期" in step("2026-12-11T07:00+08:00")
    assert "已生成 2026-12-16" in step("2026-12-14T19:00+08:00")
    later = (out / "2026-12-16.txt").read_text(encoding="utf-8")
    assert "楼道灯维修" in later.split("预计用时")[0] and "晚于" not in later

    files = sorted(p.name for p in out.iterdir())
    assert files == ["2026-11-25.txt", "2026-12-10.txt", "2026-12-16.txt"]
    for path in out.iterdir():
        assert b"\x1b" not in path.read_bytes()
    # Identical on a rerun, and the store is not touched by it.
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    store = db.read_bytes()
    assert "已是最新" in step("2026-12-15T08:00+08:00")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert db.read_bytes() == store


def test_cron_failure_is_one_line_and_nonzero(tmp_path: Path) -> None:
    done = cron(tmp_path / "none.json", "2026-11-23T19:00+08:00", "agenda", "build", "--next")
    assert done.returncode == 1
    lines = done.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "sanjian init" in lines[0]
    assert done.stdout == b""
