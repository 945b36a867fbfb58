"""The backup set beside the store: `<store>.backups/000123.json`, newest = highest number.

After every change the hot file as the change left it is copied into the set, so the newest
backup is the record as the log's last entry describes it (restoring it undoes a rollback or
an edit made outside sanjian), and the one before it is the record before the last change.
When the newest copy is not the store a change starts from (the copy was lost, or the set
was made by an older sanjian), that store is copied first. The oldest copies are dropped
beyond the committee's `backups` count, after the change committed. An archive a change
rewrites is kept as it was beside the copy of the store it belonged to, and as the change
wrote it beside the copy of the new store (`000123.archive-2019.json`): so a backup's
archives can be found by their hash, and an archive edited outside sanjian compared with
what sanjian wrote. They are rotated away with their copy of the store. The bulk file a copy
names (`store.bulkfile`) is kept once, however many copies name it (`bulk.<sha256>.json`),
until the last that names it is dropped. Copies made before a schema
migration are named for it (`before-schema-1-000124.json`) and never rotated away.
`sanjian backup` writes whole stores (hot file and archives in one file).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from sanjian_cli.store import files, paths

_NUMBERED = re.compile(r"^(\d{6,})\.json$")
_ANY = re.compile(r"^(?:[a-z0-9-]+-)?(\d{6,})\.json$")
_ARCHIVE = re.compile(r"^(\d{6,})\.archive-(\d{4})\.json$")


def _folder(path: Path, owner: files.Owner = None) -> Path:
    folder = paths.backup_dir(path)
    files.make_dir(folder, owner)
    return folder


def _listing(folder: Path, pattern: re.Pattern[str]) -> list[tuple[int, Path]]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [(int(m.group(1)), folder / n) for n in names if (m := pattern.match(n))]
    return sorted(found)


def listing(path: Path) -> list[Path]:
    """Every backup of the store at `path`, oldest first."""
    return [p for _n, p in _listing(paths.backup_dir(path), _ANY)]


def newest(path: Path) -> Path | None:
    """The newest automatic (numbered) backup, whatever it holds."""
    found = _listing(paths.backup_dir(path), _NUMBERED)
    return found[-1][1] if found else None


def _next_number(folder: Path) -> int:
    taken = _listing(folder, _ANY)
    return taken[-1][0] + 1 if taken else 1


def next_path(path: Path) -> Path:
    """The name the next numbered backup will have (the caller holds the exclusive lock)."""
    folder = paths.backup_dir(path)
    return folder / f"{_next_number(folder):06d}.json"


def write(
    path: Path,
    raw: bytes | Iterable[bytes | memoryview],
    owner: files.Owner = None,
    sync: bool = True,
    target: Path | None = None,
) -> Path:
    """Save `raw` as the next numbered backup (or as `target`, named by `next_path`); no
    rotation."""
    folder = _folder(path, owner)
    target = target or folder / f"{_next_number(folder):06d}.json"
    # No directory fsync: the store itself is the durable copy of these bytes, and a backup
    # torn by a crash is skipped when looking for the newest good one.
    files.write_atomic(target, raw, sync_dir=False, owner=owner, sync=sync)
    return target


def rotate(path: Path, keep: int) -> None:
    """Drop the oldest numbered backups (and their archive copies) beyond `keep` (≥ 1), and
    a bulk file the last of them to name it named."""
    folder = paths.backup_dir(path)
    numbered = _listing(folder, _NUMBERED)
    dropped = {n for n, _p in numbered[: max(0, len(numbered) - max(keep, 1))]}
    names: set[str] = set()  # the bulk files the dropped copies named
    for n, old in numbered:
        if n in dropped:
            with contextlib.suppress(OSError):
                names.add(_bulk_of(old) or "")
                old.unlink()
    names.discard("")
    if names:
        # Most changes name the bulk file the newest copy names: the others are read only
        # when one of the dropped named another (a week's first change after a meeting).
        names.discard(_bulk_of(numbered[-1][1]) or "")
        for other in listing(path) if names else []:
            names.discard(_bulk_of(other) or "")
        for name in names:
            with contextlib.suppress(OSError):
                paths.bulk_path(folder, name).unlink()
    if dropped:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                m = _ARCHIVE.match(name)
                if m and int(m.group(1)) in dropped:
                    with contextlib.suppress(OSError):
                        (folder / name).unlink()


def _bulk_of(backup: Path) -> str | None:
    """The bulk file the backup `backup` names (None: none, or it cannot be read)."""
    try:
        with open(backup, "rb") as handle:
            return files.named_in(handle.read(1 << 16), lambda: handle.read(1 << 16))
    except OSError:
        return None


def take_bulk(
    path: Path,
    name: str | None,
    pieces: files.Chunks | None,
    owner: files.Owner = None,
    sync: bool = True,
) -> Path | None:
    """Keep the bulk file `name` in the backup set, once: from `pieces`, its bulk tables,
    else copied from the store's own (synced unless told not to, as `write`). The copy
    made (None: none needed, or none to copy)."""
    if name is None:
        return None
    target = paths.bulk_path(_folder(path, owner), name)
    if target.exists():
        return None
    if pieces is None:
        try:
            raw = paths.bulk_path(paths.archive_dir(path), name).read_bytes()
        except OSError:
            return None
        pieces = [memoryview(raw)[1:-1]]
    files.write_atomic(target, [b"{", *pieces, b"}"], sync_dir=False, owner=owner, sync=sync)
    return target


def whole_bytes(path: Path, backup: Path, raw: bytes) -> bytes | None:
    """The backup `backup`'s bytes `raw` with its bulk tables in it (None: its bulk file is
    nowhere in the set, nor beside the store)."""
    from sanjian_cli.store import bulkfile

    whole, _problem = files.assembled(raw, bulkfile.finder(path, beside=backup))
    return whole


def take(
    path: Path, raw: bytes | Iterable[bytes | memoryview], keep: int, owner: files.Owner = None
) -> Path:
    """Save `raw` in the rotating set now and keep the newest `keep` (`sanjian backup`)."""
    target = write(path, raw, owner)
    rotate(path, keep)
    return target


def take_archive(
    backup: Path,
    year: int,
    raw: bytes | Iterable[bytes],
    owner: files.Owner = None,
    sync: bool = True,
) -> Path:
    """Keep an archive beside the backup of the store it belongs to: as it was before a
    change rewrote it, or as a change wrote it."""
    target = archive_copy(backup, year)
    files.write_atomic(target, raw, sync_dir=False, owner=owner, sync=sync)
    return target


def archive_copy(backup: Path, year: int) -> Path:
    """Where `take_archive` keeps `year`'s archive beside `backup`."""
    return backup.with_name(f"{backup.stem}.archive-{int(year)}.json")


def archive_copies(path: Path, year: int) -> list[Path]:
    """The archive copies of `year` in the backup set, newest first."""
    folder = paths.backup_dir(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [(int(m.group(1)), folder / n) for n in names
             if (m := _ARCHIVE.match(n)) and int(m.group(2)) == int(year)]  # fmt: skip
    return [p for _n, p in sorted(found, reverse=True)]


def keep_path(path: Path, label: str) -> Path:
    """The name `keep` gives a backup labelled `label` now."""
    folder = paths.backup_dir(path)
    return folder / f"{label}-{_next_number(folder):06d}.json"


def keep(
    path: Path, raw: bytes, label: str, owner: files.Owner = None, target: Path | None = None
) -> Path:
    """A backup outside the rotation, named for why it was taken."""
    _folder(path, owner)
    target = target or keep_path(path, label)
    files.write_atomic(target, raw, owner=owner)
    return target


def newest_good(path: Path) -> Path | None:
    """The newest backup that reads as a store this version of sanjian can open."""
    for candidate in reversed(listing(path)):
        try:
            raw = whole_bytes(path, candidate, candidate.read_bytes())
        except OSError:
            continue
        data, _problem = files.decode(raw) if raw is not None else (None, None)
        if data is not None and files.schema_of(data) <= files.SCHEMA:
            return candidate
    return None


def holding(path: Path, state: str) -> Path | None:
    """The newest backup whose record is in `state` (the state a log entry names), if the
    set still has one: what a store behind its log, or edited, can be put back to."""
    # By their bytes first, 64 KB at a time (a whole-store copy is 17 MB on ten years, and
    # 90 MB decoded); then, decoded, those not laid out as sanjian writes a hot file.
    candidates = list(reversed(listing(path)))
    others = []
    for candidate in candidates:
        try:
            verified = files.file_verified(candidate, state)
        except OSError:
            continue
        if verified and _whole(path, candidate):
            return candidate
        if verified is None:
            others.append(candidate)
    for candidate in others:
        try:
            raw = whole_bytes(path, candidate, candidate.read_bytes())
        except OSError:
            continue
        data, _problem = files.decode(raw) if raw is not None else (None, None)
        if raw is not None and data is not None and files.state_matches(raw, data, state):
            return candidate
    return None


def _whole(path: Path, backup: Path) -> bool:
    """Whether the backup `backup`'s bulk file, if it names one, is there to restore it with."""
    from sanjian_cli.store import bulkfile

    name = _bulk_of(backup)
    return name is None or bulkfile.locator(path, beside=backup)(name) is not None
