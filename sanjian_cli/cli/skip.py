"""`sanjian meeting skip`: a week without a meeting (holiday, a street-wide event...)."""

from __future__ import annotations

import typer

from sanjian_cli.cli import context


def register(app: typer.Typer) -> None:
    from sanjian_cli.cli.meeting import meeting_app

    meeting_app.command("skip")(skip)


def skip(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD of the meeting not held."),
    reason: str = typer.Option(..., "--reason", help="Why (shown in the notice and calendar)."),
) -> None:
    """Skip the meeting of DATE: it is not "next", not announced, and excluded from the
    calendar. A planned meeting can be skipped until something is recorded at it; its agenda
    topics return to the queue. `meeting plan DATE` brings it back."""
    from sanjian_cli import clock, meetings

    c = context.get(ctx)
    day = clock.parse_date(date)
    with c.writing() as record:
        config, now = context.settings_now(record)
        skipped = meetings.skip(record, config, day, reason, now)
    c.say("meeting_skipped_ok", date=skipped["date"], reason=reason)
