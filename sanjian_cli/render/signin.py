"""The sign-in sheet (签到表) as text or markdown, for printing."""

from __future__ import annotations

from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render.papers import when
from sanjian_cli.render.safe import visible
from sanjian_cli.render.text import md, pad, width

_COLS = (6, 14, 18, 18, 10)  # 序号, 姓名, 单位, 签名, 备注: about 66 columns, A4 portrait


_BLANK = "_" * 14


def _text_row(cells: list[str]) -> str:
    return "".join(pad(c, w) for c, w in zip(cells, _COLS, strict=True)).rstrip()


def signin_sheet(doc: dict[str, Any], lang: str, markdown: bool = False) -> str:
    esc = md if markdown else visible
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
