"""Spreadsheets in and out: rows read from .xlsx, .xls, .ods and .csv; workbooks written as .xlsx.

Reading: python-calamine reads every workbook format an office keeps (xlsx, xlsm, xlsb, the
old binary .xls of Excel 97-2003, and LibreOffice's .ods); openpyxl reads only xlsx. CSV is
decoded as Excel writes it: UTF-8 with or without a byte-order mark, UTF-16 ("Unicode text"),
or, without a BOM and not valid UTF-8, GB18030 (the code page of Excel on Chinese Windows).
Each row comes with its number as the spreadsheet shows it (1 = the first row), so a problem
can be named by the row the user sees.

Writing: openpyxl (python-calamine only reads). Numbers stay numbers, rates are fractions
shown as percentages, dates are real dates, text is always stored as text (a cell starting
with `=` is never a formula), the header row is frozen and columns are as wide as their
widest cell, a CJK character counting two. The same record and `SANJIAN_NOW` give the same
bytes: the workbook's created/modified times and every zip entry's time come from `now`.

Both libraries are imported inside these functions only: no common command loads them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from sanjian_cli.errors import BadInput
from sanjian_cli.messages import t, word

WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TEXT_TABLES = (".csv", ".txt", ".tsv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot hold these; openpyxl refuses them. They are written as escapes instead.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Table(NamedTuple):
    """One sheet (or a CSV file): its name (None for CSV) and its non-blank rows as
    (row number as the spreadsheet shows it, cells); an empty cell is None."""

    name: str | None
    rows: list[tuple[int, list[Any]]]


# -- reading ----------------------------------------------------------------------------------
def read_tables(path: Path) -> list[Table]:
    """Every sheet of the workbook at `path` (or the one table of a CSV file), in order."""
    path = path.expanduser()
    suffix = path.suffix.lower()
    if suffix not in WORKBOOKS + TEXT_TABLES:
        raise BadInput("sheet_type", path=str(path), suffix=suffix or "?")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput("sheet_missing", path=str(path)) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BadInput("sheet_unreadable", path=str(path), reason=reason) from None
    if suffix in TEXT_TABLES:
        return [Table(None, _csv_rows(decode_text(raw, path)))]
    return _workbook_tables(raw, path)


def decode_text(raw: bytes, path: Path) -> str:
    """A CSV file's text: BOM first (UTF-8, UTF-16), then UTF-8, then GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise BadInput("sheet_encoding", path=str(path)) from None


def _csv_rows(text: str) -> list[tuple[int, list[Any]]]:
    first = text.split("\n", 1)[0]
    # Excel's "Unicode text" is tab-separated; its CSV is comma-separated.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        values = [_csv_cell(c) for c in cells]
        if any(v is not None for v in values):
            rows.append((number, values))
    return rows


def _csv_cell(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    # Undo csvout's guard against formulas: "'=x" was written for the text "=x".
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def _workbook_tables(raw: bytes, path: Path) -> list[Table]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        tables = []
        for name in book.sheet_names:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = []
            for number, cells in enumerate(grid, 1):
                values = [_book_cell(c) for c in cells]
                if any(v is not None for v in values):
                    rows.append((number, values))
            tables.append(Table(name, rows))
        return tables
    except Exception as exc:  # calamine's errors (zip, xml, cfb, password) share no base
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInput("sheet_unreadable", path=str(path), reason=reason) from None


def _book_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# -- writing ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column: its header and the kind of its values: text, int, percent (a fraction shown
    as 0.0%) or date (an ISO date or timestamp, written as a date)."""

    head: str
    kind: str = "text"


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)


NUMBER_FORMATS = {"int": "0", "percent": "0.0%", "date": "yyyy-mm-dd"}
MAX_WIDTH = 60


def display_width(text: str) -> int:
    """Columns `text` takes in a spreadsheet's default font: a CJK (wide) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "date":
        return value.isoformat()
    return str(value)


def _value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if kind in ("int", "percent"):
        return value
    return _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one time, so the same workbook gives the same bytes."""

    stamp: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        # A name or an entry of openpyxl's own alike: no entry keeps the clock's time.
        name = zinfo_or_arcname if isinstance(zinfo_or_arcname, str) else zinfo_or_arcname.filename
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        super().writestr(info, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet to a temporary file and adds that file: its entry
        # would carry the file's time, so its bytes go in as an entry of the fixed time.
        # Copied in pieces, not read whole: the sheet of every decision item of ten years
        # is 3 MB of XML (the deflated bytes are the same however the input is cut).
        import shutil

        info = zipfile.ZipInfo(str(arcname or filename), date_time=self.stamp)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        info.file_size = Path(filename).stat().st_size  # for the zip64 choice, as writestr
        with open(filename, "rb") as handle, self.open(info, "w") as entry:
            shutil.copyfileobj(handle, entry, 256 * 1024)


def xlsx_bytes(sheets: Sequence[Sheet], now: datetime, title: str | None = None) -> bytes:
    """The workbook of `sheets` as .xlsx bytes, stamped with `now` (created and modified)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    # Written row by row (openpyxl's write-only mode): a workbook of every decision item
    # of ten years held as cells was 60 MB. The columns' widths come from a first pass.
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = book.create_sheet(_sheet_title(spec.title, book.sheetnames))
        widths = [display_width(c.head) for c in spec.columns]
        for row in spec.rows:
            for col, (column, raw) in enumerate(zip(spec.columns, row, strict=True)):
                value = _value(raw, column.kind)
                if value is not None:
                    widths[col] = max(widths[col], display_width(_shown(value, column.kind)))
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(col)].width = min(width + 2, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        if spec.rows:
            last = get_column_letter(len(spec.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(spec.rows) + 1}"
        head = []
        for column in spec.columns:
            cell = WriteOnlyCell(sheet, value=_value(column.head, "text"))
            cell.data_type = "s"
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in spec.rows:
            cells: list[Any] = []
            for column, raw in zip(spec.columns, row, strict=True):
                value = _value(raw, column.kind)
                if value is None:
                    cells.append(None)
                    continue
                cell = WriteOnlyCell(sheet, value=value)
                if column.kind == "text":
                    cell.data_type = "s"  # never a formula, whatever it starts with
                else:
                    cell.number_format = NUMBER_FORMATS[column.kind]
                cells.append(cell)
            sheet.append(cells)
    if not sheets:
        book.create_sheet("Sheet1")
    stamp = now.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "sanjian"
    if title:
        book.properties.title = title
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)
    local = now.replace(tzinfo=None)
    archive.stamp = (max(local.year, 1980), local.month, local.day,
                     local.hour, local.minute, local.second)  # fmt: skip
    ExcelWriter(book, archive).save()
    return buffer.getvalue()


def _sheet_title(title: str, taken: list[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    name = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


# -- the roster -------------------------------------------------------------------------------
ROSTER = ("name", "side", "lead", "voting", "org", "phone", "joined")


def roster_header(lang: str) -> list[str]:
    """The roster's column headers in `lang`: the ones `member import` reads."""
    return [t(lang, f"roster.{f}") for f in ROSTER]


def roster_rows(members: Sequence[dict[str, Any]], lang: str) -> list[list[Any]]:
    yes, no = t(lang, "yes"), t(lang, "no")
    rows = []
    for m in members:
        rows.append(
            [
                m["name"],
                word(lang, "side", m["side"]) if lang == "zh" else m["side"],
                yes if m.get("lead") else no,
                yes if m.get("voting", True) else no,
                m.get("org") or None,
                m.get("phone") or None,
                m.get("joined") or None,
            ]
        )
    return rows


def roster_csv(members: Sequence[dict[str, Any]], lang: str) -> str:
    from sanjian_cli.render.csvout import csv_text

    return csv_text(roster_header(lang), roster_rows(members, lang))


def roster_xlsx(members: Sequence[dict[str, Any]], lang: str, now: datetime) -> bytes:
    kinds = ("text", "text", "text", "text", "text", "text", "date")
    columns = [Column(h, k) for h, k in zip(roster_header(lang), kinds, strict=True)]
    sheet = Sheet(t(lang, "sheet.roster"), columns, roster_rows(members, lang))
    return xlsx_bytes([sheet], now, title=t(lang, "sheet.roster"))


# -- the plan of an import --------------------------------------------------------------------
def _reason(lang: str, error: Any) -> str:
    return t(lang, error.key, **error.params)


def _field_value(lang: str, key: str, value: Any) -> str:
    if value is None or value == "":
        return t(lang, "dash")
    if isinstance(value, bool):
        return t(lang, "yes" if value else "no")
    if key == "side":
        return word(lang, "side", value)
    return str(value)


def plan_json(plan: Any, lang: str) -> dict[str, Any]:
    """The plan of `member import` as JSON: what each row adds, updates or why it is refused."""
    rows = []
    for o in plan.outcomes:
        rows.append(
            {
                "row": o.row,
                "name": o.name or None,
                "action": o.action,
                "id": o.member_id,
                "member": o.member,
                "changes": {k: {"from": a, "to": b} for k, (a, b) in o.changes.items()} or None,
                "reason": _reason(lang, o.error) if o.error is not None else None,
            }
        )
    return {
        "file": plan.source,
        "sheet": plan.sheet,
        "header_row": plan.header_row,
        "columns": dict(plan.heads),
        "ignored": list(plan.ignored),
        "applied": plan.applied,
        "counts": {a: plan.count(a) for a in ("add", "update", "same", "refused")},
        "rows": rows,
    }


def _detail(lang: str, outcome: Any) -> str:
    if outcome.error is not None:
        return _reason(lang, outcome.error)
    sep = "；" if lang == "zh" else "; "
    if outcome.action == "update":
        return sep.join(
            f"{t(lang, 'roster.' + k)} {_field_value(lang, k, a)} → {_field_value(lang, k, b)}"
            for k, (a, b) in outcome.changes.items()
        )
    if outcome.action == "add":
        member = outcome.member or {}
        parts = [word(lang, "side", member.get("side"))]
        if member.get("lead"):
            parts.append(t(lang, "roster.lead"))
        if not member.get("voting", True):
            parts.append(t(lang, "import.non_voting"))
        if member.get("org"):
            parts.append(str(member["org"]))
        return sep.join(parts)
    return ""


def plan_lines(plan: Any, lang: str) -> list[str]:
    """The plan's heading: the file, the sheet and header row, the columns not used."""
    lines = [t(lang, "import.plan_title", file=plan.source)]
    if plan.sheet:
        lines.append(t(lang, "import.plan_sheet", sheet=plan.sheet, row=plan.header_row))
    else:
        lines.append(t(lang, "import.plan_header", row=plan.header_row))
    if plan.ignored:
        sep = "、" if lang == "zh" else ", "
        lines.append(t(lang, "import.plan_ignored", columns=sep.join(plan.ignored)))
    return lines


def plan_table(plan: Any, lang: str) -> None:
    """The plan as a table on stdout, after its heading, ending with the counts."""
    from sanjian_cli.render import tables
    from sanjian_cli.render.output import emit
    from sanjian_cli.render.safe import visible

    emit("".join(visible(line) + "\n" for line in plan_lines(plan, lang)))
    rows = [
        [
            str(o.row),
            t(lang, f"import.action.{o.action}"),
            o.name or t(lang, "dash"),
            f"#{o.member_id}" if o.member_id is not None else "",
            _detail(lang, o),
        ]
        for o in plan.outcomes
    ]
    heads = ["import.col_row", "import.col_action", "col.name", "col.id", "import.col_detail"]
    tables.table(None, [t(lang, k) for k in heads], rows)
    emit(plan_counts(plan, lang) + "\n")


def plan_counts(plan: Any, lang: str) -> str:
    return t(lang, "import.counts", add=plan.count("add"), update=plan.count("update"),
             same=plan.count("same"), refused=plan.count("refused"))  # fmt: skip


def refusal_lines(plan: Any, lang: str) -> list[str]:
    """One line per refused row: its number as the spreadsheet shows it, the name, why."""
    lines = []
    for o in plan.outcomes:
        if o.error is None:
            continue
        key = "import.row" if o.name else "import.row_noname"
        lines.append(t(lang, key, row=o.row, name=o.name, reason=_reason(lang, o.error)))
    return lines


# -- reports ----------------------------------------------------------------------------------
_ATT = ("expected", "present", "late", "online", "leave", "absent")
_GROUP = ("total", "open", "overdue", "done_on_time", "done_late", "done_undated", "undated")
_GROUP_HEADS = ("col.total", "state.open", "state.overdue", "state.done_on_time",
                "state.done_late", "state.done_undated", "col.undated")  # fmt: skip
_TOP = ("proposed", "accepted", "rejected", "withdrawn", "decided", "passed", "failed",
        "referred", "deferred", "waiting")  # fmt: skip


def _cols(lang: str, *spec: tuple[str, str]) -> list[Column]:
    return [Column(t(lang, key), kind) for key, kind in spec]


def _side(lang: str, side: str | None) -> str:
    return word(lang, "side", side) if side else t(lang, "missing")


def _title(lang: str, key: str, committee: str, period: dict[str, Any]) -> str:
    from sanjian_cli.render.reports import period_text

    return t(lang, key, committee=committee, period=period_text(period, lang))


def attendance_xlsx(data: dict[str, Any], lang: str, committee: str, now: datetime) -> bytes:
    """Two sheets: per member, then per side with the total; a third for the non-voting
    members (列席) when any attended or were on the roster."""
    counts = [(f"col.{k}", "int") for k in _ATT]
    members = Sheet(
        t(lang, "sheet.members"),
        _cols(
            lang,
            ("col.id", "int"),
            ("col.name", "text"),
            ("col.side", "text"),
            *counts,
            ("col.rate", "percent"),
            ("col.flag", "text"),
        ),
        [
            [
                m["id"],
                m["name"],
                _side(lang, m["side"]),
                *(m[k] for k in _ATT),
                m["rate"],
                t(lang, "yes") if m["flagged"] else None,
            ]
            for m in data["members"]
        ],
    )
    total = data["total"]
    sides = Sheet(
        t(lang, "report.by_side"),
        _cols(lang, ("col.side", "text"), ("col.members", "int"), *counts, ("col.rate", "percent")),
        [
            *(
                [_side(lang, s["side"]), s["members"], *(s[k] for k in _ATT), s["rate"]]
                for s in data["sides"]
            ),
            [t(lang, "row.total"), total["members"], *(total[k] for k in _ATT), total["rate"]],
        ],
    )
    sheets = [members, sides]
    if data.get("non_voting"):
        sheets.append(
            Sheet(
                t(lang, "row.non_voting"),
                _cols(
                    lang,
                    ("col.id", "int"),
                    ("col.name", "text"),
                    ("col.side", "text"),
                    ("col.org", "text"),
                    ("col.meetings_on_roster", "int"),
                    ("col.attended", "int"),
                    ("col.late", "int"),
                    ("col.online", "int"),
                ),
                [
                    [
                        m["id"],
                        m["name"],
                        _side(lang, m["side"]),
                        m["org"],
                        m["meetings"],
                        m["present"],
                        m["late"],
                        m["online"],
                    ]
                    for m in data["non_voting"]
                ],  # fmt: skip
            )
        )
    title = _title(lang, "report.attendance_title", committee, data["period"])
    return xlsx_bytes(sheets, now, title=title)


def _group(group: dict[str, Any]) -> list[Any]:
    return [*(group[k] for k in _GROUP), group["on_time_share"]]


def actions_xlsx(data: dict[str, Any], lang: str, committee: str, now: datetime) -> bytes:
    """Three sheets: the decision items, then the counts per owner and per side."""
    items = Sheet(
        t(lang, "sheet.items"),
        _cols(
            lang,
            ("col.id", "int"),
            ("col.meeting", "date"),
            ("col.topic", "int"),
            ("col.text", "text"),
            ("col.owner", "text"),
            ("col.side", "text"),
            ("col.due", "date"),
            ("col.status", "text"),
            ("col.done_at", "date"),
            ("col.state", "text"),
            ("col.overdue", "int"),
            ("col.days_late", "int"),
            ("col.note", "text"),
        ),
        [
            [
                i["id"],
                i["meeting"],
                i["topic"],
                i["text"],
                i["owner"]["name"] if i["owner"] else t(lang, "missing"),
                _side(lang, i["owner"]["side"]) if i["owner"] else None,
                i["due"],
                word(lang, "status", i["status"]),
                i["done_at"],
                t(lang, f"state.{i['state']}"),
                i["days_overdue"],
                i["days_late"],
                i["latest_note"],
            ]
            for i in data["items"]
        ],
    )
    heads = [*((k, "int") for k in _GROUP_HEADS), ("col.on_time_share", "percent")]
    owners = Sheet(
        t(lang, "report.by_owner"),
        _cols(lang, ("col.owner", "text"), *heads),
        [
            [g["owner"]["name"] if g["owner"] else t(lang, "missing"), *_group(g)]
            for g in data["owners"]
        ],
    )
    sides = Sheet(
        t(lang, "report.by_side"),
        _cols(lang, ("col.side", "text"), *heads),
        [
            *([_side(lang, g["side"]), *_group(g)] for g in data["sides"]),
            [t(lang, "row.total"), *_group(data["total"])],
        ],
    )
    title = _title(lang, "report.actions_title", committee, data["period"])
    return xlsx_bytes([items, owners, sides], now, title=title)


def topics_xlsx(data: dict[str, Any], lang: str, committee: str, now: datetime) -> bytes:
    """Three sheets: by category (with the total), by proposing side, waiting longest."""
    counts = [(f"col.{k}", "int") for k in _TOP]
    categories = Sheet(
        t(lang, "report.by_category"),
        _cols(lang, ("col.category", "text"), *counts),
        [
            *(
                [word(lang, "category", g["category"]), *(g[k] for k in _TOP)]
                for g in data["categories"]
            ),
            [t(lang, "row.total"), *(data["total"][k] for k in _TOP)],
        ],
    )
    sides = Sheet(
        t(lang, "report.by_side"),
        _cols(lang, ("col.side", "text"), *counts),
        [[_side(lang, g["side"]), *(g[k] for k in _TOP)] for g in data["sides"]],
    )
    waiting = Sheet(
        t(lang, "report.waiting_longest"),
        _cols(
            lang,
            ("col.id", "int"),
            ("col.title", "text"),
            ("col.category", "text"),
            ("col.status", "text"),
            ("col.proposed_at", "date"),
            ("col.days_waiting", "int"),
            ("col.carried", "int"),
        ),
        [
            [
                w["id"],
                w["title"],
                word(lang, "category", w["category"]),
                word(lang, "status", w["status"]),
                w["proposed"],
                w["days"],
                w["carried"],
            ]
            for w in data["waiting_longest"]
        ],
    )
    title = _title(lang, "report.topics_title", committee, data["period"])
    return xlsx_bytes([categories, sides, waiting], now, title=title)
