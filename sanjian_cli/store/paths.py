"""Where a store and its sidecars live.

A store is named by the path of its hot file (`sanjian.json`); everything else sits beside
it: the lock note, the audit log, the backup set and the folder of yearly archives. When the
path is a symbolic link, the store is the link's target, and so are the places beside it:
otherwise a write would replace the link with a file and leave the real store behind.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_path() -> Path:
    """`$SANJIAN_DB`, else `$XDG_DATA_HOME/sanjian/sanjian.json` (~/.local/share when unset)."""
    env = os.environ.get("SANJIAN_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "sanjian.json"


def target(path: Path) -> Path:
    """`path` with every symbolic link at its end followed (a path that is no link is
    returned as given, relative or not); a loop of links is left to fail on open."""
    seen = 0
    while seen < 40 and os.path.islink(path):
        link = os.readlink(path)
        path = Path(link) if os.path.isabs(link) else path.parent / link
        seen += 1
    return path


def lock_path(path: Path) -> Path:
    """The lock note: who holds the store exclusively (the lock itself is on the folder)."""
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


def staged_archive(path: Path, year: int | str, sha: str) -> Path:
    """A new version of an archive written before the change that needs it is committed,
    named by its hash: the committed hot file lists that hash, so a reader finds it here
    until the version is moved to its place (`archive_path`) after the commit."""
    return archive_dir(path) / f".{int(year)}.{sha[:16]}.json"


def bulk_file(name: str) -> str:
    """The name of the bulk file (a hot file's bulk tables) whose SHA-256 is `name`."""
    return f"bulk.{name}.json"


def bulk_path(folder: Path, name: str) -> Path:
    """The bulk file whose SHA-256 is `name` in `folder`: the store's archive folder (the
    live one) or its backup set (the copies its backups name)."""
    return folder / bulk_file(name)
