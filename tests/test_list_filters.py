"""`topic list` by keyword, category and period; `action list --owner` and its period;
`meeting list --year`: the same option names as the reports."""

from __future__ import annotations

import pytest
from _week import PRESENT_7, accepted, data, refused


@pytest.fixture
def listed(committee):  # noqa: ANN001, ANN201
    run = committee
    run("member", "add", "老会员", "--side", "社工", "--joined", "2025-01-01")
    run("topic", "add", "助餐点扩容", "--by", "老会员", "--category", "welfare",
        "--detail", "拟与辖区餐饮企业合作", now="2025-12-20T10:00")  # fmt: skip
    run(
        "topic",
        "add",
        "楼道堆物清理",
        "--by",
        "周大伟",
        "--category",
        "环境",
        now="2026-01-05T10:00",
    )
    run("topic", "add", "加装电梯", "--by", "刘洋", "--for", "钱阿姨（助餐点旁）",
        "--category", "welfare", now="2026-11-20T10:00")  # fmt: skip
    first = accepted(run, "电动车充电棚", "刘洋", "--category", "environment")
    run("agenda", "build", "2026-11-25")
    run("attend", "2026-11-25", *PRESENT_7, now="2026-11-25T19:00")
    run("vote", "2026-11-25", str(first), "--yes", "7", now="2026-11-25T19:10")
    run("decide", "2026-11-25", str(first), "选址", "--owner", "陈静", now="2026-11-25T19:20")
    run("decide", "2026-11-25", str(first), "公示", "--owner", "周大伟", now="2026-11-25T19:20")
    run("meeting", "close", "2026-11-25", "--end", "20:30", now="2026-11-25T20:30")
    run("meeting", "plan", "2027-01-06", now="2026-12-01T09:00")
    return run


def _ids(run, *args: str) -> list[int]:  # noqa: ANN001
    return [item["id"] for item in data(run(*args, "--format", "json"))]


def test_topic_list_by_keyword(listed) -> None:  # noqa: ANN001
    assert _ids(listed, "topic", "list", "--search", "助餐点") == [1, 3]  # title, and `for`
    assert _ids(listed, "topic", "list", "--search", "餐饮企业") == [1]  # the detail
    assert _ids(listed, "topic", "list", "--search", "没有的词") == []
    assert "楼道堆物清理" in listed("topic", "list", "--search", "楼道").stdout


def test_topic_list_by_category_in_either_language(listed) -> None:  # noqa: ANN001
    assert _ids(listed, "topic", "list", "--category", "welfare") == [1, 3]
    assert _ids(listed, "topic", "list", "--category", "环境") == [2, 4]


def test_topic_list_by_period_of_proposal(listed) -> None:  # noqa: ANN001
    assert _ids(listed, "topic", "list", "--year", "2025") == [1]
    assert _ids(listed, "topic", "list", "--from", "2026-01-05", "--to", "2026-11-19") == [2]
    both = ("topic", "list", "--year", "2026", "--category", "welfare", "--search", "电梯")
    assert _ids(listed, *both) == [3]
    assert _ids(listed, "topic", "list", "--status", "passed", "--year", "2026") == [4]


def test_action_list_by_owner_and_period(listed) -> None:  # noqa: ANN001
    owners = [a["owner"]["name"] for a in data(listed("action", "list", "--owner", "陈静",
                                                      "--format", "json"))]  # fmt: skip
    assert owners == ["陈静"]
    assert len(data(listed("action", "list", "--owner", "周大伟", "--open", "--format", "json")))
    assert _ids(listed, "action", "list", "--year", "2025") == []
    assert len(_ids(listed, "action", "list", "--year", "2026")) == 2


def test_meeting_list_by_year(listed) -> None:  # noqa: ANN001
    dates = [
        m["date"] for m in data(listed("meeting", "list", "--year", "2027", "--format", "json"))
    ]
    assert dates == ["2027-01-06"]
    dates = [m["date"] for m in data(listed("meeting", "list", "--to", "2026-12-31", "--format",
                                            "json"))]  # fmt: skip
    assert dates == ["2026-11-25"]


@pytest.mark.parametrize(
    "args",
    [
        ("topic", "list", "--year", "2026", "--from", "2026-01-01"),
        ("action", "list", "--from", "2026-12-01", "--to", "2026-11-01"),
        ("meeting", "list", "--year", "26"),
        ("topic", "list", "--category", "天气"),
    ],
)
def test_bad_filters_are_usage_errors(listed, unchanged, args) -> None:  # noqa: ANN001
    refused(listed, unchanged, *args, code=2)


def test_an_unknown_owner_is_refused(listed, unchanged) -> None:  # noqa: ANN001
    refused(listed, unchanged, "action", "list", "--owner", "无名氏")
