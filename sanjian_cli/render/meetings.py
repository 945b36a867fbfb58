"""`meeting list` and `meeting show` as tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.tables import Pairs, Table
from sanjian_cli.render.text import moment


def _name(names: Mapping[int, str], member_id: int | None, default: str) -> str:
    return names.get(member_id, default) if member_id is not None else default


_COLUMNS = ("col.date", "col.start", "col.place", "col.chair", "col.recorder", "col.status")


def listing(meetings: Sequence[Mapping[str, Any]], names: Mapping[int, str], lang: str) -> Table:
    rows = [
        [
            m["date"],
            m["start"][11:16],
            m.get("place") or "",
            _name(names, m.get("chair"), ""),
            _name(names, m.get("recorder"), ""),
            word(lang, "status", m.get("status", "planned")),
        ]
        for m in meetings
    ]
    return [t(lang, k) for k in _COLUMNS], rows


def show(meeting: Mapping[str, Any], roll: Any, names: Mapping[int, str], lang: str) -> Pairs:
    """One meeting: its details and its roll so far (`attendance.Roll`)."""
    sep = "、" if lang == "zh" else ", "

    def who(ids: Sequence[int]) -> str:
        return sep.join(names.get(i, f"#{i}") for i in ids) or t(lang, "nothing")

    attendees = [names.get(i, "") for i in roll.non_voting_present]
    attendees += [g["name"] for g in meeting.get("guests", [])]
    missing = t(lang, "missing")
    return [
        (t(lang, "col.date"), meeting["date"]),
        (t(lang, "col.start"), moment(lang, meeting["start"])),
        (t(lang, "col.end"), moment(lang, meeting.get("end"))),
        (t(lang, "col.place"), meeting.get("place") or ""),
        (t(lang, "col.online"), meeting.get("online") or ""),
        (t(lang, "col.chair"), _name(names, meeting.get("chair"), missing)),
        (t(lang, "col.recorder"), _name(names, meeting.get("recorder"), missing)),
        (t(lang, "col.status"), word(lang, "status", meeting.get("status", "planned"))),
        (t(lang, "paper.expected"), str(len(roll.expected))),
        (t(lang, "paper.present"), who(roll.present)),
        (t(lang, "paper.leave"), who(roll.excused)),
        (t(lang, "paper.absent"), who(roll.absent)),
        (t(lang, "paper.attendees"), sep.join(attendees) or t(lang, "nothing")),
    ]
