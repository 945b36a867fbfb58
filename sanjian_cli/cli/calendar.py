"""`sanjian calendar`: the meetings as an iCalendar (.ics) file to subscribe to."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import LANG, check_lang


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar)


def calendar(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this .ics file instead of stdout."
    ),
    lang: str | None = LANG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report on stderr."),
) -> None:
    """Write the weekly meeting, skipped weeks, moves and planned meetings as RFC 5545."""
    import os
    import sys

    # icalendar is imported here only: it is the slowest import of all and no other
    # command needs it.
    from sanjian_cli.errors import Refused
    from sanjian_cli.render import ical

    lang = check_lang(lang)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        data, counts = ical.build(record, now, c.lang(lang))
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        target = output.expanduser()
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            raise Refused("cannot_write_output", path=str(target), reason=exc.strerror) from None
    if not quiet:
        c.say("calendar_written", **counts)
