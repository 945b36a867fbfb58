"""Helpers shared by the CLI tests (plain functions; the fixtures live in conftest)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

LEADS = ("张建国", "陈静", "孙丽华")
PRESENT_7 = ("张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟")


def accepted(
    run: Any, title: str, by: str = "刘洋", *extra: str, at: str = "2026-11-20T10:00"
) -> int:
    """Propose `title` (at `at`, by default 2026-11-20, in time for the meeting of 11-25)
    and have the three leads agree it; returns its id."""
    run("topic", "add", title, "--by", by, *extra, now=at)
    topic_id = json.loads(run("topic", "list", "--format", "json").stdout)[-1]["id"]
    for lead in LEADS:
        run("topic", "approve", str(topic_id), "--by", lead)
    return topic_id


def data(result: Any) -> Any:
    return json.loads(result.stdout)


def refused(
    run: Any,
    unchanged: Callable[[], Callable[[], None]],
    *args: str,
    code: int = 1,
    now: str | None = None,
) -> str:
    """Run a command that must be refused: exit `code`, exactly one line on stderr, no
    traceback, nothing on stdout, the store byte for byte as it was. Returns the line."""
    check = unchanged()
    result = run(*args, now=now, ok=False)
    assert result.exit_code == code, (args, result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (args, result.stderr)
    assert lines[0].startswith("sanjian: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    check()
    return lines[0]


class Go:
    """Like conftest's `run`, for module-scoped fixtures that build a store once: the store
    path, clock and locale are passed explicitly instead of through monkeypatch."""

    def __init__(self, path: Any, now: str = "2026-11-23T09:00:00+08:00") -> None:
        from typer.testing import CliRunner

        self.path = path
        self.now = now
        self.runner = CliRunner()

    def __call__(self, *args: str, now: str | None = None, ok: bool = True) -> Any:
        from sanjian_cli.cli.app import app

        env = {"SANJIAN_DB": str(self.path), "SANJIAN_NOW": now or self.now, "LANG": "zh_CN.UTF-8"}
        result = self.runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert not ok or result.exit_code == 0, (args, result.stderr)
        return result


ROSTER = (
    ("张建国", "cadre", True), ("李秀兰", "cadre", False), ("王志强", "cadre", False),
    ("陈静", "social-worker", True), ("刘洋", "social-worker", False),
    ("赵敏", "social-worker", False), ("孙丽华", "volunteer", True),
    ("周大伟", "volunteer", False), ("吴晓梅", "volunteer", False),
)  # fmt: skip


def found_committee(run: Callable[..., Any], plan: bool = True) -> None:
    """The committee of the `committee` fixture, through any runner: nine voting members
    with the three leads, the non-voting 黄立新, and (with `plan`) the meeting of 11-25."""
    run("init", "幸福里社区三工联席会议", "--place", "党群服务中心", "--lang", "zh")
    for name, side, lead in ROSTER:
        run("member", "add", name, "--side", side, *(["--lead"] if lead else []),
            "--joined", "2026-01-01")  # fmt: skip
    run("member", "add", "黄立新", "--side", "政工", "--non-voting", "--org", "街道办",
        "--joined", "2026-01-01")  # fmt: skip
    if plan:
        run("meeting", "plan", "2026-11-25", "--recorder", "李秀兰")


def committee_like_conftest(go: Go) -> None:
    """The same committee as conftest's `committee` fixture, for stores built once."""
    found_committee(go)
