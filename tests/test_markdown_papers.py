"""Markdown papers are CommonMark that renders as the text paper reads: parsed with
markdown-it-py, every heading, paragraph and list item is a line of the text paper, in
order, and user text stays text (no link, no HTML, no emphasis) whatever it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from _papers import AFTER, D, build_week, markdown_lines, text_lines
from _week import Go, accepted
from _whole import whole_bytes

pytest.importorskip("markdown_it")

PAPERS = {
    "record": ("minutes", D),
    "official": ("minutes", D, "--layout", "official"),
    "agenda": ("agenda", "build", "--next"),
    "notice": ("notice",),
    "publish": ("publish", D),
    "summary": ("report", "summary", "--year", "2026"),
}

HOSTILE = "[点我](https://evil.example) <b>粗</b> *斜* `码` _下_ &amp; \\ # 标题"
LIST_LIKE = "1. 像是列表"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    go = Go(tmp_path_factory.mktemp("md") / "store.json")
    build_week(go)
    go("meeting", "plan", "2026-12-02", "--recorder", "李秀兰", now=AFTER)
    # user text that is markdown syntax, on the next agenda and in its notice
    accepted(go, HOSTILE, "刘洋", "--detail", LIST_LIKE, at="2026-11-26T08:00")
    # a title may begin with "-": after `--` it is no option
    go("topic", "add", "--by", "刘洋", "--detail=> 像是引用", "--", "- 像是要点 <script>x</script>",
       now="2026-11-26T08:10")  # fmt: skip
    for lead in ("张建国", "陈静", "孙丽华"):
        go("topic", "approve", "8", "--by", lead, now="2026-11-26T08:10")
    go("agenda", "build", "2026-12-02", now=AFTER)  # so the notice lists them too
    return whole_bytes(go.path)


def _both(template: bytes, folder: Path, args: tuple[str, ...], lang: str) -> tuple[str, str]:
    store = folder / "store.json"
    outs = []
    for fmt in ("text", "markdown"):
        store.write_bytes(template)
        go = Go(store, now=AFTER)
        outs.append(go(*args, "--format", fmt, "--lang", lang).stdout)
    return outs[0], outs[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(PAPERS))
def test_markdown_renders_as_the_text_paper_reads(template, tmp_path, name, lang) -> None:
    text, markdown = _both(template, tmp_path, PAPERS[name], lang)
    assert markdown.startswith("# ")
    assert markdown_lines(markdown) == text_lines(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_sign_in_sheet_is_one_table(template, tmp_path, lang) -> None:
    from markdown_it import MarkdownIt

    _text, markdown = _both(template, tmp_path, ("signin-sheet", "2026-12-02"), lang)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert [t.type for t in tokens].count("table_open") == 1
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 1 + 3 + 9 + 1 + 1 + 1 + 5  # head, 3 sides, 9, 列席 + 1, guests + 5
    markdown_lines(markdown, table=True)  # and nothing in it is markup but the group labels


def test_user_text_is_escaped_the_same_way_in_every_markdown_paper(template, tmp_path) -> None:
    from sanjian_cli.render.safe import visible
    from sanjian_cli.render.text import md

    agenda_text, agenda_md = _both(template, tmp_path, ("agenda", "build", "--next"), "zh")
    notice_text, notice_md = _both(template, tmp_path, ("notice",), "zh")
    for markdown in (agenda_md, notice_md):
        assert md(HOSTILE) in markdown  # the one escaping helper, in both papers
        shown = markdown_lines(markdown)  # no link, HTML or emphasis came of it
        assert any(visible(HOSTILE) in line for line in shown)
    # text that would open a list or a quote at the start of a line stays a paragraph
    shown = markdown_lines(agenda_md)
    assert LIST_LIKE in shown and "> 像是引用" in shown
    assert any(line.startswith("【") or "- 像是要点 <script>x</script>" in line for line in shown)
    assert "<script>" not in "".join(shown).replace("<script>x</script>", "")
    assert visible(HOSTILE) in agenda_text and visible(HOSTILE) in notice_text


def test_the_escape_leaves_no_syntax_at_the_start_of_a_line() -> None:
    from markdown_it import MarkdownIt

    from sanjian_cli.render.text import md

    for text in ("1. 一", "2) 二", "- 三", "+ 四", "# 五", "> 六", "    七", "===", "---", "```",
                 "<div>八</div>", "[九]: http://x", "&copy;", "*十*"):  # fmt: skip
        tokens = MarkdownIt("commonmark").parse(md(text))
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], text
        inline = tokens[1].children or []
        assert [c.type for c in inline] == ["text"], text
        assert inline[0].content == text, text
