"""Shell completion and the help's language, answered from the head of the store file.

A TAB must answer at once, so this module imports nothing but the standard library: it
reads the tables it needs from the top of the hot file (TinyDB's layout, `_meta` first, then
the committee and the members) without the store package, without a lock (the store is
replaced atomically, so a reader sees one whole version) and without parsing the tables it
does not need. What it cannot read it leaves out: completion offers less, never fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def default_path() -> Path:
    """Where the store is without --db; the same rule as sanjian_cli.store.default_path
    (tests/test_completion.py checks that the two agree)."""
    env = os.environ.get("SANJIAN_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "sanjian.json"


def db_of(argv: list[str]) -> Path:
    """The store named by a global `--db` in `argv`, else the default one."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--db" and index + 1 < len(argv):
            return Path(argv[index + 1]).expanduser()
        if arg.startswith("--db="):
            return Path(arg[5:]).expanduser()
    return default_path()


def peek(path: Path, wanted: tuple[str, ...]) -> dict[str, Any]:
    """The top-level tables `wanted` of the store at `path`, decoded one after another from
    the start of the file and no further than the last one wanted. Missing or unreadable:
    empty."""
    found: dict[str, Any] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return found
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        return found
    at = _skip(text, at + 1)
    try:
        while at < len(text) and text[at] != "}" and len(found) < len(wanted):
            key, at = decoder.raw_decode(text, at)
            at = _skip(text, at)
            if text[at] != ":":
                return {}
            value, at = decoder.raw_decode(text, _skip(text, at + 1))
            if key in wanted and isinstance(value, dict):
                found[key] = value
            at = _skip(text, at)
            if text[at : at + 1] == ",":
                at = _skip(text, at + 1)
    except (ValueError, IndexError):
        return {}
    return found


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def committee_lang(path: Path) -> str | None:
    """The committee's language (zh or en), or None before any committee exists."""
    for doc in peek(path, ("committee",)).get("committee", {}).values():
        lang = doc.get("settings", {}).get("lang") if isinstance(doc, dict) else None
        if lang in ("zh", "en"):
            return str(lang)
    return None
