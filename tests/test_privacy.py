"""Phone and ID numbers typed into notes, decisions and titles never reach the papers."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from sanjian_cli.domain.privacy import mask_phones, scrub

PHONE = "13912345678"
ID_NUMBER = "110105199003071234"


def test_numbers_typed_into_the_meeting_are_masked_in_every_paper(committee) -> None:  # noqa: ANN001
    run = committee
    run("member", "edit", "刘洋", "--phone", "021-87654321")
    run("topic", "add", f"独居老人{PHONE}助餐", "--by", "刘洋", now="2026-11-20T10:00")
    for lead in ("张建国", "陈静", "孙丽华"):
        run("topic", "approve", "1", "--by", lead)
    agenda = run("agenda", "build", "2026-11-25", "--format", "json").stdout
    run("attend", "2026-11-25", "张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华",
        now="2026-11-25T19:00")  # fmt: skip
    run("note", "2026-11-25", "1", f"联系刘洋 021-87654321，身份证 {ID_NUMBER}")
    run("vote", "2026-11-25", "1", "--yes", "6", now="2026-11-25T19:30")
    run("decide", "2026-11-25", "1", f"由社工站联系 {PHONE} 对接", "--owner", "陈静")
    run("meeting", "close", "2026-11-25", "--end", "20:00", now="2026-11-25T20:00")
    papers = [
        run("minutes", "2026-11-25").stdout,
        run("minutes", "2026-11-25", "--format", "markdown", "--lang", "en").stdout,
        run("minutes", "2026-11-25", "--format", "json").stdout,
        agenda,
        run("notice", "2026-11-25").stdout,
        run("publish", "2026-11-25").stdout,
    ]
    for paper in papers:
        for number in (PHONE, ID_NUMBER, "87654321"):
            assert number not in paper
    minutes = json.loads(papers[2])
    assert minutes["items"][-1]["notes"] == ["联系刘洋 ***，身份证 ***"]
    # The record itself keeps what was typed: only papers are masked.
    shown = json.loads(run("topic", "show", "1", "--format", "json").stdout)
    assert PHONE in shown["title"]


def test_dates_times_amounts_and_links_are_left_alone() -> None:
    text = "2026-12-02 19:00 预算 1200000 元 编号 139123456789 房号 1301"
    assert mask_phones(text) == text
    paper = {"online": "https://meeting.example.cn/13912345678", "note": f"电话{PHONE}"}
    assert scrub(paper) == {"online": paper["online"], "note": "电话***"}


@given(st.text(alphabet="0123456789 -+号电话", max_size=40))
def test_no_mobile_number_survives(text: str) -> None:
    masked = mask_phones(f"请拨{PHONE}或{text}")
    assert PHONE not in masked


def test_masking_a_paper_leaves_nothing_for_the_garbage_collector() -> None:
    """A paper's masking frees what it made as soon as it returns: a reference cycle would
    keep every text it masked until a full collection (doctor prints 520 minutes)."""
    import gc

    paper = {"items": [{"title": "联系 13912345678", "notes": ["2026 年", {"x": "y"}]}] * 3}
    gc.collect()
    gc.disable()
    try:
        masked = scrub(paper, ["13912345678"])
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert masked["items"][0]["title"] == "联系 ***"


def _masked_eagerly(text: str, known: list[str]) -> str:
    """The masking as it was with the roster's pattern compiled up front (the reference)."""
    import re

    from sanjian_cli.domain.privacy import _NUMBERS, MASK

    phones = sorted({p for p in known if p and len(p) >= 5}, key=len, reverse=True)
    if phones:
        text = re.sub("|".join(map(re.escape, phones)), MASK, text)
    return _NUMBERS.sub(MASK, text)


NUMBERISH = st.text(alphabet="0123456789-+ 号x²١", max_size=14)


@example(texts=["电话1234²"], known=["1234²"])  # a digit that \d does not match
@given(
    texts=st.lists(st.text(alphabet="0123456789 -+号电话ab²١", max_size=30), max_size=6),
    known=st.lists(NUMBERISH, max_size=4),
)
def test_a_roster_number_is_masked_as_the_pattern_compiled_up_front_masks_it(
    texts: list[str], known: list[str]
) -> None:
    """The roster's pattern is compiled only once a text holds one of its numbers: every
    text, with or without one, comes out as the pattern compiled up front leaves it."""
    # Some texts hold a roster number, whole or glued to other digits.
    texts = texts + [f"{t}{k}{t}" for t, k in zip(texts, known, strict=False)]
    paper = {"notes": texts}
    assert scrub(paper, known)["notes"] == [_masked_eagerly(t, known) for t in texts]
    for text in texts:
        assert mask_phones(text, known) == _masked_eagerly(text, known)
