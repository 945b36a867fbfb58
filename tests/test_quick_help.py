"""`--help` answered from the pages typer rendered (sanjian_cli/help_pages.py): each page is
what typer prints now, in both languages, and a help asked any other way goes to typer."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from sanjian_cli import quick_help
from sanjian_cli.cli import write_completion
from sanjian_cli.completion_table import TABLE
from sanjian_cli.help_pages import PAGES


def test_every_page_is_what_typer_prints_now(committee, db, monkeypatch) -> None:
    # A committee on record, another clock and a Chinese LANG: nothing of them is on a page
    # but the language, which --lang gives here.
    monkeypatch.setenv("SANJIAN_NOW", "2027-03-03T08:00")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert sorted(PAGES) == ["en", "zh"]
    for lang in ("en", "zh"):
        assert sorted(PAGES[lang]) == sorted(TABLE), (
            "run: python -m sanjian_cli.cli.write_completion"
        )
        for path in TABLE:
            live = write_completion.page(path, lang, db=str(db))
            assert PAGES[lang][path] == live, f"{lang}: sanjian {path} --help changed; regenerate"
    assert PAGES["zh"]["topic add"].startswith("用法：sanjian topic add")
    assert PAGES["en"][""].startswith("Usage: sanjian [OPTIONS] COMMAND")


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["--help"], ""),
        (["-h"], ""),
        (["topic", "add", "--help"], "topic add"),
        (["--db", "x.json", "--lang", "zh", "topic", "-h"], "topic"),
        (["--db=x.json", "--lang=en", "minutes", "show", "--help"], "minutes show"),
        (["topic", "--lang", "zh", "--help"], None),  # not topic's option: typer says so
        (["minutes", "2026-11-25", "--help"], None),  # minutes DATE is minutes show DATE
        (["--help", "topic"], None),
        (["nosuch", "--help"], None),
        (["topic", "add", "x", "--help"], None),
        (["--db", "--help"], None),
        (["--debug", "--help"], None),
        (["--lang", "中文", "topic", "--help"], "topic"),
        (["--lang", "xx", "topic", "--help"], None),  # typer refuses the language
    ],
)
def test_the_command_path_of_a_help_request(argv, path) -> None:
    assert quick_help.command_path(argv) == path


def _answer(monkeypatch, argv: list[str], prog: str = "/usr/bin/sanjian", **env: str) -> str | None:
    out = io.TextIOWrapper(io.BytesIO(), encoding=env.pop("encoding", "utf-8"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdout", out)
    if not quick_help.answer(argv, prog):
        return None
    out.seek(0)
    return out.read()


def test_the_page_is_in_the_readers_language(committee, db, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LANG", "C.UTF-8")
    # the committee is Chinese; --lang overrides it; without a committee, LANG decides
    assert _answer(monkeypatch, ["topic", "--help"]) == PAGES["zh"]["topic"]
    assert _answer(monkeypatch, ["--lang", "en", "topic", "--help"]) == PAGES["en"]["topic"]
    empty = str(db.parent / "none.json")
    assert _answer(monkeypatch, ["--db", empty, "--help"]) == PAGES["en"][""]
    assert _answer(monkeypatch, ["--db", empty, "--help"], LANG="zh_CN.UTF-8") == PAGES["zh"][""]


def test_what_the_pages_cannot_stand_for_is_left_to_typer(db, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert _answer(monkeypatch, ["--help"]) is not None
    assert _answer(monkeypatch, ["--help"], COLUMNS="79") is None  # typer lays it out narrower
    assert _answer(monkeypatch, ["--help"], prog="python -m sanjian_cli") is None
    assert _answer(monkeypatch, ["--help"], encoding="ascii") is None
    assert _answer(monkeypatch, ["member", "add", "x", "--help"]) is None


def _console_script() -> str:
    return os.path.join(os.path.dirname(sys.executable), "sanjian")


@pytest.mark.slow
def test_the_installed_sanjian_prints_the_page_without_typer(tmp_path) -> None:
    probe = (
        "import sys, runpy, os\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n"
        "os._exit = lambda code: None\n"
        "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('typer', 'rich',"
        " 'sanjian_cli.cli', 'sanjian_cli.store'))), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANJIAN")}
    env.update(SANJIAN_DB=str(tmp_path / "none.json"), LANG="C.UTF-8", COLUMNS="100")
    done = subprocess.run(
        [sys.executable, "-c", probe, "topic", "add", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout == PAGES["en"]["topic add"]
    assert "LOADED []" in done.stderr
    # The console script itself, at a narrow terminal: typer lays the page out, exit 0.
    narrow = subprocess.run(
        [_console_script(), "--help"], capture_output=True, text=True, env={**env, "COLUMNS": "60"}
    )
    assert narrow.returncode == 0 and narrow.stdout != PAGES["en"][""]
    assert narrow.stdout.startswith("Usage: sanjian [OPTIONS] COMMAND")
    wide = subprocess.run([_console_script(), "--help"], capture_output=True, text=True, env=env)
    assert wide.returncode == 0 and wide.stdout == PAGES["en"][""]
    # typer itself, in a process of its own (python -m: not answered from the pages), prints
    # the same page but for the program's name
    for args, lang in (
        (["topic", "--help"], "en"),
        (["--lang", "zh", "member", "add", "-h"], "zh"),
    ):
        typer_page = subprocess.run(
            [sys.executable, "-m", "sanjian_cli", *args], capture_output=True, text=True, env=env
        ).stdout.replace("python -m sanjian_cli", "sanjian")
        path = " ".join(a for a in args if not a.startswith("-") and a not in ("zh", "en"))
        assert typer_page == PAGES[lang][path], args
