"""The public notice and the sign-in sheet as text or markdown, for printing."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.papers import when
from sanjian_cli.render.safe import visible


def width(text: str) -> int:
    """Columns `text` takes on a terminal or in a monospaced print (CJK count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _day(lang: str, iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def _md(text: str) -> str:
    """User text inside a markdown table or line: no cell breaks, no markup."""
    out = visible(text).replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def _numeral(lang: str, index: int) -> str:
    numerals = t(lang, "paper.numerals").split(",")
    number = numerals[index] if index < len(numerals) else str(index + 1)
    return f"{number}、" if lang == "zh" else f"{number}. "


# -- the public notice ------------------------------------------------------------------------
def public_notice(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    esc = _md if markdown else visible
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
        head = _numeral(lang, index) + t(lang, "publish.topic", title=esc(item["title"]))
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
                  due=_day(lang, decision["due"]) if decision["due"] else t(lang, "missing"))
            )  # fmt: skip
        lines.extend(f"- {b}" if markdown else indent + b for b in body)
        lines.append("")
    lines.append(t(lang, "publish.footer"))
    if doc.get("place"):
        lines.append(t(lang, "publish.place", place=esc(doc["place"])))
    lines.append(t(lang, "publish.date", date=_day(lang, doc["published"])))
    if markdown:
        lines = [
            f"{line}  " if line and not line.startswith(("#", "-")) else line for line in lines
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- the sign-in sheet ------------------------------------------------------------------------
_COLS = (6, 14, 18, 18, 10)  # 序号, 姓名, 单位, 签名, 备注: about 66 columns, A4 portrait
_BLANK = "_" * 14


def _text_row(cells: list[str]) -> str:
    return "".join(pad(c, w) for c, w in zip(cells, _COLS, strict=True)).rstrip()


def signin_sheet(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    esc = _md if markdown else visible
    title = t(lang, "signin.title", committee=esc(doc["committee"]))
    lines = [f"# {title}" if markdown else title]
    if not markdown:
        lines.append("=" * min(66, width(title)))
    sep = "：" if lang == "zh" else ": "
    head = t(lang, "paper.time") + sep + when(lang, doc["start"])
    if doc.get("place"):
        head += "    " + t(lang, "paper.place") + sep + esc(doc["place"])
    lines.append(head + ("  " if markdown else ""))
    if doc.get("online"):
        lines.append(
            t(lang, "paper.online") + sep + esc(doc["online"]) + ("  " if markdown else "")
        )
    lines.append(t(lang, "signin.expected", n=doc["expected"]))
    lines.append("")
    header = [t(lang, k) for k in ("signin.no", "col.name", "col.org", "signin.sign",
                                   "signin.remark")]  # fmt: skip
    number = 0

    def rows_of(people: list[dict[str, Any]]) -> list[list[str]]:
        nonlocal number
        out = []
        for p in people:
            number += 1
            remark = t(lang, "signin.on_leave") if p["on_leave"] else ""
            out.append([str(number), esc(p["name"]), esc(p["org"] or ""), "", remark])
        return out

    groups: list[tuple[str, list[list[str]]]] = []
    for group in doc["sides"]:
        if group["members"]:
            label = t(lang, "signin.side", side=word(lang, "side", group["side"]),
                      n=len(group["members"]))  # fmt: skip
            groups.append((label, rows_of(group["members"])))
    if doc["non_voting"]:
        groups.append((t(lang, "signin.non_voting"), rows_of(doc["non_voting"])))
    if doc["guest_rows"]:
        blank = []
        for _ in range(doc["guest_rows"]):
            number += 1
            blank.append([str(number), "" if markdown else "_" * 12, "" if markdown else "_" * 16,
                          "", ""])  # fmt: skip
        groups.append((t(lang, "signin.guests"), blank))
    if markdown:
        # One table, each group opened by a row naming it, so the sheet stays one page.
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for label, rows in groups:
            lines.append(f"| | **{label}** | | | |")
            lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines.append("")
    else:
        lines.append(_text_row(header))
        for label, rows in groups:
            lines.append(label)
            for r in rows:
                r[3] = _BLANK
                lines.append(_text_row(r))
        lines.append("")
    lines.append(t(lang, "signin.footer"))
    return "\n".join(lines) + "\n"
