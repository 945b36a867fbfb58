"""What the papers say, in Chinese and English, read as a secretary would before filing
them: titles, dates in words, the meeting's number, how each topic was settled, the review
of the last minutes, the follow-up, the online link, the 落款, the 公示期, a cancellation."""

from __future__ import annotations

import json
import re

import pytest
from _papers import AFTER, LINK, D, build_week
from _week import Go
from _whole import whole_bytes

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AN_ID = re.compile(r"#\d")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    go = Go(tmp_path_factory.mktemp("words") / "store.json")
    build_week(go)
    go("meeting", "plan", "2026-12-02", "--recorder", "李秀兰", now=AFTER)
    go("agenda", "build", "2026-12-02", now=AFTER)
    return whole_bytes(go.path)


@pytest.fixture
def week(template: bytes, db, run):  # noqa: ANN001, ANN201
    db.write_bytes(template)
    return run


def _paper(week, *args: str, lang: str = "zh", fmt: str = "text") -> str:  # noqa: ANN001
    return week(*args, "--format", fmt, "--lang", lang, now=AFTER).stdout


PAPERS = [
    ("minutes", D),
    ("minutes", D, "--layout", "official"),
    ("agenda", "build", "2026-12-02"),
    ("notice", "2026-12-02"),
    ("publish", D),
    ("signin-sheet", "2026-12-02"),
    ("report", "summary", "--year", "2026"),
]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_ids_and_no_iso_dates_on_any_paper(week, lang: str, fmt: str) -> None:
    for args in PAPERS:
        text = _paper(week, *args, lang=lang, fmt=fmt)
        assert not AN_ID.search(text), (args, AN_ID.search(text))
        assert not ISO_DATE.search(text), (args, ISO_DATE.search(text))
    # the ids and ISO dates stay where a program reads them
    doc = json.loads(_paper(week, "minutes", D, fmt="json"))
    assert doc["decisions"][0]["id"] and doc["meeting"]["date"] == D


def test_the_two_layouts_have_their_own_titles(week) -> None:
    assert _paper(week, "minutes", D).startswith("幸福里社区三工联席会议记录\n")
    official = _paper(week, "minutes", D, "--layout", "official")
    assert official.startswith("幸福里社区三工联席会议纪要\n")
    assert _paper(week, "minutes", D, lang="en").startswith(
        "幸福里社区三工联席会议: record of the meeting\n"
    )
    english = _paper(week, "minutes", D, "--layout", "official", lang="en")
    assert english.startswith("幸福里社区三工联席会议: minutes\n")


def test_a_committee_not_named_meeting_gets_the_word(run) -> None:
    run("init", "幸福里三工联动", "--lang", "zh")
    run("meeting", "plan", "2026-11-25")
    text = run("agenda", "build", "2026-11-25").stdout
    assert text.startswith("幸福里三工联动会议议程\n")  # never 会议会议 either


def test_the_meeting_number_in_its_year(week) -> None:
    for args in (("minutes", D), ("publish", D)):
        assert "2026年第2次" in _paper(week, *args), args
    for args in (("agenda", "build", "2026-12-02"), ("notice", "2026-12-02")):
        assert "2026年第3次" in _paper(week, *args), args
    assert "(meeting 2 of 2026)" in _paper(week, "minutes", D, lang="en")
    assert "joint meeting no. 3 of 2026" in _paper(week, "notice", "2026-12-02", lang="en")
    assert "meeting no. 2 of 2026" in _paper(week, "publish", D, lang="en")
    # a skipped week is no meeting of the year: the one after it keeps its number
    week("meeting", "skip", "2026-12-09", "--reason", "街道统一活动", now=AFTER)
    assert "2026年第4次" in _paper(week, "notice", "2026-12-16")
    doc = json.loads(_paper(week, "minutes", D, fmt="json"))
    assert doc["meeting"]["number"] == {"year": 2026, "n": 2}


def test_how_each_topic_was_settled(week) -> None:
    text = _paper(week, "minutes", D)
    assert "唱名表决，赞成 6 票，反对 1 票，弃权 1 票" in text and "口头表决" not in text
    assert "无记名投票，赞成 7 票，反对 1 票，弃权 0 票" in text
    assert "未付表决：主持人决定暂缓，提交下次会议再议" in text
    assert "未付表决：主持人决定报上级研究决定" in text
    assert "举手表决：主持人" not in text  # no show of hands took place
    assert "社区花园认领" in text and "未表决，转下次会议审议" in text
    english = _paper(week, "minutes", D, lang="en")
    for said in ("Roll call: yes 6, no 1, abstain 1", "Secret ballot: yes 7, no 1, abstain 0",
                 "Not put to the vote: the chair deferred it to the next meeting",
                 "Not put to the vote: the chair referred it to the higher level",
                 "Not voted on; it goes to the next meeting"):  # fmt: skip
        assert said in english, said


def test_a_deferral_by_count_says_it_comes_back(run) -> None:
    from _week import accepted, found_committee

    found_committee(run)
    run("config", "set", "close-margin", "1")
    topic = accepted(run, "助餐点扩容")
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", "张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华",
        now="2026-11-25T19:00")  # fmt: skip
    run("vote", "2026-11-25", str(topic), "--yes", "3", "--no", "3", now="2026-11-25T19:10")
    text = run("minutes", "2026-11-25").stdout
    assert "结果：暂缓，提交下次会议再议" in text


def test_the_review_of_the_last_minutes_shows_its_result(week) -> None:
    text = _paper(week, "minutes", D)
    assert "一、审议上次会议（2026年11月18日）纪要\n   上次会议纪要经本次会议审议通过。" in text
    english = _paper(week, "minutes", D, lang="en")
    assert "The minutes of the previous meeting were approved at this meeting." in english
    # on the agenda it is an item to do, with no result yet
    assert "审议通过" not in _paper(week, "agenda", "build", "2026-12-02")


def test_the_review_when_approved_before_or_not_at_all(week) -> None:
    from sanjian_cli.render.papers import minutes

    doc = json.loads(_paper(week, "minutes", D, fmt="json"))
    item = doc["items"][0]
    assert item["kind"] == "approve-minutes" and item["review"]["result"] == "approved"
    item["review"] = {"result": "earlier", "on": "2026-11-20"}
    assert "上次会议纪要已于2026年11月20日审定。" in minutes(doc, "zh")
    item["review"] = {"result": "pending", "on": None}
    assert "上次会议纪要尚未审定。" in minutes(doc, "zh")


def test_the_follow_up_is_printed_once_with_what_was_done_since(week) -> None:
    text = _paper(week, "minutes", D)
    assert text.count("上次议定事项落实情况") == 1
    section = text.split("二、上次议定事项落实情况")[1].split("三、")[0]
    assert "1. 每周巡查一次（责任人：周大伟；时限：2026年11月30日），办理中" in section
    # done two days after the last meeting, before this week's agenda was built
    assert (
        "2. 张贴清理通知（责任人：李秀兰；时限：2026年11月20日），已于2026年11月20日办结" in section
    )
    doc = json.loads(_paper(week, "minutes", D, fmt="json"))
    assert [a["status"] for a in doc["follow_up"]] == ["open", "done"]
    english = _paper(week, "minutes", D, lang="en")
    assert english.count("Follow-up of earlier decisions") == 1
    assert "done on 20 November 2026" in english


def test_the_online_link_is_on_the_notice_not_in_the_minutes(week) -> None:
    notice = _paper(week, "notice", "2026-12-02")
    assert f"线上链接：{LINK}" in notice
    for layout in ("record", "official"):
        for fmt in ("text", "markdown"):
            minutes = _paper(week, "minutes", D, "--layout", layout, fmt=fmt)
            assert "meet.example" not in minutes, (layout, fmt)
            assert "地点：党群服务中心（线上线下同步进行）" in minutes
    assert "Place: 党群服务中心 (also online)" in _paper(week, "minutes", D, lang="en")


def test_notice_and_public_notice_end_with_who_issues_them_and_when(week) -> None:
    for args in (("notice", "2026-12-02"), ("publish", D)):
        text = _paper(week, *args)
        assert text.endswith("\n\n幸福里社区三工联席会议\n2026年11月26日\n"), args
        english = _paper(week, *args, lang="en")
        assert english.endswith("\n\n幸福里社区三工联席会议\n26 November 2026\n"), args


def test_the_public_notice_states_its_period(week) -> None:
    text = _paper(week, "publish", D)
    assert "公示期：2026年11月26日至2026年12月2日（7 天）。" in text
    week("config", "set", "publish-days", "10", now=AFTER)
    text = _paper(week, "publish", D)
    assert "公示期：2026年11月26日至2026年12月5日（10 天）。" in text
    assert "Open for comment: 26 November 2026 to 5 December 2026 (10 days)." in _paper(
        week, "publish", D, lang="en"
    )
    doc = json.loads(_paper(week, "publish", D, fmt="json"))
    assert doc["period"] == {"from": "2026-11-26", "to": "2026-12-05", "days": 10}
    bad = week("config", "set", "publish-days", "0", ok=False)
    assert bad.exit_code == 2


def test_a_cancellation_names_the_next_meeting(week) -> None:
    week("meeting", "skip", "2026-12-09", "--reason", "街道统一活动", now=AFTER)
    text = _paper(week, "notice", "2026-12-09")
    assert text.startswith("幸福里社区三工联席会议取消通知\n")
    assert (
        "原定于 2026年12月9日（星期三）19:00—20:30 召开的联席会议取消。原因：街道统一活动。" in text
    )
    assert "下次会议定于 2026年12月16日（星期三）19:00 召开。" in text
    assert text.endswith("幸福里社区三工联席会议\n2026年11月26日\n")
    english = _paper(week, "notice", "2026-12-09", lang="en")
    assert "The next meeting is on Wednesday 16 December 2026, 19:00." in english


def test_dates_in_words_in_both_languages(week) -> None:
    zh = _paper(week, "minutes", D)
    assert "时限：2026年12月31日" in zh and "时限：待定" in zh
    en = _paper(week, "minutes", D, lang="en")
    assert "due: 31 December 2026" in en and "Wednesday 25 November 2026, 19:00—20:35" in en
    summary = _paper(week, "report", "summary", "--year", "2026")
    assert summary.splitlines()[:3] == ["幸福里社区三工联席会议工作统计", "=" * 30, "（2026年度）"]
