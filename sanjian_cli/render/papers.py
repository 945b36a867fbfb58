"""The agenda and the minutes as plain text or markdown, in Chinese or English.

Layout only: every word comes from the catalog and every fact from `sanjian_cli.services.papers`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.safe import visible

_NUMBERED = re.compile(r"^\d+\. ")


class _Writer:
    def __init__(self, lang: str, markdown: bool) -> None:
        self.lang = lang
        self.md = markdown
        self.lines: list[str] = []

    def t(self, key: str, /, **params: Any) -> str:
        return t(self.lang, key, **params)

    def title(self, text: str) -> None:
        self.lines.append(f"# {text}" if self.md else text)
        if not self.md:
            self.lines.append("=" * min(60, _width(text)))
        self.lines.append("")

    def heading(self, text: str) -> None:
        self.lines.append("")
        self.lines.append(f"## {text}" if self.md else text)

    def field(self, label: str, value: str) -> None:
        sep = "：" if self.lang == "zh" else ": "
        line = f"{label}{sep}{value}"
        self.lines.append(f"- {line}" if self.md else line)

    def line(self, text: str = "", indent: int = 0) -> None:
        if self.md and indent and text:
            # Numbered points are a markdown ordered list already, not a bullet.
            bullet = "" if _NUMBERED.match(text) else "- "
            self.lines.append("  " * (indent - 1) + bullet + text)
        else:
            self.lines.append("   " * indent + text)

    def done(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _numeral(lang: str, index: int) -> str:
    numerals = t(lang, "paper.numerals").split(",")
    number = numerals[index] if index < len(numerals) else str(index + 1)
    return f"{number}、" if lang == "zh" else f"{number}."


def numbered(lang: str, index: int, text: str) -> str:
    """`text` as item `index` of a paper: 一、… in Chinese, 1. … in English."""
    number = _numeral(lang, index)
    return f"{number}{text}" if lang == "zh" else f"{number} {text}"


def item_title(w: _Writer, item: dict[str, Any], with_minutes: bool = False) -> str:
    """The title of an agenda item of any kind, as every paper (agenda, minutes, notice,
    calendar) prints it."""
    if item["kind"] == "topic":
        return _topic_line(w, item, with_minutes)
    if item["kind"] == "approve-minutes":
        text = (
            w.t("paper.approve_minutes", date=item["previous"])
            if item.get("previous")
            else w.t("paper.approve_minutes_none")
        )
    else:
        text = w.t("paper.follow_up")
    if with_minutes and "minutes" in item:
        mins = w.t("paper.mins", n=item["minutes"])
        text += f"（{mins}）" if w.lang == "zh" else f" ({mins})"
    return text


def when(lang: str, start: str, end: str | None = None, duration: int | None = None) -> str:
    begin = datetime.fromisoformat(start)
    weekday = t(lang, f"weekday.{begin.weekday()}")
    if lang == "zh":
        text = f"{begin.year}年{begin.month}月{begin.day}日（{weekday}）{begin:%H:%M}"
    else:
        text = f"{weekday} {begin:%Y-%m-%d} {begin:%H:%M}"
    if end:
        text += f"—{datetime.fromisoformat(end):%H:%M}"
    elif duration:
        from datetime import timedelta

        text += f"—{begin + timedelta(minutes=duration):%H:%M}"
    return text


def _stamp(text: str | None) -> str:
    """A stored instant as the papers show it: local date and time to the minute."""
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return visible(text)


def _name(lang: str, who: dict[str, Any] | None) -> str:
    return visible(who["name"]) if who else t(lang, "missing")


def _names(lang: str, people: list[dict[str, Any]], extra: Any = None) -> str:
    if not people:
        return t(lang, "nothing")
    sep = "、" if lang == "zh" else ", "
    return sep.join(visible(p["name"]) + (extra(p) if extra else "") for p in people)


def _head(w: _Writer, head: dict[str, Any], closed_end: bool) -> None:
    w.field(
        w.t("paper.time"),
        when(
            w.lang,
            head["start"],
            head["end"] if closed_end else None,
            None if closed_end else head["duration"],
        ),
    )
    if head.get("place"):
        w.field(w.t("paper.place"), visible(head["place"]))
    if head.get("online"):
        w.field(w.t("paper.online"), visible(head["online"]))
    w.field(w.t("paper.chair"), _name(w.lang, head.get("chair")))
    w.field(w.t("paper.recorder"), _name(w.lang, head.get("recorder")))


def _topic_line(w: _Writer, item: dict[str, Any], with_minutes: bool) -> str:
    marks = []
    if item.get("carried"):
        marks.append(w.t("paper.carried"))
    if item.get("urgent"):
        marks.append(w.t("paper.urgent"))
    if item.get("major"):
        marks.append(w.t("paper.major"))
    who = w.t("paper.topic_by", name=_name(w.lang, item.get("proposer")))
    if item.get("for"):
        who += ("，" if w.lang == "zh" else ", ") + w.t(
            "paper.topic_for", name=visible(item["for"])
        )
    parts = [who, word(w.lang, "category", item["category"])]
    if with_minutes:
        parts.append(w.t("paper.mins", n=item["minutes"]))
    sep = "；" if w.lang == "zh" else "; "
    mark = "".join(f"【{m}】" if w.lang == "zh" else f"[{m}] " for m in marks)
    open_, close = ("（", "）") if w.lang == "zh" else (" (", ")")
    return f"{mark}#{item['id']} {visible(item['title'])}{open_}{sep.join(parts)}{close}"


def _due_in(w: _Writer, action: dict[str, Any], as_of: str | None) -> str:
    """An open item not yet due on the day the agenda was built (`as_of`) says how soon it
    falls due, counted from that day as its days overdue are."""
    if as_of is None or action["overdue"] or action["status"] != "open" or not action.get("due"):
        return ""
    from datetime import date

    days = (date.fromisoformat(action["due"]) - date.fromisoformat(as_of)).days
    return w.t("paper.due_today") if days <= 0 else w.t("paper.due_in", days=days)


def _action_line(
    w: _Writer, action: dict[str, Any], with_status: bool, as_of: str | None = None
) -> str:
    owner = _name(w.lang, action.get("owner"))
    due = action.get("due") or w.t("missing")
    text = (
        f"#{action['id']} {visible(action['text'])}"
        + ("（" if w.lang == "zh" else " (")
        + w.t("paper.owner_due", owner=owner, due=due)
        + ("）" if w.lang == "zh" else ")")
    )
    if with_status:
        overdue = w.t("paper.overdue", days=action["days_overdue"]) if action["overdue"] else ""
        overdue = overdue or _due_in(w, action, as_of)
        note = visible(action["latest_note"]) if action.get("latest_note") else w.t("nothing")
        sep = "，" if w.lang == "zh" else "; "
        status = w.t(
            "paper.follow_status",
            status=word(w.lang, "status", action["status"]),
            overdue=overdue,
            note=note,
        )
        text += sep + status
    return text


def agenda(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    w = _Writer(lang, markdown)
    head = doc["meeting"]
    w.title(w.t("paper.agenda_title", committee=visible(head["committee"])))
    _head(w, head, closed_end=False)
    w.line()
    if not doc["items"]:
        w.line(w.t("paper.no_topics"))
    for index, item in enumerate(doc["items"]):
        w.line(numbered(lang, index, item_title(w, item, with_minutes=True)))
        if item["kind"] == "follow-up":
            for action in item["actions"]:
                w.line(_action_line(w, action, True, doc.get("as_of")), indent=1)
        elif item["kind"] == "topic" and item.get("detail"):
            w.line(visible(item["detail"]), indent=1)
    if doc["waiting"]:
        w.heading(w.t("paper.waiting"))
        for item in doc["waiting"]:
            w.line(_topic_line(w, item, True), indent=1)
    if doc.get("late"):
        deadline = when(lang, doc["topic_deadline"]) if doc.get("topic_deadline") else ""
        w.heading(w.t("paper.late_topics", deadline=deadline))
        for item in doc["late"]:
            w.line(_topic_line(w, item, True), indent=1)
    w.line()
    w.line(w.t("paper.total", used=doc["minutes_used"], duration=head["duration"]))
    return w.done()


def _vote_text(w: _Writer, vote: dict[str, Any]) -> str:
    method = word(w.lang, "method", vote["method"])
    outcome = word(w.lang, "outcome", vote["outcome"])
    if vote["yes"] + vote["no"] + vote["abstain"] == 0 and vote["outcome"] in (
        "deferred",
        "referred",
    ):
        return w.t("paper.vote_chair", method=method, outcome=outcome)
    return w.t(
        "paper.vote_line",
        method=method,
        yes=vote["yes"],
        no=vote["no"],
        abstain=vote["abstain"],
        basis=word(w.lang, "basis", vote["basis"]),
        base=vote["base"],
        threshold=word(w.lang, "threshold", vote["threshold"]),
        needed=vote["needed"],
        outcome=outcome,
    )


def _attendance(w: _Writer, doc: dict[str, Any], official: bool) -> None:
    """应到/实到/请假/缺席 counts and names (leave with its reason), then 列席."""
    lang = w.lang
    att = doc["attendance"]
    w.line()
    if att is None:  # a draft before the meeting starts: no figures to give yet
        w.line(w.t("paper.not_started"))
        _attendees(w, doc)
        return
    w.line(
        w.t(
            "paper.counts",
            expected=att["expected"],
            present=att["present"],
            leave=att["leave"],
            absent=att["absent"],
        )
    )
    if w.md:
        w.line()

    def present_marks(p: dict[str, Any]) -> str:
        marks = [w.t("paper.late")] if p.get("late") else []
        if p.get("online"):
            marks.append(w.t("paper.online_mark"))
        return (
            ("（" + "、".join(marks) + "）" if lang == "zh" else " (" + ", ".join(marks) + ")")
            if marks
            else ""
        )

    def reason(p: dict[str, Any]) -> str:
        if not p.get("reason"):
            return ""
        return f"（{visible(p['reason'])}）" if lang == "zh" else f" ({visible(p['reason'])})"

    def late_leave(p: dict[str, Any]) -> str:
        if not p.get("late_leave"):
            return ""
        text = w.t("paper.late_leave", reason=visible(p["late_leave"]))
        return f"（{text}）" if lang == "zh" else f" ({text})"

    present_label = "paper.attended" if official else "paper.present"
    w.field(w.t(present_label), _names(lang, att["present_members"], present_marks))
    w.field(w.t("paper.leave"), _names(lang, att["leave_members"], reason))
    w.field(w.t("paper.absent"), _names(lang, att["absent_members"], late_leave))
    _attendees(w, doc)


def _attendees(w: _Writer, doc: dict[str, Any]) -> None:
    """列席: non-voting members and guests, with their organisation."""
    lang = w.lang

    def org(p: dict[str, Any]) -> str:
        if not p.get("org"):
            return ""
        return f"（{visible(p['org'])}）" if lang == "zh" else f" ({visible(p['org'])})"

    w.field(w.t("paper.attendees"), _names(lang, doc["attendees"], org))


def minutes(doc: dict[str, Any], lang: str, markdown: bool = False, official: bool = False) -> str:
    """The minutes. `official` is the 纪要 layout of DOMAIN.md: attendance follows the body,
    as lines beginning 出席：, 请假：, 缺席：, 列席：; otherwise (the 会议记录 layout) it
    follows the header."""
    w = _Writer(lang, markdown)
    head = doc["meeting"]
    title = w.t("paper.minutes_title", committee=visible(head["committee"]))
    w.title(title + (w.t("paper.draft") if doc.get("draft") else ""))
    _head(w, head, closed_end=bool(head.get("end")))
    if not official:
        _attendance(w, doc, official=False)
    for index, item in enumerate(doc["items"]):
        w.heading(numbered(lang, index, item_title(w, item)))
        if item["kind"] == "approve-minutes":
            continue
        if item["kind"] == "follow-up":
            if not doc["follow_up"]:
                w.line(w.t("paper.follow_up_none"), indent=1)
            for action in doc["follow_up"]:
                w.line(_action_line(w, action, with_status=True), indent=1)
            continue
        if item.get("detail"):
            w.line(visible(item["detail"]), indent=1)
        if item["notes"]:
            w.line(w.t("paper.notes") + ("：" if lang == "zh" else ":"), indent=1)
            for n, note in enumerate(item["notes"], 1):
                w.line(f"{n}. {visible(note)}", indent=2)
        vote = item.get("vote")
        label = w.t("paper.vote") + ("：" if lang == "zh" else ": ")
        w.line(label + (_vote_text(w, vote) if vote else w.t("paper.no_vote")), indent=1)
        if vote:
            for key in ("yes_by", "no_by", "abstain_by"):
                if vote.get(key):
                    w.line(
                        w.t(f"paper.{key}")
                        + ("：" if lang == "zh" else ": ")
                        + _names(lang, vote[key]),
                        indent=2,
                    )
        for decision in item["decisions"]:
            w.line(
                w.t("paper.decision")
                + ("：" if lang == "zh" else ": ")
                + _action_line(w, decision, with_status=False),
                indent=1,
            )
        if item["dissent"]:
            w.line(w.t("paper.dissent") + ("：" if lang == "zh" else ":"), indent=1)
            for d in item["dissent"]:
                written = w.t("paper.written") if d.get("written") else ""
                sep = "：" if lang == "zh" else ": "
                w.line(f"{visible(d['name'])}{written}{sep}{visible(d['text'])}", indent=2)

    w.heading(w.t("paper.decisions"))
    if not doc["decisions"]:
        w.line(w.t("nothing"), indent=1)
    for n, decision in enumerate(doc["decisions"], 1):
        w.line(f"{n}. " + _action_line(w, decision, with_status=False), indent=1)
    w.heading(w.t("paper.follow_up"))
    if not doc["follow_up"]:
        w.line(w.t("paper.follow_up_none"), indent=1)
    for action in doc["follow_up"]:
        w.line(_action_line(w, action, with_status=True), indent=1)
    if official:
        _attendance(w, doc, official=True)
    w.line()
    adjourned = (
        datetime.fromisoformat(doc["adjourned"]).strftime("%H:%M")
        if doc.get("adjourned")
        else w.t("paper.not_closed")
    )
    w.field(w.t("paper.adjourned"), adjourned)
    if doc.get("amendments"):
        w.heading(w.t("paper.amendments"))
        for n, amendment in enumerate(doc["amendments"], 1):
            text = w.t(
                "paper.amendment_line",
                at=_stamp(amendment.get("at")),
                user=visible(amendment.get("user")),
                reason=visible(amendment.get("reason")),
            )
            w.line(f"{n}. {text}", indent=1)
    if doc.get("approved_at"):
        w.line()
        w.line(w.t("paper.approved", at=_stamp(doc["approved_at"])))
    w.line()
    w.line(w.t("paper.signature"))
    return w.done()
