"""A list table that fits is laid out from the widths of its cells, counted once: it must be
drawn exactly as rich draws the same table when it measures every cell itself, and rich must
not measure the cells again."""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from sanjian_cli.render import tables
from sanjian_cli.render.safe import visible

# Latin, CJK and full-width punctuation, a combining accent, an emoji, spaces (leading,
# trailing, doubled, no-break), characters of ambiguous width, and controls (escaped).
CHARS = st.sampled_from(list("ab Z9-:.张建国、。（）·—…ｱ") + ["\u0301", "😀", "\u00a0", "\t", "\n"])
# One divergence is rich's, and ours is the faithful one: when rich wraps a cell holding a
# combining accent with no letter under it and a no-break space, it drops the no-break
# space, which a table that fits prints as typed. Each of the two is tested on its own.
CELL = st.text(CHARS, max_size=24).filter(lambda cell: not ("\u0301" in cell and "\u00a0" in cell))
HEAD = st.text(CHARS.filter(str.isprintable), min_size=1, max_size=6)  # our own words


def rich_itself(columns: list[str], rows: list[list[str]], width: int, colour: bool = False) -> str:
    """The same table as rich draws it when it measures every cell, a row each (the
    reference); with `colour`, as a terminal gets it."""
    console = Console(file=io.StringIO(), width=width, markup=False, emoji=False,
                      highlight=False, soft_wrap=False, force_terminal=colour or None,
                      color_system="truecolor" if colour else None)  # fmt: skip
    grid = Table(show_lines=False)
    for column in columns:
        grid.add_column(Text(column), overflow="fold")
    for row in rows:
        grid.add_row(*(Text(visible(cell)) for cell in row))
    console.print(grid)
    return console.file.getvalue()  # type: ignore[attr-defined]


def ours(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()  # not a terminal: 1000 columns unless COLUMNS says otherwise
    with contextlib.redirect_stdout(out):
        tables.table(None, columns, rows)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    columns=st.lists(HEAD, min_size=1, max_size=6),
    data=st.data(),
)
def test_a_table_that_fits_is_drawn_as_rich_draws_it(columns, data) -> None:
    rows = data.draw(st.lists(st.lists(CELL, min_size=len(columns), max_size=len(columns)),
                              max_size=8))  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("COLUMNS", raising=False)
        assert ours(columns, rows) == rich_itself(columns, rows, 1000)


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["", "", ""]],
        [["12", "张建国", "幸福里社区志愿服务总队第三分队"]],
        [["1", "e\u0301 😀", " 两端有空格 "], ["2", "a\u00a0b", "·—…"]],
    ],
)
def test_the_natural_width_is_what_rich_measures(rows) -> None:
    columns = ["编号", "姓名", "单位"]
    grid = Table()
    for column in columns:
        grid.add_column(Text(column))
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))
    console = Console(file=io.StringIO(), width=1000)
    measured = Measurement.get(console, console.options.update(width=10**6), grid).maximum
    assert tables.natural_width(tables.natural_widths(columns, rows)) == measured


def test_a_table_one_column_too_wide_for_the_terminal_is_fitted(monkeypatch) -> None:
    columns, rows = ["编号", "单位"], [["1", "幸" * 30]]
    width = tables.natural_width(tables.natural_widths(columns, rows))  # 2+4, 60+2, 3 rules
    assert width == 71
    monkeypatch.setenv("COLUMNS", "71")
    assert ours(columns, rows) == rich_itself(columns, rows, 71)
    monkeypatch.setenv("COLUMNS", "70")
    fitted = ours(columns, rows)
    assert "┃" not in fitted and max(len(line) for line in fitted.splitlines()) <= 70


@pytest.fixture
def measured(monkeypatch) -> list[str]:
    """The texts rich measures from now on (not a terminal, so 1000 columns)."""
    texts: list[str] = []
    real = Text.__rich_measure__

    def counting(self: Text, console: Console, options: object) -> Measurement:
        texts.append(self.plain)
        return real(self, console, options)  # type: ignore[arg-type]

    monkeypatch.setattr(Text, "__rich_measure__", counting)
    monkeypatch.delenv("COLUMNS", raising=False)
    return texts


def test_rich_does_not_measure_the_cells_of_a_table_that_fits(measured) -> None:
    rows = [[str(n), f"成员{n}", "幸福里"] for n in range(30)]
    out = ours(["编号", "姓名", "单位"], rows)
    assert "成员29" in out
    assert measured == []


def test_a_long_table_is_drawn_a_row_each_as_rich_draws_it_in_colour(monkeypatch) -> None:
    """Its cells of one line are drawn a column at a time (`tables.add_rows`): the same
    characters and the same colour codes as a row each."""
    columns = ["编号", "姓名", "单位", "离任"]
    rows = [[str(n), f"成员{n}" * (n % 3), "幸福里 " * (n % 4), ""] for n in range(60)]
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    drawn = ours(columns, rows)
    assert "\x1b[" in drawn  # coloured, as a terminal is
    assert drawn == rich_itself(columns, rows, 1000, colour=True)


def test_a_table_of_one_line_cells_renders_a_cell_a_column(monkeypatch) -> None:
    """Rich renders each cell at a cost a line in it does not pay: a table whose cells are
    all one line is drawn as one cell a column; cells of several lines (a show's value
    folded to the terminal) a row each, as they are as tall as their tallest cell."""
    rendered: list[str] = []
    real = Text.__rich_console__

    def counting(self: Text, console: Console, options: object):  # type: ignore[no-untyped-def]
        rendered.append(self.plain)
        return real(self, console, options)  # type: ignore[arg-type]

    monkeypatch.setattr(Text, "__rich_console__", counting)
    monkeypatch.delenv("COLUMNS", raising=False)
    rows = [[str(n), f"成员{n}", "幸福里"] for n in range(30)]
    ours(["编号", "姓名", "单位"], rows)
    assert len(rendered) == 3 + 3  # the heads, and a cell a column
    rendered.clear()
    grid = Table()
    for column in ("编号", "姓名", "单位"):
        grid.add_column(column)
    tables.add_rows(grid, [*rows, ["31", "两行\n的名字", "幸福里"]])
    Console(file=io.StringIO(), width=1000).print(grid)
    assert len(rendered) == 3 + 3 * 31  # the heads, and a cell a row and column
    assert rendered[-2] == "两行\n的名字"


def rich_pairs(rows: list[tuple[str, str]], width: int) -> str:
    """A key/value view as rich draws it when it measures every cell (the reference)."""
    console = Console(file=io.StringIO(), width=width, markup=False, emoji=False,
                      highlight=False, soft_wrap=False)  # fmt: skip
    grid = Table(show_header=False)
    grid.add_column(overflow="fold", style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(Text(key), Text(visible(value)))
    console.print(grid)
    return console.file.getvalue()  # type: ignore[attr-defined]


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(HEAD, CELL), min_size=1, max_size=8))
def test_a_show_that_fits_is_drawn_as_rich_draws_it(rows) -> None:
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.delenv("COLUMNS", raising=False)
        tables.pairs(None, rows)
    assert out.getvalue() == rich_pairs(rows, 1000)


def test_rich_does_not_measure_the_cells_of_a_show_that_fits(measured) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tables.pairs(None, [("姓名", "张建国"), ("单位", "幸福里社区志愿服务总队第三分队")])
    assert "幸福里社区志愿服务总队第三分队" in out.getvalue()
    assert measured == []
