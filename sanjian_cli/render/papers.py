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


def _action_line(w: _Writer, action: dict[str, Any], with_status: bool) -> str:
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
                w.line(_action_line(w, action, with_status=True), indent=1)
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
    w.line(
        w.t(
            "paper.counts",
            expected=att["expected"],
            present=att["present"],
            leave=att["leave"],
            absent=att["absent"],
        )
    )
    if att.get("quorum") is False and doc["meeting"].get("status") == "closed":
        w.line(w.t("paper.no_quorum", expected=att["expected"], present=att["present"],
                   needed=att.get("quorum_needed")))  # fmt: skip
    if w.md:
        w.line()

    def present_marks(p: dict[str, Any]) -> str:
        marks = [w.t("paper.late")] if p.get("late") else []
        if p.get("online"):
            marks.append(w.t("paper.online_mark"))
        if p.get("left"):
            marks.append(w.t("paper.left", at=_clock(p["left"])))
        return (
            ("（" + "、".join(marks) + "）" if lang == "zh" else " (" + ", ".join(marks) + ")")
            if marks
            else ""
        )

    def reason(p: dict[str, Any]) -> str:
        parts = [visible(p["reason"])] if p.get("reason") else []
        if p.get("late_entry"):
            parts.append(w.t("paper.late_entry"))
        if not parts:
            return ""
        return f"（{'，'.join(parts)}）" if lang == "zh" else f" ({', '.join(parts)})"

    def late_leave(p: dict[str, Any]) -> str:
        if not p.get("late_leave"):
            return ""
        text = w.t("paper.late_leave", reason=visible(p["late_leave"]))
        return f"（{text}）" if lang == "zh" else f" ({text})"

    present_label = "paper.attended" if official else "paper.present"
    w.field(w.t(present_label), _names(lang, att["present_members"], present_marks))
    w.field(w.t("paper.leave"), _names(lang, att["leave_members"], reason))
    w.field(w.t("paper.absent"), _names(lang, att["absent_members"], late_leave))

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
    w.title(w.t("paper.minutes_title", committee=visible(head["committee"])))
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
            who = amendment.get("by")
            why = visible(amendment.get("reason") or "")
            if amendment.get("undoes"):
                undone = w.t("paper.amendment_undo", n=amendment["undoes"])
                why = f"{undone}{'：' if lang == 'zh' else ': '}{why}" if why else undone
            text = w.t(
                "paper.amendment_line",
                at=_stamp(amendment.get("at")),
                user=visible(who["name"]) if who else visible(amendment.get("user")),
                reason=why,
            )
            w.line(f"{n}. {text}", indent=1)
            for change in amendment.get("changes") or []:
                if w.md:  # nested under "1. ", a markdown sub-list is indented by three
                    w.lines.append("   - " + change_text(w, change))
                else:
                    w.line(change_text(w, change), indent=2)
    if doc.get("approved_at"):
        w.line()
        if doc.get("approved_by"):
            w.line(w.t("paper.approved_by", at=_stamp(doc["approved_at"]),
                       name=visible(doc["approved_by"]["name"])))  # fmt: skip
        else:
            w.line(w.t("paper.approved", at=_stamp(doc["approved_at"])))
    w.line()
    w.line(w.t("paper.signature"))
    return w.done()


def _clock(text: str | None) -> str:
    """A stored instant as its time of day, HH:MM."""
    try:
        return datetime.fromisoformat(str(text)).strftime("%H:%M")
    except ValueError:
        return visible(str(text))


def _change_value(w: _Writer, kind: str, subject: Any, value: Any) -> str:
    """One side (from or to) of a change in an amendment, as the minutes word it."""
    if value is None:
        return w.t("mark.none") if kind == "attendance" else w.t("paper.change.none")
    sep = "、" if w.lang == "zh" else ", "
    if kind == "attendance":
        words = [w.t("paper.late")] if value.get("late") else []
        if value.get("online"):
            words.append(w.t("paper.online_mark"))
        if value.get("left"):
            words.append(w.t("paper.left", at=_clock(value["left"])))
        return sep.join(words) if words else w.t("mark.on_time")
    if kind == "leave":
        key = "paper.change.excused" if value.get("excused") else "paper.change.unexcused"
        return w.t(key, reason=visible(value.get("reason") or ""))
    if kind == "guest":
        org = value.get("org")
        return visible(value.get("name") or "") + (f"（{visible(org)}）" if org else "")
    if kind == "vote":
        return w.t(
            "paper.change.votes",
            method=word(w.lang, "method", value.get("method")),
            yes=value.get("yes"),
            no=value.get("no"),
            abstain=value.get("abstain"),
            outcome=word(w.lang, "outcome", value.get("outcome")),
        )
    if kind == "decision":
        owner = _name(w.lang, value.get("owner"))
        due = value.get("due") or w.t("missing")
        open_, close = ("（", "）") if w.lang == "zh" else (" (", ")")
        detail = w.t("paper.owner_due", owner=owner, due=due)
        return f"{visible(value.get('text') or '')}{open_}{detail}{close}"
    if kind == "meeting":
        if subject in ("chair", "recorder"):
            return _name(w.lang, value) if isinstance(value, dict) else visible(str(value))
        if subject == "status":
            return word(w.lang, "status", value)
        if subject in ("start", "end", "approved"):
            return _stamp(value)
    return visible(str(value))


def change_text(w: _Writer, change: dict[str, Any]) -> str:
    """A fact an amendment changed, from -> to: 签到 赵敏：迟到 → 准时."""
    kind, subject = change.get("kind") or "", change.get("subject")
    if kind in ("attendance", "leave"):
        what = w.t(f"paper.change.{kind}", name=_name(w.lang, subject))
    elif kind == "guest":
        what = w.t("paper.change.guest", name=visible(str(subject)))
    elif kind == "decision" and (key := _one_field(change)) is not None:
        # One field corrected (a 待定 filled in): name just that field, from -> to.
        label = {"owner": "col.owner", "due": "col.due", "text": "col.text"}[key]
        what = w.t("paper.change.decision", id=subject) + " " + w.t(label)
        old, new = (change.get("from") or {}).get(key), (change.get("to") or {}).get(key)
        if key == "owner":
            old, new = _name(w.lang, old), _name(w.lang, new)
        else:
            old, new = visible(old or w.t("missing")), visible(new or w.t("missing"))
        return w.t("paper.change", what=what, old=old, new=new)
    elif kind in ("vote", "note", "decision"):
        what = w.t(f"paper.change.{kind}", id=subject)
    elif kind == "dissent" and isinstance(subject, dict):
        what = w.t("paper.change.dissent", name=_name(w.lang, subject.get("member")),
                   id=subject.get("topic"))  # fmt: skip
    elif kind == "meeting":
        what = w.t("paper.change.meeting", field=w.t(f"field.{subject}"))
    else:
        what = visible(f"{kind} {subject}")
    return w.t(
        "paper.change",
        what=what,
        old=_change_value(w, kind, subject, change.get("from")),
        new=_change_value(w, kind, subject, change.get("to")),
    )


def _one_field(change: dict[str, Any]) -> str | None:
    """The one field of a decision item a change corrected, or None (added, removed, or
    several fields at once)."""
    old, new = change.get("from"), change.get("to")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    differ = [k for k in ("text", "owner", "due") if old.get(k) != new.get(k)]
    return differ[0] if len(differ) == 1 else None
