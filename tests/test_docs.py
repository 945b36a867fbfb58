"""Every command the CLI offers is shown in the README, so the docs cannot fall behind."""

from __future__ import annotations

import re
from pathlib import Path

from sanjian_cli.cli import app as cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    names = []
    for name, lazy in cli.LAZY.items():
        command = cli.load_module_commands(lazy.module)[name]
        if lazy.group:
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    return names


def test_the_walk_finds_the_commands() -> None:
    found = _commands()
    assert {"init", "topic add", "minutes approve", "report attendance"} <= set(found)


def test_every_command_is_in_the_readme() -> None:
    missing = [
        name
        for name in _commands()
        if not re.search(r"(?:sanjian(?: --?\S+(?: \S+)?)* |`)" + re.escape(name) + r"\b", README)
    ]
    assert not missing, f"commands the README never shows: {missing}"


def test_every_setting_is_in_the_readmes_settings_table() -> None:
    from sanjian_cli.domain import settings

    table = README[README.index("## Settings") : README.index("## The clock")]
    missing = [s.key for s in settings.SPEC if not re.search(rf"\b{re.escape(s.key)}\b", table)]
    assert not missing, f"settings the README does not list: {missing}"
