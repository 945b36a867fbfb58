"""Reading the history a closed year at a time: what the all-years commands read and hold.

A record of three calendar years (from benchmarks/make_store.py) split by the archive pass:
`report attendance` and `topic list` fold the archives one by one (`Record.by_year`), decode
an archive only as far as the table they need, and still give what the whole record gives.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from sanjian_cli.domain import attendance
from sanjian_cli.render.output import dumps
from sanjian_cli.services import rolls
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, archive, files, paths

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import make_store  # noqa: E402
from _whole import whole_bytes

NOW = "2026-11-23T09:00:00+08:00"


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("years") / "split.json"
    # Closed by an older sanjian (no `filed`): 应到 is counted from the roster, and fixed
    # by the first change of the roster.
    tables = make_store.build(2, 5, make_store.datetime.fromisoformat(NOW), filing=False)
    tables["_meta"]["1"] = {"schema": files.SCHEMA, "next_id": archive.next_ids(tables)}
    path.write_bytes(files.dumps(tables).encode("utf-8"))
    saved = os.environ.get("SANJIAN_NOW")
    os.environ["SANJIAN_NOW"] = NOW
    try:
        assert Store(path, POLICY).archive() == [2024, 2025]
    finally:
        if saved is not None:
            os.environ["SANJIAN_NOW"] = saved
    return path


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    shutil.copytree(paths.archive_dir(source), paths.archive_dir(target))
    if paths.log_path(source).exists():
        shutil.copyfile(paths.log_path(source), paths.log_path(target))
    return target


def _folded(chunks: list[list[dict]]) -> list[dict]:
    found: dict[int, dict] = {}
    for chunk in chunks:
        for doc in chunk:
            found.pop(doc["id"], None)
            found[doc["id"]] = doc
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("shared", [True, False])
def test_year_by_year_gives_every_document_once_the_hot_copy_winning(split, shared) -> None:
    with pytest.raises(RuntimeError), Store(split, POLICY).writing() as record:
        record.shared = shared
        archived = next(iter(json.loads(paths.archive_path(split, 2024).read_bytes())["topics"]))
        record.update_topic(int(archived), {"title": "改过的标题"})  # now a hot copy as well
        for table, whole in (("meetings", record.meetings), ("topics", record.topics),
                             ("decisions", record.decisions)):  # fmt: skip
            chunks = list(record.by_year(table))
            assert len(chunks) == 3  # 2024, 2025, the hot file
            for chunk in chunks:
                assert [d["id"] for d in chunk] == sorted(d["id"] for d in chunk)
            ids = [d["id"] for chunk in chunks for d in chunk]
            assert len(ids) == len(set(ids))
            assert _folded(chunks) == sorted(whole(), key=lambda d: d["id"])
        assert record.topic(int(archived))["title"] == "改过的标题"
        raise RuntimeError("not saved")


def test_reports_decode_only_the_tables_they_need_and_keep_no_archive(
    split, run, monkeypatch
) -> None:
    asked: list[tuple[str, ...]] = []
    whole: list[Path] = []
    kept: list[int] = []
    files_read: list[int] = []
    real_alone, real_parse, real_get, real_read = (archive.Shelf._tables_alone,
        archive.Shelf._parse, archive.Shelf.get, archive.Shelf._read)  # fmt: skip

    def alone(self: archive.Shelf, year: int, wanted: tuple[str, ...]) -> dict | None:
        found = real_alone(self, year, wanted)
        assert found is not None and set(found) == set(wanted)  # those tables' bytes alone
        asked.append(wanted)
        return found

    def read(self: archive.Shelf, year: int) -> tuple[Path, bytes]:
        files_read.append(year)  # a whole archive file
        return real_read(self, year)

    def parse(file: Path, raw: bytes) -> dict:
        whole.append(file)
        return real_parse(file, raw)

    def get(self: archive.Shelf, year: int) -> dict:
        kept.append(year)
        return real_get(self, year)

    monkeypatch.setattr(archive.Shelf, "_tables_alone", alone)
    monkeypatch.setattr(archive.Shelf, "_read", read)
    monkeypatch.setattr(archive.Shelf, "_parse", staticmethod(parse))
    monkeypatch.setattr(archive.Shelf, "get", get)
    monkeypatch.setenv("SANJIAN_DB", str(split))
    run("report", "attendance", "--format", "json")
    assert asked == [("meetings",), ("meetings",)]
    asked.clear()
    run("topic", "list", "--format", "json")
    assert asked == [("topics",), ("topics",)]
    assert whole == [] and kept == [] and files_read == []


def test_an_archive_edited_by_hand_is_read_whole_and_a_damaged_one_refused(
    split, run, monkeypatch, tmp_path
) -> None:
    path = _copy(split, tmp_path / "s.json")
    monkeypatch.setenv("SANJIAN_DB", str(path))
    before = json.loads(run("report", "attendance", "--format", "json").stdout)
    file = paths.archive_path(path, 2024)
    data = json.loads(whole_bytes(file))
    # Moved to the end of a file laid out by hand, the meetings are no longer where the
    # store writes them: the file is parsed whole, and counts the same.
    data["meetings"] = data.pop("meetings")
    file.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    assert json.loads(run("report", "attendance", "--format", "json").stdout) == before
    file.write_bytes(file.read_bytes()[:1000])
    result = run("--lang", "en", "report", "attendance", "--format", "json", ok=False)
    assert result.exit_code == 1 and f"the yearly archive {file} is damaged" in result.stderr


def test_leading_tables_stops_where_the_store_wrote_nothing_it_can_trust() -> None:
    raw = files.dumps({"_meta": {"1": {"archive": 2024}}, "meetings": {"1": {"date": "x"}},
                       "topics": {"2": {}}}).encode()  # fmt: skip
    assert files.leading_tables(raw, ("meetings",)) == {"meetings": {"1": {"date": "x"}}}
    assert files.leading_tables(raw + b"garbage", ("meetings",)) is not None  # not read
    assert files.leading_tables(raw, ("decisions",)) is None  # not there
    assert files.leading_tables(b' {"meetings":{}}', ("meetings",)) is None
    assert files.leading_tables(b'{"meetings":{"a":{}}}', ("meetings",)) is None  # a bad id
    assert files.leading_tables(b'{"meetings":{"1":{', ("meetings",)) is None


def test_a_years_roster_leaves_every_expected_member_in() -> None:
    rng = random.Random(7)
    start = date(2020, 1, 1)

    def day(n: int) -> str:
        return (start + timedelta(days=n)).isoformat()

    members = []
    for mid in range(1, 80):
        joined = rng.choice([None, day(rng.randrange(0, 1500))])
        retired = rng.choice([None, None, day(rng.randrange(0, 1500))])
        members.append({"id": mid, "voting": rng.random() > 0.1, "joined": joined,
                        "retired": retired})  # fmt: skip
    for _ in range(40):
        first = rng.randrange(0, 1400)
        last = first + rng.randrange(0, 400)
        roster = rolls._on_roster_within(members, day(first), day(last))
        for n in range(first, last + 1):
            when = start + timedelta(days=n)
            assert attendance.expected(roster, when) == attendance.expected(members, when)


def test_an_import_fixes_the_rolls_from_its_first_joining_day(
    split, run, monkeypatch, tmp_path
) -> None:
    path = _copy(split, tmp_path / "s.json")
    monkeypatch.setenv("SANJIAN_DB", str(path))
    before = run("report", "attendance", "--format", "json").stdout
    sheet = tmp_path / "roster.csv"
    sheet.write_text("姓名,方面,加入日期\n新甲,志愿者,2026-06-01\n新乙,社工,2026-07-01\n", "utf-8")
    run("member", "import", str(sheet), now="2026-11-23T09:00")
    hot = json.loads(whole_bytes(path))
    # The closed years' meetings were not touched (copied into the hot file to be fixed).
    assert {m["date"][:4] for m in hot["meetings"].values()} == {"2026"}
    fixed = [m["date"] for m in hot["meetings"].values() if "expected" in (m.get("filed") or {})]
    assert fixed and min(fixed) >= "2026-06-01"
    assert run("report", "attendance", "--format", "json").stdout == before


def test_json_output_is_json_dumps_however_long() -> None:
    data = [{"id": n, "名": "甲" * (n % 5), "x": [n, 1.5, None, True, {"a": []}]}
            for n in range(3000)]  # fmt: skip
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert dumps({}) == "{}\n"


@pytest.mark.slow
def test_listings_and_the_attendance_report_do_not_load_statistics(split, tmp_path) -> None:
    """statistics (with fractions, decimal, random: ~5 ms) is for the medians of `report
    topics` and `report summary` alone."""
    path = _copy(split, tmp_path / "s.json")
    env = {**os.environ, "SANJIAN_DB": str(path), "SANJIAN_NOW": NOW, "LANG": "zh_CN.UTF-8"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n"
        "import os\n"
        "os._exit = lambda code: None\n"  # the console script ends at once: stay to look
        "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('STATISTICS', 'statistics' in sys.modules, file=sys.stderr)\n"
    )
    import subprocess

    for args, loaded in ((("topic", "list", "--format", "json"), False),
                         (("report", "attendance", "--format", "json"), False),
                         (("report", "topics", "--format", "json"), True)):  # fmt: skip
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0 and f"STATISTICS {loaded}" in done.stderr, done.stderr


def test_an_old_meetings_minutes_read_its_own_year_and_the_decisions_alone(
    split, run, monkeypatch
) -> None:
    """The minutes of a meeting of 2024 read that year's archive (the meeting whole), count
    its number among that year's meetings alone, and find a decision of another year by
    reading that archive's decisions and nothing else of it."""
    from _reads import archive_reads

    monkeypatch.setenv("SANJIAN_DB", str(split))
    with Store(split, POLICY).reading() as record:
        held = [m for m in record.meetings() if m["status"] == "closed"]
        old = next(m for m in held if m["date"].startswith("2024"))
        whole = run("minutes", old["date"]).stdout
        decided = [d for d in record.decisions() if d["meeting"] == old["date"]]
    opened = archive_reads(monkeypatch)
    alone: list[tuple[int, tuple[str, ...]]] = []
    real = archive.Shelf._tables_alone

    def tables_alone(self: archive.Shelf, year: int, wanted: tuple[str, ...]) -> dict | None:
        alone.append((year, wanted))
        return real(self, year, wanted)

    monkeypatch.setattr(archive.Shelf, "_tables_alone", tables_alone)
    assert run("minutes", old["date"]).stdout == whole
    assert opened == [2024]
    assert all(wanted == ("decisions",) for _year, wanted in alone)
    assert decided and all(str(d["id"]) in whole or d["text"] in whole for d in decided)


def test_the_list_of_every_decision_decodes_no_meeting(split, run, monkeypatch) -> None:
    from _reads import archive_reads

    monkeypatch.setenv("SANJIAN_DB", str(split))
    expected: set[int] = set()
    for year in (2024, 2025):
        tables, _problem = files.decode(paths.archive_path(split, year).read_bytes())
        assert tables is not None
        expected |= {int(k) for k in tables.get("decisions", {})}
    hot, _problem = files.decode(whole_bytes(split))
    assert hot is not None
    expected |= {int(k) for k in hot.get("decisions", {})}
    opened = archive_reads(monkeypatch)
    shown = json.loads(run("action", "list", "--format", "json").stdout)
    assert opened == []  # each archive's decisions read alone, no archive decoded whole
    assert {item["id"] for item in shown} == expected


def test_the_list_of_every_meeting_reads_each_years_meetings_alone(split, run, monkeypatch):
    """`meeting list` reads the fields it shows, each archive's meetings table alone, and
    lists what the whole record holds (the hot copy of a meeting winning)."""
    from _reads import archive_reads

    from sanjian_cli.domain import documents

    monkeypatch.setenv("SANJIAN_DB", str(split))
    with Store(split, POLICY).reading() as record:
        expected = [documents.meeting_list_json(m) for m in record.meetings()]
    opened = archive_reads(monkeypatch)
    shown = json.loads(run("meeting", "list", "--format", "json").stdout)
    assert opened == []
    assert shown == expected and len(shown) > 100
    assert json.loads(run("meeting", "list", "--year", "2025", "--format", "json").stdout) == [
        m for m in expected if m["date"].startswith("2025")
    ]


def test_the_calendar_numbers_and_reads_every_year_light(split, run, monkeypatch) -> None:
    """The calendar numbers every meeting in one pass (`papers.numbering`), as a paper of
    one meeting numbers it (`number_in_year`), and reads each archive's meetings alone."""
    from _reads import archive_reads

    from sanjian_cli.services import meetings, papers

    monkeypatch.setenv("SANJIAN_DB", str(split))
    with Store(split, POLICY).reading() as record:
        every = record.meetings()
        numbers = papers.numbering(every)
        assert len(every) > 100
        days = meetings.previous_days(every)
        for meeting in every:
            assert numbers[meeting["date"]] == papers.number_in_year(record, meeting)
            before = meetings.previous(record, meeting)
            assert days[meeting["date"]] == (before["date"] if before else None)
    opened = archive_reads(monkeypatch)
    assert "BEGIN:VEVENT" in run("calendar").stdout
    assert opened == []


def test_a_skipped_meeting_has_no_number_and_the_count_starts_again_each_year() -> None:
    from sanjian_cli.services import papers

    days = [("2025-12-31", "closed"), ("2026-01-07", "closed"), ("2026-01-14", "skipped"),
            ("2026-01-21", "planned")]  # fmt: skip
    numbers = papers.numbering([{"date": d, "status": s} for d, s in reversed(days)])
    assert numbers == {
        "2025-12-31": {"year": 2025, "n": 1},
        "2026-01-07": {"year": 2026, "n": 1},
        "2026-01-14": None,
        "2026-01-21": {"year": 2026, "n": 2},
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calendar_written_event_by_event_is_the_calendar_icalendar_writes(
    split, lang, monkeypatch
) -> None:
    """`calendar` writes each event as soon as it is made (a hundred meetings' events are
    never held at once): the bytes are those of a calendar holding them all."""
    from sanjian_cli.render import ical
    from sanjian_cli.services import committee
    from sanjian_cli.services.calendar import calendar

    monkeypatch.setenv("SANJIAN_NOW", NOW)
    with Store(split, POLICY).reading() as record:
        data = calendar(record, committee.now(committee.config(record)))
    assert len(data["events"]) > 100
    one_by_one = ical.build(data, lang)
    assert one_by_one == ical.build(data, lang, one_by_one=False)
    assert one_by_one.count(b"BEGIN:VEVENT") == len(data["events"]) + 1  # and the weekly one


# -- the reports over the years: a document held twice counted once, as its later copy ------
A, B = 1, 2  # decisions of 2024: A copied into the hot file, B into the 2025 archive
T, U = 1, 2  # topics of 2024: T copied into the hot file, U into the 2025 archive


@pytest.fixture
def twice(split, tmp_path, monkeypatch) -> Path:
    """A copy of `split` in which two decisions and two topics of 2024 are held again: A and
    T by the hot file (changed through the store: A open and overdue, T withdrawn), B and U
    by the 2025 archive as well (edited by hand: B taken at the first meeting of 2025, U
    proposed in 2025). The later copy is the one every report must count."""
    path = _copy(split, tmp_path / "twice.json")
    monkeypatch.setenv("SANJIAN_NOW", NOW)
    old = json.loads(paths.archive_path(path, 2024).read_bytes())
    assert {str(A), str(B)} <= set(old["decisions"]) and {str(T), str(U)} <= set(old["topics"])
    assert old["topics"][str(T)]["status"] == "passed"
    with Store(path, POLICY).writing() as record:
        record.update_decision(A, {"status": "open", "done_at": None, "due": "2026-01-10"})
        record.update_topic(T, {"status": "withdrawn", "withdrawn_at": "2026-02-01T10:00:00+08:00"})
    file = paths.archive_path(path, 2025)
    later = json.loads(whole_bytes(file))
    first_2025 = min(m["date"] for m in later["meetings"].values())
    later["decisions"][str(B)] = {**old["decisions"][str(B)], "meeting": first_2025}
    later["topics"][str(U)] = {**old["topics"][str(U)], "proposed_at": "2025-01-05T10:00:00+08:00"}
    file.write_text(json.dumps(later, ensure_ascii=False, indent=1), "utf-8")
    return path


def test_the_reports_fold_the_years_a_document_held_twice_counted_as_its_later_copy(
    split, twice, monkeypatch
) -> None:
    """`report actions`, `topics` and `summary` read the decisions and topics a year at a
    time (never `decisions()` or `topics()`, every year at once), and give what the domain
    gives of the whole record, at the edges of the years and of the periods alike."""
    from sanjian_cli.domain import reports
    from sanjian_cli.domain.reports import Period
    from sanjian_cli.services import committee
    from sanjian_cli.services import reports as service
    from sanjian_cli.store import Record

    today = date(2026, 11, 23)
    with Store(twice, POLICY).reading() as record:
        config = committee.config(record)
        everyone = service.people(record)
        decisions, topics = record.decisions(), record.topics()
        days = sorted({m["date"] for m in record.meetings() if m["status"] == "closed"})
        last_2024 = max(d for d in days if d < "2025")
        first_2025 = min(d for d in days if d >= "2025")
        last_2025 = max(d for d in days if d < "2026")
        first_2026 = min(d for d in days if d >= "2026")
        periods = [
            Period(),
            Period.year(2024),
            Period.year(2025),
            Period.year(2026),
            Period(None, date.fromisoformat(last_2024)),
            Period(date.fromisoformat(first_2025), date.fromisoformat(first_2025)),
            Period(date.fromisoformat(first_2025) + timedelta(days=1), None),
            Period(date.fromisoformat(last_2025), date.fromisoformat(first_2026)),
        ]
        expected = [
            (reports.actions(decisions, everyone, p, today),
             reports.topics(topics, everyone, p, today))
            for p in periods
        ]  # fmt: skip

        def every_year_at_once(self: Record) -> list[dict]:
            raise AssertionError("the reports read the history a year at a time")

        monkeypatch.setattr(Record, "decisions", every_year_at_once)
        monkeypatch.setattr(Record, "topics", every_year_at_once)
        for period, (actions, topics_report) in zip(periods, expected, strict=True):
            assert service.actions(record, period, today) == actions
            assert service.topics(record, period, today) == topics_report
            summary = service.summary(record, config, period, today)
            total = actions["total"]
            assert summary["decisions"] == {"taken": total["total"]} | {
                k: total[k] for k in (*reports.ACTION_STATES, "undated", "judged", "on_time_share")
            }
            assert summary["topics"]["proposed"] == topics_report["total"]["proposed"]
            assert summary["topics"]["decided"] == topics_report["total"]["decided"]
        owned = service.actions(record, Period(), today, owner=2)
        assert owned["items"] and all(i["owner"]["id"] == 2 for i in owned["items"])

        every = service.actions(record, Period(), today)["items"]
        ids = [i["id"] for i in every]
        assert len(ids) == len(set(ids)) == len(decisions)
        a = next(i for i in every if i["id"] == A)
        assert (a["status"], a["state"], a["due"]) == ("open", "overdue", "2026-01-10")
        # B is counted where its later copy was taken, and not where its first one was.
        in_2024 = [i["id"] for i in service.actions(record, Period.year(2024), today)["items"]]
        on_the_day = service.actions(record, periods[5], today)["items"]
        assert B not in in_2024 and A in in_2024
        assert [i["id"] for i in on_the_day].count(B) == 1
        assert {i["meeting"] for i in on_the_day} == {first_2025} and len(on_the_day) > 1
        assert B not in [i["id"] for i in service.actions(record, periods[6], today)["items"]]

    # Against the store before the copies: T's later copy was withdrawn (in 2026), so 2024
    # no longer counts it decided, nor passed; U's was proposed in 2025, not in 2024.
    def totals(path: Path, year: int) -> dict:
        with Store(path, POLICY).reading() as record:
            return service.topics(record, Period.year(year), today)["total"]

    before, after = totals(split, 2024), totals(twice, 2024)
    assert {k: before[k] - after[k] for k in ("decided", "passed", "proposed", "withdrawn")} == {
        "decided": 1, "passed": 1, "proposed": 1, "withdrawn": 0}  # fmt: skip
    assert totals(twice, 2025)["proposed"] == totals(split, 2025)["proposed"] + 1
    assert totals(twice, 2026)["withdrawn"] == totals(split, 2026)["withdrawn"] + 1
