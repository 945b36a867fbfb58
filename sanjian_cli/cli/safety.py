"""`sanjian backup`, `restore`, `doctor`, `log`: keeping the record safe and accountable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
        out.write(output, copy.read_bytes(), mode=0o600)  # a copy of the record stays private
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
) -> None:
    """Check the whole record: references, counts, schema, audit chain. Exit 0 when sound."""
    from sanjian_cli.cli.common import emit_json
    from sanjian_cli.render.output import emit
    from sanjian_cli.render.safe import visible
    from sanjian_cli.services import doctor as checks

    fmt = format
    c = context.get(ctx)
    with c.store().inspecting() as (data, problem, archives):
        found = checks.check(c.db, data, problem, archives)
        if data:
            for doc in data.get("committee", {}).values():
                lang = doc.get("settings", {}).get("lang") if isinstance(doc, dict) else None
                c.committee_lang = lang if lang in ("zh", "en") else None
    lang = c.lang()
    from sanjian_cli.messages import t

    def say(key: str, params: dict[str, Any]) -> str:
        if "kind" in params:
            params = {**params, "kind": t(lang, f"doctor.kind.{params['kind']}")}
        return t(lang, key, **params)

    if fmt == "json":
        emit_json(
            {
                "store": str(c.db),
                "ok": not found,
                "problems": [
                    {"where": where, "code": key.split(".", 1)[-1],
                     "message": say(key, params), "detail": params}
                    for where, key, params in found
                ],
            }
        )  # fmt: skip
    else:
        emit("".join(f"{visible(w)}: {visible(say(k, p))}\n" for w, k, p in found))
    if found:
        c.say("doctor_found", count=len(found), path=str(c.db))
        raise typer.Exit(1)
    c.say("doctor_ok", path=str(c.db))


def _summary(entry: dict[str, Any]) -> str:
    parts = []
    for change in entry.get("changes", []):
        mark = {"add": "+", "remove": "-"}.get(change.get("op"), "~")
        fields = change.get("fields") or {}
        shown = "" if mark != "~" else " " + ",".join(fields)
        parts.append(f"{mark}{change.get('table')}#{change.get('id')}{shown}")
    return "; ".join(parts)


def log(
    ctx: typer.Context,
    meeting: str | None = typer.Option(None, "--meeting", help="Only changes to this meeting."),
    format: str = FORMAT_TEXT,
) -> None:
    """The audit log: who changed what, when, with which command."""
    from datetime import datetime

    from sanjian_cli.cli.common import emit_json
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import SanjianError
    from sanjian_cli.render.output import emit
    from sanjian_cli.render.safe import visible
    from sanjian_cli.store import audit

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
    entries = [e for e in audit.entries(c.db) if day is None or day in e.get("meetings", [])]
    if fmt == "json":
        emit_json(entries)
        return
    lang = c.lang()
    if not entries:
        emit(c.t("log_empty") + "\n")
        return
    lines = []
    for e in entries:
        try:
            at = datetime.fromisoformat(e.get("at", ""))
            when = (at.astimezone(tz) if tz else at).strftime("%Y-%m-%d %H:%M:%S")
        except (TypeError, ValueError):
            when = str(e.get("at"))
        command = " ".join(str(a) for a in e.get("command", []))
        extra = []
        if e.get("amendment"):
            extra.append(c.t("log.amendment", reason=e["amendment"]))
        if e.get("restored_from"):
            extra.append(c.t("log.restored", path=e["restored_from"]))
        if e.get("migrated_from") is not None:
            extra.append(c.t("log.migrated", old=e["migrated_from"]))
        head = f"#{e.get('n')} {when} {e.get('user')}: {command}"
        lines.append(visible(head))
        lines.append("    " + visible(_summary(e)))
        lines.extend("    " + visible(x) for x in extra)
    del lang
    emit("\n".join(lines) + "\n")
