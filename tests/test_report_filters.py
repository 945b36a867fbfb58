"""Reports: every format to a file, `--year` on each, filters that drop empty groups, and the
non-voting members' attendance."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _week import PRESENT_7, accepted, data

D = "2026-11-25"
NOW = "2026-12-01T09:00"


@pytest.fixture
def held(committee):  # noqa: ANN001, ANN201
    """The meeting of 11-25 held: seven present, the non-voting 黄立新 late, a decision for
    陈静 (社工) and one for 周大伟 (志愿者); then the meeting of 12-02 held without 黄立新."""
    run = committee
    first = accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, *PRESENT_7, now="2026-11-25T19:00")
    run("attend", D, "黄立新", "--late", now="2026-11-25T19:20")
    run("vote", D, str(first), "--yes", "7", now="2026-11-25T19:30")
    run("decide", D, str(first), "对接餐饮企业", "--owner", "陈静", "--due", "2026-12-20",
        now="2026-11-25T19:40")  # fmt: skip
    run("decide", D, str(first), "招募志愿者", "--owner", "周大伟", "--due", "2026-11-28",
        now="2026-11-25T19:40")  # fmt: skip
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", "2026-12-02", now="2026-11-26T09:00")
    run("attend", "2026-12-02", *PRESENT_7, now="2026-12-02T19:00")
    run("meeting", "close", "2026-12-02", "--end", "20:30", now="2026-12-02T20:30")
    return run


REPORTS = {
    "attendance": ("table", "json", "csv", "xlsx"),
    "actions": ("table", "json", "csv", "xlsx"),
    "topics": ("table", "json", "csv", "xlsx"),
    "summary": ("text", "markdown", "json"),
}


@pytest.mark.parametrize(
    ("report", "fmt"), [(r, f) for r, formats in REPORTS.items() for f in formats]
)
def test_every_report_goes_to_a_file_in_every_format(held, tmp_path: Path, report, fmt) -> None:
    run = held
    out = tmp_path / f"{report}.{fmt}.out"
    written = run("report", report, "--format", fmt, "-o", str(out), now=NOW)
    assert written.stdout == "" and str(out) in written.stderr
    if fmt == "xlsx":
        assert out.read_bytes().startswith(b"PK")
        return
    printed = run("report", report, "--format", fmt, now=NOW).stdout
    assert out.read_text(encoding="utf-8") == printed  # the file holds what the screen shows
    assert "\x1b" not in printed


def test_a_table_in_a_file_is_plain_text_unfolded(held, tmp_path: Path) -> None:
    out = tmp_path / "督办.txt"
    held("report", "actions", "-o", str(out), now=NOW)
    text = out.read_text(encoding="utf-8")
    assert "对接餐饮企业" in text and "招募志愿者" in text
    assert "\x1b" not in text


@pytest.mark.parametrize("report", ["attendance", "actions", "topics", "summary"])
def test_every_report_takes_year(held, report: str) -> None:
    run = held
    by_year = data(run("report", report, "--year", "2026", "--format", "json", now=NOW))
    by_range = data(run("report", report, "--from", "2026-01-01", "--to", "2026-12-31",
                        "--format", "json", now=NOW))  # fmt: skip
    assert by_year == by_range
    assert by_year["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    empty = data(run("report", report, "--year", "2025", "--format", "json", now=NOW))
    assert empty["period"] == {"from": "2025-01-01", "to": "2025-12-31"}


def test_an_owner_filter_drops_the_other_sides(held) -> None:
    run = held
    mine = data(run("report", "actions", "--owner", "陈静", "--format", "json", now=NOW))
    assert [s["side"] for s in mine["sides"]] == ["social-worker"]
    assert [o["owner"]["name"] for o in mine["owners"]] == ["陈静"]
    assert mine["total"]["total"] == 1
    table = run("report", "actions", "--owner", "陈静", now=NOW).stdout
    by_side = table.split("按方面")[1]
    assert "社工" in by_side and "政工" not in by_side and "志愿者" not in by_side
    # Unfiltered, every side is there, with its zeros.
    everyone = data(run("report", "actions", "--format", "json", now=NOW))
    assert [s["side"] for s in everyone["sides"]] == ["cadre", "social-worker", "volunteer"]
    nobody = data(run("report", "actions", "--owner", "张建国", "--format", "json", now=NOW))
    assert (nobody["items"], nobody["sides"], nobody["owners"]) == ([], [], [])


def test_non_voting_members_have_attendance_figures(held) -> None:
    run = held
    report = data(run("report", "attendance", "--format", "json", now=NOW))
    assert report["non_voting"] == [
        {"id": 10, "name": "黄立新", "side": "cadre", "org": "街道办", "joined": "2026-01-01",
         "retired": None, "meetings": 2, "present": 1, "late": 1, "online": 0}
    ]  # fmt: skip
    assert 10 not in [m["id"] for m in report["members"]]  # never 应到: not in the rates
    assert report["total"]["expected"] == 18
    table = run("report", "attendance", now=NOW).stdout
    assert "列席人员（不计应到，无出勤率）" in table
    line = next(ln for ln in table.splitlines() if "黄立新" in ln)
    assert line.split() == ["10", "黄立新", "政工", "街道办", "2", "1", "1", "0"]
    text = run("report", "attendance", "--format", "csv", now=NOW).stdout
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    head = rows[0]
    huang = next(r for r in rows if r[2] == "黄立新")
    assert (huang[0], huang[head.index("实到")], huang[head.index("应到")]) == ("列席", "1", "")
    assert rows[-1][0] == "合计"
    volunteers = data(run("report", "attendance", "--side", "志愿者", "--format", "json", now=NOW))
    assert volunteers["non_voting"] == []


def test_summary_json_is_unchanged_by_non_voting_members(held) -> None:
    summary = json.loads(held("report", "summary", "--format", "json", now=NOW).stdout)
    assert summary["attendance"]["expected"] == 18
