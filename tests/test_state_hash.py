"""The log's state hashes the hot file's bulk tables apart (schema 6, `files.state_hash`).

A change that copies a closed meeting's records as they lay hashes them once, when it checks
the file it read, and takes their digest from there for the file it writes. A store an older
sanjian wrote, whose log holds states of the whole body, is still checked by those states
and is upgraded by its first change.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from _generated import copied, generated
from _whole import whole_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, audit, files, paths

NOW = "2026-11-23T09:00:00+08:00"
LATEST = "2026-11-18"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory, "state", 1, 7)


@pytest.fixture
def store(year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the one-year store (hot file, archives, log), the CLI's store."""
    return copied(year, tmp_path, monkeypatch, NOW)


def _region(raw: bytes) -> bytes:
    return raw[raw.index(b',"_meetings_bulk":') + 1 : -1]


class _Counting:
    """hashlib.sha256, counting the bytes it is given."""

    fed: list[int] = []

    def __init__(self, data: bytes = b"") -> None:
        self._h = _SHA256(data)
        _Counting.fed.append(len(data))

    def update(self, data: Any) -> None:
        _Counting.fed.append(len(data))
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.hexdigest()


_SHA256 = hashlib.sha256


def test_a_change_that_copies_the_bulk_tables_hashes_them_once(
    store: Path, run, monkeypatch
) -> None:
    before = whole_bytes(store)
    region = _region(before)
    assert len(region) > len(before) // 2  # the bulk of the file: what is at stake
    _Counting.fed = []
    with monkeypatch.context() as patched:
        patched.setattr(hashlib, "sha256", _Counting)
        run("topic", "add", "楼道灯更换", "--by", "1")
    after = whole_bytes(store)
    assert _region(after) == region  # copied as it lay
    hashed = sum(_Counting.fed)
    # The file read, checked whole (its bulk tables once), and the new file's light part.
    assert hashed < len(before) + (len(after) - len(region)) + 4096
    state = json.loads(paths.log_path(store).read_text("utf-8").splitlines()[-1])["state"]
    assert state.startswith(files.STATE)
    data, _problem = files.decode(after)
    assert data is not None
    listing = files.meta_of(data).get("archives")
    assert files.state_of(data, POLICY.hot_bulk) == state
    assert files.state_hash(files.body_of(data, POLICY.hot_bulk), listing) == state
    run("doctor")


def test_a_change_to_a_closed_meeting_hashes_its_new_bulk_tables(store: Path, run) -> None:
    before = _region(whole_bytes(store))
    with Store(store, POLICY).writing() as record:
        meeting = record.meeting(LATEST)
        assert meeting is not None and meeting["filed"]["follow_up"]
        filed = dict(meeting["filed"], follow_up=meeting["filed"]["follow_up"][:1])
        record.update_meeting(meeting["id"], {"filed": filed})
    after = whole_bytes(store)
    assert _region(after) != before
    data, _problem = files.decode(after)
    assert data is not None
    state = json.loads(paths.log_path(store).read_text("utf-8").splitlines()[-1])["state"]
    assert files.state_of(data, POLICY.hot_bulk) == state
    run("doctor")


def _body_and_meta(raw: bytes) -> tuple[dict[str, Any], files.Body]:
    data, _problem = files.decode(raw)
    assert data is not None
    meta = dict(files.meta_of(data))
    return meta, files.written_body(meta, data, POLICY.hot_bulk)


def test_the_bytes_the_data_and_the_pieces_give_one_state(store: Path, tmp_path: Path) -> None:
    raw = whole_bytes(store)
    meta, body = _body_and_meta(raw)
    assert body.region is not None and body.region_sha is None
    listing = meta.get("archives")
    state = files.state_hash(body, listing)
    assert state == files.state_hash(b"".join(body), listing)  # found by name in the bytes
    data, _problem, index = files.parse_indexed(raw)
    assert data is not None and index is not None
    assert files.body_verified(raw, data, state, index)
    assert index.rest_sha == hashlib.sha256(bytes(index.rest or b"")).hexdigest()
    # The digest a check found stands for the bytes in the state of the next file...
    copied = files.written_body(dict(meta), data, POLICY.hot_bulk, index)
    assert copied.region_sha == index.rest_sha
    assert files.state_hash(copied, listing) == state
    # ...and only those bytes: another digest is another state.
    copied.region_sha = "0" * 64
    assert files.state_hash(copied, listing) != state
    path = tmp_path / "copy.json"
    path.write_bytes(raw)
    assert files.file_verified(path, state) is True


def test_a_wrong_bulk_size_in_meta_is_a_state_that_does_not_match(
    store: Path, tmp_path: Path
) -> None:
    """`_meta` is not under the hash: a size edited there places the bulk tables elsewhere,
    and the bytes no longer hold the state; the content still does."""
    raw = whole_bytes(store)
    meta, body = _body_and_meta(raw)
    state = files.state_hash(body, meta.get("archives"))
    size = meta["bulk"]["size"]
    edited = raw.replace(f'"size":{size}'.encode(), f'"size":{size - 1}'.encode(), 1)
    assert edited != raw
    data, _problem = files.decode(edited)
    assert data is not None
    assert not files.body_verified(edited, data, state)
    path = tmp_path / "edited.json"
    path.write_bytes(edited)
    assert files.file_verified(path, state) is False
    assert files.state_matches(edited, data, state, POLICY.hot_bulk)  # by its content
    assert files.holds_state(edited, state, POLICY.hot_bulk)


def test_a_body_of_bulk_tables_alone_has_one_state() -> None:
    body = b'{"_meetings_bulk":{"1":{"votes":{}}}}'
    pieces = files.Body([b"{", b"", body[1:-1], b"}"])
    pieces.region = 2
    assert files.state_hash(pieces) == files.state_hash(body)
    assert files.state_hash(body) != files.state_hash(b'{"meetings":{"1":{"votes":{}}}}')


def _as_schema_5(store: Path) -> str:
    """Rewrite the store as sanjian wrote it up to schema 5: the same bytes, the log's last
    state the SHA-256 of the whole body. Returns that state."""
    raw = whole_bytes(store)
    meta, body = _body_and_meta(raw)
    meta["schema"] = 5
    old = files._state_v1(body, meta.get("archives"))
    assert len(old) == 64 and not old.startswith(files.STATE)
    log = paths.log_path(store)
    lines = log.read_bytes().split(b"\n")
    last = json.loads(lines[-2])
    last["state"] = old
    lines[-2] = json.dumps(last, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    log.write_bytes(b"\n".join(lines))
    meta.update(log_head=audit.line_hash(lines[-2]), log_size=len(log.read_bytes()))
    store.write_bytes(b"".join(files.payload_chunks(meta, body)))
    return old


def test_a_store_an_older_sanjian_wrote_is_checked_by_its_state_and_upgraded(
    store: Path, run
) -> None:
    old = _as_schema_5(store)
    raw = whole_bytes(store)
    data, _problem = files.decode(raw)
    assert data is not None
    # By its bytes, as the older sanjian hashed them, and by its content.
    assert files.body_verified(raw, data, old) and files.file_verified(store, old) is True
    assert files.state_of(data, POLICY.hot_bulk, like=old) == old
    shown = run("minutes", LATEST).stdout
    run("doctor")
    run("topic", "add", "楼道灯更换", "--by", "1")
    hot = json.loads(whole_bytes(store))
    assert hot["_meta"]["1"]["schema"] == files.SCHEMA == 7
    entries = [json.loads(x) for x in paths.log_path(store).read_text("utf-8").splitlines()]
    assert entries[-2]["state"] == old and entries[-1]["state"].startswith(files.STATE)
    assert any(f"before-schema-{files.SCHEMA}" in p.name for p in paths.backup_dir(store).iterdir())
    assert run("minutes", LATEST).stdout == shown
    run("doctor")
    run("undo")
    assert "楼道灯更换" not in run("topic", "list").stdout


def test_an_older_sanjians_store_edited_by_hand_is_not_written_over(store: Path, run) -> None:
    _as_schema_5(store)
    raw = whole_bytes(store)
    meta, _body = _body_and_meta(raw)
    data, _problem = files.decode(raw)
    assert data is not None
    first = next(iter(data["members"]))
    data["members"][first] = dict(data["members"][first], name="改过的名字")
    # Laid out as sanjian writes it, but not the record the log's (older) state names.
    edited = b"".join(files.payload_chunks(meta, files.written_body(meta, data, POLICY.hot_bulk)))
    store.write_bytes(edited)
    result = run("topic", "add", "楼道灯更换", "--by", "1", ok=False)
    assert result.exit_code == 1 and "sanjian" in result.stderr
    assert store.read_bytes() == edited


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
DOCS = st.dictionaries(TEXT, VALUES, max_size=3)
TABLES = st.dictionaries(st.integers(1, 30).map(str), DOCS, max_size=4)


def _apart(table: str, doc: Any) -> tuple[tuple[str, ...], ...]:
    """Parts written apart for the test: a meeting's field "x"."""
    return (("x",),) if table == "meetings" else ()


@given(
    st.fixed_dictionaries({}, optional={t: TABLES for t in ("members", "topics", "meetings")}),
    st.lists(VALUES, max_size=3),
    st.none() | st.just({"2025": {"sha256": "ab" * 32}}),
)
@settings(max_examples=150, deadline=None)
def test_every_way_of_taking_a_state_gives_the_one_the_file_was_written_with(
    tables: dict[str, Any], parts: list[Any], listing: dict[str, Any] | None
) -> None:
    """Any record, with or without bulk tables and archives: the state of its body as
    written, of its bytes (in memory, from a file 64 KB at a time, unparsed), of its content
    and of a copy that takes the checked digest are one; the older state of the same bytes
    is another, and is checked the older way."""
    data: dict[str, Any] = {"_meta": {"1": {"schema": files.SCHEMA}}, **tables}
    if listing:
        data["_meta"]["1"]["archives"] = listing
    meetings = data.setdefault("meetings", {})
    for n, part in enumerate(parts):
        meetings.setdefault(str(n + 1), {})["x"] = part
    meta = dict(files.meta_of(data))
    body = files.written_body(meta, data, _apart)
    raw = b"".join(files.payload_chunks(meta, body))
    state = files.state_hash(body, listing)
    assert state.startswith(files.STATE)
    assert files.state_hash(b"".join(body), listing) == state
    found, _problem, index = files.parse_indexed(raw)
    assert found is not None and index is not None
    assert files.body_verified(raw, found, state, index)
    assert files.holds_state(raw, state, _apart)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_bytes(raw)
        assert files.file_verified(path, state) is True
    whole = files.decode(raw)[0]
    assert whole is not None and files.state_of(whole, _apart) == state
    copied = files.written_body(dict(meta), found, _apart, index)
    assert b"".join(copied) == b"".join(body)
    assert files.state_hash(copied, listing) == state
    older = files._state_v1(body, listing)
    assert older != state and files.body_verified(raw, found, older)
    assert files.state_of(whole, _apart, like=older) == older
    # The same body written as schema 7 writes it: the bulk tables a file of their own.
    light_meta = dict(meta, bulk=dict(meta["bulk"])) if "bulk" in meta else dict(meta)
    light, bulk_file = files.apart(light_meta, body)
    assert files.state_hash(body, listing) == state  # the digest taken once, the same state
    light_raw = b"".join(files.payload_chunks(light_meta, light))
    if bulk_file is None:
        assert light_raw == raw and "bulk" not in meta
        return
    name, pieces = bulk_file
    assert pieces is not None and b"_bulk" not in light_raw
    saved = {name: b"".join([b"{", *pieces, b"}"])}
    assert files.holds_state(light_raw, state, _apart) and files.named_in(light_raw) == name
    apart_data, _problem, apart_index = files.parse_indexed(light_raw, load=saved.get, verify=True)
    assert apart_data is not None and apart_index is not None and apart_index.apart
    assert files.body_verified(light_raw, apart_data, state, apart_index)
    assert apart_index.rest_sha == name and apart_index.apart  # the bulk file not read
    assert files.decode(light_raw)[0] is None  # a reader of the hot file alone is refused
    assembled, _problem = files.assembled(light_raw, saved.get)
    assert assembled is not None and files.decode(assembled)[0] == whole
    assert files.holds_state(assembled, state, _apart)
    kept = files.written_body(dict(light_meta), apart_data, _apart, apart_index)
    assert isinstance(kept, files.Body) and kept.kept and files.state_hash(kept, listing) == state
    again_meta = dict(light_meta)
    again, again_file = files.apart(again_meta, kept)
    assert (
        again_file == (name, None)
        and b"".join(files.payload_chunks(again_meta, again)) == light_raw
    )
    assert apart_index.apart  # written again without reading it
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.json"
        path.write_bytes(light_raw)
        assert files.file_verified(path, state) is True
    edited = {name: saved[name].replace(b"}", b" }", 1)}
    assert files.assembled(light_raw, edited.get)[0] is None  # not the file named
    assert files.assembled(light_raw, edited.get, verify=False)[0] is not None
    assert files.assembled(light_raw, {}.get) == (None, files.bulk_missing(name))
