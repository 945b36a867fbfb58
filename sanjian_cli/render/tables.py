"""Rich tables for `list` and `show` commands. Cell text is always plain Text, never markup.

What goes in them is built per noun (`render.members`, `render.topics`, `render.meetings`,
`render.actions`, `render.committee`): a `Table` (column heads and rows) for a list, `Pairs`
(label and value) for a show; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(visible(title)) if title else None, show_lines=False)
    for column in columns:
        grid.add_column(Text(column), overflow="fold")
    for row in rows:
        grid.add_row(*(Text(visible(cell)) for cell in row))
    _console().print(grid)


def pairs(title: str | None, rows: Sequence[tuple[str, Any]]) -> None:
    """A two-column key/value view for `show` commands."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=Text(visible(title)) if title else None, show_header=False)
    grid.add_column(overflow="fold", style="bold")
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(Text(key), Text(visible(value)))
    _console().print(grid)
