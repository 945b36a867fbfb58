"""`sanjian undo`: revert the last change as a whole."""

import typer

from sanjian_cli.cli import context


def register(app: typer.Typer) -> None:
    app.command("undo")(undo)


def undo(
    ctx: typer.Context,
    reason: str | None = typer.Option(None, "--reason", help="Why, for the log."),
) -> None:
    """Revert the last change (one command's) as a whole; again, the one before."""
    from datetime import datetime

    from sanjian_cli.services import undo as use_case

    c = context.get(ctx)
    with c.writing() as record:
        if record.exists:
            _config, now = context.settings_now(record)
        else:  # the committee's creation itself was undone: nothing says its zone now
            from sanjian_cli.domain import clock

            now = clock.now(clock.zone("UTC"))
        done = use_case.undo(record, now, reason)
    command = " ".join(str(a) for a in done["command"])
    try:
        when = datetime.fromisoformat(str(done["at"])).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        when = str(done["at"])
    c.say("undo_ok", n=done["n"], command=command, at=when, user=done["user"])
