"""The backup set beside the store: `<store>.backups/000123.json`, newest = highest number.

A copy of the hot file is taken before every change and the oldest are dropped beyond the
committee's `backups` count; an archive the change rewrites is kept beside it as it was
(`000123.archive-2019.json`) and rotated away with it. Copies made before a schema migration
are named for it (`before-schema-1-000124.json`) and never rotated away. `sanjian backup`
writes whole stores (hot file and archives in one file).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from sanjian_cli import store

_NUMBERED = re.compile(r"^(\d{6,})\.json$")
_ANY = re.compile(r"^(?:[a-z0-9-]+-)?(\d{6,})\.json$")
_ARCHIVE = re.compile(r"^(\d{6,})\.archive-(\d{4})\.json$")


def _folder(path: Path) -> Path:
    folder = store.backup_dir(path)
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
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
    return [p for _n, p in _listing(store.backup_dir(path), _ANY)]


def _next_number(folder: Path) -> int:
    taken = _listing(folder, _ANY)
    return taken[-1][0] + 1 if taken else 1


def take(path: Path, raw: bytes, keep: int, manual: bool = False) -> Path | None:
    """Save `raw` (the store before a change) in the rotating set; keep the newest `keep`.

    With keep 0 no backup is taken (the committee chose so), unless `manual`."""
    if keep <= 0 and not manual:
        return None
    folder = _folder(path)
    target = folder / f"{_next_number(folder):06d}.json"
    # No directory fsync: the store itself is still the durable copy of these bytes, and a
    # backup torn by a crash is skipped when looking for the newest good one.
    store.write_atomic(target, raw, sync_dir=False)
    numbered = _listing(folder, _NUMBERED)
    dropped = {n for n, _p in numbered[: max(0, len(numbered) - max(keep, 1))]}
    for n, old in numbered:
        if n in dropped:
            with contextlib.suppress(OSError):
                old.unlink()
    if dropped:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                m = _ARCHIVE.match(name)
                if m and int(m.group(1)) in dropped:
                    with contextlib.suppress(OSError):
                        (folder / name).unlink()
    return target


def take_archive(backup: Path, year: int, raw: bytes) -> Path:
    """Keep an archive as it was before a change rewrote it, beside that change's backup."""
    target = backup.with_name(f"{backup.stem}.archive-{int(year)}.json")
    store.write_atomic(target, raw, sync_dir=False)
    return target


def archive_copies(path: Path, year: int) -> list[Path]:
    """The archive copies of `year` in the backup set, newest first."""
    folder = store.backup_dir(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [(int(m.group(1)), folder / n) for n in names
             if (m := _ARCHIVE.match(n)) and int(m.group(2)) == int(year)]  # fmt: skip
    return [p for _n, p in sorted(found, reverse=True)]


def keep(path: Path, raw: bytes, label: str) -> Path:
    """A backup outside the rotation, named for why it was taken."""
    folder = _folder(path)
    target = folder / f"{label}-{_next_number(folder):06d}.json"
    store.write_atomic(target, raw)
    return target


def newest_good(path: Path) -> Path | None:
    """The newest backup that reads as a store this version of sanjian can open."""
    for candidate in reversed(listing(path)):
        try:
            raw = candidate.read_bytes()
        except OSError:
            continue
        data, _problem = store.parse(raw)
        if data is not None and store.schema_of(data) <= store.SCHEMA:
            return candidate
    return None
