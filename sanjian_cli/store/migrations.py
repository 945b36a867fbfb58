"""Schema migrations: each step takes the store's data from version N to N+1 in place.

`files.SCHEMA` is the version this sanjian writes. A store with an older version is migrated
when it is opened (saved, after a backup, by the next change); a newer one is refused.
Version 0 is a store written before the version was kept in `_meta`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanjian_cli.store import archive, files

Data = dict[str, Any]

Upgrade = Callable[[str, Data], Data]


def _v0_to_v1(data: Data, upgrade: Upgrade) -> None:
    """Stores from before `_meta`: record the version; documents get the fields later code
    reads without a default, so old meetings and topics read like new ones. What those
    fields are is the domain's to say (`StorePolicy.upgrade`, `documents.upgrade`)."""
    for table in ("members", "topics", "meetings", "decisions"):
        for doc in data.get(table, {}).values():
            upgrade(table, doc)


def _v1_to_v2(data: Data, upgrade: Upgrade) -> None:
    """Closed years may live in archive files: nothing in the data changes (the next change
    moves them), but ids are now handed out from `_meta.next_id`, since archiving lowers the
    highest id left in the hot file."""
    meta = data.setdefault("_meta", {}).setdefault("1", {})
    meta["next_id"] = archive.next_ids(data)


def _v2_to_v3(data: Data, upgrade: Upgrade) -> None:
    """Archives may write the bulky parts of their documents apart (`files.decode` puts
    them back): nothing in the hot file changes, archives an older sanjian wrote are read as
    they are, and the version tells an older sanjian not to rewrite an archive it would
    read without those parts."""


def _v3_to_v4(data: Data, upgrade: Upgrade) -> None:
    """The hot file writes the bulky parts of its documents apart too (`store.bulk`):
    nothing in the data changes (the next change writes the file in two parts), and the
    version tells an older sanjian, which would read its meetings without those parts, not
    to open it."""


def _v4_to_v5(data: Data, upgrade: Upgrade) -> None:
    """The hot file writes a closed meeting's roll, votes, notes and agenda apart as well:
    nothing in the data changes (the next change writes the file so), and the version
    tells an older sanjian, which would count this year's meetings without their rolls,
    not to open it."""


def _v5_to_v6(data: Data, upgrade: Upgrade) -> None:
    """The log's state hashes the hot file's bulk tables apart (`files.state_hash`): nothing
    in the data changes, and the version tells an older sanjian, which would take every
    state this one logs for an edit, not to open it."""


def _v6_to_v7(data: Data, upgrade: Upgrade) -> None:
    """The hot file's bulk tables are a file of their own (`store.bulkfile`): nothing in
    the data changes (the next change writes them apart), and the version tells an older
    sanjian, which would read this year's closed meetings without their records, not to
    open it."""


STEPS: dict[int, Callable[[Data, Upgrade], None]] = {
    0: _v0_to_v1,
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
    6: _v6_to_v7,
}


def _as_is(table: str, doc: Data) -> Data:
    return doc


def migrate(data: Data, target: int | None = None, upgrade: Upgrade = _as_is) -> int:
    """Bring `data` up to `target` (default: files.SCHEMA) in place, documents through
    `upgrade` (the store policy's); returns the old version."""
    goal = files.SCHEMA if target is None else target
    start = files.schema_of(data)
    version = start
    while version < goal:
        STEPS[version](data, upgrade)
        version += 1
        meta = data.setdefault("_meta", {}).setdefault("1", {})
        meta["schema"] = version
    return start
