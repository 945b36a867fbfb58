"""The meeting notice as text or markdown, ready to paste into a group chat."""

from __future__ import annotations

from typing import Any

from sanjian_cli.render.papers import _name, _numeral, _Writer, item_title, when
from sanjian_cli.render.safe import visible


def notice(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    w = _Writer(lang, markdown)
    head = doc["meeting"]
    committee = visible(head["committee"])
    moment = when(lang, head["start"], head["end"])
    if doc["cancelled"]:
        w.title(w.t("notice.cancelled_title", committee=committee))
        w.line(w.t("notice.cancelled", when=moment, reason=visible(doc["reason"] or "")))
        return w.done()
    w.title(w.t("notice.title", committee=committee))
    w.line(w.t("notice.intro", when=moment))
    w.line()
    w.field(w.t("paper.time"), moment)
    if head.get("place"):
        w.field(w.t("paper.place"), visible(head["place"]))
    if head.get("online"):
        w.field(w.t("paper.online"), visible(head["online"]))
    w.field(w.t("paper.chair"), _name(lang, head.get("chair")))
    w.heading(w.t("notice.agenda"))
    if doc["agenda"] is None:
        w.line(w.t("notice.agenda_not_built"))
    elif not doc["agenda"]:
        w.line(w.t("paper.no_topics"))
    for index, item in enumerate(doc["agenda"] or []):
        number = _numeral(lang, index)
        prefix = number if lang == "zh" else number + " "
        if markdown:
            prefix = f"{index + 1}. "
        w.lines.append(prefix + item_title(w, item))
    w.line()
    chair = head.get("chair")
    deadline = when(lang, doc["leave_deadline"])
    if chair:
        w.line(w.t("notice.leave", deadline=deadline, chair=visible(chair["name"])))
    else:
        w.line(w.t("notice.leave_no_chair", deadline=deadline))
    following = doc["next"]
    w.line(
        w.t(
            "notice.next_topics",
            date=when(lang, following["start"]),
            deadline=when(lang, following["topic_deadline"]),
        )
    )
    return w.done()
