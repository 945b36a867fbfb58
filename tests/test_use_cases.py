"""The use cases called from Python, without the CLI, on a committee built in memory through
the same functions (tests/_record.py): what a caller gets back and what the record then
holds, at the edges of each rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from _record import MONDAY, WEDNESDAY, Committee, at, empty_record

from sanjian_cli.errors import BadInput, Refused
from sanjian_cli.services import (
    actions,
    agenda,
    attendance,
    closing,
    meetings,
    members,
    planning,
    topics,
    votes,
)

START = at(WEDNESDAY, 19)
PRESENT = ("张建国", "李秀兰", "王志强", "陈静", "刘洋", "孙丽华", "周大伟")


@pytest.fixture
def com() -> Committee:
    return Committee(empty_record())


def _held(com: Committee, *titles: str) -> dict:
    """The meeting of Wednesday with `titles` on its agenda and seven of nine signed in."""
    for title in titles:
        com.accepted(title)
    meeting = com.plan()
    agenda.build_agenda(com.record, com.config, meeting, MONDAY)
    attendance.sign_in(com.record, meeting, [com[n] for n in PRESENT], late=False,
                       online=False, now=START)  # fmt: skip
    return meetings.current(com.record, meeting)


def _vote(com: Committee, meeting: dict, topic_id: int, yes: int, no: int = 0, **kw: bool):
    topic = topics.resolve(com.record, str(topic_id))
    return votes.vote(com.record, com.config, meeting, topic, counts=(yes, no, 0), named=None,
                      method="hands", defer=kw.get("defer", False), refer=False,
                      now=START + timedelta(minutes=20))  # fmt: skip


# -- topics -----------------------------------------------------------------------------------


def test_a_topic_is_accepted_once_the_third_lead_agrees(com: Committee) -> None:
    topic = topics.add(com.record, title="楼道堆物", by=com["刘洋"], for_name=None,
                       category="environment", detail=None, minutes=15, urgent=False,
                       major=False, at=MONDAY)  # fmt: skip
    topic, pending = topics.approve(com.record, topic, com["张建国"], "leads", MONDAY)
    topic, pending = topics.approve(com.record, topic, com["陈静"], "leads", MONDAY)
    assert (topic["status"], pending) == ("proposed", ["volunteer"])
    topic, pending = topics.approve(com.record, topic, com["孙丽华"], "leads", MONDAY)
    assert (topic["status"], pending) == ("accepted", [])


def test_under_the_chair_rule_the_cadre_lead_alone_accepts(com: Committee) -> None:
    topic = topics.add(com.record, title="x", by=com["刘洋"], for_name=None, category="other",
                       detail=None, minutes=15, urgent=False, major=False, at=MONDAY)  # fmt: skip
    with pytest.raises(Refused):
        topics.approve(com.record, topic, com["陈静"], "chair", MONDAY)
    topic, pending = topics.approve(com.record, topic, com["张建国"], "chair", MONDAY)
    assert (topic["status"], pending) == ("accepted", [])


def test_wording_is_fixed_once_a_lead_agreed_but_the_time_it_needs_is_not(
    com: Committee,
) -> None:
    topic = com.accepted("助餐点扩容")
    with pytest.raises(Refused):
        topics.edit(com.record, topic, {"title": "助餐点扩容（修改）"})
    assert topics.edit(com.record, topic, {"minutes": 40})["minutes"] == 40


def test_listing_filters_by_status_in_id_order(com: Committee) -> None:
    com.accepted("a")
    topics.add(com.record, title="b", by=com["刘洋"], for_name=None, category="other",
               detail=None, minutes=15, urgent=False, major=False, at=MONDAY)  # fmt: skip
    com.accepted("c")
    assert [t["title"] for t in topics.listing(com.record, "accepted")] == ["a", "c"]
    assert [t["id"] for t in topics.listing(com.record, None)] == [1, 2, 3]


# -- members ----------------------------------------------------------------------------------


def test_a_name_shared_with_a_member_who_left_means_the_current_one(com: Committee) -> None:
    members.retire(com.record, com["刘洋"], date(2026, 6, 30), "迁居")
    second = members.add(com.record, name="刘洋", side="volunteer", lead=False, voting=True,
                         org=None, phone=None, joined=date(2026, 7, 1))  # fmt: skip
    assert members.resolve(com.record, "刘洋")["id"] == second["id"]
    assert [m["name"] for m in members.listing(com.record, MONDAY.date(), all_=False,
                                               side="volunteer")] == ["孙丽华", "周大伟",
                                                                      "吴晓梅", "刘洋"]  # fmt: skip


def test_a_second_lead_for_a_side_is_refused(com: Committee) -> None:
    with pytest.raises(Refused):
        members.edit(com.record, com["李秀兰"], {"lead": True}, MONDAY.date())


# -- planning and the guards of a meeting ------------------------------------------------------


def test_the_next_meeting_is_planned_on_the_weekly_day_with_the_usual_details(
    com: Committee,
) -> None:
    meeting, new = planning.plan(com.record, com.config, MONDAY, day=None)
    assert (new, meeting["date"], meeting["start"]) == (True, "2026-11-25",
                                                        "2026-11-25T19:00:00+08:00")  # fmt: skip
    assert (meeting["duration"], meeting["chair"]) == (90, com["张建国"]["id"])
    again, new = planning.plan(com.record, com.config, MONDAY, day=WEDNESDAY, duration=60)
    assert (new, again["id"], again["duration"]) == (False, meeting["id"], 60)


def test_skipping_a_week_returns_its_agenda_topics_to_the_queue(com: Committee) -> None:
    topic = com.accepted("助餐点扩容")
    agenda.build_agenda(com.record, com.config, com.plan(), MONDAY)
    assert topics.resolve(com.record, str(topic["id"]))["status"] == "scheduled"
    skipped = planning.skip(com.record, com.config, WEDNESDAY, "国庆调休", MONDAY)
    assert (skipped["status"], skipped["agenda"]) == ("skipped", None)
    assert topics.resolve(com.record, str(topic["id"]))["status"] == "accepted"


def test_the_guard_only_checks_and_the_amendment_is_written_by_the_change(
    com: Committee,
) -> None:
    meeting = _held(com, "助餐点扩容")
    closed = closing.close(com.record, meeting, "20:30", START + timedelta(hours=2))
    before = com.snapshot()
    with pytest.raises(Refused):
        meetings.require_open(closed, None)
    assert meetings.require_open(closed, "补记") is True
    assert com.snapshot() == before  # checking wrote nothing
    com.record.amendment = "补记发言"  # the next change is made with --amend --reason
    topic = topics.resolve(com.record, "1")
    votes.add_note(com.record, closed, topic, "补记一", START)
    votes.add_note(com.record, closed, topic, "补记二", START)
    found = meetings.current(com.record, closed)
    assert [n["text"] for n in found["notes"]] == ["补记一", "补记二"]
    assert [a["reason"] for a in found["amendments"]] == ["补记发言"]  # once per change


# -- attendance -------------------------------------------------------------------------------


def test_leave_excuses_only_when_filed_before_the_deadline(com: Committee) -> None:
    config = {**com.config, "leave-deadline": 60}  # an hour before the start
    meeting = com.plan()
    in_time = attendance.file_leave(com.record, config, meeting, com["赵敏"], "看病",
                                    START - timedelta(minutes=61))  # fmt: skip
    at_deadline = attendance.file_leave(com.record, config, meeting, com["吴晓梅"], "加班",
                                        START - timedelta(minutes=60))  # fmt: skip
    assert (in_time["excused"], at_deadline["excused"]) == (True, False)
    assert attendance.leave_deadline(config, meeting) == START - timedelta(hours=1)
    roll = attendance.roll(com.record, meetings.current(com.record, meeting))
    assert (roll.counts["leave"], roll.counts["absent"]) == (1, 8)


def test_entries_made_through_an_old_copy_of_the_meeting_are_all_kept(com: Committee) -> None:
    """A caller holding the meeting as it was planned adds to what the record holds now."""
    meeting = com.plan()
    attendance.file_leave(com.record, com.config, meeting, com["赵敏"], "看病", MONDAY)
    attendance.add_guest(com.record, meeting, "钱阿姨", "居民代表", START)
    attendance.sign_in(com.record, meeting, [com["张建国"]], late=True, online=False, now=START)
    found = meetings.current(com.record, meeting)
    assert [n["reason"] for n in found["leaves"]] == ["看病"]
    assert [g["name"] for g in found["guests"]] == ["钱阿姨"]
    assert found["attendance"][str(com["张建国"]["id"])]["late"] is True


# -- votes, decisions, closing ----------------------------------------------------------------


def test_a_vote_passes_with_more_than_half_of_those_expected(com: Committee) -> None:
    meeting = _held(com, "a", "b")
    assert _vote(com, meeting, 1, yes=5)["outcome"] == "passed"  # 5 of 9
    assert _vote(com, meeting, 2, yes=4, no=3)["outcome"] == "failed"  # 4 of 9
    assert topics.resolve(com.record, "1")["status"] == "passed"
    assert topics.resolve(com.record, "2")["history"] == [
        {"meeting": "2026-11-25", "outcome": "failed"}
    ]


def test_a_deferred_topic_goes_back_to_the_queue_counted_as_carried(com: Committee) -> None:
    meeting = _held(com, "a")
    _vote(com, meeting, 1, yes=0, defer=True)
    topic = topics.resolve(com.record, "1")
    assert (topic["status"], topic["meeting"], topic["carried"]) == ("accepted", None, 1)


def test_more_votes_than_members_present_are_refused(com: Committee) -> None:
    meeting = _held(com, "a")
    before = com.snapshot()
    with pytest.raises(Refused):
        _vote(com, meeting, 1, yes=5, no=3)  # 8 votes, 7 present
    assert com.snapshot() == before


def test_closing_carries_over_the_topics_left_without_a_vote(com: Committee) -> None:
    meeting = _held(com, "a", "b")
    _vote(com, meeting, 1, yes=7)
    closed = closing.close(com.record, meeting, None, START + timedelta(minutes=80))
    assert (closed["status"], closed["end"]) == ("closed", "2026-11-25T20:20:00+08:00")
    carried = topics.resolve(com.record, "2")
    assert (carried["status"], carried["carried"]) == ("accepted", 1)
    assert carried["history"][-1] == {"meeting": "2026-11-25", "outcome": "carried"}
    assert topics.resolve(com.record, "1")["carried"] == 0


def test_a_decision_keeps_a_missing_owner_and_due_date_missing(com: Committee) -> None:
    meeting = _held(com, "a")
    topic = topics.resolve(com.record, "1")
    item = actions.decide(com.record, meeting, topic, "扩容", owner=None, due=None, now=START)
    assert (item["owner"], item["due"], item["status"]) == (None, None, "open")
    with pytest.raises(BadInput):
        actions.decide(com.record, meeting, topic, "x", owner=None,
                       due=WEDNESDAY - timedelta(days=1), now=START)  # fmt: skip


def test_an_item_listed_overdue_from_the_day_after_its_due_date(com: Committee) -> None:
    meeting = _held(com, "a")
    topic = topics.resolve(com.record, "1")
    actions.decide(com.record, meeting, topic, "巡查", owner=com["周大伟"],
                   due=date(2026, 11, 30), now=START)  # fmt: skip
    on_due_day = actions.listing(com.record, date(2026, 11, 30), only_open=True,
                                 only_overdue=True)  # fmt: skip
    later = actions.listing(com.record, date(2026, 12, 3), only_open=True, only_overdue=True)
    assert on_due_day == []
    assert [(e["owner"]["name"], e["days_overdue"]) for e in later] == [("周大伟", 3)]
    done = actions.done(com.record, actions.resolve(com.record, "1"), START, "已完成")
    assert (done["status"], done["notes"][-1]["text"]) == ("done", "已完成")
    with pytest.raises(Refused):
        actions.done(com.record, done, START)
