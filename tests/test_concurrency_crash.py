"""Several writers at once, and writers killed mid-change: nothing acknowledged is lost,
the store always opens, and the audit chain stays intact."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import SANJIAN, env_for

from sanjian_cli import store
from sanjian_cli.services import doctor
from sanjian_cli.services.storage import POLICY
from sanjian_cli.store import files

NOW = "2026-11-25T19:30+08:00"  # during the meeting of 11-25: its sign-ins are taken

# One worker process runs its commands through the real CLI entry point, one after the
# other, and prints each command that exited 0: start-up is paid once per process, the
# locking between processes is the real one.
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
        print("\t".join(args), flush=True)
"""

MEMBERS = ["张建国", "李秀兰", "王志强", "陈静", "刘洋", "赵敏", "孙丽华", "周大伟", "吴晓梅"]


def _spawn(db: Path, commands: list[list[str]], n: int) -> subprocess.Popen:
    script = db.with_name(f"worker{n}.txt")
    script.write_text("".join("\t".join(c) + "\n" for c in commands), encoding="utf-8")
    with script.open("rb") as stdin:
        return subprocess.Popen(
            [sys.executable, "-c", WORKER],
            env=env_for(db, NOW),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def _check_sound(db: Path) -> dict:
    data, problem = files.parse(db.read_bytes())
    assert data is not None, problem
    assert doctor.examine(store.Store(db, POLICY)) == []
    return data


def test_eight_processes_twenty_five_changes_each(committee, db: Path) -> None:
    plans = []
    for k in range(8):
        if k % 2 == 0:
            plans.append([["topic", "add", f"议题{k}-{i}", "--by", "刘洋"] for i in range(25)])
        else:
            plans.append(
                [
                    ["guest", "2026-11-25", f"来宾{k}-{i}"]
                    if i % 2
                    else ["attend", "2026-11-25", MEMBERS[(k + i) % len(MEMBERS)]]
                    for i in range(25)
                ]
            )
    procs = [_spawn(db, plan, n) for n, plan in enumerate(plans)]
    acknowledged = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acknowledged += [line.split("\t") for line in out.splitlines()]
    assert len(acknowledged) == 200  # nobody timed out on the lock at the default 10 s
    data = _check_sound(db)
    topics = [t["title"] for t in data["topics"].values()]
    assert len(topics) == len(set(topics)) == 100
    assert len(data["topics"]) == len({int(i) for i in data["topics"]})
    meeting = next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")
    guests = [g["name"] for g in meeting["guests"]]
    names = {m["name"]: i for i, m in data["members"].items()}
    for args in acknowledged:
        if args[0] == "topic":
            assert args[2] in topics
        elif args[0] == "guest":
            assert guests.count(args[2]) == 1
        else:
            assert names[args[2]] in meeting["attendance"]
    entries = [json.loads(line) for line in store.log_path(db).read_text("utf-8").splitlines()]
    assert [e["n"] for e in entries] == list(range(1, len(entries) + 1))
    logged = [e["command"][1:] for e in entries]
    # every acknowledged change is logged once (signing in someone already signed in
    # changes nothing, so it has no entry)
    for args in acknowledged:
        if args[0] != "attend":
            assert logged.count(args) == 1


def test_real_cli_processes_at_once(committee, db: Path) -> None:
    procs = [
        subprocess.Popen(
            [str(SANJIAN), "topic", "add", f"并发{k}", "--by", "陈静"],
            env=env_for(db, NOW),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for k in range(8)
    ]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    data = _check_sound(db)
    titles = sorted(t["title"] for t in data["topics"].values())
    assert titles == sorted(f"并发{k}" for k in range(8))


def _writer(path: Path, acks: int) -> None:
    """The child of a crash trial: add members one change at a time, acknowledging each
    on the pipe only after the change returned, as a command exits 0 only then."""
    try:
        for _ in range(10_000):
            name = f"m{os.getpid()}-{time.monotonic_ns()}"
            with store.Store(path, POLICY, command=["crash-writer"]).writing() as record:
                record.add_member({"name": name, "side": "cadre", "voting": True})
            os.write(acks, (name + "\n").encode())
    finally:
        os._exit(0)


def test_writers_killed_at_random_moments(tmp_path: Path) -> None:
    path = tmp_path / "crash.json"
    rng = random.Random(3)
    acknowledged: set[str] = set()
    for _trial in range(120):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            _writer(path, write_end)
        os.close(write_end)
        time.sleep(rng.uniform(0.005, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as pipe:
            acknowledged.update(line.decode() for line in pipe.read().splitlines())
        data = _check_sound(path) if path.exists() else {}
        names = {m["name"] for m in data.get("members", {}).values()}
        assert acknowledged <= names
        assert len(names - acknowledged) <= _trial + 1  # at most the one in flight per kill
    assert len(acknowledged) > 60  # the trials did write
    with store.Store(path, POLICY).writing() as record:  # the next change sweeps dead temp files
        record.add_member({"name": "last", "side": "cadre"})
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_real_cli_killed_mid_command(committee, db: Path, run) -> None:
    rng = random.Random(5)
    for k in range(5):
        proc = subprocess.Popen(
            [str(SANJIAN), "guest", "2026-11-25", f"被打断{k}"],
            env=env_for(db, NOW),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        data = _check_sound(db)
        meeting = next(m for m in data["meetings"].values() if m["date"] == "2026-11-25")
        if code == 0:
            assert f"被打断{k}" in [g["name"] for g in meeting["guests"]]
    assert run("doctor").exit_code == 0
