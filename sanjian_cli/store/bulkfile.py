"""The hot file's bulk tables as a file of their own (schema 7).

A closed meeting's roll, votes, notes, agenda and filed follow-up are most of the hot file
(1.4 MB of 1.7 on ten years) and a week's commands never read them. So they are written
once, when they change (a meeting closed or corrected), to `sanjian.d/bulk.<sha256>.json`,
named by the SHA-256 the log's state already takes of them (`files.state_hash`); the hot
file names it in `_meta.bulk.file`. A change that leaves them as they were reads, hashes,
writes and syncs none of them: the state of the file it writes names the same file.

- The live bulk file is the one the hot file names, in the archive folder; a change that
  names another removes the old one once committed (`sweep`). The backup set keeps a copy
  of each its backups name (`backups.take_bulk`), until none names it (`backups.rotate`).
- Whatever reads a whole file (`restore`, `backup`, `doctor --accept-edits`, a backup)
  reads it with its bulk tables put back in it (`files.assembled`): the layout of schema 6.
- A change and `doctor` check the bulk file's digest against its name when they read it
  (an edit made outside sanjian is refused, as in the hot file); a read that only shows
  does not, as it does not check the hot file either.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from sanjian_cli.store import files, paths

Load = Callable[[str], bytes | None]


def exists(path: Path, name: str) -> bool:
    return paths.bulk_path(paths.archive_dir(path), name).is_file()


Locate = Callable[[str], Path | None]


def located(path: Path) -> Locate:
    """`locate(name)`: where the store's own bulk file `name` is (None: missing), as it is."""
    folder = paths.archive_dir(path)

    def locate(name: str) -> Path | None:
        place = paths.bulk_path(folder, name)
        return place if place.is_file() else None

    return locate


def locator(path: Path, beside: Path | None = None) -> Locate:
    """`locate(name)`: a copy of the bulk file `name`, found by its digest wherever one may
    be: beside `beside` (a file being restored, or a backup: its folder, and the archive
    folder beside it), beside the store, in the store's backup set."""
    import hashlib

    places: list[Path] = []
    if beside is not None:
        places += [beside.parent, paths.archive_dir(beside)]
    places += [paths.archive_dir(path), paths.backup_dir(path)]

    def locate(name: str) -> Path | None:
        for folder in dict.fromkeys(places):
            place = paths.bulk_path(folder, name)
            digest = hashlib.sha256()
            try:
                with open(place, "rb") as handle:
                    last = b""
                    if handle.read(1) != b"{":
                        continue
                    while piece := handle.read(1 << 16):
                        digest.update(last)
                        last = piece
            except OSError:
                continue
            if last[-1:] == b"}":
                digest.update(last[:-1])
                if digest.hexdigest() == name:
                    return place
        return None

    return locate


def reading(locate: Locate) -> Load:
    """`load(name)`: the bytes of the bulk file `locate` finds (None: none)."""

    def load(name: str) -> bytes | None:
        place = locate(name)
        try:
            return place.read_bytes() if place is not None else None
        except OSError:
            return None

    return load


def live(path: Path) -> Load:
    """`load(name)`: the bytes of the store's own bulk file `name` (None: missing), as they
    are (the reader checks them against the name, or not)."""
    return reading(located(path))


def finder(path: Path, beside: Path | None = None) -> Load:
    """`reading(locator(...))`: the bytes of a copy of the bulk file found by its digest."""
    return reading(locator(path, beside))


def write(path: Path, name: str, pieces: files.Chunks, owner: files.Owner) -> Path:
    """The bulk file `name` (its bulk tables in `pieces`) in the archive folder, synced with
    the folder: a change writes it before its log entry, as it stages an archive."""
    files.make_dir(paths.archive_dir(path), owner)
    target = paths.bulk_path(paths.archive_dir(path), name)
    files.write_atomic(target, [b"{", *pieces, b"}"], owner=owner)
    return target


def sweep(path: Path, keep: str | None) -> None:
    """Drop every bulk file in the archive folder but `keep` (the one the committed hot
    file names): the one it named before, and any a change left that never committed.
    The caller holds the exclusive lock."""
    folder = paths.archive_dir(path)
    mine = paths.bulk_path(folder, keep).name if keep is not None else None
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.startswith("bulk.") and name.endswith(".json") and name != mine:
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)
