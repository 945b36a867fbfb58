"""The reports as terminal tables (with a bar per rate), CSV, JSON and summary text.

Cells are plain `Text` (never markup); CSV goes through `csvout`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanjian_cli.messages import t, word
from sanjian_cli.render import tables
from sanjian_cli.render.csvout import csv_text
from sanjian_cli.render.output import dumps, emit
from sanjian_cli.render.safe import visible

BAR_WIDTH = 8
FLAG_MARK = "※"


def _table(
    title: str | None, columns: list[str], rows: list[list[str]], fold: tuple[int, ...] = ()
) -> None:
    """A compact table: the columns in `fold` (texts, notes) fold when space is short; the
    rest (names, figures, bars) never wrap, so a bar stays a bar."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    def grid(rows: Sequence[Sequence[str]], first: bool) -> Table:
        drawn = Table(
            title=Text(title) if title and first else None,
            box=box.SIMPLE_HEAD,
            padding=(0, 1),
            collapse_padding=True,
            show_edge=False,
            pad_edge=False,
            show_header=first,
        )
        for index, column in enumerate(columns):
            if index in fold:
                drawn.add_column(Text(column), overflow="fold")
            else:
                drawn.add_column(Text(column), no_wrap=True)
        for row in rows:
            drawn.add_row(*(Text(visible(cell)) for cell in row))
        return drawn

    console = tables._console()
    if len(rows) <= tables.RUN:
        console.print(grid(rows, True))
    else:  # every decision item of ten years: drawn a run of rows at a time
        tables.in_runs(console, grid, rows)


def json_text(data: Any) -> str:
    return dumps(data)


def percent(value: float | None, lang: str) -> str:
    return t(lang, "dash") if value is None else f"{value * 100:.1f}%"


def bar(value: float | None, lang: str, width: int = BAR_WIDTH) -> str:
    """A rate drawn as blocks, e.g. ████████░░ 80.0%; no bar when there is no rate."""
    if value is None:
        return t(lang, "dash")
    full = round(value * width)
    return "█" * full + "░" * (width - full) + " " + percent(value, lang)


def period_text(period: Mapping[str, str | None], lang: str) -> str:
    start, end = period.get("from"), period.get("to")
    if start and end:
        return t(lang, "period.both", start=start, end=end)
    if start:
        return t(lang, "period.from", start=start)
    if end:
        return t(lang, "period.to", end=end)
    return t(lang, "period.all")


def _line(text: str = "") -> None:
    emit(text + "\n")


def _side(lang: str, side: str | None) -> str:
    return word(lang, "side", side) if side else t(lang, "missing")


# -- attendance -------------------------------------------------------------------------------
_ATT = ("expected", "present", "late", "online", "leave", "absent")


def attendance_table(data: dict[str, Any], lang: str, committee: str) -> None:
    _line(t(lang, "report.attendance_title", committee=visible(committee),
            period=period_text(data["period"], lang)))  # fmt: skip
    flag = data["absence_flag"]
    mark = FLAG_MARK
    if flag:
        _line(t(lang, "report.meetings", n=data["meetings"], flag=flag, mark=mark))
    else:
        _line(t(lang, "report.meetings_noflag", n=data["meetings"]))
    cols = ["col.id", "col.name", "col.side", *(f"col.{k}" for k in _ATT), "col.rate", "col.flag"]
    rows = [
        [
            str(m["id"]),
            m["name"],
            _side(lang, m["side"]),
            *(str(m[k]) for k in _ATT),
            bar(m["rate"], lang),
            mark if m["flagged"] else "",
        ]
        for m in data["members"]
    ]
    _table(None, [t(lang, k) for k in cols], rows)
    side_rows = [
        [
            _side(lang, s["side"]),
            str(s["members"]),
            *(str(s[k]) for k in _ATT),
            bar(s["rate"], lang),
        ]
        for s in data["sides"]
    ]
    total = data["total"]
    side_rows.append(
        [t(lang, "row.total"), str(total["members"]), *(str(total[k]) for k in _ATT),
         bar(total["rate"], lang)]
    )  # fmt: skip
    cols = ["col.side", "col.members", *(f"col.{k}" for k in _ATT), "col.rate"]
    _table(t(lang, "report.by_side"), [t(lang, k) for k in cols], side_rows)
    if data.get("non_voting"):
        cols = ["col.id", "col.name", "col.side", "col.org", *_NV_HEADS]
        rows = [
            [str(m["id"]), m["name"], _side(lang, m["side"]), m["org"] or "",
             *(str(m[k]) for k in _NV)]
            for m in data["non_voting"]
        ]  # fmt: skip
        _table(t(lang, "report.non_voting"), [t(lang, k) for k in cols], rows)


_NV = ("meetings", "present", "late", "online")
_NV_HEADS = ("col.meetings_on_roster", "col.attended", "col.late", "col.online")


def attendance_csv(data: dict[str, Any], lang: str) -> str:
    cols = ["col.row", "col.id", "col.name", "col.side", "col.members", *(f"col.{k}" for k in _ATT),
            "col.rate", "col.flag"]  # fmt: skip
    rows: list[list[Any]] = []
    for m in data["members"]:
        rows.append(
            [t(lang, "row.member"), m["id"], m["name"], _side(lang, m["side"]), None,
             *(m[k] for k in _ATT), m["rate"], m["flagged"]]
        )  # fmt: skip
    for m in data.get("non_voting", []):
        # Never 应到: the meetings they attended under 实到, nothing expected, no rate.
        rows.append(
            [t(lang, "row.non_voting"), m["id"], m["name"], _side(lang, m["side"]), None, None,
             m["present"], m["late"], m["online"], None, None, None, None]
        )  # fmt: skip
    for s in data["sides"]:
        rows.append(
            [t(lang, "row.side"), None, None, _side(lang, s["side"]), s["members"],
             *(s[k] for k in _ATT), s["rate"], None]
        )  # fmt: skip
    total = data["total"]
    rows.append(
        [t(lang, "row.total"), None, None, None, total["members"], *(total[k] for k in _ATT),
         total["rate"], None]
    )  # fmt: skip
    return csv_text([t(lang, k) for k in cols], rows)


# -- decision items ---------------------------------------------------------------------------
_GROUP = ("total", "open", "overdue", "done_on_time", "done_late", "done_undated", "undated")
_GROUP_HEADS = ("col.total", "state.open", "state.overdue", "state.done_on_time", "state.done_late",
                "state.done_undated", "col.undated", "col.on_time_share")  # fmt: skip


def _owner(lang: str, owner: dict[str, Any] | None) -> str:
    return owner["name"] if owner else t(lang, "missing")


def _days(item: dict[str, Any]) -> str:
    return str(item["days_overdue"] or item["days_late"] or "")


def actions_table(data: dict[str, Any], lang: str, committee: str) -> None:
    _line(t(lang, "report.actions_title", committee=visible(committee),
            period=period_text(data["period"], lang)))  # fmt: skip
    missing = t(lang, "missing")
    # The meeting's date is left to JSON and CSV: at 80 columns the decision text needs it.
    cols = ["col.id", "col.text", "col.owner", "col.due", "col.state", "col.overdue",
            "col.note"]  # fmt: skip
    rows = [
        [str(i["id"]), i["text"], _owner(lang, i["owner"]), i["due"] or missing,
         t(lang, f"state.{i['state']}"), _days(i), i["latest_note"] or ""]
        for i in data["items"]
    ]  # fmt: skip
    _table(None, [t(lang, k) for k in cols], rows, fold=(1, 4, 5, 6))
    heads = [t(lang, "col.owner"), *(t(lang, k) for k in _GROUP_HEADS)]
    rows = [[_owner(lang, g["owner"]), *_group_cells(g, lang)] for g in data["owners"]]
    _table(t(lang, "report.by_owner"), heads, rows, fold=tuple(range(1, 9)))
    rows = [[_side(lang, g["side"]), *_group_cells(g, lang)] for g in data["sides"]]
    rows.append([t(lang, "row.total"), *_group_cells(data["total"], lang)])
    heads[0] = t(lang, "col.side")
    _table(t(lang, "report.by_side"), heads, rows, fold=tuple(range(1, 9)))
    _line(t(lang, "report.share_note"))


def _group_cells(group: dict[str, Any], lang: str) -> list[str]:
    return [*(str(group[k]) for k in _GROUP), bar(group["on_time_share"], lang)]


def actions_csv(data: dict[str, Any], lang: str) -> str:
    cols = ["col.id", "col.meeting", "col.topic", "col.text", "col.owner", "col.side", "col.due",
            "col.status", "col.done_at", "col.state", "col.overdue", "col.days_late",
            "col.note"]  # fmt: skip
    rows = [
        [i["id"], i["meeting"], i["topic"], i["text"], _owner(lang, i["owner"]),
         _side(lang, i["owner"]["side"]) if i["owner"] else None, i["due"],
         word(lang, "status", i["status"]), (i["done_at"] or "")[:10] or None,
         t(lang, f"state.{i['state']}"), i["days_overdue"], i["days_late"], i["latest_note"]]
        for i in data["items"]
    ]  # fmt: skip
    return csv_text([t(lang, k) for k in cols], rows)


# -- topics -----------------------------------------------------------------------------------
_TOP = ("proposed", "accepted", "rejected", "withdrawn", "decided", "passed", "failed",
        "referred", "deferred", "waiting")  # fmt: skip


def topics_table(data: dict[str, Any], lang: str, committee: str) -> None:
    _line(t(lang, "report.topics_title", committee=visible(committee),
            period=period_text(data["period"], lang)))  # fmt: skip
    heads = [t(lang, f"col.{k}") for k in _TOP]
    rows = [[word(lang, "category", g["category"]), *(str(g[k]) for k in _TOP)]
            for g in data["categories"]]  # fmt: skip
    rows.append([t(lang, "row.total"), *(str(data["total"][k]) for k in _TOP)])
    _table(t(lang, "report.by_category"), [t(lang, "col.category"), *heads], rows)
    rows = [[_side(lang, g["side"]), *(str(g[k]) for k in _TOP)] for g in data["sides"]]
    _table(t(lang, "report.by_side"), [t(lang, "col.side"), *heads], rows)
    days = data["median_days_to_decision"]
    _line(t(lang, "report.median", days=t(lang, "dash") if days is None else f"{days:g}",
            n=data["decided_spans"]))  # fmt: skip
    rows = [
        [str(w["id"]), w["title"], word(lang, "category", w["category"]),
         word(lang, "status", w["status"]), w["proposed"], str(w["days"]), str(w["carried"])]
        for w in data["waiting_longest"]
    ]  # fmt: skip
    cols = ["col.id", "col.title", "col.category", "col.status", "col.proposed_at",
            "col.days_waiting", "col.carried"]  # fmt: skip
    _table(t(lang, "report.waiting_longest"), [t(lang, k) for k in cols], rows, fold=(1,))


def topics_csv(data: dict[str, Any], lang: str) -> str:
    cols = ["col.row", "col.category", "col.side", *(f"col.{k}" for k in _TOP)]
    rows: list[list[Any]] = []
    for g in data["categories"]:
        rows.append([t(lang, "row.category"), word(lang, "category", g["category"]), None,
                     *(g[k] for k in _TOP)])  # fmt: skip
    for g in data["sides"]:
        rows.append([t(lang, "row.side"), None, _side(lang, g["side"]), *(g[k] for k in _TOP)])
    rows.append([t(lang, "row.total"), None, None, *(data["total"][k] for k in _TOP)])
    return csv_text([t(lang, k) for k in cols], rows)


# -- summary ---------------------------------------------------------------------------------
def _period_words(period: Mapping[str, str | None], lang: str) -> str:
    """The period as a paper names it: 2026年1月1日至2026年12月31日."""
    from sanjian_cli.render.text import day_words

    start, end = period.get("from"), period.get("to")
    if start and end and start[:4] == end[:4] and (start[5:], end[5:]) == ("01-01", "12-31"):
        return t(lang, "summary.year", year=start[:4])
    if start and end:
        return t(lang, "period.both", start=day_words(lang, start), end=day_words(lang, end))
    if start:
        return t(lang, "period.from", start=day_words(lang, start))
    if end:
        return t(lang, "period.to", end=day_words(lang, end))
    return t(lang, "period.all")


def summary_paper(data: dict[str, Any], lang: str, esc: Any = visible) -> Any:
    """The year-end figures (年度总结) as a paper: a section per subject."""
    from sanjian_cli.render.layout import Heading, Paper, Para, Title
    from sanjian_cli.render.text import body_name, numeral

    dash = t(lang, "dash")
    att, top, dec = data["attendance"], data["topics"], data["decisions"]
    title = t(lang, "summary.title", committee=body_name(lang, esc(data["committee"])))
    period = t(lang, "summary.period", period=_period_words(data["period"], lang))
    median = top["median_days_to_decision"]
    sections = [
        (
            "summary.section_meetings",
            [
                t(lang, "summary.meetings", n=data["meetings_held"]),
                t(lang, "summary.attendance", expected=att["expected"], present=att["present"],
                  rate=percent(att["rate"], lang),
                  average=dash if att["average_present"] is None else f"{att['average_present']:g}",
                  leave=att["leave"], absent=att["absent"]),
            ],
        ),
        (
            "summary.section_topics",
            [
                t(lang, "summary.topics", proposed=top["proposed"], decided=top["decided"],
                  passed=top["passed"], failed=top["failed"], referred=top["referred"],
                  deferred=top["deferred"], median=dash if median is None else f"{median:g}"),
            ],
        ),
        (
            "summary.section_actions",
            [
                t(lang, "summary.actions", taken=dec["taken"], on_time=dec["done_on_time"],
                  late=dec["done_late"], overdue=dec["overdue"], open=dec["open"],
                  undated_done=dec["done_undated"], share=percent(dec["on_time_share"], lang)),
                t(lang, "report.share_note"),
            ],
        ),
    ]  # fmt: skip
    if data["flagged_members"]:
        sep = "、" if lang == "zh" else ", "
        names = sep.join(esc(m["name"]) for m in data["flagged_members"])
        flag = data.get("absence_flag")
        sections[0][1].append(t(lang, "summary.flagged", flag=flag, names=names))
    paper = Paper(lang)
    paper.add(Title(title, period))
    for index, (key, body) in enumerate(sections):
        paper.add(Heading(numeral(lang, index) + t(lang, key)))
        paper.add(*(Para(text) for text in body))
    return paper


def summary_text(data: dict[str, Any], lang: str, markdown: bool = False) -> str:
    from sanjian_cli.render.papers import form

    return form(summary_paper, data, lang, markdown)
