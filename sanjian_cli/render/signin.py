"""The sign-in sheet (签到表) as a paper, for printing: one table, a group per side."""

from __future__ import annotations

from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.layout import Fields, Paper, Para, Row, Table, Title
from sanjian_cli.render.papers import Escape, form
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import body_name, meeting_number, when

# 序号, 姓名, 单位, 签名, 备注 in text columns: about 66, an A4 portrait page in monospace.
COLUMNS = (6, 14, 18, 18, 10)
SIGN = 3


def signin_sheet_paper(doc: dict[str, Any], lang: str, esc: Escape = visible) -> Paper:
    paper = Paper(lang)
    name = body_name(lang, esc(doc["committee"]))
    paper.add(
        Title(t(lang, "signin.title", committee=name), meeting_number(lang, doc.get("number")))
    )
    head = [(t(lang, "paper.time"), when(lang, doc["start"]))]
    if doc.get("place"):
        head.append((t(lang, "paper.place"), esc(doc["place"])))
    if doc.get("online"):
        head.append((t(lang, "paper.online"), esc(doc["online"])))
    paper.add(Fields(tuple(head)))
    paper.add(Para(t(lang, "signin.expected", n=doc["expected"]), indent=0))
    header = tuple(t(lang, k) for k in ("signin.no", "col.name", "col.org", "signin.sign",
                                        "signin.remark"))  # fmt: skip
    rows: list[Row] = []
    number = 0

    def add(people: list[dict[str, Any]]) -> None:
        nonlocal number
        for p in people:
            number += 1
            remark = t(lang, "signin.on_leave") if p["on_leave"] else ""
            rows.append(Row((str(number), esc(p["name"]), esc(p["org"] or ""), "", remark)))

    for group in doc["sides"]:
        if group["members"]:
            label = t(lang, "signin.side", side=word(lang, "side", group["side"]),
                      n=len(group["members"]))  # fmt: skip
            rows.append(Row((label, "", "", "", ""), group=True))
            add(group["members"])
    if doc["non_voting"]:
        rows.append(Row((t(lang, "signin.non_voting"), "", "", "", ""), group=True))
        add(doc["non_voting"])
    if doc["guest_rows"]:
        rows.append(Row((t(lang, "signin.guests"), "", "", "", ""), group=True))
        for _ in range(doc["guest_rows"]):
            number += 1
            rows.append(Row((str(number), "", "", "", ""), blank=True))
    paper.add(Table(header, tuple(rows), COLUMNS, sign=SIGN, fill=(1, 2)))
    paper.add(Para(t(lang, "signin.footer"), indent=0, gap=True, flush=True))
    return paper


def signin_sheet(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    return form(signin_sheet_paper, doc, lang, markdown)
