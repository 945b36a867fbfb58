"""The one module that owns the store: where it lives, locking, reading, atomic writing.

The store is a UTF-8 JSON file in TinyDB's layout (`{table: {id: document}}`), the *hot
file*, and beside it one archive file per closed year. A command opens the hot file once,
under a lock on a sidecar file (shared for reading, exclusive for changing), works on it in
memory through a `Record`, and a changing command writes it back once, atomically, when it
succeeds. A command that fails writes nothing, so a refused operation leaves the files byte
for byte as they were.

**Hot file and yearly archives.** The hot file holds the committee, `_meta`, the members,
every open topic (proposed, accepted, scheduled), every open decision item, and the meetings,
settled topics and done items of the years not yet closed. A year is closed once a meeting
of a later year has been closed; its meetings, the topics whose final outcome (vote,
rejection, withdrawal) falls in it and the done items of its meetings (once the year they
were done in is closed too, so this year's papers find their follow-ups hot) move to
`<store stem>.d/YYYY.json` (e.g. `sanjian.d/2019.json`), in the same layout. So a command
about this week parses a file of one or two years, whatever the age of the record; the
history is read only by the accessors that ask for it (`meetings()`, `topics()`,
`decisions()` without a filter), once per command.

The move runs inside a change, only when the hot file holds something that belongs in a
closed year (a cheap check over the hot documents). Archives are written (atomically)
*before* the hot file: a crash between the two leaves documents in both places, never in
neither; on reading, the hot copy wins, and the next change finishes the move. `_meta`
records each archive's SHA-256 and its id ranges (to find an old topic by id in one file),
and `next_id` per table, so ids are never reused although archiving lowers the highest id
in the hot file. A document of a closed year that a command changes (an amendment, a note
on a done item) is copied into the hot file, which wins, and moved back to its archive by
the next change.

Around the files, three sidecars (see `backups`, `audit`, `migrations`):

- `<store>.lock`: the lock; while a command holds it exclusively it names itself there.
- `<store>.backups/`: a copy of the hot file as it was before each change (a rotating set),
  with the archives that change rewrote beside it (`000123.archive-2019.json`).
- `<store>.log.jsonl`: the audit log, one entry per change, chained by hash; its state hash
  covers the hot file and, through their SHA-256, the archives.

A change is committed in this order: backup, archives, log entry (appended and fsynced), hot
file (replaced atomically). The store's `_meta` names the last log entry it belongs to, so an
entry left behind by a command killed before it replaced the store is recognised as never
committed and dropped by the next change.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sanjian_cli.errors import StoreError

# 2: closed years in archive files, `next_id` and `archives` in _meta (an older sanjian,
# which would not see the archives, refuses it as too new).
SCHEMA = 2
LOCK_TIMEOUT = 10.0
BACKUPS = 10
TABLES = ("committee", "members", "topics", "meetings", "decisions")
ARCHIVED = ("meetings", "topics", "decisions")
OPEN_TOPIC = ("proposed", "accepted", "scheduled")

Data = dict[str, Any]


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


def archive_dir(path: Path) -> Path:
    """Where the closed years of the store at `path` live: `sanjian.json` -> `sanjian.d/`."""
    return path.with_name(path.stem + ".d")


def archive_path(path: Path, year: int | str) -> Path:
    return archive_dir(path) / f"{int(year)}.json"


def dumps(data: Any) -> str:
    """JSON as the store writes it: compact, UTF-8 text as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


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
    from sanjian_cli.store import backups

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
    """The hot file without `_meta`, as written: what the audit log's state hash covers."""
    return dumps({k: v for k, v in data.items() if k != "_meta"})


def state_hash(body: str, archives: dict[str, Any] | None = None) -> str:
    """The state of the record: the hot file's body and, when there are archives, the
    SHA-256 of each (so an edited archive no longer matches the log)."""
    text = body
    if archives:
        text += "\n" + dumps({y: (archives[y] or {}).get("sha256") for y in sorted(archives)})
    return sha256(text.encode("utf-8"))


def state_of(data: dict[str, Any]) -> str:
    """`state_hash` of a hot file as read, with the archive hashes its `_meta` records."""
    meta = data.get("_meta", {}).get("1") or {}
    listing = meta.get("archives") if isinstance(meta.get("archives"), dict) else None
    return state_hash(body_of(data), listing)


def _payload(meta: dict[str, Any], body: str) -> bytes:
    head = '{"_meta":{"1":' + dumps(meta) + "}"
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
    folder = archive_dir(path)
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith(".") and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)


def whoami() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no name for this uid (containers)
        return f"uid {os.getuid()}"


# -- archives -------------------------------------------------------------------------------
def _year(text: Any) -> int | None:
    if isinstance(text, str) and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def archive_year(table: str, doc: Any) -> int | None:
    """The year whose archive `doc` goes to once that year is closed; None while it is open
    (open topics and open items stay in the hot file whatever their age)."""
    if not isinstance(doc, dict):
        return None
    try:
        if table == "meetings":
            return _year(doc.get("date"))
        if table == "decisions":
            return _year(doc.get("meeting")) if doc.get("status") == "done" else None
        if table == "topics":
            status = doc.get("status")
            if status in ("passed", "failed", "referred"):
                history = doc.get("history") or []
                last = history[-1].get("meeting") if history else None
                return _year(last or doc.get("meeting"))
            if status == "rejected":
                return _year((doc.get("rejection") or {}).get("at"))
            if status == "withdrawn":
                return _year(doc.get("withdrawn_at"))
    except (AttributeError, TypeError, IndexError):
        pass  # a hand-edited document of the wrong shape stays hot, where doctor sees it
    return None


def archive_gate(table: str, doc: Any, year: int) -> int:
    """The year that must be closed before `doc` (going to `year`'s archive) moves there: a
    done item waits for the year it was done in too, so the follow-ups listed in this
    year's papers are still in the hot file when they are printed."""
    if table == "decisions":
        done = _year(doc.get("done_at"))
        if done is not None and done > year:
            return done
    return year


def closed_before(data: Data) -> int | None:
    """Years before this one are closed: the year of the latest closed meeting."""
    latest = None
    for doc in (data.get("meetings") or {}).values():
        if isinstance(doc, dict) and doc.get("status") == "closed":
            day = doc.get("date")
            if isinstance(day, str) and (latest is None or day > latest):
                latest = day
    return _year(latest)


Moves = dict[int, dict[str, dict[str, Any]]]


def plan_moves(data: Data, listing: dict[str, Any]) -> Moves:
    """The hot documents that belong in a closed year: {year: {table: {id: doc}}}. A cheap
    pass over the hot file, which is small: it decides whether a change archives at all."""
    cutoff = closed_before(data)
    archived = {int(y) for y in listing if str(y).isdigit()}
    moves: Moves = {}
    for table in ARCHIVED:
        for key, doc in (data.get(table) or {}).items():
            year = archive_year(table, doc)
            if year is None:
                continue
            gate = archive_gate(table, doc, year)
            if gate in archived or (cutoff is not None and gate < cutoff):
                moves.setdefault(year, {}).setdefault(table, {})[key] = doc
    return moves


def _ranges(tables: Data) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table in ARCHIVED:
        ids = [int(k) for k in tables.get(table, {})]
        if ids:
            out[table] = [min(ids), max(ids)]
    return out


def archive_payload(year: int, tables: Data) -> bytes:
    """An archive file: TinyDB's layout, documents in id order, `_meta` naming its year."""
    doc: Data = {"_meta": {"1": {"schema": SCHEMA, "archive": year}}}
    for table in ARCHIVED:
        rows = tables.get(table) or {}
        doc[table] = {k: rows[k] for k in sorted(rows, key=int)}
    return dumps(doc).encode("utf-8")


def sha256(raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


class Shelf:
    """The archives of one store, each read (at most once per command) when first asked for.

    `listing` is `_meta.archives`: {"2019": {"sha256": ..., "topics": [lo, hi], ...}}."""

    def __init__(self, path: Path | None, listing: Any) -> None:
        self.path = path
        self.listing: dict[str, Any] = (
            {y: v for y, v in listing.items() if str(y).isdigit() and isinstance(v, dict)}
            if isinstance(listing, dict)
            else {}
        )
        self.loaded: dict[int, Data] = {}
        self.raw: dict[int, bytes] = {}

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.listing)

    def has(self, year: int | None) -> bool:
        return year is not None and str(year) in self.listing

    def get(self, year: int) -> Data:
        if year not in self.loaded:
            if self.path is None:
                return {}
            file = archive_path(self.path, year)
            try:
                raw = file.read_bytes()
            except FileNotFoundError:
                raise StoreError("archive_missing", path=str(file)) from None
            except OSError as exc:
                raise StoreError(
                    "archive_unreadable", path=str(file), reason=exc.strerror or str(exc)
                ) from None
            data, problem = parse(raw)
            if data is None:
                raise StoreError("archive_corrupt", path=str(file), problem=problem or "?")
            self.raw[year], self.loaded[year] = raw, data
        return self.loaded[year]

    def table(self, year: int, table: str) -> dict[str, Any]:
        return self.get(year).get(table) or {}

    def holding(self, table: str, doc_id: int) -> list[int]:
        """The archives whose id range of `table` takes in `doc_id`, newest first."""
        found = []
        for year in reversed(self.years()):
            span = self.listing[str(year)].get(table)
            if isinstance(span, list) and len(span) == 2 and span[0] <= doc_id <= span[1]:
                found.append(year)
        return found

    def merged(self, table: str) -> dict[str, Any]:
        """Every archived document of `table`, a later year's copy winning a duplicate."""
        out: dict[str, Any] = {}
        for year in self.years():
            out.update(self.table(year, table))
        return out


def merge(data: Data, shelf: Shelf) -> Data:
    """The whole record in one dict (archives under the hot file, which wins), without the
    archive listing: a single-file store this or a later sanjian reads and splits again."""
    out: Data = {name: dict(rows) for name, rows in data.items() if name != "_meta"}
    for table in ARCHIVED:
        rows = shelf.merged(table)
        rows.update(data.get(table) or {})
        if rows or table in out:
            out[table] = {k: rows[k] for k in sorted(rows, key=int)}
    meta = {k: v for k, v in (data.get("_meta", {}).get("1") or {}).items() if k != "archives"}
    return {"_meta": {"1": meta}, **out}


def next_ids(data: Data, shelf: Shelf | None = None) -> dict[str, int]:
    """Per table, one more than the highest id used anywhere (hot file and archives)."""
    meta = data.get("_meta", {}).get("1") or {}
    known = meta.get("next_id") if isinstance(meta.get("next_id"), dict) else {}
    out: dict[str, int] = {}
    for table in TABLES:
        ids = [int(k) for k in (data.get(table) or {})]
        if shelf is not None:
            ids += [span[1] for y in shelf.listing.values()
                    if isinstance(span := y.get(table), list) and len(span) == 2]  # fmt: skip
        top = max(ids, default=0) + 1
        given = known.get(table)
        out[table] = max(top, given) if isinstance(given, int) else top
    return out


class _Memory:
    """TinyDB storage over the hot file's data, read once per command under the lock; the
    Store decides when (and whether) it reaches disk, atomically."""

    def __init__(self, data: Data) -> None:
        self.data = data

    def read(self) -> Data:
        return self.data

    def write(self, data: Data) -> None:
        # TinyDB hands back the very dict that read() gave it, updated in place.
        self.data = data

    def close(self) -> None:
        pass


class Record:
    """The committee's record in memory: typed access to its tables, as plain dicts.

    The hot file is a TinyDB database, and every change goes through TinyDB's table API
    (insert with the id from `_meta.next_id`, update by id). Look-ups read TinyDB's layout
    directly, with the indexes TinyDB does not keep (a meeting by its date, an archived
    document by its id range).

    Documents come back as dicts with their id under "id" (members, topics, meetings,
    decisions); ids are stable and never reused (`_meta.next_id`), since nothing is ever
    deleted.

    The whole-history accessors (`meetings()`, `topics()`, `decisions()`) read every
    archive; the others read the hot file and at most the archive they need:
    `meeting(day)` the archive of day's year, `topic(id)`/`decision(id)` those whose id
    range takes the id in, `open_topics()`/`open_decisions()` none (open documents are
    always hot), `decisions_of(day)` one, `meetings_since(day)` the years from day's on,
    `latest_meeting_before(day)` the newest years until one has a meeting.

    `amendment` is the reason given with --amend for this change (None without it); the
    rules that guard closed and approved meetings read it (see meetings.require_open).
    """

    def __init__(
        self, data: Data, amendment: str | None = None, shelf: Shelf | None = None
    ) -> None:
        self._data = data
        self._shelf = shelf if shelf is not None else Shelf(None, {})
        self.amendment = amendment
        self.amended: set[str] = set()
        # Archived documents this command changed (copied into the hot file), as they were.
        self.pulled: dict[tuple[str, str], Data] = {}
        self._dates: dict[str, str] | None = None
        self._db: Any = None

    def _table(self, name: str) -> Any:
        """The TinyDB table `name` of the hot file (tinydb imported on the first change)."""
        if self._db is None:
            from tinydb import TinyDB

            self._db = TinyDB(storage=_Memory, data=self._data)
        return self._db.table(name, cache_size=0)

    # -- the raw tables ------------------------------------------------------------------
    def _hot(self, table: str) -> dict[str, Any]:
        rows = self._data.get(table)
        if rows is None:
            rows = self._data[table] = {}
        return rows

    @staticmethod
    def _out(key: str, doc: Data) -> Data:
        return dict(doc, id=int(key))

    def _sorted(self, rows: dict[str, Any]) -> list[Data]:
        return [self._out(k, rows[k]) for k in sorted(rows, key=int)]

    # -- committee ---------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return bool(self._data.get("committee"))

    def committee(self) -> dict[str, Any]:
        docs = self._data.get("committee") or {}
        return dict(next(iter(docs.values()))) if docs else {}

    def set_committee(self, doc: dict[str, Any]) -> None:
        table = self._hot("committee")
        if table:
            self._table("committee").update(doc, doc_ids=[int(next(iter(table)))])
        else:
            self._insert("committee", doc)

    def clear(self) -> None:
        """Empty every table (used only by the demo, to replace its own earlier store).
        The log's place in `_meta` stays; ids start again, old archives are left unread."""
        meta = {k: v for k, v in self.meta.items() if k in ("schema", "log_head", "log_size",
                                                            "log_n")}  # fmt: skip
        self._data.clear()
        self._data["_meta"] = {"1": meta}
        self._shelf = Shelf(None, {})
        self.pulled.clear()
        self._dates = None

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._data.get("_meta", {}).get("1") or {})

    def raw(self) -> dict[str, Any]:
        """The hot file as TinyDB lays it out; do not change it."""
        return self._data

    @property
    def shelf(self) -> Shelf:
        return self._shelf

    # -- generic tables ----------------------------------------------------------------
    def _all(self, table: str) -> list[dict[str, Any]]:
        hot = self._data.get(table) or {}
        if table not in ARCHIVED or not self._shelf.listing:
            return self._sorted(hot)
        rows = self._shelf.merged(table)
        rows.update(hot)
        return self._sorted(rows)

    def _find(self, table: str, key: str) -> tuple[Data | None, int | None]:
        """The document `key` of `table` and the archive year it was found in (None: hot)."""
        hot = self._data.get(table) or {}
        if key in hot:
            return hot[key], None
        if table in ARCHIVED and key.isdigit():
            for year in self._shelf.holding(table, int(key)):
                doc = self._shelf.table(year, table).get(key)
                if doc is not None:
                    return doc, year
        return None, None

    def _get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        key = str(doc_id)
        doc, _year = self._find(table, key)
        return self._out(key, doc) if doc is not None else None

    def _next_id(self, table: str) -> int:
        meta = self._data.setdefault("_meta", {}).setdefault("1", {})
        ids = meta.get("next_id")
        if not isinstance(ids, dict):
            ids = meta["next_id"] = next_ids(self._data, self._shelf)
        value = ids.get(table)
        if not isinstance(value, int) or value < 1:
            value = next_ids(self._data, self._shelf)[table]
        hot = self._hot(table)
        while str(value) in hot:
            value += 1
        ids[table] = value + 1
        return value

    def _insert(self, table: str, doc: dict[str, Any]) -> int:
        from tinydb.table import Document

        doc = {k: v for k, v in doc.items() if k != "id"}
        doc_id = self._next_id(table)
        self._table(table).insert(Document(doc, doc_id=doc_id))
        if table == "meetings" and self._dates is not None:
            self._dates.setdefault(doc.get("date"), str(doc_id))
        return doc_id

    def _update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        fields = {k: v for k, v in fields.items() if k != "id"}
        key = str(doc_id)
        doc, year = self._find(table, key)
        if doc is None:
            raise KeyError(f"{table}/{doc_id}")
        if year is not None:
            # A closed year's document: copied into the hot file (which wins) and changed
            # there; a later change moves it back to its archive.
            from tinydb.table import Document

            self.pulled[(table, key)] = doc
            copy = json.loads(dumps(doc))
            self._table(table).insert(Document(copy, doc_id=doc_id))
            if table == "meetings" and self._dates is not None:
                self._dates[copy.get("date")] = key
        self._table(table).update(fields, doc_ids=[doc_id])

    # -- members -------------------------------------------------------------------------
    def members(self) -> list[dict[str, Any]]:
        return self._all("members")

    def member(self, member_id: int) -> dict[str, Any] | None:
        return self._get("members", member_id)

    def add_member(self, doc: dict[str, Any]) -> int:
        return self._insert("members", doc)

    def update_member(self, member_id: int, fields: dict[str, Any]) -> None:
        self._update("members", member_id, fields)

    # -- topics --------------------------------------------------------------------------
    def topics(self) -> list[dict[str, Any]]:
        """Every topic, all years (reads every archive)."""
        return self._all("topics")

    def open_topics(self) -> list[dict[str, Any]]:
        """Proposed, accepted and scheduled topics (all in the hot file), by id."""
        hot = self._data.get("topics") or {}
        return self._sorted({k: d for k, d in hot.items() if d.get("status") in OPEN_TOPIC})

    def topics_with_status(self, status: str | None) -> list[dict[str, Any]]:
        """Topics in `status` (None: all); an open status reads no archive."""
        if status in OPEN_TOPIC:
            return [t for t in self.open_topics() if t["status"] == status]
        return [t for t in self.topics() if status is None or t["status"] == status]

    def topic(self, topic_id: int) -> dict[str, Any] | None:
        return self._get("topics", topic_id)

    def add_topic(self, doc: dict[str, Any]) -> int:
        return self._insert("topics", doc)

    def update_topic(self, topic_id: int, fields: dict[str, Any]) -> None:
        self._update("topics", topic_id, fields)

    # -- meetings ------------------------------------------------------------------------
    def meetings(self) -> list[dict[str, Any]]:
        """All meetings, oldest first (reads every archive)."""
        return sorted(self._all("meetings"), key=lambda m: m["date"])

    def meeting(self, day: str) -> dict[str, Any] | None:
        """The meeting on `day` (YYYY-MM-DD): the hot file, else the archive of its year."""
        hot = self._data.get("meetings") or {}
        if self._dates is None:
            self._dates = {}
            for key, doc in hot.items():
                self._dates.setdefault(doc.get("date"), key)
        key = self._dates.get(day)
        if key is not None and key in hot:
            return self._out(key, hot[key])
        year = _year(day)
        if self._shelf.has(year):
            for key, doc in self._shelf.table(year, "meetings").items():  # type: ignore[arg-type]
                if doc.get("date") == day:
                    return self._out(key, hot.get(key, doc))
        return None

    def meetings_since(self, day: str) -> list[dict[str, Any]]:
        """The meetings on or after `day`, oldest first (reads the archives of those years)."""
        first = _year(day) or 0
        rows: dict[str, Any] = {}
        for year in self._shelf.years():
            if year >= first:
                rows.update(
                    (k, d) for k, d in self._shelf.table(year, "meetings").items()
                    if d.get("date", "") >= day
                )  # fmt: skip
        hot = self._data.get("meetings") or {}
        rows.update((k, d) for k, d in hot.items() if d.get("date", "") >= day)
        return sorted(self._sorted(rows), key=lambda m: m["date"])

    def latest_meeting_before(
        self, day: str, skip: tuple[str, ...] = ("skipped",)
    ) -> dict[str, Any] | None:
        """The latest meeting before `day` whose status is not in `skip`: the hot file, then
        the archives from the newest year down, stopping once no older year can beat it."""
        hot = self._data.get("meetings") or {}

        def better(doc: Data, best: Data | None) -> bool:
            when = doc.get("date")
            return (
                isinstance(when, str)
                and when < day
                and doc.get("status") not in skip
                and (best is None or when > best["date"])
            )

        best_key, best = None, None
        for key, doc in hot.items():
            if better(doc, best):
                best_key, best = key, doc
        last = _year(day) or 0
        for year in reversed(self._shelf.years()):
            if year > last:
                continue
            if best is not None and best["date"] >= f"{year + 1:04d}":
                break
            for key, doc in self._shelf.table(year, "meetings").items():
                if key not in hot and better(doc, best):
                    best_key, best = key, doc
        return self._out(best_key, best) if best is not None and best_key else None

    def add_meeting(self, doc: dict[str, Any]) -> int:
        return self._insert("meetings", doc)

    def update_meeting(self, meeting_id: int, fields: dict[str, Any]) -> None:
        self._update("meetings", meeting_id, fields)

    # -- decisions -----------------------------------------------------------------------
    def decisions(self) -> list[dict[str, Any]]:
        """Every decision item, all years (reads every archive)."""
        return self._all("decisions")

    def open_decisions(self) -> list[dict[str, Any]]:
        """The items not yet done (all in the hot file), by id."""
        hot = self._data.get("decisions") or {}
        return self._sorted({k: d for k, d in hot.items() if d.get("status") == "open"})

    def decisions_of(self, day: str) -> list[dict[str, Any]]:
        """The items decided at the meeting of `day`, by id (reads that year's archive)."""
        rows: dict[str, Any] = {}
        year = _year(day)
        if self._shelf.has(year):
            rows.update(
                (k, d) for k, d in self._shelf.table(year, "decisions").items()  # type: ignore[arg-type]
                if d.get("meeting") == day
            )  # fmt: skip
        for key, doc in (self._data.get("decisions") or {}).items():
            if doc.get("meeting") == day:
                rows[key] = doc
            else:
                rows.pop(key, None)  # the hot copy wins
        return self._sorted(rows)

    def decision(self, decision_id: int) -> dict[str, Any] | None:
        return self._get("decisions", decision_id)

    def add_decision(self, doc: dict[str, Any]) -> int:
        return self._insert("decisions", doc)

    def update_decision(self, decision_id: int, fields: dict[str, Any]) -> None:
        self._update("decisions", decision_id, fields)


class Store:
    """The store file at `path` (and its archives): open it for reading or for one change.

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
        self.archived: list[int] = []  # the years the last change wrote archives for

    def _timeout(self) -> float:
        if self.lock_timeout is not None:
            return self.lock_timeout
        from_env = _env_timeout()
        if from_env is not None:
            return from_env
        # Every version of the file is whole (atomic replace), so a peek needs no lock. The
        # setting is found in the bytes rather than by parsing the file a second time: the
        # key cannot occur unescaped anywhere else (user text has its quotes escaped).
        import re

        with contextlib.suppress(OSError, ValueError):
            raw = self.path.read_bytes()
            at = raw.find(b'"lock-timeout"')  # a plain search: a regex would scan byte by byte
            while at >= 0:
                found = re.match(rb'"lock-timeout"\s*:\s*([0-9][0-9.eE+]*)', raw[at : at + 80])
                if found is not None and raw[at - 1 : at] != b"\\":
                    value = float(found.group(1))
                    if value >= 0 and value == value:
                        return value
                at = raw.find(b'"lock-timeout"', at + 1)
        return LOCK_TIMEOUT

    def _me(self) -> dict[str, Any]:
        import sys

        from sanjian_cli.domain import clock

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

    def _shelf(self, data: Data) -> Shelf:
        return Shelf(self.path, (data.get("_meta", {}).get("1") or {}).get("archives"))

    @contextlib.contextmanager
    def reading(self) -> Iterator[Record]:
        """The record as it is now, under a shared lock. Changes are not saved."""
        if not self.path.exists():
            # Nothing to read: no lock file either (a read of nothing creates nothing). A
            # store appears whole (os.replace), so without it this is the state before it.
            yield Record({})
            return
        with self._locked(exclusive=False):
            _raw, data = _read(self.path)
            if _check_version(self.path, data) < SCHEMA:
                from sanjian_cli.store import migrations

                migrations.migrate(data)  # in memory only: the next change saves it
            yield Record(data, shelf=self._shelf(data))

    @contextlib.contextmanager
    def writing(self, archive: bool = False) -> Iterator[Record]:
        """The record for one change, under an exclusive lock; saved only if the block ends
        without an exception and something changed (or, with `archive`, something is due
        for the archives). A store that cannot be read is never written over."""
        with self._locked(exclusive=True):
            raw, data = _read(self.path)
            version = _check_version(self.path, data)
            # The record as read, for the audit diff: a deep copy (marshal copies JSON data
            # faster than parsing the bytes again).
            before = marshal.loads(marshal.dumps(data)) if raw is not None else {}
            if version < SCHEMA and raw is not None:
                from sanjian_cli.store import migrations

                migrations.migrate(data)
                migrations.migrate(before)
            record = Record(data, self.amendment, self._shelf(data))
            yield record
            self._commit(raw, before, record, version, archive)

    def archive(self) -> list[int]:
        """Move whatever belongs in a closed year to its archive now (a change like any
        other: backed up and logged). Returns the years written."""
        with self.writing(archive=True):
            pass
        return self.archived

    def _commit(
        self, raw: bytes | None, before: Data, record: Record, version: int, force: bool
    ) -> None:
        from sanjian_cli.store import audit, backups

        after = record.raw()
        view = before
        if record.pulled:
            # What a pulled document was before this change is its archived copy.
            view = {name: dict(rows) for name, rows in before.items()}
            for (table, key), doc in record.pulled.items():
                view.setdefault(table, {}).setdefault(key, doc)
        changes = audit.diff(view, after)
        migrated = raw is not None and version < SCHEMA
        meta = dict(after.get("_meta", {}).get("1") or {})
        shelf = record.shelf
        moves = plan_moves(after, shelf.listing) if (changes or migrated or force) else {}
        for year_moves in moves.values():
            # An archived document changed now stays in the hot file (which wins) until the
            # next change moves it back: the archive only ever receives what the hot file
            # already holds, so a crash between the two writes cannot half-commit a change.
            for table, rows in year_moves.items():
                for key in [k for k in rows if (table, k) in record.pulled]:
                    del rows[key]
        moves = {y: {t: r for t, r in m.items() if r} for y, m in moves.items()}
        moves = {y: m for y, m in moves.items() if m}
        if not changes and not migrated and not moves:
            return
        # Read every archive this change rewrites before writing anything: a damaged one
        # stops the change here, and nothing is written over.
        for year in moves:
            if shelf.has(year):
                shelf.get(year)
        try:
            taken = None
            if raw is not None:
                if migrated:
                    backups.keep(self.path, raw, f"before-schema-{SCHEMA}")
                taken = backups.take(self.path, raw, _keep_count(after))
            ids = next_ids(after, shelf)  # before the move takes documents out of `after`
            listing = write_archives(self.path, after, moves, shelf, taken)
            meta["schema"] = SCHEMA
            if listing:
                meta["archives"] = listing
            meta["next_id"] = ids
            body = body_of(after)
            entry = audit.entry(
                changes,
                command=self.command,
                amendment=self.amendment if record.amended else None,
                migrated_from=version if migrated else None,
                archived=sorted(moves) or None,
                timezone=_timezone(after),
            )
            meta.update(audit.append(self.path, meta, entry, state_hash(body, listing)))
            _drop_leftovers(self.path)
            write_atomic(self.path, _payload(meta, body))
            after.setdefault("_meta", {})["1"] = meta
            self.archived = sorted(moves)
        except OSError as exc:
            raise StoreError(
                "store_unwritable", path=str(self.path), reason=exc.strerror or str(exc)
            ) from None

    # -- whole-file operations: backup and restore ----------------------------------------
    def backup(self, output: Path | None) -> Path:
        """Copy the store (as it is, under a shared lock) to `output` or the backup set: one
        file holding the hot file and every archive, which `restore` takes back."""
        from sanjian_cli.store import backups

        with self._locked(exclusive=False):
            raw, data = _read(self.path)
            if raw is None:
                raise StoreError("store_missing", path=str(self.path))
            shelf = self._shelf(data)
            whole = raw if not shelf.listing else whole_payload(merge(data, shelf))
            if output is None:
                return backups.take(self.path, whole, max(1, _keep_count(data)), manual=True)
            try:
                write_atomic(output, whole)
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(output), reason=exc.strerror or str(exc)
                ) from None
            return output

    def _archives_for(self, source: Path, data: Data) -> Shelf:
        """The archives a hot file to restore refers to, found by their SHA-256 beside it,
        beside the store or among the archive copies of the backup set."""
        from sanjian_cli.store import backups

        wanted = self._shelf(data)
        found = Shelf(None, wanted.listing)
        for year in wanted.years():
            sha = wanted.listing[str(year)].get("sha256")
            places = [archive_path(source, year), archive_path(self.path, year)]
            places += backups.archive_copies(self.path, year)
            for place in places:
                with contextlib.suppress(OSError):
                    raw = place.read_bytes()
                    parsed, _problem = parse(raw)
                    if parsed is not None and sha256(raw) == sha:
                        found.loaded[year], found.raw[year] = parsed, raw
                        break
            else:
                raise StoreError("restore_archive_missing", path=str(source), year=year)
        return found

    def restore(self, source: Path) -> dict[str, Any]:
        """Replace the store by the store in `source`, after checking it; what is replaced,
        readable or not, is kept in the backup set. `source` is a whole store (as `backup`
        writes it), or a hot file whose archives can be found. Returns the log entry."""
        from sanjian_cli.store import audit, backups, migrations

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
            if self._shelf(data).listing:
                data = merge(data, self._archives_for(source, data))
            data.setdefault("_meta", {}).setdefault("1", {}).pop("archives", None)
            try:
                current = self.path.read_bytes()
            except FileNotFoundError:
                current = None
            except OSError as exc:
                raise StoreError(
                    "store_unreadable", path=str(self.path), reason=exc.strerror
                ) from None
            old, _problem = parse(current) if current is not None else ({}, None)
            kept = None
            if current is not None:
                keep = max(1, _keep_count(old or data))
                whole, old = self._whole_or_raw(current, old)
                kept = backups.take(self.path, whole, keep, manual=True)
                if old is None:  # unreadable: keep its archives' bytes beside it as they are
                    for year, raw_archive in self._raw_archives().items():
                        backups.take_archive(kept, year, raw_archive)
            changes = audit.diff(old or {}, data)
            empty = Shelf(None, {})
            moves = plan_moves(data, {})
            try:
                listing = write_archives(self.path, data, moves, empty, None)
                meta = {"schema": SCHEMA, **audit.head_of_log(self.path)}
                if listing:
                    meta["archives"] = listing
                meta["next_id"] = next_ids(data, empty)
                body = body_of(data)
                entry = audit.entry(
                    changes,
                    command=self.command,
                    restored_from=str(source),
                    replaced_kept_in=str(kept) if kept else None,
                    archived=sorted(moves) or None,
                    timezone=_timezone(data),
                )
                meta.update(audit.append(self.path, meta, entry, state_hash(body, listing)))
                write_atomic(self.path, _payload(meta, body))
                _drop_stray_archives(self.path, listing)
            except OSError as exc:
                raise StoreError(
                    "store_unwritable", path=str(self.path), reason=exc.strerror or str(exc)
                ) from None
            return entry

    def _whole_or_raw(self, current: bytes, old: Data | None) -> tuple[bytes, Data | None]:
        """The store being replaced as one whole file, and its data; its raw bytes and None
        when it (or one of its archives) cannot be read."""
        if old is None:
            return current, None
        shelf = self._shelf(old)
        if not shelf.listing:
            return current, old
        try:
            merged = merge(old, shelf)
        except StoreError:
            return current, None
        return whole_payload(merged), merged

    def _raw_archives(self) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        folder = archive_dir(self.path)
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                if name.endswith(".json") and name[:-5].isdigit():
                    with contextlib.suppress(OSError):
                        found[int(name[:-5])] = (folder / name).read_bytes()
        return found

    @contextlib.contextmanager
    def inspecting(self) -> Iterator[tuple[Data, str | None, list[ArchiveState]]]:
        """For `doctor`: the hot file's data under a shared lock (or None and why it is
        unreadable), and the state of each archive it lists."""
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
            states: list[ArchiveState] = []
            if data is not None:
                shelf = self._shelf(data)
                for year in shelf.years():
                    file = archive_path(self.path, year)
                    state = ArchiveState(year, file, shelf.listing[str(year)].get("sha256"))
                    try:
                        raw_archive = file.read_bytes()
                    except FileNotFoundError:
                        state.problem = "missing"
                    except OSError as exc:
                        state.problem = exc.strerror or str(exc)
                    else:
                        state.sha256 = sha256(raw_archive)
                        state.data, state.problem = parse(raw_archive)
                    states.append(state)
            yield (data or {}), problem, states


class ArchiveState:
    """One archive as `doctor` finds it: its file, the SHA-256 the hot file recorded and the
    one it has, its data (None when it cannot be read, with the problem)."""

    def __init__(self, year: int, path: Path, recorded: str | None) -> None:
        self.year = year
        self.path = path
        self.recorded = recorded
        self.sha256: str | None = None
        self.data: Data | None = None
        self.problem: str | None = None


def write_archives(
    path: Path, data: Data, moves: Moves, shelf: Shelf, backup: Path | None
) -> dict[str, Any]:
    """Move the documents of `moves` out of `data` into their archives (each written
    atomically, the old version kept beside `backup`), and return the new listing."""
    from sanjian_cli.store import backups

    listing = {y: dict(v) for y, v in shelf.listing.items()}
    if not moves:
        return listing
    folder = archive_dir(path)
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for year in sorted(moves):
        tables: Data = {}
        base = shelf.get(year) if shelf.has(year) else {}
        for table in ARCHIVED:
            rows = dict(base.get(table) or {})
            rows.update(moves[year].get(table, {}))
            tables[table] = rows
        payload = archive_payload(year, tables)
        if backup is not None and year in shelf.raw:
            backups.take_archive(backup, year, shelf.raw[year])
        write_atomic(archive_path(path, year), payload)
        shelf.loaded[year], shelf.raw[year] = json.loads(payload), payload
        listing[str(year)] = {"sha256": sha256(payload), **_ranges(tables)}
    for year_moves in moves.values():
        for table, rows in year_moves.items():
            hot = data.get(table) or {}
            for key in rows:
                hot.pop(key, None)
    return listing


def whole_payload(data: Data) -> bytes:
    meta = data.get("_meta", {}).get("1") or {}
    return _payload(meta, body_of(data))


def _drop_stray_archives(path: Path, listing: dict[str, Any]) -> None:
    """Archive files the restored store does not list (kept in the backup of what it
    replaced): left in place they would be mistaken for its own by a later reader."""
    folder = archive_dir(path)
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.endswith(".json") and name[:-5].isdigit() and name[:-5] not in listing:
                with contextlib.suppress(OSError):
                    (folder / name).unlink()


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
        from sanjian_cli.domain import clock

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
