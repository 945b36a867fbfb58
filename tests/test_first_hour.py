"""The first hour of a new user: the demo, init, the first reads and the first members."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _week import refused


def test_demo_has_a_store_of_its_own(run, db: Path, tmp_path: Path) -> None:
    result = run("demo")
    demo = tmp_path / "xdg" / "sanjian" / "demo.json"
    assert demo.exists()
    assert not db.exists(), "the demo wrote into the user's store"
    # The commands it suggests name the demo's store, so they work as printed.
    assert f"sanjian --db {demo} member list" in result.stdout
    # The user's own committee starts afterwards, on the default store, without a word.
    run("init", "我的社区三工联席会议")
    assert json.loads(run("config", "show", "--format", "json").stdout)["name"] == (
        "我的社区三工联席会议"
    )


def test_demo_goes_where_db_says(run, tmp_path: Path) -> None:
    target = tmp_path / "试用.json"
    run("--db", str(target), "demo")
    assert target.exists()
    assert not (tmp_path / "xdg" / "sanjian" / "demo.json").exists()
    run("demo", "--db", str(tmp_path / "other.json"))
    assert (tmp_path / "other.json").exists()


def test_demo_never_overwrites_a_real_committee(run, unchanged, db: Path) -> None:
    run("init", "幸福里社区三工联席会议")
    line = refused(run, unchanged, "--db", str(db), "demo")
    assert str(db) in line


def test_init_over_a_committee_says_where_and_how_to_start_another(run, unchanged, db) -> None:
    run("init", "幸福里社区三工联席会议")
    line = refused(run, unchanged, "init", "我的社区三工联席会议")
    assert str(db) in line
    assert "幸福里社区三工联席会议" in line
    assert "sanjian --db 新文件.json init 我的社区三工联席会议" in line
    assert "SANJIAN_DB" in line


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("我的社区三工联席会议", [], "zh"),  # a Chinese name on a C.UTF-8 server
        ("Sunrise Street joint meeting", [], "en"),
        ("我的社区三工联席会议", ["--lang", "en"], "en"),  # told otherwise
        ("Sunrise 社区", [], "zh"),
    ],
)
def test_init_language_follows_a_chinese_name(run, monkeypatch, name, args, expected) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = run("init", name, *args)
    assert json.loads(run("config", "show", "--format", "json").stdout)["settings"]["lang"] == (
        expected
    )
    assert result.stderr.startswith("已创建" if expected == "zh" else "created")


def test_init_language_on_a_chinese_locale_stays_chinese(run, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    run("init", "Sunrise Street joint meeting")
    assert json.loads(run("config", "show", "--format", "json").stdout)["settings"]["lang"] == "zh"


def test_a_read_of_a_missing_store_creates_nothing(run, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    store = folder / "none.json"
    monkeypatch.setenv("SANJIAN_DB", str(store))
    for args in (
        ["member", "list"],
        ["topic", "list"],
        ["member", "show", "3"],  # fails: its line asks the (missing) store for a language
        ["report", "attendance"],
        ["config", "show"],
    ):
        result = run(*args, ok=False)
        assert result.exit_code == 1, args
    assert list(folder.iterdir()) == []
    missing = tmp_path / "nowhere" / "none.json"
    run("--db", str(missing), "member", "list", ok=False)
    assert not missing.parent.exists()


def test_a_member_not_yet_joined_is_refused_with_the_joining_day(committee, unchanged) -> None:
    run = committee
    run("member", "add", "郑红", "--side", "志愿者", "--joined", "2026-12-01")
    line = refused(run, unchanged, "attend", "2026-11-25", "郑红", now="2026-11-25T19:00")
    assert line == "sanjian: 郑红 于 2026-12-01 加入，2026-11-25 时尚未加入"
    line = refused(run, unchanged, "topic", "add", "楼道照明", "--by", "郑红")
    assert "于 2026-12-01 加入" in line and "已于" not in line
    line = refused(run, unchanged, "meeting", "plan", "2026-11-25", "--recorder", "郑红")
    assert "于 2026-12-01 加入" in line
    line = refused(run, unchanged, "--lang", "en", "topic", "add", "Lights", "--by", "郑红")
    assert line == "sanjian: 郑红 joins the committee on 2026-12-01, after 2026-11-23"


def test_a_member_who_left_is_still_refused_with_the_day_they_left(committee, unchanged) -> None:
    run = committee
    run("member", "retire", "周大伟", "--date", "2026-11-20")
    line = refused(run, unchanged, "topic", "add", "楼道照明", "--by", "周大伟")
    assert line == "sanjian: 周大伟 已于 2026-11-20 离任"


def test_config_show_labels_the_committee_name(committee) -> None:
    text = committee("config", "show").stdout
    assert "联席会议名称" in text
    assert "姓名" not in text
    assert "Committee" in committee("--lang", "en", "config", "show").stdout


def test_topic_show_has_a_major_matter_row(committee) -> None:
    run = committee
    run("topic", "add", "社区换届方案", "--by", "刘洋", "--major")
    run("topic", "add", "楼道照明", "--by", "刘洋")
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in run("topic", "show", "1").stdout.splitlines()
        if line.count("│") == 3
    }
    assert rows["重大事项"] == "是"
    assert "重大事项" in run("topic", "show", "2").stdout
    assert "│ 否" in run("topic", "show", "2").stdout.split("重大事项")[1].splitlines()[0]


def _new_committee_with_a_topic(run, created: str, proposed: str) -> None:  # noqa: ANN001
    run("init", "幸福里社区三工联席会议", "--lang", "zh", now=created)
    for name, side in (("张建国", "政工"), ("陈静", "社工"), ("孙丽华", "志愿者")):
        run("member", "add", name, "--side", side, "--lead", "--joined", created[:10], now=created)
    run("topic", "add", "助餐点扩容", "--by", "陈静", now=proposed)
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead, now=proposed)


def test_the_first_meeting_takes_topics_of_a_committee_set_up_after_its_deadline(run) -> None:
    # Set up on Tuesday 12-01: collection for Wednesday's meeting closed on Monday 19:00,
    # before the committee existed, so it closed nothing.
    _new_committee_with_a_topic(run, "2026-12-01T10:00", "2026-12-01T10:30")
    doc = data_of(run("agenda", "build", "--next", "--format", "json", now="2026-12-01T11:00"))
    assert doc["meeting"]["date"] == "2026-12-02"
    assert [i["title"] for i in doc["items"] if i["kind"] == "topic"] == ["助餐点扩容"]
    assert doc["late"] == []


def test_a_committee_set_up_before_the_deadline_keeps_it(run) -> None:
    _new_committee_with_a_topic(run, "2026-11-30T10:00", "2026-12-01T10:30")
    doc = data_of(run("agenda", "build", "--next", "--format", "json", now="2026-12-01T11:00"))
    assert [t["title"] for t in doc["late"]] == ["助餐点扩容"]


def data_of(result) -> dict:  # noqa: ANN001
    return json.loads(result.stdout)
