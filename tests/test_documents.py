"""The documents of the record: constructors, the upgrade of older shapes, projections."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest
from _record import TZ

from sanjian_cli.domain import documents, settings, tally
from sanjian_cli.services import storage
from sanjian_cli.store import migrations

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def _new_documents() -> dict[str, dict]:
    count = tally.Count(6, 1, 0, 9, 7)
    rule = tally.Rule("expected", "majority", 0)
    result = tally.decide(count, rule)
    return {
        "members": dict(documents.new_member("刘洋", "social-worker", joined=date(2026, 1, 1))),
        "topics": dict(documents.new_topic("助餐点扩容", 5, minutes=15, proposed_at=NOW)),
        "meetings": {
            **documents.new_meeting(
                date(2026, 11, 25),
                start=NOW,
                duration=90,
                place="",
                online="",
                chair=1,
                created_at=NOW,
            ),  # fmt: skip
            "votes": {"2": documents.new_vote(2, "hands", count, rule, result, {}, "x")},
        },
        "decisions": dict(
            documents.new_decision("2026-11-25", 2, "扩容", owner=None, due=None, created_at=NOW)
        ),
    }


@pytest.mark.parametrize("table", ["members", "topics", "meetings", "decisions"])
def test_a_new_document_is_already_in_the_current_shape(table: str) -> None:
    doc = _new_documents()[table]
    assert documents.upgrade(table, copy.deepcopy(doc)) == doc


def test_upgrade_fills_in_what_an_old_store_left_out_and_keeps_the_rest() -> None:
    old_meeting = {"date": "2019-03-06", "start": "2019-03-06T19:00:00+08:00", "duration": 90,
                   "votes": {"1": {"outcome": "passed"}}}  # fmt: skip
    found = documents.upgrade("meetings", old_meeting)
    assert found["votes"] == {"1": {"outcome": "passed"}}
    assert (found["status"], found["leaves"], found["agenda"]) == ("planned", [], None)
    old_member = {"name": "张建国", "side": "cadre"}
    assert documents.upgrade("members", old_member)["voting"] is True


def test_upgraded_lists_are_not_shared_between_documents() -> None:
    first, second = documents.upgrade("topics", {}), documents.upgrade("topics", {})
    first["approvals"].append(1)
    assert second["approvals"] == []


def test_upgrade_covers_every_field_the_first_migration_fills() -> None:
    """The schema-0 migration runs `upgrade` through the store's policy: one definition of
    each document's shape, however old the store."""
    data = {"meetings": {"1": {"date": "2019-03-06"}}, "topics": {"1": {"title": "x"}},
            "decisions": {"1": {"text": "y"}}}  # fmt: skip
    upgraded = {t: documents.upgrade(t, copy.deepcopy(d["1"])) for t, d in data.items()}
    migrations.migrate(data, target=1, upgrade=storage.POLICY.upgrade)
    for table in upgraded:
        for key, value in data[table]["1"].items():
            assert upgraded[table][key] == value, (table, key)
        assert data[table]["1"] == upgraded[table]


def test_upgrade_leaves_unknown_tables_and_non_documents_alone() -> None:
    assert documents.upgrade("_meta", {"schema": 2}) == {"schema": 2}
    assert documents.upgrade("meetings", "not a document") == "not a document"  # type: ignore[arg-type]


def test_projections_print_empty_text_as_null() -> None:
    member = {"id": 5, **documents.new_member("刘洋", "social-worker", joined=date(2026, 1, 1))}
    shown = documents.member_json(member)
    assert (shown["org"], shown["phone"], shown["retire_reason"]) == (None, None, None)
    topic = documents.topic_json(
        {"id": 2, **documents.new_topic("助餐点扩容", 5, minutes=15, proposed_at=NOW)}
    )
    assert (topic["for"], topic["detail"], topic["rejection"]) == (None, None, None)


def test_an_item_is_overdue_from_the_day_after_its_due_date() -> None:
    item = {"id": 1, **documents.new_decision("2026-11-18", 1, "巡查", owner=8,
                                              due=date(2026, 11, 22), created_at=NOW)}  # fmt: skip
    on_the_day = documents.action_json(item, None, date(2026, 11, 22))
    after = documents.action_json(item, None, date(2026, 11, 25))
    assert (on_the_day["overdue"], on_the_day["days_overdue"]) == (False, 0)
    assert (after["overdue"], after["days_overdue"]) == (True, 3)
    done = {**item, "status": "done"}
    assert documents.action_json(done, None, date(2026, 11, 25))["overdue"] is False


def test_a_paper_names_a_member_missing_from_the_record_by_id() -> None:
    assert documents.person_json(12, None) == {"id": 12, "name": "#12", "side": None}


def test_agenda_of_a_meeting_not_built_yet_is_empty() -> None:
    meeting = documents.new_meeting(date(2026, 11, 25), start=NOW, duration=90, place="",
                                    online="", chair=None, created_at=NOW)  # fmt: skip
    assert documents.agenda_of(meeting)["topics"] == []
    assert documents.agenda_of({**meeting, "agenda": {"topics": [3]}})["late"] == []


def test_changed_fields_gives_old_and_new_of_each_changed_field() -> None:
    before = {"id": 3, "owner": None, "due": None, "text": "扩容"}
    after = {"id": 3, "owner": 4, "due": "2026-12-25", "text": "扩容"}
    assert documents.changed_fields(before, after) == {
        "owner": [None, 4],
        "due": [None, "2026-12-25"],
    }
    assert documents.changed_fields({"a": 1}, {"a": 1, "b": 2}) == {"b": [None, 2]}


def test_a_document_that_must_be_there_and_is_not_is_an_internal_error() -> None:
    with pytest.raises(LookupError):
        documents.expect(None, "meeting", "2026-11-25")


def test_the_committee_is_created_with_every_setting_of_the_spec() -> None:
    made = documents.new_committee("x", settings.defaults(), NOW)
    assert set(made["settings"]) == set(settings.BY_KEY)
    assert documents.config_json(made, made["settings"], "/s.json")["store"] == "/s.json"


def test_a_closed_meetings_follow_up_keeps_what_an_edit_could_change() -> None:
    notes = [{"at": "2026-11-20T10:00:00+08:00", "text": "已巡查"}]
    item = {"id": 7, "meeting": "2026-11-11", "topic": 3, "text": "巡查", "due": "2026-11-20",
            "status": "open", "done_at": None, "notes": notes}  # fmt: skip
    owner = {"id": 2, "name": "陈静", "side": "social-worker"}
    day = date(2026, 11, 25)
    entry = documents.action_json(item, owner, day)
    assert entry["overdue"] and entry["days_overdue"] == 5
    kept = documents.filed_action(entry)
    assert kept == {"id": 7, "text": "巡查", "owner": owner, "due": "2026-11-20",
                    "status": "open", "done_at": None, "notes_at_close": 1}  # fmt: skip
    # later: the item edited, a note added, done; the minutes show it as it was
    later = {**item, "text": "巡查楼道", "status": "done", "done_at": "2026-12-01T10:00:00+08:00",
             "notes": [*notes, {"at": "2026-12-01T10:00:00+08:00", "text": "已完成"}]}  # fmt: skip
    shown = documents.unfiled_action(kept, later, day)
    assert shown == entry and list(shown) == list(entry)  # keys in order too
    # an entry an older sanjian kept whole is shown as kept
    assert documents.unfiled_action(entry, later, day) == entry
