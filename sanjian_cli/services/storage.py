"""What the store must know of the committee, told by the domain: `POLICY`.

The store (`sanjian_cli.store`) owns files and knows no rule; it asks a `StorePolicy` which
documents are settled and may leave the hot file for their year's archive, when a year is
closed, the time zone of its log, how many backups to keep and how long to wait for the
lock. The answers come from the topic lifecycle (`domain.vocab`) and the committee's
settings (`domain.settings`).
"""

from __future__ import annotations

import re
from typing import Any

from sanjian_cli.domain import documents, settings, vocab

Data = dict[str, Any]

_LOCK_KEY = b'"lock-timeout"'
# Compiled on first use (re keeps it): only a store that names the setting needs it.
_LOCK_VALUE = rb'"lock-timeout"\s*:\s*([0-9][0-9.eE+]*)'


# The fields of a meeting the store writes apart (see `hot_bulk`).
_FILED = (("filed", "follow_up"), ("filed", "topics"))
_RECORDS = tuple((field,) for field in ("attendance", "votes", "notes", "agenda", "leaves",
                                        "dissents", "guests"))  # fmt: skip


def _year(text: Any) -> int | None:
    if isinstance(text, str) and len(text) >= 4 and text[:4].isdigit():
        return int(text[:4])
    return None


def _settings(data: Data) -> dict[str, Any]:
    for doc in (data.get("committee") or {}).values():
        if isinstance(doc, dict) and isinstance(doc.get("settings"), dict):
            return doc["settings"]
    return {}


class CommitteePolicy:
    """The committee's answers to the store (see `sanjian_cli.store.policy.StorePolicy`)."""

    def settled(self, table: str, doc: Data) -> tuple[int, int] | None:
        """A meeting belongs to the year it was held in; a topic to the year of its final
        outcome (the last vote, the rejection, the withdrawal); a done decision item to the
        year of its meeting, but it waits for the year it was done in to close as well, so
        the follow-ups listed in this year's papers are still in the hot file."""
        year: int | None = None
        if table == "meetings":
            year = _year(doc.get("date"))
        elif table == "decisions":
            if doc.get("status") == "done":
                year = _year(doc.get("meeting"))
                done = _year(doc.get("done_at"))
                if year is not None and done is not None and done > year:
                    return year, done
        elif table == "topics":
            status = doc.get("status")
            if status in vocab.TOPIC_DECIDED:
                history = doc.get("history") or []
                last = history[-1].get("meeting") if history else None
                year = _year(last or doc.get("meeting"))
            elif status == "rejected":
                year = _year((doc.get("rejection") or {}).get("at"))
            elif status == "withdrawn":
                year = _year(doc.get("withdrawn_at"))
        return None if year is None else (year, year)

    def archive_notes(self, tables: Data) -> Data:
        """`unfixed`: the days of the archive's meetings whose 应到 a roster change could
        still alter (`rolls.unfixed`), so that fixing rolls (`rolls.pin_rolls`) opens only
        the archives that hold one; `planned`: the days of its meetings neither held nor
        skipped (`planning.never_held`), so that the agenda's look back for a meeting left
        open (`planning.left_open`, which in January reaches last year) opens only an
        archive that holds one."""
        from sanjian_cli.services import planning, rolls

        meetings = (tables.get("meetings") or {}).values()
        return {
            "unfixed": sorted({m["date"] for m in meetings if rolls.unfixed(m)}),
            "planned": sorted({m["date"] for m in meetings if planning.never_held(m)}),
        }

    def archive_bulk(self, table: str) -> tuple[tuple[str, ...], ...]:
        """A closed meeting's filed follow-up and topics: most of an archive, and read only
        by that meeting's minutes; the reports over the years read its roll and 应到."""
        return _FILED if table == "meetings" else ()

    def hot_bulk(self, table: str, doc: Data | None) -> tuple[tuple[str, ...], ...]:
        """In the hot file, a closed meeting's records as well (its roll, votes, notes,
        agenda): by November this year's closed meetings are most of what every command
        would parse, and the commands of the week ahead read them only of the previous
        meeting. A meeting not yet closed keeps them in its table: signing in and voting
        change them."""
        if table != "meetings":
            return ()
        if doc is None or doc.get("status") == "closed":
            return _RECORDS + _FILED  # in this order: `by_year` reads the records alone
        return _FILED

    def hot_notes(self, data: Data) -> Data:
        """`calendar`: [date, start, status] of each meeting in the hot file, so a TAB on a
        date (`sanjian minutes <TAB>`) reads the head of the file, not every meeting."""
        meetings = (data.get("meetings") or {}).values()
        calendar = sorted(
            [m["date"], m.get("start", ""), m.get("status", "planned")]
            for m in meetings
            if isinstance(m, dict) and isinstance(m.get("date"), str)
        )
        return {"calendar": calendar}

    def is_open(self, table: str, doc: Data) -> bool:
        if table == "topics":
            return doc.get("status") in vocab.TOPIC_OPEN
        if table == "decisions":
            return doc.get("status") == "open"
        return False

    def closed_before(self, data: Data) -> int | None:
        """A year is closed once a meeting of a later year has been closed."""
        latest = None
        for doc in (data.get("meetings") or {}).values():
            if isinstance(doc, dict) and doc.get("status") == "closed":
                day = doc.get("date")
                if isinstance(day, str) and (latest is None or day > latest):
                    latest = day
        return _year(latest)

    def timestamp(self, data: Data | None) -> str:
        """Now in the committee's time zone (SANJIAN_NOW respected); UTC without a committee
        or with a zone edited into nonsense (a change must still be logged)."""
        from sanjian_cli.domain import clock

        name = _settings(data or {}).get("timezone")
        tz = None
        if isinstance(name, str):
            try:
                tz = clock.zone(name)
            except Exception:
                tz = None
        return clock.iso(clock.now(tz or clock.zone("UTC")))

    def backups(self, data: Data) -> int:
        value = _settings(data).get("backups")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        return int(settings.BY_KEY["backups"].default)

    def lock_timeout(self, raw: bytes) -> float | None:
        # The setting is found in the bytes rather than by parsing the file before locking:
        # the key cannot occur unescaped anywhere else (user text has its quotes escaped).
        at = raw.find(_LOCK_KEY)  # a plain search: a regex would scan byte by byte
        while at >= 0:
            found = re.match(_LOCK_VALUE, raw[at : at + 80])
            if found is not None and raw[at - 1 : at] != b"\\":
                try:
                    value = float(found.group(1))
                except ValueError:
                    value = -1.0
                if value >= 0 and value == value:
                    return value
            at = raw.find(_LOCK_KEY, at + 1)
        return None

    def upgrade(self, table: str, doc: Data) -> Data:
        # The one definition of each document's shape lives with the documents.
        return documents.upgrade(table, doc)


POLICY = CommitteePolicy()
