"""Entry point for the `sanjian` console script and `python -m sanjian_cli`."""

from __future__ import annotations


def main() -> None:
    import gc

    # One command per process, and the store is a tree of plain dicts and lists with no
    # cycles: the cyclic collector would only rescan the freshly parsed store again and
    # again while it is read (about a tenth of a 10-year read). Memory is freed at exit.
    gc.disable()
    from sanjian_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()
