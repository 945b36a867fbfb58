"""The committee's language everywhere: `--help` in Chinese for a Chinese committee (and from
LANG before any store exists), every command and parameter translated, and no English word
inside a Chinese line of the help or of the message catalog."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import typer

from sanjian_cli import help_zh
from sanjian_cli.cli import app as app_module
from sanjian_cli.cli.app import app
from sanjian_cli.cli.bilingual import zh_help
from sanjian_cli.domain import settings, vocab
from sanjian_cli.messages import M


def _walk(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, object]]:
    found = [(" ".join(path), command)]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found.extend(_walk(sub, (*path, name)))
    return found


TREE = _walk(typer.main.get_command(app))
COMMAND_WORDS = {word for path, _ in TREE for word in path.split()} | {"sanjian"}
# What a Chinese line may hold in ASCII besides options, paths and numbers: names of formats
# and standards, what the user types as it is (setting keys, environment variables).
ALLOWED = {
    "JSON", "CSV", "Markdown", "Excel", "IANA", "RFC", "ISO", "UTF-8", "GB18030", "cron",
    "LANG", "PYTHONIOENCODING", "YYYY-MM-DD", "HH:MM", "Tab", "name", "zh", "en",
    # Word documents (.docx) and the font names offices use (仿宋_GB2312).
    "Word", "docx", "GB2312",
} | set(settings.BY_KEY)  # fmt: skip
# A setting's value typed as it is in a command shown to the user (config set chair-side any).
ALLOWED |= {"any"}
ALLOWED |= {word.lower() for word in ALLOWED}
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_.\-:/]*")


def english_words(text: str) -> list[str]:
    """ASCII words of `text` that are not a command, option, path, number or allowed name."""
    text = re.sub(r"\{[^{}]*\}", " ", text)  # placeholders: {name}, {date}
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0).rstrip(".:")
        before = text[match.start() - 1] if match.start() else " "
        if before in "-$./<" or "/" in word or word.startswith("."):
            continue  # an option (--side), a variable ($SANJIAN_DB), a path, a metavar
        if re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", word):
            continue  # an environment variable: SANJIAN_NOW
        if word in COMMAND_WORDS or word in ALLOWED or word.lower() in ALLOWED:
            continue
        found.append(word)
    return found


def test_the_checker_finds_english_words() -> None:
    assert english_words("side 取值不对：义工（可选：cadre, social-worker）") == [
        "side", "cadre", "social-worker"
    ]  # fmt: skip
    assert english_words("按“leads”规则") == ["leads"]
    assert english_words("用 sanjian member edit 3 --no-lead 卸任，见 $SANJIAN_DB 或 a/b") == []
    assert english_words("写入 .ics 文件；设置项 topic-deadline；格式 JSON；{date}") == []


@pytest.mark.parametrize("key", sorted(M))
def test_no_english_word_in_a_chinese_message(key: str) -> None:
    assert not english_words(M[key][0]), (key, M[key][0])


def test_no_english_word_in_a_chinese_vocabulary_word() -> None:
    for kind, spec in vocab.KINDS.items():
        assert not english_words(spec.zh), kind
        for entry in spec.words:
            assert not english_words(entry.zh), (kind, entry.key, entry.zh)


def test_every_command_and_parameter_has_chinese_help() -> None:
    missing = []
    for path, command in TREE:
        if zh_help(path) is None:
            missing.append(path or "sanjian")
        for param in command.params:  # type: ignore[attr-defined]
            if param.name == "help":
                continue
            if zh_help(path, param) is None:
                missing.append(f"{path} {param.opts[0] if param.opts else param.name}")
    assert not missing, "no Chinese help (add it to sanjian_cli/help_zh.py): " + ", ".join(missing)


def test_no_entry_of_the_chinese_help_is_left_over() -> None:
    known = set()
    for path, command in TREE:
        known.add(path)
        for param in command.params:  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                known.add(f"{path} <{param.name}>")
            else:
                known.update(f"{path} {o}" for o in param.opts)
    assert set(help_zh.HELP) <= known, set(help_zh.HELP) - known


def test_no_english_word_in_the_chinese_help() -> None:
    texts = [v if isinstance(v, str) else " ".join(v) for v in help_zh.HELP.values()]
    texts += list(help_zh.SAME.values()) + list(help_zh.ARGUMENTS.values())
    for text in texts:
        assert not english_words(text), text


def _columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize("path", [p for p, _ in TREE])
def test_every_help_page_is_chinese_for_a_chinese_committee_and_fits_80_columns(
    committee, monkeypatch, path
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")  # the committee's language wins over LANG
    monkeypatch.setenv("COLUMNS", "80")
    text = committee(*path.split(), "--help").stdout
    assert text.startswith(f"用法：root {path}".strip() + " "), text
    for line in text.splitlines():
        assert _columns(line) <= 80, line
        assert line.count("[") == line.count("]"), line  # [默认：举手表决] is never split
        if not line.lstrip().startswith(("用法：", "-")):
            # the description column of a line holds no English word
            assert not english_words(line), line
    assert "Show this message" not in text and "[default" not in text


def test_english_help_stays_as_typer_writes_it(committee) -> None:
    text = committee("--lang", "en", "member", "add", "--help").stdout
    assert text.startswith("Usage: root member add [OPTIONS] {name}")
    assert "--side <str>" in text and "[required]" in text


def test_help_before_any_store_follows_lang(run, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "用法：root vote" in run("vote", "--help").stdout
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "Usage: root vote" in run("vote", "--help").stdout
    assert "用法：root vote" in run("--lang", "中文", "vote", "--help").stdout


def test_an_english_committee_gets_english_help_and_lang_overrides(committee) -> None:
    committee("config", "set", "lang", "英文")
    assert "Usage: root topic add" in committee("topic", "add", "--help").stdout
    assert "用法：" in committee("notice", "--help", "--lang", "zh").stdout
    assert "用法：" in committee("--lang", "zh", "topic", "--help").stdout


def test_help_alone_shows_the_commands_in_chinese(committee) -> None:
    text = committee("member").stdout  # no sub-command: the group's help
    assert "命令：" in text and "把一名成员加入名单。" in text


def test_help_in_a_process_reads_the_committee_without_the_store_package(db, committee) -> None:
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['sanjian', '--help']\n"
        "import os\n"
        "os._exit = lambda code: None  # the console script leaves with os._exit\n"
        "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('STORE' if 'sanjian_cli.store' in sys.modules else 'NO STORE', file=sys.stderr)\n"
    )
    import os

    env = {**os.environ, "SANJIAN_DB": str(db), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.startswith("用法：sanjian [选项] 命令")
    assert "NO STORE" in done.stderr


def test_the_short_help_of_lazy_commands_has_chinese(committee) -> None:
    text = committee("--help").stdout
    for name in app_module.LAZY:
        line = next(line for line in text.splitlines() if line.startswith(f"  {name} "))
        assert not english_words(line.split(None, 1)[1]), line


def test_the_readme_lists_every_chinese_word_accepted() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Chinese at the terminal")[1].split("\n## ")[0]
    for kind, spec in vocab.KINDS.items():
        if kind in ("outcome",):  # shown, never typed
            continue
        for entry in spec.words:
            if spec.typed is not None and entry.key not in spec.typed:
                continue
            for name in (entry.zh, *entry.aliases):
                if not name.isascii():
                    assert name in section, (kind, name)
            assert f"= {entry.key}" in section, (kind, entry.key)
