"""Phone and ID numbers never appear in minutes or public papers (DOMAIN.md).

Members' phones stay on the roster; a number typed into a title, a note or a decision is
masked where papers are made, so the minutes, agenda, notice and public notice are safe to
file and post whatever the secretary typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

# Mainland mobiles (11 digits from 13x to 19x), landlines with an area code, and 18-digit
# resident ID numbers; digits glued to other digits are left alone, so amounts, dates and
# times are never touched.
_NUMBERS = re.compile(
    r"(?<![\dA-Za-z])(?:"
    r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
    r"|(?:\+?86[- ]?)?1[3-9]\d{9}"
    r"|0\d{2,3}[- ]?\d{7,8}"
    r")(?![\dA-Za-z])"
)
_DIGIT = re.compile(r"\d")
_FIVE = re.compile(r"\d{5}")
MASK = "***"
# Links are kept whole: a meeting link is not a phone number.
_KEEP = frozenset({"online", "start", "end", "date", "due", "at", "filed_at", "done_at"})


def _masker(known: Iterable[str]) -> Callable[[str], str]:
    """One masking function for a paper: the roster's numbers joined into one pattern, so a
    paper of a thousand texts costs a thousand searches, not one per text and phone."""
    phones = sorted({p for p in known if p and len(p) >= 5}, key=len, reverse=True)
    # The pattern is compiled for the first text that holds one of them (a millisecond
    # for a roster of 60, and most papers hold none); a text that holds none is left as
    # the pattern would leave it. A number of digits alone is found only in a text with
    # five digits in a row.
    digits = all(p.isdecimal() for p in phones)  # the digits \d matches, no other
    roster: list[re.Pattern[str]] = []

    def mask(text: str) -> str:
        if not _DIGIT.search(text):  # most texts: nothing a number could hide in
            return text
        if phones and (not digits or _FIVE.search(text)) and any(p in text for p in phones):
            if not roster:
                roster.append(re.compile("|".join(map(re.escape, phones))))
            text = roster[0].sub(MASK, text)
        return _NUMBERS.sub(MASK, text)

    return mask


def mask_phones(text: str, known: Iterable[str] = ()) -> str:
    """`text` with phone and ID numbers replaced by ***: the roster's, and any of their shape."""
    return _masker(known)(text)


def scrub(doc: Any, known: Iterable[str] = ()) -> Any:
    """A copy of a paper (nested dicts and lists) with every text masked by `mask_phones`."""
    mask = _masker(known)
    # A paper repeats its texts (names, sides, statuses, the same note on many items):
    # each is masked once.
    masked: dict[str, str] = {}

    def text(value: str, key: Any) -> str:
        if key in _KEEP:
            return value
        found = masked.get(value)
        if found is None:
            found = masked[value] = mask(value)
        return found

    return _walk(doc, None, text)


# The walk is module functions, not closures calling one another: those would be a cycle
# that only the garbage collector frees, and with it every text a paper masked (a doctor
# printing 520 minutes held 20 MB of them).
def _walk_dict(value: dict[Any, Any], text: Callable[[str, Any], str]) -> dict[Any, Any]:
    # A paper is plain dicts, lists and texts: dispatched on the exact type (the hot path,
    # a thousand values a paper), anything else through `_walk`.
    out: dict[Any, Any] = {}
    for k, v in value.items():
        kind = type(v)
        if kind is str:
            out[k] = text(v, k)
        elif kind is dict:
            out[k] = _walk_dict(v, text)
        elif kind is list:
            out[k] = _walk_list(v, k, text)
        else:
            out[k] = _walk(v, k, text)
    return out


def _walk_list(value: list[Any], key: Any, text: Callable[[str, Any], str]) -> list[Any]:
    out: list[Any] = []
    for v in value:
        kind = type(v)
        if kind is str:
            out.append(text(v, key))
        elif kind is dict:
            out.append(_walk_dict(v, text))
        else:
            out.append(_walk(v, key, text))
    return out


def _walk(value: Any, key: Any, text: Callable[[str, Any], str]) -> Any:
    if isinstance(value, dict):
        return _walk_dict(value, text)
    if isinstance(value, list):
        return _walk_list(value, key, text)
    if isinstance(value, str):
        return text(value, key)
    return value
