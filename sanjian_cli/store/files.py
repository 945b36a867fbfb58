"""The store's bytes: parsing and checking the layout, hashing, and writing files safely.

Every file the store writes goes through `write_atomic`: a temporary file created beside the
target (a unique name, created exclusively), fsynced, then moved over the target. So a file
is always whole, the old version or the new one. A file that exists keeps its mode and, when
sanjian runs as root (cron), its owner: a root cron job must not take a secretary's store
away from her. A new file is private (0600) and, under root, given to the store's owner.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sanjian_cli.store import bulk, paths

# 2: closed years in archive files, `next_id` and `archives` in _meta (an older sanjian,
# which would not see the archives, refuses it as too new). 3: archives write the bulk of
# their documents apart (`store.bulk`); 4: so does the hot file; 5: and a closed meeting's
# records with them (`StorePolicy.hot_bulk`). 6: the log's state hashes the bulk tables'
# bytes apart (`state_hash`), so a change that copies them as they were hashes them once.
# 7: the bulk tables are a file of their own (`bulk.<sha256>.json`, named in `_meta.bulk`),
# which a change that leaves them as they were neither reads nor writes.
SCHEMA = 7
TABLES = ("committee", "members", "topics", "meetings", "decisions")

Data = dict[str, Any]
Owner = tuple[int, int] | None
# A file's bytes as pieces in order: written and hashed one after another, never joined. On a
# ten-year store each join of the hot file is a 1.7 MB copy, a millisecond of every change.
Chunks = list[bytes | memoryview]

# The log's state (`state_hash`) as this sanjian writes it: "2:" and a hex digest. Sixty-four
# hex digits alone are the state of a store an older sanjian wrote (schema 5 and before).
STATE = "2:"


class Body(list):  # type: ignore[type-arg]
    """A hot file's body in pieces (`Chunks`, what `written_body` makes), knowing where its
    bulk tables begin (`region`: the index of their first piece; None: it has none) and,
    when a change copied them as they were read, their SHA-256 as checked then
    (`region_sha`): the state of the new file hashes them no second time."""

    region: int | None = None
    region_sha: str | None = None
    # The bulk tables are the bulk file `region_sha` as it is (the change copied them as
    # they were, unread): the body holds none of their pieces.
    kept = False


_REGION = object()  # in `_serialising(marked=True)`: the bulk tables begin after this


def dumps(data: Any) -> str:
    """JSON as the store writes it: compact, UTF-8 text as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def sha256(raw: bytes | memoryview) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


def as_text(raw: bytes) -> tuple[str | None, str | None]:
    """The text of a store file, or None and what is wrong with it (empty, not UTF-8)."""
    if not raw.strip():
        return None, "the file is empty"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"


def layout_problem(data: Any) -> str | None:
    """What makes `data` not a sanjian store (TinyDB layout), or None when it is one."""
    if not isinstance(data, dict):
        return "the top level is not a JSON object"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is not an object"
        for doc_id, doc in table.items():
            if not (isinstance(doc_id, str) and doc_id.isdigit()):
                return f"table {name!r} has a document id {doc_id!r} that is not a number"
            if not isinstance(doc, dict):
                return f"{name}/{doc_id} is not an object"
    meta = data.get("_meta", {}).get("1", {})
    schema = meta.get("schema", SCHEMA) if isinstance(meta, dict) else None
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 0:
        return "_meta schema is not a version number"
    return None


def parse(raw: bytes) -> tuple[Data | None, str | None]:
    """The store in `raw`, or None and what is wrong with it."""
    text, problem = as_text(raw)
    if text is None:
        return None, problem
    try:
        data = json.loads(text)
    except ValueError as exc:
        detail = getattr(exc, "msg", str(exc))
        line, col = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        return None, f"not valid JSON ({detail}, line {line} column {col}): truncated or edited"
    problem = layout_problem(data)
    return (None, problem) if problem else (data, None)


def decode(raw: bytes) -> tuple[Data | None, str | None]:
    """`parse`, every document whole: the parts a store file writes apart (`store.bulk`)
    put back into their documents."""
    data, problem = parse(raw)
    if data is None:
        return data, problem
    name = bulk_named(meta_of(data))
    if name is not None and not any(table in data for table in bulk.NAMES):
        # Its closed meetings' records are a file of their own, which a reader of the file
        # alone would go without: a reader is given the file whole (`assembled`).
        return None, f"its bulk tables are in {paths.bulk_file(name)}, which was not read"
    problem = bulk.join_tables(data)
    return (None, problem) if problem else (data, None)


def bulk_named(meta: Any) -> str | None:
    """The name (a SHA-256) of the bulk file a hot file's `_meta` names, or None."""
    noted = meta.get("bulk") if isinstance(meta, dict) else None
    name = noted.get("file") if isinstance(noted, dict) else None
    if isinstance(name, str) and len(name) == 64 and all(c in "0123456789abcdef" for c in name):
        return name
    return None


def bulk_missing(name: str) -> str:
    """What is wrong with a hot file whose bulk file `name` is nowhere to be read."""
    return f"{paths.bulk_file(name)}, which holds the closed meetings' records, is missing"


def named_in(raw: bytes, more: Callable[[], bytes] | None = None) -> str | None:
    """The bulk file the hot file `raw` names (None: none, or not laid out so); `more`
    reads on when `raw` is the beginning of a file and `_meta` is longer."""
    return bulk_named(_head_meta(raw, more))


def _head_meta(raw: bytes, more: Callable[[], bytes] | None = None) -> dict[str, Any] | None:
    """The `_meta` document a store file `raw` begins with, as `dumps` writes it (None:
    it does not begin so), read 64 KB at a time (then from `more`)."""
    view = memoryview(raw)
    at = 1 << 16

    def after() -> bytes:
        nonlocal at
        at += 1 << 16
        return bytes(view[at - (1 << 16) : at]) or (more() if more is not None else b"")

    found = _meta_block(bytes(view[: 1 << 16]), after)
    meta = found[0].get("1") if found is not None and isinstance(found[0], dict) else None
    return meta if isinstance(meta, dict) else None


def _bulk_region(
    name: str, load: Callable[[str], bytes | None] | None, verify: bool
) -> tuple[memoryview | None, str | None]:
    """The bulk tables in the bulk file `name` (its bytes between its braces), read by
    `load`, their digest checked against the name when `verify`; or None and what is wrong."""
    got = load(name) if load is not None else None
    label = paths.bulk_file(name)
    if got is None:
        return None, bulk_missing(name)
    if not (got.startswith(b'{"') and got.endswith(b"}")):
        return None, f"{label} is not as sanjian writes it: truncated or edited"
    view = memoryview(got)[1:-1]
    if verify and sha256(view) != name:
        return None, f"{label} is not as sanjian wrote it: edited outside sanjian or damaged"
    return view, None


def assembled(
    raw: bytes, load: Callable[[str], bytes | None], verify: bool = True
) -> tuple[bytes | None, str | None]:
    """The hot file `raw` with its bulk tables back in it, when they are a file of their
    own (`load(name)` reads it): the file as a sanjian of schema 6 wrote it, `_meta.bulk`
    without the name, for every reader of a whole file (`restore`, `backup`, `doctor
    --accept-edits`, the backup set). `raw` itself when it names none; None and what is
    wrong when the bulk file is missing or, with `verify`, not the one named."""
    meta = _head_meta(raw)
    name = bulk_named(meta)
    if name is None or meta is None:
        if meta is None and b'"file"' in raw:
            data, problem = parse(raw)  # laid out otherwise: perhaps edited, read whole
            if data is not None and bulk_named(meta_of(data)) is not None:
                return _assembled_data(data, load, verify)
        return raw, None
    region, problem = _bulk_region(name, load, verify)
    if region is None:
        return None, problem
    head = ('{"_meta":{"1":' + dumps(meta) + "}").encode("utf-8")
    if not (raw.startswith(head) and raw.endswith(b"}")):
        data, problem = parse(raw)
        return (None, problem) if data is None else _assembled_data(data, load, verify)
    light = memoryview(raw)[len(head) : -1]  # "," and the tables, or nothing
    inline = {**meta, "bulk": {k: v for k, v in meta["bulk"].items() if k != "file"}}
    inline["bulk"]["size"] = len(region)
    return b"".join([('{"_meta":{"1":' + dumps(inline) + "}").encode("utf-8"),
                     light, b",", region, b"}"]), None  # fmt: skip


def _assembled_data(
    data: Data, load: Callable[[str], bytes | None], verify: bool
) -> tuple[bytes | None, str | None]:
    """`assembled` of a hot file laid out otherwise than sanjian writes it (parsed)."""
    meta = meta_of(data)
    name = bulk_named(meta)
    region, problem = _bulk_region(name or "", load, verify)
    if region is None:
        return None, problem
    try:
        tables = json.loads(b"{" + bytes(region) + b"}")
    except ValueError:
        tables = None
    if not isinstance(tables, dict) or not set(tables) <= set(bulk.NAMES):
        label = paths.bulk_file(name or "")
        return None, f"{label} is not as sanjian writes it: truncated or edited"
    inline = {**meta, "bulk": {k: v for k, v in meta["bulk"].items() if k != "file"}}
    out = {**data, "_meta": {"1": inline}, **tables}
    return dumps(out).encode("utf-8"), None


def leading_tables(raw: bytes, wanted: tuple[str, ...]) -> Data | None:
    """The tables `wanted` of a store file, decoded from its start only as far as the last
    of them (what follows is not parsed), with their layout checked; None when the file
    is not one the store wrote that holds them all (the caller then parses it whole, and
    says what is wrong with it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.startswith("{"):
        return None
    decoder = json.JSONDecoder()
    found: Data = {}
    at = 1
    try:
        while len(found) < len(wanted):
            key, at = decoder.raw_decode(text, at)
            if not isinstance(key, str) or text[at] != ":":
                return None
            value, at = decoder.raw_decode(text, at + 1)
            if key in wanted:
                found[key] = value
            if text[at] != ",":
                break
            at += 1
    except (ValueError, IndexError):
        return None
    if len(found) < len(wanted) or layout_problem(found) is not None:
        return None
    return found


class Index:
    """Where each table and document of a hot file lies in its text (`parse_indexed`), with
    the document parsed from it: a change writes again only the documents it replaced (the
    record never changes a document in place), and copies the others' text as it was read.
    Only the text of a file as sanjian wrote it may be copied (see `body_verified`).

    The bulk tables (`store.bulk`), which come last, are kept as the file's bytes (`rest`),
    undecoded: parsed together when a document is first handed out whole (`join`), or one
    part alone (`take`) where `_meta.bulk` says it lies, and copied as they lay into the
    next version of the file while no document that has parts apart changed."""

    def __init__(self, text: str) -> None:
        self.text = text
        # table -> {id: (where its key starts, where it ends, the document parsed)}
        self.tables: dict[str, dict[str, tuple[int, int, Any]]] = {}
        # The bulk tables' bytes (None: there are none); once parsed, their text and, per
        # table whose documents have parts apart, where each part lies in that text and the
        # part; whether the parts are in their documents yet, and those put back one by one.
        self._rest: memoryview | None = None  # a view of the file's bytes, not a copy
        # A hot file whose bulk tables are a file of their own (`bulk_file`): its name (the
        # SHA-256 of the bulk tables), `load(name)` its bytes (None: missing), read when
        # the bulk tables are first asked for; `verify`: their digest checked against the
        # name then (a change, `doctor`: what a change copies or judges must be what the
        # log holds); `problem`: why they could not be read.
        self.bulk_file: str | None = None
        self.load: Callable[[str], bytes | None] | None = None
        self.verify = False
        self.problem: str | None = None
        self.rest_text = ""
        self.bulk: dict[str, dict[str, tuple[int, int, Any]]] | None = None
        self.joined = False
        self.taken: set[tuple[str, str]] = set()
        # Where each part lies in `rest` (bytes), as `_meta.bulk` says (see `body_chunks`),
        # and whether those places tile the bulk tables (None: not checked yet).
        self.offsets: dict[str, Any] = {}
        self._tiled: bool | None = None
        # The SHA-256 of `rest`, once the file's state was checked (`body_verified`).
        self.rest_sha: str | None = None

    @property
    def rest(self) -> memoryview | None:
        """The bulk tables' bytes (None: there are none, or, with `problem` set, they
        could not be read): of the file itself, or of the bulk file, read now."""
        if self._rest is None and self.bulk_file is not None and self.problem is None:
            self._rest, self.problem = _bulk_region(self.bulk_file, self.load, self.verify)
            if self._rest is not None and self.verify:
                self.rest_sha = self.bulk_file
            if self._rest is not None and len(self._rest) != self.offsets.get("size"):
                self._rest, self.problem = None, "the bulk file is not the size _meta.bulk says"
        return self._rest

    @rest.setter
    def rest(self, value: memoryview | None) -> None:
        self._rest = value

    @property
    def has_rest(self) -> bool:
        """Whether the file has bulk tables (in it or apart), read or not."""
        return self._rest is not None or self.bulk_file is not None

    @property
    def apart(self) -> bool:
        """Whether the bulk tables are a file of their own not read (nor needed) yet."""
        return self.bulk_file is not None and self._rest is None and self.problem is None

    @property
    def pending(self) -> bool:
        """Whether documents parsed with this index are light: their parts not put back."""
        return self.has_rest and not self.joined

    def parse_rest(self) -> str | None:
        """Parse the bulk tables (once): what is wrong with them, or None."""
        if not self.has_rest or self.bulk is not None:
            return None
        if self.rest is None:
            return self.problem
        try:
            text = str(self.rest, "utf-8")
        except UnicodeDecodeError as exc:
            return f"not UTF-8 (byte {exc.start} of the bulk tables)"
        scan = _scanner()
        found: dict[str, dict[str, tuple[int, int, Any]]] = {}
        pos = 0
        try:
            while True:
                table, pos = scan(text, pos)
                if table not in bulk.NAMES or table in found or text[pos : pos + 2] != ":{":
                    return f"{table!r} after the bulk tables"
                spans, pos = _documents(scan, text, pos + 1)
                if spans is None:
                    return f"{table} is not an object of documents"
                found[table] = spans
                if pos == len(text):
                    break
                if text[pos] != ",":
                    return f"{table} is not followed by a table"
                pos += 1
        except (IndexError, StopIteration, ValueError):
            return "the bulk tables are not valid JSON"
        self.rest_text = text
        self.bulk = {name[1:-5]: spans for name, spans in found.items()}
        return None

    def entry(self, table: str, key: str) -> memoryview | None:
        """The bytes of the entry `"key":{...}` of `table`'s bulk table, where `_meta.bulk`
        says it lies (each place checked, under its key, by `tiled`); None when that cannot
        be told (no part, or no usable offsets)."""
        where = self.offsets.get(table)
        span = where.get(key) if isinstance(where, dict) else None
        if self.rest is None or span is None or not self.tiled():
            return None
        return self.rest[span[0] : span[1]]

    def tiled(self) -> bool:
        """Whether the places `_meta.bulk` gives lie end to end across the bulk tables, as
        `_region` writes them: each table's name, its entries one after another, each
        beginning with its key, and its end. Then a document whose key it does not name
        has no part. `_meta` is not under the log's hash, so they are checked before
        bytes are copied or read by them (once: a few hundred comparisons)."""
        if self._tiled is None:
            self._tiled = self._tiles()
        return self._tiled

    def _tiles(self) -> bool:
        rest, at = self.rest, 0
        if rest is None:
            return False
        tables = [table for table in bulk.TABLES if table in self.offsets]
        for n, table in enumerate(tables):
            head = (("," if n else "") + dumps(bulk.name(table)) + ":{").encode("ascii")
            where = self.offsets[table]
            if rest[at : at + len(head)] != head or not isinstance(where, dict) or not where:
                return False
            at += len(head)
            for i, (key, span) in enumerate(where.items()):
                if i:
                    if rest[at : at + 1] != b",":
                        return False
                    at += 1
                name = (dumps(key) + ":").encode("utf-8")
                if not (
                    isinstance(span, list)
                    and len(span) == 2
                    and all(type(x) is int for x in span)
                    and span[0] == at < span[1]
                    and rest[at : at + len(name)] == name
                ):
                    return False
                at = span[1]
            if rest[at : at + 1] != b"}":
                return False
            at += 1
        return at == len(rest) and self.offsets.keys() <= {*tables, "size", "file"}

    def part(self, table: str, key: str) -> Data | None:
        """The part of `table`'s document `key`, read alone (`entry`; checked: one JSON
        object ending where `_meta.bulk` says); None when that cannot be told (the caller
        parses them all)."""
        found = self.entry(table, key)
        if found is None:
            return None
        name = len(dumps(key)) + 1
        try:
            part = json.loads(bytes(found[name:]))
        except ValueError:  # UnicodeDecodeError is one
            return None
        return part if isinstance(part, dict) else None

    def members(self, table: str, key: str, wanted: Collection[str]) -> Data | None:
        """The members `wanted` of the part of `table`'s document `key` (those it has),
        read alone (`entry`) and only as far as needed: they come before the others in a
        part the store wrote (`StorePolicy.hot_bulk` orders them so), so the reading stops
        at the first other member, once the text after it is seen not to name a missing
        one. None when that cannot be told (the caller parses them all)."""
        found = self.entry(table, key)
        if found is None:
            return None
        try:
            text = str(found, "utf-8")
        except UnicodeDecodeError:
            return None
        scan = _scanner()
        out: Data = {}
        pos = len(dumps(key)) + 1
        try:
            if text[pos] != "{":
                return None
            pos += 1
            if text[pos] == "}":
                return out
            while True:
                name, pos = scan(text, pos)
                if not isinstance(name, str) or text[pos] != ":":
                    return None
                if name not in wanted:
                    missing = [w for w in wanted if w not in out]
                    if any(text.find(dumps(w) + ":", pos) >= 0 for w in missing):
                        return None  # perhaps after it: parse them all
                    return out
                out[name], pos = scan(text, pos + 1)
                mark = text[pos]
                pos += 1
                if mark == "}":
                    return out
                if mark != ",":
                    return None
        except (IndexError, StopIteration, ValueError):
            return None

    def take(self, data: Data, table: str, key: str) -> bool:
        """Put the part of `table`'s document `key` back into it (in place) alone, when it
        can be read alone (`part`): True; False when the parts must be parsed together."""
        if not self.pending or (table, key) in self.taken:
            return True
        rows = data.get(table)
        doc = rows.get(key) if isinstance(rows, dict) else None
        found = self.part(table, key) if isinstance(doc, dict) else None
        if found is None:
            return False
        bulk.join_into(doc, found)  # type: ignore[arg-type]
        self.taken.add((table, key))
        return True

    def join(self, data: Data) -> str | None:
        """Parse the bulk tables and put each part into its document of `data` (the data
        parsed with this index), in place and once; what is wrong, or None."""
        if not self.pending:
            return None
        problem = self.parse_rest()
        if problem is not None:
            return problem
        self.joined = True
        for name, spans in (self.bulk or {}).items():
            rows = data.get(name)
            for key, (_at, _end, part) in spans.items():
                if (name, key) in self.taken:
                    continue
                doc = rows.get(key) if isinstance(rows, dict) else None
                if not isinstance(doc, dict) or not isinstance(part, dict):
                    return f"{bulk.name(name)}/{key} belongs to no document of {name}"
                bulk.join_into(doc, part)
        return None


class Parts:
    """The bulk tables of a store file (`store.bulk`), their text kept and each part found
    where it lies, parsed only when asked for (`get`): a reader of the documents one at a
    time holds the text and one part, not every part parsed (`doctor`, a year's archive:
    2.6 MB of objects and 1 MB of text instead of 7 MB of objects)."""

    def __init__(self, text: str, places: dict[str, dict[str, tuple[int, int]]]) -> None:
        self.text = text
        self.places = places  # bulk table -> id -> where its entry `"id":{...}` lies

    def whole(self, table: str, key: str, doc: Data) -> Data:
        """`table`'s document `key`, read light as `doc`, with its part put back (a new
        document; `doc` itself when it has none)."""
        part = self.get(table, key)
        return bulk.joined(doc, part) if part else doc

    def get(self, table: str, key: str) -> Data | None:
        """The part of `table`'s document `key`, or None when it has none."""
        where = self.places.get(bulk.name(table), {}).get(key)
        if where is None:
            return None
        start, end = where
        part: Data = json.loads(self.text[start + len(key) + 3 : end])  # after `"id":`
        return part


def light_and_parts(raw: bytes) -> tuple[Data | None, Parts | None, str | None]:
    """A store file's tables, their documents light, and its bulk tables as `Parts`, for a
    file laid out as sanjian writes it (every part an object of a document there is);
    for any other, `decode`'s answer: the data whole (and no parts), or None and what is
    wrong with the file, in the words `decode` has for it."""
    at = bulk.start(raw)
    found = _split(raw, at) if at >= 0 and raw.endswith(b"}") else None
    if found is None:
        data, problem = decode(raw)
        return data, None, problem
    return found[0], found[1], None


def _split(raw: bytes, at: int) -> tuple[Data, Parts] | None:
    data, _problem = parse(raw[:at] + b"}")
    text, _problem = as_text(raw[at + 1 : -1])
    if data is None or text is None or any(name in data for name in bulk.NAMES):
        return None
    scan = _scanner()
    places: dict[str, dict[str, tuple[int, int]]] = {}
    pos = 0
    try:
        while True:
            name, pos = scan(text, pos)
            if name not in bulk.NAMES or name in places or text[pos : pos + 2] != ":{":
                return None
            rows = data.get(name[1:-5])
            entries: dict[str, tuple[int, int]] = {}
            pos += 2
            mark = ","  # an entry follows
            if text[pos] == "}":
                mark, pos = "}", pos + 1
            while mark == ",":
                start = pos
                key, pos = scan(text, pos)
                if not (isinstance(key, str) and key.isdigit()) or text[pos] != ":":
                    return None
                part, pos = scan(text, pos + 1)  # parsed to be checked, and let go
                if not isinstance(part, dict) or not isinstance(rows, dict) or key not in rows:
                    return None
                entries[key] = (start, pos)
                mark = text[pos]
                pos += 1
                if mark not in ",}":
                    return None
            places[name] = entries
            if pos == len(text):
                break
            if text[pos] != ",":
                return None
            pos += 1
    except (IndexError, StopIteration, ValueError):
        return None
    return data, Parts(text, places)


def _scanner() -> Any:
    """json's own scanner of one value (C): `scan(text, at)` is (value, where it ends)."""
    return json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _documents(
    scan: Any, text: str, pos: int
) -> tuple[dict[str, tuple[int, int, Any]] | None, int]:
    """The object of documents that begins at `pos` of `text` (`{"key":{...},...}`), each
    with where its key begins and its value ends and the value parsed, and where the object
    ends; None for an object of another shape. Raises what `scan` raises at invalid JSON."""
    spans: dict[str, tuple[int, int, Any]] = {}
    if text[pos] != "{":
        return None, pos
    pos += 1
    if text[pos] == "}":
        return spans, pos + 1
    while True:
        at = pos
        if text[pos] != '"':
            return None, pos
        key, pos = scan(text, pos)
        if text[pos] != ":":
            return None, pos
        value, pos = scan(text, pos + 1)
        spans[key] = (at, pos, value)
        mark = text[pos]
        pos += 1
        if mark == "}":
            return spans, pos
        if mark != ",":
            return None, pos


def _indexed(
    text: str, cut: bool = False, spans: bool = True, defer: Collection[str] = ()
) -> tuple[Data, Index] | None:
    """`text` parsed as a hot file laid out as sanjian writes it (compact, each table an
    object of documents), with where each document lies; None for any other text. A `cut`
    text ends where the bulk tables begin (their comma): its object is not closed. Without
    `spans`, each table is parsed whole and where its documents lie is not kept. From the
    first table named in `defer` on, the tables are parsed only when the data asks for
    them (a `Tables`; without spans only)."""
    scan = _scanner()
    data: Data = {}
    index = Index(text if spans else "")
    try:
        if text[0] != "{":
            return None
        if text[1] == "}":
            return (data, index) if len(text) == 2 else None
        found = _tables_from(text, 1, scan, data, index, cut, spans, defer)
    except (IndexError, StopIteration, ValueError):
        return None
    if found is None:
        return None
    if isinstance(found, _Rest):
        return Tables(data, found), index
    return data, index


def _tables_from(
    text: str,
    pos: int,
    scan: Any,
    data: Data,
    index: Index,
    cut: bool,
    spans: bool,
    defer: Collection[str],
) -> bool | _Rest | None:
    """The tables of `text` from `pos` (the quote of a table's name) into `data`: True once
    they are all read, None for a text not laid out so, or, at the first table in `defer`,
    the rest, to be read a table at a time when asked (`_Rest`). Raises what `scan` raises
    at invalid JSON."""
    while True:
        if defer and not spans and scan(text, pos)[0] in defer:
            return _Rest(text, pos, cut)
        table = _table_at(text, pos, scan, cut, spans)
        if table is None:
            return None
        name, data[name], found, after = table
        if found is not None:
            index.tables[name] = found
        if after is None:
            return True
        pos = after


def _table_at(
    text: str, pos: int, scan: Any, cut: bool, spans: bool
) -> tuple[str, Any, dict[str, tuple[int, int, Any]] | None, int | None] | None:
    """The table whose name begins at `pos` of `text`: its name, its value, with `spans`
    where each of its documents lies, and where the next table's name begins (None after
    the last: the end of a `cut` text, or the closing brace at the end of a whole one);
    None for a text not laid out so. Raises what `scan` raises at invalid JSON."""
    if text[pos] != '"':
        return None
    name, pos = scan(text, pos)
    if text[pos] != ":" or name in bulk.NAMES:
        return None
    pos += 1
    found = None
    if name == "_meta" or text[pos] != "{" or not spans:
        value, pos = scan(text, pos)
    else:
        found, pos = _documents(scan, text, pos)
        if found is None:
            return None
        value = {key: span[2] for key, span in found.items()}
    if cut and pos == len(text):
        return name, value, found, None  # the bulk tables follow
    mark = text[pos]
    pos += 1
    if mark == "}" and not cut:
        return (name, value, found, None) if pos == len(text) else None
    if mark != "," or pos == len(text):
        return None
    return name, value, found, pos


class _Rest:
    """The tables of a hot file's text from `pos` on, read one at a time (`take`)."""

    def __init__(self, text: str, pos: int, cut: bool) -> None:
        self.text, self.cut = text, cut
        self.pos: int | None = pos  # None: every table read
        self.scan = _scanner()

    def take(self) -> tuple[str, Any] | str | None:
        """The next table (its name and its documents), None after the last, or what is
        wrong with the text there."""
        if self.pos is None:
            return None
        try:
            table = _table_at(self.text, self.pos, self.scan, self.cut, False)
        except (IndexError, StopIteration, ValueError):
            table = None
        if table is None:
            return "the tables after the roster are not as sanjian writes them: truncated or edited"
        name, rows, _spans, self.pos = table
        return layout_problem({name: rows}) or (name, rows)


class Tables(dict):  # type: ignore[type-arg]
    """The tables of a hot file for a record that only reads: those before this year's
    topics, meetings and decision items (the committee, the roster) parsed, and each of
    those, most of the text, parsed the first time the data is asked for it (with those
    before it in the file) or for all (a member list never is). What reads the data asks
    through `get`, `[]`, `in` and the views, which parse what they need first; `error`
    makes what is raised for a table not laid out as sanjian writes it (the store names
    its file)."""

    def __init__(self, parsed: Data, rest: _Rest) -> None:
        super().__init__(parsed)
        self._rest: _Rest | None = rest
        self.error: Callable[[str], Exception] = ValueError

    def complete(self, until: Any = None) -> None:
        """Parse the tables left, as far as `until` (all of them: None)."""
        while self._rest is not None and (until is None or not dict.__contains__(self, until)):
            found = self._rest.take()
            if found is None:
                self._rest = None
                break
            if isinstance(found, str) or dict.__contains__(self, found[0]):
                self._rest = None
                raise self.error(found if isinstance(found, str) else f"table {found[0]!r} twice")
            dict.__setitem__(self, *found)
            if self._rest.pos is None:
                self._rest = None  # that was the last

    @property
    def pending(self) -> bool:
        return self._rest is not None

    def __missing__(self, key: Any) -> Any:
        if self._rest is None:
            raise KeyError(key)
        self.complete(key)
        return self[key]

    def get(self, key: Any, default: Any = None) -> Any:
        if self._rest is not None and not dict.__contains__(self, key):
            self.complete(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if self._rest is not None and not dict.__contains__(self, key):
            self.complete(key)
        return dict.__contains__(self, key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        self.complete()
        return dict.setdefault(self, key, default)

    def __iter__(self) -> Iterator[Any]:
        self.complete()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.complete()
        return dict.__len__(self)

    def keys(self) -> Any:
        self.complete()
        return dict.keys(self)

    def items(self) -> Any:
        self.complete()
        return dict.items(self)

    def values(self) -> Any:
        self.complete()
        return dict.values(self)

    def pop(self, *args: Any) -> Any:
        self.complete()
        return dict.pop(self, *args)

    def __eq__(self, other: object) -> bool:
        self.complete()
        if isinstance(other, Tables):
            other.complete()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]


def parse_indexed(
    raw: bytes,
    spans: bool = True,
    defer: Collection[str] = (),
    load: Callable[[str], bytes | None] | None = None,
    verify: bool = False,
) -> tuple[Data | None, str | None, Index | None]:
    """`decode`, and for a file laid out as sanjian writes it, where each document lies in
    it (for a change: see `Index`), with the bulk tables left unparsed when `_meta.bulk`
    gives their size as they are: the documents that have parts apart are light until
    `Index.join`. The same problems as `decode`. Without `spans` (a record that only
    reads), where the documents lie is not kept, a file without bulk tables gets no
    index, and the tables from the first one in `defer` on are parsed when first asked
    for (`Tables`). A hot file whose bulk tables are a file of their own is read by
    `load` (see `Index`), only when they are first asked for; without `load`, such a file
    is refused in `decode`'s words."""
    rest: memoryview | None = None
    at = bulk.start(raw)
    cut = at >= 0 and raw.endswith(b"}")
    if cut:
        # The bulk tables come last: the text before them is parsed now, decoded straight
        # from the file's bytes (no copy of them, each megabyte made is fresh memory to
        # fault in); they are kept as bytes.
        rest = memoryview(raw)[at + 1 : -1]
    found: tuple[Data, Index] | None = None
    try:
        if spans or cut or defer or load is not None:
            text = str(memoryview(raw)[:at], "utf-8") if cut else raw.decode("utf-8")
            found = _indexed(text, cut=cut, spans=spans, defer=() if spans else defer)
    except ValueError:  # not UTF-8
        found = None
    if found is not None and rest is not None:
        noted = meta_of(found[0]).get("bulk")
        if not (isinstance(noted, dict) and noted.get("size") == len(rest)):
            found = None  # not the bulk tables sanjian wrote there: read the file whole
        else:
            found[1].rest, found[1].offsets = rest, noted
    elif found is not None:
        noted = meta_of(found[0]).get("bulk")
        name = bulk_named(meta_of(found[0]))
        usable = isinstance(noted, dict) and type(noted.get("size")) is int
        if name is not None and load is not None and usable:
            found[1].bulk_file, found[1].offsets = name, noted  # type: ignore[assignment]
            found[1].load, found[1].verify = load, verify
        elif name is not None:
            found = None  # a file apart not given, or not as sanjian notes it: refused
    if found is None:
        # Laid out otherwise (edited by hand, say): read whole, with its bulk file.
        whole, problem = assembled(raw, load, verify) if load is not None else (raw, None)
        if whole is None:
            return None, problem, None
        data, problem = decode(whole)
        return data, problem, None
    data, index = found
    problem = layout_problem(dict(dict.items(data)) if isinstance(data, Tables) else data)
    if problem:
        return None, problem, None
    if not spans and not index.has_rest:
        return data, None, None  # nothing for an index to hold
    return data, None, index


def schema_of(data: Data) -> int:
    """The schema version of `data`: 0 for a store written before versions were stored."""
    meta = data.get("_meta", {}).get("1")
    if meta is None:
        has_docs = any(table for name, table in data.items() if name != "_meta")
        return 0 if has_docs else SCHEMA
    return int(meta.get("schema", SCHEMA))


def meta_of(data: Data) -> dict[str, Any]:
    meta = data.get("_meta", {}).get("1")
    return meta if isinstance(meta, dict) else {}


# -- the record's state, as the audit log hashes it -------------------------------------
def body_of(data: Data, parts: bulk.Parts | None = None) -> str:
    """The hot file without `_meta`, as written (with `parts`, the policy's, documents in
    two parts: `bulk.layout`): what the audit log's state hash covers."""
    return dumps(bulk.layout(data, parts))


def body_bytes(
    data: Data,
    index: Index | None = None,
    parts: bulk.Parts | None = None,
    offsets: dict[str, Any] | None = None,
) -> bytes:
    """`body_of` as UTF-8 (`body_chunks` joined)."""
    return b"".join(body_chunks(data, index, parts, offsets))


def body_chunks(
    data: Data,
    index: Index | None = None,
    parts: bulk.Parts | None = None,
    offsets: dict[str, Any] | None = None,
) -> Chunks:
    """`body_of` as UTF-8, in pieces; with the `index` of the file `data` was read from,
    the text of each document that is still the very object read from it is copied from
    the file instead of serialised again (a document changed is a new object), a run of
    them that lay side by side there in one slice; and the bulk tables' bytes are copied
    whole while no document that has parts apart changed, else part by part, each part
    not changed as the bytes it was. `offsets` (a dict) is told what `_meta.bulk` keeps:
    the bulk tables' size in bytes and where each part lies in them (`Index.part`);
    nothing when there are none."""
    if index is None or not all(isinstance(name, str) for name in data):
        return _serialised(data, parts, offsets)
    # Each piece is UTF-8 as soon as it is made, never joined: each large string made is
    # fresh memory to fault in (a millisecond a megabyte on a virtual machine), and a
    # slice of the text let go at once is memory the next one reuses.
    light: Chunks = [b"{"]
    entries: dict[str, list[tuple[str, Any]]] = {}  # bulk table -> (key, part or _AS_READ)
    as_read = True  # no changed document has parts apart
    for name, rows in data.items():
        if name == "_meta":
            continue
        if len(light) > 1:
            light.append(b",")
        light.append((dumps(name) + ":").encode("utf-8"))
        spans = index.tables.get(name)
        if parts is not None and parts(name, None) and isinstance(rows, dict):
            rows, found, same = _parted(rows, spans or {}, parts, name)
            as_read = as_read and same
            if found:
                entries[name] = found
        if spans is None or not _table_pieces(rows, spans, index.text, light):
            light.append(dumps(rows).encode("utf-8"))
    region: Chunks
    body = Body()
    if index.has_rest and index.bulk is None and as_read and _kept(data, index, parts):
        if offsets is not None:
            offsets.update(index.offsets)
        if index.bulk_file is not None and index.rest_sha == index.bulk_file:
            # The bulk file the log's state names, left as it is: not read, not written.
            body.extend([*light, b"," if len(light) > 1 else b""])
            body.region, body.region_sha, body.kept = len(body), index.rest_sha, True
            body.append(b"}")
            return body
        region = [index.rest] if index.rest is not None else []
        body.region_sha = index.rest_sha
    else:
        copy = _as_read(index)
        texts = {
            table: [(key, copy(table, key, part)) for key, part in entries.get(table, ())]
            for table in bulk.TABLES
        }
        region = list(_region(texts, offsets))
    if not region:
        body.extend([*light, b"}"])
        return body
    body.extend([*light, b"," if len(light) > 1 else b""])
    body.region = len(body)
    body.extend([*region, b"}"])
    return body


def written_body(
    meta: dict[str, Any], data: Data, parts: bulk.Parts | None, index: Index | None = None
) -> Chunks:
    """The body of the hot file to write for `data` (`body_chunks`), and `meta` told where
    its bulk tables' parts lie (`_meta.bulk`, or none when it has none)."""
    offsets: dict[str, Any] = {}
    body = body_chunks(data, index, parts, offsets)
    meta.pop("bulk", None)
    if offsets:
        meta["bulk"] = offsets
    return body


def apart(meta: dict[str, Any], body: Chunks) -> tuple[Chunks, tuple[str, Chunks | None] | None]:
    """The hot file's body as it is written (`written_body`'s, with `meta`, which is told
    the name of its bulk file: `_meta.bulk.file`), without its bulk tables, and those: their
    digest (the bulk file's name, now `body.region_sha`) and their pieces, None when the
    bulk file is kept as it is (`Body.kept`). No bulk tables: the body itself, and None."""
    if not isinstance(body, Body) or body.region is None or not isinstance(meta.get("bulk"), dict):
        return body, None
    if body.region_sha is None:
        import hashlib

        digest = hashlib.sha256()
        for piece in body[body.region : -1]:
            digest.update(piece)
        body.region_sha = digest.hexdigest()
    meta["bulk"]["file"] = body.region_sha
    region = None if body.kept else list(body[body.region : -1])
    return [*body[: body.region - 1], b"}"], (body.region_sha, region)


def _serialised(
    data: Mapping[str, Any], parts: bulk.Parts | None, offsets: dict[str, Any] | None
) -> Chunks:
    """`body_of` as UTF-8, telling `offsets` what `_meta.bulk` keeps (see `body_chunks`)."""
    body = Body()
    for piece in _serialising(data, parts, offsets, marked=True):
        if piece is _REGION:
            body.region = len(body)
        else:
            body.append(piece)
    return body


def _serialising(
    data: Mapping[str, Any],
    parts: bulk.Parts | None,
    offsets: dict[str, Any] | None,
    marked: bool = False,
) -> Iterator[Any]:
    """`body_of` as UTF-8 in pieces, a document at a time: the tables, each document split
    as `bulk.layout` splits it and only its light part written; then the bulk tables, the
    parts split again from their documents. No more than one document's text is made at a
    time, and a table may be a Mapping that hands its documents out one at a time
    (`restore`). `offsets` is told what `_meta.bulk` keeps once the pieces are all taken.
    `marked`: `_REGION` comes before the bulk tables' first piece."""
    names = [name for name in data if name != "_meta" and name not in bulk.NAMES]

    def apart(name: str) -> bool:
        rows = data[name]
        return parts is not None and isinstance(rows, Mapping) and bool(parts(name, None))

    yield b"{"
    for n, name in enumerate(names):
        rows = data[name]
        head = ("," if n else "") + dumps(name) + ":"
        if not apart(name) and not (isinstance(rows, Mapping) and not isinstance(rows, dict)):
            yield (head + dumps(rows)).encode("utf-8")
            continue
        yield (head + "{").encode("utf-8")
        for m, (key, doc) in enumerate(rows.items()):
            light = doc
            if parts is not None and apart(name) and isinstance(doc, dict):
                light, _part = bulk.split(doc, parts(name, doc))
            yield (("," if m else "") + dumps(key) + ":" + dumps(light)).encode("utf-8")
        yield b"}"

    def entries(table: str) -> Iterator[tuple[str, str]]:
        """The bulk table of `table`: the parts split from its documents, else the one
        `data` holds itself."""
        split = False
        if table in names and parts is not None and apart(table):
            for key, doc in data[table].items():
                if isinstance(doc, dict):
                    _light, part = bulk.split(doc, parts(table, doc))
                    if part:
                        split = True
                        yield key, dumps(key) + ":" + dumps(part)
        own = data.get(bulk.name(table))
        if not split and isinstance(own, dict):
            for key, part in own.items():
                yield key, dumps(key) + ":" + dumps(part)

    region = _region({table: entries(table) for table in bulk.TABLES}, offsets)
    first = next(region, None)
    if first is not None:
        yield b"," if names else b""  # a piece of its own: `apart` leaves it out
        if marked:
            yield _REGION
        yield first
        yield from region
    yield b"}"


def _region(
    found: Mapping[str, Iterable[tuple[str, str | bytes | memoryview]]],
    offsets: dict[str, Any] | None,
) -> Iterator[bytes | memoryview]:
    """The bulk tables from each table's entries (key, its text or its UTF-8: none when
    empty), as UTF-8 pieces, each entry as it comes; `offsets` is told their size and
    where each entry lies once the pieces are all taken."""
    at = 0  # the size of the region so far
    where: dict[str, Any] = {}
    for table in bulk.TABLES:
        texts = ((key, text) for key, text in found.get(table, ()) if text)
        first = next(texts, None)
        if first is None:
            continue
        head = ("," if at else "") + dumps(bulk.name(table)) + ":{"
        yield head.encode("ascii")
        at += len(head)
        placed: dict[str, list[int]] = {}
        for n, (key, text) in enumerate(itertools.chain([first], texts)):
            if n:
                yield b","
                at += 1
            raw = text.encode("utf-8") if isinstance(text, str) else text
            placed[key] = [at, at + len(raw)]
            yield raw
            at += len(raw)
        yield b"}"
        at += 1
        where[table] = placed
    if offsets is not None and at:
        offsets.update(where, size=at)


_AS_READ = object()  # an entry of `_parted`: the document's part is the file's own


def _parted(
    rows: Data, spans: dict[str, tuple[int, int, Any]], parts: bulk.Parts, table: str
) -> tuple[Data, list[tuple[str, Any]], bool]:
    """The light documents of a table whose documents have parts apart (each document as
    read kept as the very object, whose text is copied), the entries of its bulk table in
    the table's order (a part, or `_AS_READ`), and whether no changed document has parts."""
    light_rows: Data = {}
    found: list[tuple[str, Any]] = []
    same = True
    for key, doc in rows.items():
        span = spans.get(key)
        if span is not None and span[2] is doc:
            light_rows[key] = doc
            found.append((key, _AS_READ))
            continue
        light, part = bulk.split(doc, parts(table, doc)) if isinstance(doc, dict) else (doc, {})
        light_rows[key] = light
        if part:
            found.append((key, part))
            same = False
    return light_rows, found, same


def _kept(data: Data, index: Index, parts: bulk.Parts | None) -> bool:
    """Whether every document read that may have parts apart is still in `data`, as read."""
    for table, spans in index.tables.items():
        if parts is None or not parts(table, None):
            continue
        rows = data.get(table)
        for key, span in spans.items():
            if bulk.may_hold(span[2], parts(table, span[2])) and (
                not isinstance(rows, dict) or rows.get(key) is not span[2]
            ):
                return False
    return True


def _as_read(index: Index) -> Any:
    """`copy(table, key, part)`: the text of one entry of a bulk table (`"key":{...}`) for
    `_region`: a part changed serialised, a part as read the bytes it was in the file,
    where `_meta.bulk` says it lies (the file is one sanjian wrote: see `Index`), so that a
    change to one closed meeting parses no other meeting's part. Offsets that do not hold
    (a file of an older sanjian) parse the bulk tables once and copy their text."""

    def copy(table: str, key: str, part: Any) -> str | bytes | memoryview:
        if part is not _AS_READ:
            return dumps(key) + ":" + dumps(part)
        if index.tiled():
            found = index.entry(table, key)
            return b"" if found is None else found  # none: the document has no part
        problem = index.parse_rest()
        if problem is not None:
            raise ValueError(problem)
        span = (index.bulk or {}).get(table, {}).get(key)
        return index.rest_text[span[0] : span[1]] if span is not None else ""

    return copy


def _table_pieces(
    rows: Any, spans: dict[str, tuple[int, int, Any]], text: str, pieces: Chunks
) -> bool:
    """`dumps(rows)` onto `pieces` as UTF-8, the unchanged documents' text copied (False,
    and nothing added: serialise it all)."""
    if not isinstance(rows, dict) or not all(isinstance(key, str) for key in rows):
        return False  # json's own rules turn a key that is not text into a name
    pieces.append(b"{")
    first = len(pieces)
    start = end = -1  # the run of unchanged documents not yet copied
    for key, doc in rows.items():
        span = spans.get(key)
        if span is not None and span[2] is doc:
            if span[0] != end + 1:
                if end >= 0:
                    pieces.append(text[start:end].encode("utf-8"))
                if len(pieces) > first:
                    pieces.append(b",")
                start = span[0]
            end = span[1]
            continue
        if end >= 0:
            pieces.append(text[start:end].encode("utf-8"))
            start = end = -1
        if len(pieces) > first:
            pieces.append(b",")
        pieces.append((dumps(key) + ":" + dumps(doc)).encode("utf-8"))
    if end >= 0:
        pieces.append(text[start:end].encode("utf-8"))
    pieces.append(b"}")
    return True


def _listing_text(archives: dict[str, Any] | None) -> str:
    if not archives:
        return ""
    return "\n" + dumps({y: (archives[y] or {}).get("sha256") for y in sorted(archives)})


def state_hash(
    body: str | bytes | Iterable[bytes | memoryview], archives: dict[str, Any] | None = None
) -> str:
    """The state of the record, as the log keeps it: the hot file's body (text, or its
    UTF-8, whole or in pieces: a `Body` says where its bulk tables begin) and, when there
    are archives, the SHA-256 of each (so an edited archive no longer matches the log).

    The bulk tables (`store.bulk`) are hashed apart and their digest hashed in their place:
    the SHA-256 of the body's bytes before them, then of their digest, then of the closing
    brace and the listing. A change that copies them as they were (most changes: 1.4 MB of
    a ten-year hot file) takes their digest from the check of the file it read, and hashes
    them once instead of twice."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body)
        at = _region_in(raw)
        if at is None:
            return _state([raw], None, archives)
        return _state([raw[:at], _REGION, raw[at:]], None, archives)
    if isinstance(body, Body):
        if body.region is None:
            return _state(body, None, archives)
        return _state([*body[: body.region], _REGION, *body[body.region :]],
                      body.region_sha, archives)  # fmt: skip
    return state_hash(b"".join(body), archives)  # pieces that do not say: found by name


def _region_in(body: bytes) -> int | None:
    """Where the bulk tables of a body (`{...}`) begin: the quote of the first one's name,
    after its comma (or the body's brace, when no other table comes before them). A name is
    written between unescaped quotes, which never stand inside a JSON string."""
    at = bulk.start(body)
    if at >= 0:
        return at + 1
    for name in bulk.NAMES:
        if body.startswith(b'{"' + name.encode("ascii") + b'":'):
            return 1
    return None


def _state(pieces: Iterable[Any], region_sha: str | None, archives: dict[str, Any] | None) -> str:
    """`state_hash` of the body in `pieces` (the bulk tables after `_REGION`, if any; the last
    piece ends with the body's closing brace); with `region_sha` the bulk tables' digest is
    that, and their pieces are not hashed."""
    import hashlib

    light = hashlib.sha256()
    into: Any = light  # what the pieces are fed to (None: not hashed)
    region: Any = None
    last: Any = None  # held back: its closing brace is not the bulk tables'
    for piece in pieces:
        if piece is _REGION:
            if last is not None:
                light.update(last)
                last = None
            region = hashlib.sha256() if region_sha is None else None
            into = region
            continue
        if not len(piece):
            continue  # the closing brace is the last byte: an empty piece holds none
        if last is not None and into is not None:
            into.update(last)
        last = piece
    if last is None or bytes(memoryview(last)[-1:]) != b"}":
        return ""  # not a body: no state matches it
    if into is not None:
        into.update(memoryview(last)[:-1])  # all but the closing brace
    return _finished(light, region_sha or (region.hexdigest() if region else None), archives)


def _finished(light: Any, region_sha: str | None, archives: dict[str, Any] | None) -> str:
    if region_sha is not None:
        light.update(b"\n" + region_sha.encode("ascii") + b"\n")
    light.update(b"}")
    light.update(_listing_text(archives).encode("utf-8"))
    return STATE + light.hexdigest()


def _older(expected: Any) -> bool:
    """Whether `expected` is a state an older sanjian wrote (the body hashed whole)."""
    return isinstance(expected, str) and not expected.startswith(STATE)


def _state_v1(
    body: str | bytes | Iterable[bytes | memoryview], archives: dict[str, Any] | None = None
) -> str:
    """The state as sanjian wrote it up to schema 5: the body's bytes hashed whole."""
    import hashlib

    digest = hashlib.sha256()
    for piece in [body.encode("utf-8")] if isinstance(body, str) else _pieces(body):
        digest.update(piece)
    digest.update(_listing_text(archives).encode("utf-8"))
    return digest.hexdigest()


def _listing(data: Data) -> dict[str, Any] | None:
    listing = meta_of(data).get("archives")
    return listing if isinstance(listing, dict) else None


def _pieces(data: bytes | memoryview | Iterable[bytes | memoryview]) -> Iterable[Any]:
    """The pieces of `data`: itself when it is one, else as given (a list, or pieces made
    while they are written: `write_atomic` takes those too)."""
    return [data] if isinstance(data, (bytes, bytearray, memoryview)) else data


def size_of(data: bytes | memoryview | Chunks) -> int:
    return sum(len(piece) for piece in _pieces(data))


def payload(meta: dict[str, Any], body: str | bytes) -> bytes:
    """The hot file's bytes: `_meta` first, then the body's tables (text, or its UTF-8)."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return b"".join(payload_chunks(meta, [raw]))


def payload_chunks(meta: dict[str, Any], body: Chunks) -> Chunks:
    """`payload` in pieces, from the body in pieces (`written_body`)."""
    head = ('{"_meta":{"1":' + dumps(meta) + "}").encode("utf-8")
    if size_of(body) == 2:  # "{}": no table
        return [head + b"}"]
    return [head, b",", memoryview(body[0])[1:], *body[1:]]


def holds(file: Path, data: bytes | Chunks) -> bool:
    """Whether `file` holds exactly `data` (False when it cannot be read). Read in small
    pieces into one buffer: reading the ten-year hot file into fresh memory whole costs a
    millisecond in page faults, three times the comparison."""
    expected = list(_pieces(data))
    total = size_of(expected)
    try:
        if os.stat(file).st_size != total:
            return False
        buffer = bytearray(1 << 16)
        view = memoryview(buffer)
        with open(file, "rb", buffering=0) as handle:
            at, n, offset = 0, 0, 0  # bytes compared, which piece, where in it
            while True:
                got = handle.readinto(buffer)
                if not got:
                    break
                done = 0
                while done < got:
                    if n == len(expected):
                        return False  # longer than `data`
                    piece = expected[n]
                    take = min(got - done, len(piece) - offset)
                    # bytes.startswith compares buffers with memcmp; `==` on a memoryview
                    # compares byte by byte.
                    if not bytes(piece[offset : offset + take]).startswith(
                        view[done : done + take]
                    ):
                        return False
                    done += take
                    offset += take
                    if offset == len(piece):
                        n, offset = n + 1, 0
                at += got
    except OSError:
        return False
    return at == total


def state_of(data: Data, parts: bulk.Parts | None = None, like: str | None = None) -> str:
    """`state_hash` of a hot file as read (whole: `decode`), with the archive hashes its
    `_meta` records; `parts` is the policy's, as the file was written with; `like`, a state
    it is compared with, hashed the way that one was (an older sanjian's: `_state_v1`).
    Hashed a document at a time as it is serialised (the bytes of `body_of`), never as one
    text."""
    if _older(like):
        return _state_v1(_serialising(data, parts, None), _listing(data))
    return _state(_serialising(data, parts, None, marked=True), None, _listing(data))


def body_verified(raw: bytes, data: Data, expected: str, index: Index | None = None) -> bool:
    """Whether the hot file `raw` (parsed into `data`) is, byte for byte, the file sanjian
    wrote in the state `expected`: `_meta` then the body, whose bytes are a slice of `raw`,
    hashed without serialising anything. The `index` it was parsed with is told its bulk
    tables' digest (`Index.rest_sha`), for the state of the file a change writes."""
    found = _state_of_bytes(data.get("_meta"), raw, (), expected, len(raw))
    if found is None or found[0] != expected:
        return False
    if index is not None and index.has_rest and found[1] is not None:
        # The same bytes (`_meta.bulk.size` placed both), or the bulk file the state names.
        index.rest_sha = found[1]
    return True


def file_verified(file: Path, expected: str) -> bool | None:
    """`body_verified` of the hot file at `file`, read 64 KB at a time: whether it is, byte
    for byte, the file sanjian wrote in the state `expected`. None when it does not begin
    as sanjian writes one (its `_meta` first, as `dumps` writes it): only its content,
    decoded, can then say (`state_matches`). Raises OSError when it cannot be read."""
    with open(file, "rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        found = _meta_block(handle.read(1 << 16), lambda: handle.read(1 << 16))
        if found is None:
            return None
        tables, block = found
        more = iter(lambda: handle.read(1 << 16), b"")
        state = _state_of_bytes(tables, block, more, expected, total)
    return None if state is None else state[0] == expected


def holds_state(
    raw: bytes,
    expected: str,
    parts: bulk.Parts | None = None,
    load: Callable[[str], bytes | None] | None = None,
) -> bool:
    """`state_matches` of the hot file `raw`, its data not yet parsed: its bytes hashed,
    with only `_meta` read, when it is laid out as sanjian writes it; else decoded whole
    (False when it cannot be) and its content hashed."""
    view = memoryview(raw)
    at = 1 << 16

    def more() -> bytes:
        nonlocal at
        at += 1 << 16
        return bytes(view[at - (1 << 16) : at])

    found = _meta_block(bytes(view[: 1 << 16]), more)
    if found is not None:
        tables, block = found
        rest: list[bytes | memoryview] = [view[len(block) :]]
        state = _state_of_bytes(tables, block, rest, expected, len(raw))
        if state is not None and state[0] == expected:
            return True
    data, _problem = decode(raw)
    if data is None and load is not None:  # its bulk tables a file apart (`load` reads it)
        whole, _problem = assembled(raw, load, verify=False)
        data = decode(whole)[0] if whole is not None else None
    return data is not None and state_of(data, parts, like=expected) == expected


def _meta_block(first: bytes, more: Callable[[], bytes]) -> tuple[Any, bytes] | None:
    """The `_meta` table a store file begins with, and its bytes read so far (`first`,
    then what `more` gives, until one past `_meta`); None when it does not begin so."""
    block = first
    while True:
        text = block.decode("utf-8", errors="replace")  # a cut character: read on
        if not text.startswith('{"_meta":'):
            return None
        try:
            tables, end = json.JSONDecoder().raw_decode(text, len('{"_meta":'))
        except ValueError:
            end = len(text)  # cut off by the block's end, or not JSON: read on
        if end < len(text):
            return tables, block
        piece = more()
        if not piece:
            return None
        block += piece


def _state_of_bytes(
    tables: Any,
    first: bytes,
    more: Iterable[bytes | memoryview],
    like: str | None = None,
    total: int | None = None,
) -> tuple[str, str | None] | None:
    """The state of the hot file whose `_meta` table is `tables`, from its bytes (`first`,
    the piece that begins it, then the pieces `more`; `total` of them in all), hashed as
    sanjian hashes the body it writes (as `like` was, when an older sanjian's), and the
    digest of its bulk tables, which end one byte before the file does and are as long as
    `_meta.bulk.size` says (a wrong size is a state that does not match); "" for bytes
    that begin so but hold no body; None when they do not begin with that `_meta` as
    `dumps` writes it (`_meta` alone, first)."""
    import hashlib

    meta = tables.get("1") if isinstance(tables, dict) and len(tables) == 1 else None
    if not isinstance(meta, dict):
        return None
    head = ('{"_meta":{"1":' + dumps(meta) + "}").encode("utf-8")
    if not first.startswith(head):
        return None
    rest = memoryview(first)[len(head) :]
    pieces = iter(more)
    archives = _listing({"_meta": tables})
    if rest == b"}" and next(pieces, b"") == b"":
        body: Any = [b"{}"]
    elif rest[:1] == b",":
        body = itertools.chain([b"{", rest[1:]], pieces)
    else:
        return "", None
    if _older(like):
        return _state_v1(body, archives), None
    name = bulk_named(meta)
    if name is not None:
        return _state_apart(body, name, archives), name
    size = (meta.get("bulk") or {}).get("size") if isinstance(meta.get("bulk"), dict) else None
    if type(size) is not int or total is None or rest[:1] != b",":
        return _state(body, None, archives), None
    # The body's bytes are the file's from its `_meta` on, with "{" for the head and comma.
    length = total - len(head)  # of the body
    at = length - 1 - size  # where the bulk tables begin in it
    if not 1 <= at < length - 1:
        return "", None
    light = hashlib.sha256()
    region = hashlib.sha256()
    seen = 0
    last: bytes | memoryview = b""
    for piece in body:
        view = memoryview(piece)
        if seen < at:
            light.update(view[: at - seen])
            view = view[at - seen :]
        seen += len(piece)
        if view:
            region.update(last)
            last = view[-1:]
            region.update(view[:-1])
    if seen != length or bytes(last) != b"}":
        return "", None
    sha = region.hexdigest()
    return _finished(light, sha, archives), sha


def _state_apart(pieces: Iterable[Any], name: str, archives: dict[str, Any] | None) -> str:
    """The state of a hot file whose bulk tables are the bulk file `name`, from the bytes of
    its body (the tables before them, `{...}`): hashed as the body they were cut from
    (`apart`) is, the digest of its bulk tables being their file's name."""
    import hashlib

    light = hashlib.sha256()
    last: Any = b""
    seen = 0
    for piece in pieces:
        if not len(piece):
            continue
        light.update(last)
        last, seen = piece, seen + len(piece)
    if bytes(memoryview(last)[-1:]) != b"}":
        return ""
    light.update(memoryview(last)[:-1])
    if seen > 2:
        light.update(b",")  # the comma the bulk tables followed
    return _finished(light, name, archives)


def state_matches(raw: bytes, data: Data, expected: str, parts: bulk.Parts | None = None) -> bool:
    """Whether the hot file `raw` (parsed into `data`) holds the state `expected`.

    A file as sanjian wrote it is checked by `body_verified`; a file laid out otherwise
    (edited by hand, say) is serialised again, so that only its content counts."""
    return body_verified(raw, data, expected) or state_of(data, parts, like=expected) == expected


# -- writing ---------------------------------------------------------------------------
def owner_of(path: Path) -> Owner:
    """Whose files these are, when sanjian runs as root: the owner of the hot file, else of
    its folder. None when not root (whatever we create is the user's own)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    for place in (path, path.parent):
        with contextlib.suppress(OSError):
            st = os.stat(place)
            return (st.st_uid, st.st_gid) if st.st_uid != 0 else None
    return None


def give(fd_or_path: int | Path, owner: Owner) -> None:
    """Hand a file or folder we created to `owner` (only root can, and only root needs to)."""
    if owner is None:
        return
    with contextlib.suppress(OSError):
        if isinstance(fd_or_path, int):
            os.fchown(fd_or_path, *owner)
        else:
            os.chown(fd_or_path, *owner)


def make_dir(folder: Path, owner: Owner = None) -> None:
    """A private folder beside the store (0700), created with its parents when missing."""
    if folder.is_dir():
        return
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    give(folder, owner)


def fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(
    path: Path,
    data: bytes | Iterable[bytes | memoryview],
    sync_dir: bool = True,
    owner: Owner = None,
    sync: bool = True,
) -> None:
    """`data` (whole or in pieces) into `path` via a temporary file in the same folder:
    never a torn file. The file keeps the mode (and, under root, the owner) of the one it
    replaces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode, keep = 0o600, owner
    with contextlib.suppress(OSError):
        st = os.stat(path)
        mode = st.st_mode & 0o7777
        keep = (st.st_uid, st.st_gid) if os.geteuid() == 0 else None
    tmp = write_temporary(path, data, keep, mode=mode, sync=sync)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def write_temporary(
    path: Path,
    data: bytes | Iterable[bytes | memoryview],
    owner: Owner = None,
    mode: int = 0o600,
    sync: bool = True,
) -> Path:
    """`data` in a new temporary file beside `path` (`.NAME.<random>.tmp`, with `mode`),
    synced unless told not to: the caller moves it into place, or removes it."""
    fd, tmp = _temporary(path)
    try:
        try:
            os.fchmod(fd, mode)  # exactly, whatever the umask
            give(fd, owner)
            for piece in _pieces(data):
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _temporary(path: Path) -> tuple[int, str]:
    """A new file beside `path` (`.NAME.<random>.tmp`, 0600), created exclusively and never
    through a link, open for writing: what `tempfile.mkstemp` makes, without importing it
    (and `random` with it: 1.5 ms of every change) for one name."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused temporary name beside {path}")


def sweep_temporary(path: Path, keep: Collection[Path] = ()) -> None:
    """Temporary files of writers killed before their rename, beside the store, among its
    archives and in its backup set: only a writer holding the exclusive lock makes them, and
    the caller holds it now, so any that exist are dead (but those in `keep`, the caller's
    own)."""
    kept = {str(p) for p in keep}
    places = ((path.parent, f".{path.name}."), (paths.archive_dir(path), "."),
              (paths.backup_dir(path), "."))  # fmt: skip
    for folder, prefix in places:
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                if name.startswith(prefix) and name.endswith(".tmp"):
                    if str(folder / name) in kept:
                        continue
                    with contextlib.suppress(OSError):
                        os.unlink(folder / name)


def whoami() -> str:
    """The OS user running this command, as the log and the papers name them."""
    # getpass.getuser's own order, without importing getpass (and termios with it).
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except Exception:  # no name for this uid (containers)
        return f"uid {os.getuid()}"
