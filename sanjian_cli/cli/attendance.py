"""`sanjian leave`, `sanjian attend`, `sanjian guest`: who comes, who is excused."""

from typing import Any

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
    reason: str | None = typer.Option(
        None, "--reason", help="Why the member cannot come (with --remove: why it is taken back)."
    ),
    filed_at: str | None = typer.Option(
        None,
        "--filed-at",
        help="When the notice was actually given, YYYY-MM-DD HH:MM (not after now); "
        "the deadline is judged on it.",
    ),
    remove: bool = typer.Option(False, "--remove", help="Take back a leave entered by mistake."),
) -> None:
    """File a leave notice (请假) at now; in time it excuses, late it is kept but counts absent."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.services import attendance, meetings, members

    c = context.get(ctx)
    clock.parse_date(date)
    if remove and filed_at is not None:
        raise BadInput("remove_and_more", option="--filed-at")
    with c.writing() as record:
        config, now = context.settings_now(record)
        found = members.resolve(record, member)
        meeting = meetings.resolve(record, date, nearest=True)
        if remove:
            attendance.remove_leave(record, meeting, found, now, reason)
        else:
            if reason is None:
                raise BadInput("empty_reason")
            given = (
                clock.parse_moment(filed_at, clock.zone(config["timezone"])) if filed_at else None
            )
            notice = attendance.file_leave(record, config, meeting, found, reason, now, given)
            deadline = attendance.leave_deadline(config, meeting)
    if remove:
        c.say("leave_removed", name=found["name"], date=meeting["date"])
    elif notice["excused"]:
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
    left: str | None = typer.Option(
        None, "--left", help="Left before the end (离席) at HH:MM: later votes do not count them."
    ),
    remove: bool = typer.Option(False, "--remove", help="Take back sign-ins entered by mistake."),
    reason: str | None = typer.Option(None, "--reason", help="Why (a correction), for the log."),
) -> None:
    """Sign members in (签到)."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.services import attendance, meetings, members

    c = context.get(ctx)
    day = clock.parse_date(date)
    at = clock.parse_time(left) if left is not None else None
    if remove and (late or online or left is not None):
        raise BadInput("remove_and_more", option="--late/--online/--left")
    if left is not None and (late or online):
        raise BadInput("left_and_marks")
    with c.writing() as record:
        config, now = context.settings_now(record)
        meeting = meetings.resolve(record, date, nearest=True)
        found = [members.resolve(record, m) for m in names]
        if remove:
            changes = attendance.remove_sign_in(record, meeting, found, now, reason, config)
        elif at is not None:
            when = clock.local(day, at, clock.zone(config["timezone"]))
            changes = attendance.mark_left(record, meeting, found, when, now, reason, config)
        else:
            changes = attendance.sign_in(
                record, meeting, found, late=late, online=online, now=now, reason=reason
            )
    sep = "、" if c.lang() == "zh" else ", "
    if remove:
        c.say("attend_removed", names=sep.join(m["name"] for m in found), date=meeting["date"])
        return
    if at is not None:
        c.say("attend_left", names=sep.join(m["name"] for m in found), at=left)
        return
    changed = {ch["subject"] for ch in changes}
    fresh = [m for m in found if m["id"] not in changed]
    for ch in changes:
        who = next(m for m in found if m["id"] == ch["subject"])
        c.say("attend_changed", name=who["name"], old=_mark(c, ch["from"]), new=_mark(c, ch["to"]))
    if fresh:
        c.say("attend_ok", names=sep.join(m["name"] for m in fresh))


def _mark(c: Any, mark: dict[str, Any] | None) -> str:
    """A sign-in as the confirmation names it: 准时, 迟到, 线上, 迟到、线上, 离席 HH:MM."""
    if mark is None:
        return c.t("mark.none")
    words = [c.t("paper.late")] if mark.get("late") else []
    if mark.get("online"):
        words.append(c.t("paper.online_mark"))
    if mark.get("left"):
        words.append(c.t("paper.left", at=str(mark["left"])[11:16]))
    sep = "、" if c.lang() == "zh" else ", "
    return sep.join(words) if words else c.t("mark.on_time")


def guest(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    name: str = typer.Argument(..., help="The guest's name."),
    org: str | None = typer.Option(None, "--org", help="Organisation, e.g. 街道办."),
    remove: bool = typer.Option(False, "--remove", help="Take back a guest entered by mistake."),
    reason: str | None = typer.Option(None, "--reason", help="Why (a correction), for the log."),
) -> None:
    """Record a non-voting attendee (列席) who is not on the roster."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import attendance, meetings

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        meeting = meetings.resolve(record, date, nearest=True)
        if remove:
            attendance.remove_guest(record, meeting, name, now, reason)
        else:
            attendance.add_guest(record, meeting, name, org, now)
    if remove:
        c.say("guest_removed", name=name)
    else:
        c.say("guest_ok", name=name)
