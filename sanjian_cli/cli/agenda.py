"""`sanjian agenda build`: the agenda of a meeting, for people and for cron."""

from collections.abc import Callable
from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_FILED_PAPER,
    LANG,
    TEMPLATE,
    check_docx,
    check_lang,
    dated_path,
    docx_paper,
    paper_text,
)

agenda_app = typer.Typer(help="The agenda (议程) of a meeting.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(agenda_app, name="agenda")


@agenda_app.command("build")
def build(
    ctx: typer.Context,
    date: str | None = typer.Argument(None, help="YYYY-MM-DD of a planned meeting."),
    next_: bool = typer.Option(
        False, "--next", help="The next meeting on the schedule (planned first if needed)."
    ),
    if_due: bool = typer.Option(
        False,
        "--if-due",
        help="Only once topic collection has closed (setting topic-deadline, in hours before "
        "the start); before that, exit 0 saying it is not yet due.",
    ),
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write to this file instead of stdout; {date} is replaced by the meeting date. "
        "An identical file is left untouched.",
    ),
    lang: str | None = LANG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No report on stderr."),
    template: Path | None = TEMPLATE,
) -> None:
    """Build (or rebuild) the agenda and print it; marks its topics as scheduled.

    Fit for cron: no prompt, plain text, one line on stderr saying what was done (built,
    already up to date, or not yet due), exit 0 for all three, 1 or 2 with a reason otherwise.
    """
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render import output as out
    from sanjian_cli.render import papers as render
    from sanjian_cli.services import agenda

    fmt = format
    lang = check_lang(lang)
    base = check_docx(fmt, output, template)
    if date is not None and next_:
        raise BadInput("date_and_next")
    day = clock.parse_date(date) if date else None
    c = context.get(ctx)
    with c.writing() as record:
        config, now = context.settings_now(record)
        run = agenda.build(record, config, now, day=day, if_due=if_due)
        if isinstance(run, agenda.NotDue):
            if not quiet:
                c.say(
                    "agenda_not_due",
                    date=run.day.isoformat(),
                    deadline=clock.shown(run.deadline),
                )
            return
        chosen = c.lang(lang)
        same: Callable[[bytes, bytes], bool] | None = None
        if fmt == "docx":
            from sanjian_cli.render.docx import same_paper

            same = same_paper

            paper = render.agenda_paper(run.paper, chosen)
            text: str | bytes = docx_paper(c, paper, config, now, base, quiet)
        else:
            text = paper_text(run.paper, fmt, render.agenda, chosen)
        target = dated_path(output, run.meeting["date"])
        fresh = run.changed
        if target is None:
            out.emit(text, None)
        # Written inside the store's transaction: if the file cannot be written, the
        # store is left as it was and the next run tries again. A file that already
        # holds this agenda is left untouched.
        elif out.write(target, text, keep_same=True, same=same):
            fresh = True
    if not quiet:
        for forgotten in run.left_open:
            c.say("meeting_left_open", date=forgotten["date"])
        c.say(
            "agenda_built" if fresh else "agenda_unchanged",
            date=run.meeting["date"],
            topics=len(run.agenda["topics"]),
            waiting=len(run.agenda["waiting"]) + len(run.agenda["late"]),
        )
