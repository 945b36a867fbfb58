"""CSV for spreadsheets: the one place every CSV export is written.

- UTF-8 with a byte-order mark: Excel opens a BOM-less UTF-8 file as the local code page
  and garbles Chinese; LibreOffice, pandas and Python's `csv` (encoding="utf-8-sig") read
  the BOM transparently. The same bytes go to a file or to stdout.
- A header row, CRLF line ends (RFC 4180), every field quoted only when needed.
- Formula injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
  return would be run as a formula by a spreadsheet, so it is prefixed with an apostrophe
  (OWASP's advice). Numbers are written as numbers and never touched.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str | int | float:
    """One value as a spreadsheet cell: None empty, booleans 1/0, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    import csv  # here: a report printed as a table or JSON does not load it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return BOM + buffer.getvalue()
