"""The JSON output contract: every `--format json` of the list and show commands, the
agenda and the minutes, pinned field by field by the files in tests/golden/, and the
README's "JSON output" table kept in step with those files.

The outputs come from one committee with a bit of everything (a held meeting with late and
online sign-ins, an excused and a late leave, a guest, a named vote, a deferral, dissent,
decisions with and without owner and due date, approved and amended minutes, a rejected,
a pending, a waiting and a late topic, a retired member). After a deliberate change of the
contract, rewrite the files with `SANJIAN_GOLDEN=update pytest tests/test_json_contract.py`
and review the diff (the README table must follow: the second test says where).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from _week import LEADS, PRESENT_7, Go, found_committee

GOLDEN = Path(__file__).parent / "golden"
README = Path(__file__).resolve().parent.parent / "README.md"

# Each output of the contract: the golden file's name and the command that prints it.
OUTPUTS = {
    "member list": ("member", "list", "--all", "--format", "json"),
    "member show": ("member", "show", "刘洋", "--format", "json"),
    "topic list": ("topic", "list", "--format", "json"),
    "topic show": ("topic", "show", "5", "--format", "json"),
    "meeting list": ("meeting", "list", "--format", "json"),
    "meeting show": ("meeting", "show", "2026-11-25", "--format", "json"),
    "action list": ("action", "list", "--format", "json"),
    "action show": ("action", "show", "1", "--format", "json"),
    "minutes": ("minutes", "2026-11-25", "--format", "json"),
    "config show": ("config", "show", "--format", "json"),
}


def _accept(go: Go, title: str, at: str, *extra: str) -> None:
    go("topic", "add", title, "--by", "刘洋", *extra, now=at)
    topic_id = json.loads(go("topic", "list", "--format", "json").stdout)[-1]["id"]
    for lead in LEADS:
        go("topic", "approve", str(topic_id), "--by", lead, now=at)


def _committee_with_history(go: Go) -> dict[str, Any]:
    """Build the committee; returns the outputs of the contract, parsed."""
    found_committee(go, plan=False)
    go("member", "edit", "刘洋", "--phone", "13800000000", "--org", "阳光社工站")
    # Last week: a topic passed, two decisions, one carried out.
    _accept(go, "楼道堆物清理", "2026-11-10T10:00", "--category", "环境")  # 1
    go("meeting", "plan", "2026-11-18", "--recorder", "李秀兰", now="2026-11-10T12:00")
    go("agenda", "build", "2026-11-18", now="2026-11-16T20:00")
    go("attend", "2026-11-18", *PRESENT_7, now="2026-11-18T19:00")
    go("vote", "2026-11-18", "1", "--yes", "7", now="2026-11-18T19:20")
    go("decide", "2026-11-18", "1", "每周巡查一次", "--owner", "周大伟", "--due", "2026-11-22",
       now="2026-11-18T19:25")  # fmt: skip
    go("decide", "2026-11-18", "1", "张贴告示", "--owner", "孙丽华", now="2026-11-18T19:26")
    go("meeting", "close", "2026-11-18", "--end", "20:00", now="2026-11-18T20:05")
    go("action", "update", "1", "--note", "已清理3号楼", now="2026-11-21T09:00")
    go("action", "done", "2", "--note", "已张贴", now="2026-11-20T09:00")
    # This week: topics agreed, rejected, pending; the agenda built and built again.
    _accept(go, "助餐点扩容", "2026-11-20T10:00", "--category", "welfare", "--for", "钱阿姨",
            "--detail", "每日限供40份", "--minutes", "20")  # fmt: skip  # 2
    _accept(go, "电动车充电棚", "2026-11-20T11:00", "--urgent")  # 3
    go("topic", "add", "广场舞噪音", "--by", "孙丽华", now="2026-11-20T12:00")  # 4
    go("topic", "reject", "4", "--by", "张建国", "--reason", "转物业处理", now="2026-11-20T13:00")
    go("topic", "add", "停车收费调整", "--by", "李秀兰", "--major", now="2026-11-20T14:00")  # 5
    go("topic", "approve", "5", "--by", "张建国", now="2026-11-20T15:00")
    _accept(go, "社区花园方案", "2026-11-21T10:00", "--minutes", "60")  # 6: no time left
    go("meeting", "plan", "2026-11-25", "--recorder", "李秀兰", "--online", "https://m.example/x")
    go("agenda", "build", "2026-11-25", now="2026-11-23T09:00")
    _accept(go, "楼栋长选举", "2026-11-24T10:00")  # 7: after the topic-collection deadline
    agenda = go("agenda", "build", "2026-11-25", "--format", "json", now="2026-11-24T12:00")
    outputs = {"agenda build": agenda.stdout}
    # The meeting.
    go("leave", "赵敏", "2026-11-25", "--reason", "看病", now="2026-11-24T18:00")
    go("leave", "吴晓梅", "2026-11-25", "--reason", "加班", now="2026-11-25T19:05")
    on_time = [n for n in PRESENT_7 if n not in ("周大伟", "刘洋")]
    go("attend", "2026-11-25", *on_time, now="2026-11-25T19:00")
    go("attend", "2026-11-25", "周大伟", "--late", now="2026-11-25T19:10")
    go("attend", "2026-11-25", "刘洋", "--online", now="2026-11-25T19:00")
    go("attend", "2026-11-25", "黄立新", now="2026-11-25T19:00")
    go("guest", "2026-11-25", "钱阿姨", "--org", "居民代表", now="2026-11-25T19:00")
    go("note", "2026-11-25", "2", "拟与餐饮企业合作", now="2026-11-25T19:15")
    go("vote", "2026-11-25", "2", "--yes-by", "张建国,李秀兰,王志强,陈静,刘洋,孙丽华",
       "--no-by", "周大伟", now="2026-11-25T19:30")  # fmt: skip
    go("dissent", "2026-11-25", "2", "周大伟", "担心资金不足", now="2026-11-25T19:31")
    go("decide", "2026-11-25", "2", "扩容至每日60份", "--owner", "陈静", "--due", "2026-12-25",
       now="2026-11-25T19:32")  # fmt: skip
    go("decide", "2026-11-25", "2", "对接餐饮企业", now="2026-11-25T19:33")
    go("vote", "2026-11-25", "3", "--defer", now="2026-11-25T19:40")
    go("meeting", "close", "2026-11-25", "--end", "20:40", now="2026-11-25T20:45")
    # Afterwards: minutes approved, then amended; a member retires.
    go("minutes", "approve", "2026-11-25", now="2026-12-02T19:10")
    go("--amend", "--reason", "补记发言", "note", "2026-11-25", "2", "补记：资金来源待定",
       now="2026-12-02T19:20")  # fmt: skip
    go("member", "retire", "吴晓梅", "--date", "2026-12-01", "--reason", "迁居外地",
       now="2026-12-02T19:30")  # fmt: skip
    for name, args in OUTPUTS.items():
        outputs[name] = go(*args, now="2026-12-03T09:00").stdout
    found = {name: json.loads(text) for name, text in outputs.items()}
    found["config show"]["store"] = "<store>"
    return found


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        # Amendments and approvals name the OS user: pin it, so the files hold on any machine.
        patch.setattr("sanjian_cli.store.whoami", lambda: "secretary")
        go = Go(tmp_path_factory.mktemp("contract") / "store.json", now="2026-11-01T09:00+08:00")
        return _committee_with_history(go)


def _file(name: str) -> Path:
    return GOLDEN / (name.replace(" ", "-") + ".json")


@pytest.mark.parametrize("name", ["agenda build", *OUTPUTS])
def test_output_matches_its_golden_file(contract: dict[str, Any], name: str) -> None:
    path = _file(name)
    if os.environ.get("SANJIAN_GOLDEN") == "update":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(contract[name], ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert contract[name] == json.loads(path.read_text("utf-8")), f"{name}: see {path}"


# -- the README's table ---------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")


def _fields(cell: str) -> set[str]:
    """The fields a cell lists: the quoted words after its last colon, remarks in
    parentheses left out ("as in `x`: `a`, `b` (or `null`)" lists a and b)."""
    while re.search(r"\([^()]*\)", cell):
        cell = re.sub(r"\([^()]*\)", "", cell)
    return set(re.findall(r"`([^`]+)`", cell.rsplit(":", 1)[-1]))


def _readme_table() -> dict[str, set[str]]:
    """The rows of the table in "JSON output": path -> the fields it lists."""
    text = README.read_text("utf-8")
    section = text.split("\n## JSON output\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = _ROW.match(line)
        if found:
            rows[found.group(1)] = _fields(found.group(2))
    return rows


def _objects(data: Any, steps: list[str]) -> list[dict[str, Any]]:
    """The objects at `steps` under `data`: `.key` an object's field, `[]` each item of a
    list, `{}` each value of an object keyed by id, `[kind=x]` the items whose kind is x."""
    found = [data]
    for step in steps:
        if step == "[]" or step.startswith("[kind="):
            kind = step[6:-1] if step.startswith("[kind=") else None
            found = [x for lst in found for x in lst if kind is None or x.get("kind") == kind]
        elif step == "{}":
            found = [x for obj in found for x in obj.values()]
        else:
            found = [obj[step] for obj in found if obj.get(step) is not None]
    return found


def _steps(path: str) -> tuple[str, list[str]]:
    """`action list[].owner` -> ("action list", ["[]", "owner"])."""
    head = re.match(r"^[a-z ]+", path)
    assert head, path
    name = head.group(0).strip()
    rest = path[len(head.group(0)) :]
    return name, re.findall(r"\[kind=[a-z-]+\]|\[\]|\{\}|(?<=\.)[a-z_]+", rest)


def test_readme_lists_each_outputs_fields_as_the_golden_files_hold_them(
    contract: dict[str, Any],
) -> None:
    table = _readme_table()
    assert {_steps(path)[0] for path in table} == set(contract), "a command missing in README"
    for path, fields in table.items():
        name, steps = _steps(path)
        objects = _objects(contract[name], steps)
        assert objects, f"README names {path}, which the golden output of {name} lacks"
        for obj in objects:
            assert set(obj) == fields, (path, sorted(set(obj) ^ fields))


def test_every_object_of_the_contract_is_described() -> None:
    """Each output's top level is a row of the table (nested objects may be left out)."""
    table = _readme_table()
    for name in ["agenda build", *OUTPUTS]:
        data = json.loads(_file(name).read_text("utf-8"))
        top = f"{name}[]" if isinstance(data, list) else name
        assert top in table, f"README's JSON output table has no row for {top}"
