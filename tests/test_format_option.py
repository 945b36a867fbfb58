"""One `--format` option for every command that has one: the formats it lists in its help,
`md` for markdown, and one refusal (exit 2, one line, before the store is read) for any
other value."""

from __future__ import annotations

import pytest

from sanjian_cli.cli import app as cli


def _taking_format() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(command path, its formats) for each command with --format, from the commands."""
    found = []
    for name, lazy in cli.LAZY.items():
        command = cli.load_module_commands(lazy.module)[name]
        subs = command.commands.items() if lazy.group else [(None, command)]
        for sub, leaf in subs:
            for param in leaf.params:
                if param.name == "format":
                    path = (name, sub) if sub else (name,)
                    listed = param.help.split(":", 1)[1].split("(")[0].strip(" .")
                    formats = tuple(f.strip() for f in listed.replace(" or ", ", ").split(","))
                    found.append((path, tuple(f for f in formats if f)))
    return found


FORMATS = _taking_format()


def test_the_walk_finds_them() -> None:
    paths = {path for path, _ in FORMATS}
    assert {("member", "list"), ("minutes", "show"), ("report", "attendance"), ("doctor",),
            ("notice",), ("agenda", "build"), ("remind",), ("publish",)} <= paths  # fmt: skip
    assert len(paths) >= 20


@pytest.mark.parametrize(("path", "formats"), FORMATS, ids=[" ".join(p) for p, _ in FORMATS])
def test_a_bad_format_is_refused_before_anything_is_read(run, db, path, formats) -> None:
    result = run(*path, "--format", "yaml", ok=False)
    assert result.exit_code == 2, result.stderr
    from sanjian_cli.domain import vocab

    # the choices in the reader's words (表格、JSON), as every value is shown
    assert result.stderr.splitlines() == [
        f"sanjian: 格式取值不对：yaml（可选：{vocab.words('zh', 'format', formats)}）"
    ]
    assert result.stdout == "" and not db.exists()  # no committee needed to be told


@pytest.mark.parametrize(("path", "formats"), FORMATS, ids=[" ".join(p) for p, _ in FORMATS])
def test_the_first_format_is_the_default(path, formats) -> None:
    command = cli.load_module_commands(cli.LAZY[path[0]].module)[path[0]]
    if len(path) > 1:
        command = command.commands[path[1]]
    option = next(p for p in command.params if p.name == "format")
    # `member export` infers its format from the file's suffix when none is given.
    inferred = path == ("member", "export")
    assert option.default == (None if inferred else formats[0])
    assert option.opts == ["--format", "-f"]


def test_formats_are_case_blind_and_md_is_markdown(committee) -> None:
    run = committee
    assert run("agenda", "build", "2026-11-25", "-f", "MD").stdout.startswith("# ")
    assert run("member", "list", "--format", " JSON ").stdout.startswith("[")
