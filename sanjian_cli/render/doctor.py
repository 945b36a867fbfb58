"""`sanjian doctor` and `sanjian log` as text or JSON: the problems found in the record, each
with where it is, and the audit log's entries, one change a few lines."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.safe import visible

Problem = tuple[str, str, dict[str, Any]]  # (where, catalog key, params)


def _problem_text(lang: str, key: str, params: dict[str, Any]) -> str:
    if "kind" in params:
        params = {**params, "kind": t(lang, f"doctor.kind.{params['kind']}")}
    return t(lang, key, **params)


def problems_json(store: str, found: list[Problem], lang: str) -> dict[str, Any]:
    """The contract of `doctor --format json`: the store, whether it is sound, each problem."""
    return {
        "store": store,
        "ok": not found,
        "problems": [
            {
                "where": where,
                "code": key.split(".", 1)[-1],
                "message": _problem_text(lang, key, params),
                "detail": params,
            }
            for where, key, params in found
        ],
    }


def problems_text(found: list[Problem], lang: str) -> str:
    """One line a problem: `where: what is wrong`."""
    return "".join(f"{visible(w)}: {visible(_problem_text(lang, k, p))}\n" for w, k, p in found)


def _changes(entry: dict[str, Any]) -> str:
    """`+table#id` added, `-table#id` removed, `~table#id field,field` changed."""
    parts = []
    for change in entry.get("changes", []):
        mark = {"add": "+", "remove": "-"}.get(change.get("op"), "~")
        fields = change.get("fields") or {}
        shown = "" if mark != "~" else " " + ",".join(fields)
        parts.append(f"{mark}{change.get('table')}#{change.get('id')}{shown}")
    return "; ".join(parts)


def _notes(entry: dict[str, Any], lang: str) -> list[str]:
    """What else the entry says: an amendment, a restore, a migration, an adoption..."""
    notes = []
    if entry.get("amendment"):
        notes.append(t(lang, "log.amendment", reason=entry["amendment"]))
    if entry.get("restored_from"):
        notes.append(t(lang, "log.restored", path=entry["restored_from"]))
    if entry.get("migrated_from") is not None:
        notes.append(t(lang, "log.migrated", old=entry["migrated_from"]))
    if entry.get("undoes") is not None:
        notes.append(t(lang, "log.undo", n=entry["undoes"]))
    if entry.get("corrections") and entry.get("reason"):
        notes.append(t(lang, "log.correction", reason=entry["reason"]))
    if entry.get("adopted"):
        notes.append(t(lang, "log.adopted", reason=entry["adopted"]))
    if entry.get("accepted_edits"):
        notes.append(t(lang, "log.accepted_edits", reason=entry["accepted_edits"]))
    if entry.get("lost"):
        notes.append(t(lang, "log.lost", first=entry["lost"][0], last=entry["lost"][-1]))
    return notes


def log_text(entries: list[dict[str, Any]], lang: str, tz: tzinfo | None) -> str:
    """The audit log for people: number, local time, who and the command, then what changed."""
    if not entries:
        return t(lang, "log_empty") + "\n"
    lines = []
    for entry in entries:
        try:
            at = datetime.fromisoformat(entry.get("at", ""))
            when = (at.astimezone(tz) if tz else at).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError):
            when = str(entry.get("at"))
        command = " ".join(str(a) for a in entry.get("command", []))
        lines.append(visible(f"#{entry.get('n')} {when} {entry.get('user')}: {command}"))
        lines.append("    " + visible(_changes(entry)))
        lines.extend("    " + visible(note) for note in _notes(entry, lang))
    return "\n".join(lines) + "\n"
