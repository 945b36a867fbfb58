"""Options and small renderings shared by several commands, so each exists once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

FORMAT_TABLE = typer.Option("table", "--format", "-f", help="Output format: table or json.")
FORMAT_PAPER = typer.Option("text", "--format", "-f", help="Output format: text, markdown or json.")
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
LANG = typer.Option(None, "--lang", help="Language of this output: zh or en.")


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    """The format typed (json, 表格, Excel ...) among `allowed`, else BadInput listing them."""
    from sanjian_cli.domain import vocab

    return vocab.pick("format", value, allowed)


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed`, the keys of the vocabulary's kind named by `option` (--layout ->
    layout), typed in either language."""
    from sanjian_cli.domain import vocab

    return vocab.pick(option.lstrip("-"), value, allowed)


def check_lang(value: str | None) -> str | None:
    from sanjian_cli.domain import vocab

    return vocab.pick("lang", value, ("zh", "en")) if value is not None else None


def emit_json(data: Any, output: Path | None = None) -> None:
    from sanjian_cli.render.output import dumps, emit

    emit(dumps(data), output)


def split_names(text: str | None) -> list[str]:
    """A comma-separated list of members (Chinese commas and 、 accepted too)."""
    if not text:
        return []
    for sep in ("，", "、"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def member_json(member: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": member["id"],
        "name": member["name"],
        "side": member["side"],
        "lead": bool(member.get("lead")),
        "voting": bool(member.get("voting", True)),
        "org": member.get("org") or None,
        "phone": member.get("phone") or None,
        "joined": member.get("joined"),
        "retired": member.get("retired"),
        "retire_reason": member.get("retire_reason") or None,
    }


def topic_json(topic: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": topic["id"],
        "title": topic["title"],
        "by": topic["by"],
        "for": topic.get("for") or None,
        "category": topic["category"],
        "detail": topic.get("detail") or None,
        "minutes": topic["minutes"],
        "urgent": bool(topic.get("urgent")),
        "major": bool(topic.get("major")),
        "status": topic["status"],
        "proposed_at": topic["proposed_at"],
        "approvals": list(topic.get("approvals", [])),
        "rejection": topic.get("rejection"),
        "meeting": topic.get("meeting"),
        "carried": int(topic.get("carried", 0)),
        "history": list(topic.get("history", [])),
    }


def paper_text(doc: Any, fmt: str, render: Any, lang: str) -> str:
    """A paper (agenda, minutes, notice...) as JSON or through its renderer as text or
    markdown: the one place where the three formats of every paper are told apart."""
    if fmt == "json":
        from sanjian_cli.render.output import dumps

        return dumps(doc)
    return render(doc, lang, markdown=fmt == "markdown")


def emit_paper(c: Any, text: str, output: Path | None) -> None:
    """Print the paper, or write it to `output` and say where."""
    from sanjian_cli.render.output import emit

    emit(text, output)
    if output is not None:
        c.say("written_to", path=str(output))


def dated_path(output: Path | None, day: str) -> Path | None:
    """`--output` as given, with `{date}` standing for the meeting's date (for cron)."""
    return Path(str(output).replace("{date}", day)) if output is not None else None
