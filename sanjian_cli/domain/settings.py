"""The committee's settings: one spec serves parsing, validation, defaults and `config show`.

Defaults follow the party-branch rule of DOMAIN.md: quorum is more than half of 应到, and a
motion passes when yes votes are more than half of 应到.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Setting:
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
    # The safety of the record
    Setting("backups", 10, _int_range(0, 1000)),
    Setting("lock-timeout", 10, _int_range(0, 3600)),
    # What cron needs
    # Hours before the start when topic collection closes (48: two days before).
    Setting("topic-deadline", 48, _int_range(0, 14 * 24)),
    # Reports
    # Unexcused absences (缺席) in a report's period at which a member is flagged; 0 = never.
    Setting("absence-flag", 3, _int_range(0, 1000)),
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
