"""The audit log: `<store>.log.jsonl`, one JSON line per change, chained by hash.

Each entry says who (the OS user), when, which command (argv) and what changed (a compact
diff of the documents), and holds `prev`, the SHA-256 of the previous line, and `state`,
the SHA-256 of the record after the change (the hot file without `_meta`, and the SHA-256
of each archive, see files.state_hash). Moving documents to an archive is not a change of
the record: the diff is taken before the move, and the entry names the years moved.
The store's `_meta` holds the hash, end offset and number of the last entry it belongs to
(its *head*). So editing the log breaks the chain, editing the store breaks `state`, and
`doctor` sees both. The log lives beside the store, so the store does not grow with it.

**Committed entries end with a newline.** A change appends its entry without the newline
(fsynced), replaces the hot file, and only then writes the newline. So an unterminated last
line is a change that never committed (a kill or a refusal in between): the next change
drops it. A terminated entry past the store's head is a change that did commit, which the
store no longer holds: the store is *behind its log* (put back from an older copy), and no
change is written over it until the user restores the newest backup or adopts the store as
it is (`doctor --adopt`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sanjian_cli.store import files, paths

_SHORT = 80

Problem = tuple[str, str, dict[str, Any]]


def line_hash(line: bytes) -> str:
    return files.sha256(line)


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


def _detail(a: Any, b: Any, depth: int = 0) -> list[tuple[str, Any, Any]]:
    """Where two values differ, by path inside them (`votes.1.yes`), for an outside edit:
    a container whose size is unchanged would otherwise show as `<1> -> <1>`."""
    if isinstance(a, dict) and isinstance(b, dict) and depth < 6:
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            if a.get(key) != b.get(key):
                for where, x, y in _detail(a.get(key), b.get(key), depth + 1):
                    out.append((f"{key}.{where}" if where else str(key), x, y))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and depth < 6:
        out = []
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                out.extend(
                    (f"{n}.{w}" if w else str(n), p, q) for w, p, q in _detail(x, y, depth + 1)
                )
        return out
    return [("", a, b)]


def diff(before: dict[str, Any], after: dict[str, Any], deep: bool = False) -> list[dict[str, Any]]:
    """The documents added, changed or removed between two versions of the record. With
    `deep`, a changed field is followed into its containers (`votes.1.yes`)."""
    changes: list[dict[str, Any]] = []
    for table in sorted(set(before) | set(after)):
        if table == "_meta":
            continue
        old, new = before.get(table, {}), after.get(table, {})
        # The very same object is the same document (the record as read shares them with
        # the record changed: see store.record): only the others are compared and sorted.
        touched = [k for k, doc in new.items() if old.get(k) is not doc]
        touched.extend(k for k in old if k not in new)
        for doc_id in sorted(touched, key=int):
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
                if deep:
                    change["fields"] = {w: [_short(x), _short(y)] for w, x, y in _detail(a, b) if w}
                else:
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
    at: str,
    user: str,
    command: list[str],
    **extra: Any,
) -> dict[str, Any]:
    """A log entry for one change (`encode` adds its number and the hashes). `extra`
    fields (amendment, migrated_from, restored_from, archived, ...) are kept unless None."""
    doc: dict[str, Any] = {
        "at": at,
        "user": user,
        "command": list(command),
        "meetings": sorted({d for c in changes for d in c.get("meetings", [])}),
        "changes": changes,
    }
    doc.update({k: v for k, v in extra.items() if v is not None})
    return doc


def encode(doc: dict[str, Any], n: int, prev: str, state: str) -> bytes:
    """The log line of entry `n` (without its newline)."""
    full = {"n": n, **doc, "state": state, "prev": prev}
    return json.dumps(full, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- the log's end, against the store's head ------------------------------------------
class Tail:
    """How the log stands against the store's `_meta` (its head), and where the next entry
    goes.

    `kind`: "fresh" (no log yet, or only an uncommitted fragment), "ok" (the log ends at the
    store's head), "behind" (committed entries follow the head: the store was put back),
    "unclaimed" (a log, and a store that names no entry of it), "missing" (the store names
    an entry, and there is no log), "mismatch" (the log does not hold the store's head where
    the store says: cut, edited or replaced).

    A plain class, not a dataclass: every change builds one, and `dataclasses` with the
    class it would build costs a change about a millisecond.
    """

    __slots__ = ("kind", "size", "prev", "n", "head", "terminate", "past", "lines")

    def __init__(
        self,
        kind: str,
        size: int = 0,  # where the next entry starts
        prev: str = "",  # the hash it chains to
        n: int = 0,  # the number of the entry before it
        head: dict[str, Any] | None = None,  # the store's head entry, when found
        terminate: bool = False,  # the entry before it still lacks its newline (write it)
        past: list[int] | None = None,  # numbers of committed entries past head
        lines: int = 0,  # committed entries in the log (for a store that claims none)
    ) -> None:
        self.kind = kind
        self.size = size
        self.prev = prev
        self.n = n
        self.head = head
        self.terminate = terminate
        self.past: list[int] = [] if past is None else past
        self.lines = lines

    def __repr__(self) -> str:
        return f"Tail({', '.join(f'{k}={getattr(self, k)!r}' for k in self.__slots__)})"


def _line_before(fd: int, end: int) -> bytes:
    """The bytes from the last newline before `end` (exclusive) up to `end`."""
    chunk = 4096
    while True:
        start = max(0, end - chunk)
        data = os.pread(fd, end - start, start)
        at = data.rfind(b"\n")
        if at >= 0:
            return data[at + 1 :]
        if start == 0:
            return data
        chunk *= 4


def _number(line: bytes, default: int) -> int:
    try:
        doc = json.loads(line)
    except ValueError:
        return default
    n = doc.get("n") if isinstance(doc, dict) else None
    return n if isinstance(n, int) else default


def tail(path: Path, meta: dict[str, Any]) -> Tail:
    """Where the log of the store at `path` stands against `meta`; reads only the log's end
    (a change does not pay for the length of the history)."""
    head = meta.get("log_head")
    size = meta.get("log_size")
    given = meta.get("log_n")
    number: int = given if isinstance(given, int) else 0
    try:
        fd = os.open(paths.log_path(path), os.O_RDONLY)
    except FileNotFoundError:
        return Tail("missing", 0, head, number) if head else Tail("fresh")
    try:
        length = os.fstat(fd).st_size
        if not head:
            data = os.pread(fd, length, 0) if length else b""
            if b"\n" not in data:
                return Tail("fresh")  # at most a fragment of a first change that never committed
            return Tail("unclaimed", lines=data.count(b"\n"))
        if not isinstance(size, int) or size < 1 or length < size - 1:
            return _mismatch(fd, length, head, number)
        if length == size - 1:
            # The head's newline was never written: committed (the store names it), but the
            # command died before it could mark it so.
            line = _line_before(fd, length)
            if line_hash(line) != head:
                return _mismatch(fd, length, head, number)
            return Tail("ok", size, head, number, _head_doc(line), terminate=True)
        if os.pread(fd, 1, size - 1) != b"\n":
            return _mismatch(fd, length, head, number)
        line = _line_before(fd, size - 1)
        if line_hash(line) != head:
            return _mismatch(fd, length, head, number)
        found = Tail("ok", size, head, number, _head_doc(line))
        if length > size:
            rest = os.pread(fd, length - size, size)
            committed = rest.split(b"\n")[:-1]  # the last piece is an open fragment or b""
            if committed:
                found.kind = "behind"
                found.past = [_number(x, number + i + 1) for i, x in enumerate(committed)]
        return found
    finally:
        os.close(fd)


def _head_doc(line: bytes) -> dict[str, Any] | None:
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _mismatch(fd: int, length: int, head: str, number: int) -> Tail:
    """The log does not hold the store's head: the next entry goes after the log's last
    committed line and chains to the head the store names, so the break shows there."""
    data = os.pread(fd, length, 0) if length else b""
    end = data.rfind(b"\n") + 1
    return Tail("mismatch", end, head, number)


def end_of_log(path: Path, meta: dict[str, Any] | None) -> Tail:
    """For a command that replaces what the store holds (restore, adopt): the next entry
    goes after the last committed line of the log, whatever the store names, and chains to
    it; `past` lists the committed entries after the store's head (those it does not hold)."""
    lines, fragment = scan(path)
    head = (meta or {}).get("log_head")
    terminate = False
    if fragment is not None and head and line_hash(fragment) == head:
        lines.append(fragment)  # committed, only its newline missing
        terminate = True
    size = sum(len(x) + 1 for x in lines)  # counting the newline `terminate` will write
    numbers = [_number(x, i + 1) for i, x in enumerate(lines)]
    hashes = [line_hash(x) for x in lines]
    past = numbers[hashes.index(head) + 1 :] if head in hashes else list(numbers)
    return Tail(
        "ok",
        size,
        hashes[-1] if hashes else "",
        max(numbers, default=0),
        terminate=terminate,
        past=past,
        lines=len(lines),
    )


def append_open(path: Path, at: Tail, line: bytes, owner: files.Owner) -> int:
    """Write `line` after the committed log (`at`), without its newline, and fsync it; drops
    whatever follows (an uncommitted fragment). Returns the offset of the line's newline."""
    file = paths.log_path(path)
    fd = os.open(file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_size == 0:
            files.give(fd, owner)
        start = at.size - 1 if at.terminate else at.size
        data = (b"\n" if at.terminate else b"") + line
        os.ftruncate(fd, start)
        done = 0
        while done < len(data):
            done += os.pwrite(fd, data[done:], start + done)
        os.fsync(fd)
    finally:
        os.close(fd)
    return at.size + len(line)


def mark_committed(path: Path, end: int) -> None:
    """The newline that says the entry ending at `end` committed. Not fsynced: if it is
    lost, the store still names the entry, which is how its commit is known."""
    with contextlib.suppress(OSError):
        fd = os.open(paths.log_path(path), os.O_WRONLY)
        try:
            os.pwrite(fd, b"\n", end)
        finally:
            os.close(fd)


def take_back(path: Path, at: Tail) -> None:
    """Undo `append_open` after a failure: the log ends where the committed part ends."""
    with contextlib.suppress(OSError):
        file = paths.log_path(path)
        if file.stat().st_size > at.size:
            os.truncate(file, at.size)


# -- reading the whole log ---------------------------------------------------------------
def scan(path: Path) -> tuple[list[bytes], bytes | None]:
    """The committed lines of the log (without newlines), and an unterminated last line if
    there is one; ([], None) when there is no log."""
    try:
        raw = paths.log_path(path).read_bytes()
    except FileNotFoundError:
        return [], None
    pieces = raw.split(b"\n")
    fragment = pieces.pop()
    return pieces, (fragment or None)


def read(path: Path) -> list[bytes]:
    """The committed lines of the log (without newlines); [] when there is none."""
    return scan(path)[0]


def entries(path: Path, meta: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The entries that parse, oldest first (for `sanjian log`): the committed ones, and an
    unterminated last one only when the store (`meta`) names it as its head."""
    lines, fragment = scan(path)
    if fragment is not None and meta and meta.get("log_head") == line_hash(fragment):
        lines.append(fragment)
    found = []
    for line in lines:
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict):
            found.append(doc)
    return found


def last_state(path: Path) -> Any:
    """The state the log's last committed entry records (None without one)."""
    lines = read(path)
    doc = _head_doc(lines[-1]) if lines else None
    return (doc or {}).get("state")


def verify(path: Path, meta: dict[str, Any], matches: Callable[[Any], bool]) -> list[Problem]:
    """Problems of the log against the store (`meta` its `_meta`; `matches(state)` whether
    the record holds `state`): (where, catalog key, params)."""
    problems: list[Problem] = []
    where_log = str(paths.log_path(path))
    lines, fragment = scan(path)
    head = meta.get("log_head")
    committed = meta.get("log_size")
    if fragment is not None and head and line_hash(fragment) == head:
        lines.append(fragment)  # committed; the next change writes its newline
    if not lines:
        if head:
            problems.append((where_log, "doctor.log_missing", {}))
        return problems  # a lone fragment is a first change that never committed
    if not head:
        problems.append((where_log, "doctor.log_unclaimed", {}))
        return problems
    offset = 0
    prev = ""
    found_at: int | None = None
    head_doc: dict[str, Any] = {}
    for number, line in enumerate(lines, 1):
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
        if prev == head and (not isinstance(committed, int) or offset == committed):
            found_at, head_doc = number, doc if isinstance(doc, dict) else {}
    if found_at is None:
        problems.append((where_log, "doctor.log_head", {}))
        return problems
    past = [_number(x, found_at + i + 1) for i, x in enumerate(lines[found_at:])]
    if past:
        problems.append(
            (str(path), "doctor.behind_log", {"count": len(past), "first": past[0],
                                              "last": past[-1]})
        )  # fmt: skip
    if not matches(head_doc.get("state")):
        problems.append((str(path), "doctor.state_mismatch", {}))
    return problems
