"""Write a realistic sanjian store of N years directly, in the layout the code reads.

    python benchmarks/make_store.py --years 10 --out /tmp/ten.json [--seed 1]

The committee meets every Wednesday at 19:00 (Asia/Shanghai). About 25 members sit on the
three sides at any time, with a few leaving and joining each year (leads included); every
meeting has its attendance, leave notices, 4 to 8 topics with notes, votes, named dissent and
decision items whose follow-up notes run over the next weeks. The store ends on the evening
before `--now` (default 2026-11-23T09:00+08:00, a Monday): the latest meeting (2026-11-18) is
closed, the next (2026-11-25) is planned, and accepted topics wait in the queue for it.

`--years 0` writes the "empty" store of the benchmark: the committee, its roster, the latest
meeting and the open queue, and no history before that.

Documents are built with the same fields as the library writes (roster.add, topics.add,
planning.plan, votes.vote, decisions.decide, ...) and the outcome of each vote comes from
`tally.decide`, so the counts agree with the rules. Each closed meeting is filed as a close
files it: `closing.file` itself runs on the record as it stood at the meeting's end
(`Builder.as_of`), so `filed` holds the roll's 应到, the follow-up of earlier decisions as
they stood then, the topics and the meeting before. The same seed gives the same bytes.

The whole record is written as one file (schema 2, `_meta.next_id` set), then the library's
archive pass runs once on it (`store.Store.archive()`, a logged change like any other), so
the result is the layout a user has after years of use: the hot file with this year and the
open queue, one archive per closed year in `<out stem>.d/`, the audit log with that one
entry, and the single file as it was before the move in the backup set. Files left by an
earlier run at the same `--out` (archives, log, backups) are removed first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sanjian_cli import store
from sanjian_cli.domain import documents, pinyin, tally
from sanjian_cli.domain.vocab import CATEGORIES
from sanjian_cli.services import closing
from sanjian_cli.store import Record

TZ = timezone(timedelta(hours=8))
DEFAULT_NOW = "2026-11-23T09:00:00+08:00"
NAME = "幸福里社区三工联席会议"
PLACE = "社区党群服务中心二楼会议室"
SIDES = ("cadre", "social-worker", "volunteer")
ORGS = {
    "cadre": ["社区党委", "第一网格党支部", "第二网格党支部", "社区居委会"],
    "social-worker": ["阳光社工服务站", "社区居委会", "长者服务中心"],
    "volunteer": ["幸福里志愿服务队", "银龄互助队", "楼栋长", "青年志愿者协会"],
}
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = "建国秀兰志强静洋敏丽华大伟晓梅国庆立新海燕春明玉珍文斌红梅德胜淑芬小军桂英振华美玲"
SUBJECTS = [
    "楼道堆物清理",
    "助餐点扩容",
    "加装电梯协调",
    "垃圾分类督导",
    "老旧小区改造意见征集",
    "停车位规划",
    "儿童托管服务",
    "独居老人探访",
    "社区图书角",
    "电动车充电桩",
    "绿化带养护",
    "夏季防汛预案",
    "邻里节活动",
    "健康义诊",
    "高空抛物治理",
    "物业费公示",
    "消防通道整治",
    "文化广场舞噪音",
    "困难家庭帮扶",
    "志愿服务积分",
]
PLACES = ["1号楼", "3号楼", "5号楼", "东门", "西区", "南苑", "幸福路沿线", "活动中心"]
REASONS = ["出差", "看病", "加班", "家中有事", "外出培训", "身体不适"]
NOTES = [
    "居民反映强烈，需尽快推进",
    "建议先做入户调查",
    "经费可从社区公益金列支",
    "物业表示愿意配合",
    "需征求楼栋长意见",
    "建议分两期实施",
    "与街道相关科室对接",
]
DISSENTS = ["担心资金不足", "方案未充分征求居民意见", "时间安排过紧", "建议先试点再推广"]
FOLLOWUPS = ["已与物业对接", "已完成入户摸底", "方案已报街道", "正在施工", "已召开居民议事会"]


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class Builder:
    """Accumulates the TinyDB tables; ids are assigned in insertion order, as TinyDB does."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, dict[str, dict[str, Any]]] = {
            "_meta": {"1": {"schema": 2}},
            "committee": {},
            "members": {},
            "topics": {},
            "meetings": {},
            "decisions": {},
        }
        self.used_names: set[str] = set()

    def insert(self, table: str, doc: dict[str, Any]) -> int:
        rows = self.tables[table]
        new_id = len(rows) + 1
        rows[str(new_id)] = doc
        return new_id

    def as_of(self, moment: datetime) -> Record:
        """The record as it stood at `moment`, for the services to read: the tables built so
        far (documents of later weeks are not in them yet), with each decision item as it
        was then (an item is written once, as it ends up: not yet done then, it was open,
        and its later progress notes were not written yet)."""
        when = iso(moment)
        decisions = {}
        for key, item in self.tables["decisions"].items():
            notes = item["notes"]
            if (item["done_at"] or "") > when or (notes and notes[-1]["at"] > when):
                done = bool(item["done_at"]) and item["done_at"] <= when
                item = {
                    **item,
                    "status": "done" if done else "open",
                    "done_at": item["done_at"] if done else None,
                    "notes": [n for n in notes if n["at"] <= when],
                }
            decisions[key] = item
        return Record({**self.tables, "decisions": decisions}, shared=True)

    def name(self) -> str:
        while True:
            candidate = self.rng.choice(SURNAMES) + "".join(
                self.rng.sample(GIVEN, self.rng.choice((1, 2)))
            )
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def member(self, side: str, joined: date, *, lead: bool = False, voting: bool = True) -> int:
        name = self.name()
        return self.insert(
            "members",
            {
                "name": name,
                "side": side,
                "lead": lead,
                "voting": voting,
                "org": self.rng.choice(ORGS[side]),
                "phone": f"138{self.rng.randrange(10**8):08d}",
                "joined": joined.isoformat(),
                "retired": None,
                "retire_reason": "",
                "pinyin": pinyin.syllables(name),
            },
        )


def on_roster(member: dict[str, Any], day: date) -> bool:
    joined, retired = member.get("joined"), member.get("retired")
    if joined and joined > day.isoformat():
        return False
    return not (retired and retired < day.isoformat())


def build(years: int, seed: int, now: datetime, filing: bool = True) -> dict[str, Any]:
    """The record's tables. `filing=False`: closed as an older sanjian closed them, without
    `filed` (what tests of fixing rolls later need)."""
    b = Builder(seed)
    rng = b.rng
    # The latest meeting is the last Wednesday strictly before now's date.
    last = now.date() - timedelta(days=1)
    while last.weekday() != 2:
        last -= timedelta(days=1)
    nxt = last + timedelta(days=7)
    weeks = max(1, 52 * years)
    first = last - timedelta(weeks=weeks - 1)
    founded = first - timedelta(days=30)

    b.insert(
        "committee",
        {
            "name": NAME,
            "settings": {
                "weekday": "wed", "time": "19:00", "duration": 90, "place": PLACE,
                "online": "", "timezone": "Asia/Shanghai", "lang": "zh", "quorum": "majority",
                "pass-basis": "expected", "pass-threshold": "majority", "close-margin": 0,
                "approval": "leads", "leave-deadline": 0, "topic-minutes": 15,
                "opening-minutes": 5,
            },
            "created_at": iso(at(founded, 10)),
        },
    )  # fmt: skip

    # The roster: 8 per side (one lead each) and two non-voting members (列席).
    for side in SIDES:
        b.member(side, founded, lead=True)
        for _ in range(7):
            b.member(side, founded)
    b.member("cadre", founded, voting=False)
    b.member("social-worker", founded, voting=False)
    members = b.tables["members"]

    def active(day: date) -> list[int]:
        return [int(k) for k, m in members.items() if on_roster(m, day)]

    def lead_of(side: str, day: date) -> int:
        for key, m in members.items():
            if m["side"] == side and m["lead"] and on_roster(m, day):
                return int(key)
        raise AssertionError(f"no lead for {side} on {day}")

    # Turnover: about three members leave a year, each replaced a week later on the same
    # side; every fourth year one side's lead hands over.
    weeks_list = [first + timedelta(weeks=i) for i in range(weeks)]
    turnover: dict[date, list[tuple[str, bool]]] = {}
    for index, day in enumerate(weeks_list[:-2]):
        if index and index % 17 == 0:
            turnover.setdefault(day, []).append((SIDES[(index // 17) % 3], False))
        if index and index % 208 == 100:
            turnover.setdefault(day, []).append((SIDES[(index // 208) % 3], True))

    decisions = b.tables["decisions"]
    carried: list[int] = []  # topics deferred at the previous meeting

    def new_topic(day: date, status: str) -> int:
        by = rng.choice([m for m in active(day) if members[str(m)]["voting"]])
        subject = f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}"
        proposed = at(day - timedelta(days=rng.randrange(7, 15)), rng.randrange(8, 18))
        leads = [lead_of(side, proposed.date()) for side in SIDES]
        accepted = status != "proposed"
        doc: dict[str, Any] = {
            "title": subject,
            "by": by,
            "for": rng.choice(["", "", "", "3号楼居民王阿姨", "业委会"]),
            "category": rng.choice(CATEGORIES),
            "detail": f"关于{subject}的建议：{rng.choice(NOTES)}。" * rng.randrange(1, 4),
            "minutes": rng.choice((10, 15, 15, 15, 20, 30)),
            "urgent": rng.random() < 0.1,
            "major": rng.random() < 0.05,
            "proposed_at": iso(proposed),
            "status": status,
            "approvals": leads if accepted else leads[: rng.randrange(0, 3)],
            "rejection": None,
            "meeting": None,
            "carried": 0,
            "history": [],
        }
        if accepted:
            doc["accepted_at"] = iso(proposed + timedelta(days=2))
        return b.insert("topics", doc)

    def is_open(item: dict[str, Any], moment: datetime) -> bool:
        return item["status"] == "open" or (item["done_at"] or "") > iso(moment)

    for day in weeks_list + [nxt]:
        planned = day == nxt
        for side, lead in turnover.get(day, []):
            candidates = [
                int(k)
                for k, m in members.items()
                if m["side"] == side
                and m["voting"]
                and bool(m["lead"]) == lead
                and on_roster(m, day)
            ]
            leaving = rng.choice(candidates)
            members[str(leaving)]["retired"] = (day - timedelta(days=1)).isoformat()
            members[str(leaving)]["retire_reason"] = rng.choice(["工作调动", "搬离社区", "换届"])
            b.member(side, day, lead=lead)
        start = at(day, 19)
        present_now = active(day)
        meeting = documents.new_meeting(
            day,
            start=start,
            duration=90,
            place=PLACE,
            online="",
            chair=lead_of("cadre", day),
            created_at=start - timedelta(days=rng.randrange(5, 8)),
        )
        if planned:
            # The open queue: carried topics plus freshly accepted ones, and a few still
            # waiting for a lead's approval; one leave notice already filed.
            for _ in range(rng.randrange(5, 8)):
                new_topic(day, "accepted")
            for _ in range(2):
                new_topic(day, "proposed")
            voters = [m for m in present_now if members[str(m)]["voting"]]
            meeting["leaves"].append(
                {
                    "member": rng.choice(voters),
                    "reason": rng.choice(REASONS),
                    "filed_at": iso(at(day - timedelta(days=2), 9)),
                    "excused": True,
                }
            )
            b.insert("meetings", meeting)
            break

        cadres = [m for m in present_now if members[str(m)]["side"] == "cadre"]
        meeting["recorder"] = rng.choice(cadres)
        # Attendance and leave for every member on the roster.
        for mid in present_now:
            roll = rng.random()
            if roll < 0.82 or (not members[str(mid)]["voting"] and roll < 0.9):
                late = rng.random() < 0.08
                meeting["attendance"][str(mid)] = {
                    "at": iso(start + timedelta(minutes=rng.randrange(10, 25) if late else 0)),
                    "late": late,
                    "online": rng.random() < 0.05,
                }
            elif roll < 0.93 and members[str(mid)]["voting"]:
                in_time = rng.random() < 0.85
                filed = start - timedelta(hours=rng.randrange(2, 48)) if in_time else start
                meeting["leaves"].append(
                    {
                        "member": mid,
                        "reason": rng.choice(REASONS),
                        "filed_at": iso(filed + (timedelta(minutes=5) if not in_time else
                                                 timedelta(0))),
                        "excused": in_time,
                    }
                )  # fmt: skip
        if rng.random() < 0.3:
            meeting["guests"].append({"name": b.name(), "org": rng.choice(["街道办", "居民代表"])})
        attended = {int(k) for k in meeting["attendance"]}
        expected = [m for m in present_now if members[str(m)]["voting"]]
        present = [m for m in expected if m in attended]

        # The agenda: topics carried from last week first, then new ones.
        fresh_count = max(1, rng.randrange(4, 9) - len(carried))
        fresh = [new_topic(day, "accepted") for _ in range(fresh_count)]
        agenda_topics = carried + fresh
        followups = sorted(
            int(k)
            for k, d in decisions.items()
            if d["meeting"] < day.isoformat() and is_open(d, start)
        )
        opening = ["approve-minutes"] if day != first else []
        if followups:
            opening.append("follow-up")
        topics = b.tables["topics"]
        meeting["agenda"] = {
            "opening": opening,
            "followups": followups,
            "topics": agenda_topics,
            "carried": {str(t): topics[str(t)]["carried"] for t in agenda_topics},
            "waiting": [],
            "minutes": 5 * len(opening) + sum(topics[str(t)]["minutes"] for t in agenda_topics),
        }
        carried = []
        rule = tally.Rule()
        for offset, topic_id in enumerate(agenda_topics):
            topic = topics[str(topic_id)]
            moment = start + timedelta(minutes=10 + 12 * offset)
            for _ in range(rng.randrange(1, 4)):
                meeting["notes"].append(
                    {"topic": topic_id, "text": rng.choice(NOTES), "at": iso(moment)}
                )
            roll = rng.random()
            defer = roll < 0.08
            refer = 0.08 <= roll < 0.11
            voters = list(present)
            rng.shuffle(voters)
            if roll > 0.95:  # a contested one
                cut_yes, cut_no = len(voters) // 2, len(voters) * 3 // 4
            else:
                cut_yes = len(voters) - rng.randrange(0, 3)
                cut_no = cut_yes + rng.randrange(0, 2)
            yes_by = sorted(voters[:cut_yes])
            no_by = sorted(voters[cut_yes:cut_no])
            abstain_by = sorted(voters[cut_no:])
            count = tally.Count(len(yes_by), len(no_by), len(abstain_by), len(expected),
                                len(present))  # fmt: skip
            quorate = tally.has_quorum(
                len(present), len(expected), "two-thirds" if topic["major"] else "majority"
            )
            if not quorate:
                defer, refer = True, False
                yes_by, no_by, abstain_by = [], [], []
                count = tally.Count(0, 0, 0, len(expected), len(present))
            result = tally.decide(count, rule, urgent=topic["urgent"], defer=defer, refer=refer)
            named = rng.random() < 0.3
            names = {"yes": yes_by, "no": no_by, "abstain": abstain_by} if named else {}
            meeting["votes"][str(topic_id)] = documents.new_vote(
                topic_id,
                rng.choice(("hands", "hands", "roll-call", "ballot")),
                count,
                rule,
                result,
                names,
                iso(moment + timedelta(minutes=8)),
            )
            topic["history"].append({"meeting": day.isoformat(), "outcome": result.outcome})
            if result.outcome == "deferred":
                topic.update(status="accepted", meeting=None, carried=topic["carried"] + 1)
                carried.append(topic_id)
            else:
                topic.update(status=result.outcome, meeting=day.isoformat())
            for mid in no_by[:1] if rng.random() < 0.4 else []:
                meeting["dissents"].append(
                    {
                        "topic": topic_id,
                        "member": mid,
                        "text": rng.choice(DISSENTS),
                        "written": False,
                        "at": iso(moment + timedelta(minutes=9)),
                    }
                )
            if result.outcome != "passed":
                continue
            for _ in range(rng.randrange(1, 3)):
                due = day + timedelta(days=rng.choice((7, 14, 30, 60))) if rng.random() < 0.85 \
                    else None  # fmt: skip
                owner = rng.choice(expected) if rng.random() < 0.9 else None
                done_after = rng.choice((5, 12, 20, 35, 70, 400))
                done_at = start + timedelta(days=done_after)
                finished = done_at < now
                notes = []
                for week in range(1, min(done_after, 60) // 7 + 1):
                    if start + timedelta(days=7 * week) < now and rng.random() < 0.6:
                        notes.append(
                            {
                                "at": iso(start + timedelta(days=7 * week, hours=-8)),
                                "text": rng.choice(FOLLOWUPS),
                            }
                        )
                b.insert(
                    "decisions",
                    {
                        "meeting": day.isoformat(),
                        "topic": topic_id,
                        "text": f"{topic['title']}：{rng.choice(NOTES)}",
                        "owner": owner,
                        "due": due.isoformat() if due else None,
                        "status": "done" if finished else "open",
                        "created_at": iso(moment + timedelta(minutes=10)),
                        "done_at": iso(done_at) if finished else None,
                        "notes": notes,
                    },
                )
        end = start + timedelta(minutes=rng.randrange(75, 110))
        meeting["end"] = iso(end)
        # What a close fixes (`closing.file`): the roll's 应到, the follow-up and the topics
        # as they stand at the end, from the record as it is then.
        if filing:
            meeting["filed"] = closing.file(b.as_of(end), meeting, end)
        meeting["status"] = "closed"
        b.insert("meetings", meeting)

    # A few topics of every year turned down or withdrawn, as in life.
    for _ in range(max(1, 4 * years)):
        day = rng.choice(weeks_list)
        topic_id = new_topic(day, "proposed")
        topic = b.tables["topics"][str(topic_id)]
        if rng.random() < 0.5:
            lead = lead_of("cadre", day)
            topic.update(
                status="rejected",
                rejection={"by": lead, "reason": "不属于联席会议职责范围", "at": iso(at(day, 10))},
            )
        else:
            topic.update(status="withdrawn", withdrawn_at=iso(at(day, 11)))
    if filing:
        approve(b.tables)
    return b.tables


def approve(tables: dict[str, Any]) -> None:
    """Every closed meeting's minutes approved at the next meeting (the latest one's are
    not yet), by its chair, with the digest `minutes approve` keeps: `doctor` checks each
    against the minutes as they print now, as on a committee's real record."""
    from sanjian_cli.services import papers
    from sanjian_cli.services.storage import POLICY

    record = store.Record(tables, policy=POLICY)
    closed = sorted((m["date"], k) for k, m in tables["meetings"].items()
                    if m["status"] == "closed")  # fmt: skip
    for (_day, key), (later, _next) in zip(closed, closed[1:], strict=False):
        meeting = tables["meetings"][key]
        meeting.update(approved_at=f"{later}T19:40:00+08:00", approved_by=meeting["chair"],
                       approved_user="secretary")  # fmt: skip
        meeting["approved_digest"] = papers.digest(record, dict(meeting, id=int(key)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, required=True, help="years of weekly meetings")
    parser.add_argument("--out", type=Path, required=True, help="the store file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", default=DEFAULT_NOW, help="the SANJIAN_NOW the store ends at")
    args = parser.parse_args(argv)
    if args.years < 0:
        parser.error("--years must be 0 or more")
    now = datetime.fromisoformat(args.now)
    if now.tzinfo is None:
        parser.error("--now needs an offset, e.g. 2026-11-23T09:00:00+08:00")
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = args.now  # the minutes approved print as at the store's now
    try:
        tables = build(args.years, args.seed, now)
    finally:
        if saved is None:
            os.environ.pop("SANJIAN_NOW", None)
        else:
            os.environ["SANJIAN_NOW"] = saved
    from sanjian_cli.store.archive import next_ids  # the layout's own id rule

    tables["_meta"]["1"]["next_id"] = next_ids(tables)
    payload = json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for old in (store.archive_dir(args.out), store.backup_dir(args.out)):
        shutil.rmtree(old, ignore_errors=True)
    for old in (store.log_path(args.out), store.lock_path(args.out)):
        old.unlink(missing_ok=True)
    args.out.write_bytes(payload)
    # The move is logged at the store's own "now", so the same seed still gives the same bytes.
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = args.now
    try:
        from sanjian_cli.services.storage import POLICY

        years = store.Store(args.out, POLICY, command=["make_store.py"]).archive()
    finally:
        if saved is None:
            os.environ.pop("SANJIAN_NOW", None)
        else:
            os.environ["SANJIAN_NOW"] = saved
    counts = {name: len(rows) for name, rows in tables.items() if name != "_meta"}
    hot = args.out.stat().st_size
    print(
        f"{args.out}: {len(payload) / 1e6:.1f} MB in all, {counts}; hot file {hot / 1e6:.2f} MB, "
        f"archives {years[0] if years else '-'}..{years[-1] if years else '-'} "
        f"in {store.archive_dir(args.out)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
