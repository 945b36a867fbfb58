"""The agenda and the minutes as papers (blocks), in Chinese or English.

Layout only: every word comes from the catalog and every fact from `sanjian_cli.services.papers`;
`sanjian_cli.render.layout` turns the blocks into text or markdown, `render.docx` into Word.
Papers print no internal ids (the tables and JSON keep them) and every date in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render import layout
from sanjian_cli.render.layout import Block, Fields, Heading, Names, Paper, Para, Points, Title
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import (
    body_name,
    day_words,
    instant_words,
    md,
    meeting_number,
    sub_numeral,
    when,
)

Escape = Callable[[object], str]

_NUMBERED = r"^\d+\. "  # compiled by re's cache by a markdown paper, the one that needs it


def form(build: Callable[..., Paper], doc: Any, lang: str, markdown: bool, **options: Any) -> str:
    """A paper's text or markdown: the same blocks, its user text escaped for that form."""
    if markdown:
        return layout.markdown(build(doc, lang, md, **options))
    return layout.text(build(doc, lang, visible, **options))


# -- what the calendar and the reminders share with the papers -----------------------------
class _Writer:
    """Lines of plain text or markdown, for the calendar's description and the reminders."""

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
            bullet = "" if re.match(_NUMBERED, text) else "- "
            self.lines.append("  " * (indent - 1) + bullet + text)
        else:
            self.lines.append("   " * indent + text)

    def done(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def _width(text: str) -> int:
    from sanjian_cli.render.text import width

    return width(text)


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
    return title_of(w.lang, visible, item, with_minutes)


def _name(lang: str, who: dict[str, Any] | None) -> str:
    return visible(who["name"]) if who else t(lang, "missing")


def due_in(lang: str, action: dict[str, Any], as_of: str | None) -> str:
    """An open item not yet due on the day the agenda was built (`as_of`) says how soon it
    falls due, counted from that day as its days overdue are."""
    if as_of is None or action["overdue"] or action["status"] != "open" or not action.get("due"):
        return ""
    from datetime import date

    days = (date.fromisoformat(action["due"]) - date.fromisoformat(as_of)).days
    return t(lang, "paper.due_today") if days <= 0 else t(lang, "paper.due_in", days=days)


def _action_line(w: _Writer, action: dict[str, Any], with_status: bool) -> str:
    """A decision item as the reminders and `action list` print it: with its id, which
    the secretary types in `action update ID`."""
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


# -- pieces of the papers --------------------------------------------------------------------
def _paren(lang: str, text: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _who(lang: str, esc: Escape, person: dict[str, Any] | None) -> str:
    return esc(person["name"]) if person else t(lang, "missing")


def _names(lang: str, esc: Escape, people: list[dict[str, Any]], extra: Any = None) -> str:
    if not people:
        return t(lang, "nothing")
    sep = "、" if lang == "zh" else ", "
    return sep.join(esc(p["name"]) + (extra(p) if extra else "") for p in people)


def title_of(lang: str, esc: Escape, item: dict[str, Any], with_minutes: bool = False) -> str:
    """An agenda item's title: the topic with its marks, proposer and category, or the
    opening item's name; with the minutes it is given on the agenda."""
    if item["kind"] == "topic":
        return topic_line(lang, esc, item, with_minutes)
    if item["kind"] == "approve-minutes":
        text = (
            t(lang, "paper.approve_minutes", date=day_words(lang, item["previous"]))
            if item.get("previous")
            else t(lang, "paper.approve_minutes_none")
        )
    else:
        text = t(lang, "paper.follow_up")
    if with_minutes and "minutes" in item:
        text += _paren(lang, t(lang, "paper.mins", n=item["minutes"]))
    return text


def topic_line(lang: str, esc: Escape, item: dict[str, Any], with_minutes: bool) -> str:
    marks = []
    if item.get("carried"):
        marks.append(t(lang, "paper.carried"))
    if item.get("urgent"):
        marks.append(t(lang, "paper.urgent"))
    if item.get("major"):
        marks.append(t(lang, "paper.major"))
    who = t(lang, "paper.topic_by", name=_who(lang, esc, item.get("proposer")))
    if item.get("for"):
        who += ("，" if lang == "zh" else ", ") + t(lang, "paper.topic_for", name=esc(item["for"]))
    parts = [who, word(lang, "category", item["category"])]
    if with_minutes:
        parts.append(t(lang, "paper.mins", n=item["minutes"]))
    sep = "；" if lang == "zh" else "; "
    mark = "".join(f"【{m}】" if lang == "zh" else f"[{m}] " for m in marks)
    return f"{mark}{esc(item['title'])}{_paren(lang, sep.join(parts))}"


def _due(lang: str, action: dict[str, Any]) -> str:
    return day_words(lang, action["due"]) if action.get("due") else t(lang, "missing")


def decision_line(lang: str, esc: Escape, action: dict[str, Any]) -> str:
    """A decision item: what, 责任人, 时限 (never invented: 待定 when missing)."""
    owner_due = t(lang, "paper.owner_due", owner=_who(lang, esc, action.get("owner")),
                  due=_due(lang, action))  # fmt: skip
    return esc(action["text"]) + _paren(lang, owner_due)


def follow_line(lang: str, esc: Escape, action: dict[str, Any], as_of: str | None = None) -> str:
    """An earlier decision under review: the item, then how far it has got (on an agenda,
    as of the day it was built: `as_of`)."""
    if action["status"] == "done" and action.get("done_at"):
        status = t(lang, "paper.done_on", date=day_words(lang, action["done_at"]))
    else:
        status = word(lang, "status", action["status"])
        if action["overdue"]:
            status += t(lang, "paper.overdue", days=action["days_overdue"])
        status += due_in(lang, action, as_of)
    note = esc(action["latest_note"]) if action.get("latest_note") else t(lang, "nothing")
    sep = "，" if lang == "zh" else "; "
    return (
        decision_line(lang, esc, action)
        + sep
        + t(lang, "paper.follow_note", state=status, note=note)
    )


def _head(paper: Paper, esc: Escape, head: dict[str, Any], filed: bool) -> None:
    """时间, 地点, 主持人, 记录人. A filed paper (the minutes) says the meeting was also
    online but leaves its link out; the agenda and the notice give the link."""
    lang = paper.lang
    closed_end = filed and bool(head.get("end"))
    rows = [
        (
            t(lang, "paper.time"),
            when(
                lang,
                head["start"],
                head["end"] if closed_end else None,
                None if closed_end else head["duration"],
            ),
        )
    ]
    place = esc(head["place"]) if head.get("place") else ""
    if filed and head.get("online"):
        place = place + t(lang, "paper.also_online") if place else t(lang, "paper.online_only")
    if place:
        rows.append((t(lang, "paper.place"), place))
    if head.get("online") and not filed:
        rows.append((t(lang, "paper.online"), esc(head["online"])))
    rows.append((t(lang, "paper.chair"), _who(lang, esc, head.get("chair"))))
    rows.append((t(lang, "paper.recorder"), _who(lang, esc, head.get("recorder"))))
    paper.add(Fields(tuple(rows)))


def _title(paper: Paper, esc: Escape, key: str, head: dict[str, Any], draft: bool = False) -> None:
    name = body_name(paper.lang, esc(head["committee"]))
    title = t(paper.lang, key, committee=name) + (t(paper.lang, "paper.draft") if draft else "")
    paper.add(Title(title, meeting_number(paper.lang, head.get("number"))))


# -- the agenda ------------------------------------------------------------------------------
def agenda_paper(doc: dict[str, Any], lang: str, esc: Escape = visible) -> Paper:
    paper = Paper(lang)
    head = doc["meeting"]
    _title(paper, esc, "paper.agenda_title", head)
    _head(paper, esc, head, filed=False)
    if not doc["items"]:
        paper.add(Para(t(lang, "paper.no_topics"), indent=0, gap=True))
    for index, item in enumerate(doc["items"]):
        paper.add(Heading(numbered(lang, index, title_of(lang, esc, item, True))))
        if item["kind"] == "follow-up" and item["actions"]:
            as_of = doc.get("as_of")
            lines = tuple(follow_line(lang, esc, a, as_of) for a in item["actions"])
            paper.add(Points(lines))
        elif item["kind"] == "topic" and item.get("detail"):
            paper.add(Para(esc(item["detail"])))
    if doc["waiting"]:
        paper.add(Heading(t(lang, "paper.waiting")))
        paper.add(Points(tuple(topic_line(lang, esc, i, True) for i in doc["waiting"]), ""))
    if doc.get("late"):
        deadline = when(lang, doc["topic_deadline"]) if doc.get("topic_deadline") else ""
        paper.add(Heading(t(lang, "paper.late_topics", deadline=deadline)))
        paper.add(Points(tuple(topic_line(lang, esc, i, True) for i in doc["late"]), ""))
    paper.add(
        Para(
            t(lang, "paper.total", used=doc["minutes_used"], duration=head["duration"]),
            indent=0,
            gap=True,
        )
    )
    return paper


def agenda(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    return form(agenda_paper, doc, lang, markdown)


# -- the minutes -----------------------------------------------------------------------------
def vote_text(lang: str, vote: dict[str, Any]) -> str:
    """How the topic was settled: the method and the count, or the chair's decision when
    no vote was taken; a deferral says the topic comes back at the next meeting."""
    outcome = vote["outcome"]
    if vote["yes"] + vote["no"] + vote["abstain"] == 0 and outcome in ("deferred", "referred"):
        return t(lang, f"paper.chair_{outcome}")
    text = t(
        lang,
        "paper.vote_line",
        method=vote["method"],
        yes=vote["yes"],
        no=vote["no"],
        abstain=vote["abstain"],
        basis=vote["basis"],
        base=vote["base"],
        threshold=vote["threshold"],
        needed=vote["needed"],
        outcome=outcome,
    )
    if outcome == "deferred":
        text += t(lang, "paper.deferred_next")
    return text[:1].upper() + text[1:]  # "Roll call: …" opens its line


def _topic_body(paper: Paper, esc: Escape, item: dict[str, Any], closed: bool) -> None:
    lang = paper.lang
    if item.get("detail"):
        paper.add(Para(esc(item["detail"])))
    parts: list[tuple[str, list[Block]]] = []
    if item["notes"]:
        parts.append(("paper.notes", [Points(tuple(esc(n) for n in item["notes"]), indent=2)]))
    vote = item.get("vote")
    if vote:
        said: list[Block] = [Para(vote_text(lang, vote), indent=2)]
        names = [
            t(lang, f"paper.{key}") + paper.sep + _names(lang, esc, vote[key])
            for key in ("yes_by", "no_by", "abstain_by")
            if vote.get(key)
        ]
        if names:
            said.append(Points(tuple(names), "", indent=2))
    else:
        said = [Para(t(lang, "paper.no_vote" if closed else "paper.no_vote_yet"), indent=2)]
    parts.append(("paper.vote", said))
    if item["decisions"]:
        lines = tuple(decision_line(lang, esc, d) for d in item["decisions"])
        parts.append(("paper.decision", [Points(lines, indent=2)]))
    if item["dissent"]:
        lines = tuple(
            esc(d["name"]) + (t(lang, "paper.written") if d.get("written") else "") + paper.sep
            + esc(d["text"])
            for d in item["dissent"]
        )  # fmt: skip
        parts.append(("paper.dissent", [Points(lines, "", indent=2)]))
    for index, (key, blocks) in enumerate(parts):
        paper.add(Heading(sub_numeral(lang, index) + t(lang, key), level=2))
        paper.add(*blocks)


def _org(lang: str, esc: Escape) -> Callable[[dict[str, Any]], str]:
    """A guest's organisation after the name, in brackets."""

    def org(p: dict[str, Any]) -> str:
        return _paren(lang, esc(p["org"])) if p.get("org") else ""

    return org


def _attendance(paper: Paper, esc: Escape, doc: dict[str, Any], official: bool) -> None:
    """应到/实到/请假/缺席 counts and names (leave with its reason), then 列席."""
    lang = paper.lang
    att = doc["attendance"]
    if att is None:  # a draft before the meeting starts: no figures to give yet
        paper.add(Para(t(lang, "paper.not_started"), indent=0, gap=not official))
        guests = _names(lang, esc, doc["attendees"], _org(lang, esc))
        paper.add(Names(t(lang, "paper.attendees"), guests))
        return
    counts = Para(
        t(lang, "paper.counts", expected=att["expected"], present=att["present"],
          leave=att["leave"], absent=att["absent"]),
        indent=0,
        gap=not official,
    )  # fmt: skip
    # A meeting that never reached quorum was held all the same: its minutes say so.
    short = att.get("quorum") is False and doc["meeting"].get("status") == "closed"
    no_quorum = [
        Para(t(lang, "paper.no_quorum", expected=att["expected"], present=att["present"],
               needed=att.get("quorum_needed")), indent=0)
    ] if short else []  # fmt: skip

    def present_marks(p: dict[str, Any]) -> str:
        marks = [t(lang, "paper.late")] if p.get("late") else []
        if p.get("online"):
            marks.append(t(lang, "paper.online_mark"))
        if p.get("left"):
            marks.append(t(lang, "paper.left", at=_clock(p["left"])))
        return _paren(lang, ("、" if lang == "zh" else ", ").join(marks)) if marks else ""

    def reason(p: dict[str, Any]) -> str:
        parts = [esc(p["reason"])] if p.get("reason") else []
        if p.get("late_entry"):
            parts.append(t(lang, "paper.late_entry"))
        return _paren(lang, ("，" if lang == "zh" else ", ").join(parts)) if parts else ""

    def late_leave(p: dict[str, Any]) -> str:
        if not p.get("late_leave"):
            return ""
        return _paren(lang, t(lang, "paper.late_leave", reason=esc(p["late_leave"])))

    def org(p: dict[str, Any]) -> str:
        return _paren(lang, esc(p["org"])) if p.get("org") else ""

    lines = [
        Names(t(lang, "paper.attended" if official else "paper.present"),
              _names(lang, esc, att["present_members"], present_marks), first=official),
        Names(t(lang, "paper.leave"), _names(lang, esc, att["leave_members"], reason)),
        Names(t(lang, "paper.absent"), _names(lang, esc, att["absent_members"], late_leave)),
        Names(t(lang, "paper.attendees"), _names(lang, esc, doc["attendees"], org)),
    ]  # fmt: skip
    if official:
        paper.add(*lines, Para(counts.text, indent=0), *no_quorum)
    else:
        paper.add(counts, *no_quorum, *lines)


def _review_text(lang: str, item: dict[str, Any]) -> str | None:
    review = item.get("review")
    if not item.get("previous") or not review:
        return None
    if review["result"] == "earlier":
        return t(lang, "paper.review.earlier", date=day_words(lang, review["on"]))
    return t(lang, f"paper.review.{review['result']}")


def minutes_paper(
    doc: dict[str, Any], lang: str, esc: Escape = visible, official: bool = False
) -> Paper:
    """The minutes. `official` is the 纪要 layout of DOMAIN.md: attendance follows the body,
    as lines beginning 出席：, 请假：, 缺席：, 列席：; otherwise (the 会议记录 layout) it
    follows the header."""
    paper = Paper(lang)
    head = doc["meeting"]
    closed = head.get("status") == "closed"
    key = "paper.minutes_title" if official else "paper.record_title"
    _title(paper, esc, key, head, draft=bool(doc.get("draft")))
    _head(paper, esc, head, filed=True)
    if not official:
        _attendance(paper, esc, doc, official=False)
    reviewed_under_item = False
    for index, item in enumerate(doc["items"]):
        paper.add(Heading(numbered(lang, index, title_of(lang, esc, item))))
        if item["kind"] == "approve-minutes":
            review = _review_text(lang, item)
            if review:
                paper.add(Para(review))
        elif item["kind"] == "follow-up":
            reviewed_under_item = True
            _follow_up(paper, esc, doc)
        else:
            _topic_body(paper, esc, item, closed)
    paper.add(Heading(t(lang, "paper.decisions")))
    if doc["decisions"]:
        paper.add(Points(tuple(decision_line(lang, esc, d) for d in doc["decisions"])))
    else:
        paper.add(Para(t(lang, "nothing")))
    if not reviewed_under_item and doc["follow_up"]:
        # No follow-up item on the agenda (nothing was open when it was built), but items
        # were carried out since the last meeting: reported once, here.
        paper.add(Heading(t(lang, "paper.follow_up")))
        _follow_up(paper, esc, doc)
    if official:
        _attendance(paper, esc, doc, official=True)
    adjourned = (
        datetime.fromisoformat(doc["adjourned"]).strftime("%H:%M")
        if doc.get("adjourned")
        else t(lang, "paper.not_closed")
    )
    paper.add(Para(t(lang, "paper.adjourned") + paper.sep + adjourned, indent=0, gap=True))
    if doc.get("amendments"):
        paper.add(Heading(t(lang, "paper.amendments")))
        w = _Writer(lang, False)
        lines = []
        for amendment in doc["amendments"]:
            who = amendment.get("by")
            why = esc(amendment.get("reason") or "")
            if amendment.get("undoes"):
                undone = t(lang, "paper.amendment_undo", n=amendment["undoes"])
                why = f"{undone}{paper.sep}{why}" if why else undone
            line = t(lang, "paper.amendment_line", at=instant_words(lang, amendment.get("at")),
                     user=esc(who["name"]) if who else esc(amendment.get("user")),
                     reason=why)  # fmt: skip
            changes = [change_text(w, change) for change in amendment.get("changes") or []]
            if changes:
                line += paper.sep + ("；" if lang == "zh" else "; ").join(changes)
            lines.append(line)
        paper.add(Points(tuple(lines)))
    if doc.get("approved_at"):
        at = instant_words(lang, doc["approved_at"])
        if doc.get("approved_by"):
            approved = t(lang, "paper.approved_by", at=at, name=esc(doc["approved_by"]["name"]))
        else:
            approved = t(lang, "paper.approved", at=at)
        paper.add(Para(approved, 0, True))
    paper.add(Para(t(lang, "paper.signature"), indent=0, gap=True, flush=True))
    return paper


def _follow_up(paper: Paper, esc: Escape, doc: dict[str, Any]) -> None:
    if doc["follow_up"]:
        paper.add(Points(tuple(follow_line(paper.lang, esc, a) for a in doc["follow_up"])))
    else:
        paper.add(Para(t(paper.lang, "paper.follow_up_none")))


def minutes(doc: dict[str, Any], lang: str, markdown: bool = False, official: bool = False) -> str:
    return form(minutes_paper, doc, lang, markdown, official=official)


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
        due = day_words(w.lang, value["due"]) if value.get("due") else w.t("missing")
        open_, close = ("（", "）") if w.lang == "zh" else (" (", ")")
        detail = w.t("paper.owner_due", owner=owner, due=due)
        return f"{visible(value.get('text') or '')}{open_}{detail}{close}"
    if kind == "meeting":
        if subject in ("chair", "recorder"):
            return _name(w.lang, value) if isinstance(value, dict) else visible(str(value))
        if subject == "status":
            return word(w.lang, "status", value)
        if subject in ("start", "end", "approved"):
            return instant_words(w.lang, value)
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
            if key == "due":
                old, new = (day_words(w.lang, v) if v else None for v in (old, new))
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
