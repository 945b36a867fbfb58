"""Entry point for the `sanjian` console script and `python -m sanjian_cli`."""

from __future__ import annotations


def main() -> None:
    from sanjian_cli.cli.app import run

    run()


if __name__ == "__main__":
    main()
