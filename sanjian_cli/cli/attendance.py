"""`sanjian leave`, `sanjian attend`, `sanjian guest`: who comes, who is excused."""

from __future__ import annotations

import typer

from sanjian_cli.cli import context


def register(app: typer.Typer) -> None:
    app.command("leave")(leave)
    app.command("attend")(attend)
    app.command("guest")(guest)


def leave(
    ctx: typer.Context,
    member: str = typer.Argument(..., help="Id or name."),
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    reason: str = typer.Option(..., "--reason", help="Why the member cannot come."),
) -> None:
    """File a leave notice (请假) at now; in time it excuses, late it is kept but counts absent."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import attendance, meetings, members

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        config, now = context.settings_now(record)
        found = members.resolve(record, member)
        meeting = meetings.resolve(record, date)
        notice = attendance.file_leave(record, config, meeting, found, reason, now)
        deadline = attendance.leave_deadline(config, meeting)
    if notice["excused"]:
        c.say("leave_excused", name=found["name"], date=meeting["date"])
    else:
        c.say(
            "leave_late",
            name=found["name"],
            date=meeting["date"],
            deadline=deadline.strftime("%Y-%m-%d %H:%M"),
        )


def attend(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    names: list[str] = typer.Argument(
        ..., metavar="MEMBERS...", help="Ids or names of those present."
    ),
    late: bool = typer.Option(False, "--late", help="Arrived after the start."),
    online: bool = typer.Option(False, "--online", help="Took part online."),
) -> None:
    """Sign members in (签到)."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import attendance, meetings, members

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        meeting = meetings.resolve(record, date)
        found = [members.resolve(record, m) for m in names]
        attendance.sign_in(record, meeting, found, late=late, online=online, now=now)
    sep = "、" if c.lang() == "zh" else ", "
    c.say("attend_ok", names=sep.join(m["name"] for m in found))


def guest(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    name: str = typer.Argument(..., help="The guest's name."),
    org: str | None = typer.Option(None, "--org", help="Organisation, e.g. 街道办."),
) -> None:
    """Record a non-voting attendee (列席) who is not on the roster."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import attendance, meetings

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        attendance.add_guest(record, meetings.resolve(record, date), name, org, now)
    c.say("guest_ok", name=name)
