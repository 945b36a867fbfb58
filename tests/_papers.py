"""A week with every kind of paper in it, built once per test module, and the readers the
paper tests share: the text lines a paper shows, in each of its forms."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from _week import Go, accepted, found_committee

D = "2026-11-25"
LAST = "2026-11-18"
AFTER = "2026-11-26T09:00:00+08:00"  # the papers are made the morning after
LINK = "https://meet.example/xfl"
EIGHT = ("张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟", "吴晓梅")


def build_week(go: Go) -> dict[str, int]:
    """Last week's meeting leaves two decisions (one done before this week's); this week
    the previous minutes are approved at the meeting, one topic is voted by roll call with
    dissent and decisions, one by ballot, one deferred and one referred by the chair, one
    not reached; a leave in time, a guest, an online link. Returns the topic ids."""
    found_committee(go, plan=False)
    go("config", "set", "online", LINK)
    go("meeting", "plan", LAST, "--recorder", "李秀兰", now="2026-11-10T09:00")
    old = accepted(go, "楼道堆物清理", at="2026-11-09T10:00")
    go("agenda", "build", LAST, now="2026-11-10T09:00")
    go("attend", LAST, *EIGHT, now="2026-11-18T19:00")
    go("vote", LAST, str(old), "--yes", "8", now="2026-11-18T19:10")
    go("decide", LAST, str(old), "每周巡查一次", "--owner", "周大伟", "--due", "2026-11-30",
       now="2026-11-18T19:20")  # fmt: skip
    go("decide", LAST, str(old), "张贴清理通知", "--owner", "李秀兰", "--due", "2026-11-20",
       now="2026-11-18T19:20")  # fmt: skip
    go("meeting", "close", LAST, "--end", "20:00", now="2026-11-18T20:00")
    go("action", "done", "2", "--note", "各楼道均已张贴", now="2026-11-20T10:00")
    go("meeting", "plan", D, "--recorder", "李秀兰", now="2026-11-19T09:00")
    ids = {
        "roll": accepted(go, "助餐点扩容", "吴晓梅", "--detail", "现有助餐点每日限供40份"),
        "ballot": accepted(go, "楼栋长推选办法", "陈静"),
        "deferred": accepted(go, "加装电梯", "王志强"),
        "referred": accepted(go, "跨社区停车协调", "张建国"),
        "unvoted": accepted(go, "社区花园认领", "周大伟", "--for", "钱阿姨"),
    }
    go("agenda", "build", D, now="2026-11-23T09:00")
    go("leave", "赵敏", D, "--reason", "带孩子看病", now="2026-11-24T10:00")
    go("attend", D, *EIGHT, now="2026-11-25T19:00")
    go("guest", D, "钱阿姨", "--org", "7号楼居民代表", now="2026-11-25T19:00")
    go("minutes", "approve", LAST, now="2026-11-25T19:05")
    go("note", D, str(ids["roll"]), "拟与辖区餐饮企业合作", now="2026-11-25T19:10")
    go("vote", D, str(ids["roll"]), "--method", "roll-call",
       "--yes-by", "张建国,李秀兰,王志强,陈静,刘洋,孙丽华", "--no-by", "周大伟",
       "--abstain-by", "吴晓梅", now="2026-11-25T19:20")  # fmt: skip
    go("dissent", D, str(ids["roll"]), "周大伟", "担心资金不足", now="2026-11-25T19:21")
    go("decide", D, str(ids["roll"]), "扩容至每日60份", "--owner", "陈静", "--due", "2026-12-31",
       now="2026-11-25T19:22")  # fmt: skip
    go("decide", D, str(ids["roll"]), "志愿者上门收集意见", now="2026-11-25T19:23")
    go("vote", D, str(ids["ballot"]), "--method", "ballot", "--yes", "7", "--no", "1",
       now="2026-11-25T19:40")  # fmt: skip
    go("vote", D, str(ids["deferred"]), "--defer", now="2026-11-25T20:00")
    go("vote", D, str(ids["referred"]), "--refer", now="2026-11-25T20:10")
    go("meeting", "close", D, "--end", "20:35", now="2026-11-25T20:40")
    return ids


def text_lines(text: str) -> list[str]:
    """What a text paper shows, line by line: indentation, blank lines and the title's
    underline left out."""
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not set(line.strip()) <= {"="}
    ]


def markdown_lines(markdown: str, table: bool = False) -> list[str]:
    """What a CommonMark reader shows of `markdown`, block by block: a heading's or a
    paragraph's text, an ordered item with its number. Refuses any inline markup (links,
    HTML, emphasis, code): a paper's markdown is text, and so is the user text in it."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    if table:
        parser.enable("table")
    out: list[str] = []
    numbers: list[int | None] = []
    for token in parser.parse(markdown):
        if token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            numbers.pop()
        elif token.type == "inline":
            kinds = {c.type for c in token.children or []}
            assert kinds <= {"text", "softbreak", "strong_open", "strong_close"}, (kinds, token)
            text = "".join(c.content for c in token.children or [])
            if numbers and numbers[-1] is not None and token.level >= 2:
                text = f"{numbers[-1]}. {text}"
                numbers[-1] += 1
            out.append(text)
        assert not token.type.startswith("html"), token
    return out


def docx_lines(data: bytes) -> list[str]:
    """The text of a .docx, paragraph by paragraph in body order (a table's cells row by
    row), empty paragraphs left out."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                out.append(item.text.strip())
        elif isinstance(item, Table):
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cell._tc is not cells[-1][0]:
                        cells.append((cell._tc, cell.text.strip()))
                out.append("  ".join(text for _, text in cells))
    return out


def write(run: Any, path: Path, *args: str, now: str = AFTER) -> Any:
    """Run a paper command writing `path`; returns the result."""
    return run(*args, "--output", str(path), now=now)
