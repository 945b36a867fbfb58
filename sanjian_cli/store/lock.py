"""One command at a time: the store's lock, and who holds it.

The lock is an flock on the store's folder, shared for reading and exclusive for changing.
The folder is the one thing beside the store that is never replaced or removed while the
store is in it; a lock on a file beside the store (as sanjian once used) is defeated by
deleting that file: the next command locks a new file while an old one still holds the
removed one, and both write. Several stores in one folder share the lock, which costs
nothing but an occasional wait.

Waiting is a blocking flock bounded by a timer, so the kernel hands the lock to waiting
commands as it is let go, rather than to whichever poll happens to come first. A command
holding the lock exclusively names itself in `<store>.lock` (pid, user, since, command);
that note is only read to say who holds the store when a wait times out, and is checked
against the kernel's table of locks (`/proc/locks`), which also names a reader.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from sanjian_cli.errors import BadInput, Busy
from sanjian_cli.store import files, paths


class _Late(Exception):
    """The timer went off while we waited for the lock."""


def env_timeout() -> float | None:
    """`$SANJIAN_LOCK_TIMEOUT` in seconds, None when unset; bad input when not a number."""
    text = os.environ.get("SANJIAN_LOCK_TIMEOUT", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise BadInput("bad_lock_timeout", value=text) from None
    if value < 0 or value != value:
        raise BadInput("bad_lock_timeout", value=text)
    return value


class Held:
    """A lock this process holds on the store at `path`."""

    def __init__(self, path: Path, fd: int, exclusive: bool) -> None:
        self.path = path
        self.fd = fd
        self.exclusive = exclusive
        self.noted = False


def _raise_late(signum: int, frame: Any) -> None:
    raise _Late


def _wait(fd: int, exclusive: bool, timeout: float) -> bool:
    """Take the flock on `fd` within `timeout` seconds; False when that did not happen."""
    import fcntl

    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        if timeout <= 0:
            return False
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _poll(fd, mode, timeout)  # timers interrupt the main thread only
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return _poll(fd, mode, timeout)  # someone else's timer runs: leave it alone
    got = False
    old = signal.signal(signal.SIGALRM, _raise_late)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            fcntl.flock(fd, mode)
            got = True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Late:
        pass  # if it fired just after the flock returned, closing the fd lets go again
    finally:
        signal.signal(signal.SIGALRM, old)
    return got


def _poll(fd: int, mode: int, timeout: float) -> bool:
    import fcntl

    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.02)


def acquire(
    path: Path, exclusive: bool, timeout: float, me: dict[str, Any] | None, owner: files.Owner
) -> Held:
    """Lock the store at `path` (its folder must exist), waiting up to `timeout` seconds;
    `Busy` naming the holder when it could not be had."""
    folder = path.parent
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        got = _wait(fd, exclusive, timeout)
        for _attempt in range(20):
            if got:
                break
            who = holder(path, fd)
            if who is not None:
                raise Busy("lock_timeout_by", path=str(path), seconds=f"{timeout:g}", holder=who)
            got = _wait(fd, exclusive, 0)  # let go while we looked: ours after all
        if not got:
            raise Busy("lock_timeout_by", path=str(path), seconds=f"{timeout:g}",
                       holder="another command")  # fmt: skip
    except BaseException:
        os.close(fd)
        raise
    held = Held(path, fd, exclusive)
    if exclusive and me is not None:
        _note(held, me, owner)
    return held


def release(held: Held) -> None:
    import fcntl

    if held.noted:
        with contextlib.suppress(OSError):
            os.truncate(paths.lock_path(held.path), 0)
    with contextlib.suppress(OSError):
        fcntl.flock(held.fd, fcntl.LOCK_UN)
    os.close(held.fd)


def _note(held: Held, me: dict[str, Any], owner: files.Owner) -> None:
    """Name ourselves for whoever times out waiting; not fsynced: it matters while we live."""
    note = paths.lock_path(held.path)
    with contextlib.suppress(OSError):
        fd = os.open(note, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            files.give(fd, owner)
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"), 0)
            held.noted = True
        finally:
            os.close(fd)


# -- who holds it ------------------------------------------------------------------------
def _kernel_holders(fd: int) -> list[tuple[int, str]] | None:
    """(pid, READ or WRITE) of every flock granted on the file of `fd`, from /proc/locks;
    None where the kernel does not show them."""
    st = os.fstat(fd)
    ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        text = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    found = []
    for line in text.splitlines():
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4242 fd:01:123 0 EOF"; waiters have "->" after the number
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[5] == ident:
            with contextlib.suppress(ValueError):
                found.append((int(parts[4]), parts[3]))
    return found


def _process(pid: int) -> tuple[str, str] | None:
    """The user and command line of a live process, from /proc."""
    try:
        base = Path("/proc") / str(pid)
        command = (base / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        uid = next(
            int(line.split()[1])
            for line in (base / "status").read_text().splitlines()
            if line.startswith("Uid:")
        )
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    try:
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except (KeyError, ImportError):
        user = f"uid {uid}"
    return user, command.strip()


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


def holder(path: Path, fd: int) -> str | None:
    """Who holds the store now: the note of an exclusive holder when the kernel agrees it
    holds the lock, else what the kernel says about the holders (a reader writes no note);
    None when nobody does (it was let go just now)."""
    try:
        text = paths.lock_path(path).read_text(encoding="utf-8", errors="replace").strip()
        note = json.loads(text) if text else None
    except (OSError, ValueError):
        note = None
    if not isinstance(note, dict):
        note = {}
    holders = _kernel_holders(fd)
    pids = [pid for pid, _kind in holders or []]
    if note and (note.get("pid") in pids if holders is not None else _alive(note.get("pid"))):
        command = " ".join(str(a) for a in note.get("command") or [])[:120]
        return f"pid {note.get('pid')}, {note.get('user')}, {note.get('since')}: {command}"
    for pid, kind in sorted(holders or [], key=lambda h: h[1] != "WRITE"):
        seen = _process(pid)
        if seen is not None:
            user, command = seen
            doing = "reading" if kind == "READ" else "changing"
            return f"pid {pid}, {user}, {doing}: {command[:120]}"
        return f"pid {pid}"
    return None if holders == [] or (holders is None and not note) else "another command"
