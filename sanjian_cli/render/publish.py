"""The public notice (结果公示) as a paper, for printing and posting."""

from __future__ import annotations

from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.layout import Closing, Heading, Paper, Para, Points, Title
from sanjian_cli.render.papers import Escape, form
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import body_name, day_words, numeral, when


def public_notice_paper(doc: dict[str, Any], lang: str, esc: Escape = visible) -> Paper:
    paper = Paper(lang)
    committee = esc(doc["committee"])
    paper.add(Title(t(lang, "publish.title", committee=body_name(lang, committee))))
    number = doc.get("number")
    meeting = (
        t(lang, "publish.meeting_number", year=number["year"], n=number["n"])
        if number
        else t(lang, "publish.meeting_plain")
    )
    intro = t(lang, "publish.intro", when=when(lang, doc["start"]), committee=committee,
              meeting=meeting)  # fmt: skip
    paper.add(Para(intro, gap=True))
    if not doc["items"]:
        paper.add(Para(t(lang, "publish.none"), gap=True))
    for index, item in enumerate(doc["items"]):
        title = t(lang, "publish.topic", title=esc(item["title"]))
        paper.add(Heading(numeral(lang, index) + title))
        body = []
        if item["outcome"]:
            result = t(lang, "publish.result",
                       outcome=t(lang, f"publish.result.{item['outcome']}"))  # fmt: skip
            if item["counts"]:
                result += t(lang, "publish.counts", **item["counts"])
            body.append(result)
        for decision in item["decisions"]:
            body.append(t(lang, "publish.decision", text=esc(decision["text"])))
            body.append(
                t(lang, "publish.owner",
                  owner=esc(decision["owner"]) if decision["owner"] else t(lang, "missing"),
                  due=day_words(lang, decision["due"]) if decision["due"] else t(lang, "missing"))
            )  # fmt: skip
        if body:
            paper.add(Points(tuple(body), ""))
    period = doc.get("period")
    if period:
        paper.add(
            Para(
                t(lang, "publish.period", start=day_words(lang, period["from"]),
                  end=day_words(lang, period["to"]), days=period["days"]),
                gap=True,
            )
        )  # fmt: skip
    paper.add(Para(t(lang, "publish.footer"), gap=not period))
    if doc.get("place"):
        paper.add(Para(t(lang, "publish.place", place=esc(doc["place"]))))
    paper.add(Closing((committee, day_words(lang, doc["published"]))))
    return paper


def public_notice(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    return form(public_notice_paper, doc, lang, markdown)
