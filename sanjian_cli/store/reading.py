"""Opening the hot file: its bytes and data, or the one-line refusal that says what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanjian_cli.errors import StoreError
from sanjian_cli.store import files

Data = dict[str, Any]


def corrupt(path: Path, problem: str) -> StoreError:
    """A damaged store: what is wrong, and the newest backup that can be restored."""
    from sanjian_cli.store import backups

    good = backups.newest_good(path)
    if good is None:
        return StoreError("store_corrupt_nobackup", path=str(path), problem=problem)
    return StoreError("store_corrupt_backup", path=str(path), problem=problem, backup=str(good))


def read_bytes(path: Path) -> bytes | None:
    """The bytes of the store; None when there is no store yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError("store_unreadable", path=str(path), reason="a directory") from None
    except OSError as exc:
        raise StoreError("store_unreadable", path=str(path), reason=exc.strerror) from None


def read(path: Path) -> tuple[bytes | None, Data]:
    """The bytes and the data of the store, every document whole; (None, {}) when there is
    no store yet."""
    raw = read_bytes(path)
    if raw is None:
        return None, {}
    data, problem = files.decode(raw)
    if data is None:
        raise corrupt(path, problem or "?")
    return raw, data


def check_version(path: Path, data: Data) -> int:
    """The schema of `data`; a store from a newer sanjian is refused."""
    version = files.schema_of(data)
    if version > files.SCHEMA:
        raise StoreError("store_too_new", path=str(path), schema=version)
    return version


def unwritable(path: Path, exc: OSError) -> StoreError:
    return StoreError("store_unwritable", path=str(path), reason=exc.strerror or str(exc))
