"""What a change needs to reach disk, and no more: its temporary files and who made it."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanjian_cli.store import files


def test_a_temporary_file_is_new_private_and_swept(tmp_path: Path) -> None:
    target = tmp_path / "store.json"
    made = set()
    for _ in range(20):
        fd, name = files._temporary(target)
        os.close(fd)
        made.add(name)
        assert Path(name).name.startswith(".store.json.") and name.endswith(".tmp")
        assert stat.S_IMODE(os.stat(name).st_mode) == 0o600
    assert len(made) == 20  # a name of its own each time
    files.sweep_temporary(target)  # what a writer killed before its rename leaves
    assert not any(Path(name).exists() for name in made)


def test_a_temporary_file_is_never_made_through_a_link(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "store.json"
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr(files.os, "urandom", lambda n: b"\x00" * n)
    taken = tmp_path / f".store.json.{'00' * 6}.tmp"
    taken.symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        files._temporary(target)
    assert not elsewhere.exists()


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "store.json"
    files.write_atomic(target, b"{}")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    os.chmod(target, 0o640)
    files.write_atomic(target, b'{"a":{}}')
    assert target.read_bytes() == b'{"a":{}}' and stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]


def test_who_made_a_change_is_getpass_s_answer(monkeypatch) -> None:
    import getpass

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    assert files.whoami() == getpass.getuser()
    monkeypatch.setenv("USER", "secretary")
    assert files.whoami() == getpass.getuser() == "secretary"
    monkeypatch.setenv("LOGNAME", "cron")
    assert files.whoami() == getpass.getuser() == "cron"


@pytest.mark.slow
def test_a_change_imports_neither_tempfile_nor_getpass(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANJIAN")}
    env.update(SANJIAN_DB=str(tmp_path / "s.json"), SANJIAN_NOW="2026-11-23T09:00+08:00")
    probe = (
        "import sys, runpy, os\n"
        "BEFORE = set(sys.modules)\n"
        "os._exit = lambda code: None\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n"
        "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('LOADED', sorted(m for m in ('tempfile', 'getpass', 'random') "
        "if m in sys.modules and m not in BEFORE), file=sys.stderr)\n"
    )
    changes = (
        ["init", "幸福里社区三工联席会议", "--lang", "zh"],
        ["member", "add", "张建国", "--side", "政工", "--joined", "2026-01-01"],
    )
    for args in changes:
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0 and "LOADED []" in done.stderr, (args, done.stderr)
    assert (tmp_path / "s.json").exists()


@settings(max_examples=60, deadline=None)
@given(
    size=st.integers(min_value=0, max_value=300_000),
    cuts=st.lists(st.integers(min_value=0, max_value=300_000), max_size=6),
    change=st.sampled_from(["same", "a byte", "longer", "shorter"]),
)
def test_a_file_holds_the_pieces_it_was_written_from(
    tmp_path_factory: pytest.TempPathFactory, size: int, cuts: list[int], change: str
) -> None:
    """`files.holds`, which tells whether the newest backup is the store as it is, reads
    the file in small pieces: a difference anywhere, across their edges, is seen."""
    data = random.Random(size).randbytes(size)
    bounds = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    pieces = [
        memoryview(data)[a:b] if n % 2 else data[a:b]
        for n, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]
    file = tmp_path_factory.mktemp("holds") / "f"
    written = data
    if change == "a byte" and data:
        at = len(data) // 2
        written = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    elif change == "longer":
        written = data + b"x"
    elif change == "shorter" and data:
        written = data[:-1]
    file.write_bytes(written)
    assert files.holds(file, pieces) == (written == data)
    assert files.holds(file, data) == (written == data)
    assert not files.holds(file.with_name("missing"), pieces)
