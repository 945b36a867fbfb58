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
    rows = _points(meeting, names, lang)
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
        *rows,
    ]


def _points(meeting: Mapping[str, Any], names: Mapping[int, str], lang: str) -> Pairs:
    """The discussion points and opinions recorded so far, per topic, numbered as
    `note DATE TOPIC --remove N` takes them (and as the minutes number them)."""
    sep = "；" if lang == "zh" else "; "
    by_topic: dict[int, list[str]] = {}
    for note in meeting.get("notes", []):
        by_topic.setdefault(note["topic"], []).append(note["text"])
    rows: Pairs = []
    for topic, texts in by_topic.items():
        listed = sep.join(f"{n}. {text}" for n, text in enumerate(texts, 1))
        rows.append((f"{t(lang, 'paper.notes')} #{topic}", listed))
    for dissent in meeting.get("dissents", []):
        who = names.get(dissent["member"], f"#{dissent['member']}")
        written = t(lang, "paper.written") if dissent.get("written") else ""
        rows.append((f"{t(lang, 'paper.dissent')} #{dissent['topic']}",
                     f"{who}{written}: {dissent['text']}"))  # fmt: skip
    return rows
