"""The public notice (结果公示) as text or markdown, for printing and posting."""

from __future__ import annotations

from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.papers import when
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import day_words, md, numeral, width


def public_notice(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    esc = md if markdown else visible
    title = t(lang, "publish.title", committee=esc(doc["committee"]))
    lines = [f"# {title}" if markdown else title]
    if not markdown:
        lines.append("=" * min(60, width(title)))
    lines.append("")
    lines.append(t(lang, "publish.intro", when=when(lang, doc["start"]),
                   committee=esc(doc["committee"])))  # fmt: skip
    lines.append("")
    if not doc["items"]:
        lines.append(t(lang, "publish.none"))
    indent = "" if markdown else "   "
    for index, item in enumerate(doc["items"]):
        head = numeral(lang, index) + t(lang, "publish.topic", title=esc(item["title"]))
        lines.append(f"## {head}" if markdown else head)
        if markdown:
            lines.append("")
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
        lines.extend(f"- {b}" if markdown else indent + b for b in body)
        lines.append("")
    lines.append(t(lang, "publish.footer"))
    if doc.get("place"):
        lines.append(t(lang, "publish.place", place=esc(doc["place"])))
    lines.append(t(lang, "publish.date", date=day_words(lang, doc["published"])))
    if markdown:
        lines = [
            f"{line}  " if line and not line.startswith(("#", "-")) else line for line in lines
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
