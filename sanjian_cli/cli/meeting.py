"""`sanjian meeting`: plan, list, show and close the weekly meetings."""

from __future__ import annotations

from typing import Any

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, emit_json

meeting_app = typer.Typer(help="Meetings: plan, list, show, close.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(meeting_app, name="meeting")


def meeting_json(meeting: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": meeting["date"],
        "start": meeting["start"],
        "end": meeting.get("end"),
        "duration": meeting["duration"],
        "place": meeting.get("place") or None,
        "online": meeting.get("online") or None,
        "chair": meeting.get("chair"),
        "recorder": meeting.get("recorder"),
        "status": meeting.get("status", "planned"),
        "agenda": meeting.get("agenda"),
        "attendance": meeting.get("attendance", {}),
        "leaves": meeting.get("leaves", []),
        "guests": meeting.get("guests", []),
        "votes": meeting.get("votes", {}),
        "notes": meeting.get("notes", []),
        "dissents": meeting.get("dissents", []),
    }


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
def list_(ctx: typer.Context, format: str = FORMAT_TABLE) -> None:
    """List the meetings, oldest first."""
    from sanjian_cli.messages import t, word
    from sanjian_cli.render import tables

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = record.meetings()
        names = {m["id"]: m["name"] for m in record.members()}
    if fmt == "json":
        emit_json(
            [
                {
                    k: v
                    for k, v in meeting_json(m).items()
                    if k
                    in ("date", "start", "end", "place", "online", "chair", "recorder", "status")
                }
                for m in found
            ]
        )
        return
    lang = c.lang()
    rows = [
        [
            m["date"],
            m["start"][11:16],
            m.get("place") or "",
            names.get(m.get("chair"), ""),
            names.get(m.get("recorder"), ""),
            word(lang, "status", m.get("status", "planned")),
        ]
        for m in found
    ]
    cols = ["col.date", "col.start", "col.place", "col.chair", "col.recorder", "col.status"]
    tables.table(None, [t(lang, k) for k in cols], rows)


@meeting_app.command("show")
def show(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="YYYY-MM-DD."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one meeting: its details and attendance so far."""
    from sanjian_cli.messages import t, word
    from sanjian_cli.render import tables
    from sanjian_cli.services import attendance, meetings

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = meetings.resolve(record, date)
        roll = attendance.roll(record, found)
        names = {m["id"]: m["name"] for m in record.members()}
    if fmt == "json":
        emit_json({**meeting_json(found), "counts": roll.counts})
        return
    lang = c.lang()
    sep = "、" if lang == "zh" else ", "

    def who(ids: list[int]) -> str:
        return sep.join(names.get(i, f"#{i}") for i in ids) or t(lang, "nothing")

    rows = [
        (t(lang, "col.date"), found["date"]),
        (t(lang, "col.start"), found["start"]),
        (t(lang, "col.end"), found.get("end") or ""),
        (t(lang, "col.place"), found.get("place") or ""),
        (t(lang, "col.online"), found.get("online") or ""),
        (t(lang, "col.chair"), names.get(found.get("chair"), t(lang, "missing"))),
        (t(lang, "col.recorder"), names.get(found.get("recorder"), t(lang, "missing"))),
        (t(lang, "col.status"), word(lang, "status", found.get("status", "planned"))),
        (t(lang, "paper.expected"), str(len(roll.expected))),
        (t(lang, "paper.present"), who(roll.present)),
        (t(lang, "paper.leave"), who(roll.excused)),
        (t(lang, "paper.absent"), who(roll.absent)),
        (
            t(lang, "paper.attendees"),
            sep.join(
                [names.get(i, "") for i in roll.non_voting_present]
                + [g["name"] for g in found.get("guests", [])]
            )
            or t(lang, "nothing"),
        ),
    ]
    tables.pairs(None, rows)


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
    c.say("meeting_closed_ok", date=closed["date"], end=closed["end"][11:16])


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
