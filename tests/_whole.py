"""A hot file as one file: its bulk tables, which a store of schema 7 writes to a file of
their own (`store.bulkfile`), put back in it. A test that keeps a store as its hot file's
bytes, to write them back under another name, keeps these: the hot file alone names a bulk
file that is not beside the copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sanjian_cli.store import bulkfile, files


def whole_bytes(db: Path) -> bytes:
    """The hot file `db` (the store's, or a backup) with its bulk tables in it (a schema-6
    layout, which sanjian reads and the next change writes apart again)."""
    raw = db.read_bytes()
    whole, problem = files.assembled(raw, bulkfile.finder(db, beside=db))
    assert whole is not None, problem
    return whole


def whole_json(db: Path) -> dict[str, Any]:
    """`whole_bytes` parsed: the tables, the bulk tables among them."""
    found: dict[str, Any] = json.loads(whole_bytes(db))
    return found


def decoded(db: Path) -> dict[str, Any]:
    """The hot file's record, every document whole (`files.decode`)."""
    data, problem = files.decode(whole_bytes(db))
    assert data is not None, problem
    return data
