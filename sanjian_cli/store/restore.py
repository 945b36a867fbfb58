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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sanjian_cli.errors import Refused, StoreError
from sanjian_cli.store import archive, audit, backups, files, migrations, paths
from sanjian_cli.store.policy import with_notes
from sanjian_cli.store.reading import check_version, read

Data = dict[str, Any]


def find_archive(path: Path, year: int, sha: Any, beside: Path | None = None) -> bytes | None:
    """The bytes of `year`'s archive whose SHA-256 is `sha`: beside `beside` (a file being
    restored), beside the store (in place or staged) or among the backup set's copies."""
    places = [paths.archive_path(beside, year)] if beside is not None else []
    places += [archive.current_file(path, year, sha), paths.archive_path(path, year)]
    places += backups.archive_copies(path, year)
    for place in places:
        with contextlib.suppress(OSError):
            raw = place.read_bytes()
            if files.sha256(raw) == sha and files.decode(raw)[0] is not None:
                return raw
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


def _replaced(
    store: Any, current: bytes, old: Data | None, new: Data
) -> tuple[bytes | Iterable[bytes | memoryview], list[dict[str, Any]], bool]:
    """The store being replaced as one whole file, the changes from it to `new` (as
    `audit.diff` gives them for the whole record) and whether it could be read: its raw
    bytes and every document of `new` added when it (or one of its archives) cannot.

    A year at a time: the file is copied from the files' bytes (`archive.whole_pieces`)
    and the changes are found a file at a time, so the record replaced is never decoded
    whole beside the one restored (on ten years that was 140 MB more)."""
    if old is None:
        return current, audit.diff({}, new), False
    shelf = archive.Shelf(store.path, files.meta_of(old).get("archives"), keep_raw=False)
    if not shelf.listing:
        return current, audit.diff(old, new), True
    try:
        changes = _changes(old, shelf, new)
        pieces = archive.whole_pieces(shelf, current, old, light=False)
        whole = pieces if pieces is not None else archive.whole_payload(archive.merge(old, shelf))
    except StoreError:
        return current, audit.diff({}, new), False
    return whole, changes, True


def _changes(old: Data, shelf: archive.Shelf, new: Data) -> list[dict[str, Any]]:
    """`audit.diff(archive.merge(old, shelf), new)`, one archive decoded at a time: each
    file's documents against `new`, a later file's copy of a document (the hot file's
    last) replacing an earlier one's, as in `merge`; then what no file held, added."""
    found: dict[tuple[str, int], dict[str, Any] | None] = {}

    def against(tables: Data) -> None:
        mine = {t: rows for t, rows in tables.items() if t != "_meta" and isinstance(rows, dict)}
        for table, rows in mine.items():
            for key in rows:
                found[(table, int(key))] = None
        theirs = {t: {k: (new.get(t) or {})[k] for k in rows if k in (new.get(t) or {})}
                  for t, rows in mine.items()}  # fmt: skip
        for change in audit.diff(mine, theirs):
            found[(change["table"], change["id"])] = change

    for year in shelf.years():
        tables = shelf.get(year)
        shelf.loaded.pop(year, None)  # one archive at a time
        against({t: tables.get(t) or {} for t in archive.ARCHIVED})
        del tables
    against(old)
    added = {t: {k: doc for k, doc in rows.items() if (t, int(k)) not in found}
             for t, rows in new.items() if t != "_meta" and isinstance(rows, dict)}  # fmt: skip
    changes = [c for c in found.values() if c is not None] + audit.diff({}, added)
    return sorted(changes, key=lambda c: (c["table"], c["id"]))


def restore(store: Any, source: Path) -> dict[str, Any]:
    """Replace the store by the store in `source`, after checking it; what is replaced,
    readable or not, is kept in the backup set. `source` is a whole store (as `backup`
    writes it), or a hot file whose archives can be found. Returns the log entry."""
    path: Path = store.path
    try:
        incoming = source.read_bytes()
    except OSError as exc:
        raise StoreError(
            "restore_unreadable", path=str(source), reason=exc.strerror or str(exc)
        ) from None
    data, problem = files.decode(incoming)
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
            raw = find_archive(path, year, wanted.sha(year), beside=source)
            if raw is None:
                raise StoreError("restore_archive_missing", path=str(source), year=year)
            found.raw[year], found.loaded[year] = raw, files.decode(raw)[0] or {}
        data = archive.merge(data, found)
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise StoreError("store_unreadable", path=str(path), reason=exc.strerror) from None
    old, _problem = files.decode(current) if current is not None else ({}, None)
    prior = files.meta_of(old).get("archives") if old else None
    old_meta = files.meta_of(old) if old else None
    whole: bytes | Iterable[bytes | memoryview] = b""
    if current is not None:
        whole, changes, readable = _replaced(store, current, old, data)
    else:
        changes, readable = audit.diff({}, data), True
    del old  # the record restored is what is held from here
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
        replaced=whole if current is not None else None, replaced_as=kept,
        replaced_archives=archive.raw_archives(path) if not readable else {},
        drop_strays=True,
    )  # fmt: skip
    return doc


def _record_in(store: Any, state: Any) -> Data | None:
    """The whole record (archives merged) as it was in `state`, from the newest backup
    holding it and the archives it lists; None when the backup set no longer has it."""
    if not isinstance(state, str):
        return None
    found = backups.holding(store.path, state)
    if found is None:
        return None
    with contextlib.suppress(OSError):
        data, _problem = files.decode(found.read_bytes())
        if data is None:
            return None
        shelf = store._shelf(data)
        for year in shelf.years():
            raw = find_archive(store.path, year, shelf.sha(year))
            if raw is None:
                return None
            shelf.raw[year], shelf.loaded[year] = raw, files.decode(raw)[0] or {}
        return archive.merge(data, shelf)
    return None


def adopt(store: Any, reason: str, edits_only: bool) -> dict[str, Any]:
    """Take the store as it is, and log that with what differs from the record the log
    describes (when a backup still holds that record).

    `edits_only` (`doctor --accept-edits`): the store is where its log says but its content
    was changed outside sanjian; otherwise (`doctor --adopt`) also a store behind its log,
    or one whose log does not hold its last change. Refused when there is nothing to accept.
    """
    path: Path = store.path
    raw, data = read(path)
    if raw is None:
        raise StoreError("store_missing", path=str(path))
    version = check_version(path, data)
    meta = files.meta_of(data)
    at = audit.tail(path, meta)
    shelf = store._shelf(data)
    for year in shelf.years():
        shelf.get(year)  # a missing or damaged archive stops here, named
    edited_years = [y for y in shelf.years() if files.sha256(shelf.raw[y]) != shelf.sha(y)]
    head_state = (at.head or {}).get("state") if at.kind in ("ok", "behind") else None
    hot_edited = isinstance(head_state, str) and not files.state_matches(
        raw, data, head_state, store.policy.hot_bulk
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
        listing[str(year)] = {
            "sha256": files.sha256(shelf.raw[year]),
            **archive.ranges(shelf.get(year)),
        }
    was = _record_in(store, target)
    now = archive.merge(data, shelf) if shelf.listing else data
    changes = audit.diff(was, now, deep=True) if was is not None else None
    lost = at.past if at.kind == "behind" else end.past if at.kind == "unclaimed" else []
    migrated = version < files.SCHEMA
    if migrated:
        migrations.migrate(data, upgrade=store.policy.upgrade)
    new_meta = dict(files.meta_of(data))
    new_meta["schema"] = files.SCHEMA
    if listing:
        new_meta["archives"] = listing
    new_meta["next_id"] = _highest_ids(path, archive.next_ids(data, shelf))
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
