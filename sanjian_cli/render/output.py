"""Where output goes: stdout, or a file the user named; UTF-8, never with colour codes.

`write` is the one way an `--output` file is written and `refusal` the one mapping of a
failure to write it (exit 1, one line naming the path and the reason). Cron may run
sanjian as root, so `write` never follows a planted link to a file it did not mean to
write and never turns the path the user named into something else:

- the temporary file has a fresh random name, is created exclusively (`O_EXCL`, no link
  followed) beside the file it replaces, and is removed on any failure;
- a symlink stays a link: its target gets the content;
- a character device or a FIFO (`/dev/null`, `/dev/stdout`, a pipe) is written into,
  never replaced; a directory, a block device or a socket is refused.

What goes to stdout is checked the same way: a closed or full stdout, or one whose
encoding cannot hold the text, is a refusal too, never a paper printed in part.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sanjian_cli.errors import Refused

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def dumps(data: Any) -> str:
    import json  # here: every command loads this module; --version, --help and a TAB need no json

    # json.dumps with an indent joins the pure-Python encoder's pieces (one a token: 250,000
    # for the topics of ten years, 13 MB) at the end; joined a few thousand at a time they
    # make the same text, and only the text's size is held at the peak.
    pieces = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data)
    parts: list[str] = []
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) == 4096:
            parts.append("".join(batch))
            batch.clear()
    parts.append("".join(batch))
    parts.append("\n")
    return "".join(parts)


def refusal(path: Path | str, reason: OSError | str) -> Refused:
    """The one answer to an output that cannot be written: the path as the user named it,
    and why (the system's words)."""
    if isinstance(reason, OSError):
        reason = reason.strerror or str(reason)
    return Refused("cannot_write_output", path=str(path), reason=reason)


def write(
    path: Path,
    data: str | bytes | Iterable[bytes],
    *,
    keep_same: bool = False,
    mode: int | None = None,
    same: Callable[[bytes, bytes], bool] | None = None,
) -> bool:
    """Write `data` (text as UTF-8) to the file the user named, as the module says.

    With `keep_same`, a regular file that already holds exactly `data` is left untouched
    (not even its time stamp changes); `same(old, new)` may say what "exactly" means for a
    format whose bytes carry a time stamp of their own (a .docx). A regular file gets `mode`
    if given (0o600 for a copy of the record), else keeps its own, and a new one is made as
    the umask says. `data` may come in pieces (a copy of the record, read as it is written:
    never whole in memory), without `keep_same`.
    Returns whether the file was written; refuses (`refusal`) when it cannot be.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not isinstance(payload, bytes):
        keep_same, same = False, None
    try:
        return _write(Path(path).expanduser(), payload, keep_same, mode, same)
    except OSError as exc:
        raise refusal(path, exc) from None


def _not_a_file() -> OSError:
    return OSError(errno.EINVAL, "not a regular file, a character device or a FIFO")


def _write(
    named: Path,
    payload: bytes | Iterable[bytes],
    keep_same: bool,
    mode: int | None,
    same: Callable[[bytes, bytes], bool] | None = None,
) -> bool:
    # The file the content is for: a link's target (links in the folders too). A loop of
    # links stays unresolved and fails below with the system's own reason.
    target = Path(os.path.realpath(named))
    try:
        found = os.stat(target)
    except FileNotFoundError:
        found = None
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
            _write_into(target, payload)
            return True
        if not stat.S_ISREG(found.st_mode):
            raise _not_a_file()
        if isinstance(payload, bytes) and keep_same:
            if same is not None and same(_read(target), payload):
                return False
            if found.st_size == len(payload) and _holds(target, payload):
                return False
    _replace(target, payload, found, mode)
    return True


def _read(target: Path) -> bytes:
    try:
        return target.read_bytes()
    except OSError:
        return b""


def _holds(target: Path, payload: bytes) -> bool:
    try:
        return target.read_bytes() == payload
    except OSError:
        return False


def _pieces(payload: bytes | Iterable[bytes]) -> Iterable[bytes]:
    return [payload] if isinstance(payload, bytes) else payload


def _write_into(target: Path, payload: bytes | Iterable[bytes]) -> None:
    """Into a device or a FIFO, as a shell's `>` would: nothing is created or replaced."""
    fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC)
    try:
        kind = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
            raise _not_a_file()  # swapped for something else since we looked
        for piece in _pieces(payload):
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(
    target: Path, payload: bytes | Iterable[bytes], found: os.stat_result | None, mode: int | None
) -> None:
    """A fresh temporary file beside `target`, then an atomic rename over it."""
    fd, tmp = _fresh(target)
    try:
        if found is not None:
            # The file keeps its owner (when we may give it: root) and its mode.
            with contextlib.suppress(OSError):
                os.fchown(fd, found.st_uid, found.st_gid)
            os.fchmod(fd, stat.S_IMODE(found.st_mode) if mode is None else mode)
        elif mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            for piece in _pieces(payload):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fresh(target: Path) -> tuple[int, str]:
    """Create `.NAME.<random>.tmp` beside `target`, exclusively: a file or link planted at
    a name we might choose is never opened, followed or overwritten."""
    import secrets  # here: every command loads this module, few write a file

    for _attempt in range(100):
        tmp = str(target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp"))
        try:
            return os.open(tmp, _FLAGS | _CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))


# -- stdout ---------------------------------------------------------------------------------
def emit(text: str | bytes, output: Path | None = None) -> None:
    """Write `text` to the file `output` (see `write`) or to stdout."""
    if output is not None:
        write(output, text)
        return
    stream = sys.stdout
    try:
        if isinstance(text, bytes):
            stream.flush()
            stream.buffer.write(text)
            stream.buffer.flush()
            return
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            # Checked whole before a byte is written: a paper is printed whole or not at all.
            text.encode(encoding, getattr(stream, "errors", None) or "strict")
        except UnicodeEncodeError:
            raise stdout_encoding(encoding) from None
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise  # the reader went away (`| head`): the exit point ends quietly
    except OSError as exc:
        raise stdout_refusal(exc) from None


def stdout_refusal(exc: OSError) -> Refused:
    silence_stdout()
    return Refused("cannot_write_stdout", reason=exc.strerror or str(exc))


def stdout_encoding(encoding: str) -> Refused:
    return Refused("stdout_encoding", encoding=encoding)


class _Closed(io.TextIOBase):
    """Stands for a stdout that was closed before we started: any write is refused."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    @property
    def buffer(self) -> Any:  # for bytes (the calendar): refused the same way
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


class _Watched:
    """sys.stdout while a command runs: the same stream, except that a failure to write to
    it is remembered, so that the exit point can tell stdout failing (closed, a full disk,
    an encoding too small, whoever printed: a table, a paper, help) from a bug."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.failure: BaseException | None = None

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (OSError, UnicodeEncodeError) as exc:
            self.failure = exc
            raise

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self.failure = exc
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def watching_stdout() -> Iterator[None]:
    """Run a command with stdout watched (see `_Watched`). With stdout closed (`>&-`)
    Python sets sys.stdout to None and every print would vanish silently: what stands in
    for it refuses instead."""
    before = sys.stdout
    sys.stdout = _Watched(before if before is not None else _Closed())  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = before


def stdout_failed(exc: BaseException) -> Refused | None:
    """The refusal for `exc` if it is stdout failing rather than a bug; None otherwise."""
    stream = sys.stdout
    if not isinstance(stream, _Watched) or stream.failure is not exc:
        return None
    if isinstance(exc, UnicodeEncodeError):
        return stdout_encoding(getattr(stream, "encoding", None) or exc.encoding)
    if isinstance(exc, BrokenPipeError):
        return None
    return stdout_refusal(exc)  # type: ignore[arg-type]


@contextlib.contextmanager
def captured() -> Iterator[io.StringIO]:
    """What the block prints to stdout (a table, its lines), kept instead, to be written to
    a file (`write`) as it would have shown: plain text, never colour, never folded."""
    buffer = io.StringIO()
    before = sys.stdout
    sys.stdout = buffer
    try:
        yield buffer
    finally:
        sys.stdout = before


def flush_stdout() -> None:
    """Everything printed really went out (a full disk shows only now), or a refusal."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise stdout_refusal(exc) from None


def silence_stdout() -> None:
    """After stdout failed, what is still buffered goes nowhere, so that Python's own flush
    at exit adds no second complaint to our one line."""
    stream = sys.stdout
    with contextlib.suppress(Exception):
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def info(text: str) -> None:
    """A one-line report on stderr, for people and cron logs."""
    print(text, file=sys.stderr)
