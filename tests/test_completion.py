"""Shell completion through the protocol the shells speak (`_SANJIAN_COMPLETE=complete_bash`
with `COMP_WORDS`/`COMP_CWORD`; zsh and fish with `_TYPER_COMPLETE_ARGS`): member names from
pinyin, topic ids with titles, meeting dates, sides, categories, setting keys. Each answer
is checked twice: from the fast path a real TAB takes (no typer) and through click's
parameters (the full parser), which must agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from sanjian_cli import completion
from sanjian_cli.cli import app as app_module
from sanjian_cli.cli import shells
from sanjian_cli.completion_table import TABLE

D = "2026-11-25"


@pytest.fixture
def roster(committee):
    """The committee, plus two members sharing 张建国's initials (zjg) and a polyphonic
    surname (曾 zeng, which pypinyin alone reads ceng), and two topics."""
    committee("member", "add", "张俊光", "--side", "志愿者")
    committee("member", "add", "曾乐", "--side", "社工")
    committee("topic", "add", "楼道灯更换", "--by", "刘洋", now="2026-11-20T10:00")
    committee("topic", "add", "绿化带改造", "--by", "陈静", now="2026-11-20T10:05")
    return committee


def _env(shell: str, line: str, db) -> dict[str, str]:
    env = {"_SANJIAN_COMPLETE": f"complete_{shell}", "SANJIAN_DB": str(db), "LANG": "C.UTF-8"}
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return env


def fast(shell: str, line: str, db) -> str | None:
    """The answer of the fast path, or None when it leaves the word to the full parser."""
    out: list[str] = []
    env = _env(shell, line, db)
    return out[0] if completion.answer(env, out.append) else None


def full(shell: str, line: str, db, monkeypatch) -> str:
    """The answer of typer and click, parameters and all (what the fast path stands for)."""
    from typer.completion import shell_complete

    for key, value in _env(shell, line, db).items():
        monkeypatch.setenv(key, value)
    root = typer.main.get_command(app_module.app)
    shells.attach_completers(root, "")
    for name in TABLE[""]["commands"]:
        root.commands[name]  # noqa: B018  (load, so click's parser sees every command)
    shells.install_shells()
    captured: list[str] = []
    monkeypatch.setattr("typer._click.utils.echo", lambda text="", **_: captured.append(text))
    monkeypatch.setattr("typer.completion._click.echo", lambda text="", **_: captured.append(text))
    shell_complete(root, {}, "sanjian", "_SANJIAN_COMPLETE", f"complete_{shell}")
    return "".join(str(c) for c in captured)


def both(shell: str, line: str, db, monkeypatch) -> str:
    answer = fast(shell, line, db)
    assert answer is not None, line
    assert answer == full(shell, line, db, monkeypatch), (shell, line)
    return answer


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_initials_complete_a_name_and_list_both_members_that_share_them(
    roster, db, monkeypatch, shell
) -> None:
    answer = both(shell, f"sanjian attend {D} zj", db, monkeypatch)
    values = [line.split("\t")[0] for line in answer.splitlines()]
    assert values == ["张建国", "张俊光"]
    if shell != "bash":  # the help holds the pinyin (fish matches the typed text in it)
        assert "zjg zhangjianguo 政工" in answer and "zjg zhangjunguang 志愿者" in answer
    # full pinyin tells them apart
    answer = both(shell, f"sanjian attend {D} zhangjun", db, monkeypatch)
    assert [line.split("\t")[0] for line in answer.splitlines()] == ["张俊光"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_polyphonic_surname_completes_by_its_surname_reading(
    roster, db, monkeypatch, shell
) -> None:
    for typed in ("zl", "zengl", "曾"):
        answer = both(shell, f"sanjian leave {typed}", db, monkeypatch)
        assert [line.split("\t")[0] for line in answer.splitlines()] == ["曾乐"], typed
    assert both(shell, "sanjian leave cengl", db, monkeypatch) == ""


def test_members_already_named_are_not_offered_again(roster, db, monkeypatch) -> None:
    answer = both("bash", f"sanjian attend {D} 张建国 陈静 z", db, monkeypatch)
    assert answer.splitlines() == ["赵敏", "周大伟", "张俊光", "曾乐"]
    answer = both("bash", f"sanjian vote {D} 1 --yes-by 张建国,zj", db, monkeypatch)
    assert answer.splitlines() == ["张建国,张俊光"]
    answer = both("bash", f"sanjian vote {D} 1 --no-by 刘洋、ch", db, monkeypatch)
    assert answer.splitlines() == ["刘洋、陈静"]


def test_every_place_a_member_is_named_completes_members(roster, db, monkeypatch) -> None:
    for line in (
        "sanjian member show zj",
        "sanjian topic add x --by zj",
        "sanjian topic approve 1 --by zj",
        f"sanjian decide {D} 1 x --owner zj",
        "sanjian meeting plan --chair zj",
        "sanjian --db {db} member edit zj",
    ):
        answer = both("bash", line.replace("{db}", str(db)), db, monkeypatch)
        assert answer.splitlines() == ["张建国", "张俊光"], line


def test_topic_ids_come_with_their_titles(roster, db, monkeypatch) -> None:
    answer = both("zsh", f"sanjian vote {D} ", db, monkeypatch)
    assert answer.splitlines() == ["2\t绿化带改造", "1\t楼道灯更换"]
    # bash shows values only: with several, the title beside each so the list says which
    assert both("bash", f"sanjian vote {D} ", db, monkeypatch).splitlines() == [
        "2  绿化带改造", "1  楼道灯更换"
    ]  # fmt: skip
    # one left: just the id, which the shell puts in place
    assert both("bash", f"sanjian vote {D} 2", db, monkeypatch) == "2"
    # a word of the title finds the topic (fish keeps it: the help holds the typed text)
    assert both("fish", "sanjian topic show 楼道", db, monkeypatch) == "1\t楼道灯更换"


def test_meeting_dates_sides_categories_and_settings(roster, db, monkeypatch) -> None:
    assert both("zsh", "sanjian attend 2026-11", db, monkeypatch) == "2026-11-25\t19:00 待开"
    assert both("bash", "sanjian member add 冯雪 --side ", db, monkeypatch).splitlines() == [
        "政工", "社工", "志愿者"
    ]  # fmt: skip
    assert both("bash", "sanjian member add 冯雪 --side so", db, monkeypatch) == "社工"
    answer = both("bash", "sanjian topic add x --category 环", db, monkeypatch)
    assert answer == "社区环境"
    answer = both("zsh", "sanjian config set pass", db, monkeypatch)
    assert answer.splitlines() == ["pass-basis\t表决基数", "pass-threshold\t通过比例"]
    answer = both("bash", "sanjian config set pass-basis ", db, monkeypatch)
    assert answer.splitlines() == ["应到人数", "实到人数", "投票人数"]
    assert both("bash", "sanjian vote 2026-11-25 1 --method ", db, monkeypatch).splitlines() == [
        "举手表决", "唱名表决", "无记名投票"
    ]  # fmt: skip


def test_an_english_committee_completes_english_words(roster, db, monkeypatch) -> None:
    roster("config", "set", "lang", "en")
    assert both("zsh", "sanjian topic l", db, monkeypatch).startswith("list\tList topics")
    assert both("bash", "sanjian member add x --side ", db, monkeypatch).splitlines() == [
        "cadre", "social-worker", "volunteer"
    ]  # fmt: skip


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_command_words_are_answered_as_the_full_parser_answers_them(
    shell, roster, db, monkeypatch
) -> None:
    for line in ("sanjian to", "sanjian ", "sanjian member a", "sanjian --lang en topic l",
                 "sanjian report ", f"sanjian --db {db} action "):  # fmt: skip
        assert both(shell, line, db, monkeypatch), line
    zsh = both("zsh", "sanjian topic l", db, monkeypatch)
    assert zsh == "list\t列出议题，按提出先后；统计期按提出日期计。"
    assert both("bash", "sanjian --lang en to", db, monkeypatch) == "topic"
    assert both("bash", "sanjian member zz", db, monkeypatch) == ""


def test_minutes_offers_its_sub_commands_and_the_meetings_dates(roster, db, monkeypatch) -> None:
    roster("meeting", "plan", D)
    answer = both("zsh", "sanjian minutes ", db, monkeypatch).splitlines()
    assert [line.split("\t")[0] for line in answer] == ["show", "approve", D]
    assert both("bash", "sanjian minutes a", db, monkeypatch) == "approve"
    assert both("bash", "sanjian minutes 2026-11", db, monkeypatch) == D
    assert both("bash", f"sanjian minutes {D} --layout ", db, monkeypatch)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_option_names_are_answered_as_the_full_parser_answers_them(
    shell, roster, db, monkeypatch
) -> None:
    for line in ("sanjian --", "sanjian -", "sanjian --d", "sanjian member add x --si",
                 f"sanjian vote {D} 1 --", f"sanjian vote {D} 1 --yes 3 --",
                 "sanjian topic list --status accepted --s", "sanjian minutes show --",
                 f"sanjian minutes {D} --f", "sanjian --lang en topic list --",
                 "sanjian topic add x --urgent --", "sanjian member --"):  # fmt: skip
        fast_answer = fast(shell, line, db)
        assert fast_answer is not None, line
        # click orders -h and --help as a set does (by the hash seed): compared as sets
        assert sorted(fast_answer.splitlines()) == sorted(
            full(shell, line, db, monkeypatch).splitlines()
        ), (shell, line)
    # an option already given is not offered again
    answer = both("bash", "sanjian topic list --status accepted --s", db, monkeypatch)
    assert answer.splitlines() == ["--search"]
    zsh = both("zsh", f"sanjian vote {D} 1 --yes-", db, monkeypatch)
    assert zsh == "--yes-by\t投赞成票的人：甲,乙,...（逗号或顿号分隔）。"


def test_what_the_table_cannot_tell_is_left_to_the_full_parser(roster, db) -> None:
    assert fast("bash", "sanjian topic add ", db) is None  # a free text: nothing to offer
    assert fast("bash", "sanjian nosuch ", db) is None
    assert fast("bash", "sanjian topic list --nosuch --", db) is None  # an unknown option
    assert fast("bash", "sanjian vote -- --", db) is None  # after "--", not an option
    assert fast("bash", "sanjian topic list --status=", db) is None  # a value after "="


def test_no_store_completes_nothing_and_fails_nothing(tmp_path, monkeypatch) -> None:
    db = tmp_path / "none.json"
    assert both("bash", f"sanjian attend {D} zj", db, monkeypatch) == ""
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert both("bash", f"sanjian attend {D} zj", tmp_path / "bad.json", monkeypatch) == ""


def test_the_table_is_what_the_commands_are() -> None:
    from sanjian_cli.cli import write_completion

    assert write_completion.table() == TABLE, "run: python -m sanjian_cli.cli.write_completion"


def test_every_kind_names_a_real_parameter() -> None:
    for (path, param), _kind in completion.KINDS.items():
        names = [name for name, _nargs in TABLE[path]["args"]] + list(TABLE[path]["opts"].values())
        assert param in names, (path, param)


def test_settings_are_those_of_the_domain() -> None:
    from sanjian_cli.domain import settings

    assert completion.SETTINGS == ("name", *settings.BY_KEY)
    assert completion.SETTING_KINDS == settings.KIND_OF


def test_default_path_is_the_stores(monkeypatch, tmp_path) -> None:
    from sanjian_cli import store

    for env in ({"SANJIAN_DB": str(tmp_path / "x.json")}, {"XDG_DATA_HOME": str(tmp_path)}, {}):
        monkeypatch.delenv("SANJIAN_DB", raising=False)
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        assert completion.default_path() == store.default_path()


def test_a_tab_in_a_process_loads_neither_typer_nor_pypinyin(roster, db) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['sanjian']\n"
        "import os\n"
        "os._exit = lambda code: None  # the console script leaves with os._exit\n"
        "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('typer', 'pypinyin', 'rich',"
        " 'sanjian_cli.store', 'sanjian_cli.cli')))\n"
        "print('LOADED', heavy, file=sys.stderr)\n"
    )
    tabs = [
        (f"sanjian attend {D} zj", ["张建国", "张俊光"]),
        ("sanjian to", ["topic"]),
        ("sanjian topic a", ["add", "approve"]),
    ]
    for line, answer in tabs:
        env = {**os.environ, **_env("bash", line, db)}
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        )
        assert done.stdout.splitlines() == answer, line
        assert "LOADED []" in done.stderr, line


def test_zsh_script_adds_every_candidate_unfiltered(monkeypatch) -> None:
    from typer._completion_shared import get_completion_script

    script = get_completion_script(
        prog_name="sanjian", complete_var="_SANJIAN_COMPLETE", shell="zsh"
    )
    assert "compadd -U" in script and "_SANJIAN_COMPLETE=complete_zsh" in script
    assert "${line%%$'\\t'*}" in script  # the % of the template came out single


@pytest.mark.skipif(not os.path.exists("/usr/bin/zsh"), reason="zsh is not installed")
def test_zsh_runs_the_script(tmp_path) -> None:
    from typer._completion_shared import get_completion_script

    script = get_completion_script(
        prog_name="sanjian", complete_var="_SANJIAN_COMPLETE", shell="zsh"
    )
    done = subprocess.run(["zsh", "-n", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_dates_come_from_the_head_of_the_store_as_the_meetings_say(roster, db, monkeypatch) -> None:
    roster("meeting", "plan", "2026-12-02")
    roster("meeting", "skip", "2026-12-09", "--reason", "节假日")
    roster("attend", D, "张建国", now="2026-11-25T19:00")
    roster("meeting", "close", D, now="2026-11-25T21:00")
    data = json.loads(db.read_bytes())
    calendar = data["_meta"]["1"]["notes"]["calendar"]
    assert calendar == sorted(
        [m["date"], m["start"], m["status"]] for m in data["meetings"].values()
    )
    answer = both("zsh", "sanjian minutes 2026-", db, monkeypatch)
    # a store an older sanjian wrote notes none: its meetings are read, with the same answer
    del data["_meta"]["1"]["notes"]
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert both("zsh", "sanjian minutes 2026-", db, monkeypatch) == answer
    assert [line.split("\t")[0] for line in answer.splitlines()][:3] == [
        "2026-12-09", "2026-12-02", D
    ]  # fmt: skip


def test_a_tab_on_a_date_reads_no_meeting(roster, db, monkeypatch) -> None:
    roster("meeting", "plan", "2026-12-02")
    seen: list[tuple[str, ...]] = []
    real = completion.peek
    monkeypatch.setattr(
        completion, "peek", lambda path, wanted: seen.append(wanted) or real(path, wanted)
    )
    assert fast("bash", "sanjian minutes 2026-12", db) == "2026-12-02"
    assert seen and not any("meetings" in wanted for wanted in seen)
