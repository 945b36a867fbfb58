"""`sanjian agenda build`: the agenda of a meeting, for people and for cron."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_PAPER, LANG, OUTPUT, check_format, check_lang

agenda_app = typer.Typer(help="The agenda (议程) of a meeting.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(agenda_app, name="agenda")


@agenda_app.command("build")
def build(
    ctx: typer.Context,
    date: str | None = typer.Argument(None, help="YYYY-MM-DD of a planned meeting."),
    next_: bool = typer.Option(False, "--next", help="The next meeting (planned if needed)."),
    format: str = FORMAT_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report on stderr."),
) -> None:
    """Build (or rebuild) the agenda and print it; marks its topics as scheduled."""
    from sanjian_cli import clock, committee, meetings, papers
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render import output as out
    from sanjian_cli.render import papers as render

    fmt = check_format(format, ("text", "markdown", "json"))
    check_lang(lang)
    if date is not None and next_:
        raise BadInput(
            "usage", message="DATE and --next exclude each other", command="agenda build"
        )
    day = clock.parse_date(date) if date else None
    c = context.get(ctx)
    with c.writing() as record:
        config, now = context.settings_now(record)
        if day is not None:
            meeting = meetings.resolve(record, day.isoformat())
        else:
            meeting = meetings.next_open(record, now.date())
            if meeting is None:
                meeting, _new = meetings.plan(record, config, now, day=None)
        meetings.require_open(meeting, record)
        built = meetings.build_agenda(record, config, meeting)
        meeting = record.meeting(meeting["date"]) or meeting
        doc = papers.agenda(record, committee.require(record), meeting)
    chosen = c.lang(lang)
    if fmt == "json":
        text = out.dumps(doc)
    else:
        text = render.agenda(doc, chosen, markdown=fmt == "markdown")
    target = Path(str(output).replace("{date}", meeting["date"])) if output else None
    out.emit(text, target)
    if not quiet:
        c.say(
            "agenda_built",
            date=meeting["date"],
            topics=len(built["topics"]),
            waiting=len(built["waiting"]),
        )
