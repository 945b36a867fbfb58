"""`sanjian backup`, `restore`, `doctor`, `log`: keeping the record safe and accountable."""

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import format_option

FORMAT_TEXT = format_option(("text", "json"))


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("doctor")(doctor)
    app.command("log")(log)


def backup(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Copy to this file (default: into the backup set)."
    ),
) -> None:
    """Copy the store, as it is now, to FILE or into the rotating backup set."""
    c = context.get(ctx)
    if output is None:
        c.say("backup_done", path=str(c.store().backup(None)))
        return
    import tempfile

    from sanjian_cli.render import output as out

    # The store makes the copy (under its lock) in a private folder; the copy then goes
    # where the user said as every --output file does, with the same guarantees and the
    # same refusal (a link stays a link, a device is written into, no folder is created).
    with tempfile.TemporaryDirectory(prefix="sanjian-backup-") as private:
        copy = c.store().backup(Path(private) / "backup.json")
        with open(copy, "rb") as made:
            # a megabyte at a time, never the whole record in memory; a copy stays private
            out.write(output, iter(lambda: made.read(1 << 20), b""), mode=0o600)
    c.say("backup_done", path=str(output.expanduser()))


def restore(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup or exported store file."),
) -> None:
    """Replace the store by FILE, after checking FILE; what it replaces is backed up first."""
    c = context.get(ctx)
    entry = c.store().restore(source.expanduser())
    kept = entry.get("replaced_kept_in")
    if kept:
        c.say("restore_done", path=str(source), kept=kept)
    else:
        c.say("restore_done_new", path=str(source))


def doctor(
    ctx: typer.Context,
    format: str = FORMAT_TEXT,
    adopt: bool = typer.Option(
        False, "--adopt", help="Keep the store as it is although it is behind its log; logged."
    ),
    accept_edits: bool = typer.Option(
        False, "--accept-edits", help="Record an edit made outside sanjian in the log."
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="Why (with --adopt or --accept-edits); kept in the log."
    ),
) -> None:
    """Check the whole record: references, counts, schema, audit chain. Exit 0 when sound."""
    from sanjian_cli.cli.common import emit_json
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render.output import emit
    from sanjian_cli.services import doctor as checks

    fmt = format
    c = context.get(ctx)
    if adopt and accept_edits:
        raise BadInput("adopt_one_of")
    if (adopt or accept_edits) and not (reason or "").strip():
        raise BadInput("adopt_needs_reason")
    if reason is not None and not (adopt or accept_edits):
        raise BadInput("reason_needs_adopt")
    if adopt or accept_edits:
        entry = checks.accept(c.store(), reason or "", edits_only=accept_edits)
        c.say("accept_done" if accept_edits else "adopt_done", path=str(c.db), n=entry.get("n"))
    with c.store().inspecting() as found_in:
        found = checks.check(found_in)
    for doc in found_in.data.get("committee", {}).values():
        lang = doc.get("settings", {}).get("lang") if isinstance(doc, dict) else None
        c.committee_lang = lang if lang in ("zh", "en") else None
    from sanjian_cli.render import doctor as render

    lang = c.lang()
    if fmt == "json":
        emit_json(render.problems_json(str(c.db), found, lang))
    else:
        emit(render.problems_text(found, lang))
    if found:
        c.say("doctor_found", count=len(found), path=str(c.db))
        raise typer.Exit(1)
    c.say("doctor_ok", path=str(c.db))


def log(
    ctx: typer.Context,
    meeting: str | None = typer.Option(None, "--meeting", help="Only changes to this meeting."),
    format: str = FORMAT_TEXT,
) -> None:
    """The audit log: who changed what, when, with which command."""

    from sanjian_cli.cli.common import emit_json
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import SanjianError
    from sanjian_cli.render.output import emit

    fmt = format
    day = clock.parse_date(meeting).isoformat() if meeting else None
    c = context.get(ctx)
    tz = None
    try:
        with c.reading() as record:
            tz_name = record.committee().get("settings", {}).get("timezone")
            tz = clock.zone(tz_name) if tz_name else None
    except SanjianError:
        pass  # the log of a damaged store can still be read
    entries = [e for e in c.store().history() if day is None or day in e.get("meetings", [])]
    if fmt == "json":
        emit_json(entries)
        return
    from sanjian_cli.render import doctor as render

    emit(render.log_text(entries, c.lang(), tz))
