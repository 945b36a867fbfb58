"""The counting rules of DOMAIN.md driven through the commands, with numbers on the edges."""

from __future__ import annotations

import json

import pytest
from _week import Go, accepted, committee_like_conftest, data, refused


@pytest.fixture(scope="module")
def _committee_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    go = Go(tmp_path_factory.mktemp("committee") / "store.json")
    committee_like_conftest(go)
    return go.path.read_bytes()


@pytest.fixture
def committee(_committee_store: bytes, db, run):  # noqa: ANN001, ANN201
    """conftest's committee, built once for this module and copied into each test's store."""
    db.write_bytes(_committee_store)
    return run


D = "2026-11-25"
AT_START = "2026-11-25T19:00"
DURING = "2026-11-25T19:30"
ALL_9 = ("张建国", "李秀兰", "王志强", "陈静", "刘洋", "赵敏", "孙丽华", "周大伟", "吴晓梅")


def _tenth_member(run) -> None:  # noqa: ANN001
    run("member", "add", "郑国庆", "--side", "volunteer", "--joined", "2026-01-01")


def _minutes(run, *extra: str) -> str:  # noqa: ANN001
    return run("minutes", D, *extra).stdout


def test_quorum_at_exactly_half_of_expected_is_refused(committee, unchanged) -> None:  # noqa: ANN001
    run = committee
    _tenth_member(run)
    topic = accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, *ALL_9[:5], now=AT_START)
    line = refused(run, unchanged, "vote", D, str(topic), "--yes", "5", now=DURING)
    assert "应到 10 人，实到 5 人，至少需要 6 人" in line
    # The non-voting member does not make up the quorum either.
    run("attend", D, "黄立新", now=AT_START)
    refused(run, unchanged, "vote", D, str(topic), "--yes", "5", now=DURING)
    run("attend", D, ALL_9[5], now="2026-11-25T19:05")
    run("vote", D, str(topic), "--yes", "6", now=DURING)
    assert data(run("meeting", "show", D, "--format", "json"))["votes"]["1"]["outcome"] == "passed"


def test_yes_at_exactly_half_of_expected_fails_and_passes_on_votes_cast(committee) -> None:  # noqa: ANN001
    run = committee
    _tenth_member(run)
    first = accepted(run, "助餐点扩容")
    second = accepted(run, "楼道堆物清理")
    run("agenda", "build", D)
    run("attend", D, *ALL_9[:8], now=AT_START)
    votes = ("--yes", "5", "--no", "2", "--abstain", "1")
    failed = run("vote", D, str(first), *votes, now=DURING)
    assert "未通过" in failed.stderr
    run("config", "set", "pass-basis", "cast")
    passed = run("vote", D, str(second), *votes, now=DURING)
    assert "表决结果：通过" in passed.stderr
    text = _minutes(run)
    assert "赞成 5 票，反对 2 票，弃权 1 票（应到人数 10 人，过半数需 6 票），结果：未通过" in text
    assert "赞成 5 票，反对 2 票，弃权 1 票（投票人数 8 人，过半数需 5 票），结果：通过" in text
    english = _minutes(run, "--lang", "en")
    assert "(of 10 members expected, more than half needs 6); result: failed" in english
    assert "(of 8 votes cast, more than half needs 5); result: passed" in english
    assert [t["status"] for t in data(run("topic", "list", "--format", "json"))] == [
        "failed",
        "passed",
    ]


def test_present_basis_counts_against_those_present(committee) -> None:  # noqa: ANN001
    run = committee
    topic = accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, *ALL_9[:6], now=AT_START)
    run("config", "set", "pass-basis", "present")
    run("vote", D, str(topic), "--yes", "4", "--abstain", "2", now=DURING)
    vote = data(run("meeting", "show", D, "--format", "json"))["votes"][str(topic)]
    assert (vote["outcome"], vote["base"], vote["needed"]) == ("passed", 6, 4)


@pytest.mark.parametrize(("yes", "outcome"), [(6, "passed"), (5, "failed")])
def test_two_thirds_threshold_includes_the_number(committee, yes: int, outcome: str) -> None:  # noqa: ANN001
    run = committee
    topic = accepted(run, "修订社区公约")
    run("agenda", "build", D)
    run("attend", D, *ALL_9, now=AT_START)
    run("config", "set", "pass-threshold", "two-thirds")
    run("vote", D, str(topic), "--yes", str(yes), "--no", str(9 - yes), now=DURING)
    vote = data(run("meeting", "show", D, "--format", "json"))["votes"][str(topic)]
    assert (vote["outcome"], vote["needed"], vote["threshold"]) == (outcome, 6, "two-thirds")
    assert "三分之二以上需 6 票" in _minutes(run)


def test_a_major_matter_needs_two_thirds_present(committee, unchanged) -> None:  # noqa: ANN001
    run = committee
    major = accepted(run, "换届选举方案", "刘洋", "--major")
    ordinary = accepted(run, "楼道堆物清理")
    run("agenda", "build", D)
    run("attend", D, *ALL_9[:5], now=AT_START)  # 5 of 9: a quorum, but not two thirds
    line = refused(run, unchanged, "vote", D, str(major), "--yes", "5", now=DURING)
    assert "应到 9 人，实到 5 人，至少需要 6 人" in line
    run("vote", D, str(ordinary), "--yes", "5", now=DURING)
    run("attend", D, ALL_9[5], "--late", now="2026-11-25T19:20")
    run("vote", D, str(major), "--yes", "6", now=DURING)
    topics = {t["id"]: t["status"] for t in data(run("topic", "list", "--format", "json"))}
    assert topics == {major: "passed", ordinary: "passed"}
    assert "【重大事项】" in _minutes(run)


@pytest.mark.parametrize(
    ("deadline", "filed", "excused"),
    [
        ("0", "2026-11-25T18:59", True),
        ("0", "2026-11-25T19:00", False),
        ("0", "2026-11-25T19:01", False),
        ("60", "2026-11-25T17:59", True),
        ("60", "2026-11-25T18:00", False),
        ("60", "2026-11-25T18:01", False),
    ],
)
def test_leave_one_minute_before_or_after_the_deadline(
    committee,  # noqa: ANN001
    deadline: str,
    filed: str,
    excused: bool,
) -> None:
    run = committee
    run("config", "set", "leave-deadline", deadline)
    said = run("leave", "赵敏", D, "--reason", "看病", now=filed).stderr
    assert ("计为请假" in said) is excused and ("计为缺席" in said) is not excused
    run("attend", D, *[n for n in ALL_9 if n != "赵敏"], now=AT_START)
    counts = data(run("meeting", "show", D, "--format", "json"))["counts"]
    assert counts == {
        "expected": 9,
        "present": 8,
        "leave": int(excused),
        "absent": int(not excused),
    }
    text = _minutes(run)
    if excused:
        assert "请假：赵敏（看病）" in text and "缺席：（无）" in text
    else:
        assert "请假：（无）" in text and "缺席：赵敏（请假晚于截止时间：看病）" in text


def test_a_retired_member_is_not_expected_after_leaving(committee) -> None:  # noqa: ANN001
    run = committee
    run("member", "retire", "吴晓梅", "--date", "2026-11-25")  # the last day on the roster
    assert data(run("meeting", "show", D, "--format", "json"))["counts"]["expected"] == 9
    run("meeting", "plan", "2026-12-02")
    counts = data(run("meeting", "show", "2026-12-02", "--format", "json"))["counts"]
    assert counts["expected"] == 8
    listed = [m["name"] for m in data(run("member", "list", "--format", "json"))]
    assert "吴晓梅" in listed  # still on the roster on the 23rd
    later = data(run("member", "list", "--format", "json", now="2026-11-26T09:00"))
    assert "吴晓梅" not in [m["name"] for m in later]
    every = data(run("member", "list", "--all", "--format", "json", now="2026-11-26T09:00"))
    assert [m["retired"] for m in every if m["name"] == "吴晓梅"] == ["2026-11-25"]


def _next_agenda(run) -> dict:  # noqa: ANN001
    run("meeting", "close", D, "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", now="2026-11-26T09:00")
    out = run("agenda", "build", "2026-12-02", "--format", "json", now="2026-11-26T09:00")
    return json.loads(out.stdout)


def test_a_deferred_topic_comes_first_on_the_next_agenda(committee) -> None:  # noqa: ANN001
    run = committee
    deferred = accepted(run, "加装电梯")
    passed = accepted(run, "助餐点扩容")
    run("agenda", "build", D)
    run("attend", D, *ALL_9, now=AT_START)
    run("vote", D, str(deferred), "--defer", now=DURING)
    run("vote", D, str(passed), "--yes", "9", now=DURING)
    run("topic", "add", "旧议题", "--by", "陈静", now="2026-11-21T10:00")
    run("topic", "add", "紧急议题", "--by", "陈静", "--urgent", now="2026-11-25T21:00")
    for topic in ("3", "4"):
        for lead in ("张建国", "陈静", "孙丽华"):
            run("topic", "approve", topic, "--by", lead, now="2026-11-25T21:00")
    doc = _next_agenda(run)
    topics = [(i["id"], i["carried"]) for i in doc["items"] if i["kind"] == "topic"]
    assert topics == [(deferred, 1), (4, 0), (3, 0)]  # carried over, urgent, then oldest
    assert doc["items"][0] == {"kind": "approve-minutes", "minutes": 5, "previous": D}
    text = run("agenda", "build", "2026-12-02", now="2026-11-26T09:00").stdout
    assert "二、【延续议题】加装电梯" in text and "三、【紧急】紧急议题" in text
    assert "表决情况\n      未付表决：主持人决定暂缓，提交下次会议再议" in _minutes(run)


def test_a_close_split_is_deferred_unless_urgent(committee) -> None:  # noqa: ANN001
    run = committee
    close = accepted(run, "加装电梯")
    urgent = accepted(run, "充电棚", "刘洋", "--urgent")
    run("config", "set", "close-margin", "1")
    run("agenda", "build", D)
    run("attend", D, *ALL_9, now=AT_START)
    said = run("vote", D, str(close), "--yes", "5", "--no", "4", now=DURING).stderr
    assert "暂缓" in said
    run("vote", D, str(urgent), "--yes", "5", "--no", "4", now=DURING)
    statuses = {t["id"]: t["status"] for t in data(run("topic", "list", "--format", "json"))}
    assert statuses == {close: "accepted", urgent: "passed"}
    doc = _next_agenda(run)
    assert [i["id"] for i in doc["items"] if i["kind"] == "topic"] == [close]
    assert (
        "赞成 5 票，反对 4 票，弃权 0 票（应到人数 9 人，过半数需 5 票），结果：暂缓"
        in _minutes(run)
    )


def test_topics_that_overflow_the_meeting_wait_for_next_time(committee) -> None:  # noqa: ANN001
    run = committee
    for title, minutes in [("甲", "30"), ("乙", "30"), ("丙", "20"), ("丁", "15"), ("戊", "10")]:
        accepted(run, title, "刘洋", "--minutes", minutes)
    doc = json.loads(run("agenda", "build", D, "--format", "json").stdout)
    # 90 minutes, no opening items at the first meeting: 30 + 30 + 20 + 10 fit, 15 waits.
    assert [i["title"] for i in doc["items"]] == ["甲", "乙", "丙", "戊"]
    assert [w["title"] for w in doc["waiting"]] == ["丁"]
    assert doc["minutes_used"] == 90
    text = run("agenda", "build", D).stdout
    assert "时间所限，待下次会议\n   丁（提出人：刘洋；其他；15 分钟）" in text
    statuses = [t["status"] for t in data(run("topic", "list", "--format", "json"))]
    assert statuses == ["scheduled", "scheduled", "scheduled", "accepted", "scheduled"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_an_agenda_rebuilt_is_byte_for_byte_the_same(committee, unchanged, fmt: str) -> None:  # noqa: ANN001
    run = committee
    run("meeting", "plan", "2026-11-18", now="2026-11-10T09:00")
    first = accepted(run, "甲", "刘洋", "--minutes", "40", at="2026-11-09T10:00")
    run("agenda", "build", "2026-11-18", now="2026-11-10T09:00")
    run("attend", "2026-11-18", *ALL_9, now="2026-11-18T19:00")
    run("vote", "2026-11-18", str(first), "--yes", "9", now="2026-11-18T19:20")
    run("decide", "2026-11-18", str(first), "办理", "--owner", "陈静", now="2026-11-18T19:20")
    run("meeting", "close", "2026-11-18", "--end", "20:00", now="2026-11-18T20:00")
    for title in ("乙", "丙", "丁"):
        accepted(run, title, "刘洋", "--minutes", "40")
    built = run("agenda", "build", D, "--format", fmt).stdout
    check = unchanged()
    again = run("agenda", "build", D, "--format", fmt, now="2026-11-24T12:00").stdout
    assert again == built
    check()
    assert run("agenda", "build", "--next", "--format", fmt).stdout == built
    check()


def test_language_global_and_per_command(committee) -> None:  # noqa: ANN001
    run = committee
    accepted(run, "助餐点扩容")
    assert "Name" in run("--lang", "en", "member", "list").stdout
    assert "姓名" in run("member", "list").stdout
    english = run("agenda", "build", D, "--lang", "en").stdout
    assert "agenda" in english and "proposed by 刘洋" in english
    assert "Agenda" not in run("agenda", "build", D).stdout
    # Figures from the start on (before it the minutes are a draft without them).
    assert "Expected 9" in run("--lang", "en", "minutes", D, now=AT_START).stdout
    assert "Expected 9" in run("minutes", D, "--lang", "en", now=AT_START).stdout
    # Built above already, so the cron-friendly report says it is up to date.
    assert (
        "agenda of 2026-11-25 is already up to date"
        in run("--lang", "en", "agenda", "build", D).stderr
    )


@pytest.mark.parametrize(
    ("env", "args", "lang"),
    [
        ("zh_CN.UTF-8", (), "zh"),
        ("zh_TW", (), "zh"),
        ("en_US.UTF-8", (), "en"),
        ("C.UTF-8", (), "en"),
        ("", (), "en"),
        ("zh_CN.UTF-8", ("--lang", "en"), "en"),
        ("C", ("--lang", "zh"), "zh"),
    ],
)
def test_the_committee_language_comes_from_lang_at_init(
    run,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
    env: str,
    args: tuple[str, ...],
    lang: str,
) -> None:
    monkeypatch.setenv("LANG", env)
    # A name that is not Chinese: a Chinese one makes a Chinese committee whatever LANG says
    # (tests/test_first_hour.py).
    run("init", "Committee", *args)
    assert data(run("config", "show", "--format", "json"))["settings"]["lang"] == lang


def test_global_lang_at_init_sets_the_committee_language(run, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    run("--lang", "en", "init", "Committee")
    assert data(run("config", "show", "--format", "json"))["settings"]["lang"] == "en"
    monkeypatch.setenv("LANG", "C")
    assert "Name" in run("member", "list").stdout  # the committee's language, not LANG


def test_config_set_saves_and_confirms(committee) -> None:  # noqa: ANN001
    run = committee
    said = run("config", "set", "pass-basis", "cast").stderr
    assert said.strip() == "已设置 pass-basis = 投票人数"
    assert data(run("config", "show", "--format", "json"))["settings"]["pass-basis"] == "cast"
