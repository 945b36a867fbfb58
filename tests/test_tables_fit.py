"""Tables that fit the terminal: at 80 columns no date, time or name is broken across lines
(long free text wraps or is shortened), times show as the committee's local time in the
reader's language, and output that is not a terminal keeps every value whole."""

from __future__ import annotations

import json
import unicodedata

import pytest

from sanjian_cli.render.text import moment, wrap

D = "2026-11-25"
LONG = "关于幸福路沿线老旧小区加装电梯的协调方案以及后续资金筹措和施工安排的建议"


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.fixture
def busy(committee):
    """The committee with long titles, a long name and decision items with long texts."""
    committee("member", "add", "欧阳建国平", "--side", "志愿者", "--joined", "2025-01-01",
              "--org", "幸福里社区志愿服务总队第三分队")  # fmt: skip
    for n in range(3):
        committee("topic", "add", f"{LONG}{n}", "--by", "欧阳建国平", "--category", "项目",
                  now=f"2026-11-2{n}T10:0{n}")  # fmt: skip
    committee("topic", "add", "楼道灯", "--by", "欧阳建国平", now="2025-12-30T08:00")
    return committee


def test_a_list_wider_than_80_columns_breaks_no_name_date_or_time(busy, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = busy("topic", "list").stdout
    lines = text.splitlines()
    assert all(columns(line) <= 80 for line in lines), text
    # names and moments are whole on one line; the titles fold instead
    assert sum("欧阳建国平" in line for line in lines) == 4
    for moment_shown in (
        "11月20日 10:00",
        "11月21日 10:01",
        "11月22日 10:02",
        "2025年12月30日 08:00",
    ):
        assert any(moment_shown in line for line in lines), moment_shown
    assert "项目监督评估" in text and not any(LONG in line for line in lines)
    # the heads are whole too
    assert "提出时间" in lines[0] and "提出人" in lines[0]


def test_output_that_is_not_a_terminal_keeps_every_value_whole(busy, monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    text = busy("topic", "list").stdout
    assert sum(f"{LONG}{n}" in text for n in range(3)) == 3
    assert "幸福里社区志愿服务总队第三分队" in busy("member", "list").stdout


def test_a_list_that_fits_is_drawn_as_before(committee, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    narrow = committee("member", "list").stdout
    monkeypatch.delenv("COLUMNS")
    assert narrow == committee("member", "list").stdout


def test_a_show_breaks_a_list_of_names_only_between_names(committee, monkeypatch) -> None:
    for n in range(12):
        committee("member", "add", f"司马光{n}号", "--side", "志愿者", "--joined", "2026-01-01")
    names = [f"司马光{n}号" for n in range(12)]
    committee("attend", D, *names, now="2026-11-25T19:00")
    monkeypatch.setenv("COLUMNS", "80")
    text = committee("meeting", "show", D).stdout
    assert all(columns(line) <= 80 for line in text.splitlines()), text
    for name in names:
        assert name in text, name
    assert "11月25日 19:00" in text  # the start, in the committee's local time


def test_an_action_list_at_80_columns(committee, monkeypatch) -> None:
    committee("topic", "add", "楼道灯", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        committee("topic", "approve", "1", "--by", lead)
    committee("agenda", "build", D, now="2026-11-24T10:00")
    everyone = [
        m["name"] for m in json.loads(committee("member", "list", "--format", "json").stdout)
    ]
    committee("attend", D, *everyone, now="2026-11-25T19:00")
    committee("vote", D, "1", "--yes", "8", now="2026-11-25T19:30")
    committee("decide", D, "1", LONG, "--owner", "刘洋", "--due", "2026-12-31",
              now="2026-11-25T20:00")  # fmt: skip
    committee("action", "update", "1", "--note", LONG, now="2026-11-26T10:00")
    monkeypatch.setenv("COLUMNS", "80")
    text = committee("action", "list").stdout
    lines = text.splitlines()
    assert all(columns(line) <= 80 for line in lines), text
    assert any("2026-12-31" in line and "刘洋" in line and D in line for line in lines)
    assert "…" in text  # the note is shortened, the decision folds


@pytest.mark.parametrize(
    ("lang", "stamp", "shown"),
    [
        ("zh", "2026-12-09T19:00:00+08:00", "12月9日 19:00"),
        ("en", "2026-12-09T19:00:00+08:00", "9 Dec 19:00"),
        ("zh", "2025-01-05T08:30:00+08:00", "2025年1月5日 08:30"),
        ("en", "2025-01-05T08:30:00+08:00", "5 Jan 2025 08:30"),
        ("zh", "", ""),
        ("zh", "not a time", "not a time"),
    ],
)
def test_moments_in_the_readers_language(lang, stamp, shown) -> None:
    assert moment(lang, stamp) == shown


def test_wrap_keeps_runs_and_names_whole() -> None:
    assert wrap("张建国、陈静、孙丽华、周大伟", 14) == ["张建国、陈静、", "孙丽华、周大伟"]
    assert wrap("会议定于 2026-12-09 19:00 召开", 12) == ["会议定于", "2026-12-09", "19:00 召开"]
    # closing punctuation does not start a line
    assert wrap("一二三四五。六", 10) == ["一二三四", "五。六"]


def _drawn(monkeypatch, draw, run: int, terminal: bool, width: str | None) -> str:
    """What `draw()` prints with `tables.RUN` set to `run`: to a terminal (styles on the
    lines) or not, `width` columns wide (COLUMNS) or as wide as the output says."""
    import io

    from sanjian_cli.render import tables

    monkeypatch.setattr(tables, "RUN", run)
    out = io.StringIO()
    if terminal:
        out.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setenv("FORCE_COLOR", "1")
    if width is not None:
        monkeypatch.setenv("COLUMNS", width)
    monkeypatch.setattr("sys.stdout", out)
    draw()
    return out.getvalue()


@pytest.mark.parametrize("title", [None, "本周事项"])
@pytest.mark.parametrize("terminal", [False, True])
def test_a_long_list_is_drawn_in_runs_of_rows_the_same_lines(
    title, terminal, monkeypatch, capsys
) -> None:
    """A table of thousands of rows is laid out a run at a time (rich would hold the whole
    table's layout at once): the lines are those of the table drawn whole."""
    from sanjian_cli.render import tables

    rows = [[str(n), f"成员{n % 7}" * (1 + n % 3), "第一行\n第二行" if n % 5 == 0 else "—",
             D] for n in range(23)]  # fmt: skip
    heads = ["编号", "姓名", "说明", "日期"]

    def drawn(run: int) -> str:
        return _drawn(monkeypatch, lambda: tables.table(title, heads, rows), run, terminal,
                      "120" if terminal else None)  # fmt: skip

    whole = drawn(1000)
    assert whole.count("\n") > 23 and ("\x1b[" in whole) == terminal
    for run in (1, 2, 5, 22, 23):
        assert drawn(run) == whole, run


@pytest.mark.parametrize("title", [None, "决议事项"])
@pytest.mark.parametrize("terminal", [False, True])
def test_a_long_list_too_wide_for_the_terminal_is_drawn_in_runs_the_same_lines(
    title, terminal, monkeypatch
) -> None:
    """The same at 80 columns, where the table is drawn to fit (free text folding, each
    run laid out alone with the columns' shapes of the whole): every decision item of ten
    years at a terminal was 80 MB and 4 s, laid out at once."""
    from sanjian_cli.render import tables

    rows = [[str(n), f"成员{n % 7}", f"{LONG[: 5 + n % 30]}", "已联系 物业" if n % 4 else "—",
             D, "已办结" if n % 3 else "未办结"] for n in range(41)]  # fmt: skip
    heads = ["编号", "责任人", "内容", "最新进展", "时限", "状态"]

    def drawn(run: int) -> str:
        return _drawn(monkeypatch, lambda: tables.table(title, heads, rows), run, terminal, "80")

    whole = drawn(1000)
    assert terminal or all(columns(line) <= 80 for line in whole.splitlines()), whole
    assert whole.count("\n") > 60 and ("\x1b[" in whole) == terminal
    assert tables.natural_width(tables.natural_widths(heads, rows)) > 80  # drawn to fit
    for run in (1, 2, 7, 40, 41):
        assert drawn(run) == whole, run


@pytest.mark.parametrize("width", ["80", "200"])
@pytest.mark.parametrize("terminal", [False, True])
def test_a_long_report_table_is_drawn_in_runs_the_same_lines(width, terminal, monkeypatch) -> None:
    """The reports' compact tables (`report actions`: every decision item of the period)
    take their columns' widths from their content: each run of rows is given the widths
    of the whole table, and prints the lines the whole table prints."""
    from sanjian_cli.render import reports

    rows = [[str(n), f"{LONG[: 3 + n % 37]}", f"成员{n % 7}", D if n % 3 else "未定",
             "已办结" if n % 2 else "逾期未办", str(n % 11 or ""), "已联系物业" * (n % 4)]
            for n in range(41)]  # fmt: skip
    heads = ["编号", "内容", "责任人", "时限", "状态", "逾期天数", "最新进展"]

    def draw() -> None:
        reports._table("按责任人", heads, rows, fold=(1, 4, 5, 6))

    def drawn(run: int) -> str:
        return _drawn(monkeypatch, draw, run, terminal, width)

    whole = drawn(1000)
    assert whole.count("\n") > 41 and ("\x1b[" in whole) == terminal
    for run in (1, 2, 7, 40, 41):
        assert drawn(run) == whole, run
