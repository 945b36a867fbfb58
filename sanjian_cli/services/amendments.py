"""Amendments and corrections: what a change to a closed meeting (or a targeted correction)
records for the minutes and the log: when, who, what changed from -> to, and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sanjian_cli.domain import documents
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Change
from sanjian_cli.services.meetings import current, require_changeable


def record_amendment(
    record: Record,
    meeting: Mapping[str, Any],
    now: datetime,
    changes: Sequence[Mapping[str, Any]] | None = None,
) -> None:
    """Write into `meeting` (as it was before this change) that this change amends it:
    when, who (`--by`, else the meeting's recorder), what changed from -> to (`changes`,
    else what differs in the meeting now) and why, the reason given with --amend. One
    amendment per change, however many facts it touches: a second call adds its changes
    to it. Approved minutes get the digest of the minutes as amended. Call it last, once
    the change is made."""
    if not record.amendment:
        return
    from sanjian_cli.domain import corrections
    from sanjian_cli.store import whoami

    found = current(record, meeting)
    described = list(changes) if changes is not None else corrections.describe(meeting, found)
    trail = list(found.get("amendments", []))
    if meeting["date"] in record.amended and trail:
        listed = list(trail[-1].get("changes", []))
        listed += [cast("Change", dict(c)) for c in described if c not in listed]
        trail[-1] = {**trail[-1], "changes": listed}
    else:
        by = record.amendment_by if record.amendment_by is not None else found.get("recorder")
        note = documents.new_amendment(now, whoami(), record.amendment, by=by, changes=described)
        trail.append(note)
    record.update_meeting(found["id"], {"amendments": trail})
    record.amended.add(meeting["date"])
    refresh_digest(record, found)


def refresh_digest(record: Record, meeting: Mapping[str, Any]) -> None:
    """Approved minutes keep the digest of what they say: after an amendment, of the
    minutes as amended (doctor reports minutes that drift from it any other way)."""
    found = current(record, meeting)
    if not found.get("approved_at"):
        return
    from sanjian_cli.services import papers

    record.update_meeting(found["id"], {"approved_digest": papers.digest(record, found)})


def log_correction(
    record: Record, changes: Sequence[Mapping[str, Any]], reason: str | None
) -> None:
    """Put what a correction changed (from -> to) and why into this change's log entry."""
    logged = [*record.log_fields.get("corrections", []), *(dict(c) for c in changes)]
    record.log_note(corrections=logged)
    if reason:
        record.log_note(reason=reason)


def correct(
    record: Record,
    meeting: Mapping[str, Any],
    now: datetime,
    changes: Sequence[Mapping[str, Any]],
    reason: str | None,
    outside: bool = False,
) -> None:
    """The end of every targeted correction of what was recorded at `meeting` (as it was
    before it): logged with old and new values and the reason, and on a closed meeting (an
    amendment: the guard let it through) recorded for the minutes too. `outside`: the
    changes are to documents other than the meeting (its decision items), so the
    amendment lists them rather than what differs in the meeting."""
    log_correction(record, changes, reason)
    if require_changeable(meeting, record.amendment):
        record_amendment(record, meeting, now, changes if outside else None)
