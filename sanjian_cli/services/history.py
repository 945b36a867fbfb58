"""The history read a closed year at a time (`Record.by_year`), a document's later copy
the one that counts: what the all-years reports and listings fold the archives with,
holding of each year only what they keep of it, never every year's documents at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sanjian_cli.store import Record

T = TypeVar("T")


def folded(
    record: Record, table: str, fold: Callable[[list[dict[str, Any]]], Iterable[tuple[int, T]]]
) -> dict[int, T]:
    """What `fold` keeps of each year's documents of `table`, as (id, kept) pairs, by id.
    A document a later year (or the hot file) holds again replaces what was kept of its
    earlier copy, or drops it when `fold` keeps nothing of the later one: every year's ids
    are let go before its documents are folded, as `meetings()` and the others give the
    later copy alone."""
    found: dict[int, T] = {}
    for docs in record.by_year(table):
        for doc in docs:
            found.pop(doc["id"], None)
        found.update(fold(docs))
    return found


def latest(record: Record, table: str, keep: Callable[[dict[str, Any]], T | None]) -> list[T]:
    """`keep(doc)` of the one counted copy of every document of `table`, by id; the
    documents it gives None for are left out."""

    def year(docs: list[dict[str, Any]]) -> Iterable[tuple[int, T]]:
        for doc in docs:
            kept = keep(doc)
            if kept is not None:
                yield doc["id"], kept

    found = folded(record, table, year)
    return [found[key] for key in sorted(found)]
