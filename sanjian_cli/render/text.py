"""Layout helpers shared by the printed papers: display width, padding, dates and times in
the paper's language, numerals, and the one escaping of user text in markdown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from sanjian_cli.messages import t
from sanjian_cli.render.safe import visible

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def width(text: str) -> int:
    """Columns `text` takes on a terminal or in a monospaced print (CJK count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _day(lang: str, d: date) -> str:
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def day_words(lang: str, iso: str) -> str:
    """A date as a paper prints it: 2026年3月5日 (no leading zeros), or 5 March 2026."""
    return _day(lang, date.fromisoformat(iso[:10]))


def instant_words(lang: str, iso: str | None) -> str:
    """A stored instant as a paper prints it: its local date and the time to the minute."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return visible(iso)
    sep = " " if lang == "zh" else ", "
    return f"{_day(lang, moment.date())}{sep}{moment:%H:%M}"


def when(lang: str, start: str, end: str | None = None, duration: int | None = None) -> str:
    """When a meeting is held: 2026年11月25日（星期三）19:00—20:30, or
    Wednesday 25 November 2026, 19:00—20:30."""
    begin = datetime.fromisoformat(start)
    weekday = t(lang, f"weekday.{begin.weekday()}")
    if lang == "zh":
        text = f"{_day(lang, begin.date())}（{weekday}）{begin:%H:%M}"
    else:
        text = f"{weekday} {_day(lang, begin.date())}, {begin:%H:%M}"
    if end:
        text += f"—{datetime.fromisoformat(end):%H:%M}"
    elif duration:
        text += f"—{begin + timedelta(minutes=duration):%H:%M}"
    return text


def meeting_number(lang: str, number: dict[str, int] | None) -> str:
    """The meeting's number in its year: 2026年第4次, or meeting 4 of 2026."""
    if not number:
        return ""
    return t(lang, "paper.number", year=number["year"], n=number["n"])


def body_name(lang: str, committee: str) -> str:
    """The committee as the subject of a paper's title: 幸福里社区三工联席会议 + 纪要, and a
    committee not named …会议 gets the word, so a title never reads 会议会议纪要."""
    if lang != "zh" or committee.endswith("会议"):
        return committee
    return committee + "会议"


_MD_PUNCT = set("\\`*_[]<>#|&~")
_MD_LIST = r"^(\d{1,9})([.)])"  # patterns are compiled by re on first use, not on import


def md(text: object) -> str:
    """User text inside a markdown paper: shown as typed, never markup, whatever it holds.

    Every character CommonMark (or a table) could read as syntax is backslash-escaped, and
    so is what could open a block at the start of a line (a list, a quote, a heading, a
    rule, an indented code block). Control characters are escapes first (`visible`).
    """
    out = "".join("\\" + c if c in _MD_PUNCT else c for c in visible(text))
    out = re.sub(_MD_LIST, r"\1\\\2", out)
    if out[:1] in ("-", "+", "="):
        out = "\\" + out
    elif out[:1] == " ":
        out = "&#32;" + out[1:]
    return out


def numeral(lang: str, index: int) -> str:
    numerals = t(lang, "paper.numerals").split(",")
    number = numerals[index] if index < len(numerals) else str(index + 1)
    return f"{number}、" if lang == "zh" else f"{number}. "


def sub_numeral(lang: str, index: int) -> str:
    """The numbering of a second-level heading: （一）, or (a)."""
    if lang == "zh":
        numerals = t(lang, "paper.numerals").split(",")
        return f"（{numerals[index] if index < len(numerals) else index + 1}）"
    return f"({chr(ord('a') + index % 26)}) "


_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
        day = f"{at.day} {_SHORT_MONTHS[at.month - 1]}" + ("" if this_year else f" {at.year}")
    return f"{day} {at:%H:%M}"


# Line breaking for a terminal: a run of ASCII (a date, a time, a number, a word) stays
# whole, a Chinese character may end a line, but closing punctuation never starts one; in a
# list of names (张建国、陈静、...) a line breaks only after a 、, so no name is split.
_TOKEN = r"(?s)\s+|[!-~]+|."
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
            tokens = re.findall(_TOKEN, paragraph)
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
