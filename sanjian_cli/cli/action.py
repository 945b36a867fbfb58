"""`sanjian action`: the follow-up (督办) of decision items."""

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, FROM, TO, YEAR, emit_json, format_option

action_app = typer.Typer(help="Decision items and their follow-up.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(action_app, name="action")


@action_app.command("list")
def list_(
    ctx: typer.Context,
    open_: bool = typer.Option(False, "--open", help="Only items not yet done."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open items past their due date."),
    owner: str | None = typer.Option(None, "--owner", help="Only this owner (id or name)."),
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = format_option(
        ("table", "json", "text"),
        help="Output format: table, json, or text (plain lines, nothing when empty: for cron).",
    ),
) -> None:
    """List decision items; the period is the day of the meeting that took each."""
    from sanjian_cli.render import actions as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import actions, members, reports

    fmt = format
    period = reports.period(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        who = members.resolve(record, owner)["id"] if owner is not None else None
        entries = actions.listing(
            record, now.date(), only_open=open_, only_overdue=overdue, owner=who, period=period
        )
    del record  # every year's items it read are let go before the table is drawn
    if fmt == "json":
        emit_json(entries)
        return
    lang = c.lang()
    if fmt == "text":
        from sanjian_cli.render import output
        from sanjian_cli.render.remind import action_lines

        text = action_lines(entries, lang)
        if text:
            output.emit(text)
        return
    tables.table(None, *view.listing(entries, lang))


@action_app.command("show")
def show(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one decision item with all its progress notes."""
    from sanjian_cli.render import actions as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import actions

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        entry = actions.show(record, item, now.date())
    if fmt == "json":
        emit_json(entry)
        return
    tables.pairs(None, view.show(entry, c.lang()))


@action_app.command("update")
def update(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    note: str = typer.Option(..., "--note", help="What has been done."),
) -> None:
    """Add a progress note to a decision item."""
    from sanjian_cli.services import actions

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        updated = actions.update(record, actions.resolve(record, item), note, now)
    c.say("action_updated", id=updated["id"])


@action_app.command("done")
def done(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    note: str | None = typer.Option(None, "--note", help="A closing note."),
    on: str | None = typer.Option(
        None,
        "--on",
        help="The day it was done, YYYY-MM-DD (not before the meeting, not after today).",
    ),
) -> None:
    """Mark a decision item as carried out."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import actions

    c = context.get(ctx)
    day = clock.parse_date(on) if on is not None else None
    with c.writing() as record:
        _config, now = context.settings_now(record)
        updated = actions.done(record, actions.resolve(record, item), now, note, on=day)
    c.say("action_done_ok", id=updated["id"])


@action_app.command("edit")
def edit(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    owner: str | None = typer.Option(None, "--owner", help="责任人 (id or name)."),
    due: str | None = typer.Option(None, "--due", help="时限, YYYY-MM-DD."),
    text: str | None = typer.Option(None, "--text", help="What was decided, reworded."),
    reason: str | None = typer.Option(None, "--reason", help="Why (a correction), for the log."),
) -> None:
    """Correct a decision item in place: fill in a 待定 owner or deadline, fix its wording."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import actions, members

    c = context.get(ctx)
    due_day = clock.parse_date(due) if due is not None else None
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = actions.resolve(record, item)
        who = members.resolve(record, owner) if owner is not None else None
        updated = actions.edit(
            record, found, owner=who, due=due_day, text=text, now=now, reason=reason
        )
    c.say("action_edited", id=updated["id"])


@action_app.command("remove")
def remove(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    reason: str = typer.Option(..., "--reason", help="Why it was entered by mistake."),
) -> None:
    """Strike a decision item entered by mistake: gone from papers and reports, kept in the log."""
    from sanjian_cli.services import actions

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        gone = actions.remove(record, actions.resolve(record, item), now, reason)
    c.say("action_removed", id=gone["id"])
