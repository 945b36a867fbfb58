"""The pure report functions and the CSV writer, with numbers at their edges."""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sanjian_cli.domain import reports
from sanjian_cli.domain.attendance import roll
from sanjian_cli.domain.privacy import mask_phones
from sanjian_cli.domain.reports import Period
from sanjian_cli.render.csvout import BOM, cell, csv_text
from sanjian_cli.render.reports import bar, percent

P = Period()


def _member(mid: int, side: str = "cadre", **extra: object) -> dict:
    return {"id": mid, "name": f"m{mid}", "side": side, "voting": True, **extra}


def _held(day: str, members: list[dict], came: list[int], excused=(), late=(), online=()):  # noqa: ANN001, ANN202
    marks = {str(m): {"late": m in late, "online": m in online} for m in came}
    meeting = {"date": day, "attendance": marks}
    return reports.held_meeting(meeting, roll(members, date.fromisoformat(day), came, excused))


def test_period_is_inclusive_at_both_ends() -> None:
    p = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert "2026-01-01" in p and "2026-01-31" in p
    assert "2025-12-31" not in p and "2026-02-01" not in p
    assert "2026-01-31T23:59:00+08:00" in p  # a timestamp counts by its local date
    assert None not in p
    assert "1999-01-01" in P
    assert Period.year(2026) == p.__class__(date(2026, 1, 1), date(2026, 12, 31))


def test_rate_edges() -> None:
    assert reports.rate(0, 0) is None
    assert reports.rate(0, 3) == 0.0
    assert reports.rate(2, 3) == 0.6667
    assert reports.rate(3, 3) == 1.0


def test_attendance_counts_rolls_and_ignores_the_unexpected() -> None:
    members = [
        _member(1),
        _member(2, "volunteer", joined="2026-02-01"),
        _member(3, "volunteer", retired="2026-01-10"),
        {**_member(4), "voting": False},
    ]
    held = [
        _held("2026-01-07", members, [1, 3, 4], late=[3]),
        _held("2026-01-14", members, [], excused=[1]),
        _held("2026-02-04", members, [1, 2], online=[2]),
    ]
    report = reports.attendance(members, held, P, absence_flag=1)
    rows = {r["id"]: r for r in report["members"]}
    assert set(rows) == {1, 2, 3}  # the non-voting member is never 应到
    assert (rows[1]["expected"], rows[1]["present"], rows[1]["leave"]) == (3, 2, 1)
    assert rows[1]["flagged"] is False  # leave in time is not an absence
    assert (rows[2]["expected"], rows[2]["online"], rows[2]["rate"]) == (1, 1, 1.0)
    assert (rows[3]["expected"], rows[3]["late"]) == (1, 1)
    assert report["total"]["expected"] == 5 and report["total"]["rate"] == 0.8
    # No meeting in the period: nothing expected, no rate (not 0%, not 100%).
    empty = reports.attendance(members, held, Period(date(2027, 1, 1)), absence_flag=3)
    assert empty["members"] == [] and empty["total"]["rate"] is None
    assert all(s["rate"] is None for s in empty["sides"])


def test_absence_flag_threshold_is_inclusive() -> None:
    members = [_member(1)]
    held = [_held(f"2026-01-{d:02d}", members, []) for d in (7, 14, 21)]
    assert reports.attendance(members, held, P, absence_flag=3)["flagged"] == [1]
    assert reports.attendance(members, held, P, absence_flag=4)["flagged"] == []
    assert reports.attendance(members, held, P, absence_flag=0)["flagged"] == []


def _item(
    iid: int,
    due: str | None,
    status: str = "open",
    done: str | None = None,
    owner: int | None = None,
) -> dict:
    return {"id": iid, "meeting": "2026-03-04", "topic": 1, "text": f"t{iid}", "owner": owner,
            "due": due, "status": status, "done_at": done, "notes": []}  # fmt: skip


def test_action_states_at_the_due_day() -> None:
    today = date(2026, 3, 10)
    assert reports.action_state(_item(1, "2026-03-10"), today) == "open"
    assert reports.action_state(_item(1, "2026-03-09"), today) == "overdue"
    assert reports.action_state(_item(1, None), today) == "open"
    done_on_due = _item(1, "2026-03-10", "done", "2026-03-10T23:59:00+08:00")
    assert reports.action_state(done_on_due, today) == "done_on_time"
    done_next = _item(1, "2026-03-10", "done", "2026-03-11T00:01:00+08:00")
    assert reports.action_state(done_next, today) == "done_late"
    assert reports.action_state(_item(1, None, "done", "2026-03-11T00:01:00+08:00"), today) == (
        "done_undated"
    )


def test_on_time_share_leaves_out_what_cannot_be_judged() -> None:
    people = {1: {"id": 1, "name": "甲", "side": "cadre"}}
    items = [
        _item(1, "2026-03-08", "done", "2026-03-08T10:00:00+08:00", owner=1),
        _item(2, "2026-03-20", owner=1),  # not yet due
        _item(3, None, owner=1),  # no due date
        _item(4, None, "done", "2026-03-05T10:00:00+08:00"),
    ]
    report = reports.actions(items, people, P, date(2026, 3, 10))
    assert report["total"]["judged"] == 1
    assert report["total"]["on_time_share"] == 1.0
    assert report["total"]["undated"] == 2
    only_open = reports.actions(items[1:3], people, P, date(2026, 3, 10))
    assert only_open["total"]["on_time_share"] is None  # nothing judged: no share, not 0%
    assert [g["owner"] for g in report["owners"]][-1] is None  # no owner comes last


def test_an_item_counts_in_the_period_of_its_meetings_day_both_edges_included() -> None:
    people = {1: {"id": 1, "name": "甲", "side": "cadre"}, 2: {"id": 2, "name": "乙"}}
    owners = reports.owner_views(people)
    today = date(2026, 3, 10)
    march = Period(date(2026, 3, 4), date(2026, 3, 11))
    first, last = _item(1, None, owner=1), {**_item(2, None, owner=2), "meeting": "2026-03-11"}
    before = {**_item(3, "2026-03-05", owner=1), "meeting": "2026-03-03"}
    after = {**_item(4, None), "meeting": "2026-03-12"}
    for item, counted in ((first, True), (last, True), (before, False), (after, False)):
        assert reports.taken_in(item, march) is counted
        assert (reports.action_row(item, owners, march, today) is not None) is counted
        assert (reports.action_mark(item, march, today) is not None) is counted
    # Done, due or noted outside the period: still counted by the meeting's day alone.
    late = {**first, "due": "2026-03-01", "status": "done", "done_at": "2026-04-01T10:00"}
    assert reports.action_mark(late, march, today) == ("done_late", True)
    assert reports.action_row(first, owners, march, today, owner=2) is None
    row = reports.action_row(first, owners, march, today)
    assert row is not None and row["owner"] == {"id": 1, "name": "甲", "side": "cadre"}
    items = [after, last, first, before]
    report = reports.actions(iter(items), people, march, today)  # read once, in any order
    assert [r["id"] for r in report["items"]] == [1, 2]
    # The rows of one owner share one view of them; an owner unknown to `people` is none.
    one, other = (reports.action_row(i, owners, P, today) for i in (first, before))
    assert one is not None and other is not None and one["owner"] is other["owner"]
    assert reports.action_row({**first, "owner": 9}, owners, march, today)["owner"] is None
    marks = [m for i in items if (m := reports.action_mark(i, march, today)) is not None]
    assert reports.action_totals(marks) == report["total"]


def test_a_topic_adds_each_event_to_the_period_it_happened_in() -> None:
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    today = date(2026, 4, 20)
    people = {1: {"side": "cadre"}}
    topic = {
        "id": 1, "title": "x", "by": 1, "category": "welfare", "status": "passed",
        "proposed_at": "2026-02-28T23:00:00+08:00", "accepted_at": "2026-03-01T09:00:00+08:00",
        "history": [{"meeting": "2026-03-31", "outcome": "deferred"},
                    {"meeting": "2026-04-01", "outcome": "passed"}],
    }  # fmt: skip
    mark = reports.topic_mark(topic, people, march, today)
    assert mark is not None
    assert (mark.category, mark.side, mark.events) == ("welfare", "cadre", ("accepted", "deferred"))
    assert mark.span is None and mark.waiting is None  # decided in April
    april = reports.topic_mark(topic, people, Period(date(2026, 4, 1), None), today)
    assert april is not None and april.events == ("decided", "passed") and april.span == 32
    assert reports.topic_mark(topic, people, Period.year(2025), today) is None  # nothing then
    waiting = {**topic, "id": 2, "status": "accepted", "history": []}
    # Still open, proposed before the period's end: waiting, whatever else happened.
    mark = reports.topic_mark(waiting, people, Period.year(2027), today)
    assert mark is not None and mark.events == ("waiting",) and mark.waiting is not None
    assert mark.waiting["days"] == (today - date(2026, 2, 28)).days
    assert reports.topic_mark(waiting, people, Period.year(2025), today) is None
    items = [topic, waiting]
    assert reports.topics(iter(items), people, march, today) == reports.topics_report(
        [m for t in items if (m := reports.topic_mark(t, people, march, today)) is not None],
        march,
        today,
    )


def test_topic_decision_day_and_median() -> None:
    topic = {
        "id": 1, "title": "x", "by": 1, "category": "welfare", "status": "passed",
        "proposed_at": "2026-03-01T10:00:00+08:00",
        "history": [{"meeting": "2026-03-04", "outcome": "deferred"},
                    {"meeting": "2026-03-11", "outcome": "passed"}],
    }  # fmt: skip
    assert reports.decision_day(topic) == "2026-03-11"
    assert reports.decision_day({**topic, "status": "accepted"}) is None
    data = reports.topics([topic], {1: {"side": "cadre"}}, P, date(2026, 3, 20))
    assert data["median_days_to_decision"] == 10.0
    assert data["total"]["deferred"] == 1 and data["total"]["decided"] == 1
    assert reports.median([]) is None
    assert reports.median([1, 2]) == 1.5
    assert reports.median([5, 8, 12]) == 8.0


def test_csv_cells_and_formula_neutralising() -> None:
    assert cell("=SUM(A1)") == "'=SUM(A1)"
    assert cell("+1") == "'+1" and cell("-1") == "'-1" and cell("@x") == "'@x"
    assert cell("\tx") == "'\tx"
    assert cell(-1) == -1  # numbers stay numbers
    assert cell(None) == "" and cell(True) == 1 and cell("张三") == "张三"
    link = '=HYPERLINK("http://x")'
    text = csv_text(["姓名", "备注"], [["张三", link], ["李四", 'say "hi", ok']])
    assert text.startswith(BOM) and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert rows == [["姓名", "备注"], ["张三", "'" + link], ["李四", 'say "hi", ok']]


@given(st.text())
def test_no_text_cell_can_start_a_formula(value: str) -> None:
    shown = str(cell(value))
    assert not shown.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_bars_and_percent() -> None:
    assert bar(None, "zh") == "—"
    assert bar(0.0, "zh").startswith("░" * 8)
    assert bar(1.0, "en") == "█" * 8 + " 100.0%"
    assert bar(0.5, "en") == "████░░░░ 50.0%"
    assert percent(0.3333, "zh") == "33.3%"


def test_phone_masking() -> None:
    assert mask_phones("联系电话13912345678", []) == "联系电话***"
    assert mask_phones("座机 021-62345678 转", []) == "座机 *** 转"
    assert mask_phones("+86 13912345678", []) == "***"
    assert mask_phones("预算 1200000 元，2026-12-31 前", []) == "预算 1200000 元，2026-12-31 前"
    assert mask_phones("编号 139123456789", []) == "编号 139123456789"  # 12 digits: not a phone
    assert mask_phones("找 8765-4321", ["8765-4321"]) == "找 ***"
