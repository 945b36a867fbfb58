"""The committee's settings: one spec serves parsing, validation, defaults and `config show`.

Defaults follow the party-branch rule of DOMAIN.md: quorum is more than half of 应到, and a
motion passes when yes votes are more than half of 应到.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sanjian_cli.domain import vocab
from sanjian_cli.domain.clock import parse_time, zone
from sanjian_cli.errors import BadInput

WEEKDAYS = vocab.keys("weekday")


def _choice(kind: str, *choices: str) -> Callable[[str], str]:
    """A setting that takes one of `choices` of the vocabulary's `kind`, typed in either
    language (实到 or present)."""

    def parse(text: str) -> str:
        try:
            return vocab.pick(kind, text, choices)
        except BadInput:
            raise BadInput("bad_setting_choice", value=text, vocab=kind, allowed=choices) from None

    return parse


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise BadInput("bad_setting_int", value=text, low=low, high=high) from None
        if not low <= value <= high:
            raise BadInput("bad_setting_int", value=text, low=low, high=high)
        return value

    return parse


def parse_weekday(text: str) -> str:
    try:
        return vocab.pick("weekday", text)
    except BadInput:
        raise BadInput("bad_weekday", value=text) from None


def _time(text: str) -> str:
    return parse_time(text).strftime("%H:%M")


def _zone(text: str) -> str:
    zone(text.strip())
    return text.strip()


def _text(text: str) -> str:
    return text


def _font(text: str) -> str:
    name = text.strip()
    if not name or not name.isprintable() or len(name) > 64:
        raise BadInput("bad_font", value=text)
    return name


class Setting(NamedTuple):
    key: str
    default: Any
    parse: Callable[[str], Any]


SPEC: tuple[Setting, ...] = (
    Setting("weekday", "wed", parse_weekday),
    Setting("time", "19:00", _time),
    Setting("duration", 90, _int_range(15, 600)),
    Setting("place", "", _text),
    Setting("online", "", _text),
    Setting("timezone", "Asia/Shanghai", _zone),
    Setting("lang", "zh", _choice("lang", "zh", "en")),
    Setting("quorum", "majority", _choice("threshold", "majority", "two-thirds")),
    Setting("pass-basis", "expected", _choice("basis", "expected", "present", "cast")),
    Setting("pass-threshold", "majority", _choice("threshold", "majority", "two-thirds")),
    Setting("close-margin", 0, _int_range(0, 100)),
    Setting("approval", "leads", _choice("approval", "leads", "chair")),
    Setting("leave-deadline", 0, _int_range(0, 7 * 24 * 60)),
    Setting("topic-minutes", 15, _int_range(1, 600)),
    Setting("opening-minutes", 5, _int_range(0, 120)),
    # Written opinions (书面意见) of absent members: `record` keeps them in the minutes only;
    # `count` lets an absent member who sent one on a topic be named in its vote.
    Setting("written-opinions", "record", _choice("written-opinions", "record", "count")),
    # Who may chair (主持人): a 政工 member (the rule of DOMAIN.md), or a member of any side.
    Setting("chair-side", "cadre", _choice("chair-side", "cadre", "any")),
    # The safety of the record
    Setting("backups", 10, _int_range(0, 1000)),
    Setting("lock-timeout", 10, _int_range(0, 3600)),
    # What cron needs
    # Hours before the start when topic collection closes (48: two days before).
    Setting("topic-deadline", 48, _int_range(0, 14 * 24)),
    # Reports
    # Unexcused absences (缺席) in a report's period at which a member is flagged; 0 = never.
    Setting("absence-flag", 3, _int_range(0, 1000)),
    # Papers
    # Days a public notice (结果公示) stays up, the day of publication included.
    Setting("publish-days", 7, _int_range(1, 90)),
    # Fonts of Word papers, by their role in GB/T 9704-2012 (sanjian ships no font: these are
    # names the office's computer has; a _GB2312 font lacks many names' characters).
    Setting("docx-title-font", "方正小标宋简体", _font),
    Setting("docx-body-font", "仿宋_GB2312", _font),
    Setting("docx-heading-font", "黑体", _font),
    Setting("docx-subheading-font", "楷体_GB2312", _font),
    Setting("docx-page-font", "宋体", _font),
)

BY_KEY = {setting.key: setting for setting in SPEC}

# The settings whose values are words of the vocabulary, shown in the reader's language.
KIND_OF = {
    "weekday": "weekday",
    "lang": "lang",
    "quorum": "threshold",
    "pass-basis": "basis",
    "pass-threshold": "threshold",
    "approval": "approval",
    "written-opinions": "written-opinions",
    "chair-side": "chair-side",
}


def defaults() -> dict[str, Any]:
    return {setting.key: setting.default for setting in SPEC}


def parse(key: str, value: str) -> Any:
    """The stored value of `key` typed as `value`, or BadInput naming what is expected."""
    setting = BY_KEY.get(key.strip().lower())
    if setting is None:
        raise BadInput("bad_setting_key", value=key, choices=", ".join(BY_KEY))
    return setting.parse(value)


def complete(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored settings with defaults filled in for keys added by newer versions."""
    merged = defaults()
    merged.update({k: v for k, v in stored.items() if k in BY_KEY})
    return merged


def _has_han(text: str) -> bool:
    """Whether `text` holds a Chinese character (the CJK ideograph blocks)."""
    return any(
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
        for ch in text
    )


def lang_for(name: str, locale_lang: str) -> str:
    """The language of a new committee not told one: a Chinese name means a Chinese
    committee (a `C.UTF-8` server says nothing about its users), anything else follows the
    locale (`locale_lang`, zh or en)."""
    return "zh" if _has_han(name) else locale_lang
