"""`python -m sanjian_cli.cli.write_completion`: regenerate `sanjian_cli/completion_table.py`,
the table a TAB reads instead of building the commands (run it after changing a command's
arguments, value-taking options or short help; tests/test_completion.py fails until then)."""

from __future__ import annotations

from typing import Any


def table() -> dict[str, Any]:
    """The completion table of the commands as they are now, with what the full parser offers
    for a command word after each group, in each language."""
    import typer
    from typer._click.shell_completion import _resolve_context

    from sanjian_cli import completion
    from sanjian_cli.cli import app as app_module

    root = typer.main.get_command(app_module.app)
    app_module._attach_completers(root, "")

    def names(path: str, lang: str) -> list[list[str]]:
        # The help's language is read from the command line main() was given.
        app_module._ARGV = ["--lang", lang]
        try:
            ctx = _resolve_context(root, {}, "sanjian", path.split())
            found = ctx.command.shell_complete(ctx, "")
        finally:
            app_module._ARGV = []
        # The commands only: the values a group's default command takes come from the store.
        return [[item.value, item.help or ""] for item in found if item.type == "plain"]

    return completion.build_table(root, names=names)


def main() -> None:
    from sanjian_cli import completion

    print(completion.write_table(table()))


if __name__ == "__main__":
    main()
