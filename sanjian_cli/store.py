"""The one module that owns the store: where it lives, locking, reading, atomic writing.

The store is one UTF-8 JSON file in TinyDB's layout. A command opens it once, under a lock
on a sidecar file (shared for reading, exclusive for changing), works on it in memory through
a `Record`, and a changing command writes it back once, atomically, when it succeeds. A
command that fails writes nothing, so a refused operation leaves the file byte for byte as
it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanjian_cli.errors import StoreError

if TYPE_CHECKING:
    from tinydb import TinyDB

SCHEMA = 1
LOCK_TIMEOUT = 10.0
TABLES = ("committee", "members", "topics", "meetings", "decisions")


def default_path() -> Path:
    """`$SANJIAN_DB`, else `$XDG_DATA_HOME/sanjian/sanjian.json` (~/.local/share when unset)."""
    env = os.environ.get("SANJIAN_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "sanjian.json"


class _Memory:
    """TinyDB storage over the dict read at open; the Store decides when it reaches disk.

    TinyDB only calls read, write and close, so tinydb need not be imported to define it.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.changed = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.changed = True

    def close(self) -> None:
        pass


def _lock(path: Path, exclusive: bool, timeout: float) -> int:
    import fcntl

    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, mode)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError("lock_timeout", path=str(path), seconds=timeout) from None
            time.sleep(0.02)


def _unlock(fd: int) -> None:
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError("store_unreadable", path=str(path), reason=exc.strerror) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise StoreError("store_corrupt", path=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("_meta", {}), dict):
        raise StoreError("store_corrupt", path=str(path))
    return data


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class Record:
    """The committee's record in memory: typed access to its tables, as plain dicts.

    Documents come back as dicts with their TinyDB id under "id" (members, topics, meetings,
    decisions); the id is stable and never reused, since nothing is ever deleted.
    """

    def __init__(self, db: TinyDB) -> None:
        self._db = db

    # -- committee ---------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return len(self._db.table("committee")) > 0

    def committee(self) -> dict[str, Any]:
        docs = self._db.table("committee").all()
        return dict(docs[0]) if docs else {}

    def set_committee(self, doc: dict[str, Any]) -> None:
        table = self._db.table("committee")
        if len(table):
            table.update(doc, doc_ids=[table.all()[0].doc_id])
        else:
            table.insert(doc)
        meta = self._db.table("_meta")
        if not len(meta):
            meta.insert({"schema": SCHEMA})

    def clear(self) -> None:
        """Empty every table (used only by the demo, to replace its own earlier store)."""
        self._db.drop_tables()
        self._db.storage.write({})

    @property
    def meta(self) -> dict[str, Any]:
        docs = self._db.table("_meta").all()
        return dict(docs[0]) if docs else {}

    # -- generic tables ----------------------------------------------------------------
    def _all(self, table: str) -> list[dict[str, Any]]:
        return [dict(doc, id=doc.doc_id) for doc in self._db.table(table).all()]

    def _get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        doc = self._db.table(table).get(doc_id=doc_id)
        return dict(doc, id=doc.doc_id) if doc is not None else None

    def _insert(self, table: str, doc: dict[str, Any]) -> int:
        doc = {k: v for k, v in doc.items() if k != "id"}
        return self._db.table(table).insert(doc)

    def _update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        fields = {k: v for k, v in fields.items() if k != "id"}
        self._db.table(table).update(fields, doc_ids=[doc_id])

    def members(self) -> list[dict[str, Any]]:
        return self._all("members")

    def member(self, member_id: int) -> dict[str, Any] | None:
        return self._get("members", member_id)

    def add_member(self, doc: dict[str, Any]) -> int:
        return self._insert("members", doc)

    def update_member(self, member_id: int, fields: dict[str, Any]) -> None:
        self._update("members", member_id, fields)

    def topics(self) -> list[dict[str, Any]]:
        return self._all("topics")

    def topic(self, topic_id: int) -> dict[str, Any] | None:
        return self._get("topics", topic_id)

    def add_topic(self, doc: dict[str, Any]) -> int:
        return self._insert("topics", doc)

    def update_topic(self, topic_id: int, fields: dict[str, Any]) -> None:
        self._update("topics", topic_id, fields)

    def meetings(self) -> list[dict[str, Any]]:
        """All meetings, oldest first."""
        return sorted(self._all("meetings"), key=lambda m: m["date"])

    def meeting(self, day: str) -> dict[str, Any] | None:
        for doc in self._db.table("meetings").all():
            if doc.get("date") == day:
                return dict(doc, id=doc.doc_id)
        return None

    def add_meeting(self, doc: dict[str, Any]) -> int:
        return self._insert("meetings", doc)

    def update_meeting(self, meeting_id: int, fields: dict[str, Any]) -> None:
        self._update("meetings", meeting_id, fields)

    def decisions(self) -> list[dict[str, Any]]:
        return self._all("decisions")

    def decision(self, decision_id: int) -> dict[str, Any] | None:
        return self._get("decisions", decision_id)

    def add_decision(self, doc: dict[str, Any]) -> int:
        return self._insert("decisions", doc)

    def update_decision(self, decision_id: int, fields: dict[str, Any]) -> None:
        self._update("decisions", decision_id, fields)


class Store:
    """The store file at `path`: open it for reading or for one change."""

    def __init__(self, path: Path, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.lock_timeout = lock_timeout

    @contextlib.contextmanager
    def _open(self, exclusive: bool) -> Iterator[tuple[Record, _Memory]]:
        from tinydb import TinyDB

        if exclusive:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(self.path), reason=exc.strerror
                ) from None
        elif not self.path.parent.exists():
            yield Record(TinyDB(storage=_Memory, data={})), _Memory({})
            return
        fd = _lock(self.path, exclusive, self.lock_timeout)
        try:
            data = _read(self.path)
            schema = data.get("_meta", {}).get("1", {}).get("schema", SCHEMA)
            if isinstance(schema, int) and schema > SCHEMA:
                raise StoreError("store_too_new", path=str(self.path), schema=schema)
            db = TinyDB(storage=_Memory, data=data)
            yield Record(db), db.storage  # type: ignore[misc]
        finally:
            _unlock(fd)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Record]:
        """The record as it is now, under a shared lock. Changes are not saved."""
        with self._open(exclusive=False) as (record, _storage):
            yield record

    @contextlib.contextmanager
    def writing(self) -> Iterator[Record]:
        """The record for one change, under an exclusive lock; saved only if the block ends
        without an exception and something changed."""
        with self._open(exclusive=True) as (record, storage):
            yield record
            if storage.changed:
                try:
                    _write_atomic(self.path, storage.data)
                except OSError as exc:
                    raise StoreError(
                        "store_unwritable", path=str(self.path), reason=exc.strerror
                    ) from None
