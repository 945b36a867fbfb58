"""`sanjian topic`: topic collection (议题征集) and agreement by the leads (协商确定)."""

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import FORMAT_TABLE, FROM, TO, YEAR, emit_json

topic_app = typer.Typer(help="Topics: propose, approve, reject, list.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(topic_app, name="topic")


@topic_app.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="The topic, concrete and in writing."),
    by: str = typer.Option(..., "--by", help="The proposing member (id or name)."),
    for_: str | None = typer.Option(None, "--for", help="A resident proposing through --by."),
    category: str = typer.Option(
        "other",
        "--category",
        help="politics, economy, culture, environment, welfare, plan, project, other (or 中文).",
    ),
    detail: str | None = typer.Option(None, "--detail", help="Background and the proposal."),
    minutes: int | None = typer.Option(None, "--minutes", help="Time it needs (default 15)."),
    urgent: bool = typer.Option(False, "--urgent", help="Needs a quick answer."),
    major: bool = typer.Option(False, "--major", help="A major matter: quorum of two thirds."),
) -> None:
    """Propose a topic."""
    from sanjian_cli.domain import vocab
    from sanjian_cli.services import members, topics

    c = context.get(ctx)
    category_key = vocab.category(category)
    with c.writing() as record:
        config, now = context.settings_now(record)
        proposer = members.resolve(record, by)
        topic = topics.add(
            record,
            title=title,
            by=proposer,
            for_name=for_,
            category=category_key,
            detail=detail,
            minutes=minutes if minutes is not None else config["topic-minutes"],
            urgent=urgent,
            major=major,
            at=now,
        )
    c.say("topic_added", id=topic["id"], title=topic["title"])


@topic_app.command("approve")
def approve(
    ctx: typer.Context,
    topic: str = typer.Argument(..., help="Topic id."),
    by: str = typer.Option(..., "--by", help="The approving lead (id or name)."),
) -> None:
    """Record a lead's agreement; accepted once every side's lead agrees."""
    from sanjian_cli.messages import word
    from sanjian_cli.services import members, topics

    c = context.get(ctx)
    with c.writing() as record:
        config, now = context.settings_now(record)
        found = topics.resolve(record, topic)
        lead = members.resolve(record, by)
        updated, pending = topics.approve(record, found, lead, config["approval"], now)
    if pending:
        names = "、".join(word(c.lang(), "side", s) for s in pending)
        c.say("topic_approved", name=lead["name"], id=updated["id"], pending=names)
    else:
        c.say("topic_accepted", id=updated["id"])


@topic_app.command("reject")
def reject(
    ctx: typer.Context,
    topic: str = typer.Argument(..., help="Topic id."),
    by: str = typer.Option(..., "--by", help="The rejecting lead."),
    reason: str = typer.Option(..., "--reason", help="Why it is not taken up."),
) -> None:
    """Reject a topic, with the reason."""
    from sanjian_cli.services import members, topics

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = topics.resolve(record, topic)
        lead = members.resolve(record, by)
        updated = topics.reject(record, found, lead, reason, now)
    c.say("topic_rejected", id=updated["id"], reason=reason)


@topic_app.command("edit")
def edit(
    ctx: typer.Context,
    topic: str = typer.Argument(..., help="Topic id."),
    title: str | None = typer.Option(None, "--title", help="New wording (before approval)."),
    detail: str | None = typer.Option(None, "--detail", help="New detail (before approval)."),
    for_: str | None = typer.Option(None, "--for", help="The resident (before approval)."),
    category: str | None = typer.Option(None, "--category", help="New category."),
    minutes: int | None = typer.Option(None, "--minutes", help="Time it needs on the agenda."),
    urgent: bool | None = typer.Option(None, "--urgent/--not-urgent", help="Urgent or not."),
    major: bool | None = typer.Option(None, "--major/--not-major", help="A major matter."),
) -> None:
    """Change a topic that is not yet decided (its wording only before any approval)."""
    from sanjian_cli.domain import vocab
    from sanjian_cli.services import topics

    c = context.get(ctx)
    changes = {
        "title": title,
        "detail": detail,
        "for": for_,
        "category": vocab.category(category) if category is not None else None,
        "minutes": minutes,
        "urgent": urgent,
        "major": major,
    }
    with c.writing() as record:
        context.settings_now(record)
        updated = topics.edit(record, topics.resolve(record, topic), changes)
    c.say("topic_updated", id=updated["id"])


@topic_app.command("withdraw")
def withdraw(ctx: typer.Context, topic: str = typer.Argument(..., help="Topic id.")) -> None:
    """Withdraw a topic that is not yet on an agenda."""
    from sanjian_cli.services import topics

    c = context.get(ctx)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        updated = topics.withdraw(record, topics.resolve(record, topic), now)
    c.say("topic_withdrawn", id=updated["id"])


@topic_app.command("list")
def list_(
    ctx: typer.Context,
    status: str | None = typer.Option(
        None,
        "--status",
        help="proposed, accepted, scheduled, passed, failed, referred, rejected, withdrawn.",
    ),
    search: str | None = typer.Option(
        None, "--search", help="Only topics whose title, detail or resident holds this text."
    ),
    category: str | None = typer.Option(
        None, "--category", help="Only this category (as in topic add)."
    ),
    year: int | None = YEAR,
    start: str | None = FROM,
    end: str | None = TO,
    format: str = FORMAT_TABLE,
) -> None:
    """List topics, oldest first; the period is the day each was proposed."""
    from sanjian_cli.domain import documents, vocab
    from sanjian_cli.render import tables
    from sanjian_cli.render import topics as view
    from sanjian_cli.services import members, reports, topics

    fmt = format
    wanted = vocab.topic_status(status) if status else None
    kind = vocab.category(category) if category is not None else None
    period = reports.period(start, end, year)
    c = context.get(ctx)
    with c.reading() as record:
        context.settings_now(record)
        found = topics.listing(record, wanted, search=search, category=kind, period=period)
        names = members.names(record)
    if fmt == "json":
        emit_json([documents.topic_json(tp) for tp in found])
        return
    tables.table(None, *view.listing(found, names, c.lang()))


@topic_app.command("show")
def show(
    ctx: typer.Context,
    topic: str = typer.Argument(..., help="Topic id."),
    format: str = FORMAT_TABLE,
) -> None:
    """Show one topic, with its approvals and history."""
    from sanjian_cli.domain import documents
    from sanjian_cli.render import tables
    from sanjian_cli.render import topics as view
    from sanjian_cli.services import members, topics

    fmt = format
    c = context.get(ctx)
    with c.reading() as record:
        config, now = context.settings_now(record)
        found, pending = topics.show(record, topic, config["approval"], now)
        names = members.names(record)
    if fmt == "json":
        emit_json(documents.topic_show_json(found, pending))
        return
    tables.pairs(None, view.show(found, pending, names, c.lang()))
