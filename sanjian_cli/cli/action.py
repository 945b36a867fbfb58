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
    from sanjian_cli.messages import t, word
    from sanjian_cli.render import tables
    from sanjian_cli.services import actions, papers

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        items = actions.listing(record, now.date(), only_open=open_, only_overdue=overdue)
        entries = [papers.action_entry(record, d, now.date()) for d in items]
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
    missing = t(lang, "missing")
    rows = [
        [
            str(e["id"]),
            e["meeting"],
            f"#{e['topic']}",
            e["text"],
            e["owner"]["name"] if e["owner"] else missing,
            e["due"] or missing,
            word(lang, "status", e["status"]),
            str(e["days_overdue"] or ""),
            e["latest_note"] or "",
        ]
        for e in entries
    ]
    cols = [
        "col.id",
        "col.meeting",
        "col.topic",
        "col.text",
        "col.owner",
        "col.due",
        "col.status",
        "col.overdue",
        "col.note",
    ]
    tables.table(None, [t(lang, k) for k in cols], rows)


@action_app.command("show")
def show(
    ctx: typer.Context,
    item: str = typer.Argument(..., help="Decision item id."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one decision item with all its progress notes."""
    from sanjian_cli.messages import t, word
    from sanjian_cli.render import tables
    from sanjian_cli.services import actions, papers

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        entry = papers.action_entry(record, actions.resolve(record, item), now.date())
    if fmt == "json":
        emit_json(entry)
        return
    lang = c.lang()
    missing = t(lang, "missing")
    rows = [
        (t(lang, "col.id"), str(entry["id"])),
        (t(lang, "col.meeting"), entry["meeting"]),
        (t(lang, "col.topic"), f"#{entry['topic']}"),
        (t(lang, "col.text"), entry["text"]),
        (t(lang, "col.owner"), entry["owner"]["name"] if entry["owner"] else missing),
        (t(lang, "col.due"), entry["due"] or missing),
        (t(lang, "col.status"), word(lang, "status", entry["status"])),
        (t(lang, "col.overdue"), str(entry["days_overdue"])),
        (t(lang, "col.notes"), "\n".join(f"{n['at'][:16]} {n['text']}" for n in entry["notes"])),
    ]
    tables.pairs(None, rows)


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
