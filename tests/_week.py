"""Helpers shared by the CLI tests (plain functions; the fixtures live in conftest)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

LEADS = ("张建国", "陈静", "孙丽华")
PRESENT_7 = ("张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟")


def accepted(run: Any, title: str, by: str = "刘洋", *extra: str) -> int:
    """Propose `title` (on 2026-11-20) and have the three leads agree it; returns its id."""
    run("topic", "add", title, "--by", by, *extra, now="2026-11-20T10:00")
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
