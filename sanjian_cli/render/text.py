"""Layout helpers shared by the printed papers: display width, padding, dates, numerals and
the escaping of user text in markdown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

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


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moment(lang: str, stamp: str | None) -> str:
    """A stored instant (ISO 8601 with the committee's offset) as a table shows it: the
    committee's local date and time to the minute in the reader's language, the year only
    when it is not this year: 12月9日 19:00, 2025年12月9日 19:00; 9 Dec 19:00. Anything
    that is not such an instant is shown as it is."""
    if not stamp:
        return ""
    try:
        at = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    from sanjian_cli.domain import clock

    try:
        this_year = clock.now(at.tzinfo or clock.zone("Asia/Shanghai")).year == at.year
    except Exception:  # a malformed SANJIAN_NOW is refused elsewhere; show the year
        this_year = False
    if lang == "zh":
        day = f"{at.month}月{at.day}日" if this_year else f"{at.year}年{at.month}月{at.day}日"
    else:
        day = f"{at.day} {_MONTHS[at.month - 1]}" + ("" if this_year else f" {at.year}")
    return f"{day} {at:%H:%M}"


# Line breaking for a terminal: a run of ASCII (a date, a time, a number, a word) stays
# whole, a Chinese character may end a line, but closing punctuation never starts one; in a
# list of names (张建国、陈静、...) a line breaks only after a 、, so no name is split.
_TOKEN = re.compile(r"\s+|[!-~]+|.", re.S)
_NO_START = set("，。、；：）」』！？…%》")


def wrap(text: str, columns: int) -> list[str]:
    """`text` as lines of at most `columns` display columns (a token wider than that gets a
    line of its own); existing line breaks are kept."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        parts = paragraph.split("、")
        if len(parts) > 1 and all(0 < width(p) <= 10 for p in parts):
            tokens = [p + "、" for p in parts[:-1]] + [parts[-1]]
        else:
            tokens = _TOKEN.findall(paragraph)
        line: list[str] = []
        used = 0
        for token in tokens:
            size = width(token)
            if token.isspace() and not line:
                continue
            if used + size > columns and line:
                carry: list[str] = []
                while (carry or [token])[0] in _NO_START and len(line) > 1 and len(carry) < 2:
                    carry.insert(0, line.pop())
                out.append("".join(line).rstrip())
                line, used = carry, sum(width(c) for c in carry)
                if token.isspace():
                    continue
            line.append(token)
            used += size
        out.append("".join(line).rstrip())
    return out
