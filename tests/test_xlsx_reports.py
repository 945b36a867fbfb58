"""`report attendance|actions|topics --format xlsx`, opened with openpyxl: the types of the
cells, their number formats, the column widths, the frozen header, the same bytes twice.

The history is the one of test_reports_history (its docstring has the hand counts); and no
common command ever loads the spreadsheet libraries.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from _week import refused
from _whole import whole_bytes
from test_reports_history import REPORT_NOW, _build


@pytest.fixture(scope="module")
def _history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx-history") / "store.json"
    _build(path)
    return path


@pytest.fixture
def history(_history: Path, db: Path, run):  # noqa: ANN001, ANN201
    db.write_bytes(whole_bytes(_history))
    return run


def _book(run, tmp_path: Path, report: str, *extra: str):  # noqa: ANN001, ANN202
    from openpyxl import load_workbook

    out = tmp_path / f"{report}.xlsx"
    result = run("report", report, "--format", "xlsx", "--output", str(out), *extra, now=REPORT_NOW)
    assert result.stdout == "" and str(out) in result.stderr
    return load_workbook(out), out


def _rows(sheet) -> list[list]:  # noqa: ANN001
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_attendance_numbers_rates_and_layout(history, tmp_path) -> None:
    book, _out = _book(history, tmp_path, "attendance")
    assert book.sheetnames == ["按成员", "按方面", "列席"]
    assert _rows(book["列席"]) == [
        ["编号", "姓名", "方面", "单位", "在册期间会议", "列席次数", "迟到", "线上"],
        [10, "黄立新", "政工", "街道办", 4, 1, 0, 0],
    ]
    sheet = book["按成员"]
    assert _rows(sheet)[0] == ["编号", "姓名", "方面", "应到", "实到", "迟到", "线上", "请假",
                               "缺席", "出勤率", "提醒"]  # fmt: skip
    zhao = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "赵敏")
    assert [c.value for c in zhao] == [6, "赵敏", "社工", 4, 0, 0, 0, 1, 3, 0.0, "是"]
    assert zhao[0].data_type == "n" and zhao[3].data_type == "n"
    liu = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "刘洋")
    assert liu[9].value == 0.75 and liu[9].number_format == "0.0%"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{sheet.max_row}"  # a filter on every column
    assert all(c.font.bold for c in sheet[1])
    # Widths fit the widest cell, a Chinese character counting two, plus a margin.
    assert sheet.column_dimensions["B"].width == _width("钱多多") + 2
    assert sheet.column_dimensions["J"].width == len("100.0%") + 2
    sides = book["按方面"]
    rows = _rows(sides)
    assert rows[-1] == ["合计", 10, 36, 27, 2, 1, 2, 7, 0.75]
    assert rows[2][0] == "社工" and rows[2][-1] == 0.5833
    assert sides["I4"].number_format == "0.0%" and sides.freeze_panes == "A2"


def test_actions_dates_are_dates_and_text_is_never_a_formula(history, tmp_path) -> None:
    book, _out = _book(history, tmp_path, "actions")
    assert book.sheetnames == ["议定事项", "按责任人", "按方面"]
    sheet = book["议定事项"]
    head = _rows(sheet)[0]
    assert head[:4] == ["编号", "会议", "议题", "内容"]
    first = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert first[1].value == datetime(2026, 11, 25) and first[1].number_format == "yyyy-mm-dd"
    assert first[6].value == datetime(2026, 12, 10) and first[6].is_date
    assert first[8].value == datetime(2026, 12, 10)  # done at: the day, not the time
    late = list(sheet.iter_rows(min_row=3, max_row=3))[0]
    assert late[head.index("超期天数")].value == 2
    formula = next(r for r in sheet.iter_rows(min_row=2) if str(r[3].value).startswith("="))
    assert formula[3].value == "=1+1 张贴告示" and formula[3].data_type == "s"
    assert formula[4].value == "待定"  # no owner: shown as missing, never invented
    text_width = max(_width(str(r[3].value)) for r in sheet.iter_rows(min_row=2))
    assert sheet.column_dimensions["D"].width == min(text_width + 2, 60)
    owners = book["按责任人"]
    chen = next(r for r in owners.iter_rows(min_row=2) if r[0].value == "陈静")
    assert chen[-1].value == 1.0 and chen[-1].number_format == "0.0%"
    sides = _rows(book["按方面"])
    assert sides[-1][0] == "合计" and sides[-1][1] == 5 and sides[-1][-1] == 0.3333


def test_topics_sheets_and_english_headers(history, tmp_path) -> None:
    book, _out = _book(history, tmp_path, "topics", "--lang", "en")
    assert book.sheetnames == ["By category", "By side", "Topics waiting longest"]
    rows = _rows(book["By category"])
    assert rows[0][:3] == ["Category", "Proposed", "Accepted"]
    assert rows[-1][0] == "total" and rows[-1][1] == 6
    waiting = book["Topics waiting longest"]
    first = list(waiting.iter_rows(min_row=2, max_row=2))[0]
    assert isinstance(first[0].value, int) and first[4].is_date
    assert waiting.freeze_panes == "A2"


def test_the_same_record_gives_the_same_bytes(history, tmp_path) -> None:
    _book_a, first = _book(history, tmp_path, "attendance")
    raw = first.read_bytes()
    first.unlink()
    _book_b, second = _book(history, tmp_path, "attendance")
    assert second.read_bytes() == raw
    assert _book_b.properties.created == datetime(2026, 12, 20, 1, 0)  # SANJIAN_NOW in UTC
    assert _book_b.properties.modified == datetime(2026, 12, 20, 1, 0)


def test_xlsx_needs_an_output_file(history, unchanged) -> None:
    line = refused(history, unchanged, "report", "attendance", "--format", "xlsx", code=2)
    assert "--output" in line


@pytest.mark.slow
def test_common_commands_never_load_the_spreadsheet_libraries(history, db) -> None:
    probe = (
        "import sys\n"
        "from sanjian_cli.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        "result = CliRunner().invoke(app, sys.argv[1:])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('openpyxl', 'python_calamine', 'xlwt')))\n"
    )
    env = {"SANJIAN_DB": str(db), "SANJIAN_NOW": REPORT_NOW, "LANG": "zh_CN.UTF-8",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    for args in (["member", "list"], ["report", "attendance", "--format", "json"]):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]", (args, done.stdout)
    # ...and the commands that need them do load them (so the probe can see them).
    done = subprocess.run(
        [sys.executable, "-c", probe, "report", "attendance", "-f", "xlsx", "-o", str(db) + ".x"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "'openpyxl'" in done.stdout.strip().splitlines()[-1], done.stdout + done.stderr


def test_a_worksheet_copied_in_pieces_gives_the_bytes_of_one_written_whole(tmp_path) -> None:
    """openpyxl adds each worksheet from a temporary file: copied into the workbook in
    pieces (a decade of decision items is megabytes of XML), its entry is the one the whole
    file's bytes give, time, attributes and deflated bytes alike."""
    import io
    import random
    import zipfile

    from sanjian_cli.render.sheets import _FixedTimeZip

    rng = random.Random(3)
    rows = "".join(f'<row r="{n}"><c t="s"><v>{rng.random()}议题{n % 97}</v></c></row>'
                   for n in range(60_000))  # fmt: skip
    sheet = tmp_path / "sheet1.xml"
    sheet.write_text(f"<sheetData>{rows}</sheetData>", "utf-8")
    assert sheet.stat().st_size > 1_000_000  # more than a few pieces

    def workbook(whole: bool) -> bytes:
        buffer = io.BytesIO()
        with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as book:
            book.stamp = (2026, 11, 30, 10, 0, 0)
            if whole:
                book.writestr("xl/worksheets/sheet1.xml", sheet.read_bytes())
            else:
                book.write(sheet, "xl/worksheets/sheet1.xml")
        return buffer.getvalue()

    assert workbook(whole=False) == workbook(whole=True)
