"""Yearly archives: the closed years of the record, one file each, beside the hot file.

`<store stem>.d/YYYY.json` holds a closed year's meetings and the documents settled in it, in
TinyDB's layout with `_meta` naming the year. Which document belongs to which year, and when
a year is closed, is the policy's to say (`StorePolicy.settled`, `closed_before`); this
module moves what it is told to move.

The hot file's `_meta.archives` lists each archive's SHA-256 and id ranges
(`{"2019": {"sha256": ..., "topics": [lo, hi], ...}}`), so `topic(id)` of an old id opens
one file, and the audit log's state hash covers the archives. A new version of an archive
is written under a name of its own (`.YYYY.<sha>.json`, see `paths.staged_archive`) before
the hot file that lists it, and moved to its place after: until the hot file is replaced
the old archive is untouched (a kill or a full disk leaves the old record whole), and once
it is, a reader finds the listed version by its hash.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from sanjian_cli.errors import StoreError
from sanjian_cli.store import bulk, files, paths
from sanjian_cli.store.policy import StorePolicy

# The tables an archive holds, in the order it holds them: the meetings first, which the
# reports over the years read (`Shelf.peek` stops after the table it needs); the bulk of
# the meetings, written apart (`archive_payload`), comes after them all (`files.decode`
# puts it back).
ARCHIVED = bulk.TABLES

Data = dict[str, Any]
Moves = dict[int, dict[str, dict[str, Any]]]
_NONE = object()  # no document read under that key


def year_of(text: Any) -> int | None:
    """The year of an ISO date or time (`2026-11-25...`), None for anything else."""
    if isinstance(text, str) and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def plan_key(data: Data, listing: Mapping[str, Any], policy: StorePolicy) -> list[Any]:
    """What the plan of moves asks of each document besides the document itself: the year
    before which every year is closed, and the years that have an archive (with the schema,
    which a change of the rules comes with). A change notes it in `_meta.nothing_due` when the
    plan it made under it left nothing due in the hot file."""
    return [files.SCHEMA, policy.closed_before(data), sorted(_archived(listing))]


def _archived(listing: Mapping[str, Any]) -> set[int]:
    """The years a listing has an archive for."""
    return {int(y) for y in listing if str(y).isdigit()}


def plan_moves(
    data: Data,
    listing: dict[str, Any],
    policy: StorePolicy,
    as_read: Mapping[str, Any] | None = None,
) -> Moves:
    """The hot documents that belong in a closed year: {year: {table: {id: doc}}}. A cheap
    pass over the hot file, which is small: it decides whether a change archives at all.
    `as_read`: the tables of a file whose last change left nothing due under the same
    `plan_key`; its documents that are still the very objects read are not asked again
    (in November of a ten-year store, 750 documents for the one or two a change made)."""
    cutoff = policy.closed_before(data)
    archived = _archived(listing)
    moves: Moves = {}
    for table in ARCHIVED:
        read = (as_read or {}).get(table) or {}
        for key, doc in (data.get(table) or {}).items():
            if read.get(key, _NONE) is doc:
                continue
            year = destination(policy, table, doc, cutoff, archived)
            if year is not None:
                moves.setdefault(year, {}).setdefault(table, {})[key] = doc
    return moves


def destination(
    policy: StorePolicy, table: str, doc: Any, cutoff: int | None, archived: set[int]
) -> int | None:
    """The year whose archive the document `doc` of `table` moves to (None: it stays hot):
    settled (the policy says) in a year that is closed (before `cutoff`) or already has an
    archive (`archived`)."""
    try:
        found = policy.settled(table, doc) if isinstance(doc, dict) else None
    except (AttributeError, TypeError, IndexError, KeyError):
        found = None  # a hand-edited document of the wrong shape stays hot
    if found is None:
        return None
    year, gate = found
    if gate in archived or (cutoff is not None and gate < cutoff):
        return year
    return None


def ranges(tables: Data) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for table in ARCHIVED:
        ids = [int(k) for k in tables.get(table, {})]
        if ids:
            out[table] = [min(ids), max(ids)]
    return out


def archive_payload(
    year: int,
    tables: Mapping[str, Mapping[str, Data]],
    policy: StorePolicy | None = None,
    spans: dict[str, list[int]] | None = None,
) -> bytes:
    """An archive file: TinyDB's layout, documents in id order, `_meta` naming its year.
    The parts of documents the policy calls bulky (`archive_bulk`: a closed meeting's filed
    minutes) are written apart, in a table of their own after all the others, so a reader
    of one table (`Shelf.peek`) stops before them; `files.decode` puts them back. `spans` (a
    dict) is told where each table of ARCHIVED lies in the file, in bytes [start, end): a
    reader of one table reads those bytes alone.

    Each document is written as soon as it is split, and only its text kept: `tables` may
    hand its documents out one at a time (`restore` reads them from the file restored)."""
    pieces: list[bytes] = [
        b'{"_meta":' + files.dumps({"1": {"schema": files.SCHEMA, "archive": year}}).encode("utf-8")
    ]
    at = len(pieces[0])
    bulks: dict[str, list[str]] = {}
    for table in ARCHIVED:
        rows = tables.get(table) or {}
        parts = policy.archive_bulk(table) if policy is not None else ()
        entries: list[str] = []
        for key in sorted(rows, key=int):
            light, part = bulk.split(rows[key], parts) if parts else (rows[key], {})
            entries.append(files.dumps(key) + ":" + files.dumps(light))
            if part:
                bulks.setdefault(bulk.name(table), []).append(
                    files.dumps(key) + ":" + files.dumps(part)
                )
        head = ("," + files.dumps(table) + ":").encode("utf-8")
        text = ("{" + ",".join(entries) + "}").encode("utf-8")
        del entries
        at += len(head)
        if spans is not None:
            spans[table] = [at, at + len(text)]
        pieces += (head, text)
        at += len(text)
    for name, entries in bulks.items():
        pieces += (
            ("," + files.dumps(name) + ":{").encode("utf-8"),
            ",".join(entries).encode("utf-8"),
            b"}",
        )
    return b"".join(pieces) + b"}"


def before_bulk(raw: bytes) -> bytes:
    """An archive as sanjian wrote it, without the tables written apart after the others:
    a whole JSON file of its own."""
    at = bulk.start(raw)
    return raw[:at] + b"}" if at >= 0 else raw


def listed(listing: Any) -> dict[str, Any]:
    """The usable entries of `_meta.archives`."""
    if not isinstance(listing, dict):
        return {}
    return {y: v for y, v in listing.items() if str(y).isdigit() and isinstance(v, dict)}


def current_file(path: Path, year: int, sha: Any) -> Path:
    """The file holding the listed version of `year`'s archive: its staged copy while the
    change that wrote it has not yet moved it to its place, else its place."""
    if isinstance(sha, str) and sha:
        staged = paths.staged_archive(path, year, sha)
        if staged.exists():
            return staged
    return paths.archive_path(path, year)


class Shelf:
    """The archives of one store, each read (at most once per command) when first asked for.

    `listing` is `_meta.archives`. With `verify` (a changing command), each archive read is
    checked against the hash the listing keeps for it; `edited` names those that differ.
    Without `keep_raw` (a command that only reads) an archive's bytes are let go once parsed:
    5 MB less at the peak of a report over ten years. Such a shelf, told which tables have
    no parts written apart (`whole_alone`: the policy's), reads one of them alone where the
    listing says it lies (`table`): a lookup of a decision or a list of them all decodes no
    meeting of the years it reads.
    """

    def __init__(
        self,
        path: Path | None,
        listing: Any,
        verify: bool = False,
        keep_raw: bool = True,
        whole_alone: Callable[[str], bool] | None = None,
    ) -> None:
        self.path = path
        self.listing: dict[str, Any] = listed(listing)
        self.loaded: dict[int, Data] = {}
        self.raw: dict[int, bytes] = {}
        self.verify = verify
        self.keep_raw = keep_raw or verify
        self.edited: list[int] = []
        self.whole_alone = whole_alone
        self.alone: dict[tuple[int, str], dict[str, Any]] = {}  # (year, table) read alone
        # newest first, for `holding`: asked once per document looked up by id
        self._newest_first = sorted((int(y) for y in self.listing), reverse=True)

    def years(self) -> list[int]:
        return self._newest_first[::-1]

    def has(self, year: int | None) -> bool:
        return year is not None and str(year) in self.listing

    def notes(self, year: int) -> dict[str, Any]:
        """What the listing says of `year`'s archive (see `StorePolicy.archive_notes`)."""
        return self.listing.get(str(year)) or {}

    def sha(self, year: int) -> Any:
        return (self.listing.get(str(year)) or {}).get("sha256")

    def _read(self, year: int) -> tuple[Path, bytes]:
        assert self.path is not None
        file = current_file(self.path, year, self.sha(year))
        try:
            return file, file.read_bytes()
        except FileNotFoundError:
            raise StoreError("archive_missing", path=str(file)) from None
        except OSError as exc:
            raise StoreError(
                "archive_unreadable", path=str(file), reason=exc.strerror or str(exc)
            ) from None

    @staticmethod
    def _parse(file: Path, raw: bytes) -> Data:
        data, problem = files.decode(raw)
        if data is None:
            raise StoreError("archive_corrupt", path=str(file), problem=problem or "?")
        return data

    def get(self, year: int) -> Data:
        if year not in self.loaded:
            if self.path is None:
                return {}
            file, raw = self._checked(year)
            self.loaded[year] = self._parse(file, raw)
        return self.loaded[year]

    def _checked(self, year: int) -> tuple[Path, bytes]:
        """`year`'s archive as bytes, read once (kept with `keep_raw`): with `verify`, hashed
        against the listing the first time, and named in `edited` when it differs."""
        raw = self.raw.get(year)
        if raw is not None:
            assert self.path is not None
            return current_file(self.path, year, self.sha(year)), raw
        file, raw = self._read(year)
        if self.verify and files.sha256(raw) != self.sha(year):
            self.edited.append(year)
        if self.keep_raw:
            self.raw[year] = raw
        return file, raw

    def peek(self, year: int, wanted: tuple[str, ...]) -> Data:
        """The tables `wanted` of `year`'s archive, read for the caller alone: not kept, so
        a command that folds the years one by one holds one archive at a time.

        An archive is decoded only as far as the last table wanted (the meetings of a year
        come first, in the order of ARCHIVED), its documents without the parts written
        apart after all the tables (a closed meeting's filed follow-up and topics: what a
        report over the years never reads, nor decodes from UTF-8). An archive in which
        they are not found there is parsed whole (every document whole), and refused as
        `get` refuses it. Like `get` for a reading record, it does not hash the file: what
        a report reads is what the file holds, and `doctor` tells an archive edited outside
        sanjian. A record for a change checks the file against the listing's hash and keeps
        its bytes, as `get` does, but decodes only the tables wanted too."""
        if year in self.loaded or self.path is None:
            return self.get(year)
        if self.verify:
            # A change hashes the whole file (an edited archive stops it), but decodes only
            # the tables wanted: in January, the agenda's look back eight weeks into last
            # year would otherwise decode every meeting of that year (20 ms on ten years).
            _file, raw = self._checked(year)
            found = self._tables_alone(year, wanted, raw)
            if found is None:
                found = files.leading_tables(before_bulk(raw), wanted)
            return found if found is not None else self.get(year)
        if self.keep_raw:
            return self.get(year)
        found = self._tables_alone(year, wanted)
        if found is not None:
            return found
        file, raw = self._read(year)
        found = files.leading_tables(before_bulk(raw), wanted)
        if found is not None:
            return found
        return self._parse(file, raw)

    def _tables_alone(
        self, year: int, wanted: tuple[str, ...], raw: bytes | None = None
    ) -> Data | None:
        """The tables `wanted`, each read alone from where the listing says it lies in the
        archive (`archive_payload`'s spans): its bytes, and nothing else of the file (or of
        `raw`, the file already read). None when the listing does not say, or the bytes
        there are not such a table (an archive edited or replaced since): the caller reads
        the file."""
        spans = self.notes(year).get("spans")
        if not isinstance(spans, dict) or self.path is None:
            return None
        try:
            if raw is not None:
                return _tables_at(spans, wanted, lambda start, end: raw[start - 1 : end])
            with open(current_file(self.path, year, self.sha(year)), "rb") as handle:

                def piece(start: int, end: int) -> bytes:
                    handle.seek(start - 1)
                    return handle.read(end - start + 1)

                return _tables_at(spans, wanted, piece)
        except (OSError, ValueError):
            return None

    def light(self, year: int, table: str) -> dict[str, Any]:
        """The documents of `table` in `year`'s archive without the parts written apart (a
        closed meeting's filed minutes), read alone and kept for the command; whole where
        the archive is read whole anyway (a change, or an archive already read)."""
        if year in self.loaded or self.keep_raw or self.path is None:
            return self.table(year, table)
        found = self._alone(year, table, f"{table} light")
        return self.table(year, table) if found is None else found

    def _alone(self, year: int, table: str, kept_as: str) -> dict[str, Any] | None:
        """`table` of `year`'s archive read alone (`_tables_alone`), kept under `kept_as`
        for the command; None when it cannot be read alone."""
        key = (year, kept_as)
        if key not in self.alone:
            found = self._tables_alone(year, (table,))
            if found is None:
                return None
            self.alone[key] = found.get(table) or {}
        return self.alone[key]

    def table(self, year: int, table: str) -> dict[str, Any]:
        """The documents of `table` in `year`'s archive, whole (kept for the command)."""
        if (
            year not in self.loaded
            and not self.keep_raw
            and self.whole_alone is not None
            and self.whole_alone(table)
        ):
            found = self._alone(year, table, table)
            if found is not None:
                return found
        return self.get(year).get(table) or {}

    def holding(self, table: str, doc_id: int) -> list[int]:
        """The archives whose id range of `table` takes in `doc_id`, newest first."""
        found = []
        for year in self._newest_first:
            span = self.listing[str(year)].get(table)
            if isinstance(span, list) and len(span) == 2 and span[0] <= doc_id <= span[1]:
                found.append(year)
        return found

    def merged(self, table: str) -> dict[str, Any]:
        """Every archived document of `table`, a later year's copy winning a duplicate."""
        out: dict[str, Any] = {}
        for year in self.years():
            out.update(self.table(year, table))
        return out


def spans_of(raw: bytes) -> dict[str, list[int]] | None:
    """Where each table of ARCHIVED lies in the archive file `raw`, in bytes, as
    `archive_payload` tells them (for an archive written before it did); None for a file
    not laid out as sanjian writes one (compact, its tables at the top level)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    decoder = json.JSONDecoder()
    spans: dict[str, list[int]] = {}  # in characters, first
    at = 1
    try:
        if not text.startswith("{"):
            return None
        while True:
            key, at = decoder.raw_decode(text, at)
            if not isinstance(key, str) or text[at] != ":":
                return None
            start = at + 1
            _value, at = decoder.raw_decode(text, start)
            if key in ARCHIVED:
                spans[key] = [start, at]
            if text[at] != ",":
                break
            at += 1
    except (ValueError, IndexError):
        return None
    if at != len(text) - 1 or text[at] != "}":
        return None
    # characters to bytes, in one pass over the text
    out: dict[str, list[int]] = {}
    marks = sorted({n for span in spans.values() for n in span})
    offset, last = 0, 0
    where: dict[int, int] = {}
    for mark in marks:
        offset += len(text[last:mark].encode("utf-8"))
        where[mark] = offset
        last = mark
    for table, (start, end) in spans.items():
        out[table] = [where[start], where[end]]
    return out


def note_missing(listing: dict[str, Any], shelf: Shelf, policy: StorePolicy | None = None) -> None:
    """Give each archive the listing names without the spans of its tables (written before
    archives were listed with them) its spans, and without a note the policy keeps of an
    archive (`archive_notes`, of an older sanjian) its notes, found in the file: the change
    that upgrades a store reads each old archive once, so a report reads only its tables,
    and a look back only the archives its notes name, ever after. An archive that cannot
    be read, or is not as the listing says, is left as it is."""
    # The notes of no tables name every note the policy keeps, each empty.
    keys = set(policy.archive_notes({})) if policy is not None else set()
    for year, entry in listing.items():
        if not str(year).isdigit() or not shelf.has(int(year)):
            continue
        if "spans" in entry and keys <= entry.keys():
            continue
        try:
            raw = shelf.raw.get(int(year)) or shelf._read(int(year))[1]
        except StoreError:
            continue
        if files.sha256(raw) != entry.get("sha256"):
            continue
        if "spans" not in entry:
            found = spans_of(raw)
            if found is not None:
                entry["spans"] = found
        if policy is not None and not keys <= entry.keys():
            tables, _problem = files.decode(raw)
            if tables is not None:
                entry.update({k: v for k, v in policy.archive_notes(tables).items()
                              if k not in entry})  # fmt: skip


def _tables_at(
    spans: dict[str, Any], wanted: tuple[str, ...], piece: Callable[[int, int], bytes]
) -> Data | None:
    """The tables `wanted` decoded from the bytes `piece` gives of each one's span; None
    when a span is missing or its bytes are not such a table. Raises ValueError for bytes
    that are not JSON."""
    found: Data = {}
    for table in wanted:
        span = spans.get(table)
        if not _is_span(span):
            return None
        start, end = cast("list[int]", span)
        raw = piece(start, end)
        # a table's value follows the colon after its name, and is an object
        if len(raw) != end - start + 1 or raw[:2] != b":{":
            return None
        found[table] = json.loads(raw[1:])
    return found if files.layout_problem(found) is None else None


def _is_span(span: Any) -> bool:
    """Whether `span` is [start, end) of bytes, as `archive_payload` tells them."""
    return (
        isinstance(span, list)
        and len(span) == 2
        and all(type(n) is int for n in span)
        and 0 < span[0] <= span[1]
    )


def merge(data: Data, shelf: Shelf) -> Data:
    """The whole record in one dict (archives under the hot file, which wins), without the
    archive listing: a single-file store this or a later sanjian reads and splits again."""
    out: Data = {name: dict(rows) for name, rows in data.items() if name != "_meta"}
    for table in ARCHIVED:
        rows = shelf.merged(table)
        rows.update(data.get(table) or {})
        if rows or table in out:
            out[table] = {k: rows[k] for k in sorted(rows, key=int)}
    meta = {k: v for k, v in files.meta_of(data).items() if k != "archives"}
    return {"_meta": {"1": meta}, **out}


def whole_payload(data: Data) -> bytes:
    """A store as one file (what `merge` returns), as the hot file is written."""
    return files.payload(files.meta_of(data), files.body_of(data))


def whole_pieces(
    shelf: Shelf, raw: bytes, data: Data, light: bool
) -> Iterator[bytes | memoryview] | None:
    """The record of the hot file `raw` and the archives of `shelf` as one file, made a
    year at a time from the files' own bytes: `merge` holds the whole record decoded
    (17 MB of JSON on ten years: 160 MB), this one archive. Each table's documents follow
    one another year by year, the hot file's last and winning (an archived document the hot
    file holds again is left out of its year); their parts written apart come after, in
    `_meetings_bulk`, which `files.decode` puts back (`restore` reads the file so). Only an
    archive whose hash is the listing's is copied so: None for any other (edited, damaged,
    or without its tables' places in the listing), and for a hot file laid out otherwise:
    `merge` then, which refuses a damaged archive. `data` is the hot file `raw` parsed,
    `light` when its parts were left apart (`files.parse_indexed`)."""
    hot_bulk: memoryview | bytes = b""
    if light:  # the hot file's parts, as they lie
        at = bulk.start(raw)
        size = _bulk_size(raw, at + 1)
        if size is None:
            return None
        begin = at + 1 + len(_BULK_HEAD)
        hot_bulk = memoryview(raw)[begin : begin + size]
    if shelf.path is None:
        return None
    plans: dict[int, dict[str, Any]] = {}
    for year in shelf.years():
        spans = shelf.notes(year).get("spans")
        if not isinstance(spans, dict) or not all(_is_span(spans.get(t)) for t in ARCHIVED):
            return None
        file, content = shelf._read(year)
        if files.sha256(content) != shelf.sha(year):
            return None  # edited or damaged: merged, and refused if it cannot be read
        where = _bulk_at(content, spans)
        if where is None:
            return None
        size = _bulk_size(content, where + 1) if where < len(content) - 1 else 0
        del content  # before the next year's is read
        if size is None:
            return None
        plans[year] = {"file": file, "spans": spans, "bulk": (where, size)}
    return _whole_pieces(shelf, data, hot_bulk, plans)


# What the bulk tables of a store file begin with: the entries of `_meetings_bulk` follow.
_BULK_HEAD = ('"' + bulk.name("meetings") + '":{').encode("ascii")


def _bulk_size(content: bytes, start: int) -> int | None:
    """The size of the entries of `_meetings_bulk` in the bulk tables of the store file
    `content`, which begin at `start`; None when they hold another bulk table too."""
    if not content.startswith(_BULK_HEAD, start) or not content.endswith(b"}}"):
        return None
    if any(content.find(f',"{name}":'.encode(), start) >= 0 for name in bulk.NAMES[1:]):
        return None
    return len(content) - 2 - (start + len(_BULK_HEAD))


def _bulk_at(content: bytes, spans: dict[str, Any]) -> int | None:
    """Where the bulk tables of the archive `content` begin (its last byte when it has
    none), once it is seen to be laid out as `archive_payload` writes it: `_meta`, then the
    tables at the places the listing gives, then the bulk tables. The caller has checked
    its hash against the listing's, so the bytes are the ones sanjian wrote. None for an
    archive laid out otherwise."""
    at = spans[ARCHIVED[0]][0] - len("," + files.dumps(ARCHIVED[0]) + ":")
    if not content.startswith(b'{"_meta":') or at <= 0:
        return None
    for table in ARCHIVED:
        name = ("," + files.dumps(table) + ":").encode("ascii")
        start, end = spans[table]
        if content[at : at + len(name)] != name or start != at + len(name):
            return None
        if content[start : start + 1] != b"{" or content[end - 1 : end] != b"}":
            return None
        at = end
    if content[at:] == b"}":
        return at
    return at if content.startswith(b',"', at) else None


def _whole_pieces(
    shelf: Shelf, data: Data, hot_bulk: memoryview | bytes, plans: dict[int, dict[str, Any]]
) -> Iterator[bytes | memoryview]:
    meta = {k: v for k, v in files.meta_of(data).items() if k not in ("archives", "bulk")}
    yield ('{"_meta":{"1":' + files.dumps(meta) + "}").encode("utf-8")
    names = [name for name in data if name != "_meta" and name not in bulk.NAMES]
    names += [t for t in ARCHIVED if t not in names]
    dropped: dict[int, set[str]] = {}  # year -> its meetings the hot file holds again

    def entries(name: str) -> Iterator[bytes | memoryview]:
        hot = data.get(name) or {}
        if name in ARCHIVED:
            for year, plan in plans.items():
                inner, taken = _table_inner(plan, name, hot, shelf.notes(year).get(name))
                if name == "meetings" and taken:
                    dropped[year] = taken
                yield inner
        yield files.dumps(hot)[1:-1].encode("utf-8")

    def parts() -> Iterator[bytes | memoryview]:
        for year, plan in plans.items():
            at, size = plan["bulk"]
            if not size:
                continue
            with open(plan["file"], "rb") as handle:
                handle.seek(at + 1 + len(_BULK_HEAD))  # after the comma and `"_meetings_bulk":{`
                inner = handle.read(size)
            if dropped.get(year):
                kept = {k: v for k, v in json.loads(b"{" + inner + b"}").items()
                        if k not in dropped[year]}  # fmt: skip
                inner = files.dumps(kept)[1:-1].encode("utf-8")
            yield inner
        yield hot_bulk

    for name in names:
        yield from _table(name, entries(name), always=name in data)
    yield from _table(bulk.name("meetings"), parts(), always=False)
    yield b"}"


def _table(
    name: str, entries: Iterator[bytes | memoryview], always: bool
) -> Iterator[bytes | memoryview]:
    """`,"name":{...}` from the runs of entries `entries` yields (each as it comes, an
    empty run skipped); nothing for no entry unless `always`."""
    started = False
    for run in entries:
        if not len(run):
            continue
        if started:
            yield b","
        else:
            yield ("," + files.dumps(name) + ":{").encode("utf-8")
            started = True
        yield run
    if started:
        yield b"}"
    elif always:
        yield ("," + files.dumps(name) + ":{}").encode("utf-8")


def _table_inner(plan: dict[str, Any], name: str, hot: Data, ids: Any) -> tuple[bytes, set[str]]:
    """The entries of table `name` in one archive, as bytes, without the documents the hot
    file holds again; and the keys of those left out."""
    start, end = plan["spans"][name]
    with open(plan["file"], "rb") as handle:
        handle.seek(start)
        text = handle.read(end - start)
    # The ids the listing says the table spans (none said: any may be held again).
    low, high = ids if isinstance(ids, list) and len(ids) == 2 else (0, float("inf"))
    again = {k for k in hot if low <= int(k) <= high}
    if not again:
        return text[1:-1], set()
    rows = json.loads(text)
    taken = {k for k in again if k in rows}
    inner = files.dumps({k: v for k, v in rows.items() if k not in taken})[1:-1].encode("utf-8")
    return inner, taken


def next_ids(data: Data, shelf: Shelf | None = None) -> dict[str, int]:
    """Per table, one more than the highest id used anywhere (hot file and archives)."""
    given = files.meta_of(data).get("next_id")
    known: dict[str, Any] = given if isinstance(given, dict) else {}
    out: dict[str, int] = {}
    for table in files.TABLES:
        ids = [int(k) for k in (data.get(table) or {})]
        if shelf is not None:
            ids += [span[1] for y in shelf.listing.values()
                    if isinstance(span := y.get(table), list) and len(span) == 2]  # fmt: skip
        top = max(ids, default=0) + 1
        given = known.get(table)
        out[table] = max(top, given) if isinstance(given, int) else top
    return out


def build(
    data: Data, moves: Moves, shelf: Shelf, policy: StorePolicy | None = None
) -> tuple[dict[str, Any], dict[int, bytes]]:
    """Move the documents of `moves` out of `data` into new versions of their archives (in
    memory): the new listing, and the payload of each archive that changes (listed with
    the policy's `archive_notes` of it)."""
    listing = {y: dict(v) for y, v in shelf.listing.items()}
    written: dict[int, bytes] = {}
    for year in sorted(moves):
        tables: Data = {}
        base = shelf.get(year) if shelf.has(year) else {}
        for table in ARCHIVED:
            rows = dict(base.get(table) or {})
            rows.update(moves[year].get(table, {}))
            tables[table] = rows
        written[year], listing[str(year)] = made(year, tables, policy)
    for year_moves in moves.values():
        for table, rows in year_moves.items():
            hot = data.get(table) or {}
            for key in rows:
                hot.pop(key, None)
    return listing, written


def made(year: int, tables: Data, policy: StorePolicy | None) -> tuple[bytes, dict[str, Any]]:
    """The archive of `year` holding `tables`, and what the hot file's listing says of it
    (the policy's `archive_notes`, its hash, id ranges and the places of its tables)."""
    spans: dict[str, list[int]] = {}
    payload = archive_payload(year, tables, policy, spans)
    notes = policy.archive_notes(tables) if policy is not None else {}
    return payload, {**notes, "sha256": files.sha256(payload), **ranges(tables), "spans": spans}


def finish_staged(path: Path, listing: dict[str, Any]) -> None:
    """Put each staged archive the committed hot file lists in its place, and drop those it
    does not list (left by a change that never committed). Caller holds the exclusive lock."""
    folder = paths.archive_dir(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    wanted = {
        paths.staged_archive(path, y, v.get("sha256") or "").name: int(y)
        for y, v in listed(listing).items()
        if isinstance(v.get("sha256"), str)
    }
    for name in names:
        if not (name.startswith(".") and name.endswith(".json")):
            continue
        with contextlib.suppress(OSError):
            if name in wanted:
                os.replace(folder / name, paths.archive_path(path, wanted[name]))
            else:
                os.unlink(folder / name)


def drop_strays(path: Path, listing: dict[str, Any]) -> None:
    """Archive files the store does not list (kept in the backup of what a restore
    replaced): left in place they would be mistaken for its own by a later reader."""
    folder = paths.archive_dir(path)
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.endswith(".json") and name[:-5].isdigit() and name[:-5] not in listing:
                with contextlib.suppress(OSError):
                    (folder / name).unlink()


def raw_archives(path: Path) -> dict[int, bytes]:
    """The bytes of every archive file in place, readable or not (for a store that cannot
    be read, to keep them beside its backup)."""
    found: dict[int, bytes] = {}
    folder = paths.archive_dir(path)
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            if name.endswith(".json") and name[:-5].isdigit():
                with contextlib.suppress(OSError):
                    found[int(name[:-5])] = (folder / name).read_bytes()
    return found
