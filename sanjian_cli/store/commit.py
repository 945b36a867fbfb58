"""One change reaching disk, all or nothing.

Everything a change writes is computed first (`Change`); then, under the exclusive lock:

1. copies of what is there now: the store the change starts from, unless the newest backup
   already is it (and, for a migration, a copy kept outside the rotation; for a restore, the
   whole store it replaces); an archive the change rewrites, as it was;
2. the new versions of the archives it changes, each under a name of its own, and its new
   bulk file (`store.bulkfile`), named by its digest;
3. its log entry, without the newline that marks it committed (fsynced);
4. the hot file, replaced atomically: **the commit**;
5. then the newline, the new archives moved to their places, a copy of the new store (and
   of the archives and the bulk file it wrote) into the backup set, the oldest backups
   dropped, and the bulk file the store no longer names.

A failure before 4 (a full disk, a read-only folder) takes back 1–3: the log and the backup
set are as they were, and the refusal is the only trace. A kill before 4 leaves the old
record whole: the open log entry and the staged archives are dropped by the next change,
and the copies of step 1 are copies of the record as it is. A kill after 4 leaves the new
record whole; the next change finishes step 5.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from sanjian_cli.store import archive, audit, backups, bulkfile, files, paths


class Change:
    """Everything one change writes, computed before anything is (see the module). A plain
    class, not a dataclass, for the reason `audit.Tail` gives."""

    def __init__(
        self,
        payload: files.Chunks,  # the new hot file, in pieces
        line: bytes,  # its log entry, without the newline
        at: audit.Tail,  # where the entry goes in the log
        listing: dict[str, Any],  # the new hot file's archive listing
        keep: int,  # automatic backups to keep (0: none)
        before: bytes | None = None,  # the hot file the change starts from (None: no store)
        labels: list[str] | None = None,  # copies of `before` outside the rotation
        archives_before: dict[int, bytes] | None = None,  # archives it rewrites, as they were
        # Their new versions: the bytes, or a temporary file holding them, already synced
        # (a restore makes each year's as it goes rather than hold them all).
        staged: dict[int, bytes | Path] | None = None,
        replaced: bytes | None = None,  # (restore) the whole store replaced, always kept
        replaced_as: Path | None = None,  # ... under this name (the log entry names it)
        replaced_archives: dict[int, bytes] | None = None,  # ... when unreadable
        prior_listing: dict[str, Any] | None = None,  # the store's listing now
        drop_strays: bool = False,  # (restore) archives the new store does not list go
        # The new hot file's bulk file: its name, and its bulk tables (None: it is the one
        # the store names now, kept as it is); None: the hot file has no bulk tables.
        bulk: tuple[str, files.Chunks | None] | None = None,
    ) -> None:
        self.payload = payload
        self.line = line
        self.at = at
        self.listing = listing
        self.keep = keep
        self.before = before
        self.labels: list[str] = labels or []
        self.archives_before: dict[int, bytes] = archives_before or {}
        self.staged: dict[int, bytes | Path] = staged or {}
        self.replaced = replaced
        self.replaced_as = replaced_as
        self.replaced_archives: dict[int, bytes] = replaced_archives or {}
        self.prior_listing: dict[str, Any] = prior_listing or {}
        self.drop_strays = drop_strays
        self.bulk = bulk


def _committed(path: Path, change: Change) -> bool:
    """After a failure: whether the hot file is the new one all the same (the failure came
    after the rename, e.g. an interrupt)."""
    return files.holds(path, change.payload)


def write(path: Path, change: Change, owner: files.Owner) -> Path | None:
    """Write `change` to the store at `path` (see the module's docstring). Returns the copy
    of the replaced store (`Change.replaced`), if any. Raises OSError when nothing was
    changed."""
    # Leftovers of earlier commands: dead writers' temporary files; staged archives of a
    # committed change not yet in their place (finished now), or of one that never was.
    files.sweep_temporary(path, keep={v for v in change.staged.values() if isinstance(v, Path)})
    archive.finish_staged(path, change.prior_listing)
    created: list[Path] = []
    # Folders and the log this change would be the first to make go again on failure.
    folders = [d for d in (paths.backup_dir(path), paths.archive_dir(path)) if not d.exists()]
    new_log = not paths.log_path(path).exists()
    logged = False
    end = 0
    kept: Path | None = None
    try:
        # Each file is counted as made before it is written: a failure may come after its
        # rename (in the folder's fsync), and it must go all the same.
        if change.replaced is not None:
            kept = change.replaced_as or backups.next_path(path)
            created.append(kept)
            backups.write(path, change.replaced, owner, target=kept)
            for year, raw in change.replaced_archives.items():
                created.append(backups.archive_copy(kept, year))
                backups.take_archive(kept, year, raw, owner)
        if change.before is not None:
            for label in change.labels:
                created.append(backups.keep_path(path, label))
                backups.keep(path, change.before, label, owner, target=created[-1])
                _keep_bulk(path, change.before, owner, created)
            if change.keep > 0 and change.replaced is None:
                base = backups.newest(path)
                if base is None or not files.holds(base, change.before):
                    base = backups.next_path(path)
                    created.append(base)
                    backups.write(path, change.before, owner, target=base)
                    _keep_bulk(path, change.before, owner, created)
                for year, raw in change.archives_before.items():
                    copy = backups.archive_copy(base, year)
                    if not copy.exists():
                        created.append(copy)
                        backups.take_archive(base, year, raw, owner)
        if change.staged:
            files.make_dir(paths.archive_dir(path), owner)
        for year, new in sorted(change.staged.items()):
            if isinstance(new, Path):
                target = paths.staged_archive(path, year, change.listing[str(year)]["sha256"])
                created.append(target)
                os.replace(new, target)
                continue
            target = paths.staged_archive(path, year, files.sha256(new))
            created.append(target)
            files.write_atomic(target, new, sync_dir=False, owner=owner)
        if change.staged:
            files.fsync_dir(paths.archive_dir(path))
        name, pieces = change.bulk if change.bulk is not None else ("", None)
        if pieces is not None:
            if not bulkfile.exists(path, name):
                created.append(paths.bulk_path(paths.archive_dir(path), name))
            bulkfile.write(path, name, pieces, owner)
        logged = True
        end = audit.append_open(path, change.at, change.line, owner)
        files.write_atomic(path, change.payload, owner=owner)
    except BaseException as exc:
        if logged and _committed(path, change):
            # The rename happened (the folder's fsync failed, or an interrupt came after it):
            # the change is made, so it is reported as made.
            _finish(path, change, end, owner)
            if isinstance(exc, OSError):
                return kept
            raise
        for made in reversed(created):
            with contextlib.suppress(OSError):
                os.unlink(made)
        if new_log:
            with contextlib.suppress(OSError):
                os.unlink(paths.log_path(path))
        elif logged:
            audit.take_back(path, change.at)
        for folder in folders:
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise
    _finish(path, change, end, owner)
    return kept


def _finish(path: Path, change: Change, end: int, owner: files.Owner) -> None:
    """Step 5: nothing here can undo the commit, so a failure is left to the next change."""
    audit.mark_committed(path, end)
    with contextlib.suppress(OSError):
        archive.finish_staged(path, change.listing)
        if change.drop_strays:
            archive.drop_strays(path, change.listing)
    name = change.bulk[0] if change.bulk is not None else None
    with contextlib.suppress(OSError):
        if change.keep > 0:
            # Not fsynced: the store is the durable copy; a torn backup is never "newest good".
            copy = backups.write(path, change.payload, owner, sync=False)
            pieces = change.bulk[1] if change.bulk else None
            backups.take_bulk(path, name, pieces, owner, sync=False)
            for year, raw in sorted(change.staged.items()):
                written = raw if isinstance(raw, bytes) else _written(path, change, year)
                if written is not None:
                    backups.take_archive(copy, year, written, owner, sync=False)
            backups.rotate(path, change.keep)
        elif change.replaced is not None:
            backups.rotate(path, 1)
    with contextlib.suppress(OSError):
        bulkfile.sweep(path, name)


def _keep_bulk(path: Path, before: bytes, owner: files.Owner, created: list[Path]) -> None:
    """The bulk file the store the change starts from names, kept beside its backup."""
    made = backups.take_bulk(path, files.named_in(before), None, owner)
    if made is not None:
        created.append(made)


def _written(path: Path, change: Change, year: int) -> Iterator[bytes] | None:
    """The new archive of `year` that a change staged from a file, read back a piece at a
    time from its staged name if it is still there, else from its place (where the commit
    has just moved it); None when neither can be opened."""
    sha = change.listing[str(year)]["sha256"]
    for place in (paths.staged_archive(path, year, sha), paths.archive_path(path, year)):
        try:
            handle = open(place, "rb")  # noqa: SIM115 (closed by the reader below)
        except OSError:
            continue
        return _pieces_of(handle)
    return None


def _pieces_of(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while piece := handle.read(1 << 16):
            yield piece
