"""The hot file in two parts: closed meetings' records and filed minutes after its tables.

Most of the hot file is this year's closed meetings: the minutes they filed, their rolls,
votes, notes and agendas; and the commands of the week ahead read them only of the previous
meeting. So the hot file writes them apart (`store.bulk`, as the archives do the filed
minutes), a command parses them only when it hands a closed meeting out whole, and a change
that touches none copies them as they lay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _generated import copied, generated
from _reads import bulk_parses
from _whole import whole_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, files, paths

NOW = "2026-11-23T09:00:00+08:00"
LATEST, NEXT = "2026-11-18", "2026-11-25"
RECORDS = {"attendance", "votes", "notes", "agenda", "leaves", "dissents", "guests"}


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(tmp_path_factory, "year", 1, 5)


@pytest.fixture
def store(year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the one-year store (hot file, archives, log), the CLI's store."""
    return copied(year, tmp_path, monkeypatch, NOW)


def _bulk_text(path: Path) -> bytes:
    raw = whole_bytes(path)
    return raw[raw.index(b',"_meetings_bulk":') :]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return bulk_parses(monkeypatch)


def test_closed_meetings_are_light_in_the_hot_file_and_whole_when_read(store: Path) -> None:
    hot = json.loads(whole_bytes(store))
    assert list(hot)[-1] == "_meetings_bulk" and hot["_meta"]["1"]["schema"] == files.SCHEMA
    closed = [k for k, m in hot["meetings"].items() if m["status"] == "closed"]
    assert closed and set(hot["_meetings_bulk"]) == set(closed)
    for key in closed:
        assert set(hot["meetings"][key]["filed"]) == {"at", "expected", "previous"}
        assert set(hot["_meetings_bulk"][key]["filed"]) == {"follow_up", "topics"}
        assert not RECORDS & set(hot["meetings"][key])
        assert {"attendance", "agenda"} <= set(hot["_meetings_bulk"][key])
    for key, meeting in hot["meetings"].items():  # one not closed keeps its records
        if meeting["status"] != "closed":
            assert key not in hot["_meetings_bulk"] and "agenda" in meeting
    whole, problem = files.decode(whole_bytes(store))
    assert problem is None and "_meetings_bulk" not in whole
    for key in closed:
        filed = whole["meetings"][key]["filed"]
        assert filed["topics"] == hot["_meetings_bulk"][key]["filed"]["topics"]
        assert filed["expected"] == hot["meetings"][key]["filed"]["expected"]
        assert whole["meetings"][key]["attendance"] == hot["_meetings_bulk"][key]["attendance"]
    # the bulk is most of the file: what a command that needs no closed meeting skips
    assert len(_bulk_text(store)) > len(store.read_bytes()) / 2


def test_what_is_asked_of_a_light_meeting_is_answered_as_of_the_whole_one(store: Path) -> None:
    """Which parts a meeting has apart, and whether a roster change must fix its roll
    (`meetings_since(where=...)`), are asked of the light document: the answer must be the
    one the whole document gives."""
    from sanjian_cli.services import rolls

    raw = whole_bytes(store)
    light, _problem, index = files.parse_indexed(raw)
    whole, _problem = files.decode(raw)
    assert light is not None and whole is not None and index is not None and index.pending
    assert any(not RECORDS & set(m) for m in light["meetings"].values())
    for key, doc in whole["meetings"].items():
        seen = light["meetings"][key]
        assert POLICY.hot_bulk("meetings", seen) == POLICY.hot_bulk("meetings", doc)
        assert rolls.unfixed(seen) == rolls.unfixed(doc)
        assert rolls.unfixed(dict(seen, filed={})) == rolls.unfixed(dict(doc, filed={}))


def test_the_reports_read_this_years_rolls_without_its_filed_minutes(
    store: Path, run, parses: list[int]
) -> None:
    """`by_year` gives the hot file's meetings as an archive's table gives its own: with
    their records, read entry by entry, and without the filed minutes."""
    shown = {fmt: run("report", "attendance", "--format", fmt).stdout for fmt in ("json", "csv")}
    assert parses == []
    whole, _problem = files.decode(whole_bytes(store))
    assert whole is not None
    with Store(store, POLICY).reading() as record:
        hot = list(record.by_year("meetings"))[-1]
    assert hot and {m["id"] for m in hot} == {int(k) for k in whole["meetings"]}
    for meeting in hot:
        doc = whole["meetings"][str(meeting["id"])]
        assert {k: v for k, v in meeting.items() if k not in ("id", "filed")} == {
            k: v for k, v in doc.items() if k != "filed"
        }
    # the same reports of the same record written as one plain file
    store.write_bytes(json.dumps(whole, ensure_ascii=False).encode())
    for fmt, text in shown.items():
        assert run("report", "attendance", "--format", fmt).stdout == text


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('{"attendance":[1],"votes":[],"filed":{"topics":{}}}', {"attendance": [1], "votes": []}),
        ('{"attendance":[1],"filed":{"topics":{}}}', {"attendance": [1]}),  # no votes at all
        ('{"filed":{"topics":{}},"votes":[2]}', None),  # after the others: parse them all
        ('{"attendance":[1],"votes":[3]}', {"attendance": [1], "votes": [3]}),
        ("{}", {}),
        ('{"attendance":[1', None),
    ],
)
def test_the_members_of_a_part_wanted_are_read_as_far_as_needed(entry: str, expected) -> None:
    body = '{"_meetings_bulk":{"7":' + entry + "}}"
    rest = memoryview(body[1:-1].encode())
    index = files.Index("")
    index.rest = rest
    index.offsets = {"meetings": {"7": [18, 18 + len('"7":' + entry)]}, "size": len(rest)}
    assert index.members("meetings", "7", {"attendance", "votes"}) == expected


def test_commands_that_need_no_closed_meeting_leave_the_bulk_unparsed(
    store: Path, run, parses: list[int]
) -> None:
    members = json.loads(run("member", "list", "--format", "json").stdout)
    run("topic", "list", "--status", "accepted")
    before = _bulk_text(store)
    run("topic", "add", "楼道灯更换", "--by", members[0]["name"])
    run("agenda", "build", "--next", "-q")
    run("attend", NEXT, members[0]["name"], members[1]["name"], now="2026-11-25T19:05:00+08:00")
    # a roster change fixes the rolls not yet fixed: asked of every meeting light
    run("member", "add", "新成员", "--side", "volunteer", "--joined", "2026-01-01")
    assert parses == []
    assert _bulk_text(store) == before  # copied as it lay, three changes later
    run("minutes", LATEST)  # its own part only, read where `_meta.bulk` says it lies
    assert parses == []
    run("meeting", "list")  # the fields it lists, none of them apart
    run("calendar")  # every meeting's agenda: the records of each part, not its minutes
    assert parses == []
    with Store(store, POLICY).reading() as record:
        assert all("filed" in m for m in record.meetings() if m["status"] == "closed")
    assert parses == [1]  # every meeting whole
    run("doctor")


def test_one_part_is_read_alone_where_the_offsets_say_and_checked(
    store: Path, run, parses: list[int]
) -> None:
    raw = whole_bytes(store)
    data, _problem, index = files.parse_indexed(raw)
    whole, _problem = files.decode(raw)
    assert index is not None and data is not None and whole is not None
    offsets = data["_meta"]["1"]["bulk"]["meetings"]
    closed = [k for k, m in whole["meetings"].items() if m["status"] == "closed"]
    assert sorted(offsets, key=int) == sorted(closed, key=int)
    for key in closed:
        doc = whole["meetings"][key]
        assert index.part("meetings", key) == {
            "filed": {f: doc["filed"][f] for f in ("follow_up", "topics")},
            **{f: doc[f] for f in RECORDS if f in doc},
        }
    assert index.part("meetings", "999999") is None
    shown = run("minutes", LATEST).stdout
    assert parses == []
    # offsets that point anywhere else (another meeting's part, the middle of one, past
    # the end, nothing) are not believed: every part is parsed instead
    latest = closed[-1]
    start, end = offsets[latest]
    for n, wrong in enumerate(
        (offsets[closed[0]], [start + 1, end], [start, end - 1], [0, 10**9], "x"), start=1
    ):
        noted = dict(data["_meta"]["1"]["bulk"], meetings={**offsets, latest: wrong})
        meta = dict(data["_meta"]["1"], bulk=noted)
        head = ('{"_meta":{"1":' + files.dumps(meta) + "}").encode()
        store.write_bytes(head + raw[raw.index(b',"committee":') :])
        assert run("minutes", LATEST).stdout == shown
        assert len(parses) == n, wrong


def test_a_change_to_a_closed_meeting_writes_its_part_again(store: Path, run) -> None:
    store_ = Store(store, POLICY)
    with store_.writing() as record:
        meeting = record.meeting(LATEST)
        assert meeting is not None and meeting["filed"]["follow_up"]
        filed = dict(meeting["filed"], follow_up=meeting["filed"]["follow_up"][:1])
        record.update_meeting(meeting["id"], {"filed": filed})
    hot = json.loads(whole_bytes(store))
    assert hot["_meetings_bulk"][str(meeting["id"])]["filed"]["follow_up"] == filed["follow_up"]
    assert "follow_up" not in hot["meetings"][str(meeting["id"])]["filed"]
    with store_.reading() as record:
        again = record.meeting(LATEST)
        assert again is not None and again["filed"] == filed
        others = [m for m in record.meetings() if m["status"] == "closed"]
        assert all(m["filed"]["topics"] is not None for m in others)
    run("doctor")  # the log's state is the file's, the parts are where they belong


def _shorten_latest_follow_up(path: Path) -> list:
    with Store(path, POLICY).writing() as record:
        meeting = record.meeting(LATEST)
        assert meeting is not None
        filed = dict(meeting["filed"], follow_up=meeting["filed"]["follow_up"][:1])
        record.update_meeting(meeting["id"], {"filed": filed})
    return filed["follow_up"]


def test_a_change_to_one_closed_meeting_copies_the_others_parts_unparsed(
    store: Path, run, parses: list[int]
) -> None:
    before, _problem = files.decode(whole_bytes(store))
    assert before is not None
    follow_up = _shorten_latest_follow_up(store)
    assert parses == []  # the other meetings' parts: bytes copied where _meta.bulk says
    after, problem = files.decode(whole_bytes(store))
    assert problem is None and after is not None
    changed = [k for k, m in before["meetings"].items() if m.get("date") == LATEST]
    for key, meeting in before["meetings"].items():
        if key not in changed:
            assert after["meetings"][key] == meeting
    assert after["meetings"][changed[0]]["filed"]["follow_up"] == follow_up
    run("doctor")


@pytest.mark.parametrize("edit", ["renamed", "shifted"])
def test_offsets_edited_by_hand_are_not_used_to_copy_a_part(store: Path, run, edit: str) -> None:
    """`_meta` is outside the log's hash: offsets that do not lie end to end across the
    bulk tables are not believed, and the change parses the parts instead."""
    raw = whole_bytes(store)
    data, _problem, _index = files.parse_indexed(raw)
    before, _problem = files.decode(raw)
    assert data is not None and before is not None
    noted = data["_meta"]["1"]["bulk"]
    offsets = dict(noted["meetings"])
    first, second = list(offsets)[:2]
    if edit == "renamed":  # the places lie end to end, one under another meeting's key
        offsets = {("999999" if key == first else key): span for key, span in offsets.items()}
    else:
        offsets[first] = [offsets[first][0], offsets[first][1] - 1]
        offsets[second] = [offsets[second][0] - 1, offsets[second][1]]
    meta = dict(data["_meta"]["1"], bulk=dict(noted, meetings=offsets))
    head = ('{"_meta":{"1":' + files.dumps(meta) + "}").encode()
    store.write_bytes(head + raw[raw.index(b',"committee":') :])
    _shorten_latest_follow_up(store)
    after, problem = files.decode(whole_bytes(store))
    assert problem is None and after is not None
    for key, meeting in before["meetings"].items():
        if meeting.get("date") != LATEST:
            assert after["meetings"][key] == meeting
    run("doctor")


EDITS = {
    "nothing": lambda rows, keys: None,
    "a light field of a closed meeting": lambda rows, keys: rows.__setitem__(
        keys[0], {**rows[keys[0]], "place": "新址"}
    ),
    "a closed meeting's follow-up": lambda rows, keys: rows.__setitem__(
        keys[1], {**rows[keys[1]], "filed": {**rows[keys[1]]["filed"], "follow_up": []}}
    ),
    "a closed meeting gone": lambda rows, keys: rows.pop(keys[2]),
    "a meeting with minutes added": lambda rows, keys: rows.__setitem__(
        "9999", {"date": "2026-12-30", "status": "closed", "filed": {"topics": {"1": {}}}}
    ),
    "every meeting gone": lambda rows, keys: rows.clear(),
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("joined", [False, True], ids=["light", "joined"])
def test_the_text_copied_is_the_text_written_again(year: Path, edit: str, joined: bool) -> None:
    """Whatever a change does to the meetings, the body written by copying the text of what
    it did not touch is byte for byte the body serialised from the whole record."""
    raw = whole_bytes(year)
    data, problem, index = files.parse_indexed(raw)
    assert problem is None and data is not None and index is not None and index.pending
    if joined:
        assert index.join(data) is None
    rows = data["meetings"]
    keys = [k for k, m in rows.items() if m["status"] == "closed"]
    whole, _problem = files.decode(raw)
    assert whole is not None
    for target in (data, whole):
        EDITS[edit](target["meetings"], keys)
    if not joined and edit in ("a light field of a closed meeting", "a closed meeting's follow-up"):
        # a record joins a document before it changes it (Record._own); so does this test
        index.join(data)
        EDITS[edit](data["meetings"], keys)
    offsets: dict = {}
    copied = files.body_bytes(data, index, POLICY.hot_bulk, offsets)
    assert copied == files.body_of(whole, POLICY.hot_bulk).encode("utf-8")
    if edit == "nothing":
        assert raw.endswith(copied[1:])  # the body as it lay in the file
    # the offsets told are where each part lies in the file written
    again, _problem, read = files.parse_indexed(files.payload({"bulk": offsets}, copied))
    assert (read is not None and read.pending) == bool(offsets)
    assert read is not None and again is not None
    for key, doc in whole["meetings"].items():
        part = read.part("meetings", key)
        if "follow_up" in doc.get("filed", {}) or "topics" in doc.get("filed", {}):
            assert part is not None and part["filed"].items() <= doc["filed"].items()
        else:
            assert part is None


def test_a_store_of_schema_3_is_read_and_then_written_in_two_parts(store: Path, run) -> None:
    whole, _problem = files.decode(whole_bytes(store))
    assert whole is not None
    whole["_meta"]["1"]["schema"] = 3
    store.write_bytes(files.payload(whole["_meta"]["1"], files.body_of(whole)))
    # the same record in the layout an older sanjian wrote: the log's state still holds
    assert b"_meetings_bulk" not in store.read_bytes()
    before = run("minutes", LATEST).stdout
    run("topic", "add", "楼道灯更换", "--by", "1")
    # written apart again: the hot file names its bulk file, which holds them
    assert files.named_in(store.read_bytes()) is not None
    assert b"_meetings_bulk" not in store.read_bytes()
    assert b',"_meetings_bulk":' in whole_bytes(store)
    assert json.loads(whole_bytes(store))["_meta"]["1"]["schema"] == files.SCHEMA
    label = f"before-schema-{files.SCHEMA}"
    assert any(label in p.name for p in paths.backup_dir(store).iterdir())
    assert run("minutes", LATEST).stdout == before
    run("doctor")


def test_a_store_of_schema_4_keeps_its_records_inline_until_its_first_change(
    store: Path, run
) -> None:
    """Schema 4 wrote only the filed minutes apart: its closed meetings' records are read
    where they are, and the first change writes them apart."""
    whole, _problem = files.decode(whole_bytes(store))
    assert whole is not None
    whole["_meta"]["1"]["schema"] = 4
    del whole["_meta"]["1"]["bulk"]
    store.write_bytes(
        files.payload(
            whole["_meta"]["1"], files.body_of(whole, lambda t, d: POLICY.archive_bulk(t))
        )
    )
    hot = json.loads(whole_bytes(store))
    assert all(set(p) == {"filed"} for p in hot["_meetings_bulk"].values())
    shown = {day: run("minutes", day).stdout for day in (LATEST, NEXT)}
    report = run("report", "attendance", "--format", "json").stdout
    run("topic", "add", "楼道灯更换", "--by", "1")
    hot = json.loads(whole_bytes(store))
    assert hot["_meta"]["1"]["schema"] == files.SCHEMA
    assert all("attendance" in p for p in hot["_meetings_bulk"].values())
    assert {day: run("minutes", day).stdout for day in (LATEST, NEXT)} == shown
    assert run("report", "attendance", "--format", "json").stdout == report
    run("doctor")


def test_a_part_that_belongs_to_no_meeting_is_a_damaged_store(store: Path, run) -> None:
    """Bulk tables not as `_meta.bulk` says sanjian wrote them (their size) are read with
    the rest: damage in them is found by the first command, whatever it reads."""
    raw = whole_bytes(store)
    store.write_bytes(raw[:-2] + b',"99999":{"filed":{"topics":{}}}}}')
    damaged = store.read_bytes()
    for command in (("member", "list"), ("minutes", LATEST), ("topic", "add", "灯", "--by", "1")):
        shown = run(*command, ok=False)
        assert shown.exit_code == 1 and "_meetings_bulk/99999" in shown.stderr, command
        assert "Traceback" not in shown.stderr and len(shown.stderr.strip().splitlines()) == 1
    assert store.read_bytes() == damaged
    assert run("doctor", ok=False).exit_code != 0


def test_the_upgrading_change_notes_where_each_old_archives_tables_lie(
    store: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Archives written before their tables' spans were listed: the change that upgrades
    the store finds them in each file once, and a report then reads only those bytes."""
    from sanjian_cli.store import archive

    hot = json.loads(whole_bytes(store))
    listing = hot["_meta"]["1"]["archives"]
    assert listing and all("spans" in entry for entry in listing.values())
    for year, entry in listing.items():
        raw = paths.archive_path(store, int(year)).read_bytes()
        assert archive.spans_of(raw) == entry["spans"]  # found in the file = as written
        for table, (start, end) in entry["spans"].items():
            assert json.loads(raw[start:end]) == json.loads(raw)[table]
    before = run("report", "attendance", "--format", "json").stdout
    # the store as an older sanjian left it: schema 3, archives listed without spans
    whole, _problem = files.decode(whole_bytes(store))
    assert whole is not None
    meta = whole["_meta"]["1"]
    meta["schema"] = 3
    for entry in meta["archives"].values():
        del entry["spans"]
    store.write_bytes(files.payload(meta, files.body_of(whole)))
    assert run("report", "attendance", "--format", "json").stdout == before
    run("topic", "add", "楼道灯更换", "--by", "1")
    upgraded = json.loads(whole_bytes(store))["_meta"]["1"]
    assert upgraded["schema"] == files.SCHEMA and upgraded["archives"] == listing
    whole_reads: list[int] = []
    real = archive.Shelf._read

    def read(self: archive.Shelf, year: int) -> tuple[Path, bytes]:
        whole_reads.append(year)
        return real(self, year)

    monkeypatch.setattr(archive.Shelf, "_read", read)
    assert run("report", "attendance", "--format", "json").stdout == before
    assert whole_reads == []
    assert archive.spans_of(b'{"meetings":{}, "topics":{}}') is None  # not as sanjian writes


def test_doctor_finds_damage_in_the_parts_it_reads_last(store: Path, run) -> None:
    """doctor reads the hot file's closed meetings light while it checks the archives, and
    their parts at the end: damage there, its size as `_meta.bulk` says, is named then,
    with the archives' problems, and not a traceback."""
    raw = whole_bytes(store)
    at = raw.index(b'"attendance":', raw.index(b',"_meetings_bulk":'))
    damaged = raw[: at + 12] + b";" + raw[at + 13 :]  # the colon after the key, the same size
    store.write_bytes(damaged)
    shown = run("--lang", "en", "doctor", "--format", "json", ok=False)
    assert shown.exit_code == 1 and "Traceback" not in shown.stderr
    codes = [p["code"] for p in json.loads(shown.stdout)["problems"]]
    assert codes[0] == "unreadable"
    assert store.read_bytes() == damaged


def test_the_lock_timeout_is_read_from_the_head_of_a_large_hot_file(store: Path, run) -> None:
    """Every command peeks at the lock-timeout setting before it locks: of a large hot
    file it reads only as far as the committee table (which follows `_meta`), and the
    whole file when the committee is not where sanjian writes it."""
    from sanjian_cli.store import policy

    assert store.stat().st_size > Store.HEAD
    assert Store(store, POLICY)._timeout() == policy.LOCK_TIMEOUT
    assert len(Store(store, POLICY)._head()) < Store.HEAD
    run("config", "set", "lock-timeout", "3")
    assert Store(store, POLICY)._timeout() == 3.0
    data = json.loads(whole_bytes(store))
    committee = data.pop("committee")
    data["committee"] = committee  # laid out by hand: the settings at the end of the file
    store.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert Store(store, POLICY)._head() == whole_bytes(store)
    assert Store(store, POLICY)._timeout() == 3.0


_text = st.text(max_size=6)
_meeting = st.fixed_dictionaries(
    {
        "date": st.sampled_from(["2026-11-04", "2026-11-11"]),
        "status": st.sampled_from(["closed", "planned"]),
    },  # fmt: skip
    optional={
        "attendance": st.dictionaries(st.sampled_from(["1", "2"]), st.booleans()),
        "votes": st.dictionaries(st.sampled_from(["3"]), st.integers()),
        "filed": st.fixed_dictionaries(
            {},
            optional={
                "follow_up": st.lists(_text, max_size=2),
                "topics": st.lists(_text, max_size=2),
            },
        ),
        "place": _text,
    },
)


@settings(max_examples=80)
@given(
    meetings=st.dictionaries(st.integers(1, 30).map(str), _meeting, max_size=4),
    members=st.dictionaries(st.integers(1, 9).map(str), st.dictionaries(_text, _text), max_size=3),
    lazy=st.booleans(),
)
def test_a_body_written_a_document_at_a_time_is_the_body_as_one_text(meetings, members, lazy):
    """`body_chunks` without an index (serialised a document at a time, each table given as
    a dict or as a Mapping read when asked, as `restore` gives it) is, byte for byte, the
    UTF-8 of `body_of`: what the log's state hash covers."""
    from collections.abc import Mapping

    class Lazy(Mapping):
        def __init__(self, rows: dict) -> None:
            self.rows = rows

        def __getitem__(self, key: str) -> dict:
            return self.rows[key]

        def __iter__(self):  # noqa: ANN204
            return iter(self.rows)

        def __len__(self) -> int:
            return len(self.rows)

    data = {"_meta": {"1": {"schema": files.SCHEMA}}, "members": members, "meetings": meetings}
    given_data = {k: Lazy(v) if lazy and k != "_meta" else v for k, v in data.items()}
    pieces = files.body_chunks(given_data, None, POLICY.hot_bulk)
    assert b"".join(pieces) == files.body_of(data, POLICY.hot_bulk).encode("utf-8")
    assert files.state_of(data, POLICY.hot_bulk) == files.state_hash(
        files.body_of(data, POLICY.hot_bulk), None
    )
