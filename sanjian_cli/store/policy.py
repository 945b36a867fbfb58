"""What the store needs to know about the committee, told by the domain.

The store owns files, not rules: it does not know what a topic's status means or what a
setting is called. Whoever opens a store (the CLI, see `services/storage.py`) hands it a
policy answering the few questions its layout and its safety depend on. `Neutral` answers
them without any committee rules: nothing is ever archived, times are UTC, the default
number of backups and the default lock timeout.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Protocol

Data = dict[str, Any]

BACKUPS = 10
LOCK_TIMEOUT = 10.0


class StorePolicy(Protocol):
    def settled(self, table: str, doc: Data) -> tuple[int, int] | None:
        """For a document whose life is over: the year whose archive it belongs to, and the
        year that must be closed before it moves there (usually the same). None while the
        document is open: it stays in the hot file whatever its age."""
        ...

    def is_open(self, table: str, doc: Data) -> bool:
        """Whether `doc` is open (always in the hot file): `Record.open_topics()` and
        `open_decisions()` list these."""
        ...

    def closed_before(self, data: Data) -> int | None:
        """Every year before the one returned is closed (None: none is), judged from the hot
        file's data."""
        ...

    def timestamp(self, data: Data | None) -> str:
        """Now, as the audit log records a change to `data` (ISO 8601 with the offset)."""
        ...

    def backups(self, data: Data) -> int:
        """How many automatic backups to keep for the record in `data` (0: none)."""
        ...

    def lock_timeout(self, raw: bytes) -> float | None:
        """The lock timeout the committee chose, found in the hot file's bytes (read before
        locking, so without parsing the file), or None for the default."""
        ...

    def archive_notes(self, tables: Data) -> Data:
        """What the hot file's listing keeps of an archive being written (its tables), beside
        its hash and id ranges: facts a command would otherwise open the archive to learn."""
        ...

    def archive_bulk(self, table: str) -> tuple[tuple[str, ...], ...]:
        """The nested fields of `table`'s documents each archive writes apart, after its
        tables (each a path of keys: `store.bulk`): large, and read only with the whole
        document, so a reader of the tables alone is not slowed by them."""
        ...

    def hot_bulk(self, table: str, doc: Data | None) -> tuple[tuple[str, ...], ...]:
        """The same for the hot file, of the document `doc` (None: every field a document
        of `table` may have written apart). The answer may depend only on what the
        document keeps in its table (a part is not there to ask)."""
        ...

    def hot_notes(self, data: Data) -> Data:
        """What the hot file's `_meta` keeps of its own tables (`data`, as written): facts a
        TAB would otherwise parse a large table to learn. Derived, never the record: a
        reader that finds none (an older store) reads the tables."""
        ...

    def upgrade(self, table: str, doc: Data) -> Data:
        """`doc` of `table` brought to the current shape in place (fields an older sanjian
        did not write get their defaults): run by the migration of an old store."""
        ...


class Neutral:
    """A policy that knows no committee: for a store opened without one."""

    def settled(self, table: str, doc: Data) -> tuple[int, int] | None:
        return None

    def is_open(self, table: str, doc: Data) -> bool:
        return False

    def closed_before(self, data: Data) -> int | None:
        return None

    def timestamp(self, data: Data | None) -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

    def backups(self, data: Data) -> int:
        return BACKUPS

    def lock_timeout(self, raw: bytes) -> float | None:
        return None

    def archive_notes(self, tables: Data) -> Data:
        return {}

    def archive_bulk(self, table: str) -> tuple[tuple[str, ...], ...]:
        return ()

    def hot_bulk(self, table: str, doc: Data | None) -> tuple[tuple[str, ...], ...]:
        return ()

    def hot_notes(self, data: Data) -> Data:
        return {}

    def upgrade(self, table: str, doc: Data) -> Data:
        return doc


NEUTRAL = Neutral()


def with_notes(meta: Data, policy: StorePolicy, data: Data) -> Data:
    """`meta` with the policy's `hot_notes` of `data` (or without any, when it has none)."""
    notes = policy.hot_notes(data)
    meta = {k: v for k, v in meta.items() if k != "notes"}
    if notes:
        meta["notes"] = notes
    return meta
