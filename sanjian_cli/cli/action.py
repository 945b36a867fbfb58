"""`sanjian action`: the follow-up (督办) of decision items."""

from __future__ import annotations

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, emit_json, format_option

action_app = typer.Typer(help="Decision items and their follow-up.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(action_app, name="action")


@action_app.command("list")
def list_(
    ctx: typer.Context,
    open_: bool = typer.Option(False, "--open", help="Only items not yet done."),
    overdue: bool = typer.Option(False, "--overdue", help="Only open items past their due date."),
    format: str = format_option(
        ("table", "json", "text"),
        help="Output format: table, json, or text (plain lines, nothing when empty: for cron).",
    ),
) -> None:
    """List decision items."""
    from sanjian_cli.render import actions as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import actions

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        entries = actions.listing(record, now.date(), only_open=open_, only_overdue=overdue)
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
) -> None:
    """Mark a decision item as carried out."""
    from sanjian_cli.services import actions

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        updated = actions.done(record, actions.resolve(record, item), now, note)
    c.say("action_done_ok", id=updated["id"])
