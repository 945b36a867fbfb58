"""Entry point for the `sanjian` console script and `python -m sanjian_cli`."""

from __future__ import annotations


def main() -> None:
    import gc
    import os

    if os.environ.get("_SANJIAN_COMPLETE"):
        # A TAB on a value (a member, a topic, a date ...) is answered from the head of the
        # store without typer, in a fraction of the time; the rest goes to the full parser.
        from sanjian_cli import completion

        if completion.answer(os.environ):
            return

    # One command per process, and the store is a tree of plain dicts and lists with no
    # cycles: the cyclic collector would only rescan the freshly parsed store again and
    # again while it is read (about a tenth of a 10-year read). Memory is freed at exit.
    gc.disable()
    from sanjian_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()
