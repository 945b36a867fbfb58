"""One catalog, both languages: every message complete, every key used in the code present,
every command documented by its help text."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import typer

from sanjian_cli.cli.app import app
from sanjian_cli.domain import vocab
from sanjian_cli.messages import M, t

SOURCE = Path(__file__).resolve().parents[1] / "sanjian_cli"

# Keys raised or printed by name: Refused("key", ...), say("key"), t(lang, "key"), w.t("key").
_USES = [
    re.compile(r"\b(?:Refused|BadInput|NotFound|StoreError|SanjianError)\(\s*\"([^\"]+)\""),
    re.compile(r"\bsay\(\s*\"([^\"]+)\""),
    re.compile(r"(?<![\w])t\(\s*(?:[^\"\n]*?,\s*)?\"([^\"]+)\""),
    # keys listed as data, e.g. cols = ["col.id", ...] or f"paper.{key}" built from them
    re.compile(r"\"((?:col|paper)\.[\w-]+)\""),
]


def _params(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(M))
def test_every_message_has_both_languages_with_the_same_parameters(key: str) -> None:
    zh, en = M[key]
    assert zh.strip() and en.strip(), key
    assert _params(zh) == _params(en), key
    params = {name: "x" for name in _params(zh)}
    assert t("zh", key, **params) and t("en", key, **params)


def _used_keys() -> dict[str, str]:
    used: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in _USES:
            for match in pattern.finditer(text):
                used.setdefault(match.group(1), str(path.relative_to(SOURCE)))
    return used


def test_the_scan_finds_the_keys_it_should() -> None:
    used = _used_keys()
    # a few known uses, so a broken pattern cannot make the next test pass vacuously
    for key in ("no_quorum", "bad_date", "vote_ok", "col.id", "paper.counts", "usage"):
        assert key in used, key
    assert len(used) > 100


def test_every_key_used_in_the_source_is_in_the_catalog() -> None:
    missing = {key: where for key, where in _used_keys().items() if key not in M}
    assert not missing


def test_every_vocabulary_word_has_a_display_name_and_reads_back() -> None:
    from sanjian_cli.messages import word

    kinds = {
        "side": vocab.SIDES,
        "category": vocab.CATEGORIES,
        "method": vocab.METHODS,
        "outcome": vocab.OUTCOMES,
        "status": vocab.TOPIC_STATUSES + ("planned", "closed", "open", "done", "skipped"),
        "basis": ("expected", "present", "cast"),
        "threshold": ("majority", "two-thirds"),
    }
    for kind, values in kinds.items():
        for value in values:
            zh, en = word("zh", kind, value), word("en", kind, value)
            assert zh != value and not zh.isascii(), (kind, value, zh)
            assert en.isascii(), (kind, value, en)
    for kind, spec in vocab.KINDS.items():
        seen: dict[str, str] = {}
        for entry in spec.words:
            if spec.typed is not None and entry.key not in spec.typed:
                continue
            # whatever is shown can be typed back, and no name means two things
            for name in (entry.key, entry.zh, entry.en, *entry.aliases):
                assert vocab.pick(kind, name) == entry.key, (kind, name)
                assert seen.setdefault(name.lower(), entry.key) == entry.key, (kind, name)


def _walk(command: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [(path, command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(_walk(sub, (*path, name)))
    return found


def test_every_command_and_option_has_help_text() -> None:
    tree = _walk(typer.main.get_command(app))
    names = {" ".join(path) for path, _ in tree}
    for expected in (
        "init", "config show", "config set", "member add", "member list", "member show",
        "member edit", "member retire", "topic add", "topic approve", "topic reject",
        "topic withdraw", "topic list", "topic show", "meeting plan", "meeting list",
        "meeting show", "meeting close", "agenda build", "leave", "attend", "guest", "vote",
        "note", "dissent", "decide", "action list", "action update", "action done",
        "minutes", "demo",
    ):  # fmt: skip
        assert expected in names, expected
    for path, command in tree:
        assert (command.help or "").strip(), f"no help: sanjian {' '.join(path)}"
        for param in command.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert (param.help or "").strip(), f"no help: {' '.join(path)} {param.opts}"


@pytest.mark.parametrize(
    "path",
    [("member", "list"), ("member", "show"), ("topic", "list"), ("topic", "show"),
     ("meeting", "list"), ("meeting", "show"), ("action", "list"), ("action", "show"),
     ("config", "show")],
)  # fmt: skip
def test_every_list_and_show_takes_format_table_or_json(path: tuple[str, ...]) -> None:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    option = next(p for p in command.params if p.name == "format")
    assert option.default == "table" and "--format" in option.opts
