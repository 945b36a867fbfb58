"""A store file read a document at a time, for `restore`.

A whole store as `backup --output` writes it is 17 MB on ten years, and 90 MB once decoded:
`scan` goes through the file in blocks, notes where each table and document lies, and
keeps none of them; `Layout.doc` then reads one document (with the parts its file writes
apart, `store.bulk`) when asked. A file `scan` cannot lay out so (not the TinyDB layout,
not JSON, not UTF-8, a key twice, a part of no document) gives None: the caller decodes it
whole (`files.decode`), which reads it or says what is wrong with it in its own words.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sanjian_cli.errors import StoreError
from sanjian_cli.store import bulk, files

Data = dict[str, Any]
Span = tuple[int, int]  # [start, end) in bytes

BLOCK = 1 << 20  # read a megabyte at a time: a document is far smaller
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


class _Unusual(Exception):
    """The file is not laid out as `scan` reads it (the caller decodes it whole)."""


class Layout:
    """Where every table (in the file's order) and each of its documents lies in a store
    file; documents are read from the file when asked. Use it as a context manager: it
    holds the file open."""

    def __init__(self, handle: IO[bytes], tables: dict[str, dict[str, Span]], path: Path) -> None:
        self._handle = handle
        self.tables = tables
        self.path = path
        # A hot file's bulk file (`store.bulkfile`), laid out alike: its parts are read there.
        self.parts: Layout | None = None

    def __enter__(self) -> Layout:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()
        if self.parts is not None:
            self.parts.__exit__()

    def names(self) -> list[str]:
        """The tables, in the file's order, without the bulk tables (their parts are read
        with their documents)."""
        return [name for name in self.tables if name not in bulk.NAMES]

    def keys(self, table: str) -> list[str]:
        return list(self.tables.get(table) or {})

    def has(self, table: str, key: str) -> bool:
        return key in (self.tables.get(table) or {})

    def _read(self, span: Span) -> Any:
        self._handle.seek(span[0])
        try:
            return json.loads(self._handle.read(span[1] - span[0]))
        except ValueError:  # the file was changed since it was scanned
            raise StoreError(
                "store_unreadable", path=str(self.path), reason="changed while it was read"
            ) from None

    def doc(self, table: str, key: str) -> Data:
        """The document `key` of `table`, whole: its parts written apart put back, as
        `files.decode` gives it."""
        doc: Data = self._read(self.tables[table][key])
        held = self.parts if self.parts is not None else self
        part = (held.tables.get(bulk.name(table)) or {}).get(key)
        return bulk.joined(doc, held._read(part)) if part is not None else doc

    def docs(self, table: str, keys: Iterable[str] | None = None) -> Iterator[tuple[str, Data]]:
        """`(key, doc)` of each document of `table` (of `keys`, else all), whole, in the
        order they lie in the file (one read after another)."""
        spans = self.tables.get(table) or {}
        wanted = spans if keys is None else keys
        for key in sorted(wanted, key=lambda k: spans[k][0]):
            yield key, self.doc(table, key)


def scan(path: Path, locate: Callable[[str], Path | None] | None = None) -> Layout | None:
    """The layout of the store file at `path`, or None when it is not one `scan` reads (see
    the module). A hot file whose bulk tables are a file of their own (`store.bulkfile`) is
    laid out with that file, which `locate` finds (a copy checked by its digest, or the
    store's own as it is); without `locate`, or when it is nowhere, it is not one `scan`
    reads. Raises OSError when the file cannot be read."""
    layout = _scanned(path)
    if layout is None or not layout.has("_meta", "1"):
        return layout
    start, end = layout.tables["_meta"]["1"]
    with open(path, "rb") as head:  # not through the layout's handle: it would cache it
        head.seek(start)
        try:
            name = files.bulk_named(json.loads(head.read(end - start)))
        except ValueError:
            name = None  # changed since: the layout's reads say so
    if name is None:
        return layout
    place = locate(name) if locate is not None else None
    parts = _scanned(place, alone=True) if place is not None else None
    tables = parts.tables if parts is not None else {}
    if (
        parts is None
        or any(table in layout.tables for table in bulk.NAMES)
        or not set(tables) <= set(bulk.NAMES)
        or any(
            key not in (layout.tables.get(table) or {})
            for table in bulk.TABLES
            for key in tables.get(bulk.name(table)) or {}
        )
    ):
        layout.__exit__()
        if parts is not None:
            parts.__exit__()
        return None  # decoded whole, which says what is wrong
    layout.parts = parts
    return layout


def _scanned(path: Path, alone: bool = False) -> Layout | None:
    """`path` laid out (`alone`: a bulk file, its parts' documents elsewhere)."""
    handle = open(path, "rb")  # noqa: SIM115 (the Layout closes it)
    try:
        tables = _tables(_Text(handle), alone)
    except (_Unusual, UnicodeDecodeError):
        handle.close()
        return None
    except BaseException:
        handle.close()
        raise
    return Layout(handle, tables, path)


def _tables(text: _Text, alone: bool = False) -> dict[str, dict[str, Span]]:
    """`{table: {key: span}}` of the whole file; _Unusual when it is not as sanjian (or
    TinyDB) lays a store out."""
    tables: dict[str, dict[str, Span]] = {}
    text.expect("{")
    if not text.take("}"):
        while True:
            name = text.key()
            if name in tables:
                raise _Unusual  # JSON keeps the last: decoded whole, as any reader would
            tables[name] = _documents(text)
            if not text.take(","):
                break
        text.expect("}")
    if text.peek() != "":
        raise _Unusual  # something after the store: decoding says what
    for table in bulk.TABLES if not alone else ():
        docs = tables.get(table) or {}
        if any(key not in docs for key in tables.get(bulk.name(table)) or {}):
            raise _Unusual  # a part of no document
    return tables


def _documents(text: _Text) -> dict[str, Span]:
    spans: dict[str, Span] = {}
    text.expect("{")
    if text.take("}"):
        return spans
    while True:
        key = text.key()
        if not key.isdigit() or key in spans:
            raise _Unusual
        if text.peek() != "{":
            raise _Unusual  # a document is an object
        spans[key] = text.value()[1]
        if not text.take(","):
            break
    text.expect("}")
    return spans


class _Text:
    """The file's text, a block at a time, with the byte offset of where reading stands."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._at = 0  # in characters of `_text`
        self._byte = 0  # the file offset of `_text[_at]`
        self._end = False

    def _more(self) -> bool:
        """Append the next block; False at the end of the file."""
        if self._end:
            return False
        block = self._handle.read(BLOCK)
        self._end = not block
        self._text = self._text[self._at :] + self._decoder.decode(block, final=self._end)
        self._at = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file)."""
        while True:
            text, at = self._text, self._at
            while at < len(text) and text[at] in _WHITESPACE:
                at += 1
            self._byte += at - self._at  # whitespace is one byte a character
            self._at = at
            if at < len(text):
                return text[at]
            if not self._more():
                return ""

    def take(self, char: str) -> bool:
        """Step over `char` (ASCII) if it comes next."""
        if self.peek() != char:
            return False
        self._at += 1
        self._byte += 1
        return True

    def expect(self, char: str) -> None:
        if not self.take(char):
            raise _Unusual

    def key(self) -> str:
        """A key and the colon after it."""
        if self.peek() != '"':
            raise _Unusual
        key, _span = self.value()
        self.expect(":")
        return key  # type: ignore[no-any-return]

    def value(self) -> tuple[Any, Span]:
        """The string or object that begins here, and its span in bytes. The caller has
        peeked at its first character."""
        while True:
            try:
                found, end = _DECODER.raw_decode(self._text, self._at)
                break
            except ValueError:
                # Cut off by the end of the block (an object or a string is only complete
                # with its closing character), or not JSON: read on and try again.
                if not self._more():
                    raise _Unusual from None
        piece = self._text[self._at : end]
        start = self._byte
        self._byte += len(piece) if piece.isascii() else len(piece.encode("utf-8"))
        self._at = end
        return found, (start, self._byte)
