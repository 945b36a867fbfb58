"""The figures of follow-through and evaluation (考评): attendance, decisions carried out,
topics, and the period summary, computed from plain dicts.

Nothing here reads the store or prints. Who is 应到, present, on leave or absent at a
meeting is decided by `attendance.roll` (through `meetings.roll`); this module only adds the
rolls of held meetings up. Periods are inclusive at both ends, by calendar date in the
committee's time zone.

Definitions (the README repeats them for users):
- attendance rate = present / expected (应到) over the held meetings in the period; late and
  online arrivals are present. A member is flagged at `absence_flag` or more absences
  without (in-time) leave; a flag of 0 flags nobody.
- a decision item is *on time* when done on or before its due date (the due day included),
  *late* when done after it, *overdue* when still open after it. The on-time share is
  on time / (on time + late + overdue): items not yet due and items without a due date
  cannot be judged, so they are counted (as `open`, `undated`) but left out of the share.
- a topic is *decided* when its vote ended in passed, failed or referred (报上级); its
  decision day is the day of that meeting.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from sanjian_cli.domain.attendance import Roll, on_roster
from sanjian_cli.domain.vocab import CATEGORIES, SIDES
from sanjian_cli.domain.vocab import TOPIC_DECIDED as DECIDED
from sanjian_cli.domain.vocab import TOPIC_OPEN as OPEN_TOPIC

ACTION_STATES = ("open", "overdue", "done_on_time", "done_late", "done_undated")


class Period(NamedTuple):
    """From `start` to `end`, both included; None means unbounded on that side."""

    start: date | None = None
    end: date | None = None

    def __contains__(self, day: object) -> bool:
        if day is None:
            return False
        if isinstance(day, str):
            day = date.fromisoformat(day[:10])
        assert isinstance(day, date)
        if self.start is not None and day < self.start:
            return False
        return not (self.end is not None and day > self.end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def as_json(self) -> dict[str, str | None]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places, or None when there is nothing to divide."""
    if whole <= 0:
        return None
    return round(part / whole, 4)


# -- attendance -----------------------------------------------------------------------------
def held_meeting(meeting: Mapping[str, Any], roll: Roll) -> dict[str, Any]:
    """One held meeting as the attendance report needs it: the roll, and who of those
    present came late or online (from the sign-in marks)."""
    marks = meeting.get("attendance", {})
    present = list(roll.present)
    others = list(roll.non_voting_present)
    return {
        "date": meeting["date"],
        "expected": list(roll.expected),
        "present": present,
        "leave": list(roll.excused),
        "absent": list(roll.absent),
        "late": [m for m in present if marks.get(str(m), {}).get("late")],
        "online": [m for m in present if marks.get(str(m), {}).get("online")],
        # Signed in without being 应到 (列席), with their own marks: never in the rates.
        "non_voting": others,
        "non_voting_late": [m for m in others if marks.get(str(m), {}).get("late")],
        "non_voting_online": [m for m in others if marks.get(str(m), {}).get("online")],
    }


_COUNTS = ("expected", "present", "late", "online", "leave", "absent")


def _zero() -> dict[str, int]:
    return dict.fromkeys(_COUNTS, 0)


def _with_rate(counts: dict[str, int]) -> dict[str, Any]:
    return {**counts, "rate": rate(counts["present"], counts["expected"])}


def attendance(
    members: Iterable[Mapping[str, Any]],
    held: Sequence[Mapping[str, Any]],
    period: Period,
    *,
    absence_flag: int,
    side: str | None = None,
) -> dict[str, Any]:
    """Per member, per side and in total: expected, present, late, online, leave, absent and
    the rate, over the held meetings whose date is in `period`. Members never expected in
    the period (joined after it, left before it, non-voting) do not appear."""
    by_id = {m["id"]: m for m in members}
    meetings = [h for h in held if h["date"] in period]
    per: dict[int, dict[str, int]] = {}
    for meeting in meetings:
        for key in _COUNTS:
            for member_id in meeting[key]:
                counts = per.get(member_id)
                if counts is None:
                    counts = per[member_id] = _zero()
                counts[key] += 1
    rows = []
    for member_id in sorted(per):
        member = by_id.get(member_id, {"id": member_id, "name": f"#{member_id}", "side": None})
        if side is not None and member.get("side") != side:
            continue
        counts = per[member_id]
        rows.append(
            {
                "id": member_id,
                "name": member["name"],
                "side": member.get("side"),
                "joined": member.get("joined"),
                "retired": member.get("retired"),
                **_with_rate(counts),
                "flagged": absence_flag > 0 and counts["absent"] >= absence_flag,
            }
        )
    sides = []
    for name in SIDES:
        if side is not None and name != side:
            continue
        group = [r for r in rows if r["side"] == name]
        total = _zero()
        for row in group:
            for key in _COUNTS:
                total[key] += row[key]
        sides.append({"side": name, "members": len(group), **_with_rate(total)})
    total = _zero()
    for row in rows:
        for key in _COUNTS:
            total[key] += row[key]
    return {
        "period": period.as_json(),
        "meetings": len(meetings),
        "absence_flag": absence_flag,
        "side": side,
        "members": rows,
        "sides": sides,
        "total": {"members": len(rows), **_with_rate(total)},
        "flagged": [r["id"] for r in rows if r["flagged"]],
        "non_voting": _non_voting(by_id.values(), meetings, side),
    }


def _non_voting(
    members: Iterable[Mapping[str, Any]], meetings: Sequence[Mapping[str, Any]], side: str | None
) -> list[dict[str, Any]]:
    """The non-voting members (列席, such as the street office's liaison): of the held
    meetings while they were on the roster and not 应到 (`meetings`), how many they
    attended (`present`), late or online. No rate: they are never expected."""
    rows = []
    for member in sorted(members, key=lambda m: m["id"]):
        if member.get("voting", True) or (side is not None and member.get("side") != side):
            continue
        mid = member["id"]
        held = [
            h for h in meetings
            if mid not in h["expected"]
            and (on_roster(member, date.fromisoformat(h["date"])) or mid in h.get("non_voting", []))
        ]  # fmt: skip
        if not held:
            continue
        rows.append(
            {
                "id": mid,
                "name": member["name"],
                "side": member.get("side"),
                "org": member.get("org") or None,
                "joined": member.get("joined"),
                "retired": member.get("retired"),
                "meetings": len(held),
                "present": sum(1 for h in held if mid in h.get("non_voting", [])),
                "late": sum(1 for h in held if mid in h.get("non_voting_late", [])),
                "online": sum(1 for h in held if mid in h.get("non_voting_online", [])),
            }
        )
    return rows


# -- decision items (督办) -------------------------------------------------------------------
def _day(stamp: str | None) -> date | None:
    return date.fromisoformat(stamp[:10]) if stamp else None


def action_state(item: Mapping[str, Any], today: date) -> str:
    """One of ACTION_STATES for a decision item, judged on `today`."""
    due = _day(item.get("due"))
    if item["status"] == "done":
        done = _day(item.get("done_at"))
        if due is None or done is None:
            return "done_undated"
        return "done_on_time" if done <= due else "done_late"
    if due is not None and due < today:
        return "overdue"
    return "open"


def action_totals(states: Iterable[tuple[str, bool]]) -> dict[str, Any]:
    """The counts of a group of decision items from their (state, has a due date) pairs
    (`action_mark`): each state, the undated, the judged and the on-time share."""
    counts = dict.fromkeys(ACTION_STATES, 0)
    undated = total = 0
    for state, has_due in states:
        counts[state] += 1
        total += 1
        undated += 0 if has_due else 1
    judged = counts["done_on_time"] + counts["done_late"] + counts["overdue"]
    return {
        "total": total,
        **counts,
        "undated": undated,
        "judged": judged,
        "on_time_share": rate(counts["done_on_time"], judged),
    }


def taken_in(item: Mapping[str, Any], period: Period) -> bool:
    """Whether decision item `item` counts in `period`: it was taken at a meeting on a day
    of the period (the day it is done or due does not matter)."""
    return item["meeting"] in period


def action_mark(item: Mapping[str, Any], period: Period, today: date) -> tuple[str, bool] | None:
    """What decision item `item` adds to the totals of `period` (`action_totals`): its state
    on `today` and whether it has a due date; None when it was not taken in the period."""
    if not taken_in(item, period):
        return None
    return action_state(item, today), bool(item.get("due"))


def _one(value: Any) -> Any:
    """`value`, a string made one with its equals (a store edited by hand may hold other
    things: they are left as they are)."""
    return sys.intern(value) if type(value) is str else value


def owner_views(people: Mapping[int, Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each member as a decision item's row names its owner (`action_row`): made once, so
    the rows of one owner share it (ten years' rows are thousands)."""
    return {
        key: {"id": who["id"], "name": who["name"], "side": who.get("side")}
        for key, who in people.items()
        if who
    }


def action_row(
    item: Mapping[str, Any],
    owners: Mapping[int, Mapping[str, Any]],
    period: Period,
    today: date,
    *,
    owner: int | None = None,
) -> dict[str, Any] | None:
    """Decision item `item` as a row of the report of `period` (`actions_report`), with its
    state on `today` and its owner as `owners` (`owner_views(people)`) gives them; None when it
    was not taken in the period, or, with `owner`, is someone else's. The row holds what the
    report shows, not the item's whole history."""
    if not taken_in(item, period):
        return None
    if owner is not None and item.get("owner") != owner:
        return None
    state = action_state(item, today)
    due = _day(item.get("due"))
    done = _day(item.get("done_at"))
    notes = item.get("notes") or []
    return {
        "id": item["id"],
        # The meeting's day and the status repeat from row to row: one string each.
        "meeting": _one(item["meeting"]),
        "topic": item.get("topic"),
        "text": item["text"],
        "owner": owners.get(item["owner"]) if item.get("owner") is not None else None,
        "due": item.get("due"),
        "status": _one(item["status"]),
        "done_at": item.get("done_at"),
        "state": state,
        "days_overdue": (today - due).days if state == "overdue" and due else 0,
        "days_late": (done - due).days if state == "done_late" and done and due else 0,
        "latest_note": notes[-1]["text"] if notes else None,
    }


def actions(
    items: Iterable[Mapping[str, Any]],
    people: Mapping[int, Mapping[str, Any]],
    period: Period,
    today: date,
    *,
    owner: int | None = None,
) -> dict[str, Any]:
    """Every decision item taken at a meeting in `period` (by that meeting's date), with its
    state on `today`, and the counts per owner, per owner's side and in total. `items` is
    read once, each kept only as its row."""
    by_id = owner_views(people)
    rows = [
        row
        for item in items
        if (row := action_row(item, by_id, period, today, owner=owner)) is not None
    ]
    return actions_report(rows, period, today, owner=owner)


def actions_report(
    rows: Iterable[Mapping[str, Any]], period: Period, today: date, *, owner: int | None = None
) -> dict[str, Any]:
    """The report of `actions` from the items' rows (`action_row`), in any order: the rows by
    id, and the counts per owner, per owner's side and in total."""
    rows = sorted(rows, key=lambda r: r["id"])
    groups: dict[int | None, list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["owner"]["id"] if row["owner"] else None, []).append(row)
    by_owner = [
        {
            "owner": group[0]["owner"],
            **action_totals((r["state"], bool(r["due"])) for r in group),
        }
        for key, group in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    by_side = []
    for side in (*SIDES, None):
        group = [r for r in rows if (r["owner"]["side"] if r["owner"] else None) == side]
        # Every side is shown, with its zeros; filtered to one owner, only theirs.
        if group or (side is not None and owner is None):
            by_side.append(
                {"side": side, **action_totals((r["state"], bool(r["due"])) for r in group)}
            )
    return {
        "period": period.as_json(),
        "today": today.isoformat(),
        "items": rows,
        "owners": by_owner,
        "sides": by_side,
        "total": action_totals((r["state"], bool(r["due"])) for r in rows),
    }


# -- topics --------------------------------------------------------------------------------
def _outcome_day(topic: Mapping[str, Any], outcomes: tuple[str, ...]) -> list[str]:
    return [h["meeting"] for h in topic.get("history", []) if h.get("outcome") in outcomes]


def decision_day(topic: Mapping[str, Any]) -> str | None:
    """The day of the meeting whose vote settled the topic, if it is settled."""
    if topic["status"] not in DECIDED:
        return None
    days = _outcome_day(topic, DECIDED)
    return days[-1] if days else None


_TOPIC_COUNTS = ("proposed", "accepted", "rejected", "decided", "passed", "failed", "referred",
                 "deferred", "withdrawn", "waiting")  # fmt: skip


class TopicMark(NamedTuple):
    """What one topic adds to the topics report of a period (`topic_mark`)."""

    category: str
    side: str | None  # the proposer's
    events: tuple[str, ...]  # the counts of _TOPIC_COUNTS it adds one to
    span: int | None  # days from proposal to decision, decided in the period
    waiting: dict[str, Any] | None  # its line among the longest waiting, still open


def topic_mark(
    topic: Mapping[str, Any],
    people: Mapping[int, Mapping[str, Any]],
    period: Period,
    today: date,
) -> TopicMark | None:
    """What `topic` adds to the report of `period` (`topics_report`), judged on `today`;
    None when it adds nothing (no event in the period, not waiting). Each event is counted
    in the period it happened: proposed (proposal day), accepted (the day the leads
    agreed), rejected, withdrawn, decided (the deciding meeting's day, split into
    passed/failed/referred), deferred (deferred 暂缓 at least once at a meeting in the
    period). `waiting` is a snapshot on `today`: still open, proposed on or before the
    period's end."""
    proposed = _day(topic["proposed_at"])
    decided = decision_day(topic)
    rejection = topic.get("rejection") or {}
    still_open = topic["status"] in OPEN_TOPIC
    events = {
        "proposed": proposed in period,
        "accepted": topic.get("accepted_at") in period,
        "rejected": topic["status"] == "rejected" and rejection.get("at") in period,
        "withdrawn": topic["status"] == "withdrawn" and topic.get("withdrawn_at") in period,
        "decided": decided in period,
        "deferred": any(d in period for d in _outcome_day(topic, ("deferred",))),
        "waiting": still_open
        and (period.end is None or (proposed is not None and proposed <= period.end)),
    }
    for outcome in DECIDED:
        events[outcome] = events["decided"] and topic["status"] == outcome
    span = None
    if events["decided"] and decided and proposed:
        span = (date.fromisoformat(decided) - proposed).days
    waiting = None
    if still_open and proposed is not None and (period.end is None or proposed <= period.end):
        waiting = {
            "id": topic["id"],
            "title": topic["title"],
            "category": topic["category"],
            "status": topic["status"],
            "proposed": proposed.isoformat(),
            "days": (today - proposed).days,
            "carried": int(topic.get("carried", 0)),
        }
    counted = tuple(k for k in _TOPIC_COUNTS if events[k])
    if not counted and waiting is None:
        return None  # no count, no span (a span needs `decided`), not waiting
    side = people.get(topic["by"], {}).get("side")
    return TopicMark(topic["category"], side, counted, span, waiting)


def topics(
    items: Iterable[Mapping[str, Any]],
    people: Mapping[int, Mapping[str, Any]],
    period: Period,
    today: date,
    *,
    longest: int = 5,
) -> dict[str, Any]:
    """By category and by proposing side, each event counted in the period it happened
    (`topic_mark`); the median days from proposal to decision; the `longest` waiting on
    `today`. `items` is read once, each kept only as its mark."""
    marks = [m for t in items if (m := topic_mark(t, people, period, today)) is not None]
    return topics_report(marks, period, today, longest=longest)


def topics_report(
    marks: Iterable[TopicMark], period: Period, today: date, *, longest: int = 5
) -> dict[str, Any]:
    """The report of `topics` from the topics' marks (`topic_mark`), in any order."""
    marks = list(marks)

    def count(group: list[TopicMark]) -> dict[str, int]:
        return {k: sum(1 for m in group if k in m.events) for k in _TOPIC_COUNTS}

    categories = [
        {"category": c, **count([m for m in marks if m.category == c])} for c in CATEGORIES
    ]
    sides = [{"side": s, **count([m for m in marks if m.side == s])} for s in SIDES]
    spans = [m.span for m in marks if m.span is not None]
    waiting = sorted(
        (m.waiting for m in marks if m.waiting is not None), key=lambda w: (-w["days"], w["id"])
    )
    return {
        "period": period.as_json(),
        "today": today.isoformat(),
        "categories": categories,
        "sides": sides,
        "total": count(marks),
        "median_days_to_decision": median(spans),
        "decided_spans": len(spans),
        "waiting_longest": waiting[:longest],
    }


def median(values: Sequence[int]) -> float | None:
    # statistics (with fractions, decimal and random) only for the reports that use it:
    # `topic list` and `report attendance` load this module for its Period alone.
    import statistics

    return float(statistics.median(values)) if values else None


# -- the period summary (年度总结) ----------------------------------------------------------
def summary(
    committee: str,
    period: Period,
    attendance_report: Mapping[str, Any],
    decisions: Mapping[str, Any],
    topics_report: Mapping[str, Any],
) -> dict[str, Any]:
    """The few figures a year-end report quotes, taken from the reports above: of the
    decision items, only their totals (`action_totals`, the `total` of `actions`)."""
    meetings = attendance_report["meetings"]
    total = attendance_report["total"]
    return {
        "committee": committee,
        "period": period.as_json(),
        "meetings_held": meetings,
        "absence_flag": attendance_report["absence_flag"],
        "attendance": {
            "expected": total["expected"],
            "present": total["present"],
            "rate": total["rate"],
            "average_present": round(total["present"] / meetings, 2) if meetings else None,
            "leave": total["leave"],
            "absent": total["absent"],
        },
        "topics": {
            k: topics_report["total"][k]
            for k in ("proposed", "decided", "passed", "failed", "referred", "deferred")
        }
        | {"median_days_to_decision": topics_report["median_days_to_decision"]},
        "decisions": {
            "taken": decisions["total"],
            **{k: decisions[k] for k in (*ACTION_STATES, "undated", "judged", "on_time_share")},
        },
        "flagged_members": [
            {"id": m["id"], "name": m["name"], "absent": m["absent"]}
            for m in attendance_report["members"]
            if m["flagged"]
        ],
    }
