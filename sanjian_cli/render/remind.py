"""Decision items as plain lines: the reminder for the group chat and the cron mail."""

from __future__ import annotations

from datetime import date
from typing import Any

from sanjian_cli.messages import t
from sanjian_cli.render.papers import _action_line, _name, _Writer
from sanjian_cli.render.safe import visible


def _state(lang: str, due: str | None, today: date) -> str:
    if not due:
        return t(lang, "missing")
    left = (date.fromisoformat(due) - today).days
    if left < 0:
        return t(lang, "remind.overdue", days=-left)
    if left == 0:
        return t(lang, "remind.due_today")
    return t(lang, "remind.due_in", days=left)


def reminder(
    groups: list[dict[str, Any]],
    committee: str,
    days: int,
    today: date,
    lang: str,
    markdown: bool = False,
) -> str:
    """Empty when there is nothing to remind of, so cron sends no mail."""
    if not groups:
        return ""
    w = _Writer(lang, markdown)
    w.title(w.t("remind.title", committee=visible(committee), days=days))
    for group in groups:
        owner = _name(lang, group["owner"])
        w.heading(w.t("remind.owner", name=owner))
        for item in group["items"]:
            state = w.t("remind.due", due=item["due"], state=_state(lang, item["due"], today))
            sep = "（" if lang == "zh" else " ("
            end = "）" if lang == "zh" else ")"
            line = f"#{item['id']} {visible(item['text'])}{sep}{state}{end}"
            w.lines.append(f"- {line}" if markdown else f"   {line}")
    return w.done()


def action_lines(entries: list[dict[str, Any]], lang: str) -> str:
    """One line per decision item, plain text; nothing at all when there are none."""
    w = _Writer(lang, False)
    for entry in entries:
        w.lines.append(f"{entry['meeting']} {_action_line(w, entry, with_status=True)}")
    return w.done() if entries else ""
