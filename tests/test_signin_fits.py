"""A sign-in sheet for a normal committee fits one printed page."""

from __future__ import annotations

import unicodedata

import pytest

from sanjian_cli.domain.vocab import SIDES


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_twenty_five_members_fit_one_page(run) -> None:
    run("init", "幸福里社区三工联席会议", "--place", "党群服务中心二楼会议室", "--lang", "zh")
    for n in range(25):
        side = SIDES[n % 3]
        lead = ["--lead"] if n < 3 else []
        run("member", "add", f"成员{n:02d}号", "--side", side, *lead, "--org", "幸福里社区居委会",
            "--joined", "2026-01-01")  # fmt: skip
    for n in range(3):
        run("member", "add", f"列席{n}", "--side", "cadre", "--non-voting", "--org", "街道办")
    run("meeting", "plan", "2026-11-25", "--online", "https://meeting.example/abc")
    for fmt in ("text", "markdown"):
        for lang in ("zh", "en"):
            text = run("signin-sheet", "2026-11-25", "-f", fmt, "--lang", lang).stdout
            lines = text.splitlines()
            assert len(lines) <= 60, (fmt, lang, len(lines))
            assert text.count("列席") >= 3 or lang == "en"
            if fmt == "text":
                assert max(_width(line) for line in lines) <= 80, (lang, text)
    text = run("signin-sheet", "2026-11-25").stdout
    assert "应到 25 人" in text
    assert text.count("______________") >= 25 + 3 + 5


@pytest.mark.slow
def test_installed_script_writes_csv_bytes_and_refuses_cleanly(run, db) -> None:
    import subprocess

    from conftest import SANJIAN, env_for

    run("init", "测试会", "--lang", "zh")
    run("member", "add", "=张三", "--side", "cadre", "--joined", "2026-01-01")
    run("meeting", "plan", "2026-11-25")
    run("attend", "2026-11-25", "1", now="2026-11-25T19:00")
    run("meeting", "close", "2026-11-25", "--end", "20:00", now="2026-11-25T20:00")
    env = env_for(db, "2026-12-01T09:00+08:00")
    done = subprocess.run(
        [str(SANJIAN), "report", "attendance", "-f", "csv"], env=env, capture_output=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    assert "'=张三" in done.stdout.decode("utf-8-sig")
    bad = subprocess.run(
        [str(SANJIAN), "report", "summary", "--year", "1999"], env=env, capture_output=True
    )
    assert bad.returncode == 2 and bad.stdout == b""
    assert len(bad.stderr.decode().strip().splitlines()) == 1
