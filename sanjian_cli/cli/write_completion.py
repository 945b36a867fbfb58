"""`python -m sanjian_cli.cli.write_completion`: regenerate `sanjian_cli/completion_table.py`,
the table a TAB reads instead of building the commands (run it after changing a command's
arguments or value-taking options; tests/test_completion.py fails until then)."""

from __future__ import annotations


def main() -> None:
    import typer

    from sanjian_cli import completion
    from sanjian_cli.cli.app import app

    print(completion.write_table(typer.main.get_command(app)))


if __name__ == "__main__":
    main()
