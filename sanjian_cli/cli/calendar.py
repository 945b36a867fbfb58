"""`sanjian calendar`: the meetings as an iCalendar (.ics) file to subscribe to."""

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
    from sanjian_cli.render import output as out
    from sanjian_cli.services.calendar import calendar as gather

    lang = check_lang(lang)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        found = gather(record, now)
    del record  # the tables it read (of every year) are let go before the file is made
    # icalendar is imported here only: it is the slowest import of all and no other
    # command needs it; and only now, into the memory the reading let go.
    from sanjian_cli.render import ical

    data, counts = ical.build(found, c.lang(lang)), found["counts"]
    out.emit(data, output)
    if not quiet:
        c.say("calendar_written", **counts)
