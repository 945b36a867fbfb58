"""User text is data: markup, control characters, bidi marks and sheer length print
verbatim (control characters made visible) in tables, papers and files, never crash."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanjian_cli.render.safe import visible

HOSTILE = [
    "[bold]加粗[/bold]",
    "[/]",
    "[link=https://example.com]点我[/link]",
    ":smile: :thumbs_up:",
    "\x1b[31m红色\x1b[0m\x1b]0;title\x07",
    "第一行\n第二行\r\n第三行",
    "\u202eevil\u202c \u200f右到左\u200e",
    "=1+1",
    "名" * 10_000,
]

_text = st.one_of(
    st.sampled_from(HOSTILE[:-1]),
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("[]/:=@+-\\\x1b\n\r\t\u202e\u200f\x00\x7f\u2028 ")),
            st.characters(codec="utf-8", exclude_categories=("Cs",)),
        ),
        min_size=1,
        max_size=40,
    ),
).filter(lambda s: s.strip())


@pytest.fixture
def on_agenda(committee, monkeypatch):
    monkeypatch.setenv("COLUMNS", "4000")
    run = committee
    run("topic", "add", "底稿", "--by", "刘洋")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead)
    run("agenda", "build", "2026-11-25")
    return run


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_text)
def test_text_through_add_list_minutes(on_agenda, text) -> None:
    run = on_agenda
    # `--` ends the options: a title may begin with "-" like any other character
    added = run("topic", "add", "--by", "刘洋", f"--detail={text}", "--", text)
    assert "Traceback" not in added.output
    assert "\x1b" not in added.stderr  # the confirmation shows, never obeys
    listed = json.loads(run("topic", "list", "--format", "json").stdout)
    assert listed[-1]["title"] == text and listed[-1]["detail"] == text
    table = run("topic", "list").stdout
    assert "\x1b" not in table and "\u202e" not in table
    if text.isprintable() and len(text) < 30:
        assert visible(text) in table
    run("guest", "2026-11-25", "--", text)
    run("note", "2026-11-25", "1", "--", text)
    minutes = run("minutes", "2026-11-25").stdout
    assert minutes.count(visible(text)) >= 2  # the guest and the note, verbatim
    assert "\x1b" not in minutes and "\u202e" not in minutes
    as_json = json.loads(run("minutes", "2026-11-25", "--format", "json").stdout)
    assert as_json["attendees"][-1]["name"] == text


@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_text_in_table_paper_and_file(on_agenda, tmp_path, text) -> None:
    run = on_agenda
    run("member", "add", text, "--side", "志愿者")
    run("topic", "add", text, "--by", text)
    members = json.loads(run("member", "list", "--format", "json").stdout)
    assert members[-1]["name"] == text
    shown = run("member", "list").stdout + run("topic", "show", "2").stdout
    assert "\x1b" not in shown and "\u202e" not in shown
    if len(text) < 100:
        assert visible(text) in shown
    run("note", "2026-11-25", "1", text)
    out = tmp_path / "纪要 [draft].md"
    run("minutes", "2026-11-25", "--format", "markdown", "--output", str(out))
    written = out.read_text(encoding="utf-8")
    assert "\x1b" not in written
    # markdown shows the text as typed once rendered: escaped, never markup
    assert visible(text) in rendered_text(written)


def rendered_text(markdown: str) -> str:
    """What a CommonMark reader shows of `markdown`: the text of every block, one a line."""
    from markdown_it import MarkdownIt

    lines = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            assert all(c.type in ("text", "softbreak") for c in token.children or []), token
            lines.append("".join(c.content for c in token.children or []))
    return "\n".join(lines)
