"""Documents written in two parts: the bulky nested fields apart from the rest.

A closed meeting's filed follow-up and topics are most of the store, and only that
meeting's minutes (and `doctor`, and a correction of the meeting) read them; in the hot
file, so are its roll, votes, notes and agenda, which the commands of the week ahead read
only of the meeting they are about. So a file the store writes, the hot file and each
archive alike, holds each such document light (without the parts the policy names:
`StorePolicy.hot_bulk` and `archive_bulk`) in its table, and the parts in a table of their
own, `_<table>_bulk`, after every other table: a reader that needs only the light documents
stops before them. `split` and `join` are the two directions; a document whose parts are
put back is, key for key, the document that was split (its keys in another order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]
Paths = tuple[tuple[str, ...], ...]
# (table, a document or None) -> the nested fields of that document written apart, and with
# None, every field a document of the table may have written apart (the hot file's policy).
Parts = Callable[[str, Any], Paths]

# The tables whose documents may be written in two parts, in the order their bulk tables
# follow the others.
TABLES = ("meetings", "topics", "decisions")


def name(table: str) -> str:
    """The table that holds the bulky parts of `table`'s documents."""
    return f"_{table}_bulk"


NAMES = tuple(name(table) for table in TABLES)


def start(raw: bytes) -> int:
    """Where the bulk tables of a store file as sanjian wrote it begin (the comma before
    the first), or -1 when it has none. A key is written between unescaped quotes, which
    never stand inside a JSON string, so the first bulk table is found by its name."""
    for table in NAMES:  # the bulk tables come in this order: the first found is the first
        at = raw.find(b',"' + table.encode("ascii") + b'":')
        if at >= 0:
            return at
    return -1


def split(doc: Data, parts: Paths) -> tuple[Data, Data]:
    """`doc` without the nested fields `parts` names (each a path of keys), and those, as a
    document of their own with the same nesting. `doc` itself is left as it is."""
    light: Data = dict(doc)
    bulk: Data = {}
    for path in parts:
        holder: Data | None = light
        for key in path[:-1]:
            child = holder.get(key) if holder is not None else None
            if not isinstance(child, dict):
                holder = None
                break
            holder[key] = holder = dict(child)  # type: ignore[index]
        if holder is None or path[-1] not in holder:
            continue
        into = bulk
        for key in path[:-1]:
            into = into.setdefault(key, {})
        into[path[-1]] = holder.pop(path[-1])
    return light, bulk


def joined(light: Data, bulk: Data) -> Data:
    """`light` with the parts `split` took out of it put back (a new document)."""
    out = dict(light)
    join_into(out, bulk)
    return out


def join_into(doc: Data, bulk: Data) -> None:
    """Put the parts `bulk` back into `doc` itself: the document stays the same object (a
    record read for a change keeps the objects it read; see `files.Index`)."""
    for key, value in bulk.items():
        here = doc.get(key)
        doc[key] = (
            joined(here, value) if isinstance(here, dict) and isinstance(value, dict) else value
        )


def may_hold(doc: Any, parts: Paths) -> bool:
    """Whether the light `doc` may have parts written apart: a field of its own (which the
    light document lacks), or one inside a field it has."""
    return isinstance(doc, dict) and any(len(path) == 1 or path[0] in doc for path in parts)


def layout(data: Data, parts: Parts | None) -> Data:
    """The body of a store file as it is written: every table but `_meta`, each document
    of a table `parts` names light, then the bulk tables (in the order of TABLES)."""
    out: Data = {}
    bulks: Data = {}
    for table, rows in data.items():
        if table == "_meta":
            continue
        if parts is None or not isinstance(rows, dict) or not parts(table, None):
            out[table] = rows
            continue
        light_rows: Data = {}
        for key, doc in rows.items():
            light, bulk = split(doc, parts(table, doc)) if isinstance(doc, dict) else (doc, {})
            light_rows[key] = light
            if bulk:
                bulks.setdefault(name(table), {})[key] = bulk
        out[table] = light_rows
    for bulk_table in NAMES:
        if bulk_table in bulks:
            out[bulk_table] = bulks[bulk_table]
    return out


def join_tables(data: Data) -> str | None:
    """Put the bulk tables of `data` (a store file as parsed) back into their documents,
    in place; what is wrong when a part belongs to no document (None: nothing)."""
    for table in TABLES:
        bulk = data.pop(name(table), None)
        if not bulk:
            continue
        if not isinstance(bulk, dict):
            return f"{name(table)} is not an object"
        rows = data.setdefault(table, {})
        for key, part in bulk.items():
            if key not in rows or not isinstance(part, dict) or not isinstance(rows[key], dict):
                return f"{name(table)}/{key} belongs to no document of {table}"
            rows[key] = joined(rows[key], part)
    return None
