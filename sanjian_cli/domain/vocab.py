"""The fixed vocabularies of the domain: sides, topic categories, voting methods, outcomes.

Each word has a stable English key (stored and used in JSON) and the names users may type,
Chinese included. Display names live in the message catalog.
"""

from __future__ import annotations

from sanjian_cli.errors import BadInput

SIDES = ("cadre", "social-worker", "volunteer")
_SIDE_ALIASES = {
    "cadre": "cadre",
    "政工": "cadre",
    "social-worker": "social-worker",
    "socialworker": "social-worker",
    "social_worker": "social-worker",
    "社工": "social-worker",
    "volunteer": "volunteer",
    "志愿者": "volunteer",
}

CATEGORIES = (
    "politics",
    "economy",
    "culture",
    "environment",
    "welfare",
    "plan",
    "project",
    "other",
)
_CATEGORY_ALIASES = {
    "政治": "politics",
    "经济": "economy",
    "文化": "culture",
    "文化建设": "culture",
    "环境": "environment",
    "社区环境": "environment",
    "福利": "welfare",
    "福利保障": "welfare",
    "治理方案": "plan",
    "方案": "plan",
    "项目": "project",
    "项目监督评估": "project",
    "其他": "other",
}

METHODS = ("hands", "roll-call", "ballot")
_METHOD_ALIASES = {
    "举手": "hands",
    "口头": "roll-call",
    "无记名": "ballot",
    "rollcall": "roll-call",
}

# Outcomes of a vote, in the words of the minutes: 通过 / 未通过 / 暂缓 / 报上级.
OUTCOMES = ("passed", "failed", "deferred", "referred")

TOPIC_STATUSES = (
    "proposed",
    "accepted",
    "scheduled",
    "passed",
    "failed",
    "referred",
    "rejected",
    "withdrawn",
)
# A topic is open while it waits for a meeting, decided once a vote settled it.
OPEN_TOPIC_STATUSES = ("proposed", "accepted", "scheduled")
DECIDED_TOPIC_STATUSES = ("passed", "failed", "referred")


def _pick(value: str, choices: tuple[str, ...], aliases: dict[str, str], kind: str) -> str:
    key = value.strip().lower()
    if key in choices:
        return key
    if value.strip() in aliases:
        return aliases[value.strip()]
    if key in aliases:
        return aliases[key]
    raise BadInput("bad_choice", kind=kind, value=value, choices=", ".join(choices))


def side(value: str) -> str:
    return _pick(value, SIDES, _SIDE_ALIASES, "side")


def category(value: str) -> str:
    return _pick(value, CATEGORIES, _CATEGORY_ALIASES, "category")


def method(value: str) -> str:
    return _pick(value, METHODS, _METHOD_ALIASES, "method")


def topic_status(value: str) -> str:
    return _pick(value, TOPIC_STATUSES, {}, "status")
