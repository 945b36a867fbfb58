"""The one module that owns the store: where it lives, locking, reading, atomic writing.

The store is one UTF-8 JSON file in TinyDB's layout. A command opens it once, under a lock
on a sidecar file (shared for reading, exclusive for changing), works on it in memory through
a `Record`, and a changing command writes it back once, atomically, when it succeeds. A
command that fails writes nothing, so a refused operation leaves the file byte for byte as
it was.

Around the file, three sidecars (see `backups`, `audit`, `migrations`):

- `<store>.lock`: the lock; while a command holds it exclusively it names itself there.
- `<store>.backups/`: a copy of the store as it was before each change (a rotating set).
- `<store>.log.jsonl`: the audit log, one entry per change, chained by hash.

A change is committed in this order: backup, log entry (appended and fsynced), store
(replaced atomically). The store's `_meta` names the last log entry it belongs to, so an
entry left behind by a command killed before it replaced the store is recognised as never
committed and dropped by the next change.
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
BACKUPS = 10
TABLES = ("committee", "members", "topics", "meetings", "decisions")


def default_path() -> Path:
    """`$SANJIAN_DB`, else `$XDG_DATA_HOME/sanjian/sanjian.json` (~/.local/share when unset)."""
    env = os.environ.get("SANJIAN_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "sanjian.json"


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def log_path(path: Path) -> Path:
    return path.with_name(path.name + ".log.jsonl")


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


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


# -- locking --------------------------------------------------------------------------------
def _env_timeout() -> float | None:
    text = os.environ.get("SANJIAN_LOCK_TIMEOUT", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        from sanjian_cli.errors import BadInput

        raise BadInput("bad_lock_timeout", value=text) from None
    if value < 0 or value != value:
        from sanjian_cli.errors import BadInput

        raise BadInput("bad_lock_timeout", value=text)
    return value


def _holder_of(path: Path) -> str:
    """Who holds the lock, as the holder wrote it (only exclusive holders write)."""
    try:
        text = lock_path(path).read_text(encoding="utf-8", errors="replace").strip()
        info = json.loads(text) if text else None
    except (OSError, ValueError):
        info = None
    if not isinstance(info, dict):
        return "?"
    command = " ".join(str(a) for a in info.get("command") or [])[:120]
    return f"pid {info.get('pid')}, {info.get('user')}, {info.get('since')}: {command}"


def _lock(path: Path, exclusive: bool, timeout: float, me: dict[str, Any] | None) -> int:
    import fcntl

    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, mode)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError(
                    "lock_timeout_by",
                    path=str(path),
                    seconds=f"{timeout:g}",
                    holder=_holder_of(path),
                ) from None
            time.sleep(0.01)
    if exclusive and me is not None:
        # Named for whoever times out waiting; not fsynced: it only matters while we live.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"), 0)
    return fd


def _unlock(fd: int, exclusive: bool) -> None:
    import fcntl

    if exclusive:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


# -- reading --------------------------------------------------------------------------------
def layout_problem(data: Any) -> str | None:
    """What makes `data` not a sanjian store (TinyDB layout), or None when it is one."""
    if not isinstance(data, dict):
        return "the top level is not a JSON object"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is not an object"
        for doc_id, doc in table.items():
            if not (isinstance(doc_id, str) and doc_id.isdigit()):
                return f"table {name!r} has a document id {doc_id!r} that is not a number"
            if not isinstance(doc, dict):
                return f"{name}/{doc_id} is not an object"
    meta = data.get("_meta", {}).get("1", {})
    schema = meta.get("schema", SCHEMA) if isinstance(meta, dict) else None
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 0:
        return "_meta schema is not a version number"
    return None


def parse(raw: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The store in `raw`, or None and what is wrong with it."""
    if not raw.strip():
        return None, "the file is empty"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"
    try:
        data = json.loads(text)
    except ValueError as exc:
        detail = getattr(exc, "msg", str(exc))
        line, col = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        return None, f"not valid JSON ({detail}, line {line} column {col}): truncated or edited"
    problem = layout_problem(data)
    return (None, problem) if problem else (data, None)


def _corrupt(path: Path, problem: str) -> StoreError:
    from sanjian_cli import backups

    good = backups.newest_good(path)
    if good is None:
        return StoreError("store_corrupt_nobackup", path=str(path), problem=problem)
    return StoreError("store_corrupt_backup", path=str(path), problem=problem, backup=str(good))


def _read(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    """The bytes and the data of the store; (None, {}) when there is no store yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    except IsADirectoryError:
        raise StoreError("store_unreadable", path=str(path), reason="a directory") from None
    except OSError as exc:
        raise StoreError("store_unreadable", path=str(path), reason=exc.strerror) from None
    data, problem = parse(raw)
    if data is None:
        raise _corrupt(path, problem or "?")
    return raw, data


def schema_of(data: dict[str, Any]) -> int:
    """The schema version of `data`: 0 for a store written before versions were stored."""
    meta = data.get("_meta", {}).get("1")
    if meta is None:
        has_docs = any(table for name, table in data.items() if name != "_meta")
        return 0 if has_docs else SCHEMA
    return int(meta.get("schema", SCHEMA))


def _check_version(path: Path, data: dict[str, Any]) -> int:
    version = schema_of(data)
    if version > SCHEMA:
        raise StoreError("store_too_new", path=str(path), schema=version)
    return version


# -- writing --------------------------------------------------------------------------------
def body_of(data: dict[str, Any]) -> str:
    """The record without `_meta`, as written: what the audit log's state hash covers."""
    return json.dumps(
        {k: v for k, v in data.items() if k != "_meta"}, ensure_ascii=False, separators=(",", ":")
    )


def state_hash(body: str) -> str:
    import hashlib

    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _payload(meta: dict[str, Any], body: str) -> bytes:
    head = '{"_meta":{"1":' + json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "}"
    text = head + ("}" if body == "{}" else "," + body[1:])
    return text.encode("utf-8")


def fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, payload: bytes, sync_dir: bool = True) -> None:
    """`payload` into `path` via a temporary file in the same folder: never a torn file."""
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
    if sync_dir:
        fsync_dir(path.parent)


def _drop_leftovers(path: Path) -> None:
    """Temporary files of writers killed before their rename: only a writer holding the
    exclusive lock makes them, and we hold it now, so any that exist are dead."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for name in os.listdir(path.parent):
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(path.parent / name)


def whoami() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no name for this uid (containers)
        return f"uid {os.getuid()}"


class Record:
    """The committee's record in memory: typed access to its tables, as plain dicts.

    Documents come back as dicts with their TinyDB id under "id" (members, topics, meetings,
    decisions); the id is stable and never reused, since nothing is ever deleted.

    `amendment` is the reason given with --amend for this change (None without it); the
    rules that guard closed and approved meetings read it (see meetings.require_open).
    """

    def __init__(self, db: TinyDB, amendment: str | None = None) -> None:
        self._db = db
        self.amendment = amendment
        self.amended: set[str] = set()

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

    def clear(self) -> None:
        """Empty every table (used only by the demo, to replace its own earlier store)."""
        self._db.drop_tables()
        self._db.storage.write({})

    @property
    def meta(self) -> dict[str, Any]:
        docs = self._db.table("_meta").all()
        return dict(docs[0]) if docs else {}

    def raw(self) -> dict[str, Any]:
        """The whole store as TinyDB lays it out (for `doctor`); do not change it."""
        return self._db.storage.read() or {}

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
    """The store file at `path`: open it for reading or for one change.

    `command` (argv) and `amendment` go into the audit log entry of a change. The lock
    timeout is, in order: the argument, $SANJIAN_LOCK_TIMEOUT, the committee's
    `lock-timeout` setting, 10 s.
    """

    def __init__(
        self,
        path: Path,
        lock_timeout: float | None = None,
        command: list[str] | None = None,
        amendment: str | None = None,
    ) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.command = list(command) if command is not None else None
        self.amendment = amendment

    def _timeout(self) -> float:
        if self.lock_timeout is not None:
            return self.lock_timeout
        from_env = _env_timeout()
        if from_env is not None:
            return from_env
        # Every version of the file is whole (atomic replace), so a peek needs no lock.
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            data = json.loads(self.path.read_bytes())
            for doc in data.get("committee", {}).values():
                value = doc.get("settings", {}).get("lock-timeout")
                if isinstance(value, int | float) and value >= 0:
                    return float(value)
        return LOCK_TIMEOUT

    def _me(self) -> dict[str, Any]:
        import sys

        from sanjian_cli import clock

        return {
            "pid": os.getpid(),
            "user": whoami(),
            "command": self.command if self.command is not None else sys.argv,
            "since": clock.iso(clock.now(clock.zone("UTC"))),
        }

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        if exclusive:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(self.path), reason=exc.strerror
                ) from None
        try:
            fd = _lock(self.path, exclusive, self._timeout(), self._me() if exclusive else None)
        except PermissionError as exc:
            raise StoreError("store_unreadable", path=str(self.path), reason=exc.strerror) from None
        try:
            yield
        finally:
            _unlock(fd, exclusive)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Record]:
        """The record as it is now, under a shared lock. Changes are not saved."""
        from tinydb import TinyDB

        if not self.path.parent.exists():
            yield Record(TinyDB(storage=_Memory, data={}))
            return
        with self._locked(exclusive=False):
            _raw, data = _read(self.path)
            if _check_version(self.path, data) < SCHEMA:
                from sanjian_cli import migrations

                migrations.migrate(data)  # in memory only: the next change saves it
            yield Record(TinyDB(storage=_Memory, data=data))

    @contextlib.contextmanager
    def writing(self) -> Iterator[Record]:
        """The record for one change, under an exclusive lock; saved only if the block ends
        without an exception and something changed. A store that cannot be read is never
        written over."""
        from tinydb import TinyDB

        with self._locked(exclusive=True):
            raw, data = _read(self.path)
            version = _check_version(self.path, data)
            before = json.loads(raw) if raw is not None else {}
            old_meta = dict(data.get("_meta", {}).get("1") or {})
            if version < SCHEMA and raw is not None:
                from sanjian_cli import migrations

                migrations.migrate(data)
                migrations.migrate(before)
            record = Record(TinyDB(storage=_Memory, data=data), self.amendment)
            yield record
            self._commit(raw, before, record.raw(), old_meta, version, record)

    def _commit(
        self,
        raw: bytes | None,
        before: dict[str, Any],
        after: dict[str, Any],
        old_meta: dict[str, Any],
        version: int,
        record: Record,
    ) -> None:
        from sanjian_cli import audit, backups

        changes = audit.diff(before, after)
        migrated = raw is not None and version < SCHEMA
        if not changes and not migrated:
            return
        try:
            if raw is not None:
                if migrated:
                    backups.keep(self.path, raw, f"before-schema-{SCHEMA}")
                backups.take(self.path, raw, _keep_count(after))
            body = body_of(after)
            meta = {**old_meta, "schema": SCHEMA}
            entry = audit.entry(
                changes,
                command=self.command,
                amendment=self.amendment if record.amended else None,
                migrated_from=version if migrated else None,
                timezone=_timezone(after),
            )
            meta.update(audit.append(self.path, meta, entry, state_hash(body)))
            _drop_leftovers(self.path)
            write_atomic(self.path, _payload(meta, body))
        except OSError as exc:
            raise StoreError(
                "store_unwritable", path=str(self.path), reason=exc.strerror or str(exc)
            ) from None

    # -- whole-file operations: backup and restore ----------------------------------------
    def backup(self, output: Path | None) -> Path:
        """Copy the store (as it is, under a shared lock) to `output` or the backup set."""
        from sanjian_cli import backups

        with self._locked(exclusive=False):
            raw, data = _read(self.path)
            if raw is None:
                raise StoreError("store_missing", path=str(self.path))
            if output is None:
                return backups.take(self.path, raw, max(1, _keep_count(data)), manual=True)
            try:
                write_atomic(output, raw)
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(output), reason=exc.strerror or str(exc)
                ) from None
            return output

    def restore(self, source: Path) -> dict[str, Any]:
        """Replace the store by the store in `source`, after checking it; what is replaced,
        readable or not, is kept in the backup set. Returns the log entry."""
        from sanjian_cli import audit, backups, migrations

        try:
            incoming = source.read_bytes()
        except OSError as exc:
            raise StoreError(
                "restore_unreadable", path=str(source), reason=exc.strerror or str(exc)
            ) from None
        data, problem = parse(incoming)
        if data is None:
            raise StoreError("restore_bad", path=str(source), problem=problem or "?")
        version = schema_of(data)
        if version > SCHEMA:
            raise StoreError("store_too_new", path=str(source), schema=version)
        if version < SCHEMA:
            migrations.migrate(data)
        with self._locked(exclusive=True):
            try:
                current = self.path.read_bytes()
            except FileNotFoundError:
                current = None
            except OSError as exc:
                raise StoreError(
                    "store_unreadable", path=str(self.path), reason=exc.strerror
                ) from None
            old, _problem = parse(current) if current is not None else ({}, None)
            kept = backups.take(self.path, current, max(1, _keep_count(old or data)), manual=True) \
                if current is not None else None  # fmt: skip
            body = body_of(data)
            meta = {"schema": SCHEMA, **audit.head_of_log(self.path)}
            entry = audit.entry(
                audit.diff(old or {}, data),
                command=self.command,
                restored_from=str(source),
                replaced_kept_in=str(kept) if kept else None,
                timezone=_timezone(data),
            )
            try:
                meta.update(audit.append(self.path, meta, entry, state_hash(body)))
                write_atomic(self.path, _payload(meta, body))
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(self.path), reason=exc.strerror or str(exc)
                ) from None
            return entry

    @contextlib.contextmanager
    def inspecting(self) -> Iterator[tuple[dict[str, Any], str | None]]:
        """For `doctor`: the raw data under a shared lock, or None and why it is unreadable."""
        if not self.path.exists():
            raise StoreError("store_missing", path=str(self.path))
        with self._locked(exclusive=False):
            try:
                raw = self.path.read_bytes()
            except OSError as exc:
                raise StoreError(
                    "store_unreadable", path=str(self.path), reason=exc.strerror
                ) from None
            data, problem = parse(raw)
            yield (data or {}), problem


def _setting(data: dict[str, Any], key: str) -> Any:
    for doc in data.get("committee", {}).values():
        if isinstance(doc, dict) and isinstance(doc.get("settings"), dict):
            return doc["settings"].get(key)
    return None


def _timezone(data: dict[str, Any]) -> str | None:
    value = _setting(data, "timezone")
    if not isinstance(value, str):
        return None
    try:
        from sanjian_cli import clock

        clock.zone(value)
    except Exception:  # a hand-edited zone must not stop the change from being logged
        return None
    return value


def _keep_count(data: dict[str, Any]) -> int:
    for doc in data.get("committee", {}).values():
        value = doc.get("settings", {}).get("backups") if isinstance(doc, dict) else None
        if isinstance(value, int) and value >= 0:
            return value
    return BACKUPS
