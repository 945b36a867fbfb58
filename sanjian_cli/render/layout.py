"""A paper as a list of blocks: the one model its text, markdown and Word forms all read.

A paper's builder (papers, notice, publish, signin, reports) says what the paper holds: a
title, field lines, headings, paragraphs, points, the 出席/请假/列席 lines, a closing
(落款), a table. Each form only lays the blocks out, so the three say the same words in
the same order: the Word file's text is the text paper's, and the markdown renders as the
text reads. User text is escaped by the builder (`visible` for text and Word, `md` for
markdown), never here.
"""

from collections.abc import Callable
from typing import NamedTuple

from sanjian_cli.render.text import numeral, pad, width

INDENT = "   "

# The blocks are NamedTuples, not frozen dataclasses: as immutable and as typed, and building
# the ten classes costs a sixth as much, paid by every paper (about 4 ms of `minutes`). The
# module keeps its annotations as objects (no `from __future__ import annotations`):
# NamedTuple turns a string annotation into a ForwardRef, compiling it, which doubled the
# cost of the classes (0.7 ms of every paper).


class Title(NamedTuple):
    text: str
    sub: str = ""  # the line under it: （2026年第4次）


class Fields(NamedTuple):
    """Lines of `label：value` (时间、地点、主持人…)."""

    rows: tuple[tuple[str, str], ...]


class Heading(NamedTuple):
    text: str
    level: int = 1  # 1: 一、… (黑体); 2: （一）… (楷体)


class Para(NamedTuple):
    text: str
    indent: int = 1
    gap: bool = False  # a blank line before it in the text paper
    flush: bool = False  # at the margin in Word too (a salutation, a signature line)


class Points(NamedTuple):
    """A list: `marker` "1." numbers 1. 2. …, "一、" numbers 一、二、…, "" leaves it bare."""

    items: tuple[str, ...]
    marker: str = "1."
    indent: int = 1


class Names(NamedTuple):
    """A line naming people after a label (出席：…), continued under its first name."""

    label: str
    text: str
    first: bool = False  # opens the group: a blank line before it


class Closing(NamedTuple):
    """The 落款: the issuing body and the date, at the right."""

    lines: tuple[str, ...]


class Row(NamedTuple):
    cells: tuple[str, ...]
    group: bool = False  # a row naming the group below it, across the whole table
    blank: bool = False  # a row left to be filled in by hand


class Table(NamedTuple):
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    columns: tuple[int, ...]  # widths in text columns (the Word table scales them)
    sign: int | None = None  # the column people sign in: a line to write on, on paper
    fill: tuple[int, ...] = ()  # the columns a blank row gives a line to write on, on paper


Block = Title | Fields | Heading | Para | Points | Names | Closing | Table


class Paper:
    def __init__(self, lang: str, blocks: list[Block] | None = None) -> None:
        self.lang = lang
        self.blocks: list[Block] = [] if blocks is None else blocks

    @property
    def sep(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def marked(paper: Paper, points: Points) -> list[str]:
    """The items of `points` with their numbers, as the text paper and Word print them."""
    if points.marker == "1.":
        return [f"{n}. {item}" for n, item in enumerate(points.items, 1)]
    if points.marker == "一、":
        return [numeral(paper.lang, n) + item for n, item in enumerate(points.items)]
    return list(points.items)


def lines_of(paper: Paper, block: Block) -> list[tuple[int, str]]:
    """The text lines of `block` with their indent level: what every form prints."""
    if isinstance(block, Title):
        return [(0, block.text)] + ([(0, block.sub)] if block.sub else [])
    if isinstance(block, Fields):
        return [(0, f"{label}{paper.sep}{value}") for label, value in block.rows]
    if isinstance(block, Heading):
        return [(block.level - 1, block.text)]
    if isinstance(block, Para):
        return [(block.indent, block.text)]
    if isinstance(block, Points):
        return [(block.indent, line) for line in marked(paper, block)]
    if isinstance(block, Names):
        return [(0, f"{block.label}{paper.sep}{block.text}")]
    if isinstance(block, Closing):
        return [(0, line) for line in block.lines]
    rows = [(0, row.cells[0]) if row.group else (0, "  ".join(row.cells)) for row in block.rows]
    return [(0, "  ".join(block.header)), *rows]


def _gap(block: Block) -> bool:
    if isinstance(block, Heading):
        return block.level == 1
    if isinstance(block, Para):
        return block.gap
    if isinstance(block, Names):
        return block.first
    return isinstance(block, Fields | Closing | Table)


def text(paper: Paper) -> str:
    """The paper as plain text: for the terminal, a group chat, or a monospaced print."""
    out: list[str] = []
    for block in paper.blocks:
        if out and out[-1] != "" and _gap(block):
            out.append("")
        if isinstance(block, Title):
            out += [block.text, "=" * min(60, width(block.text))]
            out += [block.sub] if block.sub else []
            out.append("")
        elif isinstance(block, Table):
            out += _text_table(block)
        else:
            out += [INDENT * level + line for level, line in lines_of(paper, block)]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


_BLANK = "_" * 14


def _text_table(table: Table) -> list[str]:
    def row(cells: tuple[str, ...] | list[str]) -> str:
        return "".join(pad(c, w) for c, w in zip(cells, table.columns, strict=True)).rstrip()

    out = [row(table.header)]
    for entry in table.rows:
        if entry.group:
            out.append(entry.cells[0])
            continue
        cells = list(entry.cells)
        if table.sign is not None:
            cells[table.sign] = _BLANK
        if entry.blank:
            for i in table.fill:
                cells[i] = cells[i] or "_" * (table.columns[i] - 2)
        out.append(row(cells))
    return out


def markdown(paper: Paper) -> str:
    """The paper as CommonMark (the sign-in sheet's table is a GFM pipe table)."""
    chunks: list[tuple[str, str]] = []  # (kind, markdown); a list continues a list of its kind
    for block in paper.blocks:
        for kind, chunk in _md_block(paper, block):
            chunks.append((kind, chunk))
    out = []
    for index, (kind, chunk) in enumerate(chunks):
        if index:
            tight = kind.startswith("list") and chunks[index - 1][0] == kind
            out.append("\n" if tight else "\n\n")
        out.append(chunk)
    return "".join(out) + "\n"


def _md_block(paper: Paper, block: Block) -> list[tuple[str, str]]:
    if isinstance(block, Title):
        return [("title", f"# {block.text}")] + ([("p", block.sub)] if block.sub else [])
    if isinstance(block, Fields):
        return [("list-fields", "\n".join(f"- {line}" for _, line in lines_of(paper, block)))]
    if isinstance(block, Heading):
        return [("heading", "#" * (block.level + 1) + " " + block.text)]
    if isinstance(block, Para):
        return [("p", block.text)]
    if isinstance(block, Points):
        if block.marker == "1." or (block.marker and paper.lang != "zh"):
            return [("ordered", "\n".join(marked(paper, block)))]
        if block.marker:
            return [("p", line) for line in marked(paper, block)]
        return [("list-points", "\n".join(f"- {item}" for item in block.items))]
    if isinstance(block, Names):
        return [("list-names", f"- {block.label}{paper.sep}{block.text}")]
    if isinstance(block, Closing):
        return [("p", line) for line in block.lines]
    return [("table", _md_table(block))]


def _md_table(table: Table) -> str:
    span = len(table.header)
    lines = ["| " + " | ".join(table.header) + " |", "|" + "---|" * span]
    for row in table.rows:
        if row.group:
            lines.append("| | **" + row.cells[0] + "** |" + " |" * (span - 2))
        else:
            lines.append("| " + " | ".join(row.cells) + " |")
    return "\n".join(lines)


Renderer = Callable[[Paper], str]
