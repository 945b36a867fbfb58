"""A change writes again only what it changed: the record never changes a document in place
(copy-on-write), so the store's view of the record as read is the objects read, and the
text of every document the change left alone is copied from the file it read, byte for
byte what a full serialisation would write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, bulk, files, log_path
from sanjian_cli.store.record import Record

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | TEXT
SCALARS = SCALARS | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
DOCS = st.dictionaries(TEXT, VALUES, max_size=4)
TABLES = st.dictionaries(st.integers(1, 40).map(str), DOCS, max_size=6)
STORES = st.fixed_dictionaries(
    {"_meta": st.just({"1": {"schema": files.SCHEMA}})},
    optional={name: TABLES for name in ("members", "topics", "meetings", "decisions")},
)


def _written(data: dict[str, Any]) -> bytes:
    return files.payload(files.meta_of(data), files.body_of(data))


@given(STORES)
@settings(max_examples=150, deadline=None)
def test_the_indexed_parse_reads_what_json_reads(data: dict[str, Any]) -> None:
    raw = _written(data)
    found, problem, index = files.parse_indexed(raw)
    assert problem is None and index is not None
    assert found == json.loads(raw) == files.parse(raw)[0]
    # the documents of each table are where the index says, as the file has them
    for name, spans in index.tables.items():
        for key, (start, end, doc) in spans.items():
            assert index.text[start:end] == files.dumps(key) + ":" + files.dumps(doc)
            assert doc is found[name][key]


def test_a_file_laid_out_otherwise_is_parsed_as_json_does() -> None:
    data = {"_meta": {"1": {"schema": 2}}, "topics": {"1": {"title": "议题"}}}
    pretty = json.dumps(data, ensure_ascii=True, indent=1).encode()
    for raw in (pretty, pretty + b"\n", b" " + _written(data), _written(data) + b" "):
        found, problem, index = files.parse_indexed(raw)
        assert (found, problem, index) == (data, None, None)
    for raw in (b"", b"{", b"[1]", b'{"topics": {"x": {}}}', b"\xff{}", _written(data)[:-1]):
        assert files.parse_indexed(raw)[:2] == files.parse(raw)


def _apart(table: str, doc: Any) -> tuple[tuple[str, ...], ...]:
    """Parts written apart for the test: a meeting's field "x"."""
    return (("x",),) if table == "meetings" else ()


@given(STORES, st.lists(VALUES, max_size=4))
@settings(max_examples=150, deadline=None)
def test_a_file_with_bulk_tables_reads_the_same_with_or_without_spans(
    data: dict[str, Any], parts: list[Any]
) -> None:
    """The text before the bulk tables is decoded from the file's bytes and parsed without
    its closing brace; a reading record's parse (no spans) gives the same light documents,
    and a file that is not laid out so is read as `decode` reads it."""
    meetings = data.setdefault("meetings", {})
    for n, part in enumerate(parts):
        meetings.setdefault(str(n + 1), {})["x"] = part
    meta = dict(files.meta_of(data))
    raw = b"".join(files.payload_chunks(meta, files.written_body(meta, data, _apart)))
    found, problem, index = files.parse_indexed(raw)
    assert problem is None and index is not None
    assert (index.rest is not None) == bool(parts)
    light, problem, unspanned = files.parse_indexed(raw, spans=False)
    assert problem is None and light == found
    assert (unspanned is not None) == bool(parts)  # read before the bulk, not whole
    assert index.join(found) is None
    assert found == files.decode(raw)[0]
    assert found["meetings"] == meetings
    at = raw.find(b',"_meetings_bulk":')
    if at >= 0:
        # the object closed before the bulk tables, or their comma lost: not the layout
        for mangled in (raw[:at] + b"}" + raw[at:], raw[:at] + raw[at + 1 :]):
            for spans in (True, False):
                assert files.parse_indexed(mangled, spans)[:2] == files.decode(mangled)


@given(STORES, st.lists(VALUES, max_size=3))
@settings(max_examples=150, deadline=None)
def test_a_reading_parse_leaves_this_years_tables_until_asked(
    data: dict[str, Any], parts: list[Any]
) -> None:
    """A record that only reads parses the tables before the first of bulk.TABLES at once,
    and each of the rest when the data is first asked for it (with those before it), or
    for all: either way the data is what `decode` reads, the parts written apart left for
    `Index.join`."""
    meetings = data.setdefault("meetings", {})
    for n, part in enumerate(parts):
        meetings.setdefault(str(n + 1), {})["x"] = part
    meta = dict(files.meta_of(data))
    raw = b"".join(files.payload_chunks(meta, files.written_body(meta, data, _apart)))
    whole, _problem, index = files.parse_indexed(raw, spans=False)
    order = [name for name in whole if name != "_meta"]
    later = next((i for i, name in enumerate(order) if name in bulk.TABLES), len(order))
    for ask in ("get", "in", "[]", "iter", "len", "items", "eq"):
        found, problem, _index = files.parse_indexed(raw, spans=False, defer=bulk.TABLES)
        assert problem is None and found is not None
        if later == len(order):
            assert not isinstance(found, files.Tables)
            assert found == whole
            continue
        assert isinstance(found, files.Tables) and found.pending
        for name in order[:later]:  # the roster and the committee, at once
            assert found.get(name) == whole[name] and found[name] == whole[name]
        assert found.pending
        name = order[later]
        answer = _asked(found, ask, name, whole)
        if ask in ("get", "in", "[]"):  # that table alone, the others still left
            assert dict.__contains__(found, name)
            assert found.pending == (later + 1 < len(order))
            assert not any(dict.__contains__(found, other) for other in order[later + 1 :])
        else:
            assert not found.pending, ask
        assert answer == {"get": whole[name], "in": True, "[]": whole[name], "iter": list(whole),
                          "len": len(whole), "items": whole, "eq": True}[ask]  # fmt: skip
        assert dict(found) == whole and found.get("nothing") is None
    if index is not None:
        assert index.join(whole) is None
    assert whole == files.decode(raw)[0]


def _asked(found: files.Tables, ask: str, name: str, whole: dict[str, Any]) -> Any:
    """The data asked for one of the tables left for later, or for all, in the way `ask`
    names."""
    if ask == "get":
        return found.get(name)
    if ask == "in":
        return name in found
    if ask == "[]":
        return found[name]
    if ask == "iter":
        return list(found)
    if ask == "len":
        return len(found)
    if ask == "items":
        return dict(found.items())
    return found == whole


def test_a_damaged_table_after_the_roster_is_found_when_it_is_read(run, db, monkeypatch) -> None:
    """The roster of a store whose topics no longer parse is still listed; the topics are
    refused in one line, naming the file, as a damaged store is, and nothing is written."""
    monkeypatch.setenv("SANJIAN_NOW", "2026-11-23T09:00:00+08:00")
    run("init", "幸福里社区三工联席会议", "--lang", "zh")
    run("member", "add", "张建国", "--side", "政工", "--lead", "--joined", "2026-01-01")
    run("topic", "add", "楼道灯更换", "--by", "1")
    raw = Path(db).read_bytes()
    at = raw.index(b'"topics":{') + len(b'"topics":{')
    damaged = raw[:at] + b'"1":{"title":"x",' + raw[at:]  # an object left open
    Path(db).write_bytes(damaged)
    assert "张建国" in run("member", "list").stdout
    result = run("--lang", "en", "topic", "list", ok=False)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert str(db) in result.stderr and "Traceback" not in result.stderr
    assert Path(db).read_bytes() == damaged


@given(STORES, st.data())
@settings(max_examples=150, deadline=None)
def test_the_body_copied_from_the_file_is_the_body_serialised(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    found, _problem, index = files.parse_indexed(_written(data))
    assert found is not None
    for name in [n for n in found if n != "_meta"]:
        rows = found[name]
        for key in list(rows):
            what = draw.draw(st.sampled_from(["keep", "keep", "replace", "remove"]))
            if what == "replace":
                rows[key] = draw.draw(DOCS)
            elif what == "remove":
                del rows[key]
        for key in draw.draw(st.lists(st.integers(41, 60).map(str), max_size=2)):
            rows[key] = draw.draw(DOCS)
        if draw.draw(st.booleans()):  # a table rebuilt in another order (TinyDB rebuilds)
            found[name] = dict(reversed(list(rows.items())))
    found["guests"] = {"1": {"name": "新表"}}
    assert files.body_bytes(found, index) == files.body_of(found).encode("utf-8")


def test_a_document_changed_is_a_new_object_and_the_one_read_stays_as_read() -> None:
    topic = {"title": "议题", "status": "accepted", "history": [{"meeting": "2026-11-25"}]}
    data: dict[str, Any] = {"_meta": {"1": {}}, "topics": {"1": topic}, "committee": {"1": {}}}
    record = Record(data)
    record.update_topic(1, {"status": "scheduled", "meeting": "2026-12-02"})
    record.set_committee({"name": "三工联席会议"})
    record.patch_document("topics", 1, {}, ["meeting"])
    assert topic == {"title": "议题", "status": "accepted", "history": [{"meeting": "2026-11-25"}]}
    assert data["topics"]["1"] is not topic
    assert data["topics"]["1"]["status"] == "scheduled" and "meeting" not in data["topics"]["1"]
    assert data["committee"]["1"] == {"name": "三工联席会议"}


def _change(path: Path, title: str) -> None:
    with Store(path, POLICY, command=["test"]).writing() as record:
        record.add_topic({"title": title, "status": "proposed"})


def test_a_change_logs_and_writes_what_a_full_copy_would(committee, db: Path) -> None:
    with Store(db, POLICY).writing() as record:
        meeting = record.meeting("2026-11-25")
        assert meeting is not None
        record.update_meeting(meeting["id"], {"place": "二楼会议室"})
        member = record.members()[0]
        record.update_member(member["id"], {"name": member["name"] + "改"})
    entry = json.loads(log_path(db).read_text("utf-8").splitlines()[-1])
    changed = sorted((c["table"], c["op"], sorted(c["fields"])) for c in entry["changes"])
    assert changed == [("meetings", "change", ["place"]), ("members", "change", ["name"])]
    raw = db.read_bytes()
    data = json.loads(raw)
    assert raw == _written(data)  # the same bytes as serialising the whole record
    assert entry["state"] == files.state_of(data)


def test_text_sanjian_did_not_write_is_not_copied(committee, db: Path) -> None:
    """A hot file laid out otherwise but holding the record the log names (escaped, say) is
    written again whole: only the bytes of a file as sanjian wrote it are copied."""
    data = json.loads(db.read_bytes())
    escaped = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()
    assert escaped != db.read_bytes() and b"\\u" in escaped
    db.write_bytes(escaped)
    _change(db, "楼道灯")
    raw = db.read_bytes()
    assert b"\\u" not in raw and "楼道灯".encode() in raw
    assert raw == _written(json.loads(raw))
