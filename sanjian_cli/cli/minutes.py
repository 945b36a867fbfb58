"""`sanjian minutes`: the minutes (会议纪要) of a meeting, and their approval.

`sanjian minutes DATE [...]` prints them (the default sub-command, `show`);
`sanjian minutes approve DATE` approves them, after which the meeting changes only by
amendment (`--amend --reason TEXT`).
"""

from functools import partial
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from sanjian_cli.cli import context
from sanjian_cli.cli.common import (
    FORMAT_FILED_PAPER,
    LANG,
    OUTPUT,
    TEMPLATE,
    check_choice,
    check_docx,
    check_lang,
    docx_paper,
    emit_paper,
    paper_text,
)


class _DefaultShow(TyperGroup):
    """A group whose first argument, when it is not a sub-command, belongs to `show`."""

    default_command = "show"  # read by the completion table too

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """The sub-commands, then what `show` takes first: `minutes <TAB>` offers the dates."""
        results = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            first = self.commands[self.default_command].params[0]
            results.extend(first.shell_complete(ctx, incomplete))
        return results


minutes_app = typer.Typer(
    cls=_DefaultShow,
    help="The minutes of a meeting: minutes DATE prints them; minutes approve DATE locks them.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(minutes_app, name="minutes")


@minutes_app.command("show")
def minutes(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting, YYYY-MM-DD."),
    format: str = FORMAT_FILED_PAPER,
    output: Path | None = OUTPUT,
    lang: str | None = LANG,
    layout: str = typer.Option(
        "record",
        "--layout",
        help="record: attendance after the header (会议记录); official: the 纪要 layout, "
        "attendance after the body as 出席/请假/缺席/列席 lines.",
    ),
    template: Path | None = TEMPLATE,
) -> None:
    """Print or export the minutes of a meeting."""
    from sanjian_cli.domain import clock
    from sanjian_cli.render import papers as render
    from sanjian_cli.services import committee, meetings, papers

    fmt = format
    lang = check_lang(lang)
    official = check_choice("--layout", layout, ("record", "official")) == "official"
    base = check_docx(fmt, output, template)
    clock.parse_date(date)
    c = context.get(ctx)
    with c.reading() as record:
        info = committee.require(record)
        config, now = context.settings_now(record)
        doc = papers.minutes(record, info, meetings.resolve(record, date), now)
    del record  # an old meeting's year, let go before a Word file is made (python-docx)
    chosen = c.lang(lang)
    if fmt == "docx":
        paper = render.minutes_paper(doc, chosen, official=official)
        emit_paper(c, docx_paper(c, paper, config, now, base), output)
        return
    text = paper_text(doc, fmt, partial(render.minutes, official=official), chosen)
    emit_paper(c, text, output)


@minutes_app.command("approve")
def approve(
    ctx: typer.Context,
    date: str = typer.Argument(..., help="The meeting whose minutes are approved, YYYY-MM-DD."),
    by: str | None = typer.Option(
        None, "--by", help="Who approves them (id or name; default the meeting's chair)."
    ),
) -> None:
    """Approve the minutes of a closed meeting; later changes need --amend --reason."""
    from sanjian_cli.domain import clock
    from sanjian_cli.services import closing, meetings, members

    c = context.get(ctx)
    clock.parse_date(date)
    with c.writing() as record:
        _config, now = context.settings_now(record)
        who = members.resolve(record, by) if by is not None else None
        closing.approve_minutes(record, meetings.resolve(record, date), now, who)
    c.say("minutes_approved_ok", date=clock.parse_date(date).isoformat())
