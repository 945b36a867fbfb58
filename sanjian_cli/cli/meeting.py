"""`sanjian meeting`: plan, list, show and close the weekly meetings."""

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, FROM, TO, YEAR, emit_json

meeting_app = typer.Typer(help="Meetings: plan, list, show, close, reopen.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(meeting_app, name="meeting")


@meeting_app.command("plan")
def plan(
    ctx: typer.Context,
    date: str | None = typer.Argument(None, help="YYYY-MM-DD (default: the next on schedule)."),
    chair: str | None = typer.Option(None, "--chair", help="主持人 (default: the 政工 lead)."),
    recorder: str | None = typer.Option(None, "--recorder", help="记录人."),
    place: str | None = typer.Option(None, "--place", help="Place (default: the committee's)."),
    online: str | None = typer.Option(None, "--online", help="Link for online participants."),
    time: str | None = typer.Option(None, "--time", help="Start time HH:MM, if not the usual."),
    duration: int | None = typer.Option(None, "--duration", help="Minutes, if not the usual."),
) -> None:
    """Plan a meeting, or change the details of a planned one."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import members, planning

    c = context.get(ctx)
    day = clock.parse_date(date) if date else None
    if time is not None:
        clock.parse_time(time)
    with c.writing() as record:
        config, now = context.settings_now(record)
        found, new = planning.plan(
            record,
            config,
            now,
            day=day,
            at=time,
            chair=members.resolve(record, chair) if chair else None,
            recorder=members.resolve(record, recorder) if recorder else None,
            place=place,
            online=online,
            duration=duration,
        )
    c.say("meeting_planned" if new else "meeting_updated", date=found["date"])


@meeting_app.command("list")
def list_(
    ctx: typer.Context,
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = FORMAT_TABLE,
) -> None:
    """List the meetings, oldest first."""
    from sanjian_cli.domain import documents
    from sanjian_cli.render import meetings as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import meetings, members, reports

    fmt = format
    period = reports.period(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = meetings.listing(record, period)
        names = members.names(record)
    if fmt == "json":
        emit_json([documents.meeting_list_json(m) for m in found])
        return
    tables.table(None, *view.listing(found, names, c.lang()))


@meeting_app.command("show")
def show(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one meeting: its details and attendance so far."""
    from sanjian_cli.domain import documents
    from sanjian_cli.render import meetings as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import meetings, members, rolls

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = meetings.resolve(record, date)
        roll = rolls.roll(record, found)
        names = members.names(record)
    if fmt == "json":
        emit_json(documents.meeting_show_json(found, roll.counts))
        return
    tables.pairs(None, view.show(found, roll, names, c.lang()))


@meeting_app.command("close")
def close(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--end", help="Time of adjournment HH:MM."),
) -> None:
    """Close a meeting: topics left without a vote are carried over to the next one."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import closing, meetings

    c = context.get(ctx)
    if end is not None:
        clock.parse_time(end)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        closed = closing.close(record, meetings.resolve(record, date), end, now)
    c.say("meeting_closed_ok", date=closed["date"], end=(closed["end"] or "")[11:16])


@meeting_app.command("skip")
def skip(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD of the meeting not held."),
    reason: str = typer.Option(..., "--reason", help="Why (shown in the notice and calendar)."),
) -> None:
    """Skip the meeting of DATE: it is not "next", not announced, and excluded from the
    calendar. A planned meeting can be skipped until something is recorded at it; its agenda
    topics return to the queue. `meeting plan DATE` brings it back."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import planning

    c = context.get(ctx)
    day = clock.parse_date(date)
    with c.writing() as record:
        config, now = context.settings_now(record)
        skipped = planning.skip(record, config, day, reason, now)
    c.say("meeting_skipped_ok", date=skipped["date"], reason=reason)


@meeting_app.command("reopen")
def reopen(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD of a closed meeting."),
    reason: str = typer.Option(..., "--reason", help="Why it is opened again (for the log)."),
) -> None:
    """Open again a meeting closed by mistake (minutes not yet approved); what its close
    carried over goes back on its agenda."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import closing, meetings

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        opened = closing.reopen(record, meetings.resolve(record, date), reason, now)
    c.say("meeting_reopened_ok", date=opened["date"])
