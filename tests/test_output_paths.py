"""Every `--output`: one way to write it, one refusal when it cannot be written.

For each command that takes `--output`: the file is written whole; a missing folder, a
directory, a read-only folder or a failure half-way is refused with exit 1 and one line
naming the path and the reason, the store and its log left byte for byte as they were and
no temporary file left behind; a symlink stays a link and its target gets the content;
`/dev/null` and a FIFO are written into, never replaced; a link planted where the
temporary file goes is never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _week import Go, committee_like_conftest
from _whole import whole_bytes

from sanjian_cli.cli import app as cli
from sanjian_cli.store import paths

HELD = "2026-11-18"
NEXT = "2026-11-25"

# Each command that takes --output, with the arguments that make it print something.
COMMANDS = {
    "agenda build": ("agenda", "build", NEXT),
    "minutes show": ("minutes", HELD),
    "notice": ("notice", NEXT),
    "calendar": ("calendar",),
    "report attendance": ("report", "attendance", "--format", "csv"),
    "report actions": ("report", "actions", "--format", "json"),
    "report topics": ("report", "topics", "--format", "csv"),
    "report summary": ("report", "summary", "--year", "2026"),
    "publish": ("publish", HELD),
    "signin-sheet": ("signin-sheet", NEXT),
    "remind": ("remind", "--days", "30"),
    "backup": ("backup",),
    "member export": ("member", "export"),
}
CASES = [pytest.param(args, id=name) for name, args in COMMANDS.items()]


def test_the_list_holds_every_command_that_takes_output() -> None:
    taking = set()
    for name, lazy in cli.LAZY.items():
        command = cli.load_module_commands(lazy.module)[name]
        subs = command.commands.items() if lazy.group else [(None, command)]
        for sub, leaf in subs:
            if any(p.name == "output" for p in leaf.params):
                taking.add(f"{name} {sub}" if sub else name)
    assert taking == set(COMMANDS)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committee whose meeting of 11-18 was held (a topic passed, a decision due 11-30)
    and whose meeting of 11-25 is planned with a topic waiting for its agenda."""
    folder = tmp_path_factory.mktemp("outputs")
    go = Go(folder / "store.json", now="2026-11-16T09:00+08:00")
    committee_like_conftest(go)
    go("meeting", "plan", HELD)
    for title, at in (("助餐点扩容", "2026-11-13T10:00"), ("楼道堆物清理", "2026-11-20T10:00")):
        go("topic", "add", title, "--by", "刘洋", now=at)
        number = "1" if title == "助餐点扩容" else "2"
        for lead in ("张建国", "陈静", "孙丽华"):
            go("topic", "approve", number, "--by", lead, now=at)
        if number == "1":
            go("agenda", "build", HELD)
            go("attend", HELD, "张建国", "李秀兰", "陈静", "刘洋", "孙丽华", "周大伟",
               now="2026-11-18T19:00")  # fmt: skip
            go("vote", HELD, "1", "--yes", "6", now="2026-11-18T19:30")
            go("decide", HELD, "1", "联系餐饮公司", "--owner", "陈静", "--due", "2026-11-30",
               now="2026-11-18T19:40")  # fmt: skip
            go("meeting", "close", HELD, "--end", "20:30", now="2026-11-18T20:30")
    return folder


def _copy(template: Path, folder: Path) -> None:
    for entry in template.iterdir():
        if entry.is_dir():
            shutil.copytree(entry, folder / entry.name, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, folder / entry.name)


@pytest.fixture
def store(template: Path, db: Path) -> Path:
    _copy(template, db.parent)
    return db


def _record(db: Path) -> dict[str, bytes]:
    """The store and everything beside it that a command may write (log, backups, the
    archive folder, where its bulk file is)."""
    found = {}
    mine = (db.name, paths.archive_dir(db).name)
    for path in sorted(db.parent.rglob("*")):
        named = path.relative_to(db.parent).parts[0].startswith(mine)
        if path.is_file() and named and not path.name.endswith(".lock"):
            found[str(path.relative_to(db.parent))] = path.read_bytes()
    return found


def _expected(run, db: Path, args: tuple[str, ...]) -> bytes:
    """What the command writes: its stdout, or for `backup` the record itself."""
    if args == ("backup",):
        return whole_bytes(db)  # one file: the bulk file's tables in it
    return run(*args).stdout_bytes


def _refused(run, db: Path, args: tuple[str, ...], target: Path | str, reason: str) -> None:
    before = _record(db)
    result = run(*args, "--output", str(target), ok=False)
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("sanjian: "), result.stderr
    assert str(target) in lines[0] and reason in lines[0], lines[0]
    assert "Traceback" not in result.stderr and ".tmp" not in lines[0]
    assert result.stdout == ""
    assert _record(db) == before, "the store or its log changed"


def _no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args", CASES)
def test_written_whole_to_a_new_file(store, run, tmp_path, args) -> None:
    expected = _expected(run, store, args)
    target = tmp_path / "papers" / "out"
    target.parent.mkdir()
    run(*args, "--output", str(target))
    assert target.read_bytes() == expected and expected
    assert stat.S_ISREG(target.lstat().st_mode)
    _no_temporaries(target.parent)


@pytest.mark.parametrize("args", CASES)
def test_a_missing_folder_is_refused(store, run, tmp_path, args) -> None:
    target = tmp_path / "missing" / "dir" / "out"
    _refused(run, store, args, target, "No such file or directory")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("args", CASES)
def test_a_directory_is_refused(store, run, tmp_path, args) -> None:
    target = tmp_path / "a folder"
    target.mkdir()
    (target / "kept").write_text("x")
    _refused(run, store, args, target, "Is a directory")
    assert [p.name for p in target.iterdir()] == ["kept"]
    _no_temporaries(tmp_path)


@contextlib.contextmanager
def _unprivileged(folder: Path) -> Iterator[None]:
    """Root writes anywhere: to see a read-only folder refused, run as nobody (the store's
    folder given to nobody for the while). As anyone else, run as is."""
    if os.geteuid() != 0:
        yield
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, 65534, 65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.mark.parametrize("args", CASES)
def test_a_read_only_folder_is_refused(template, run, monkeypatch, args) -> None:
    # Its own folder under the system's temporary folder, which nobody may enter.
    home = Path(tempfile.mkdtemp(prefix="sanjian-ro-"))
    try:
        os.chmod(home, 0o755)
        db = home / "store.json"
        _copy(template, home)
        monkeypatch.setenv("SANJIAN_DB", str(db))
        locked = home / "read-only"
        locked.mkdir()
        (locked / "out").write_bytes(b"old")
        locked.chmod(0o555)
        with _unprivileged(home):
            _refused(run, db, args, locked / "out", "Permission denied")
            assert (locked / "out").read_bytes() == b"old"
    finally:
        with contextlib.suppress(OSError):
            (home / "read-only").chmod(0o755)
        shutil.rmtree(home, ignore_errors=True)


@pytest.mark.parametrize("args", CASES)
def test_a_failure_half_way_leaves_the_old_file_and_no_temporary(
    store, run, tmp_path, monkeypatch, args
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"the old paper")
    real = os.replace

    def disk_full(src, dst, *rest, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if Path(dst) == target:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst, *rest, **kw)

    monkeypatch.setattr(os, "replace", disk_full)
    _refused(run, store, args, target, "No space left on device")
    assert target.read_bytes() == b"the old paper"
    _no_temporaries(tmp_path)


@pytest.mark.parametrize("args", CASES)
def test_a_symlink_stays_a_link_and_its_target_gets_the_content(store, run, tmp_path, args) -> None:
    expected = _expected(run, store, args)
    real = tmp_path / "real" / "paper.txt"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    run(*args, "--output", str(link))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == expected
    assert stat.S_IMODE(real.stat().st_mode) == (0o600 if args == ("backup",) else 0o640)
    _no_temporaries(tmp_path)
    _no_temporaries(real.parent)


@pytest.mark.parametrize("args", CASES)
def test_a_link_planted_at_the_temporary_name_is_never_followed(
    store, run, tmp_path, monkeypatch, args
) -> None:
    import secrets

    expected = _expected(run, store, args)
    victim = tmp_path / "victim"
    victim.write_bytes(b"not yours")
    target = tmp_path / "out.ics"
    # The names a writer could guess: the fixed one, and the next random one (rigged here).
    planted = [tmp_path / ".out.ics.tmp", tmp_path / ".out.ics.guessed.tmp"]
    for path in planted:
        path.symlink_to(victim)
    names = iter(["guessed"])
    real = secrets.token_hex
    monkeypatch.setattr(secrets, "token_hex", lambda n=None: next(names, None) or real(n))
    run(*args, "--output", str(target))
    assert victim.read_bytes() == b"not yours"
    assert all(p.is_symlink() and os.readlink(p) == str(victim) for p in planted)
    assert target.read_bytes() == expected and not target.is_symlink()


@pytest.mark.parametrize("args", CASES)
def test_dev_null_is_written_into_never_replaced(store, run, args) -> None:
    before = os.stat("/dev/null")
    result = run(*args, "--output", "/dev/null")
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert result.stdout == ""


@pytest.mark.parametrize("args", CASES)
def test_a_fifo_is_written_into(store, run, tmp_path, args) -> None:
    expected = _expected(run, store, args)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run(*args, "--output", str(fifo))
    reader.join(timeout=10)
    assert got == [expected]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    _no_temporaries(tmp_path)


def test_an_existing_file_keeps_its_mode_and_a_new_one_follows_the_umask(store, run, tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o604)
    run("notice", NEXT, "--output", str(kept))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604
    old = os.umask(0o027)
    try:
        run("notice", NEXT, "--output", str(tmp_path / "new.txt"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_agenda_build_leaves_an_identical_file_untouched_and_fills_in_the_date(
    store, run, tmp_path
) -> None:
    pattern = tmp_path / "议程-{date}.txt"
    first = run("agenda", "build", "--next", "--output", str(pattern))
    target = tmp_path / f"议程-{NEXT}.txt"
    assert target.exists() and "已生成" in first.stderr
    os.utime(target, (1_000_000_000, 1_000_000_000))
    again = run("agenda", "build", "--next", "--output", str(pattern))
    assert "已是最新" in again.stderr
    assert target.stat().st_mtime == 1_000_000_000
