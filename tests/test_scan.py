"""`store.scan`: a store file read a document at a time gives, document for document, what
decoding it whole gives; a file it cannot lay out so is left to `files.decode` (None)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanjian_cli.store import files, scan

STORE = {
    "_meta": {"1": {"schema": files.SCHEMA, "next_id": {"meetings": 3}}},
    "committee": {"1": {"name": "幸福里社区三工联席会议", "settings": {"lang": "zh"}}},
    "members": {"1": {"name": '张三 "老张"', "side": "party"}, "2": {"name": "李四\\n"}},
    "topics": {},
    "meetings": {
        "1": {"date": "2025-11-05", "status": "closed", "notes": ["{", "}", "，"]},
        "2": {"date": "2026-11-25", "status": "planned"},
    },
    "_meetings_bulk": {"1": {"filed": {"follow_up": [{"text": "落实 🙂"}]}}},
}


def _same(path: Path) -> None:
    """The layout of `path` reads every document as `files.decode` has it, in its order."""
    whole, problem = files.decode(path.read_bytes())
    assert whole is not None, problem
    layout = scan.scan(path)
    assert layout is not None
    with layout:
        assert layout.names() == list(whole)
        for table in layout.names():
            assert layout.keys(table) == list(whole[table])
            assert dict(layout.docs(table)) == whole[table]
            for key in whole[table]:
                assert layout.doc(table, key) == whole[table][key]


@pytest.mark.parametrize("block", [1, 2, 7, 4096, scan.BLOCK])
@pytest.mark.parametrize("indent", [None, 2])
def test_a_store_file_reads_the_same_a_document_at_a_time(tmp_path, monkeypatch, block, indent):
    # A block of one byte cuts every key, document and character of three bytes in two.
    monkeypatch.setattr(scan, "BLOCK", block)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(STORE, ensure_ascii=False, indent=indent), encoding="utf-8")
    _same(path)


def test_an_empty_store_and_empty_tables(tmp_path) -> None:
    path = tmp_path / "s.json"
    for text in ("{}", ' { "_meta" : { } , "topics":{}}\n'):
        path.write_text(text, encoding="utf-8")
        _same(path)


BAD = {
    "not JSON": b'{"members":{"1":{"name":"x"}',
    "truncated in a document": b'{"members":{"1":{"name":"x"',
    "extra data": b'{"members":{}} {}',
    "a table twice": b'{"members":{},"members":{"1":{}}}',
    "a document twice": b'{"members":{"1":{"a":1},"1":{"a":2}}}',
    "an id that is not a number": b'{"members":{"x":{}}}',
    "a document that is not an object": b'{"members":{"1":[]}}',
    "a table that is not an object": b'{"members":[]}',
    "the top level is not an object": b"[]",
    "a part of no document": b'{"meetings":{},"_meetings_bulk":{"1":{"filed":{}}}}',
    "not UTF-8": b'{"members":{"1":{"name":"\xff"}}}',
    "a byte-order mark": b'\xef\xbb\xbf{"members":{}}',
    "empty": b"",
    "a key that is not a string": b"{1:{}}",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_file_not_laid_out_as_a_store_is_left_to_decoding(tmp_path, monkeypatch, name):
    monkeypatch.setattr(scan, "BLOCK", 3)
    path = tmp_path / "s.json"
    path.write_bytes(BAD[name])
    assert scan.scan(path) is None


def test_a_file_that_cannot_be_read_raises(tmp_path) -> None:
    with pytest.raises(OSError):
        scan.scan(tmp_path / "missing.json")


_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_docs = st.dictionaries(_text, _values, max_size=4)
_tables = st.dictionaries(st.integers(min_value=1, max_value=999).map(str), _docs, max_size=4)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tables=st.dictionaries(st.sampled_from(["members", "topics", "decisions", "x"]), _tables),
    indent=st.sampled_from([None, 1, "\t"]),
    block=st.integers(min_value=1, max_value=64),
)
def test_any_store_reads_the_same(tmp_path_factory, tables, indent, block) -> None:
    path = tmp_path_factory.mktemp("scan") / "s.json"
    path.write_text(json.dumps(tables, ensure_ascii=False, indent=indent), encoding="utf-8")
    saved = scan.BLOCK
    scan.BLOCK = block
    try:
        _same(path)
    finally:
        scan.BLOCK = saved


def test_a_file_changed_after_its_scan_is_refused_in_one_line(tmp_path) -> None:
    from sanjian_cli.errors import StoreError

    path = tmp_path / "s.json"
    path.write_text(json.dumps(STORE, ensure_ascii=False), encoding="utf-8")
    layout = scan.scan(path)
    assert layout is not None
    with layout:
        path.write_bytes(b" " * path.stat().st_size)  # same size, other bytes
        with pytest.raises(StoreError) as caught:
            layout.doc("members", "1")
    assert caught.value.key == "store_unreadable"
