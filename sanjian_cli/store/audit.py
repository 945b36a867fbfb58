"""The audit log: `<store>.log.jsonl`, one JSON line per change, chained by hash.

Each entry says who (the OS user), when, which command (argv) and what changed (a compact
diff of the documents), and holds `prev`, the SHA-256 of the previous line, and `state`,
the SHA-256 of the record after the change (the hot file without `_meta`, and the SHA-256
of each archive, see store.state_hash). Moving documents to an archive is not a change of
the record: the diff is taken before the move, and the entry names the years moved.
The store's `_meta` holds the hash, size and number of the last entry it belongs to. So
editing the log breaks the chain, editing the store breaks `state`, and `doctor` sees both.
The log lives beside the store, not in it, so the store does not grow with every command.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sanjian_cli import store

_SHORT = 80


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def _short(value: Any) -> Any:
    """A value as the diff shows it: scalars as they are (long text cut), containers as a
    count, since the full document is in the backups."""
    if isinstance(value, str):
        return value if len(value) <= _SHORT else value[:_SHORT] + "…"
    if isinstance(value, dict | list):
        return f"<{len(value)}>"
    return value


def _meeting_of(table: str, doc: dict[str, Any]) -> str | None:
    if table == "meetings":
        return doc.get("date")
    if table in ("topics", "decisions"):
        return doc.get("meeting")
    return None


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents added, changed or removed between two versions of the record."""
    changes: list[dict[str, Any]] = []
    for table in sorted(set(before) | set(after)):
        if table == "_meta":
            continue
        old, new = before.get(table, {}), after.get(table, {})
        for doc_id in sorted(set(old) | set(new), key=int):
            a, b = old.get(doc_id), new.get(doc_id)
            if a == b:
                continue
            change: dict[str, Any] = {"table": table, "id": int(doc_id)}
            if a is None:
                change["op"] = "add"
                change["fields"] = {k: _short(v) for k, v in b.items()}
            elif b is None:
                change["op"] = "remove"
            else:
                change["op"] = "change"
                change["fields"] = {
                    k: [_short(a.get(k)), _short(b.get(k))]
                    for k in list(a) + [k for k in b if k not in a]
                    if a.get(k) != b.get(k)
                }
            dates = {d for d in (_meeting_of(table, a or {}), _meeting_of(table, b or {})) if d}
            if dates:
                change["meetings"] = sorted(dates)
            changes.append(change)
    return changes


def entry(
    changes: list[dict[str, Any]],
    *,
    command: list[str] | None,
    amendment: str | None = None,
    migrated_from: int | None = None,
    restored_from: str | None = None,
    replaced_kept_in: str | None = None,
    archived: list[int] | None = None,
    timezone: str | None = None,
) -> dict[str, Any]:
    """A log entry for one change (append fills in its number and the hashes). `timezone`
    (the committee's) reads a SANJIAN_NOW without offset as the commands do."""
    import sys

    from sanjian_cli.domain import clock

    doc: dict[str, Any] = {
        "at": clock.iso(clock.now(clock.zone(timezone or "UTC"))),
        "user": store.whoami(),
        "command": list(command) if command is not None else list(sys.argv),
        "meetings": sorted({d for c in changes for d in c.get("meetings", [])}),
        "changes": changes,
    }
    if amendment is not None:
        doc["amendment"] = amendment
    if migrated_from is not None:
        doc["migrated_from"] = migrated_from
    if restored_from is not None:
        doc["restored_from"] = restored_from
        doc["replaced_kept_in"] = replaced_kept_in
    if archived:
        doc["archived"] = archived  # years whose documents this change moved to their archive
    return doc


def append(path: Path, meta: dict[str, Any], doc: dict[str, Any], state: str) -> dict[str, Any]:
    """Append `doc` to the log of the store at `path`, after the last entry the store
    belongs to (dropping any entry of a command that died before replacing the store), and
    fsync it. Returns the `_meta` fields naming the new entry."""
    fd = os.open(store.log_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        committed = meta.get("log_size")
        if isinstance(committed, int) and 0 <= committed < size:
            os.ftruncate(fd, committed)
            size = committed
        full = {"n": int(meta.get("log_n", 0)) + 1, **doc, "state": state}
        full["prev"] = meta.get("log_head", "")
        line = json.dumps(full, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        os.lseek(fd, size, os.SEEK_SET)
        os.write(fd, line + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return {"log_head": line_hash(line), "log_size": size + len(line) + 1, "log_n": full["n"]}


def read(path: Path) -> list[bytes]:
    """The lines of the log (without newlines); [] when there is none."""
    try:
        raw = store.log_path(path).read_bytes()
    except FileNotFoundError:
        return []
    return raw.split(b"\n")[:-1] if raw.endswith(b"\n") else raw.split(b"\n")


def head_of_log(path: Path) -> dict[str, Any]:
    """The `_meta` fields naming the last whole entry of the log as it is on disk."""
    lines = read(path)
    size = 0
    head: dict[str, Any] = {}
    for line in lines:
        size += len(line) + 1
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            head = {"log_head": line_hash(line), "log_size": size, "log_n": doc.get("n", 0)}
    return head


def entries(path: Path) -> list[dict[str, Any]]:
    """The entries that parse, oldest first (for `sanjian log`)."""
    found = []
    for line in read(path):
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            found.append(doc)
    return found


def verify(path: Path, meta: dict[str, Any], state: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Problems of the log against the store: (where, catalog key, params)."""
    problems: list[tuple[str, str, dict[str, Any]]] = []
    where_log = str(store.log_path(path))
    lines = read(path)
    head = meta.get("log_head")
    committed = meta.get("log_size")
    if not lines:
        if head:
            problems.append((where_log, "doctor.log_missing", {}))
        return problems
    if not head:
        problems.append((where_log, "doctor.log_unclaimed", {}))
        return problems
    offset = 0
    prev = ""
    last_state = None
    for number, line in enumerate(lines, 1):
        if isinstance(committed, int) and offset >= committed:
            break  # entries of a command that died before replacing the store
        offset += len(line) + 1
        where = f"{where_log}:{number}"
        try:
            doc = json.loads(line)
        except ValueError:
            problems.append((where, "doctor.log_unreadable", {}))
            prev = line_hash(line)
            continue
        if not isinstance(doc, dict) or doc.get("prev") != prev:
            problems.append((where, "doctor.log_chain", {}))
        prev = line_hash(line)
        last_state = doc.get("state") if isinstance(doc, dict) else None
    if prev != head:
        problems.append((where_log, "doctor.log_head", {}))
    elif last_state != state:
        problems.append((str(path), "doctor.state_mismatch", {}))
    return problems
