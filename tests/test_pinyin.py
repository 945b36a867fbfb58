"""Members named by pinyin: `zjg` or `zhangjianguo` for 张建国, wherever a member is named,
when it fits exactly one current member; the surnames pypinyin reads wrong read right."""

from __future__ import annotations

import json

import pytest
from _week import data, refused

from sanjian_cli.domain import pinyin

D = "2026-11-25"


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张建国", "zhangjianguo", "zjg"),
        ("曾志伟", "zengzhiwei", "zzw"),
        ("单田芳", "shantianfang", "stf"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("朴志成", "piaozhicheng", "pzc"),
        ("区华", "ouhua", "oh"),
        ("翟天临", "zhaitianlin", "ztl"),
        ("查良镛", "zhaliangyong", "zly"),
        ("覃海", "qinhai", "qh"),
        ("盖聂", "genie", "gn"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟雅", "moqiya", "mqy"),
        ("乐嘉", "yuejia", "yj"),
        ("吕布", "lvbu", "lb"),
        ("Tom", "tom", "t"),
    ],
)
def test_pinyin_of_names_with_surnames_read_as_surnames(name, full, initials) -> None:
    assert pinyin.keys(pinyin.syllables(name)) == (full, initials)


def test_pinyin_is_stored_on_the_member_when_added_and_edited(committee) -> None:
    committee("member", "add", "曾乐", "--side", "社工")
    shown = {m["name"]: m for m in _docs(committee)}
    assert shown["曾乐"]["pinyin"] == ["zeng", "le"]
    committee("member", "edit", "曾乐", "--name", "单乐")
    assert {m["name"]: m for m in _docs(committee)}["单乐"]["pinyin"] == ["shan", "le"]


def test_a_meeting_recorded_with_pinyin_initials(committee) -> None:
    committee("attend", D, "zjg", "cj", "zhangjianguo", "LXL", now="2026-11-25T19:00")
    meeting = data(committee("meeting", "show", D, "--format", "json"))
    assert set(meeting["attendance"]) == {"1", "4", "2"}
    said = committee("leave", "wxm", D, "--reason", "出差", now="2026-11-24T10:00").stderr
    assert "吴晓梅" in said


def test_pinyin_works_wherever_a_member_is_named(committee) -> None:
    committee("topic", "add", "楼道灯更换", "--by", "ly", now="2026-11-20T10:00")
    for lead in ("zjg", "chenjing", "slh"):
        committee("topic", "approve", "1", "--by", lead)
    assert data(committee("topic", "show", "1", "--format", "json"))["status"] == "accepted"
    assert data(committee("member", "show", "hlx", "--format", "json"))["name"] == "黄立新"


def test_two_members_with_the_same_initials_are_refused_listing_both(committee, unchanged):
    committee("member", "add", "张俊光", "--side", "志愿者")
    line = refused(committee, unchanged, "attend", D, "zjg", now="2026-11-25T19:00")
    assert "拼音“zjg”对应多名成员" in line
    assert "#1 张建国（政工）" in line and "#11 张俊光（志愿者）" in line
    # the full pinyin still tells them apart
    committee("attend", D, "zhangjunguang", now="2026-11-25T19:00")


def test_a_retired_member_does_not_make_pinyin_ambiguous(committee) -> None:
    committee("member", "add", "张俊光", "--side", "志愿者")
    committee("member", "retire", "张俊光")
    assert data(committee("member", "show", "zjg", "--format", "json"))["name"] == "张建国"


def test_a_name_is_matched_before_pinyin_and_unknown_pinyin_is_not_found(
    committee, unchanged
) -> None:
    committee("member", "add", "Amy", "--side", "社工")
    assert data(committee("member", "show", "Amy", "--format", "json"))["name"] == "Amy"
    line = refused(committee, unchanged, "member", "show", "xyz")
    assert "找不到成员：xyz" in line


def test_members_of_an_older_store_resolve_and_get_their_pinyin_on_the_next_change(
    committee, db
) -> None:
    raw = json.loads(db.read_text(encoding="utf-8"))
    for doc in raw["members"].values():
        doc.pop("pinyin", None)
    db.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    # A store written before pinyin was kept; the edit standing in for it is accepted first,
    # as a real older store's history needs no acceptance.
    committee("doctor", "--accept-edits", "--reason", "较早版本的记录")
    assert data(committee("member", "show", "zjg", "--format", "json"))["name"] == "张建国"
    committee("member", "add", "冯雪", "--side", "社工")
    assert all(isinstance(m.get("pinyin"), list) for m in _docs(committee))


def _docs(run) -> list[dict]:
    from sanjian_cli.completion import default_path

    raw = json.loads(default_path().read_text(encoding="utf-8"))
    return list(raw["members"].values())
