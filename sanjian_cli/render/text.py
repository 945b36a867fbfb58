"""Layout helpers shared by the printed papers: display width, padding, dates, numerals and
the escaping of user text in markdown.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sanjian_cli.messages import t
from sanjian_cli.render.safe import visible


def width(text: str) -> int:
    """Columns `text` takes on a terminal or in a monospaced print (CJK count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def day_words(lang: str, iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def md(text: str) -> str:
    """User text inside a markdown table or line: no cell breaks, no markup."""
    out = visible(text).replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def numeral(lang: str, index: int) -> str:
    numerals = t(lang, "paper.numerals").split(",")
    number = numerals[index] if index < len(numerals) else str(index + 1)
    return f"{number}、" if lang == "zh" else f"{number}. "
