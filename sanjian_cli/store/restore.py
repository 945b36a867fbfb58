"""Replacing what the store holds: `restore` (a whole store from a file) and `adopt`
(the store as it is, when it no longer matches its log).

Both write a log entry after the log's last committed line, whatever the store names: the
log keeps every change that ever committed, and says where the record was put back or
accepted as it is. Ids handed out by any logged change are never handed out again, so a
change lost to a rollback keeps its ids in the history.

The callers (`Store.restore`, `Store.adopt`) hold the exclusive lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeAlias

from sanjian_cli.errors import Refused, StoreError
from sanjian_cli.store import archive, audit, backups, bulkfile, files, migrations, paths, scan
from sanjian_cli.store.policy import with_notes
from sanjian_cli.store.reading import check_version, corrupt, read_bytes, unwritable

Data = dict[str, Any]


def find_archive_file(path: Path, year: int, sha: Any, beside: Path | None = None) -> Path | None:
    """Where `year`'s archive whose SHA-256 is `sha` is: beside `beside` (a file being
    restored), beside the store (in place or staged) or among the backup set's copies;
    each candidate hashed a piece at a time."""
    import hashlib

    places = [paths.archive_path(beside, year)] if beside is not None else []
    places += [archive.current_file(path, year, sha), paths.archive_path(path, year)]
    places += backups.archive_copies(path, year)
    for place in places:
        digest = hashlib.sha256()
        try:
            with open(place, "rb") as handle:
                while piece := handle.read(1 << 16):
                    digest.update(piece)
        except OSError:
            continue
        if digest.hexdigest() == sha:
            return place
    return None


def _highest_ids(path: Path, ids: dict[str, int]) -> dict[str, int]:
    """`ids` raised past every id a logged change used (the lost ones included)."""
    out = dict(ids)
    for doc in audit.entries(path):
        for change in doc.get("changes") or []:
            table, number = change.get("table"), change.get("id")
            if table in out and isinstance(number, int) and number >= out[table]:
                out[table] = number + 1
    return out


def restore(store: Any, source: Path) -> dict[str, Any]:
    """Replace the store by the store in `source`, after checking it; what is replaced,
    readable or not, is kept in the backup set. `source` is a whole store (as `backup`
    writes it), or a hot file whose archives can be found. Returns the log entry.

    A file of this schema, a whole store or a hot file with its archives, is taken a
    document at a time (`_streamed`); any other (an older schema, a file laid out
    otherwise) is decoded whole here, which refuses it, if it must be refused, in
    `files.decode`'s words."""
    path: Path = store.path
    locate = bulkfile.locator(path, beside=source)  # its bulk file, found by its digest
    try:
        layout = scan.scan(source, locate)
    except OSError as exc:
        raise StoreError(
            "restore_unreadable", path=str(source), reason=exc.strerror or str(exc)
        ) from None
    if layout is not None:
        with layout:
            taken = _source(store, source, layout)
            if taken is not None:
                with taken[1]:
                    return _streamed(store, source, taken[1], taken[0])
    try:
        incoming = source.read_bytes()
    except OSError as exc:
        raise StoreError(
            "restore_unreadable", path=str(source), reason=exc.strerror or str(exc)
        ) from None
    whole, problem = files.assembled(incoming, bulkfile.reading(locate))
    data, problem = files.decode(whole) if whole is not None else (None, problem)
    del whole
    del incoming  # 17 MB on ten years, let go before the rest of the work needs memory
    if data is None:
        raise StoreError("restore_bad", path=str(source), problem=problem or "?")
    version = files.schema_of(data)
    if version > files.SCHEMA:
        raise StoreError("store_too_new", path=str(source), schema=version)
    if version < files.SCHEMA:
        migrations.migrate(data, upgrade=store.policy.upgrade)
    wanted = store._shelf(data)
    if wanted.listing:
        found = archive.Shelf(None, wanted.listing)
        for year in wanted.years():
            place = find_archive_file(path, year, wanted.sha(year), beside=source)
            raw = place.read_bytes() if place is not None else b""
            tables = files.decode(raw)[0] if raw else None
            if tables is None:
                raise StoreError("restore_archive_missing", path=str(source), year=year)
            found.raw[year], found.loaded[year] = raw, tables
        data = archive.merge(data, found)
    current = _current(path)
    old = _Replaced(store, current) if current is not None else None
    changes = _changes_from(
        old,
        ((t, k, d) for t, rows in data.items() if t != "_meta" for k, d in rows.items()),
        lambda table, key: (data.get(table) or {}).get(key),
    )
    old_meta = old.meta if old is not None else None
    prior = old_meta.get("archives") if old_meta else None
    empty = archive.Shelf(None, {})
    moves = archive.plan_moves(data, {}, store.policy)
    ids = _highest_ids(path, archive.next_ids(data, empty))
    listing, staged = archive.build(data, moves, empty, store.policy)
    meta: dict[str, Any] = {"schema": files.SCHEMA}
    if listing:
        meta["archives"] = listing
    meta["next_id"] = ids
    meta = with_notes(meta, store.policy, data)
    at = audit.end_of_log(path, old_meta)
    kept = backups.next_path(path) if current is not None else None
    doc = audit.entry(
        changes,
        at=store.policy.timestamp(data),
        user=files.whoami(),
        command=store._argv(),
        restored_from=str(source),
        replaced_kept_in=str(kept) if kept else None,
        archived=sorted(moves) or None,
    )
    body = files.written_body(meta, data, store.policy.hot_bulk)
    store._write(
        meta, body, doc, at, listing,
        keep=store.policy.backups(data), staged=staged, prior=archive.listed(prior),
        replaced=old.whole if old is not None else None, replaced_as=kept,
        replaced_archives=archive.raw_archives(path) if old and not old.readable else {},
        drop_strays=True,
    )  # fmt: skip
    return doc


def _current(path: Path) -> bytes | None:
    """The bytes of the store a restore replaces (None: there is none), its bulk tables in
    them as they are, edited or not (its bulk file goes once the restore is committed);
    as they are when its bulk file is missing."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError("store_unreadable", path=str(path), reason=exc.strerror) from None
    whole, _problem = files.assembled(raw, bulkfile.live(path), verify=False)
    return whole if whole is not None else raw


def _source(store: Any, source: Path, layout: scan.Layout) -> tuple[Data, Any] | None:
    """What `_streamed` takes of `source`, scanned as `layout`: its `_meta` and its
    documents (the layout itself; for a hot file that lists archives, `_Merged` with the
    archives found by their hash, each scanned); None when it must be decoded whole (an
    older schema, or a file `scan` does not lay out). The caller closes what is returned.
    Refuses, as the whole read does, a hot file whose archives are nowhere."""
    if not layout.has("_meta", "1"):
        return None
    meta = layout.doc("_meta", "1")
    schema = meta.get("schema", files.SCHEMA)
    if type(schema) is not int or schema != files.SCHEMA:
        return None
    if not meta.get("archives"):
        return meta, layout
    shelf = archive.Shelf(None, meta.get("archives"))
    found: list[scan.Layout] = []
    for year in shelf.years():
        place = find_archive_file(store.path, year, shelf.sha(year), beside=source)
        scanned = None
        if place is not None:
            with contextlib.suppress(OSError):
                scanned = scan.scan(place)
        if scanned is None:
            for each in found:
                each.__exit__()
            if place is None:
                raise StoreError("restore_archive_missing", path=str(source), year=year)
            return None  # an archive `scan` does not lay out: decoded whole
        found.append(scanned)
    return {k: v for k, v in meta.items() if k != "archives"}, _Merged(layout, found)


class _Merged:
    """A hot file and its archives (in year order) read as one record, as `archive.merge`
    has it: the hot file's tables, then the archived ones it lacks; an archived table's
    documents by id, each the copy of the last file that holds it (the hot file's last).
    Answers as `scan.Layout` does."""

    def __init__(self, hot: scan.Layout, archives: list[scan.Layout]) -> None:
        self._files = [*archives, hot]
        self._where: dict[str, dict[str, int]] = {}
        for n, layout in enumerate(archives):
            for table in archive.ARCHIVED:
                self._where.setdefault(table, {}).update(dict.fromkeys(layout.keys(table), n))
        self._names = [t for t in hot.names() if t != "_meta"]
        for table in self._names:
            self._where.setdefault(table, {}).update(dict.fromkeys(hot.keys(table), len(archives)))
        self._names += [t for t in archive.ARCHIVED if t not in self._names and self._where.get(t)]
        self._keys = {
            t: sorted(self._where.get(t) or {}, key=int) if t in archive.ARCHIVED
            else hot.keys(t)
            for t in self._names
        }  # fmt: skip

    def __enter__(self) -> _Merged:
        return self

    def __exit__(self, *exc: object) -> None:
        for layout in self._files:
            layout.__exit__()

    def names(self) -> list[str]:
        return ["_meta", *self._names]

    def keys(self, table: str) -> list[str]:
        return list(self._keys.get(table) or [])

    def has(self, table: str, key: str) -> bool:
        return key in (self._where.get(table) or {})

    def doc(self, table: str, key: str) -> Data:
        return self._files[self._where[table][key]].doc(table, key)

    def docs(self, table: str, keys: Iterable[str] | None = None) -> Iterator[tuple[str, Data]]:
        """As `Layout.docs`: a file after another, each in the order its documents lie."""
        where = self._where.get(table) or {}
        wanted = list(where) if keys is None else list(keys)
        for n, layout in enumerate(self._files):
            mine = [k for k in wanted if where[k] == n]
            if mine:
                yield from layout.docs(table, mine)


Key = tuple[str, str]  # (table, id)


class _Digested:
    """A record as its files hold it (`files`: the archives by year, then the hot file),
    each document's digest with the index of the file whose copy is the record's (a later
    file's, the hot file's last, as `archive.merge` has it), and the hot file's `_meta`.
    Read a file at a time, and each a document at a time (`_noted`); a document is read
    back from its file when asked (`doc`). Use it as a context manager."""

    def __init__(self, paths_: list[Path], digests: dict[Key, tuple[bytes, int]], meta: Data):
        self.files = paths_
        self.digests = digests
        self.meta = meta
        self._open: dict[int, scan.Layout | Data] = {}
        self.locate: bulkfile.Locate | None = None  # the hot file's bulk file

    @classmethod
    def of(
        cls, hot: Path, find: Callable[[int, Any], Path | None], live: bool = False
    ) -> _Digested | None:
        """The record whose hot file is `hot`, its archives where `find(year, sha)` says,
        its bulk file found by its digest; `live`: the store's own, as it is (an edit of it
        is what is compared); None when a file is missing or cannot be read."""
        mine: dict[Key, tuple[bytes, int]] = {}
        locate = bulkfile.located(hot) if live else bulkfile.locator(hot, beside=hot)
        meta = _noted(mine, hot, -1, None, locate)
        if meta is None:
            return None
        shelf = archive.Shelf(None, meta.get("archives"))
        found: list[Path] = []
        digests: dict[Key, tuple[bytes, int]] = {}
        for year in shelf.years():
            place = find(year, shelf.sha(year))
            if place is None or _noted(digests, place, len(found), archive.ARCHIVED) is None:
                return None
            found.append(place)
        for key, (digest, _hot) in mine.items():  # the hot file's copy is the record's
            digests[key] = (digest, len(found))
        found_ = cls([*found, hot], digests, meta)
        found_.locate = locate
        return found_

    def __enter__(self) -> _Digested:
        return self

    def __exit__(self, *exc: object) -> None:
        for each in self._open.values():
            if isinstance(each, scan.Layout):
                each.__exit__()
        self._open.clear()

    def doc(self, key: Key) -> Data | None:
        """The record's copy of the document `key`, whole (None: it has none)."""
        found = self.digests.get(key)
        return self.read(found[1], key) if found is not None else None

    def read(self, n: int, key: Key) -> Data:
        """The document `key` as the file `files[n]` holds it, whole."""
        if n not in self._open:
            file = self.files[n]
            try:
                layout = scan.scan(file, self.locate)
                self._open[n] = layout if layout is not None else (
                    files.decode(_whole(file, self.locate))[0] or {})  # fmt: skip
            except OSError as exc:
                raise StoreError("store_unreadable", path=str(file), reason=exc.strerror) from None
        held = self._open[n]
        if isinstance(held, scan.Layout):
            return held.doc(*key)
        return held[key[0]][key[1]]  # type: ignore[no-any-return]


def _changed(key: Key, before: Data | None, after: Data | None, deep: bool = False) -> list[Any]:
    """`audit.diff` of one document (None: the record lacks it)."""
    table, doc_id = key
    return audit.diff(
        {table: {doc_id: before}} if before is not None else {},
        {table: {doc_id: after}} if after is not None else {},
        deep=deep,
    )


def _compared(was: _Digested, now: _Digested, deep: bool = False) -> list[dict[str, Any]]:
    """`audit.diff` of the two records whole, found by their digests: only a document whose
    digest differs (or that one of them lacks) is read, one at a time, from both."""
    changes: list[dict[str, Any]] = []
    for key in set(was.digests) | set(now.digests):
        a, b = was.digests.get(key), now.digests.get(key)
        if a is None or b is None or a[0] != b[0]:
            changes += _changed(key, was.doc(key), now.doc(key), deep)
    return sorted(changes, key=lambda c: (c["table"], c["id"]))


def _changes_from(
    old: _Replaced | None,
    new: Iterable[tuple[str, str, Data]],
    now: Callable[[str, str], Data | None],
) -> list[dict[str, Any]]:
    """`audit.diff` from the store a restore replaces (`old`; every document added when it
    cannot be read, or there is none) to the record restored: its documents `new`, taken
    one at a time, and `now(table, key)` reading one of them again (None: the record has
    no such document). Only a document whose digest differs from the replaced one's, or
    that one of them lacks, is read again, on both sides. The record replaced is let go
    after (what is left of it is the copy of its files)."""
    replaced = old.record if old is not None else None
    digests = replaced.digests if replaced is not None else None
    changes: list[dict[str, Any]] = []
    compare: list[tuple[Key, int]] = []  # each with the file holding the replaced copy
    for table, key, doc in new:
        was = digests.pop((table, key), None) if digests is not None else None
        if was is None:
            changes += _changed((table, key), None, doc)
        elif was[0] != _digest(doc):
            compare.append(((table, key), was[1]))
    if old is not None and replaced is not None and digests is not None:
        compare += [(k, n) for k, (_sum, n) in digests.items()]  # left: not restored
        for which, n in compare:
            changes += _changed(which, replaced.read(n, which), now(*which))
        replaced.__exit__()
        old.record = None
    return sorted(changes, key=lambda c: (c["table"], c["id"]))


class _Replaced:
    """The store a restore replaces: the copy of it to keep (`whole`), its documents and
    their digests (`record`, a `_Digested`; None when it cannot be read, and every document
    restored is then added) and its hot file's `_meta`."""

    def __init__(self, store: Any, current: bytes) -> None:
        self.store = store
        self.whole: bytes | Iterable[bytes | memoryview] = current
        self.meta: Data | None = None
        self.record = _Digested.of(
            store.path, lambda year, sha: archive.current_file(store.path, year, sha), live=True
        )
        self.readable = self.record is not None  # (the record is let go once compared)
        if self.record is None:
            # Unreadable: kept as its bytes; its `_meta` (the log's place), if it has one.
            head, _parts, _problem = files.light_and_parts(current)  # decode's verdict
            self.meta = files.meta_of(head) if head is not None else None
            return
        self.meta = self.record.meta
        shelf = archive.Shelf(store.path, self.meta.get("archives"), keep_raw=False)
        if not shelf.listing:
            return
        # The copy is made from the files' bytes when they are as sanjian wrote them (the
        # hot file's parts copied as they lie), else from the record merged.
        try:
            light, _problem, index = files.parse_indexed(current, spans=False)
            pending = index is not None and index.pending
            pieces = archive.whole_pieces(shelf, current, light or {}, pending)
            if pieces is None:
                merged = archive.merge(files.decode(current)[0] or {}, shelf)
                pieces = archive.whole_payload(merged)  # type: ignore[assignment]
        except StoreError:
            self.record.__exit__()
            self.record, self.readable = None, False
            return
        self.whole = pieces  # type: ignore[assignment]


def _noted(
    digests: dict[Key, tuple[bytes, int]],
    file: Path,
    where: int,
    names: Iterable[str] | None,
    locate: bulkfile.Locate | None = None,
) -> Data | None:
    """Note in `digests` each document of the store file `file` (of the tables `names`,
    else of all) with its digest and `where` (the file's place among the record's), and
    return the file's `_meta`;
    None when `files.decode` could not read it. A document at a time (`scan`), or, for a
    file laid out otherwise, light with its parts apart (`files.light_and_parts`)."""
    try:
        layout = scan.scan(file, locate)
        if layout is None:
            tables, parts, _problem = files.light_and_parts(_whole(file, locate))
    except OSError:
        return None
    if layout is None:
        if tables is None:
            return None
        for table in names or [t for t in tables if t != "_meta"]:
            for key, doc in (tables.get(table) or {}).items():
                whole = parts.whole(table, key, doc) if parts is not None else doc
                digests[(table, key)] = (_digest(whole), where)
        return files.meta_of(tables)
    with layout:
        meta = layout.doc("_meta", "1") if layout.has("_meta", "1") else {}
        if files.layout_problem({"_meta": {"1": meta}}) is not None:
            return None  # its schema is not a version number
        for table in names or [t for t in layout.names() if t != "_meta"]:
            for key, doc in layout.docs(table):
                digests[(table, key)] = (_digest(doc), where)
        return meta


def _whole(file: Path, locate: bulkfile.Locate | None) -> bytes:
    """The bytes of the store file `file`, its bulk tables put back when they are a file of
    their own that `locate` finds (else as they are: `files.decode` refuses them). What
    `locate` finds is what is meant: a copy it checked by its digest, or the store's own as
    it is, so it is not checked again."""
    raw = file.read_bytes()
    found = bulkfile.reading(locate) if locate is not None else None
    whole = files.assembled(raw, found, verify=False)[0] if found is not None else None
    return whole if whole is not None else raw


def _digest(doc: Any) -> bytes:
    """The same for two documents with the same content in the same order of keys, and in
    practice only for them: a restore compares ten years of documents without holding two
    of them. Two documents whose digests differ are read again and compared whole (their
    keys may only stand in another order). marshal's version 2 writes every value it meets
    (no references to one written before), so the bytes depend on the values alone; it is
    twice as fast as JSON with its keys sorted."""
    import hashlib
    import marshal

    return hashlib.blake2b(marshal.dumps(doc, 2), digest_size=16).digest()


Documents: TypeAlias = "scan.Layout | _Merged"  # what `_streamed` reads the record restored from


class _Lazy(Mapping[str, Any]):
    """The documents `keys` (None: all) of a table of `layout`, each read when asked:
    `StorePolicy.closed_before` looks through every meeting of the record, and a year's
    archive is written (`archive.made`) a document at a time."""

    def __init__(self, layout: Documents, table: str, keys: list[str] | None = None) -> None:
        self.layout, self.table = layout, table
        self.keys_ = layout.keys(table) if keys is None else keys

    def __getitem__(self, key: str) -> Data:
        if not self.layout.has(self.table, key):
            raise KeyError(key)
        return self.layout.doc(self.table, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)

    def values(self) -> Any:  # in the file's order, one read after another
        return (doc for _key, doc in self.layout.docs(self.table, self.keys_))


def _streamed(store: Any, source: Path, layout: Documents, meta_in: Data) -> dict[str, Any]:
    """`restore` of a store of this schema (`layout`: a whole store, or a hot file with
    its archives as `_Merged`), a year at a time: where each document
    goes is found with one document held at a time; then each year's archive is made, and
    written to a file of its own to await the commit, one after another; then the hot file.
    The changes logged are the ones `audit.diff` finds between the whole records."""
    path: Path = store.path
    policy = store.policy
    current = _current(path)
    old = _Replaced(store, current) if current is not None else None
    tables = [t for t in layout.names() if t != "_meta"]
    cutoff = policy.closed_before({name: _Lazy(layout, name) for name in tables})
    plan: dict[int, dict[str, list[str]]] = {}
    moved: set[Key] = set()

    def surveyed() -> Iterator[tuple[str, str, Data]]:
        """Each document restored, in turn, its archive year noted in `plan` (if any)."""
        for table in tables:
            for key, doc in layout.docs(table):
                if table in archive.ARCHIVED:
                    year = archive.destination(policy, table, doc, cutoff, set())
                    if year is not None:
                        plan.setdefault(year, {}).setdefault(table, []).append(key)
                        moved.add((table, key))
                yield table, key, doc

    changes = _changes_from(
        old,
        surveyed(),
        lambda table, key: layout.doc(table, key) if layout.has(table, key) else None,
    )
    every = {table: dict.fromkeys(layout.keys(table)) for table in tables}
    ids = _highest_ids(path, archive.next_ids({**every, "_meta": {"1": meta_in}}))
    folder = paths.archive_dir(path)
    made_folder = bool(plan) and not folder.exists()
    staged: dict[int, Path] = {}
    listing: dict[str, Any] = {}
    try:
        for year in sorted(plan):
            year_tables = {t: _Lazy(layout, t, plan[year].get(t, [])) for t in archive.ARCHIVED}
            payload, listing[str(year)] = archive.made(year, year_tables, policy)
            try:
                files.make_dir(folder, store.owner)
                staged[year] = files.write_temporary(
                    paths.archive_path(path, year), payload, store.owner
                )
            except OSError as exc:
                raise unwritable(path, exc) from None
            del payload
        # The hot file's documents too are read as they are written, one at a time.
        data: Data = {"_meta": {"1": meta_in}}
        for table in tables:
            stay = [k for k in layout.keys(table) if (table, k) not in moved]
            data[table] = _Lazy(layout, table, stay)
        meta: dict[str, Any] = {"schema": files.SCHEMA}
        if listing:
            meta["archives"] = listing
        meta["next_id"] = ids
        meta = with_notes(meta, policy, data)
        old_meta = old.meta if old is not None else None
        prior = old_meta.get("archives") if old_meta else None
        at = audit.end_of_log(path, old_meta)
        kept = backups.next_path(path) if current is not None else None
        doc = audit.entry(
            changes,
            at=policy.timestamp(data),
            user=files.whoami(),
            command=store._argv(),
            restored_from=str(source),
            replaced_kept_in=str(kept) if kept else None,
            archived=sorted(plan) or None,
        )
        body = files.written_body(meta, data, policy.hot_bulk)
        keep = policy.backups(data)
        del data  # the body is its bytes
        store._write(
            meta, body, doc, at, listing,
            keep=keep, staged=staged, prior=archive.listed(prior),
            replaced=old.whole if old is not None else None, replaced_as=kept,
            replaced_archives=archive.raw_archives(path) if old and not old.readable else {},
            drop_strays=True,
        )  # fmt: skip
        return doc
    finally:
        for made in staged.values():  # moved into place by the commit, unless it failed
            with contextlib.suppress(OSError):
                os.unlink(made)
        if made_folder:
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only if left empty


def _changes_since(store: Any, state: Any) -> list[dict[str, Any]] | None:
    """`audit.diff` (deep) from the record as it was in `state` (the newest backup holding
    it and the archives it lists, found by their hash) to the store as it is, its files
    compared a file and a document at a time (`_compared`); None when the backup set no
    longer holds that record."""
    if not isinstance(state, str):
        return None
    found = backups.holding(store.path, state)
    if found is None:
        return None
    was = _Digested.of(found, lambda year, sha: find_archive_file(store.path, year, sha))
    if was is None:
        return None
    with was:
        now = _Digested.of(
            store.path, lambda year, sha: archive.current_file(store.path, year, sha), live=True
        )
        if now is None:  # the caller has read every file of it: changed since
            raise StoreError("store_unreadable", path=str(store.path), reason="changed")
        with now:
            return _compared(was, now, deep=True)


def _decoded(path: Path, raw: bytes) -> Data:
    data, problem = files.decode(raw)
    if data is None:
        raise corrupt(path, problem or "?")
    return data


def adopt(store: Any, reason: str, edits_only: bool) -> dict[str, Any]:
    """Take the store as it is, and log that with what differs from the record the log
    describes (when a backup still holds that record).

    `edits_only` (`doctor --accept-edits`): the store is where its log says but its content
    was changed outside sanjian; otherwise (`doctor --adopt`) also a store behind its log,
    or one whose log does not hold its last change. Refused when there is nothing to accept.
    """
    path: Path = store.path
    raw = read_bytes(path)
    if raw is None:
        raise StoreError("store_missing", path=str(path))
    # Its bulk tables in it as they are (an edit of them is accepted with the rest).
    raw, problem = files.assembled(raw, bulkfile.live(path), verify=False)
    if raw is None:
        raise corrupt(path, problem or "?")
    # Read light first (decode's verdict, its parts left as text): the record is decoded
    # whole only when it is compared by content, and to be written, each time alone.
    light, _parts, problem = files.light_and_parts(raw)
    if light is None:
        raise corrupt(path, problem or "?")
    version = check_version(path, light)
    meta = files.meta_of(light)
    head = {"_meta": {"1": meta}}
    del light, _parts
    at = audit.tail(path, meta)
    shelf = store._shelf(head)
    edited_years: list[int] = []
    ranges: dict[int, dict[str, Any]] = {}
    for year in shelf.years():  # one at a time
        file, content = shelf._read(year)  # a missing archive stops here, named
        sha = files.sha256(content)
        if sha != shelf.sha(year):  # edited: a damaged one stops here, named
            edited_years.append(year)
            ranges[year] = {"sha256": sha, **archive.ranges(shelf._parse(file, content))}
        del content  # an archive as its listing has it is as sanjian wrote it: not decoded
    head_state = (at.head or {}).get("state") if at.kind in ("ok", "behind") else None
    hot_edited = isinstance(head_state, str) and not files.holds_state(
        raw, head_state, store.policy.hot_bulk
    )
    edited = hot_edited or bool(edited_years)
    astray = at.kind in ("behind", "unclaimed", "missing", "mismatch")
    if edits_only and astray:
        raise Refused("accept_edits_astray", path=str(path))
    if not edited and not astray:
        raise Refused("adopt_nothing", path=str(path))
    end = audit.end_of_log(path, meta)
    logged = audit.entries(path)
    target = head_state if edits_only else (logged[-1].get("state") if logged else None)
    listing = {y: dict(v) for y, v in shelf.listing.items()}
    for year in edited_years:
        listing[str(year)] = ranges[year]
    changes = _changes_since(store, target)
    data = _decoded(path, raw)
    lost = at.past if at.kind == "behind" else end.past if at.kind == "unclaimed" else []
    migrated = version < files.SCHEMA
    if migrated:
        migrations.migrate(data, upgrade=store.policy.upgrade)
    new_meta = dict(files.meta_of(data))
    new_meta["schema"] = files.SCHEMA
    if listing:
        new_meta["archives"] = listing
    new_meta["next_id"] = _highest_ids(path, archive.next_ids(data, shelf))
    new_meta.pop("nothing_due", None)  # an edit may have settled a document: all are asked again
    fields: dict[str, Any] = {"accepted_edits" if edits_only else "adopted": reason}
    doc = audit.entry(
        changes or [],
        at=store.policy.timestamp(data),
        user=files.whoami(),
        command=store._argv(),
        **fields,
        log=None if at.kind in ("ok", "behind") else at.kind,
        lost=[lost[0], lost[-1]] if lost else None,
        archives_edited=edited_years or None,
        changes_unknown=True if changes is None else None,
        migrated_from=version if migrated else None,
    )
    body = files.written_body(new_meta, data, store.policy.hot_bulk)
    store._write(
        new_meta, body, doc, end, listing,
        keep=store.policy.backups(data), before=raw,
        labels=[f"before-schema-{files.SCHEMA}"] if migrated else [], prior=shelf.listing,
    )  # fmt: skip
    return doc
