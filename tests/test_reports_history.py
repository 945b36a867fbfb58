"""Reports over a five-week history built through the CLI, checked against hand counts.

The history (ids: 1 张建国, 2 李秀兰, 3 王志强 (政工); 4 陈静, 5 刘洋, 6 赵敏 (社工);
7 孙丽华, 8 周大伟, 9 吴晓梅 (志愿者); 10 黄立新 non-voting; 11 钱多多 志愿者, joined
2026-12-03). 王志强 leaves on 2026-12-05. Meetings on the Wednesdays:

| meeting | 应到 | present | leave (in time) | absent |
|---|---|---|---|---|
| 11-25 | 1-9 | 1,2,3,4,5,7,8 (8 late) | 6 | 9 (notice after the start) |
| 12-02 | 1-9 | 1,2,4,5 (online),7,9 | — | 3,6,8 |
| 12-09 | 1,2,4-9,11 | 1,2,4,7,11,8 (late) | 5 | 6,9 |
| 12-16 | 1,2,4-9,11 | 1,2,4,5,7,8,9,11 | — | 6 |
| 12-23 | planned, not closed: never counted | | | |

Topics: T1 福利 by 刘洋 11-20 → passed 11-25; T2 环境 by 周大伟 11-20 → deferred 11-25,
passed 12-02; T3 经济 by 李秀兰 11-30 → rejected 12-01; T4 方案 by 孙丽华 12-01 → failed
12-09; T5 文化 by 陈静 12-10 accepted, carried over; T6 文化 by 赵敏 12-20 proposed.

Decision items: D1 陈静 due 12-10 done 12-10 (on time, the due day itself); D2 孙丽华 due
12-01 done 12-03 (2 days late); D3 周大伟 due 12-15 open (overdue from 12-16); D4 王志强 no
due date, done 12-04; D5 no owner, due 12-31, open.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _week import found_committee
from _whole import whole_bytes
from typer.testing import CliRunner

from sanjian_cli.cli.app import app

REPORT_NOW = "2026-12-20T09:00:00+08:00"


def _build(path: Path) -> None:
    runner = CliRunner()

    def run(*args: str, now: str = "2026-11-23T09:00") -> None:
        env = {"SANJIAN_DB": str(path), "SANJIAN_NOW": now, "LANG": "zh_CN.UTF-8"}
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)

    found_committee(run, plan=False)
    run("member", "edit", "刘洋", "--phone", "13800138000")

    def topic(title: str, by: str, category: str, day: str, accept: bool = True) -> None:
        run("topic", "add", title, "--by", by, "--category", category, now=f"{day}T10:00")
        if accept:
            for lead in ("张建国", "陈静", "孙丽华"):
                run("topic", "approve", str(_topic_count[0] + 1), "--by", lead, now=f"{day}T11:00")
        _topic_count[0] += 1

    _topic_count = [0]
    topic("助餐点扩容", "刘洋", "welfare", "2026-11-20")
    topic("楼道堆物清理", "周大伟", "environment", "2026-11-20")

    # Week 1: 2026-11-25.
    run("meeting", "plan", "2026-11-25")
    run("agenda", "build", "2026-11-25", now="2026-11-24T10:00")
    run("leave", "赵敏", "2026-11-25", "--reason", "家中有事", now="2026-11-25T18:00")
    run("leave", "吴晓梅", "2026-11-25", "--reason", "加班", now="2026-11-25T19:05")
    run("attend", "2026-11-25", "1", "2", "3", "4", "5", "7", now="2026-11-25T19:00")
    run("attend", "2026-11-25", "周大伟", "--late", now="2026-11-25T19:10")
    run("attend", "2026-11-25", "黄立新", now="2026-11-25T19:00")
    run("vote", "2026-11-25", "1", "--yes", "7", now="2026-11-25T19:30")
    run("vote", "2026-11-25", "2", "--defer", now="2026-11-25T19:50")
    run("decide", "2026-11-25", "1", "扩容至每日60份", "--owner", "陈静", "--due", "2026-12-10")
    run("decide", "2026-11-25", "1", "招募助餐志愿者", "--owner", "孙丽华", "--due", "2026-12-01")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")

    topic("停车收费调整", "李秀兰", "economy", "2026-11-30", accept=False)
    run("topic", "reject", "3", "--by", "张建国", "--reason", "不属本会职责",
        now="2026-12-01T09:00")  # fmt: skip
    topic("加装电梯", "孙丽华", "plan", "2026-12-01")

    # Week 2: 2026-12-02 (T4 is on the agenda but left for next time).
    run("meeting", "plan", "2026-12-02", now="2026-11-26T09:00")
    run("agenda", "build", "2026-12-02", now="2026-12-01T12:00")
    run("attend", "2026-12-02", "1", "2", "4", "7", "9", now="2026-12-02T19:00")
    run("attend", "2026-12-02", "刘洋", "--online", now="2026-12-02T19:00")
    run("vote", "2026-12-02", "2", "--yes", "6", now="2026-12-02T19:30")
    run("note", "2026-12-02", "2", "内部讨论：物业费争议", now="2026-12-02T19:20")
    run("dissent", "2026-12-02", "2", "吴晓梅", "担心影响通行", now="2026-12-02T19:31")
    run("decide", "2026-12-02", "2", "清理3号楼堆物", "--owner", "周大伟", "--due", "2026-12-15")
    run("decide", "2026-12-02", "2", "每周巡查，联系电话13912345678", "--owner", "王志强")
    run("decide", "2026-12-02", "2", "=1+1 张贴告示", "--due", "2026-12-31")
    run("meeting", "close", "2026-12-02", "--end", "20:30", now="2026-12-02T20:30")
    run("action", "done", "2", now="2026-12-03T10:00")
    run("member", "add", "钱多多", "--side", "volunteer", "--joined", "2026-12-03",
        now="2026-12-03T09:00")  # fmt: skip
    run("action", "done", "4", now="2026-12-04T10:00")
    run("member", "retire", "王志强", "--date", "2026-12-05", now="2026-12-05T09:00")

    # Week 3: 2026-12-09.
    run("meeting", "plan", "2026-12-09", now="2026-12-03T09:00")
    run("agenda", "build", "2026-12-09", now="2026-12-08T09:00")
    run("leave", "刘洋", "2026-12-09", "--reason", "培训", now="2026-12-08T10:00")
    run("attend", "2026-12-09", "1", "2", "4", "7", "钱多多", now="2026-12-09T19:00")
    run("attend", "2026-12-09", "周大伟", "--late", now="2026-12-09T19:15")
    run("vote", "2026-12-09", "4", "--yes", "2", "--no", "4", now="2026-12-09T19:40")
    run("meeting", "close", "2026-12-09", "--end", "20:30", now="2026-12-09T20:30")
    run("action", "done", "1", now="2026-12-10T09:00")
    run("action", "update", "3", "--note", "+已清理一半", now="2026-12-12T09:00")
    topic("社区花园认领", "陈静", "culture", "2026-12-10")

    # Week 4: 2026-12-16 (T5 on the agenda, not voted: carried over).
    run("meeting", "plan", "2026-12-16", now="2026-12-10T12:00")
    run("agenda", "build", "2026-12-16", now="2026-12-15T09:00")
    run("attend", "2026-12-16", "1", "2", "4", "5", "7", "8", "9", "11", now="2026-12-16T19:00")
    run("meeting", "close", "2026-12-16", "--end", "20:30", now="2026-12-16T20:30")
    topic("邻里文化节", "赵敏", "culture", "2026-12-20", accept=False)

    # Week 5: planned and partly signed in, but not closed: it must not count.
    run("meeting", "plan", "2026-12-23", now="2026-12-17T09:00")
    run("attend", "2026-12-23", "2", "6", now="2026-12-23T19:00")


@pytest.fixture(scope="module")
def _history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "store.json"
    _build(path)
    return path


@pytest.fixture
def history(_history: Path, db: Path, run):  # noqa: ANN001, ANN201
    """A fresh copy of the built history in this test's own store."""
    db.write_bytes(whole_bytes(_history))
    return run


def _json(run, *args: str, now: str = REPORT_NOW) -> dict:  # noqa: ANN001
    return json.loads(run(*args, "--format", "json", now=now).stdout)


def _member(report: dict, name: str) -> dict:
    return next(m for m in report["members"] if m["name"] == name)


COUNTS = ("expected", "present", "late", "online", "leave", "absent")


def test_attendance_over_all_weeks(history) -> None:
    report = _json(history, "report", "attendance")
    assert report["meetings"] == 4
    hand = {  # expected, present, late, online, leave, absent
        "张建国": (4, 4, 0, 0, 0, 0),
        "李秀兰": (4, 4, 0, 0, 0, 0),
        "王志强": (2, 1, 0, 0, 0, 1),
        "陈静": (4, 4, 0, 0, 0, 0),
        "刘洋": (4, 3, 0, 1, 1, 0),
        "赵敏": (4, 0, 0, 0, 1, 3),
        "孙丽华": (4, 4, 0, 0, 0, 0),
        "周大伟": (4, 3, 2, 0, 0, 1),
        "吴晓梅": (4, 2, 0, 0, 0, 2),
        "钱多多": (2, 2, 0, 0, 0, 0),
    }
    assert {m["name"] for m in report["members"]} == set(hand)  # 黄立新 is non-voting
    for name, counts in hand.items():
        row = _member(report, name)
        assert tuple(row[k] for k in COUNTS) == counts, name
        assert row["rate"] == round(counts[1] / counts[0], 4), name
    assert [m["name"] for m in report["members"] if m["flagged"]] == ["赵敏"]
    sides = {s["side"]: s for s in report["sides"]}
    assert (sides["cadre"]["expected"], sides["cadre"]["present"]) == (10, 9)
    assert sides["cadre"]["rate"] == 0.9
    assert (sides["social-worker"]["expected"], sides["social-worker"]["present"]) == (12, 7)
    assert sides["social-worker"]["rate"] == 0.5833
    assert (sides["volunteer"]["expected"], sides["volunteer"]["present"]) == (14, 11)
    assert sides["volunteer"]["rate"] == 0.7857
    total = report["total"]
    assert tuple(total[k] for k in COUNTS) == (36, 27, 2, 1, 2, 7)
    assert total["rate"] == 0.75


def test_attendance_period_boundaries_are_inclusive(history) -> None:
    report = _json(history, "report", "attendance", "--from", "2026-12-02", "--to", "2026-12-09")
    assert report["meetings"] == 2
    assert report["period"] == {"from": "2026-12-02", "to": "2026-12-09"}
    assert tuple(_member(report, "王志强")[k] for k in COUNTS) == (1, 0, 0, 0, 0, 1)
    assert tuple(_member(report, "钱多多")[k] for k in COUNTS) == (1, 1, 0, 0, 0, 0)
    assert tuple(_member(report, "赵敏")[k] for k in COUNTS) == (2, 0, 0, 0, 0, 2)
    assert report["flagged"] == []  # two absences, under the default flag of 3
    assert (report["total"]["expected"], report["total"]["present"]) == (18, 12)

    # Before 钱多多 joined: not in the report; after 王志强 left: not in it either.
    early = _json(history, "report", "attendance", "--to", "2026-12-02")
    assert "钱多多" not in {m["name"] for m in early["members"]}
    assert (early["meetings"], early["total"]["expected"]) == (2, 18)
    late = _json(history, "report", "attendance", "--from", "2026-12-03")
    assert "王志强" not in {m["name"] for m in late["members"]}
    assert (late["meetings"], late["total"]["expected"], late["total"]["present"]) == (2, 18, 14)


def test_absence_flag_is_a_setting_and_side_filters(history) -> None:
    history("config", "set", "absence-flag", "2")
    # Up to 12-09: 赵敏 absent on 12-02 and 12-09, 吴晓梅 on 11-25 (late notice) and 12-09.
    report = _json(history, "report", "attendance", "--to", "2026-12-09")
    assert [m["name"] for m in report["members"] if m["flagged"]] == ["赵敏", "吴晓梅"]
    assert report["absence_flag"] == 2
    history("config", "set", "absence-flag", "0")
    report = _json(history, "report", "attendance")
    assert report["flagged"] == []
    only = _json(history, "report", "attendance", "--side", "社工")
    assert [m["name"] for m in only["members"]] == ["陈静", "刘洋", "赵敏"]
    assert [s["side"] for s in only["sides"]] == ["social-worker"]
    assert (only["total"]["expected"], only["total"]["present"]) == (12, 7)


def test_actions_states_and_on_time_share(history) -> None:
    report = _json(history, "report", "actions")
    states = {i["id"]: i["state"] for i in report["items"]}
    assert states == {
        1: "done_on_time",
        2: "done_late",
        3: "overdue",
        4: "done_undated",
        5: "open",
    }
    items = {i["id"]: i for i in report["items"]}
    assert items[2]["days_late"] == 2
    assert items[3]["days_overdue"] == 5
    assert items[3]["latest_note"] == "+已清理一半"
    total = report["total"]
    assert (total["total"], total["judged"], total["undated"]) == (5, 3, 1)
    assert total["on_time_share"] == 0.3333
    owners = {(g["owner"] or {}).get("name"): g for g in report["owners"]}
    assert owners["陈静"]["on_time_share"] == 1.0
    assert owners["孙丽华"]["on_time_share"] == 0.0
    assert owners["周大伟"]["overdue"] == 1
    assert owners["王志强"]["on_time_share"] is None  # done, but had no due date
    assert owners[None]["open"] == 1
    sides = {g["side"]: g for g in report["sides"]}
    assert sides["volunteer"]["judged"] == 2 and sides["volunteer"]["on_time_share"] == 0.0
    assert sides["social-worker"]["on_time_share"] == 1.0
    assert sides[None]["total"] == 1


def test_actions_period_owner_and_the_due_day(history) -> None:
    first = _json(history, "report", "actions", "--to", "2026-11-25")
    assert [i["id"] for i in first["items"]] == [1, 2]
    assert first["total"]["on_time_share"] == 0.5
    second = _json(history, "report", "actions", "--from", "2026-12-02")
    assert [i["id"] for i in second["items"]] == [3, 4, 5]
    assert second["total"]["on_time_share"] == 0.0
    mine = _json(history, "report", "actions", "--owner", "陈静")
    assert [i["id"] for i in mine["items"]] == [1]
    # On its due day an open item is not overdue yet; the day after, it is, by one day.
    on_due = _json(history, "report", "actions", now="2026-12-15T23:00:00+08:00")
    assert {i["id"]: i["state"] for i in on_due["items"]}[3] == "open"
    after = _json(history, "report", "actions", now="2026-12-16T08:00:00+08:00")
    assert {i["id"]: i["days_overdue"] for i in after["items"]}[3] == 1


def test_topics_report(history) -> None:
    report = _json(history, "report", "topics")
    total = report["total"]
    assert total["proposed"] == 6
    assert total["accepted"] == 4
    assert total["rejected"] == 1
    assert (total["decided"], total["passed"], total["failed"]) == (3, 2, 1)
    assert total["deferred"] == 1
    assert total["waiting"] == 2
    assert report["median_days_to_decision"] == 8.0  # 5, 8 and 12 days
    sides = {s["side"]: s for s in report["sides"]}
    assert (sides["social-worker"]["proposed"], sides["social-worker"]["waiting"]) == (3, 2)
    assert (sides["volunteer"]["decided"], sides["volunteer"]["deferred"]) == (2, 1)
    assert sides["cadre"]["rejected"] == 1
    cats = {c["category"]: c for c in report["categories"]}
    assert (cats["culture"]["proposed"], cats["welfare"]["passed"]) == (2, 1)
    waiting = report["waiting_longest"]
    assert [(w["title"], w["days"]) for w in waiting] == [("社区花园认领", 10), ("邻里文化节", 0)]
    assert waiting[0]["carried"] == 1

    december = _json(history, "report", "topics", "--from", "2026-12-01", "--to", "2026-12-31")
    total = december["total"]
    assert (total["proposed"], total["accepted"], total["rejected"]) == (3, 2, 1)
    assert (total["decided"], total["deferred"], total["waiting"]) == (2, 0, 2)
    assert december["median_days_to_decision"] == 10.0  # 12 and 8 days


def test_summary_of_the_year(history) -> None:
    data = _json(history, "report", "summary", "--year", "2026")
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert data["meetings_held"] == 4
    att = data["attendance"]
    assert (att["expected"], att["present"], att["rate"]) == (36, 27, 0.75)
    assert att["average_present"] == 6.75
    assert data["topics"]["decided"] == 3
    assert data["decisions"]["taken"] == 5
    assert data["decisions"]["on_time_share"] == 0.3333
    assert [m["name"] for m in data["flagged_members"]] == ["赵敏"]
    text = history("report", "summary", "--year", "2026", now=REPORT_NOW).stdout
    assert "召开联席会议 4 次" in text
    assert "应到 36 人次，实到 27 人次，出勤率 75.0%" in text
    assert "按时办结率 33.3%" in text
    assert "赵敏" in text
    md = history("report", "summary", "--year", "2026", "-f", "markdown", "--lang", "en").stdout
    assert md.startswith("# ")
    assert "4 joint meetings held." in md
    empty = _json(history, "report", "summary", "--year", "2025")
    assert empty["meetings_held"] == 0 and empty["attendance"]["rate"] is None


def test_csv_opens_in_a_spreadsheet(history, tmp_path: Path) -> None:
    out = tmp_path / "出勤.csv"
    history("report", "attendance", "--format", "csv", "--output", str(out), now=REPORT_NOW)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["行类型", "编号", "姓名", "方面"]
    zhao = next(r for r in rows if r[2] == "赵敏")
    assert zhao[3] == "社工"
    header = rows[0]
    assert zhao[header.index("缺席")] == "3" and zhao[header.index("提醒")] == "1"
    assert rows[-1][0] == "合计" and rows[-1][header.index("应到")] == "36"

    text = history("report", "actions", "-f", "csv", now=REPORT_NOW).stdout
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    texts = [r[3] for r in rows[1:]]
    assert "'=1+1 张贴告示" in texts  # a formula is neutralised, the Chinese kept
    assert "'+已清理一半" in [r[-1] for r in rows[1:]]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    topics = history("report", "topics", "-f", "csv", "--lang", "en", now=REPORT_NOW).stdout
    rows = list(csv.reader(io.StringIO(topics.removeprefix("\ufeff"), newline="")))
    assert rows[0][:3] == ["Row", "Category", "Side"]
    assert rows[-1][0] == "total" and rows[-1][3] == "6"


def test_tables_show_bars_and_plain_names(history) -> None:
    out = history("report", "attendance", now=REPORT_NOW).stdout
    assert "█" in out and "75.0%" in out and "※" in out
    assert "\x1b[" not in out
    en = history("report", "actions", "--lang", "en", now=REPORT_NOW).stdout
    assert "overdue" in en and "33.3%" in en
    topics = history("report", "topics", now=REPORT_NOW).stdout
    assert "社区花园认领" in topics


def test_bad_periods_are_refused(history, unchanged) -> None:
    check = unchanged()
    bad = history("report", "attendance", "--from", "2026-12-09", "--to", "2026-12-01", ok=False)
    assert bad.exit_code == 2 and "晚于" in bad.stderr
    bad = history("report", "summary", "--year", "2026", "--from", "2026-01-01", ok=False)
    assert bad.exit_code == 2
    bad = history("report", "actions", "--from", "2026-13-01", ok=False)
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr
    bad = history("report", "topics", "--format", "xml", ok=False)
    assert bad.exit_code == 2
    for report in ("attendance", "actions", "topics"):
        bad = history("report", report, "--year", "2026", "--to", "2026-06-30", ok=False)
        assert bad.exit_code == 2
    check()


def test_publish_is_for_residents(history, tmp_path: Path) -> None:
    text = history("publish", "2026-12-02", now=REPORT_NOW).stdout
    assert "议定事项公示" in text
    assert "楼道堆物清理" in text and "结果：通过（赞成 6 票" in text
    assert "清理3号楼堆物" in text and "负责人：周大伟；完成时限：2026年12月15日" in text
    assert "负责人：待定" in text  # D5 has no owner: shown as missing, never invented
    for secret in ("13912345678", "13800138000", "吴晓梅", "担心影响通行", "内部讨论",
                   "+已清理一半"):  # fmt: skip
        assert secret not in text, secret
    assert "联系电话***" in text
    md = tmp_path / "公示.md"
    history("publish", "2026-12-02", "-f", "markdown", "-o", str(md), now=REPORT_NOW)
    body = md.read_text(encoding="utf-8")
    assert body.startswith("# ") and "吴晓梅" not in body
    en = history("publish", "2026-11-25", "--lang", "en", now=REPORT_NOW).stdout
    assert "postponed to a later meeting" in en and "家中有事" not in en
    refused = history("publish", "2026-12-23", ok=False)
    assert refused.exit_code == 1 and "尚未结束" in refused.stderr


def test_signin_sheet(history) -> None:
    text = history("signin-sheet", "2026-12-09", now=REPORT_NOW).stdout
    assert "应到 9 人" in text
    assert "王志强" not in text  # left on 12-05
    assert "钱多多" in text  # joined on 12-03
    assert "列席人员" in text and "黄立新" in text
    liu = next(line for line in text.splitlines() if "刘洋" in line)
    assert "已请假" in liu
    lines = text.splitlines()
    sides = [lines.index(h) for h in ("政工（2 人）", "社工（3 人）", "志愿者（4 人）")]
    assert sides == sorted(sides)
    data = _json(history, "signin-sheet", "2026-12-09")
    assert [m["name"] for m in data["sides"][0]["members"]] == ["张建国", "李秀兰"]
    assert data["guest_rows"] == 5
    assert "phone" not in json.dumps(data)
    md = history("signin-sheet", "2026-12-09", "-f", "markdown", "--guests", "2").stdout
    assert "| 序号 | 姓名 | 单位 | 签名 | 备注 |" in md
    missing = history("signin-sheet", "2027-01-06", ok=False)
    assert missing.exit_code == 1
