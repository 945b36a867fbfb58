"""Errors that reach the user, and the exit codes of every command.

Each error carries its exit code and a catalog key. The library raises these; only the CLI's
single exit point (`cli/app.py`) turns them into one line on stderr and the exit code.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Every exit status sanjian uses; the README's table lists the same, and a test keeps
    them in step."""

    OK = 0  # done, or nothing to do (an agenda not yet due, no reminders)
    REFUSED = 1  # understood, but the rules or the record refuse it; nothing was changed
    USAGE = 2  # malformed input: an unknown option, a bad date, a value out of range
    INTERNAL = 70  # a bug in sanjian (EX_SOFTWARE): the record is safe; please report it
    BUSY = 75  # the store's lock could not be had in time (EX_TEMPFAIL): try again later
    INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT)


class SanjianError(Exception):
    """A failure the user can act on. `key` names a catalog message; `params` fill it."""

    exit_code: int = ExitCode.REFUSED

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class Refused(SanjianError):
    """The operation is understood but the rules or the record refuse it (exit 1)."""

    exit_code = ExitCode.REFUSED


class BadInput(SanjianError):
    """The input is malformed: a bad date, an unknown choice (exit 2, like a usage error)."""

    exit_code = ExitCode.USAGE


class NotFound(Refused):
    """An unknown member, topic, meeting or decision item."""


class StoreError(SanjianError):
    """The store cannot be read or written safely (exit 1)."""

    exit_code = ExitCode.REFUSED


class Busy(StoreError):
    """Another command holds the store's lock and did not let go in time (exit 75)."""

    exit_code = ExitCode.BUSY
