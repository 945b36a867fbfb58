"""The language of a failure's one line is the command's: --lang, else the committee's,
else the locale's, decided by the command's context; the exit point asks the store for the
committee's language only when the command failed before reading it, and then only once."""

from __future__ import annotations

import pytest
from _week import refused


@pytest.fixture
def asked(monkeypatch) -> list[object]:
    """Each time the committee's language is asked of the store, for a failure's line."""
    from sanjian_cli.services import committee

    calls: list[object] = []
    real = committee.language

    def counting(db):  # noqa: ANN001, ANN202
        calls.append(db)
        return real(db)

    monkeypatch.setattr(committee, "language", counting)
    return calls


def test_a_malformed_date_on_a_chinese_store_is_answered_in_chinese(
    committee, unchanged, monkeypatch, asked
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")  # the store's language wins over the locale
    line = refused(committee, unchanged, "minutes", "2026-1-5", code=2)
    assert "日期格式不对：2026-1-5" in line
    assert len(asked) == 1  # failed before reading the store: asked once


def test_an_english_store_is_answered_in_english_whatever_the_locale(
    committee, unchanged, asked
) -> None:
    committee("config", "set", "lang", "en")
    line = refused(committee, unchanged, "notice", "2026-13-01", code=2)
    assert "malformed date: 2026-13-01" in line


def test_a_failure_after_reading_the_store_asks_nothing_more(
    committee, unchanged, monkeypatch, asked
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    line = refused(committee, unchanged, "member", "show", "无名氏")
    assert "找不到成员" in line and asked == []


def test_lang_on_the_command_line_decides_without_asking(committee, unchanged, asked) -> None:
    line = refused(committee, unchanged, "--lang", "en", "meeting", "show", "2026-1-5", code=2)
    assert "malformed date" in line and asked == []
    line = refused(committee, unchanged, "notice", "x", "--lang", "en", code=2)
    assert "malformed date" in line and asked == []


def test_a_parser_error_is_answered_in_the_committees_language(
    committee, monkeypatch, asked
) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    result = committee("votee", ok=False)
    assert result.exit_code == 2 and "没有这个命令：votee" in result.stderr
    assert len(asked) == 1


def test_without_a_store_the_locale_decides(run, monkeypatch, db) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "日期格式不对" in run("notice", "2026-1-5", ok=False).stderr
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "malformed date" in run("notice", "2026-1-5", ok=False).stderr
    assert not db.exists()
