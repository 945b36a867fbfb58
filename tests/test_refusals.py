"""Every rule that refuses an operation: exit 1 (refused) or 2 (malformed), one
line on stderr, no traceback, the store file byte for byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from _week import PRESENT_7, refused
from _whole import whole_bytes
from typer.testing import CliRunner

from sanjian_cli.cli.app import app

MEMBERS = [
    ("张建国", "cadre", ["--lead"]),
    ("李秀兰", "cadre", []),
    ("王志强", "cadre", []),
    ("陈静", "social-worker", ["--lead"]),
    ("刘洋", "social-worker", []),
    ("赵敏", "social-worker", []),
    ("孙丽华", "volunteer", ["--lead"]),
    ("周大伟", "volunteer", []),
    ("吴晓梅", "volunteer", []),
    ("黄立新", "cadre", ["--non-voting", "--org", "街道办"]),
    ("郑国庆", "volunteer", []),
    ("王芳", "social-worker", ["--non-voting"]),
    ("王芳", "volunteer", ["--non-voting", "--same-name"]),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A store after a held meeting (2026-11-18, closed) and during the next one (11-25):
    topics 1-3 on its agenda, topic 4 accepted later, topic 1 voted; 赵敏 on leave,
    吴晓梅 absent, 黄立新 (non-voting) present; 郑国庆 retired on 11-20; two members
    named 王芳. Built once, copied into each test's own store."""
    path = tmp_path_factory.mktemp("refusals") / "store.json"
    runner = CliRunner()

    def go(*args: str, now: str = "2026-11-23T09:00+08:00") -> None:
        env = {"SANJIAN_DB": str(path), "SANJIAN_NOW": now, "LANG": "zh_CN.UTF-8"}
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stderr)

    go("init", "幸福里社区三工联席会议", "--lang", "zh", now="2026-11-01T09:00")
    for name, side, extra in MEMBERS:
        go("member", "add", name, "--side", side, "--joined", "2026-01-01", *extra)
    go("member", "retire", "郑国庆", "--date", "2026-11-20", "--reason", "搬离社区")
    go("meeting", "plan", "2026-11-18", now="2026-11-10T09:00")
    go("meeting", "close", "2026-11-18", "--end", "20:30", now="2026-11-18T20:30")
    go("meeting", "plan", "2026-11-25", "--recorder", "李秀兰")
    for title in ("助餐点扩容", "楼道堆物清理", "加装电梯"):
        go("topic", "add", title, "--by", "刘洋", now="2026-11-20T10:00")
    for topic in ("1", "2", "3"):
        for lead in ("张建国", "陈静", "孙丽华"):
            go("topic", "approve", topic, "--by", lead)
    go("agenda", "build", "2026-11-25")
    go("topic", "add", "社区花园", "--by", "周大伟", now="2026-11-23T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        go("topic", "approve", "4", "--by", lead)
    go("leave", "赵敏", "2026-11-25", "--reason", "看病", now="2026-11-24T10:00")
    go("attend", "2026-11-25", *PRESENT_7, "黄立新", now="2026-11-25T19:00")
    go("vote", "2026-11-25", "1", "--yes", "6", "--no", "1", now="2026-11-25T19:30")
    return whole_bytes(path)


@pytest.fixture
def held(template: bytes, db: Path, run):  # noqa: ANN001, ANN201
    db.write_bytes(template)
    return run


D = "2026-11-25"
CLOSED = "2026-11-18"

REFUSED = [
    # unknown or ambiguous member
    pytest.param(("member", "show", "99"), "找不到成员", id="member-unknown-id"),
    pytest.param(("member", "show", "无名氏"), "找不到成员", id="member-unknown-name"),
    pytest.param(("attend", D, "无名氏"), "找不到成员", id="attend-unknown"),
    pytest.param(("leave", "无名氏", D, "--reason", "x"), "找不到成员", id="leave-unknown"),
    pytest.param(("vote", D, "2", "--yes-by", "张建国,无名氏"), "无名氏", id="voter-unknown"),
    pytest.param(("member", "show", "王芳"), "#12 王芳", id="member-ambiguous"),
    pytest.param(("attend", D, "王芳"), "#13 王芳", id="attend-ambiguous"),
    pytest.param(("dissent", D, "2", "王芳", "x"), "指向多名成员", id="dissent-ambiguous"),
    pytest.param(("topic", "add", "x", "--by", "王芳"), "指向多名成员", id="proposer-ambiguous"),
    # unknown topic or meeting
    pytest.param(("topic", "show", "99"), "找不到议题", id="topic-unknown"),
    pytest.param(("vote", D, "99", "--yes", "6"), "找不到议题", id="vote-topic-unknown"),
    pytest.param(("note", D, "99", "x"), "找不到议题", id="note-topic-unknown"),
    pytest.param(("topic", "approve", "99", "--by", "张建国"), "99", id="approve-unknown"),
    pytest.param(("meeting", "show", "2026-12-30"), "2026-12-30 没有会议", id="meeting-unknown"),
    pytest.param(("vote", "2026-12-30", "2", "--yes", "6"), "没有会议", id="vote-meeting-unknown"),
    pytest.param(("attend", "2026-12-30", "张建国"), "没有会议", id="attend-meeting-unknown"),
    pytest.param(("leave", "张建国", "2026-12-30", "--reason", "x"), "没有会议", id="leave-nomeet"),
    pytest.param(("minutes", "2026-12-30"), "没有会议", id="minutes-meeting-unknown"),
    pytest.param(("agenda", "build", "2026-12-30"), "没有会议", id="agenda-meeting-unknown"),
    # the vote
    pytest.param(
        ("vote", D, "4", "--yes", "6"), "不在 2026-11-25 会议的议程上", id="not-on-agenda"
    ),
    pytest.param(
        ("vote", D, "2", "--yes", "5", "--no", "3"), "票数 8 超过实到人数 7", id="too-many"
    ),
    pytest.param(("vote", D, "2", "--yes-by", "张建国,吴晓梅"), "吴晓梅 未出席", id="voter-absent"),
    pytest.param(("vote", D, "2", "--no-by", "赵敏"), "赵敏 已请假", id="voter-on-leave"),
    pytest.param(("vote", D, "2", "--abstain-by", "黄立新"), "黄立新 是列席人员", id="non-voting"),
    pytest.param(("vote", D, "2", "--yes-by", "郑国庆"), "郑国庆 未出席", id="voter-retired"),
    pytest.param(("vote", D, "1", "--yes", "7"), "议题 #1 已表决过", id="second-vote"),
    pytest.param(("vote", D, "1", "--defer"), "议题 #1 已表决过", id="second-vote-defer"),
    # a retired member
    pytest.param(("attend", D, "郑国庆"), "郑国庆 已于 2026-11-20 离任", id="attend-retired"),
    pytest.param(
        ("leave", "郑国庆", D, "--reason", "x"), "已于 2026-11-20 离任", id="leave-retired"
    ),
    # any change to a closed meeting
    pytest.param(("leave", "张建国", CLOSED, "--reason", "x"), "已结束", id="closed-leave"),
    pytest.param(("attend", CLOSED, "张建国"), "已结束", id="closed-attend"),
    pytest.param(("guest", CLOSED, "钱阿姨"), "已结束", id="closed-guest"),
    pytest.param(("vote", CLOSED, "2", "--yes", "6"), "已结束", id="closed-vote"),
    pytest.param(("note", CLOSED, "2", "x"), "已结束", id="closed-note"),
    pytest.param(("dissent", CLOSED, "2", "刘洋", "x"), "已结束", id="closed-dissent"),
    pytest.param(("decide", CLOSED, "2", "x"), "已结束", id="closed-decide"),
    pytest.param(("agenda", "build", CLOSED), "已结束", id="closed-agenda"),
    pytest.param(("meeting", "plan", CLOSED, "--place", "x"), "已结束", id="closed-plan"),
    pytest.param(("meeting", "close", CLOSED), "已结束", id="closed-close"),
    # others worth a line and an unchanged store
    pytest.param(("init", "另一个会"), "不会覆盖", id="init-exists"),
    pytest.param(
        ("topic", "approve", "2", "--by", "张建国"), "不能这样操作", id="approve-scheduled"
    ),
    pytest.param(("decide", D, "4", "x"), "不在", id="decide-not-on-agenda"),
]


@pytest.mark.parametrize(("args", "says"), REFUSED)
def test_refused_with_one_line_and_the_store_unchanged(held, unchanged, args, says) -> None:  # noqa: ANN001
    line = refused(held, unchanged, *args, now="2026-11-25T19:40")
    assert says in line


MALFORMED = [
    pytest.param(("meeting", "show", "2026-1-5"), "YYYY-MM-DD", id="date-short"),
    pytest.param(("meeting", "show", "2026-02-30"), "YYYY-MM-DD", id="date-impossible"),
    pytest.param(("meeting", "plan", "25/11/2026"), "YYYY-MM-DD", id="plan-date"),
    pytest.param(("leave", "张建国", "11-25", "--reason", "x"), "YYYY-MM-DD", id="leave-date"),
    pytest.param(("attend", "明天", "张建国"), "YYYY-MM-DD", id="attend-date"),
    pytest.param(("vote", "2026/11/25", "2", "--yes", "6"), "YYYY-MM-DD", id="vote-date"),
    pytest.param(("decide", D, "2", "x", "--due", "12/31"), "YYYY-MM-DD", id="due-date"),
    pytest.param(
        ("member", "add", "x", "--side", "cadre", "--joined", "昨天"), "YYYY-MM-DD", id="joined"
    ),
    pytest.param(
        ("member", "retire", "刘洋", "--date", "2026-13-01"), "YYYY-MM-DD", id="retire-date"
    ),
    pytest.param(("minutes", "2026-11-25x"), "YYYY-MM-DD", id="minutes-date"),
    pytest.param(("meeting", "close", D, "--end", "8pm"), "HH:MM", id="end-time"),
    pytest.param(("meeting", "close", D, "--end", "24:00"), "HH:MM", id="end-hour"),
    pytest.param(("meeting", "plan", "2026-12-02", "--time", "19:60"), "HH:MM", id="plan-time"),
    pytest.param(("config", "set", "time", "7点"), "HH:MM", id="config-time"),
    pytest.param(("member", "add", "x", "--side", "居民"), "政工、社工、志愿者", id="side"),
    pytest.param(("vote", D, "2", "--yes", "4", "--method", "鼓掌"), "唱名表决", id="method"),
    pytest.param(("topic", "show", "abc"), "应为数字", id="topic-ref"),
    pytest.param(("member", "list", "--format", "xml"), "表格、JSON", id="format"),
    pytest.param(("minutes", D, "--lang", "fr"), "中文、英文", id="lang"),
    pytest.param(("--lang", "fr", "member", "list"), "中文、英文", id="global-lang"),
    pytest.param(("vote", D, "2", "--yes", "abc"), "sanjian vote --help", id="not-an-int"),
    pytest.param(("config", "set", "pass-basis", "half"), "实到人数", id="setting"),
    pytest.param(("vote", D, "2", "--yes-by", "张建国", "--no-by", "张建国"), "两次", id="twice"),
    pytest.param(("vote", D, "2", "--yes", "3", "--yes-by", "张建国"), "不一致", id="disagree"),
]


@pytest.mark.parametrize(("args", "says"), MALFORMED)
def test_malformed_input_exits_2_and_says_what_is_expected(held, unchanged, args, says) -> None:  # noqa: ANN001
    line = refused(held, unchanged, *args, code=2, now="2026-11-25T19:40")
    assert says in line


def test_a_malformed_clock_is_refused(held, unchanged) -> None:  # noqa: ANN001
    line = refused(held, unchanged, "member", "list", code=2, now="next tuesday")
    assert "ISO 8601" in line


def test_refusals_speak_the_committee_language(held, unchanged) -> None:  # noqa: ANN001
    held("config", "set", "lang", "en")
    assert "malformed date: 2026-1-5 (expected YYYY-MM-DD" in refused(
        held, unchanged, "meeting", "show", "2026-1-5", code=2
    )
    assert "is closed" in refused(held, unchanged, "attend", CLOSED, "张建国")
    line = refused(held, unchanged, "--lang", "zh", "attend", CLOSED, "张建国")
    assert "已结束" in line


def test_ambiguous_name_lists_every_candidate(held, unchanged) -> None:  # noqa: ANN001
    line = refused(held, unchanged, "member", "show", "王芳")
    assert "#12 王芳（社工）" in line and "#13 王芳（志愿者）" in line
    # an id always works
    assert "王芳" in held("member", "show", "13").stdout


def test_without_a_committee_every_command_says_run_init(run, unchanged, db) -> None:  # noqa: ANN001
    for args in (("member", "list"), ("topic", "list"), ("meeting", "plan"), ("action", "list")):
        assert "sanjian init" in refused(run, unchanged, *args)
    assert not db.exists()
