"""`python -m sanjian_cli.cli.write_completion`: regenerate `sanjian_cli/completion_table.py`,
the table a TAB reads instead of building the commands, and `sanjian_cli/help_pages.py`,
the `--help` pages typer renders (run it after changing a command's arguments, options or
help, then `ruff format` the two files; tests/test_completion.py and tests/test_quick_help.py
fail until then)."""

from __future__ import annotations

from typing import Any


def table() -> dict[str, Any]:
    """The completion table of the commands as they are now, with what the full parser offers
    for a command word after each group and for an option of each command, in each
    language."""
    import typer
    from typer._click.shell_completion import _resolve_context

    from sanjian_cli import completion
    from sanjian_cli.cli import app as app_module
    from sanjian_cli.cli import context, shells

    root = typer.main.get_command(app_module.app)
    shells.attach_completers(root, "")

    class Names:
        def context(self, path: str) -> Any:
            return _resolve_context(root, {}, "sanjian", path.split())

        def __call__(self, path: str, lang: str, incomplete: str) -> list[list[str]]:
            # The help's language is read from the command line main() was given.
            context.ARGV[:] = ["--lang", lang]
            try:
                ctx = self.context(path)
                found = ctx.command.shell_complete(ctx, incomplete)
            finally:
                context.ARGV[:] = []
            # Names only: what a group's default command takes comes from the store.
            items = [[item.value, item.help or ""] for item in found if item.type == "plain"]
            # click keeps the help option's names in a set, so their order follows the hash
            # seed: the table gives them as its help page does, -h before --help.
            at = [i for i, item in enumerate(items) if item[0] in ctx.help_option_names]
            ordered = sorted((items[i] for i in at), key=lambda item: (len(item[0]), item[0]))
            for i, item in zip(at, ordered, strict=True):
                items[i] = item
            return items

    names = Names()
    return completion.build_table(root, names=names)


def page(path: str, lang: str, db: str = "/nonexistent/sanjian.json") -> str:
    """The `--help` page of the command at `path` as typer prints it at a terminal of the
    pages' width. Not through typer's CliRunner, which lays every page out 80 wide where a
    terminal of 80 columns gets 78."""
    import contextlib
    import io
    import os

    from sanjian_cli import quick_help
    from sanjian_cli.cli.app import app

    out = io.StringIO()
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(quick_help.WIDTH)
    try:
        with contextlib.redirect_stdout(out):
            try:
                app(["--db", db, "--lang", lang, *path.split(), "--help"], prog_name="sanjian")
                code: object = 0
            except SystemExit as done:
                code = done.code
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    if code not in (0, None):
        raise RuntimeError(f"sanjian {path} --help: exit {code}: {out.getvalue()}")
    return out.getvalue()


def main() -> None:
    from sanjian_cli import completion, quick_help

    built = table()
    print(completion.write_table(built))
    print(quick_help.write_pages(quick_help.render_pages(page, sorted(built))))


if __name__ == "__main__":
    main()
