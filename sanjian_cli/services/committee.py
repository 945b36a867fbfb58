"""The committee itself: creation, its settings, its time zone and clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sanjian_cli.domain import clock, documents, settings
from sanjian_cli.errors import Refused
from sanjian_cli.store import Record


def require(record: Record) -> dict[str, Any]:
    """The committee, or a refusal telling the user to run `sanjian init` first."""
    committee = record.committee()
    if not committee:
        raise Refused("no_committee")
    return committee


def config(record: Record) -> dict[str, Any]:
    """The committee's settings, with defaults for keys the store does not hold yet."""
    return settings.complete(require(record).get("settings", {}))


def language(db: Path) -> str | None:
    """The committee's language as the store at `db` records it, or None when it cannot
    tell (no committee, a store that cannot be read or whose lock is held)."""
    from sanjian_cli.errors import SanjianError
    from sanjian_cli.store import Store

    try:
        with Store(db, lock_timeout=0.5).reading() as record:
            found = record.committee().get("settings", {}).get("lang")
    except (SanjianError, OSError, ValueError):
        return None
    return found if found in ("zh", "en") else None


def tz(config_: Mapping[str, Any]) -> tzinfo:
    return clock.zone(config_["timezone"])


def now(config_: Mapping[str, Any]) -> datetime:
    return clock.now(tz(config_))


def create(record: Record, name: str, chosen: dict[str, str], at: datetime) -> dict[str, Any]:
    """Create the committee `name` with `chosen` settings (as typed; the others take their
    defaults from `settings.SPEC`); refuses to overwrite."""
    if record.exists:
        raise Refused("committee_exists", name=record.committee().get("name", ""))
    if not name.strip():
        raise Refused("empty_name")
    values = settings.defaults()
    for key, text in chosen.items():
        values[key] = settings.parse(key, text)
    record.set_committee(dict(documents.new_committee(name, values, at)))
    return record.committee()


def set_value(record: Record, key: str, text: str) -> tuple[str, Any]:
    committee = require(record)
    value = settings.parse(key, text)
    stored = dict(committee.get("settings", {}))
    canonical = key.strip().lower()
    stored[canonical] = value
    record.set_committee({"settings": stored})
    return canonical, value


def rename(record: Record, name: str) -> None:
    require(record)
    if not name.strip():
        raise Refused("empty_name")
    record.set_committee({"name": name})
