"""`sanjian vote`, `note`, `dissent`, `decide`: what happens to a topic at the meeting."""

from datetime import date as date_type

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import split_names


def register(app: typer.Typer) -> None:
    app.command("vote")(vote)
    app.command("note")(note)
    app.command("dissent")(dissent)
    app.command("decide")(decide)


def vote(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    topic: str = typer.Argument(..., help="Topic id."),
    yes: int | None = typer.Option(None, "--yes", help="Yes votes."),
    no: int | None = typer.Option(None, "--no", help="No votes."),
    abstain: int | None = typer.Option(None, "--abstain", help="Abstentions."),
    yes_by: str | None = typer.Option(None, "--yes-by", help="Who voted yes: A,B,..."),
    no_by: str | None = typer.Option(None, "--no-by", help="Who voted no."),
    abstain_by: str | None = typer.Option(None, "--abstain-by", help="Who abstained."),
    method: str = typer.Option("hands", "--method", help="hands, roll-call or ballot."),
    defer: bool = typer.Option(False, "--defer", help="The chair postpones it (暂缓)."),
    refer: bool = typer.Option(False, "--refer", help="Referred upward (报上级)."),
    at: str | None = typer.Option(
        None,
        "--at",
        help="When the vote was taken, HH:MM (default now; with --correct, as before).",
    ),
    correct: bool = typer.Option(
        False,
        "--correct",
        help="Replace the vote recorded for this topic, every rule checked again.",
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why (with --correct), for the log."),
) -> None:
    """Record a vote; the result follows the committee's counting rule."""
    from sanjian_cli.domain import clock, vocab
    from sanjian_cli.messages import word
    from sanjian_cli.services import meetings, members, topics, votes

    c = context.get(ctx)
    day = clock.parse_date(date)
    taken = clock.parse_time(at) if at is not None else None
    method_key = vocab.method(method)
    with c.writing() as record:
        config, now = context.settings_now(record)
        when = clock.local(day, taken, clock.zone(config["timezone"])) if taken else None
        meeting = meetings.resolve(record, date)
        found = topics.resolve(record, topic)
        named = None
        if yes_by or no_by or abstain_by:
            yes_, no_, abstain_ = (
                [members.resolve(record, n) for n in split_names(group)]
                for group in (yes_by, no_by, abstain_by)
            )
            named = (yes_, no_, abstain_)
        entry = votes.vote(
            record,
            config,
            meeting,
            found,
            counts=(yes, no, abstain),
            named=named,
            method=method_key,
            defer=defer,
            refer=refer,
            now=now,
            at=when,
            correct=correct,
            reason=reason,
        )
    shown = {
        "id": found["id"],
        "outcome": word(c.lang(), "outcome", entry["outcome"]),
        "yes": entry["yes"],
        "no": entry["no"],
        "abstain": entry["abstain"],
    }
    if correct:
        c.say("vote_corrected", **shown)
    else:
        c.say("vote_ok", **shown)


def note(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    topic: str = typer.Argument(..., help="Topic id."),
    text: str | None = typer.Argument(None, help="A main point of the discussion."),
    remove: int | None = typer.Option(
        None,
        "--remove",
        metavar="N",
        help="Take back point N of this topic (as meeting show lists it).",
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why (with --remove), for the log."),
) -> None:
    """Record a point of the discussion of a topic."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.services import meetings, topics, votes

    c = context.get(ctx)
    clock.parse_date(date)
    if (remove is None) == (text is None):
        raise BadInput("text_or_remove")
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = topics.resolve(record, topic)
        meeting = meetings.resolve(record, date)
        if remove is not None:
            votes.remove_note(record, meeting, found, remove, now, reason)
        else:
            votes.add_note(record, meeting, found, text or "", now)
    if remove is not None:
        c.say("note_removed", n=remove, id=found["id"])
    else:
        c.say("note_ok", id=found["id"])


def dissent(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    topic: str = typer.Argument(..., help="Topic id."),
    member: str = typer.Argument(..., help="Who holds the opinion (id or name)."),
    text: str | None = typer.Argument(None, help="The opinion, as said."),
    remove: bool = typer.Option(
        False, "--remove", help="Take back this member's opinion on the topic."
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why (with --remove), for the log."),
) -> None:
    """Record a named minority opinion (kept as said; written if the member was absent)."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import BadInput
    from sanjian_cli.services import meetings, members, topics, votes

    c = context.get(ctx)
    clock.parse_date(date)
    if remove == (text is not None):
        raise BadInput("text_or_remove")
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = topics.resolve(record, topic)
        who = members.resolve(record, member)
        meeting = meetings.resolve(record, date)
        if remove:
            votes.remove_dissent(record, meeting, found, who, now, reason)
        else:
            votes.add_dissent(record, meeting, found, who, text or "", now)
    if remove:
        c.say("dissent_removed", name=who["name"], id=found["id"])
    else:
        c.say("dissent_ok", name=who["name"], id=found["id"])


def decide(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    topic: str = typer.Argument(..., help="Topic id."),
    text: str = typer.Argument(..., help="What was decided."),
    owner: str | None = typer.Option(None, "--owner", help="责任人 (id or name)."),
    due: str | None = typer.Option(None, "--due", help="时限, YYYY-MM-DD."),
) -> None:
    """Record a decision item (议定事项); a missing owner or due date stays 待定."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import actions, meetings, members, topics

    c = context.get(ctx)
    clock.parse_date(date)
    due_day: date_type | None = clock.parse_date(due) if due else None
    with c.writing() as record:
        _config, now = context.settings_now(record)
        found = topics.resolve(record, topic)
        who = members.resolve(record, owner) if owner else None
        item = actions.decide(
            record, meetings.resolve(record, date), found, text, owner=who, due=due_day, now=now
        )
    c.say("decide_ok", id=item["id"])
