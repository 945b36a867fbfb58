"""The parser's complaints reach the secretary in the committee's language, on one line."""

from __future__ import annotations

import pytest

CASES = [
    (("vote", "2026-11-25", "1", "--yes", "x"), "'--yes' 应为整数，而不是“x”",
     "'--yes' must be a whole number, not 'x'"),
    (("vote", "2026-11-25"), "缺少参数", "missing"),
    (("vote", "2026-11-25", "1", "--yse", "3"), "没有这个选项：--yse（是否想用 --yes",
     "no such option: --yse (did you mean --yes"),
    (("vote", "2026-11-25", "1", "--yes"), "选项 --yes 后面要跟一个值",
     "option --yes needs a value"),
    (("votee",), "没有这个命令：votee（是否想用 vote", "no such command: votee (did you mean vote"),
    (("member", "list", "extra"), "多余的参数：extra", "unexpected extra arguments: extra"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "zh", "en"), CASES)
def test_usage_errors_in_both_languages(committee, unchanged, args, zh, en) -> None:  # noqa: ANN001
    run = committee
    check = unchanged()
    for lang, expected in (("zh", zh), ("en", en)):
        result = run("--lang", lang, *args, ok=False)
        assert result.exit_code == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("sanjian: ")
        assert expected in lines[0], lines[0]
        assert "Traceback" not in result.stderr
    check()


def test_an_unknown_command_is_answered_in_the_committees_language(committee, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LANG", "C.UTF-8")  # the store's language must win over the locale
    result = committee("votee", ok=False)
    assert result.exit_code == 2
    assert "没有这个命令：votee" in result.stderr
