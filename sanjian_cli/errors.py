"""Errors that reach the user. Each carries its exit code and a catalog key.

The library raises these; only the CLI's single exit point turns them into a line on stderr.
"""

from __future__ import annotations

from typing import Any


class SanjianError(Exception):
    """A failure the user can act on. `key` names a catalog message; `params` fill it."""

    exit_code = 1

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class Refused(SanjianError):
    """The operation is understood but the rules or the record refuse it (exit 1)."""

    exit_code = 1


class BadInput(SanjianError):
    """The input is malformed: a bad date, an unknown choice (exit 2, like a usage error)."""

    exit_code = 2


class NotFound(Refused):
    """An unknown member, topic, meeting or decision item."""


class StoreError(SanjianError):
    """The store cannot be read or written safely (exit 1)."""

    exit_code = 1
