"""The committee's record in memory, as one command sees it: `Record`.

The hot file is a TinyDB database, and every change goes through TinyDB's table API (insert
with the id from `_meta.next_id`, update by id). Look-ups read TinyDB's layout directly,
with the indexes TinyDB does not keep (a meeting by its date, an archived document by its id
range). Documents handed out are copies: a caller may change them freely, and only the
`add_*`/`update_*` methods change the record.
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanjian_cli.errors import StoreError
from sanjian_cli.store import bulk
from sanjian_cli.store.archive import ARCHIVED, Shelf, next_ids, year_of
from sanjian_cli.store.files import Index, dumps, holds_state
from sanjian_cli.store.policy import NEUTRAL, StorePolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

Data = dict[str, Any]


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (marshal copies it faster than copy.deepcopy or a parse)."""
    return marshal.loads(marshal.dumps(value))


class _Memory:
    """TinyDB storage over the hot file's data, read once per command under the lock; the
    Store decides when (and whether) it reaches disk, atomically."""

    def __init__(self, data: Data) -> None:
        self.data = data

    def read(self) -> Data:
        return self.data

    def write(self, data: Data) -> None:
        # TinyDB hands back the very dict that read() gave it, updated in place.
        self.data = data

    def close(self) -> None:
        pass


class Record:
    """The committee's record in memory: typed access to its tables, as plain dicts.

    The hot file is a TinyDB database, and every change goes through TinyDB's table API
    (insert with the id from `_meta.next_id`, update by id). Look-ups read TinyDB's layout
    directly, with the indexes TinyDB does not keep (a meeting by its date, an archived
    document by its id range).

    Documents come back as dicts with their id under "id" (members, topics, meetings,
    decisions); ids are stable and never reused (`_meta.next_id`), since nothing is ever
    deleted.

    The whole-history accessors (`meetings()`, `topics()`, `decisions()`) read every
    archive; the others read the hot file and at most the archive they need:
    `meeting(day)` the archive of day's year, `topic(id)`/`decision(id)` those whose id
    range takes the id in, `open_topics()`/`open_decisions()` none (open documents are
    always hot), `decisions_of(day)` one, `meetings_since(day)` the years from day's on,
    `latest_meeting_before(day)` the newest years until one has a meeting.

    `amendment` is the reason given with --amend for this change (None without it); the
    rules that guard closed and approved meetings read it (see meetings.require_open).

    A record for a change hands out deep copies, so a document changes only through
    `update_...`; and a document is never changed in place: the first change of one replaces
    it by a copy (copy-on-write). So the record as read stays whole in the objects read
    (the store keeps a shallow view of the tables for the audit diff, not a deep copy), and
    a document that is still the object read from the file is still its text there
    (`files.Index`). A `shared` one (`Store.reading`: nothing it holds is ever saved) hands out
    each document as a new dict over the record's own values: a report over ten years then
    holds the archives once, not twice (about 17 MB and 20 ms less).

    Read from a file through its `index`, the documents with parts written apart (a closed
    meeting's records and filed minutes: `store.bulk`, `StorePolicy.hot_bulk`) are light
    until something hands one out whole: one alone has its own part read where the file
    says it lies (`Index.take`), any other call parses the parts and puts them back
    (`whole`). The accessors that need no parts say so: `meetings_since` with `fields`
    (and its `where`, asked of light documents) and `latest_meeting_before` with `fields`.
    """

    def __init__(
        self,
        data: Data,
        amendment: str | None = None,
        shelf: Shelf | None = None,
        policy: StorePolicy = NEUTRAL,
        shared: bool = False,
        index: Index | None = None,
    ) -> None:
        self._data = data
        self._index = index if index is not None and index.pending else None
        self.shared = shared
        self._shelf = shelf if shelf is not None else Shelf(None, {})
        self.policy = policy
        self.amendment = amendment
        self.amended: set[str] = set()
        # Archived documents this command changed (copied into the hot file), as they were.
        self.pulled: dict[tuple[str, str], Data] = {}
        self._dates: dict[str, str] | None = None
        self.amendment_by: int | None = None  # the member amending (--by), if named
        # The store this record was read from (None in memory), the bytes it was read from,
        # and fields this change adds to its log entry (`log_note`).
        self.store_path: Path | None = None
        self._read_bytes: bytes | None = None
        self.log_fields: dict[str, Any] = {}
        self._db: Any = None
        # Hot documents that are this command's own objects (added, or copied before their
        # first change): changed in place from then on.
        self._owned: set[tuple[str, str]] = set()

    def _table(self, name: str) -> Any:
        """The TinyDB table `name` of the hot file (tinydb imported on the first change)."""
        if self._db is None:
            from tinydb import TinyDB

            self._db = TinyDB(storage=_Memory, data=self._data)
        return self._db.table(name, cache_size=0)

    # -- the raw tables ------------------------------------------------------------------
    def whole(self) -> None:
        """Put the parts written apart back into their documents (once; see the class)."""
        index = self._index
        if index is None:
            return
        self._index = None
        problem = index.join(self._data)
        if problem is not None:
            from sanjian_cli.store.reading import corrupt

            raise corrupt(self.store_path or Path("?"), problem)

    def _need(self, table: str, key: str | None = None) -> None:
        """Before the document `key` of `table` (or, without `key`, any) is handed out
        whole: its part read alone where that can be done (`Index.take`), else all."""
        if self._index is not None:
            parts = self.policy.hot_bulk
            if not parts(table, None):
                return
            if key is None:
                self.whole()
                return
            doc = (self._data.get(table) or {}).get(key)
            if (
                isinstance(doc, dict)
                and bulk.may_hold(doc, parts(table, doc))
                and not self._index.take(self._data, table, key)
            ):
                self.whole()

    def _light(self, fields: tuple[str, ...], table: str = "meetings") -> bool:
        """Whether `fields` of a document of `table` hold none of the parts the hot file
        writes apart."""
        return not any(path[0] in fields for path in self.policy.hot_bulk(table, None))

    def _archive_light(self, fields: tuple[str, ...], table: str = "meetings") -> bool:
        """Whether `fields` hold none of the parts an archive writes apart."""
        return not any(path[0] in fields for path in self.policy.archive_bulk(table))

    def _hot(self, table: str) -> dict[str, Any]:
        rows = self._data.get(table)
        if rows is None:
            rows = self._data[table] = {}
        return rows

    def _own(self, table: str, key: str) -> None:
        """Before the hot document `key` is changed: a copy of it takes its place, the first
        time (see the class docstring)."""
        if (table, key) not in self._owned:
            rows = self._hot(table)
            self._need(table, key)
            rows[key] = _copy(rows[key])
            self._owned.add((table, key))

    def _out(self, key: str, doc: Data) -> Data:
        if self.shared:
            return dict(doc, id=int(key))
        out: Data = _copy(doc)
        out["id"] = int(key)
        return out

    def _sorted(self, rows: dict[str, Any]) -> list[Data]:
        keys = sorted(rows, key=int)
        if self.shared:
            return [dict(rows[k], id=int(k)) for k in keys]
        docs: list[Data] = _copy([rows[k] for k in keys])  # one copy for the lot
        for key, doc in zip(keys, docs, strict=True):
            doc["id"] = int(key)
        return docs

    # -- committee ---------------------------------------------------------------------
    @property
    def exists(self) -> bool:
        return bool(self._data.get("committee"))

    def committee(self) -> dict[str, Any]:
        docs = self._data.get("committee") or {}
        return _copy(next(iter(docs.values()))) if docs else {}

    def set_committee(self, doc: dict[str, Any]) -> None:
        table = self._hot("committee")
        if table:
            key = next(iter(table))
            self._own("committee", key)
            self._table("committee").update(_copy(doc), doc_ids=[int(key)])
        else:
            self._insert("committee", doc)

    def clear(self) -> None:
        """Empty every table (used only by the demo, to replace its own earlier store).
        The log's place in `_meta` stays; ids start again, old archives are left unread."""
        meta = {k: v for k, v in self.meta.items() if k in ("schema", "log_head", "log_size",
                                                            "log_n")}  # fmt: skip
        self._data.clear()
        self._data["_meta"] = {"1": meta}
        self._index = None  # nothing left to put parts back into
        self._shelf = Shelf(None, {})
        self.pulled.clear()
        self._dates = None
        self._owned.clear()

    @property
    def meta(self) -> dict[str, Any]:
        return _copy(self._data.get("_meta", {}).get("1") or {})

    def raw(self) -> dict[str, Any]:
        """The hot file as TinyDB lays it out, its documents with parts apart light until
        `whole`; do not change it."""
        return self._data

    @property
    def shelf(self) -> Shelf:
        return self._shelf

    # -- generic tables ----------------------------------------------------------------
    def _all(self, table: str) -> list[dict[str, Any]]:
        self._need(table)
        hot = self._data.get(table) or {}
        if table not in ARCHIVED or not self._shelf.listing:
            return self._sorted(hot)
        rows = self._shelf.merged(table)
        rows.update(hot)
        return self._sorted(rows)

    def by_year(self, table: str) -> Iterator[list[dict[str, Any]]]:
        """Every document of `table` (meetings, topics or decisions), one closed year at a
        time and then the hot file's, each list by id: the documents `meetings()`, `topics()`
        and `decisions()` give, without holding the history at once (a reading record reads
        each archive, and only as far as `table`, when its turn comes and keeps none).
        A document the hot file holds comes with the hot file's only; one that two archives
        hold (sanjian never writes that) comes with each, and the later one is the one
        `meetings()` and the others give."""
        hot = self._data.get(table) or {}
        if table in ARCHIVED:
            for year in self._shelf.years():
                rows = self._shelf.peek(year, (table,)).get(table) or {}
                yield self._sorted({k: d for k, d in rows.items() if k not in hot})
        yield self._sorted(self._as_archived(table, hot))

    def _as_archived(self, table: str, rows: dict[str, Any]) -> dict[str, Any]:
        """The hot documents `rows` of `table` as light as an archive's table gives them
        (`by_year`): the parts the hot file writes apart and an archive does not (a closed
        meeting's roll and votes) put back, each read from its own entry, and not the
        parts both write apart (the filed minutes, most of the bytes)."""
        index = self._index
        if index is None:
            return rows
        archived = set(self.policy.archive_bulk(table))
        out = dict(rows)
        for key, doc in rows.items():
            paths = self.policy.hot_bulk(table, doc)
            wanted = {path[0] for path in paths if path not in archived}
            if not wanted or not bulk.may_hold(doc, paths) or (table, key) in index.taken:
                continue
            found = index.members(table, key, wanted)
            if found is None:
                self._need(table)  # every part put back, in place
                return rows
            if found:
                out[key] = bulk.joined(doc, found)
        return out

    def _find(self, table: str, key: str) -> tuple[Data | None, int | None]:
        """The document `key` of `table` and the archive year it was found in (None: hot)."""
        hot = self._data.get(table) or {}
        if key in hot:
            self._need(table, key)
            return hot[key], None
        if table in ARCHIVED and key.isdigit():
            for year in self._shelf.holding(table, int(key)):
                doc = self._shelf.table(year, table).get(key)
                if doc is not None:
                    return doc, year
        return None, None

    def _get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        key = str(doc_id)
        doc, _found_in = self._find(table, key)
        return self._out(key, doc) if doc is not None else None

    def _next_id(self, table: str) -> int:
        meta = self._data.setdefault("_meta", {}).setdefault("1", {})
        ids = meta.get("next_id")
        if not isinstance(ids, dict):
            ids = meta["next_id"] = next_ids(self._data, self._shelf)
        value = ids.get(table)
        if not isinstance(value, int) or value < 1:
            value = next_ids(self._data, self._shelf)[table]
        hot = self._hot(table)
        while str(value) in hot:
            value += 1
        ids[table] = value + 1
        return value

    def _insert(self, table: str, doc: dict[str, Any]) -> int:
        from tinydb.table import Document

        doc = _copy({k: v for k, v in doc.items() if k != "id"})
        doc_id = self._next_id(table)
        self._table(table).insert(Document(doc, doc_id=doc_id))
        self._owned.add((table, str(doc_id)))
        if table == "meetings" and self._dates is not None:
            self._dates.setdefault(str(doc.get("date")), str(doc_id))
        return doc_id

    def _update(self, table: str, doc_id: int, fields: dict[str, Any]) -> None:
        fields = _copy({k: v for k, v in fields.items() if k != "id"})
        key = str(doc_id)
        doc, year = self._find(table, key)
        if doc is None:
            raise KeyError(f"{table}/{doc_id}")
        if year is not None:
            # A closed year's document: copied into the hot file (which wins) and changed
            # there; a later change moves it back to its archive.
            from tinydb.table import Document

            self.pulled[(table, key)] = doc
            copy = _copy(doc)
            self._table(table).insert(Document(copy, doc_id=doc_id))
            self._owned.add((table, key))
            if table == "meetings" and self._dates is not None:
                self._dates[copy.get("date")] = key
        else:
            self._own(table, key)
        self._table(table).update(fields, doc_ids=[doc_id])

    # -- removing and putting back (corrections and `undo`) --------------------------------
    def document(self, table: str, key: str | int) -> dict[str, Any] | None:
        """The document `key` of `table` as stored (without its id), hot or archived."""
        doc, _year = self._find(table, str(key))
        return doc

    def remove_document(self, table: str, doc_id: int) -> None:
        """Take document `doc_id` out of `table` (its id is never given again). Only a
        document of the hot file can go: one moved to a closed year's archive stays."""
        key = str(doc_id)
        doc, year = self._find(table, key)
        if doc is None:
            raise KeyError(f"{table}/{doc_id}")
        if year is not None:
            raise StoreError("remove_archived", table=table, id=doc_id, year=year)
        self._table(table).remove(doc_ids=[doc_id])
        if table == "meetings" and self._dates is not None:
            self._dates = None

    def put_document(self, table: str, doc_id: int, doc: dict[str, Any]) -> None:
        """Put back document `doc_id` of `table`, as it was before it was removed."""
        from tinydb.table import Document

        if self._find(table, str(doc_id))[0] is not None:
            raise StoreError("put_taken", table=table, id=doc_id)
        body = {k: v for k, v in json.loads(dumps(doc)).items() if k != "id"}
        self._table(table).insert(Document(body, doc_id=doc_id))
        self._owned.add((table, str(doc_id)))
        if table == "meetings":
            self._dates = None

    def patch_document(
        self, table: str, doc_id: int, fields: dict[str, Any], unset: list[str]
    ) -> None:
        """Set `fields` of document `doc_id` and drop the keys `unset` (put back a document
        as it was before a change that added fields to it)."""
        self._update(table, doc_id, fields)
        if unset:
            keys = list(unset)

            def drop(doc: dict[str, Any]) -> None:
                for k in keys:
                    doc.pop(k, None)

            self._table(table).update(drop, doc_ids=[doc_id])

    def remove_member(self, member_id: int) -> None:
        self.remove_document("members", member_id)

    def remove_decision(self, decision_id: int) -> None:
        self.remove_document("decisions", decision_id)

    def log_note(self, **fields: Any) -> None:
        """Fields this change adds to its audit log entry (what a correction or an undo
        changed, and why)."""
        self.log_fields.update(fields)

    def disk_holds(self, state: Any) -> bool:
        """Whether the hot file as it was read from disk (before any upgrade in memory) is
        in `state`, the state the last log entry recorded (`files.holds_state`: its bytes
        hashed as sanjian wrote them, else its content)."""
        raw = self._read_bytes
        if raw is None or not isinstance(state, str):
            return raw is None and state is None
        from sanjian_cli.store import bulkfile

        load = bulkfile.live(self.store_path) if self.store_path is not None else None
        return holds_state(raw, state, self.policy.hot_bulk, load)

    def change_to_undo(self) -> dict[str, Any] | None:
        """The log entry `undo` would revert now (see `store.undo`), or None."""
        from sanjian_cli.store import undo

        return undo.target(self)

    def changed_since(self, entry: dict[str, Any]) -> list[str]:
        from sanjian_cli.store import undo

        return undo.changed_since(self, entry)

    def revert(self, entry: dict[str, Any]) -> list[tuple[str, int]]:
        """Put back what the change logged as `entry` replaced."""
        from sanjian_cli.store import undo

        return undo.revert(self, entry)

    # -- members -------------------------------------------------------------------------
    def members(self) -> list[dict[str, Any]]:
        return self._all("members")

    def member(self, member_id: int) -> dict[str, Any] | None:
        return self._get("members", member_id)

    def add_member(self, doc: dict[str, Any]) -> int:
        return self._insert("members", doc)

    def update_member(self, member_id: int, fields: dict[str, Any]) -> None:
        self._update("members", member_id, fields)

    # -- topics --------------------------------------------------------------------------
    def topics(self) -> list[dict[str, Any]]:
        """Every topic, all years (reads every archive)."""
        return self._all("topics")

    def open_topics(self) -> list[dict[str, Any]]:
        """Proposed, accepted and scheduled topics (all in the hot file), by id."""
        hot = self._data.get("topics") or {}
        is_open = self.policy.is_open
        return self._sorted({k: d for k, d in hot.items() if is_open("topics", d)})

    def topics_with_status(self, status: str | None) -> list[dict[str, Any]]:
        """Topics in `status` (None: all); an open status reads no archive."""
        if status is not None and self.policy.is_open("topics", {"status": status}):
            hot = self._data.get("topics") or {}
            return self._sorted({k: d for k, d in hot.items() if d.get("status") == status})
        return [t for t in self.topics() if status is None or t["status"] == status]

    def topic(self, topic_id: int) -> dict[str, Any] | None:
        return self._get("topics", topic_id)

    def add_topic(self, doc: dict[str, Any]) -> int:
        return self._insert("topics", doc)

    def update_topic(self, topic_id: int, fields: dict[str, Any]) -> None:
        self._update("topics", topic_id, fields)

    # -- meetings ------------------------------------------------------------------------
    def meetings(self) -> list[dict[str, Any]]:
        """All meetings, oldest first (reads every archive)."""
        return sorted(self._all("meetings"), key=lambda m: m["date"])

    def meeting(self, day: str) -> dict[str, Any] | None:
        """The meeting on `day` (YYYY-MM-DD): the hot file, else the archive of its year."""
        hot = self._data.get("meetings") or {}
        if self._dates is None:
            self._dates = {}
            for key, doc in hot.items():
                self._dates.setdefault(doc.get("date"), key)
        key = self._dates.get(day)
        if key is not None and key in hot:
            self._need("meetings", key)
            return self._out(key, hot[key])
        year = year_of(day)
        if self._shelf.has(year):
            for key, doc in self._shelf.table(year, "meetings").items():  # type: ignore[arg-type]
                if doc.get("date") == day:
                    return self._out(key, hot.get(key, doc))
        return None

    def meetings_since(
        self,
        day: str,
        fields: tuple[str, ...] | None = None,
        read: Callable[[int], bool] | None = None,
        where: Callable[[Data], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """The meetings on or after `day`, oldest first (reads the archives of those years;
        with `read`, only the years it says yes to: the hot file's are always given). With
        `where`, only those it says yes to (asked before a document is copied). With
        `fields`, each holds only those (its date always) and its id: all that counting or
        scheduling reads, without a copy of every meeting's records (nor, unless one of them
        holds the parts written apart, those parts). `where` is asked of each meeting light
        (without those parts): only the meetings it keeps are read whole."""
        light = fields is not None and self._light(fields)
        # Fields an archive's meetings table holds are read from it alone, one year at a
        # time, and only those fields kept: every meeting of ten years, not every archive;
        # and of the hot file's meetings, their records without their filed minutes.
        alone = fields is not None and self._archive_light(fields)
        hot = self._data.get("meetings") or {}
        if not light and where is None:
            if alone:
                hot = self._as_archived("meetings", hot)
            else:
                self._need("meetings")
        first = year_of(day) or 0
        rows: dict[str, Any] = {}
        wanted = ("date", *fields) if fields is not None else ()
        for year in self._shelf.years():
            if year >= first and (read is None or read(year)):
                docs = (
                    self._shelf.peek(year, ("meetings",)).get("meetings") or {}
                    if alone
                    else self._shelf.table(year, "meetings")
                )
                for key, doc in docs.items():
                    if doc.get("date", "") >= day and (where is None or where(doc)):
                        rows[key] = {f: doc[f] for f in wanted if f in doc} if alone else doc
        for key, doc in hot.items():
            rows.pop(key, None)  # the hot copy wins, whatever its day
            if doc.get("date", "") >= day and (where is None or where(doc)):
                if where is not None and not light:
                    self._need("meetings", key)
                rows[key] = doc
        if fields is not None:
            rows = {
                k: d if alone and k not in hot else {f: d[f] for f in wanted if f in d}
                for k, d in rows.items()
            }
        return sorted(self._sorted(rows), key=lambda m: m["date"])

    def latest_meeting_before(
        self,
        day: str,
        skip: tuple[str, ...] = ("skipped",),
        fields: tuple[str, ...] | None = None,
    ) -> dict[str, Any] | None:
        """The latest meeting before `day` whose status is not in `skip`: the hot file, then
        the archives from the newest year down, stopping once no older year can beat it.
        With `fields`, it holds only those (its date and status always) and its id, and the
        parts written apart are not read (unless "filed" is one)."""
        hot = self._data.get("meetings") or {}

        def better(doc: Data, best: Data | None) -> bool:
            when = doc.get("date")
            return (
                isinstance(when, str)
                and when < day
                and doc.get("status") not in skip
                and (best is None or when > best["date"])
            )

        best_key, best = None, None
        for key, doc in hot.items():
            if better(doc, best):
                best_key, best = key, doc
        last = year_of(day) or 0
        light = fields is not None and self._light(fields)
        alone = fields is not None and self._archive_light(fields)
        for year in reversed(self._shelf.years()):
            if year > last:
                continue
            if best is not None and best["date"] >= f"{year + 1:04d}":
                break
            found = self._shelf.light if alone else self._shelf.table
            for key, doc in found(year, "meetings").items():
                if key not in hot and better(doc, best):
                    best_key, best = key, doc
        if best is None or not best_key:
            return None
        if (light and best_key in hot) or (alone and best_key not in hot):
            wanted = ("date", "status", *fields)  # type: ignore[misc]
            return {**{f: _copy(best[f]) for f in wanted if f in best}, "id": int(best_key)}
        if best_key in hot:
            self._need("meetings", best_key)
        return self._out(best_key, best)

    def add_meeting(self, doc: dict[str, Any]) -> int:
        return self._insert("meetings", doc)

    def update_meeting(self, meeting_id: int, fields: dict[str, Any]) -> None:
        self._update("meetings", meeting_id, fields)

    # -- decisions -----------------------------------------------------------------------
    def decisions(self) -> list[dict[str, Any]]:
        """Every decision item, all years (reads every archive)."""
        return self._all("decisions")

    def open_decisions(self) -> list[dict[str, Any]]:
        """The items not yet done (all in the hot file), by id."""
        hot = self._data.get("decisions") or {}
        is_open = self.policy.is_open
        return self._sorted({k: d for k, d in hot.items() if is_open("decisions", d)})

    def decisions_of(self, day: str) -> list[dict[str, Any]]:
        """The items decided at the meeting of `day`, by id (reads that year's archive)."""
        rows: dict[str, Any] = {}
        year = year_of(day)
        if self._shelf.has(year):
            rows.update(
                (k, d) for k, d in self._shelf.table(year, "decisions").items()  # type: ignore[arg-type]
                if d.get("meeting") == day
            )  # fmt: skip
        for key, doc in (self._data.get("decisions") or {}).items():
            if doc.get("meeting") == day:
                rows[key] = doc
            else:
                rows.pop(key, None)  # the hot copy wins
        return self._sorted(rows)

    def decision(self, decision_id: int) -> dict[str, Any] | None:
        return self._get("decisions", decision_id)

    def add_decision(self, doc: dict[str, Any]) -> int:
        return self._insert("decisions", doc)

    def update_decision(self, decision_id: int, fields: dict[str, Any]) -> None:
        self._update("decisions", decision_id, fields)
