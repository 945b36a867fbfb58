"""A small committee built in Python, through the use cases themselves (no CLI): for the
tests of the services. Plain functions; the fixtures that use them live in the test files.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sanjian_cli.domain import clock
from sanjian_cli.services import committee, members, planning, topics
from sanjian_cli.store import Record

TZ = clock.zone("Asia/Shanghai")
# The week of the tests: Monday 2026-11-23, the meeting on Wednesday 2026-11-25 at 19:00.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
WEDNESDAY = date(2026, 11, 25)

ROSTER = (
    ("张建国", "cadre", True), ("李秀兰", "cadre", False), ("王志强", "cadre", False),
    ("陈静", "social-worker", True), ("刘洋", "social-worker", False),
    ("赵敏", "social-worker", False), ("孙丽华", "volunteer", True),
    ("周大伟", "volunteer", False), ("吴晓梅", "volunteer", False),
)  # fmt: skip


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


def empty_record(amendment: str | None = None) -> Record:
    """A record in memory, as `Store.writing()` hands one out for a store not yet created."""
    return Record({}, amendment)


class Committee:
    """The committee of the service tests: nine voting members (three leads), one
    non-voting, meeting on Wednesdays at 19:00 in Shanghai; its record and handles."""

    def __init__(self, record: Record, **settings: str) -> None:
        self.record = record
        committee.create(record, "测试社区三工联席会议", {"lang": "zh", **settings}, MONDAY)
        self.config = committee.config(record)
        joined = date(2026, 1, 1)
        self.people: dict[str, Any] = {}
        for name, side, lead in ROSTER:
            self.people[name] = members.add(
                record, name=name, side=side, lead=lead, voting=True, org=None, phone=None,
                joined=joined,
            )  # fmt: skip
        self.people["黄立新"] = members.add(
            record, name="黄立新", side="cadre", lead=False, voting=False, org="街道办",
            phone=None, joined=joined,
        )  # fmt: skip

    def __getitem__(self, name: str) -> Any:
        return self.people[name]

    def plan(self, day: date = WEDNESDAY, now: datetime = MONDAY) -> dict[str, Any]:
        meeting, _new = planning.plan(self.record, self.config, now, day=day)
        return meeting

    def accepted(self, title: str, when: datetime = MONDAY, **extra: Any) -> dict[str, Any]:
        """A topic proposed by 刘洋 at `when` and agreed by the three leads then."""
        options = {"for_name": None, "category": "other", "detail": None, "minutes": 15,
                   "urgent": False, "major": False, **extra}  # fmt: skip
        topic = topics.add(self.record, title=title, by=self["刘洋"], at=when, **options)
        for lead in ("张建国", "陈静", "孙丽华"):
            topic, _pending = topics.approve(self.record, topic, self[lead], "leads", when)
        return topic

    def snapshot(self) -> str:
        """The whole record as text: equal before and after means nothing changed."""
        return json.dumps(self.record.raw(), sort_keys=True, ensure_ascii=False)
