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
MASK = "***"
# Links are kept whole: a meeting link is not a phone number.
_KEEP = frozenset({"online", "start", "end", "date", "due", "at", "filed_at", "done_at"})


def _masker(known: Iterable[str]) -> Callable[[str], str]:
    """One masking function for a paper: the roster's numbers joined into one pattern, so a
    paper of a thousand texts costs a thousand searches, not one per text and phone."""
    phones = sorted({p for p in known if p and len(p) >= 5}, key=len, reverse=True)
    roster = re.compile("|".join(map(re.escape, phones))) if phones else None

    def mask(text: str) -> str:
        if not _DIGIT.search(text):  # most texts: nothing a number could hide in
            return text
        if roster is not None:
            text = roster.sub(MASK, text)
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

    def text(value: str) -> str:
        found = masked.get(value)
        if found is None:
            found = masked[value] = mask(value)
        return found

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) if isinstance(v, (dict, list, str)) else v
                    for k, v in value.items()}  # fmt: skip
        if isinstance(value, list):
            return [walk(v, key) if isinstance(v, (dict, list, str)) else v for v in value]
        if isinstance(value, str):
            return value if key in _KEEP else text(value)
        return value

    return walk(doc)
