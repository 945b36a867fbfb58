"""The minutes hold every part DOMAIN.md lists, in order, in both languages; never a phone
number; user text printed verbatim in every format."""

from __future__ import annotations

import json

import pytest
from _week import Go, accepted, committee_like_conftest, data
from _whole import whole_bytes

D = "2026-11-25"
NAME = "[bold]王[/]"
TITLE = "[red]议题[/red] <b>x</b>"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A meeting with every part: leave in time and late, late and online arrivals, a guest,
    notes, a vote by names, dissent (spoken and written), decisions with and without owner
    and due date, a follow-up of an earlier decision, adjournment. Built once per module."""
    run = Go(tmp_path_factory.mktemp("minutes") / "store.json")
    committee_like_conftest(run)
    run(
        "member",
        "add",
        NAME,
        "--side",
        "志愿者",
        "--phone",
        "13912345678",
        "--joined",
        "2026-01-01",
    )
    run("member", "edit", "刘洋", "--phone", "13800001111")
    # an earlier meeting with a decision still open
    run("meeting", "plan", "2026-11-18", "--recorder", "李秀兰", now="2026-11-10T09:00")
    old = accepted(run, "楼道堆物清理", at="2026-11-09T10:00")
    run("agenda", "build", "2026-11-18", now="2026-11-10T09:00")
    run(
        "attend",
        "2026-11-18",
        "张建国",
        "陈静",
        "孙丽华",
        "刘洋",
        "赵敏",
        "周大伟",
        now="2026-11-18T19:00",
    )
    run("vote", "2026-11-18", str(old), "--yes", "6", now="2026-11-18T19:10")
    run(
        "decide",
        "2026-11-18",
        str(old),
        "每周巡查一次",
        "--owner",
        NAME,
        "--due",
        "2026-11-30",
        now="2026-11-18T19:10",
    )
    run("meeting", "close", "2026-11-18", "--end", "20:00", now="2026-11-18T20:00")
    run("action", "update", "1", "--note", "已清理3号楼", now="2026-11-22T10:00")
    first = accepted(
        run, TITLE, NAME, "--for", "钱阿姨", "--category", "福利保障", "--detail", "每日限供40份"
    )
    second = accepted(run, "加装电梯", "王志强")
    run("agenda", "build", D)
    run("leave", "赵敏", D, "--reason", "带孩子看病", now="2026-11-24T10:00")
    run("leave", "吴晓梅", D, "--reason", "临时加班", now="2026-11-25T19:05")
    run("attend", D, "张建国", "李秀兰", "王志强", "陈静", "孙丽华", NAME, now="2026-11-25T19:00")
    run("attend", D, "刘洋", "--online", now="2026-11-25T19:00")
    run("attend", D, "周大伟", "--late", now="2026-11-25T19:12")
    run("attend", D, "黄立新", now="2026-11-25T19:00")
    run("guest", D, "钱阿姨", "--org", "7号楼居民代表")
    run("note", D, str(first), "拟与辖区餐饮企业合作")
    yes = f"张建国,李秀兰,王志强,陈静,刘洋,{NAME}"
    run("vote", D, str(first), "--method", "roll-call", "--yes-by", yes, "--no-by", "周大伟",
        "--abstain-by", "孙丽华", now="2026-11-25T19:30")  # fmt: skip
    run("dissent", D, str(first), "周大伟", "担心资金不足")
    run("dissent", D, str(first), "吴晓梅", "建议先试点")
    run("decide", D, str(first), "扩容至每日60份", "--owner", "陈静", "--due", "2026-12-31")
    run("decide", D, str(first), "志愿者上门收集意见")
    run("vote", D, str(second), "--defer", now="2026-11-25T19:50")
    run("meeting", "close", D, "--end", "20:35", now="2026-11-25T20:40")
    return whole_bytes(run.path)


@pytest.fixture
def week(template: bytes, db, run):  # noqa: ANN001, ANN201
    db.write_bytes(template)
    return run


ZH_PARTS = [
    "幸福里社区三工联席会议记录",
    "（2026年第2次）",
    "时间：2026年11月25日（星期三）19:00—20:35",
    "地点：党群服务中心",
    "主持人：张建国",
    "记录人：李秀兰",
    "应到 10 人，实到 8 人，请假 1 人，缺席 1 人",
    f"实到：张建国、李秀兰、王志强、陈静、刘洋（线上）、孙丽华、周大伟（迟到）、{NAME}",
    "请假：赵敏（带孩子看病）",
    "缺席：吴晓梅（请假晚于截止时间：临时加班）",
    "列席：黄立新（街道办）、钱阿姨（7号楼居民代表）",
    "一、审议上次会议（2026年11月18日）纪要",
    "上次会议纪要尚未审定。",
    "二、上次议定事项落实情况",
    f"1. 每周巡查一次（责任人：{NAME}；时限：2026年11月30日），办理中；最新进展：已清理3号楼",
    f"三、{TITLE}（提出人：{NAME}，代居民 钱阿姨 提出；福利保障）",
    "每日限供40份",
    "（一）讨论要点",
    "1. 拟与辖区餐饮企业合作",
    "（二）表决情况",
    "唱名表决，赞成 6 票，反对 1 票，弃权 1 票（应到人数 10 人，过半数需 6 票），结果：通过",
    f"赞成：张建国、李秀兰、王志强、陈静、刘洋、{NAME}",
    "反对：周大伟",
    "弃权：孙丽华",
    "（三）决定事项",
    "1. 扩容至每日60份（责任人：陈静；时限：2026年12月31日）",
    "2. 志愿者上门收集意见（责任人：待定；时限：待定）",
    "（四）不同意见",
    "周大伟：担心资金不足",
    "吴晓梅（书面意见）：建议先试点",
    "四、加装电梯（提出人：王志强；其他）",
    "（一）表决情况",
    "未付表决：主持人决定暂缓，提交下次会议再议",
    "议定事项",
    "1. 扩容至每日60份（责任人：陈静；时限：2026年12月31日）",
    "2. 志愿者上门收集意见（责任人：待定；时限：待定）",
    "散会：20:35",
    "主持人（签字）：________    记录人（签字）：________",
]

EN_PARTS = [
    "幸福里社区三工联席会议: record of the meeting",
    "(meeting 2 of 2026)",
    "Time: Wednesday 25 November 2026, 19:00—20:35",
    "Chair: 张建国",
    "Recorder: 李秀兰",
    "Expected 10, present 8, on leave 1, absent 1",
    "刘洋 (online)",
    "周大伟 (late)",
    "On leave: 赵敏 (带孩子看病)",
    "Absent: 吴晓梅 (leave notice too late: 临时加班)",
    "Attending (non-voting): 黄立新 (街道办), 钱阿姨 (7号楼居民代表)",
    "Approval of the minutes of 18 November 2026",
    "The minutes of the previous meeting are not yet approved.",
    "Follow-up of earlier decisions",
    f"{TITLE} (proposed by {NAME}, on behalf of resident 钱阿姨; welfare)",
    "(a) Discussion",
    "Roll call: yes 6, no 1, abstain 1 (of 10 members expected, more than half needs 6); "
    "result: passed",
    "No: 周大伟",
    "1. 扩容至每日60份 (owner: 陈静; due: 31 December 2026)",
    "2. 志愿者上门收集意见 (owner: to be set; due: to be set)",
    "(d) Dissent",
    "吴晓梅 (in writing): 建议先试点",
    "Not put to the vote: the chair deferred it to the next meeting",
    "Decisions",
    "Adjourned: 20:35",
    "Chair (signature): ________    Recorder (signature): ________",
]


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"missing or out of order: {part!r}"
        at = found + len(part)


def test_chinese_minutes_hold_every_part_in_order(week) -> None:  # noqa: ANN001
    _in_order(week("minutes", D).stdout, ZH_PARTS)


def test_english_minutes_hold_every_part_in_order(week) -> None:  # noqa: ANN001
    _in_order(week("minutes", D, "--lang", "en").stdout, EN_PARTS)
    _in_order(week("--lang", "en", "minutes", D).stdout, EN_PARTS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_minutes_hold_the_same_parts(week, lang: str) -> None:  # noqa: ANN001
    from test_hostile_text import rendered_text

    text = week("minutes", D, "--format", "markdown", "--lang", lang).stdout
    assert text.startswith("# 幸福里社区三工联席会议")
    shown = rendered_text(text)
    for part in (ZH_PARTS if lang == "zh" else EN_PARTS)[6:]:
        said = part.split("：")[-1].split(": ")[-1]
        assert said.removeprefix("1. ").removeprefix("2. ") in shown, part


def test_json_minutes_follow_the_contract(week) -> None:  # noqa: ANN001
    doc = data(week("minutes", D, "--format", "json"))
    assert list(doc) == [
        "meeting",
        "attendance",
        "attendees",
        "items",
        "decisions",
        "follow_up",
        "adjourned",
        "approved_at",
        "approved_by",
        "amendments",
        "draft",
    ]
    att = doc["attendance"]
    assert (att["expected"], att["present"], att["leave"], att["absent"]) == (10, 8, 1, 1)
    assert att["leave_members"][0]["reason"] == "带孩子看病"
    assert [i["kind"] for i in doc["items"]] == ["approve-minutes", "follow-up", "topic", "topic"]
    topic = doc["items"][2]
    assert topic["title"] == TITLE and topic["proposer"]["name"] == NAME
    assert [d["owner"] for d in topic["decisions"]][1] is None
    assert topic["decisions"][1]["due"] is None
    assert [d["name"] for d in topic["dissent"]] == ["周大伟", "吴晓梅"]
    assert doc["follow_up"][0]["owner"]["name"] == NAME
    assert doc["adjourned"] == "2026-11-25T20:35:00+08:00"


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_phone_number_in_minutes_or_agenda(week, fmt: str, lang: str) -> None:  # noqa: ANN001
    minutes = week("minutes", D, "--format", fmt, "--lang", lang).stdout
    week("meeting", "plan", "2026-12-02", now="2026-11-26T09:00")
    agenda = week(
        "agenda", "build", "--next", "--format", fmt, "--lang", lang, now="2026-11-26T09:00"
    ).stdout
    for text in (minutes, agenda):
        assert "13912345678" not in text and "13800001111" not in text
        assert "phone" not in text
    # the phone is kept on the roster
    assert data(week("member", "show", "刘洋", "--format", "json"))["phone"] == "13800001111"


def test_user_text_is_shown_verbatim_everywhere(week) -> None:  # noqa: ANN001
    for args in (
        ("member", "list"),
        ("member", "show", NAME),
        ("topic", "list"),
        ("topic", "show", "2"),
        ("meeting", "show", D),
        ("action", "list"),
        ("minutes", D),
        ("minutes", D, "--format", "markdown"),
        ("minutes", D, "--lang", "en"),
    ):
        out = week(*args).stdout
        if "markdown" in args:
            from test_hostile_text import rendered_text

            out = rendered_text(out)
        assert NAME in out, args
        assert "\x1b" not in out
    assert (
        TITLE in week("topic", "list").stdout or "[red]议题[/red]" in week("topic", "list").stdout
    )
    raw = week("minutes", D, "--format", "json").stdout
    assert json.dumps(NAME, ensure_ascii=False) in raw
    members = data(week("member", "list", "--format", "json"))
    assert NAME in [m["name"] for m in members]


def test_control_characters_in_user_text_are_escaped(committee) -> None:  # noqa: ANN001
    run = committee
    run("member", "add", "恶意\x1b[31m名字\n第二行", "--side", "cadre")
    out = run("member", "list").stdout
    assert "\x1b" not in out and "恶意\\x1b[31m名字\\x0a第二行" in out


def test_official_layout_puts_attendance_after_the_body(week) -> None:  # noqa: ANN001
    text = week("minutes", D, "--layout", "official").stdout
    body = text.index("议定事项")
    for line in ("出席：", "请假：赵敏", "缺席：", "列席："):
        assert text.index("\n" + line) > body, line
    assert text.index("散会") > text.index("\n列席：")
    assert "实到：" not in text
    record = week("minutes", D).stdout
    assert record.index("\n实到：") < record.index("议定事项")


def test_markdown_numbered_points_are_an_ordered_list(week) -> None:  # noqa: ANN001
    text = week("minutes", D, "--format", "markdown").stdout
    assert "- 1. " not in text
    assert "\n  1. " in text or "\n1. " in text


def test_bad_layout_is_refused(week) -> None:  # noqa: ANN001
    result = week("minutes", D, "--layout", "fancy", ok=False)
    assert result.exit_code == 2
    assert "会议记录、纪要" in result.stderr
