"""`sanjian member`: the roster."""

from pathlib import Path
from typing import Any

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, OUTPUT, emit_json, format_option

member_app = typer.Typer(help="The roster: members of the three sides.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(member_app, name="member")


@member_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The member's name."),
    side: str = typer.Option(
        ..., "--side", help="cadre|social-worker|volunteer (政工/社工/志愿者)."
    ),
    lead: bool = typer.Option(False, "--lead", help="The side's principal lead (主要负责人)."),
    non_voting: bool = typer.Option(False, "--non-voting", help="Attends without a vote (列席)."),
    org: str | None = typer.Option(None, "--org", help="Organisation or unit."),
    phone: str | None = typer.Option(None, "--phone", help="Kept on the roster, never in minutes."),
    joined: str | None = typer.Option(None, "--joined", help="Date joined, YYYY-MM-DD (today)."),
    same_name: bool = typer.Option(
        False, "--same-name", help="A second person of a name already on the roster."
    ),
) -> None:
    """Add a member to the roster."""
    from sanjian_cli.domain import clock, vocab
    from sanjian_cli.services import members

    c = context.get(ctx)
    side_key = vocab.side(side)
    from sanjian_cli.domain import pinyin

    pinyin.prepare()  # the new name's pinyin: loaded before the record (see `prepare`)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        day = clock.parse_date(joined) if joined else now.date()
        member = members.add(
            record,
            name=name,
            side=side_key,
            lead=lead,
            voting=not non_voting,
            org=org,
            phone=phone,
            joined=day,
            same_name=same_name,
        )
    c.say("member_added", id=member["id"], name=member["name"], side=member["side"])


@member_app.command("list")
def list_(
    ctx: typer.Context,
    format: str = FORMAT_TABLE,
    all_: bool = typer.Option(False, "--all", help="Include members who have left."),
    side: str | None = typer.Option(None, "--side", help="Only this side."),
) -> None:
    """List the members (current ones unless --all)."""
    from sanjian_cli.domain import documents, vocab
    from sanjian_cli.render import members as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import members

    fmt = format
    c = context.get(ctx)
    side_key = vocab.side(side) if side else None
    with c.reading() as record:
        _config, now = context.settings_now(record)
        shown = members.listing(record, now.date(), all_=all_, side=side_key)
    if fmt == "json":
        emit_json([documents.member_json(m) for m in shown])
        return
    tables.table(None, *view.listing(shown, c.lang()))


@member_app.command("show")
def show(
    ctx: typer.Context,
    member: str = typer.Argument(..., help="Id or name."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one member."""
    from sanjian_cli.domain import documents
    from sanjian_cli.render import members as view
    from sanjian_cli.render import tables
    from sanjian_cli.services import members

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = documents.member_json(members.resolve(record, member))
    if fmt == "json":
        emit_json(found)
        return
    tables.pairs(None, view.show(found, c.lang()))


@member_app.command("edit")
def edit(
    ctx: typer.Context,
    member: str = typer.Argument(..., help="Id or name."),
    name: str | None = typer.Option(None, "--name", help="New name."),
    side: str | None = typer.Option(None, "--side", help="New side."),
    lead: bool | None = typer.Option(None, "--lead/--no-lead", help="Make or unmake the lead."),
    voting: bool | None = typer.Option(None, "--voting/--non-voting", help="Voting or 列席."),
    org: str | None = typer.Option(None, "--org", help="New organisation."),
    phone: str | None = typer.Option(None, "--phone", help="New phone number."),
    retired: str | None = typer.Option(
        None, "--retired", help="Correct the last day on the roster of a member who left."
    ),
) -> None:
    """Change a member's details."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.services import members

    c = context.get(ctx)
    last = clock.parse_date(retired) if retired is not None else None
    given = (name, side, lead, voting, org, phone)
    if last is not None and any(v is not None for v in given):
        raise BadInput("retired_alone")
    if name is not None:
        from sanjian_cli.domain import pinyin

        pinyin.prepare()  # the new name's pinyin: loaded before the record (see `prepare`)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = members.resolve(record, member)
        if last is not None:
            updated = members.correct_retired(record, found, last)
        else:
            updated = _edit(record, found, now, name, side, lead, voting, org, phone)
    if last is not None:
        c.say("member_retired_ok", id=updated["id"], name=updated["name"], date=updated["retired"])
    else:
        c.say("member_updated", id=updated["id"], name=updated["name"])


def _edit(
    record: Any,
    found: Any,
    now: Any,
    name: str | None,
    side: str | None,
    lead: bool | None,
    voting: bool | None,
    org: str | None,
    phone: str | None,
) -> Any:
    from sanjian_cli.domain import vocab
    from sanjian_cli.services import members

    changes = {
        "name": name,
        "side": vocab.side(side) if side else None,
        "lead": lead,
        "voting": voting,
        "org": org,
        "phone": phone,
    }
    return members.edit(record, found, changes, now.date())


@member_app.command("retire")
def retire(
    ctx: typer.Context,
    member: str = typer.Argument(..., help="Id or name."),
    date: str | None = typer.Option(None, "--date", help="Last day on the roster (today)."),
    reason: str | None = typer.Option(None, "--reason", help="Why the member leaves."),
) -> None:
    """Retire a member: kept for history, no longer 应到 after the date."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import members

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = members.resolve(record, member)
        day = clock.parse_date(date) if date else now.date()
        updated = members.retire(record, found, day, reason)
    c.say("member_retired_ok", id=updated["id"], name=updated["name"], date=updated["retired"])


@member_app.command("remove")
def remove(
    ctx: typer.Context,
    member: str = typer.Argument(..., help="Id or name."),
    reason: str | None = typer.Option(None, "--reason", help="Why (a correction), for the log."),
) -> None:
    """Remove a member added by mistake (only one the record refers to nowhere)."""
    from sanjian_cli.services import members

    c = context.get(ctx)
    with c.writing() as record:
        context.settings_now(record)
        gone = members.remove(record, members.resolve(record, member), reason)
    c.say("member_removed", id=gone["id"], name=gone["name"])


@member_app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A roster: .xlsx, .xls, .ods or .csv."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan; change nothing."),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Import the good rows even when some are refused."
    ),
    format: str = FORMAT_TABLE,
) -> None:
    """Add and update members from a spreadsheet, all rows as one change."""
    from sanjian_cli.errors import Refused
    from sanjian_cli.render import sheets
    from sanjian_cli.services import member_import

    fmt = format
    c = context.get(ctx)
    tables = sheets.read_tables(file)
    if any(table.rows for table in tables):
        from sanjian_cli.domain import pinyin

        pinyin.prepare()  # before the record is read: see `prepare`
    opened = c.reading if dry_run else c.writing
    try:
        with opened() as record:
            _config, now = context.settings_now(record)
            plan = member_import.apply(record, tables, now.date(), file.name)
            if not dry_run and not skip_bad:
                member_import.require_clean(plan)
            plan.applied = not dry_run
    except member_import.ImportRefused as refused:
        for line in sheets.refusal_lines(refused.plan, c.lang()):
            _stderr(line)
        raise
    lang = c.lang()
    if fmt == "json":
        emit_json(sheets.plan_json(plan, lang))
    elif dry_run:
        sheets.plan_table(plan, lang)
    if not dry_run:
        for line in sheets.refusal_lines(plan, lang):
            _stderr(line)
        if plan.refused:
            c.say("import.skipped", n=len(plan.refused))
        c.say("import.done", file=file.name, add=plan.count("add"), update=plan.count("update"),
              same=plan.count("same"))  # fmt: skip
    elif plan.refused and not skip_bad:
        raise Refused("import.would_refuse", n=len(plan.refused))


def _stderr(line: str) -> None:
    from sanjian_cli.render.output import info
    from sanjian_cli.render.safe import visible

    info(visible(line))


@member_app.command("export")
def export(
    ctx: typer.Context,
    format: str | None = format_option(
        ("csv", "xlsx"),
        help="Output format: csv or xlsx (default: xlsx for an --output ending .xlsx, else csv).",
        required_default=False,
    ),
    output: Path | None = OUTPUT,
) -> None:
    """Write the roster as the spreadsheet `member import` reads back."""
    from sanjian_cli.errors import BadInput
    from sanjian_cli.render import sheets
    from sanjian_cli.render.output import emit
    from sanjian_cli.services import member_import

    if format is None:
        format = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "csv"
    fmt = format
    if fmt == "xlsx" and output is None:
        raise BadInput("xlsx_needs_output")
    c = context.get(ctx)
    with c.reading() as record:
        _config, now = context.settings_now(record)
        roster = sorted(member_import.current(record, now.date()), key=lambda m: m["id"])
    lang = c.lang()
    if fmt == "xlsx":
        emit(sheets.roster_xlsx(roster, lang, now), output)
    else:
        emit(sheets.roster_csv(roster, lang), output)
    if output is not None:
        c.say("written_to", path=str(output))
