"""What a command reads of a store: counters the tests that check it install."""

from __future__ import annotations

import pytest

from sanjian_cli.store import archive, files


def archive_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The years whose archive is read whole from now on, in the order they are read."""
    opened: list[int] = []
    real = archive.Shelf.get

    def get(self: archive.Shelf, year: int) -> dict:
        if year not in self.loaded:
            opened.append(year)
        return real(self, year)

    monkeypatch.setattr(archive.Shelf, "get", get)
    return opened


def bulk_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry for each parse of a hot file's bulk tables from now on."""
    found: list[int] = []
    real = files.Index.parse_rest

    def parse_rest(self: files.Index) -> str | None:
        if self.rest is not None and self.bulk is None:
            found.append(1)
        return real(self)

    monkeypatch.setattr(files.Index, "parse_rest", parse_rest)
    return found


def rest_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry for each time a reading record parses some of the tables it left for
    later (`files.Tables`: this year's topics, meetings and decision items) from now on."""
    found: list[int] = []
    real = files.Tables.complete

    def complete(self: files.Tables, until: object = None) -> None:
        if self.pending:
            found.append(1)
        real(self, until)

    monkeypatch.setattr(files.Tables, "complete", complete)
    return found
