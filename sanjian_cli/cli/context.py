"""The one object every command gets: where the store is, the language, the clock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sanjian_cli.messages import lang_from_env, t

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    import typer

# The command line main() was given (after --amend is moved first): the help's language
# and the log's record of the command are read from it.
ARGV: list[str] = []


class Ctx:
    # A plain class, not a dataclass: every command builds one, and `dataclasses` (with the
    # `inspect` it imports) would be loaded for it alone before typer is.
    __slots__ = (
        "db",
        "lang_override",
        "debug",
        "committee_lang",
        "lang_known",
        "command",
        "amendment",
        "amend_by",
    )

    def __init__(
        self,
        db: Path,
        lang_override: str | None = None,
        debug: bool = False,
        committee_lang: str | None = None,
        lang_known: bool = False,  # whether the store was asked (committee_lang may stay None)
        command: list[str] | None = None,
        amendment: str | None = None,
        amend_by: str | None = None,  # who amends (`--amend --reason R --by NAME`)
    ) -> None:
        self.db = db
        self.lang_override = lang_override
        self.debug = debug
        self.committee_lang = committee_lang
        self.lang_known = lang_known
        self.command = command
        self.amendment = amendment
        self.amend_by = amend_by

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Ctx({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ctx):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # as a dataclass with eq: mutable, unhashable

    def store(self) -> Any:
        from sanjian_cli.services.storage import POLICY
        from sanjian_cli.store import Store

        return Store(self.db, POLICY, command=self.command, amendment=self.amendment)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        with self.store().reading() as record:
            self._learn_lang(record)
            yield record

    @contextlib.contextmanager
    def writing(self) -> Iterator[Any]:
        with self.store().writing() as record:
            self._learn_lang(record)
            if self.amend_by is not None:
                from sanjian_cli.services import members

                record.amendment_by = members.resolve(record, self.amend_by)["id"]
            yield record
        for day in sorted(record.amended):
            if self.amendment:
                self.say("amended_ok", date=day, reason=self.amendment)
            else:
                self.say("amended_noted", date=day)

    def _learn_lang(self, record: Any) -> None:
        self.lang_known = True
        committee = record.committee()
        if committee:
            self.committee_lang = committee.get("settings", {}).get("lang")

    def lang(self, override: str | None = None) -> str:
        """The language of what this command says: --lang, else the committee's, else the
        locale's. The one place that decides it."""
        chosen = override or self.lang_override or self.committee_lang
        if chosen is None and not self.lang_known:
            # A command that never read the record (backup, restore) still speaks the
            # committee's language: look it up in the head of the store file, once.
            from sanjian_cli.completion import committee_lang

            self.lang_known = True
            chosen = self.committee_lang = committee_lang(self.db)
        chosen = chosen or lang_from_env()
        return chosen if chosen in ("zh", "en") else "en"

    def message_lang(self, override: str | None = None, look: bool = True) -> str:
        """`lang` for the line that reports a failure. A command that failed before it read
        the store (a malformed date, say) has not learned the committee's language yet:
        ask the store for it once, unless told not to (the store itself is at fault)."""
        if not look:
            self.lang_known = True  # the store is at fault: do not read it for the language
        if look and not self.lang_known and not (override or self.lang_override):
            from sanjian_cli.services import committee

            self.lang_known = True
            self.committee_lang = committee.language(self.db)
        return self.lang(override)

    def t(self, key: str, /, **params: Any) -> str:
        return t(self.lang(), key, **params)

    def say(self, key: str, /, **params: Any) -> None:
        """A confirmation on stderr, so stdout stays clean for data and papers."""
        from sanjian_cli.render.output import info
        from sanjian_cli.render.safe import visible

        info(visible(self.t(key, **params)))


def get(ctx: typer.Context) -> Ctx:
    obj = ctx.find_root().obj
    if not isinstance(obj, Ctx):  # a sub-app invoked on its own, as in some tests
        from sanjian_cli.store import default_path

        obj = Ctx(db=default_path())
        ctx.find_root().obj = obj
    return obj


def settings_now(record: Any) -> tuple[dict[str, Any], datetime]:
    """The committee's settings and now in its time zone (refuses without a committee)."""
    from sanjian_cli.services import committee

    config = committee.config(record)
    return config, committee.now(config)
