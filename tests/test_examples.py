"""examples/week.sh is a tutorial and a test: re-run it, and the papers it wrote must be
byte for byte the ones committed beside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAPERS = ("week-agenda.txt", "week-minutes.txt", "week-minutes.en.md", "week-next-agenda.txt")

# Each test runs the installed `sanjian` in a subprocess.
pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_week_script_reproduces_the_committed_papers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANJIAN")}
    # the venv's sanjian first on PATH, as a secretary's shell would have it; another locale
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["LANG"] = "C.UTF-8"
    env.pop("LC_ALL", None)
    done = subprocess.run(
        ["bash", str(EXAMPLES / "week.sh"), str(tmp_path / "week.json"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    for name in PAPERS:
        committed = (EXAMPLES / name).read_bytes()
        assert (tmp_path / name).read_bytes() == committed, (
            f"examples/{name} drifted: re-run examples/week.sh and commit the result"
        )
    # what a reader of the tutorial sees printed
    assert "会议议程" in done.stdout and "会议纪要" in done.stdout
    assert "13800000000" not in done.stdout + "".join(
        (tmp_path / name).read_text(encoding="utf-8") for name in PAPERS
    )


def test_the_week_shows_what_the_tutorial_promises() -> None:
    agenda = (EXAMPLES / "week-agenda.txt").read_text(encoding="utf-8")
    minutes = (EXAMPLES / "week-minutes.txt").read_text(encoding="utf-8")
    english = (EXAMPLES / "week-minutes.en.md").read_text(encoding="utf-8")
    following = (EXAMPLES / "week-next-agenda.txt").read_text(encoding="utf-8")
    script = (EXAMPLES / "week.sh").read_text(encoding="utf-8")
    assert "topic reject" in script and "广场舞" not in agenda  # one rejected
    assert "时间所限，待下次会议" in agenda  # an overflow
    assert "请假：赵敏（带孩子看病）" in minutes  # a leave in time
    assert "缺席：郑国庆（请假晚于截止时间：临时加班）" in minutes  # one too late
    assert "周大伟（迟到）" in minutes and "刘洋（线上）" in minutes
    assert "钱阿姨（7号楼居民代表）" in minutes  # a guest
    assert "赞成：张建国、李秀兰" in minutes  # a vote by names
    assert "主持人决定暂缓" in minutes  # a deferral
    assert "不同意见：" in minutes and "（书面意见）" in minutes
    assert "时限：2026-12-09" in minutes and "时限：待定" in minutes
    assert "上次议定事项落实情况\n   #1 " in minutes  # follow-up of an earlier decision
    assert "散会：20:35" in minutes
    assert "【延续议题】#2 老旧小区加装电梯意见征集" in following  # deferred: carried first
    assert "Expected 10, present 8, on leave 1, absent 1" in english
    assert script.count("export SANJIAN_NOW=") >= 20
