"""Measure where a big store's time goes, and what a split layout would save (a scratch study).

    .venv/bin/python benchmarks/layout_prototype.py STORE.json [--runs 7]

It touches neither the store module nor the store: it times, in this process, the steps a
command on STORE goes through today (read + JSON parse, TinyDB documents for whole tables,
JSON dump + write for a change), with the standard json module and with orjson when it is
installed; then it splits STORE the way benchmarks/README.md proposes (a "current" file with
the committee, the roster, the open queue, open decision items and this year's meetings;
one archive file per closed year) and times the same steps on the current file alone.

This was the study behind the layout that the store package now has (see benchmarks/README.md). A
store already split (as make_store.py now writes them) is read whole first, hot file and
archives merged. TinyDB rows are skipped when tinydb is not installed (sanjian no longer
uses it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

OPEN_TOPICS = ("proposed", "accepted", "scheduled")


def timed(fn: Callable[[], Any], runs: int) -> float:
    """Median milliseconds of `fn` over `runs` calls."""
    laps = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        laps.append(time.perf_counter() - start)
    return statistics.median(laps) * 1000


def split(data: dict[str, Any], current_year: str) -> tuple[dict[str, Any], dict[str, dict]]:
    """The current file and the archive of each closed year (by meeting date).

    A meeting, and the topics and decision items it settled, go to the archive of its year
    once the year is closed, unless a topic is still open or an item still open: those stay
    current, so the queue and follow-up never need the archive.
    """
    current: dict[str, Any] = {
        "_meta": data["_meta"],
        "committee": data["committee"],
        "members": data["members"],
        "topics": {},
        "meetings": {},
        "decisions": {},
    }
    archives: dict[str, dict[str, Any]] = {}

    def home(year: str) -> dict[str, Any]:
        if year >= current_year:
            return current
        return archives.setdefault(year, {"topics": {}, "meetings": {}, "decisions": {}})

    for key, meeting in data["meetings"].items():
        home(meeting["date"][:4])["meetings"][key] = meeting
    for key, topic in data["topics"].items():
        settled = topic.get("meeting") or topic["proposed_at"][:10]
        year = current_year if topic["status"] in OPEN_TOPICS else settled[:4]
        home(year)["topics"][key] = topic
    for key, item in data["decisions"].items():
        year = current_year if item["status"] == "open" else item["meeting"][:4]
        home(year)["decisions"][key] = item
    return current, archives


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--year", default="2026", help="the current (open) year")
    args = parser.parse_args()
    raw = args.store.read_bytes()
    data = json.loads(raw)
    listing = data.get("_meta", {}).get("1", {}).get("archives")
    if listing:
        from sanjian_cli.store import archive

        data = archive.merge(data, archive.Shelf(args.store, listing))
        raw = archive.whole_payload(data)
    runs = args.runs
    try:
        import orjson
    except ImportError:  # the figures for orjson are then left out
        orjson = None  # type: ignore[assignment]

    def dump_json(doc: dict[str, Any]) -> bytes:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    rows: list[tuple[str, float]] = []

    def row(label: str, fn: Callable[[], Any]) -> None:
        rows.append((label, timed(fn, runs)))

    try:
        from tinydb import TinyDB
        from tinydb.storages import MemoryStorage
    except ImportError:
        TinyDB = None  # noqa: N806

    def tinydb_all(doc: dict[str, Any]) -> None:
        db = TinyDB(storage=MemoryStorage)
        db.storage.write(doc)
        for table in ("members", "topics", "meetings", "decisions"):
            [dict(d, id=d.doc_id) for d in db.table(table).all()]

    def tinydb_open(doc: dict[str, Any]) -> None:
        db = TinyDB(storage=MemoryStorage)
        db.storage.write(doc)
        db.table("committee").all()

    def report(label: str, doc: dict[str, Any]) -> None:
        payload = dump_json(doc)
        rows.append((f"{label}: size (MB)", len(payload) / 1e6))
        row(f"{label}: read bytes + json.loads", lambda: json.loads(payload.decode("utf-8")))
        if orjson is not None:
            row(f"{label}: orjson.loads", lambda: orjson.loads(payload))
        if TinyDB is not None:
            row(f"{label}: TinyDB open + committee", lambda: tinydb_open(doc))
            row(f"{label}: TinyDB all() of the four tables (a scan)", lambda: tinydb_all(doc))
        row(f"{label}: json.dumps (a write today)", lambda: dump_json(doc))
        if orjson is not None:
            row(f"{label}: orjson.dumps", lambda: orjson.dumps(doc))

    report("whole store", data)
    current, archives = split(data, args.year)
    report("current file", current)
    sizes = sorted(len(dump_json(a)) / 1e6 for a in archives.values())
    counts = {t: len(current[t]) for t in ("members", "topics", "meetings", "decisions")}
    print(f"store {args.store} ({len(raw) / 1e6:.2f} MB), {runs} runs, median ms")
    print(f"current file holds {counts}")
    if sizes:
        print(f"{len(archives)} archive files, {sizes[0]:.2f} to {sizes[-1]:.2f} MB each")
    print()
    print("| step | ms (size: MB) |")
    print("|---|---|")
    for label, value in rows:
        print(f"| {label} | {value:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
