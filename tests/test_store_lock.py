"""The lock: one writer at a time even when `<store>.lock` is deleted under them, waiting
writers served in the order they came, and a timeout that always names the holder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SANJIAN, env_for

from sanjian_cli.services import doctor
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import Store, audit, lock_path

NOW = "2026-11-23T09:00+08:00"

WORKER = r"""
import sys
from sanjian_cli.cli.app import app
for line in sys.stdin:
    args = line.rstrip("\n").split("\t")
    try:
        app(args=args, prog_name="sanjian")
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    if code == 0:
        print(args[2], flush=True)
"""


def test_deleting_the_lock_file_lets_no_second_writer_in(committee, db: Path) -> None:
    stop = threading.Event()

    def delete() -> None:
        while not stop.is_set():
            try:
                lock_path(db).unlink()
            except FileNotFoundError:
                pass
            time.sleep(0.002)

    deleter = threading.Thread(target=delete)
    deleter.start()
    procs = []
    try:
        for k in range(12):
            script = db.with_name(f"writer{k}.txt")
            script.write_text(
                "".join(f"topic\tadd\t并发{k}-{i}\t--by\t刘洋\n" for i in range(8)), "utf-8"
            )
            with script.open("rb") as stdin:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-c", WORKER],
                        env=env_for(db, NOW),
                        stdin=stdin,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    )  # fmt: skip
                )
        acknowledged = []
        for proc in procs:
            out, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, err
            acknowledged += out.split()
    finally:
        stop.set()
        deleter.join()
    assert len(acknowledged) == 96  # nobody timed out
    titles = [t["title"] for t in json.loads(db.read_bytes())["topics"].values()]
    assert sorted(t for t in titles if t.startswith("并发")) == sorted(acknowledged)
    assert doctor.examine(Store(db, POLICY)) == []
    numbers = [e["n"] for e in audit.entries(db)]
    assert numbers == list(range(1, len(numbers) + 1))


def _blocked(folder: Path) -> int:
    """How many processes wait for an flock on `folder` (from /proc/locks)."""
    st = os.stat(folder)
    ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    text = Path("/proc/locks").read_text()
    return sum(1 for line in text.splitlines() if "->" in line and ident in line)


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks (Linux)")
def test_waiting_writers_are_served_in_the_order_they_came(committee, db: Path) -> None:
    import fcntl

    fd = os.open(db.parent, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # hold the store while the writers line up
    procs = []
    try:
        for k in range(6):
            procs.append(
                subprocess.Popen(
                    [str(SANJIAN), "guest", "2026-11-25", f"来宾{k}"],
                    env=env_for(db, NOW),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )  # fmt: skip
            )
            deadline = time.monotonic() + 30
            while _blocked(db.parent) < k + 1:  # in the queue before the next one comes
                assert time.monotonic() < deadline and procs[-1].poll() is None
                time.sleep(0.01)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    data = json.loads(db.read_bytes())
    meeting = next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")
    assert [g["name"] for g in meeting["guests"]] == [f"来宾{k}" for k in range(6)]


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks (Linux)")
def test_a_reader_holding_the_store_is_named(committee, db: Path) -> None:
    with Store(db, POLICY).reading():
        result = subprocess.run(
            [str(SANJIAN), "--lang", "en", "topic", "add", "x", "--by", "刘洋"],
            env={**env_for(db, NOW), "SANJIAN_LOCK_TIMEOUT": "0.2"},
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert result.returncode == 75
    (line,) = result.stderr.splitlines()
    assert f"(pid {os.getpid()}, " in line and ", reading: " in line


def test_a_timeout_under_many_writers_always_names_the_holder(committee, db: Path) -> None:
    env = {**env_for(db, NOW), "SANJIAN_LOCK_TIMEOUT": "0.02"}
    ready = "import sys; from sanjian_cli.cli.app import app; print('ready', flush=True)\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ready + WORKER.split("\n", 3)[3]],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _k in range(16)
    ]
    for proc in procs:  # every writer started and loaded: now they all go at once
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    refusals = []
    for k, proc in enumerate(procs):
        assert proc.stdin is not None
        proc.stdin.write("".join(f"guest\t2026-11-25\t来宾{k}-{i}\n" for i in range(5)))
        proc.stdin.flush()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        refusals += [line for line in err.splitlines() if "held by another command" in line]
    # How many time out depends on the machine; each that does must name a holder (the
    # deterministic cases are in the next test).
    for line in refusals:
        assert "(pid " in line and "?" not in line.split("(", 1)[1].split(")")[0], line


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks (Linux)")
def test_a_stale_or_missing_note_does_not_hide_the_holder(committee, db: Path) -> None:
    """The note names a command that died (or is not written yet): the kernel's table of
    locks names the process that really holds the store."""
    import fcntl

    from sanjian_cli.store import lock

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    lock_path(db).write_text(json.dumps({"pid": child.pid, "user": "x", "command": ["old"]}))
    fd = os.open(db.parent, os.O_RDONLY)
    probe = os.open(db.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        who = lock.holder(db, probe)
        assert who is not None and who.startswith(f"pid {os.getpid()}, ") and "old" not in who
        lock_path(db).write_text("")
        assert lock.holder(db, probe) == who
    finally:
        os.close(fd)
    assert lock.holder(db, probe) is None  # let go: nobody to name
    os.close(probe)
