"""`Store`: the one way into a store, for reading or for one change.

A command opens the hot file once, under the lock (shared for reading, exclusive for
changing), works on it in memory through a `Record`, and a changing command writes it back
once, when it succeeds (see `commit` for how, all or nothing). A command that fails writes
nothing, so a refused operation leaves every file as it was.

Before a change the store is checked against its audit log, cheaply (the log's last entry
and a hash of the hot file's bytes): a store *behind its log* (put back from an older copy:
the log holds committed changes it does not) or *edited outside sanjian* (its content is not
the state its last entry records) is not written over. The refusal says what to do:
restore the newest backup, or accept the store as it is with a logged `doctor --adopt` or
`doctor --accept-edits`. Without those checks the next change would re-hash the forged or
rolled-back record and the log would never show it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanjian_cli.errors import StoreError
from sanjian_cli.store import archive, bulk, bulkfile, files, lock, migrations, paths
from sanjian_cli.store.policy import LOCK_TIMEOUT, NEUTRAL, StorePolicy, with_notes
from sanjian_cli.store.reading import check_version, corrupt, read_bytes, unwritable
from sanjian_cli.store.record import Record

if TYPE_CHECKING:
    from sanjian_cli.store import audit

Data = dict[str, Any]
Problem = tuple[str, str, dict[str, Any]]


def reading_shelf(path: Path, listing: Any, policy: StorePolicy) -> archive.Shelf:
    """The archives of a record that only reads: each archive's bytes let go once parsed,
    and a table with no parts written apart read alone (the policy says which)."""
    return archive.Shelf(
        path, listing, keep_raw=False, whole_alone=lambda table: not policy.archive_bulk(table)
    )


# A plain class, not a dataclass: only `doctor` builds it, and every command that opens
# the store would pay for importing dataclasses.
class Inspection:
    """The store as `doctor` sees it, under a shared lock (`Store.inspecting`): the hot
    file's data (or why it cannot be read), its closed meetings light until `whole`; its
    archives read one at a time when asked for (the whole record decoded at once is 17 MB
    of JSON on ten years: 70 MB); and what the store itself finds wrong with its files and
    its log (each (where, catalog key, params)). A problem of an archive is added to
    `file_problems` when `archive` reads it."""

    def __init__(
        self,
        path: Path,
        data: Data,
        problem: str | None = None,
        too_new: int | None = None,
        policy: StorePolicy = NEUTRAL,
    ) -> None:
        self.path = path
        self.data = data
        self.problem = problem
        self.too_new = too_new
        self.policy = policy
        self.file_problems: list[Problem] = []
        self._log_problems: list[Problem] = []
        self._check_log: Callable[[], list[Problem]] | None = None
        self.listing: dict[str, Any] = archive.listed(files.meta_of(data).get("archives"))
        self.pending: set[int] = set()  # years a change was archiving (`plan_moves`)
        self._reported: set[int] = set()
        # Set while `data` is light: its documents' parts written apart not put back yet.
        self.index: files.Index | None = None
        self._whole_problem: str | None = None

    @property
    def log_problems(self) -> list[Problem]:
        """What is wrong with the log against the store, checked when first asked for: a
        hot file laid out otherwise than sanjian wrote it has its content hashed whole,
        so `doctor` asks last, when its own checks have made it whole already."""
        if self._check_log is not None:
            self._log_problems, self._check_log = self._check_log(), None
        return self._log_problems

    def whole(self) -> str | None:
        """Put the parts written apart back into the hot file's documents (`data`), once;
        what is wrong with them, or None."""
        if self.index is not None:
            self._whole_problem = self.index.join(self.data)
            self.index = None
        return self._whole_problem

    def years(self) -> list[int]:
        """The archived years the hot file lists, oldest first."""
        return sorted(int(y) for y in self.listing)

    def _bytes(self, year: int) -> bytes | None:
        sha = self.listing[str(year)].get("sha256")
        with contextlib.suppress(OSError):
            return archive.current_file(self.path, year, sha).read_bytes()
        return None

    def tables(self, year: int) -> Data | None:
        """The archive's tables, its documents without the parts written apart (what a
        check of the references across the files needs to know of it), or None when the
        archive cannot be read (`archive` says why)."""
        raw = self._bytes(year)
        if raw is None:
            return None
        found = files.leading_tables(archive.before_bulk(raw), archive.ARCHIVED)
        if found is None:
            data, _problem = files.decode(raw)
            found = None if data is None else {t: data.get(t) or {} for t in archive.ARCHIVED}
        return found

    def archive(self, year: int) -> tuple[Data, files.Parts | None] | None:
        """`year`'s archive, read for the caller alone (not kept): its tables, their
        documents light, with its parts written apart to put back one document at a time
        (`files.light_and_parts`: none, and every document whole, for an archive laid out
        otherwise); None when it cannot be read. What is wrong with its file (missing,
        unreadable, edited outside sanjian, left by an interrupted change) is added to
        `file_problems` once."""
        sha = self.listing[str(year)].get("sha256")
        file = archive.current_file(self.path, year, sha)
        where = str(paths.archive_path(self.path, year))
        read: tuple[Data, files.Parts | None] | None = None
        try:
            raw = file.read_bytes()
        except FileNotFoundError:
            found: Problem | None = (where, "doctor.archive_missing", {})
        except OSError as exc:
            found = (where, "doctor.unreadable", {"problem": exc.strerror or str(exc)})
        else:
            edited = files.sha256(raw) != sha
            data, parts, problem = files.light_and_parts(raw)
            del raw
            if data is None:
                found = (where, "doctor.unreadable", {"problem": problem})
            else:
                read = (data, parts)
                found = None
                if edited:
                    key = "archive_interrupted" if year in self.pending else "archive_edited"
                    found = (where, f"doctor.{key}", {})
        if found is not None and year not in self._reported:
            self._reported.add(year)
            self.file_problems.append(found)
        return read

    def record(self, loaded: dict[int, Data]) -> Record:
        """A reading record of the hot file, its archives read when asked for, those of
        `loaded` (already read by the caller) as given."""
        shelf = reading_shelf(self.path, self.listing, self.policy)
        shelf.loaded.update(loaded)
        return Record(self.data, shelf=shelf, policy=self.policy, shared=True, index=self.index)


class Store:
    """The store at `path` (its hot file; a symbolic link is followed to its target) and its
    archives: open it for reading or for one change.

    `policy` tells the store what it must know of the committee (see `policy.StorePolicy`).
    `command` (argv) and `amendment` go into the audit log entry of a change. The lock
    timeout is, in order: the argument, $SANJIAN_LOCK_TIMEOUT, the policy's (the committee's
    setting), 10 s.
    """

    def __init__(
        self,
        path: Path,
        policy: StorePolicy = NEUTRAL,
        *,
        lock_timeout: float | None = None,
        command: list[str] | None = None,
        amendment: str | None = None,
    ) -> None:
        self.path = paths.target(path)
        self.policy = policy
        self.lock_timeout = lock_timeout
        self.command = list(command) if command is not None else None
        self.amendment = amendment
        self.archived: list[int] = []  # the years the last change wrote archives for
        self.owner: files.Owner = None

    # -- locking ------------------------------------------------------------------------
    def _timeout(self) -> float:
        if self.lock_timeout is not None:
            return self.lock_timeout
        from_env = lock.env_timeout()
        if from_env is not None:
            return from_env
        # Every version of the file is whole (atomic replace), so a peek needs no lock.
        with contextlib.suppress(OSError, ValueError):
            found = self.policy.lock_timeout(self._head())
            if found is not None:
                return found
        return LOCK_TIMEOUT

    # The committee's settings come first in the hot file, after `_meta`: a peek at them
    # reads this much (on ten years the file is 1.7 MB, 2 ms of every command to read).
    HEAD = 65536

    def _head(self) -> bytes:
        """The hot file's bytes as far as its committee table, when that ends within the
        first `HEAD` bytes; else the whole file. The committee's settings are the only
        place their keys occur unescaped, so a search of these bytes finds what a search
        of the file would."""
        with open(self.path, "rb") as handle:
            head = handle.read(self.HEAD)
            if len(head) < self.HEAD:
                return head  # the whole file
            cut = head[: head.rfind(b",") + 1]  # whole characters: a comma is one byte
            if files.leading_tables(cut, ("committee",)) is not None:
                return cut
            return head + handle.read()

    def _argv(self) -> list[str]:
        return self.command if self.command is not None else list(sys.argv)

    def _me(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "user": files.whoami(),
            "command": self._argv(),
            "since": self.policy.timestamp(None),
        }

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        self.owner = files.owner_of(self.path)
        if exclusive:
            try:
                if not self.path.parent.is_dir():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    files.give(self.path.parent, self.owner)
            except OSError as exc:
                raise unwritable(self.path, exc) from None
        try:
            held = lock.acquire(
                self.path, exclusive, self._timeout(), self._me() if exclusive else None, self.owner
            )
        except PermissionError as exc:
            raise StoreError("store_unreadable", path=str(self.path), reason=exc.strerror) from None
        try:
            yield
        finally:
            lock.release(held)

    def _shelf(self, data: Data, verify: bool = False) -> archive.Shelf:
        return archive.Shelf(self.path, files.meta_of(data).get("archives"), verify)

    # -- reading and changing -------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self) -> Iterator[Record]:
        """The record as it is now, under a shared lock. Changes are not saved."""
        if not self.path.exists():
            # Nothing to read, and a read of nothing creates nothing (no folder, no lock note).
            yield Record({}, policy=self.policy)
            return
        with self._locked(exclusive=False):
            # This year's topics, meetings and items are parsed when first asked for: a
            # member list never asks.
            # A read that only shows checks no file against the log, the bulk file neither.
            data, index = self._parsed(
                read_bytes(self.path), spans=False, defer=bulk.TABLES, verify=False
            )
            if check_version(self.path, data) < files.SCHEMA:
                if isinstance(data, files.Tables):
                    data.complete()
                self._join(data, index)
                index = None
                migrations.migrate(
                    data, upgrade=self.policy.upgrade
                )  # in memory: saved by a change
            shelf = reading_shelf(self.path, files.meta_of(data).get("archives"), self.policy)
            record = Record(data, shelf=shelf, policy=self.policy, shared=True, index=index)
            record.store_path = self.path
            yield record

    def _parsed(
        self,
        raw: bytes | None,
        spans: bool = True,
        defer: tuple[str, ...] = (),
        verify: bool = True,
    ) -> tuple[Data, files.Index | None]:
        """The hot file's data, its documents with parts apart light (`files.Index`), the
        tables from the first in `defer` on parsed when first asked for (`files.Tables`);
        its bulk file (`store.bulkfile`) read when first needed, checked against its name
        with `verify`."""
        if raw is None:
            return {}, None
        load = bulkfile.live(self.path)
        found, problem, index = files.parse_indexed(raw, spans, defer, load, verify)
        if found is None:
            raise corrupt(self.path, problem or "?")
        if isinstance(found, files.Tables):
            found.error = lambda problem: corrupt(self.path, problem)
        return found, index

    def _join(self, data: Data, index: files.Index | None) -> None:
        """Every document of `data` whole: the parts written apart put back."""
        problem = index.join(data) if index is not None else None
        if problem is not None:
            raise corrupt(self.path, problem)

    @contextlib.contextmanager
    def writing(self, archive: bool = False) -> Iterator[Record]:
        """The record for one change, under an exclusive lock; saved only if the block ends
        without an exception and something changed (or, with `archive`, something is due
        for the archives). A store that cannot be read, that is behind its log or that was
        edited outside sanjian is never written over."""
        with self._locked(exclusive=True):
            raw = read_bytes(self.path)
            data, index = self._parsed(raw)
            version = check_version(self.path, data)
            at, verified = self._standing(raw, data, index)
            name = index.bulk_file if index is not None and index.apart else None
            if name is not None and not bulkfile.exists(self.path, name):
                raise corrupt(self.path, files.bulk_missing(name))  # not named by a new file
            if not verified or version < files.SCHEMA:
                # Text sanjian did not write is never copied into the new file, and a store
                # of an older layout is written again whole.
                self._join(data, index)
                index = None
            if version < files.SCHEMA and raw is not None:
                # The record as read, for the audit diff: a deep copy, migrated like the
                # record (marshal copies JSON data faster than parsing the bytes again).
                before = marshal.loads(marshal.dumps(data))
                migrations.migrate(data, upgrade=self.policy.upgrade)
                migrations.migrate(before, upgrade=self.policy.upgrade)
            else:
                # The record never changes a document in place (copy-on-write), so a view of
                # its tables as read is the record as read.
                before = {name: dict(rows) if isinstance(rows, dict) else rows
                          for name, rows in data.items()}  # fmt: skip
            record = Record(
                data, self.amendment, self._shelf(data, verify=True), self.policy, index=index
            )
            record.store_path, record._read_bytes = self.path, raw
            yield record
            self._commit(raw, before, record, version, archive, at, index)

    def archive(self) -> list[int]:
        """Move whatever belongs in a closed year to its archive now (a change like any
        other: backed up and logged). Returns the years written."""
        with self.writing(archive=True):
            pass
        return self.archived

    def _standing(
        self, raw: bytes | None, data: Data, index: files.Index | None
    ) -> tuple[audit.Tail, bool]:
        """Where the next log entry goes, and whether the hot file is byte for byte the one
        sanjian wrote in the state the log records (`files.body_verified`); refuses a store
        that must not be written over."""
        from sanjian_cli.store import audit, backups  # here: a read needs neither

        at = audit.tail(self.path, files.meta_of(data))
        where = {"path": str(self.path), "log": str(paths.log_path(self.path))}
        if at.kind == "unclaimed":
            if raw is None:
                good = backups.newest_good(self.path)
                key = "store_log_orphan" if good else "store_log_orphan_nobackup"
                raise StoreError(key, **where, count=at.lines, backup=str(good))
            raise StoreError("store_log_unclaimed", **where)
        if at.kind == "behind":
            found = self._holding(audit.last_state(self.path))
            key = "store_behind_log" if found else "store_behind_log_nobackup"
            raise StoreError(
                key, path=str(self.path), count=len(at.past), first=at.past[0],
                last=at.past[-1], backup=str(found),
            )  # fmt: skip
        state = (at.head or {}).get("state")
        if raw is None or not isinstance(state, str):
            return at, False
        if files.body_verified(raw, data, state, index):
            return at, True
        self._join(data, index)
        if files.state_of(data, self.policy.hot_bulk, like=state) != state:
            found = self._holding(state)
            key = "store_edited" if found else "store_edited_nobackup"
            raise StoreError(key, path=str(self.path), backup=str(found))
        return at, False

    def _holding(self, state: Any) -> Path | None:
        from sanjian_cli.store import backups  # here: a read does not load it

        return backups.holding(self.path, state) if isinstance(state, str) else None

    def _commit(
        self,
        raw: bytes | None,
        before: Data,
        record: Record,
        version: int,
        force: bool,
        at: audit.Tail,
        index: files.Index | None = None,
    ) -> None:
        from sanjian_cli.store import audit, undo  # here: a read loads neither

        after = record.raw()
        view = before
        if record.pulled:
            # What a pulled document was before this change is its archived copy.
            view = {name: dict(rows) for name, rows in before.items()}
            for (table, key), doc in record.pulled.items():
                view.setdefault(table, {}).setdefault(key, doc)
        changes = audit.diff(view, after)
        # What the change replaced, in full, before the move below takes documents out
        # (`sanjian undo` puts it back).
        reverts = undo.payload(view, after, changes) if changes else None
        migrated = raw is not None and version < files.SCHEMA
        shelf = record.shelf
        due = changes or migrated or force
        plan = archive.plan_key(after, shelf.listing, self.policy) if due else None
        # A file sanjian wrote (`index`) that its last change left with nothing due under
        # the same key: only the documents this change made or replaced are asked.
        noted = plan is not None and index is not None
        noted = noted and files.meta_of(before).get("nothing_due") == plan
        as_read = before if noted else None
        moves = archive.plan_moves(after, shelf.listing, self.policy, as_read) if due else {}
        for year_moves in moves.values():
            # An archived document changed now stays in the hot file (which wins) until the
            # next change moves it back: the archive only ever receives what the hot file
            # already holds. The next change plans them all again.
            for table, rows in year_moves.items():
                for key in [k for k in rows if (table, k) in record.pulled]:
                    del rows[key]
                    plan = None
        moves = {y: {t: r for t, r in m.items() if r} for y, m in moves.items()}
        moves = {y: m for y, m in moves.items() if m}
        if moves:
            record.whole()  # what an archive receives is whole (the parts join in place)
        if not changes and not migrated and not moves:
            return
        # Read every archive this change rewrites before writing anything: a damaged one
        # stops the change here, and nothing is written over.
        for year in moves:
            if shelf.has(year):
                shelf.get(year)
        # An archive that differs from its listing is not written over; unless the change
        # rewrites it with documents still in the hot file: a move an older sanjian left
        # half done (it wrote archives in place, before the hot file).
        edited = [year for year in shelf.edited if year not in moves]
        if edited:
            file = archive.current_file(self.path, edited[0], shelf.sha(edited[0]))
            raise StoreError("archive_edited_write", path=str(file))
        ids = archive.next_ids(after, shelf)  # before the move takes documents out of `after`
        prior = dict(shelf.listing)
        listing, staged = archive.build(after, moves, shelf, self.policy)
        if migrated:
            archive.note_missing(listing, shelf, self.policy)
        meta = dict(files.meta_of(after))
        meta["schema"] = files.SCHEMA
        if listing:
            meta["archives"] = listing
        meta["next_id"] = ids
        if moves and plan is not None:
            # The archives it wrote change the key: what is left is asked under the new one
            # (once a year, when a year closes), so the next change need not ask it all.
            left = archive.plan_moves(after, listing, self.policy)
            plan = None if left else archive.plan_key(after, listing, self.policy)
        meta.pop("nothing_due", None)
        if plan is not None:
            meta["nothing_due"] = plan
        meta = with_notes(meta, self.policy, after)
        try:
            body = files.written_body(meta, after, self.policy.hot_bulk, index)
        except ValueError as exc:  # the bulk file could not be read for the parts it copies
            raise corrupt(self.path, str(exc)) from None
        doc = audit.entry(
            changes,
            at=self.policy.timestamp(after),
            user=files.whoami(),
            command=self._argv(),
            amendment=self.amendment if record.amended else None,
            migrated_from=version if migrated else None,
            archived=sorted(moves) or None,
        )
        doc.update(record.log_fields)
        if reverts is not None:
            doc["undo"] = reverts
        self._write(
            meta, body, doc, at, listing,
            before=raw, labels=[f"before-schema-{files.SCHEMA}"] if migrated else [],
            archives_before={y: shelf.raw[y] for y in staged if y in shelf.raw},
            staged=staged, prior=prior, keep=self.policy.backups(after),
        )  # fmt: skip
        after.setdefault("_meta", {})["1"] = meta
        self.archived = sorted(moves)

    def _write(
        self,
        meta: dict[str, Any],
        body: files.Chunks,
        doc: dict[str, Any],
        at: audit.Tail,
        listing: dict[str, Any],
        **change: Any,
    ) -> Path | None:
        """Log `doc` after `at`, name it in `meta` and commit the hot file `meta` + `body`."""
        from sanjian_cli.store import audit  # here: a read does not load it
        from sanjian_cli.store.commit import Change
        from sanjian_cli.store.commit import write as commit_write

        n = at.n + 1
        light, apart = files.apart(meta, body)  # the bulk tables a file of their own
        line = audit.encode(doc, n, at.prev, files.state_hash(body, listing))
        meta.update(log_head=audit.line_hash(line), log_size=at.size + len(line) + 1, log_n=n)
        prior = change.pop("prior")
        work = Change(
            files.payload_chunks(meta, light), line, at, listing, prior_listing=prior,
            bulk=apart, **change,
        )  # fmt: skip
        try:
            kept = commit_write(self.path, work, self.owner)
        except OSError as exc:
            raise unwritable(self.path, exc) from None
        doc["n"] = n
        return kept

    # -- whole-file operations -------------------------------------------------------------
    def backup(self, output: Path | None) -> Path:
        """Copy the store (as it is, under a shared lock) to `output` or the backup set: one
        file holding the hot file and every archive, which `restore` takes back."""
        from sanjian_cli.store import backups  # here: a read does not load it

        with self._locked(exclusive=False):
            raw = read_bytes(self.path)
            if raw is None:
                raise StoreError("store_missing", path=str(self.path))
            raw, problem = files.assembled(raw, bulkfile.live(self.path), verify=False)
            if raw is None:
                raise corrupt(self.path, problem or "?")
            data, index = self._parsed(raw, spans=False)
            shelf = archive.Shelf(self.path, files.meta_of(data).get("archives"), keep_raw=False)
            whole: bytes | Iterable[bytes | memoryview] = raw
            if shelf.listing:
                # A year at a time from the files' bytes; the record merged whole when the
                # files are not laid out as sanjian writes them.
                light = index is not None and index.pending
                pieces = archive.whole_pieces(shelf, raw, data, light)
                if pieces is None:
                    if index is not None:
                        self._join(data, index)
                    whole = archive.whole_payload(archive.merge(data, shelf))
                else:
                    whole = pieces
            try:
                if output is None:
                    keep = max(1, self.policy.backups(data))
                    return backups.take(self.path, whole, keep, self.owner)
                files.write_atomic(output, whole)
            except OSError as exc:
                raise unwritable(output or paths.backup_dir(self.path), exc) from None
            return output

    def restore(self, source: Path) -> dict[str, Any]:
        """Replace the store by the store in `source`, after checking it (see `restore`)."""
        from sanjian_cli.store import restore

        with self._locked(exclusive=True):
            return restore.restore(self, source)

    def history(self) -> list[dict[str, Any]]:
        """The audit log's entries, oldest first (what `sanjian log` shows)."""
        from sanjian_cli.store import audit  # here: a read does not load it

        meta: dict[str, Any] | None = None
        with contextlib.suppress(StoreError, OSError):
            with self._locked(exclusive=False):
                data, _problem = files.parse(self.path.read_bytes())
                meta = files.meta_of(data) if data is not None else None
                return audit.entries(self.path, meta)
        return audit.entries(self.path, meta)

    @contextlib.contextmanager
    def inspecting(self) -> Iterator[Inspection]:
        """For `doctor`: the store and its archives as they are, under a shared lock for
        the block, with what is wrong with the log (and, as they are read, with the
        archives' files); the content is the caller's to check."""
        if not self.path.exists():
            raise StoreError("store_missing", path=str(self.path))
        with self._locked(exclusive=False):
            yield self._inspection()

    def _inspection(self) -> Inspection:
        # Parsed light: the closed meetings' parts stay the file's bytes (`Index.rest`)
        # until `Inspection.whole`, after the archives are checked.
        from sanjian_cli.store import audit  # here: a read does not load it

        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise StoreError("store_unreadable", path=str(self.path), reason=exc.strerror) from None
        # The year's closed meetings light (their records and minutes left as the file's
        # bytes) until the hot file's own checks: 6 MB less while the archives are read.
        data, problem, index = files.parse_indexed(
            raw, spans=False, load=bulkfile.live(self.path), verify=True
        )
        found = Inspection(self.path, data or {}, problem, policy=self.policy)
        found.index = index if index is not None and index.pending else None
        if data is None:
            return found
        version = files.schema_of(data)
        if version > files.SCHEMA:
            found.too_new = version
            return found
        found.pending = set(archive.plan_moves(data, found.listing, self.policy))

        def holds(state: str) -> bool:
            if files.body_verified(raw, data, state):
                return True
            # Laid out otherwise than sanjian wrote it: its content is hashed, whole.
            return (
                found.whole() is None
                and files.state_of(data, self.policy.hot_bulk, like=state) == state
            )

        meta = files.meta_of(data)
        found._check_log = lambda: audit.verify(self.path, meta, holds)
        return found

    def adopt(self, reason: str, edits_only: bool = False) -> dict[str, Any]:
        """Accept the store as it is and log that (`doctor --adopt`, `--accept-edits`)."""
        from sanjian_cli.store import restore

        with self._locked(exclusive=True):
            return restore.adopt(self, reason, edits_only)
