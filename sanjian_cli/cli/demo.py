"""`sanjian demo`: a realistic committee and one full week, printed as agenda and minutes."""

from __future__ import annotations

from pathlib import Path

import typer

from sanjian_cli.cli import context
from sanjian_cli.cli.common import LANG, check_lang


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    db: Path | None = typer.Option(None, "--db", help="Store to create (default: the usual)."),
    lang: str | None = LANG,
) -> None:
    """Create a demo committee, run one full week on it, print the agenda and the minutes."""
    from sanjian_cli.domain import clock
    from sanjian_cli.errors import Refused
    from sanjian_cli.render import papers as render
    from sanjian_cli.render.output import emit
    from sanjian_cli.services import committee, meetings, papers
    from sanjian_cli.services import demo as week

    lang = check_lang(lang)
    c = context.get(ctx)
    if db is not None:
        c.db = db.expanduser()
    chosen = lang or c.lang_override or "zh"
    with c.writing() as record:
        existing = record.committee()
        if existing and not existing.get("demo"):
            raise Refused("demo_exists", path=str(c.db), name=existing.get("name", ""))
        now = clock.now(clock.zone("Asia/Shanghai"))
        shown = week.run(record, now, chosen)
        info = committee.require(record)
        agenda_doc = shown["agenda"]
        minutes_doc = papers.minutes(record, info, meetings.resolve(record, shown["date"]))
        c.committee_lang = chosen
    emit(render.agenda(agenda_doc, chosen))
    emit("\n")
    emit(render.minutes(minutes_doc, chosen))
    emit("\n")
    emit(c.t("demo_done", path=str(c.db)) + "\n")
    emit(c.t("demo_next") + "\n")
    db_arg = f" --db {c.db}" if db is not None else ""
    for line in (
        f"sanjian{db_arg} member list",
        f"sanjian{db_arg} topic list --status accepted",
        f"sanjian{db_arg} action list --open",
        f"sanjian{db_arg} minutes {shown['date']} --lang en",
        f"sanjian{db_arg} agenda build --next",
    ):
        emit(f"  {line}\n")
