"""A realistic committee and one full week of its work, for `sanjian demo`.

It runs through the same library calls as the commands, with the clock set step by step,
so the week reads like a secretary's: topics collected, agreed by the three leads, the
agenda built two days ahead, leave filed (once in time, once too late), the meeting held,
votes, dissent and decisions recorded, the meeting closed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sanjian_cli.domain import clock, documents
from sanjian_cli.services import (
    actions,
    agenda,
    attendance,
    closing,
    committee,
    meetings,
    members,
    papers,
    planning,
    topics,
    votes,
)
from sanjian_cli.store import Record

if TYPE_CHECKING:
    from sanjian_cli.domain.documents import Member, Topic

NAME = "幸福里社区三工联席会议"
PLACE = "社区党群服务中心二楼会议室"

MEMBERS = [
    ("张建国", "cadre", True, True, "社区党委"),
    ("李秀兰", "cadre", False, True, "社区党委"),
    ("王志强", "cadre", False, True, "第一网格党支部"),
    ("陈静", "social-worker", True, True, "阳光社工服务站"),
    ("刘洋", "social-worker", False, True, "阳光社工服务站"),
    ("赵敏", "social-worker", False, True, "社区居委会"),
    ("孙丽华", "volunteer", True, True, "幸福里志愿服务队"),
    ("周大伟", "volunteer", False, True, "幸福里志愿服务队"),
    ("吴晓梅", "volunteer", False, True, "银龄互助队"),
    ("郑国庆", "volunteer", False, True, "楼栋长"),
    ("黄立新", "cadre", False, False, "街道社区办"),
]


def _at(day: date, hh: int, mm: int, tz: Any) -> datetime:
    return clock.local(day, time(hh, mm), tz)


def run(record: Record, now: datetime, lang: str) -> dict[str, Any]:
    """Fill `record` with the demo committee; returns the dates and ids worth showing."""
    if record.exists:
        record.clear()
    tz = now.tzinfo
    chosen = {"weekday": "wed", "time": "19:00", "duration": "90", "place": PLACE, "lang": lang}
    committee.create(record, NAME, chosen, now)
    record.set_committee({"demo": True})
    config = committee.config(record)
    tz = committee.tz(config)
    # The week shown is the latest one on the schedule, so that after the demo "now" lies
    # between its meeting and the next, as it would for a secretary.
    day = planning.next_day(config, now - timedelta(days=7))
    last = day - timedelta(days=7)
    joined = last - timedelta(days=365)
    people: dict[str, Member] = {}
    for name, side, lead, voting_, org in MEMBERS:
        people[name] = members.add(
            record,
            name=name,
            side=side,
            lead=lead,
            voting=voting_,
            org=org,
            phone="13800000000",
            joined=joined,
        )
    leads = [people["张建国"], people["陈静"], people["孙丽华"]]

    def propose(title: str, by: str, category: str, when: datetime, **extra: Any) -> Topic:
        return topics.add(
            record,
            title=title,
            by=people[by],
            for_name=extra.get("for_name"),
            category=category,
            detail=extra.get("detail"),
            minutes=extra.get("minutes", 15),
            urgent=extra.get("urgent", False),
            major=False,
            at=when,
        )

    def agree(topic: Topic, when: datetime) -> None:
        for lead in leads:
            topic, _pending = topics.approve(record, topic, lead, "leads", when)

    # Last week: one topic, one decision still being carried out.
    t0 = _at(last - timedelta(days=5), 9, 30, tz)
    first = propose(
        "楼道堆物清理整治",
        "郑国庆",
        "environment",
        t0,
        detail="3号楼、5号楼楼道堆放杂物，存在消防隐患。",
    )
    agree(first, t0 + timedelta(hours=3))
    prev, _ = planning.plan(record, config, t0, day=last, recorder=people["李秀兰"])
    agenda.build_agenda(record, config, prev, t0)
    start_prev = meetings.start_of(prev)
    attendance.sign_in(
        record,
        prev,
        [p for n, p in people.items() if n not in ("赵敏",)],
        late=False,
        online=False,
        now=start_prev,
    )
    votes.vote(
        record,
        config,
        prev,
        first,
        counts=(9, 0, 0),
        named=None,
        method="hands",
        defer=False,
        refer=False,
        now=start_prev + timedelta(minutes=20),
    )
    first_action = actions.decide(
        record,
        prev,
        first,
        "志愿服务队协助物业开展楼道清理，每周巡查一次",
        owner=people["周大伟"],
        due=day + timedelta(days=7),
        now=start_prev + timedelta(minutes=25),
    )
    closing.close(record, prev, "20:10", start_prev + timedelta(minutes=70))

    # This week: topics come in, the leads agree, one is turned down.
    week = last + timedelta(days=1)
    t = [
        propose(
            "老旧小区加装电梯意见征集",
            "王志强",
            "plan",
            _at(week, 10, 0, tz),
            minutes=30,
            detail="7号楼居民联名申请加装电梯，需征求低层住户意见。",
        ),
        propose(
            "独居老人助餐点扩容",
            "吴晓梅",
            "welfare",
            _at(week, 15, 0, tz),
            detail="现有助餐点每日限供40份，排队老人增多。",
        ),
        propose(
            "社区花园认领活动方案",
            "周大伟",
            "culture",
            _at(week + timedelta(days=1), 9, 0, tz),
            for_name="钱阿姨",
        ),
        propose(
            "电动自行车充电棚建设",
            "刘洋",
            "environment",
            _at(week + timedelta(days=1), 14, 0, tz),
            urgent=True,
            minutes=20,
        ),
        propose(
            "暑期儿童托管服务评估",
            "陈静",
            "project",
            _at(week + timedelta(days=2), 9, 0, tz),
            minutes=20,
        ),
        propose("广场舞噪音协调", "孙丽华", "other", _at(week + timedelta(days=2), 16, 0, tz)),
        propose(
            "停车位收费标准调整", "李秀兰", "economy", _at(week + timedelta(days=3), 11, 0, tz)
        ),
    ]
    for topic in t[:5]:
        agree(topic, datetime.fromisoformat(topic["proposed_at"]) + timedelta(hours=4))
    topics.reject(
        record,
        t[5],
        people["张建国"],
        "属物业管理范畴，转物业处理",
        datetime.fromisoformat(t[5]["proposed_at"]) + timedelta(hours=2),
    )
    actions.update(
        record, first_action, "已清理3号楼，5号楼本周内完成", _at(day - timedelta(days=2), 8, 0, tz)
    )

    # Two days ahead: the meeting is planned and its agenda built.
    build_at = _at(day - timedelta(days=2), 9, 0, tz)
    meeting, _ = planning.plan(
        record,
        config,
        build_at,
        day=day,
        recorder=people["李秀兰"],
        online="https://meeting.example.cn/xfl",
    )
    agenda.build_agenda(record, config, meeting, build_at)
    agenda_doc = papers.agenda(record, committee.require(record), meetings.current(record, meeting))

    # Leave: one notice in time, one after the start.
    start = meetings.start_of(meeting)
    attendance.file_leave(
        record, config, meeting, people["赵敏"], "带孩子看病", _at(day, 10, 0, tz)
    )
    attendance.file_leave(
        record, config, meeting, people["郑国庆"], "临时加班", start + timedelta(minutes=20)
    )

    # The meeting.
    on_time = [people[n] for n in ("张建国", "李秀兰", "王志强", "陈静", "孙丽华", "周大伟")]
    attendance.sign_in(record, meeting, on_time, late=False, online=False, now=start)
    attendance.sign_in(record, meeting, [people["刘洋"]], late=False, online=True, now=start)
    attendance.sign_in(
        record,
        meeting,
        [people["吴晓梅"]],
        late=True,
        online=False,
        now=start + timedelta(minutes=10),
    )
    attendance.sign_in(record, meeting, [people["黄立新"]], late=False, online=False, now=start)
    attendance.add_guest(record, meeting, "钱阿姨", "7号楼居民代表", start)

    agenda_ids = documents.agenda_of(meetings.current(record, meeting))["topics"]
    by_id = {tp["id"]: tp for tp in t}
    minute = 15

    def step() -> datetime:
        nonlocal minute
        minute += 5
        return start + timedelta(minutes=minute)

    script: dict[int, dict[str, Any]] = {
        t[3]["id"]: dict(
            notes=[
                "充电棚选址拟在3号楼北侧空地，需同步安装烟感与自动断电装置。",
                "费用由社区微更新资金列支，志愿者协助收集居民意见。",
            ],
            yes=["张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华"],
            no=["周大伟"],
            abstain=["吴晓梅"],
            dissent=[("周大伟", "选址离住户窗户过近，建议再比选一处。")],
            decide=[
                (
                    "在3号楼北侧建设电动自行车充电棚，月底前完成选址公示",
                    "王志强",
                    day + timedelta(days=14),
                ),
                ("志愿服务队上门收集住户意见", "孙丽华", None),
            ],
        ),
        t[0]["id"]: dict(
            notes=["低层住户担心采光与噪音，需进一步沟通。"],
            defer=True,
            dissent=[("郑国庆", "建议先做可行性评估再征求意见。")],
        ),
        t[1]["id"]: dict(
            notes=["拟与辖区餐饮企业合作，增加每日供餐至60份。"],
            yes=["张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟", "吴晓梅"],
            no=[],
            abstain=[],
            decide=[
                ("助餐点扩容至每日60份，社工站负责对接餐饮企业", "陈静", day + timedelta(days=30))
            ],
        ),
    }
    for topic_id in agenda_ids:
        plan = script.get(topic_id)
        if plan is None:
            continue
        topic = by_id[topic_id]
        for text in plan.get("notes", []):
            votes.add_note(record, meeting, topic, text, step())
        for who, text in plan.get("dissent", []):
            votes.add_dissent(record, meeting, topic, people[who], text, step())
        if plan.get("defer"):
            votes.vote(
                record,
                config,
                meeting,
                topic,
                counts=(None, None, None),
                named=None,
                method="hands",
                defer=True,
                refer=False,
                now=step(),
            )
        else:
            yes, no, abstain = ([people[n] for n in plan[k]] for k in ("yes", "no", "abstain"))
            votes.vote(
                record,
                config,
                meeting,
                topic,
                counts=(None, None, None),
                named=(yes, no, abstain),
                method="hands",
                defer=False,
                refer=False,
                now=step(),
            )
        for text, owner, due in plan.get("decide", []):
            actions.decide(record, meeting, topic, text, owner=people[owner], due=due, now=step())
    closing.close(record, meeting, "20:35", start + timedelta(minutes=95))
    return {"date": day.isoformat(), "previous": last.isoformat(), "agenda": agenda_doc}
