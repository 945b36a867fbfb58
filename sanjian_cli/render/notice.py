"""The meeting notice (会议通知) as a paper: for the group chat, or printed and posted."""

from __future__ import annotations

from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.layout import Closing, Fields, Heading, Paper, Para, Points, Title
from sanjian_cli.render.papers import Escape, form, title_of
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import body_name, day_words, when


def _closing(lang: str, esc: Escape, doc: dict[str, Any]) -> Closing:
    """The 落款: the committee and the date of issue."""
    return Closing((esc(doc["meeting"]["committee"]), day_words(lang, doc["issued"])))


def notice_paper(doc: dict[str, Any], lang: str, esc: Escape = visible) -> Paper:
    paper = Paper(lang)
    head = doc["meeting"]
    name = body_name(lang, esc(head["committee"]))
    moment = when(lang, head["start"], head["end"])
    if doc["cancelled"]:
        paper.add(Title(t(lang, "notice.cancelled_title", committee=name)))
        paper.add(Para(t(lang, "notice.salutation"), indent=0, flush=True))
        text = t(lang, "notice.cancelled", when=moment, reason=esc(doc["reason"] or ""))
        if doc.get("next"):
            text += t(lang, "notice.cancelled_next", date=when(lang, doc["next"]["start"]))
        paper.add(Para(text))
        paper.add(_closing(lang, esc, doc))
        return paper
    paper.add(Title(t(lang, "notice.title", committee=name)))
    number = head.get("number")
    meeting = (
        t(lang, "notice.meeting_number", year=number["year"], n=number["n"])
        if number
        else t(lang, "notice.meeting_plain")
    )
    paper.add(Para(t(lang, "notice.salutation"), indent=0, flush=True))
    paper.add(Para(t(lang, "notice.intro", when=moment, meeting=meeting)))
    rows = [(t(lang, "paper.time"), moment)]
    if head.get("place"):
        rows.append((t(lang, "paper.place"), esc(head["place"])))
    if head.get("online"):
        rows.append((t(lang, "paper.online"), esc(head["online"])))
    chair = head.get("chair")
    rows.append((t(lang, "paper.chair"), esc(chair["name"]) if chair else t(lang, "missing")))
    paper.add(Fields(tuple(rows)))
    paper.add(Heading(t(lang, "notice.agenda")))
    if doc["agenda"] is None:
        paper.add(Para(t(lang, "notice.agenda_not_built")))
    elif not doc["agenda"]:
        paper.add(Para(t(lang, "paper.no_topics")))
    else:
        paper.add(Points(tuple(title_of(lang, esc, item) for item in doc["agenda"]), "一、", 0))
    deadline = when(lang, doc["leave_deadline"])
    if chair:
        leave = t(lang, "notice.leave", deadline=deadline, chair=esc(chair["name"]))
    else:
        leave = t(lang, "notice.leave_no_chair", deadline=deadline)
    following = doc["next"]
    paper.add(
        Para(leave, gap=True),
        Para(
            t(
                lang,
                "notice.next_topics",
                date=when(lang, following["start"]),
                deadline=when(lang, following["topic_deadline"]),
            )
        ),
        _closing(lang, esc, doc),
    )
    return paper


def notice(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    return form(notice_paper, doc, lang, markdown)
