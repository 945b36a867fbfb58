"""Rich tables for `list` and `show` commands. Cell text is always plain Text, never markup.

What goes in them is built per noun (`render.members`, `render.topics`, `render.meetings`,
`render.actions`, `render.committee`): a `Table` (column heads and rows) for a list, `Pairs`
(label and value) for a show; this module only lays them out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from sanjian_cli.render.safe import visible

Table = tuple[list[str], list[list[str]]]
Pairs = list[tuple[str, str]]


def _console() -> Any:
    import os
    import sys

    from rich.console import Console

    # Piped or captured output (cron, grep, a file) has no width: rich would fold cells
    # at 80 columns and split names across lines. Give it room, unless COLUMNS says otherwise.
    width = None
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
        width = 1000
    return Console(markup=False, emoji=False, highlight=False, soft_wrap=False, width=width)


# A cell that must never be broken across lines: a date, a time, a moment as `when` shows it.
# Compiled (by re, once) when a table is too wide for the terminal, not on every import.
_MOMENT = (
    r"^(\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|(\d{4}年)?\d{1,2}月\d{1,2}日( \d{2}:\d{2})?"
    r"|\d{1,2} [A-Z][a-z]{2}( \d{4})?( \d{2}:\d{2})?|\d{2}:\d{2})$"
)
# Columns wider than this are free text (a title, a note, an organisation) and may fold.
TEXT_WIDTH = 14
# Rows drawn at a time in a table that fits (see `table`).
RUN = 400


def _cols(text: str) -> int:
    from sanjian_cli.render.text import width

    return width(text)


def free_columns(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[int, ...]:
    """The columns of free text: wider than TEXT_WIDTH and not dates or times. The others
    (ids, names, dates, statuses, figures) are kept whole."""
    free = []
    for index in range(len(columns)):
        cells = [visible(row[index]) for row in rows if index < len(row)]
        widest = max((_cols(line) for c in cells for line in c.splitlines() or [""]), default=0)
        if widest > TEXT_WIDTH and not all(re.match(_MOMENT, c) for c in cells if c):
            free.append(index)
    return tuple(free)


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fold: tuple[int, ...] | None = None,
) -> None:
    """A list as a table. When it is wider than the terminal, the table is drawn compact and
    only the columns of free text (`fold`, else `free_columns`) wrap, so no name, date or
    time is ever broken across lines; when it fits, and whenever the output is not a
    terminal, every cell is shown whole as it is."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    cells = [[visible(cell) for cell in row] for row in rows]
    widths = natural_widths(columns, cells)
    if natural_width(widths) > console.width:
        shapes = _shapes(columns, cells, free_columns(columns, cells) if fold is None else fold)
        if len(cells) <= RUN:
            console.print(_fitted(title, columns, cells, shapes))
            return
        # The shapes leave rich nothing to measure that a run could change: a column that
        # does not fold is as wide as its widest cell of all (its `min_width`), those
        # that fold share what is left by their ratios, whatever they hold. So each run is
        # laid out alone, with no measuring of the whole table (`in_runs`: 8 MB more).
        for start in range(0, len(cells), RUN):
            first = not start
            run = cells[start : start + RUN]
            console.print(_fitted(title if first else None, columns, run, shapes, first))
        return

    # It fits: each column is as wide as its widest cell, given here so that rich lays the
    # table out without measuring every cell again, and no cell is wrapped (none needs it).
    def grid(rows: Sequence[Sequence[str]], head: bool) -> Any:
        drawn = Table(
            title=Text(visible(title)) if title and head else None,
            show_lines=False,
            show_header=head,
        )
        for column, room in zip(columns, widths, strict=True):
            drawn.add_column(Text(column), width=room, no_wrap=True)
        add_rows(drawn, rows)
        return drawn

    if len(cells) <= RUN:
        # Every line is within the console's width: nothing to crop.
        console.print(grid(cells, True), crop=False)
        return
    # Thousands of rows (every decision item of ten years): rich lays a table out whole
    # before it prints a line (3,940 rows: 70 MB). Drawn a run of rows at a time, with the
    # same widths, each run's rule between it and the next left out: the same lines.
    for start in range(0, len(cells), RUN):
        with console.capture() as captured:
            console.print(grid(cells[start : start + RUN], start == 0), crop=False)
        lines = captured.get().split("\n")[:-1]  # the text ends with a newline
        if start:
            lines = lines[1:]  # the rule above the rows
        if start + RUN < len(cells):
            lines = lines[:-1]  # the rule below them
        console.file.write("".join(line + "\n" for line in lines))


def add_rows(drawn: Any, rows: Sequence[Sequence[str]]) -> None:
    """Add `rows` (a cell of plain text for each column) to the rich table `drawn`, whose
    columns are laid out from given widths, never wrapped. When every cell is one line, each
    column gets one cell of all its lines: rich draws a row of cells of n lines as the same
    lines as n rows of one line (no rule between rows), and renders a cell whole at a cost
    (padding, wrapping, cropping: ~50 µs) that a line in it does not pay: a member list
    is drawn in half the time. A cell of several lines makes its row taller: then a row each."""
    from rich.text import Text

    count = len(drawn.columns)
    if rows and all(len(row) == count and not any("\n" in c for c in row) for row in rows):
        drawn.add_row(*(Text("\n".join(row[i] for row in rows)) for i in range(count)))
        return
    for row in rows:
        drawn.add_row(*(Text(cell) for cell in row))


def natural_widths(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    """The width of each column drawn whole: its widest line of a cell or of its head, as
    rich counts the columns of a text (`rich.cells.cell_len`, CJK two) when it measures one."""
    from rich.cells import cell_len

    def widest(text: str) -> int:
        return max((cell_len(line) for line in text.splitlines()), default=0)

    widths = [widest(column) for column in columns]
    for row in cells:
        for index, cell in enumerate(row[: len(widths)]):
            size = widest(cell)
            if size > widths[index]:
                widths[index] = size
    return widths


def natural_width(widths: Sequence[int]) -> int:
    """The width of the default table (a rule on each edge and between columns, a space on
    each side of a cell) whose columns are `widths` wide: what rich measures it to be."""
    return sum(widths) + 3 * len(widths) + 1


def _shapes(
    columns: Sequence[str], cells: Sequence[Sequence[str]], fold: tuple[int, ...]
) -> list[dict[str, Any]]:
    """How each column of a table drawn to fit is laid out (`rich.table.Table.add_column`'s
    arguments): the columns of free text folding, every other column as wide as its widest
    cell and its head."""

    def widest(index: int) -> int:
        found = [
            _cols(line) for row in cells if index < len(row) for line in row[index].split("\n")
        ]
        return max([_cols(columns[index]), *found])

    # The widest text folds over as many lines as it needs; any other text is cut to one
    # line (…), so a long note does not take the room of the title.
    main = max(fold, key=widest) if fold else None
    shapes: list[dict[str, Any]] = []
    for index in range(len(columns)):
        if index == main:
            shapes.append({"overflow": "fold", "ratio": 2, "min_width": 10})
        elif index in fold:
            room = min(widest(index), 8)
            shapes.append({"no_wrap": True, "overflow": "ellipsis", "ratio": 1, "min_width": room})
        else:
            shapes.append({"no_wrap": True, "min_width": widest(index)})
    return shapes


def _fitted(
    title: str | None,
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    shapes: list[dict[str, Any]],
    header: bool = True,
) -> Any:
    """The table drawn to fit: no vertical rules, one space between columns, each column
    shaped as `_shapes` says."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    grid = Table(
        title=Text(visible(title)) if title else None,
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
        pad_edge=False,
        expand=True,  # the free text takes what the other columns leave
        show_header=header,
    )
    for column, shape in zip(columns, shapes, strict=True):
        grid.add_column(Text(column), **shape)
    for row in cells:
        grid.add_row(*(Text(cell) for cell in row))
    return grid


def in_runs(console: Any, make: Callable[[Sequence[Sequence[str]], bool], Any], cells: Any) -> None:
    """Print the rich table `make(rows, first)` makes of `cells`, `RUN` rows at a time:
    rich lays a table out whole before it prints a line (every decision item of ten
    years in `report actions`: 58 MB). For a table whose widths come from its content,
    each run is given the widths rich works out for the whole table
    (`Table._calculate_column_widths`, asked once with the room rich gives it), and a run
    after the first is made without its title and head (`first`); the tables drawn so
    have no rule below their rows: the same lines as the table drawn whole (tests hold
    them so)."""
    whole = make(cells, True)
    options = console.options
    widths = whole._calculate_column_widths(
        console, options.update_width(options.max_width - whole._extra_width)
    )
    del whole  # its cells, measured: each run makes its own

    def given(_console: Any, _options: Any) -> list[int]:
        return list(widths)

    for start in range(0, len(cells), RUN):
        run = make(cells[start : start + RUN], not start)
        run._calculate_column_widths = given
        console.print(run)


def pairs(title: str | None, rows: Sequence[tuple[str, Any]]) -> None:
    """A two-column key/value view for `show` commands: the labels never wrap; a long
    value folds on a narrow terminal."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    labels = max((_cols(key) for key, _ in rows), default=0)
    room = console.width - labels - 7  # the rules and the padding of two columns
    cells = []
    for key, value in rows:
        shown = visible(value)
        if room > 10 and any(_cols(line) > room for line in shown.split("\n")):
            from sanjian_cli.render.text import wrap

            shown = "\n".join(wrap(shown, room))
        cells.append([key, shown])
    widths = natural_widths(["", ""], cells)
    # (rich draws columns without a cell as wide as the console: leave that case to it)
    fits = bool(cells) and natural_width(widths) <= console.width
    grid = Table(title=Text(visible(title)) if title else None, show_header=False)
    if fits:  # as in `table`: laid out from the widths, nothing to wrap or crop
        grid.add_column(style="bold", width=widths[0], no_wrap=True)
        grid.add_column(width=widths[1], no_wrap=True)
    else:
        grid.add_column(overflow="fold", style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
    if fits:
        add_rows(grid, cells)
    else:
        for key, shown in cells:
            grid.add_row(Text(key), Text(shown))
    console.print(grid, crop=not fits)
