"""The `sanjian` command: global options, the sub-commands, and the single exit point.

Every failure leaves through `SanjianGroup.main`: a SanjianError becomes one line on stderr
with its own exit code (`errors.ExitCode`: 2 for bad input, 1 for refusals, 75 for a lock
not had in time); a usage error from the parser becomes one line with exit code 2; a stdout
that cannot take the output (closed, full, an encoding too small) is a refusal; anything
unexpected becomes one line asking for a bug report, exit 70 (the traceback only with
--debug or SANJIAN_DEBUG=1). The language of the line is the command's (`Ctx.message_lang`).
"""

import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from sanjian_cli import version_line
from sanjian_cli.cli import bilingual, context, shells
from sanjian_cli.cli.context import Ctx
from sanjian_cli.errors import BadInput, ExitCode, SanjianError, StoreError
from sanjian_cli.messages import lang_given, t


class SanjianGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(dict(self.commands))

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands.keys())

    get_help = bilingual.get_help
    loads_lazily = True  # its commands get their completers as they load

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As TyperGroup.format_commands, with the short help of LAZY (nothing is loaded)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        if isinstance(formatter, bilingual.ZhFormatter):
            rows = [
                (name, bilingual.zh_short(bilingual.zh_help(name), limit) or LAZY[name].help)
                for name in names
            ]
        else:
            rows = [(name, _short_help(name, self, limit)) for name in names]
        from gettext import gettext as _

        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Sub-command names from LAZY, so a TAB loads no command module."""
        from typer._click.shell_completion import CompletionItem

        zh = bilingual.help_lang() == "zh"
        results = [
            CompletionItem(
                name,
                help=bilingual.zh_short(bilingual.zh_help(name), 45)
                if zh
                else _short_help(name, self, 45),
            )
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        results.extend(super(TyperGroup, self).shell_complete(ctx, incomplete))
        return bilingual.in_language(self, ctx, results) if zh else results

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        if os.environ.get(complete_var or "_SANJIAN_COMPLETE"):
            from sanjian_cli import completion  # here: not for a command (it loads json)

            if completion.answer(os.environ):
                sys.exit(0)
            shells.attach_completers(self, "")
            shells.install_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        global _CURRENT
        from sanjian_cli.render import output

        kwargs["standalone_mode"] = False
        # In-process runs (tests) call main() many times: a failure before the callback
        # must not see the previous run's store or language.
        _CURRENT = None
        given = kwargs.get("args", args[0] if args else None)
        argv = list(sys.argv[1:] if given is None else given)
        context.ARGV[:] = argv
        argv = _amend_first(argv)
        kwargs["args"] = argv
        args = ()
        debug = "--debug" in argv or os.environ.get("SANJIAN_DEBUG") == "1"
        with output.watching_stdout():
            return self._run(argv, debug, *args, **kwargs)

    def _run(self, argv: list[str], debug: bool, *args: Any, **kwargs: Any) -> NoReturn:
        from sanjian_cli.render import output

        try:
            _require_utf8(argv)
            result = super().main(*args, **kwargs)
            output.flush_stdout()
        except SanjianError as exc:
            lang = _lang(argv, look=not isinstance(exc, StoreError))
            _fail(exc.exit_code, lang, _said(exc.key, **exc.params))
        except typer.Abort:
            _fail(ExitCode.INTERRUPTED, _lang(argv), _said("aborted"))
        except typer.TyperException as exc:  # the parser's usage errors
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                # `sanjian` or `sanjian member` alone asks for help: give it, as --help does.
                try:
                    print(ctx.get_help())
                    output.flush_stdout()
                except BrokenPipeError:
                    sys.stderr.close()
                except (OSError, UnicodeEncodeError) as failed:
                    refusal = output.stdout_failed(failed)
                    if refusal is None:
                        raise
                    _fail(refusal.exit_code, _lang(argv), _said(refusal.key, **refusal.params))
                except SanjianError as failed:
                    _fail(failed.exit_code, _lang(argv), _said(failed.key, **failed.params))
                sys.exit(ExitCode.OK)
            _fail(getattr(exc, "exit_code", ExitCode.USAGE), _lang(argv), partial(_usage_line, exc))
        except KeyboardInterrupt:
            _fail(ExitCode.INTERRUPTED, _lang(argv, look=False), _said("interrupted"))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(ExitCode.REFUSED)
        except OverflowError:
            # Date arithmetic past the ends of the calendar: a date given or stored that
            # the clock's range check did not see. The input is at fault, not sanjian.
            if debug:
                raise
            _fail(ExitCode.USAGE, _lang(argv), _said("dates_out_of_range", **_range()))
        except Exception as exc:  # a bug: say so in one line, keep the record safe
            refusal = output.stdout_failed(exc)
            if refusal is not None:
                _fail(refusal.exit_code, _lang(argv), _said(refusal.key, **refusal.params))
            if debug:
                raise
            error = f"{type(exc).__name__}: {exc}"
            _fail(ExitCode.INTERNAL, _lang(argv), _said("internal_error", error=error))
        if result == ExitCode.INTERRUPTED:  # typer turns a Ctrl-C in a command into Exit(130)
            _fail(ExitCode.INTERRUPTED, _lang(argv, look=False), _said("interrupted"))
        sys.exit(result if isinstance(result, int) else ExitCode.OK)


def _require_utf8(argv: list[str]) -> None:
    """Bytes that are not UTF-8 in an argument reach Python as lone surrogates, which no
    store, log or paper can hold: refuse them at once, showing the bytes."""
    for arg in argv:
        if any("\udc80" <= char <= "\udcff" for char in arg):
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise BadInput("bad_utf8_arg", arg=shown)


# The parser's English complaints, read back to say them in the reader's language. Compiled
# on a usage error only: `re` is not worth its compile time to a command that succeeds.
_NOT_INT = r"^'(.*)' is not a valid int(?:eger)?\.?$"
_NO_COMMAND = r"^No such command '([^']*)'\.?\s*(.*)$"
_EXTRA = r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$"


def _usage_text(exc: Any, lang: str) -> str:
    """The parser's complaint in the reader's language: the common cases from the catalog,
    anything else in the parser's own (English) words."""
    import re

    kind = type(exc).__name__
    message = str(getattr(exc, "message", "") or "")
    ctx = getattr(exc, "ctx", None)
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    if hint is None and param is not None:
        hint = param.get_error_hint(ctx)
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    if kind == "MissingParameter" and hint:
        return t(lang, "usage.missing", param=hint)
    if kind == "BadParameter" and hint:
        found = re.match(_NOT_INT, message, re.S)
        if found:
            return t(lang, "usage.not_int", param=hint, value=found.group(1))
        return t(lang, "usage.bad_value", param=hint, detail=message)
    if kind == "NoSuchOption":
        option = getattr(exc, "option_name", "")
        choices = ", ".join(sorted(getattr(exc, "possibilities", None) or []))
        if choices:
            return t(lang, "usage.no_option_maybe", option=option, choices=choices)
        return t(lang, "usage.no_option", option=option)
    if kind == "BadOptionUsage" and "requires an argument" in message:
        return t(lang, "usage.option_needs_value", option=getattr(exc, "option_name", ""))
    if found := re.match(_NO_COMMAND, message, re.S):
        maybe = re.findall(r"'([^']+)'", found.group(2))
        if maybe:
            return t(lang, "usage.no_command_maybe", name=found.group(1), choices=", ".join(maybe))
        return t(lang, "usage.no_command", name=found.group(1))
    if found := re.match(_EXTRA, message, re.S):
        return t(lang, "usage.extra", args=found.group(1))
    return exc.format_message() if hasattr(exc, "format_message") else str(exc)


def _usage_line(exc: Any, lang: str) -> str:
    command = _command_of(getattr(exc, "ctx", None))
    return t(lang, "usage", message=_usage_text(exc, lang), command=command)


def _said(key: str, **params: Any) -> Callable[[str], str]:
    """The line of catalog message `key`, in whichever language `_fail` settles on."""
    return lambda lang: t(lang, key, **params)


def _command_of(ctx: Any) -> str:
    """The command the user was typing, for the "see ... --help" hint: `sanjian vote`.

    Built from the parser's contexts, not from argv, so arguments are never taken for
    sub-commands, and `python -m sanjian_cli` is named the same as the installed command.
    """
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["sanjian", *reversed(names)])


def _amend_first(argv: list[str]) -> list[str]:
    """`--amend --reason TEXT` may follow the command (`sanjian vote ... --amend --reason
    x`); it is a global option, so move the pair to the front, where the app parses it.
    Only the `--reason` right after `--amend` is taken: `leave` has a `--reason` of its own."""
    if "--amend" not in argv:
        return argv
    end = argv.index("--") if "--" in argv else len(argv)
    if "--amend" not in argv[:end]:
        return argv
    rest = list(argv)
    at = rest.index("--amend")
    moved = [rest.pop(at)]
    if at < len(rest) and rest[at].startswith("--reason="):
        moved.append(rest.pop(at))
    elif at + 1 < len(rest) and rest[at] == "--reason":
        moved += [rest.pop(at), rest.pop(at)]
    # Who amends (`--amend --reason R --by NAME`): only a --by right after the pair.
    if len(moved) > 1 and at < len(rest) and rest[at].startswith("--by="):
        moved.append(rest.pop(at))
    elif len(moved) > 1 and at + 1 < len(rest) and rest[at] == "--by":
        moved += [rest.pop(at), rest.pop(at)]
    return moved + rest


def _lang(argv: list[str], look: bool = True) -> str:
    """The language of the failure's one line, as the command's context decides it."""
    current = _CURRENT
    if current is None:
        # The parser failed before the global options were read (an unknown command, say):
        # the context the callback would have made, from --db or the default store.
        from sanjian_cli.store import default_path

        db = next((Path(v) for k, v in zip(argv, argv[1:], strict=False) if k == "--db"), None)
        current = Ctx(db=db.expanduser() if db else default_path())
    return current.message_lang(lang_given(argv), look=look)


def _fail(code: int, lang: str, say: Callable[[str], str]) -> NoReturn:
    """One line on stderr and the exit code. A line stderr's encoding cannot hold (an
    ASCII-only PYTHONIOENCODING) is given in English rather than as escapes."""
    from sanjian_cli.render.safe import visible

    line = f"sanjian: {visible(say(lang))}\n"
    stream = sys.stderr
    if stream is not None:
        if lang != "en" and not _fits(line, stream):
            line = f"sanjian: {visible(say('en'))}\n"
        try:
            stream.write(line)
            stream.flush()
        except (OSError, ValueError):
            pass  # stderr is gone too: the exit code is all that is left to say it
    sys.exit(code)


def _fits(text: str, stream: Any) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _range() -> dict[str, str]:
    from sanjian_cli.domain import clock

    return {"first": clock.FIRST_DAY.isoformat(), "last": clock.LAST_DAY.isoformat()}


_CURRENT: Ctx | None = None

app = typer.Typer(
    cls=SanjianGroup,
    help="三工联席会议秘书 — a command-line secretary for the weekly joint meeting of "
    "政工 (cadres), 社工 (social workers) and 志愿者 (volunteers).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(version_line())
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None,
        "--db",
        help="The store file (default: $SANJIAN_DB, else $XDG_DATA_HOME/sanjian/sanjian.json).",
        show_default=False,
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the output for this command: zh or en."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of internal errors."),
    amend: bool = typer.Option(
        False, "--amend", help="Change a closed meeting or approved minutes, as an amendment."
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="Why (with --amend); shown in the minutes and the log."
    ),
    amend_by: str | None = typer.Option(
        None, "--by", help="Who amends (with --amend; default the meeting's recorder)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Global options."""
    global _CURRENT
    from sanjian_cli.store import default_path

    if lang is not None:
        from sanjian_cli.cli.common import check_lang

        lang = check_lang(lang)
    if amend and not (reason or "").strip():
        from sanjian_cli.errors import BadInput

        raise BadInput("amend_needs_reason")
    if reason is not None and not amend:
        from sanjian_cli.errors import BadInput

        raise BadInput("reason_needs_amend")
    if amend_by is not None and not amend:
        from sanjian_cli.errors import BadInput

        raise BadInput("by_needs_amend")
    _CURRENT = Ctx(
        db=db.expanduser() if db else default_path(),
        lang_override=lang,
        debug=debug,
        command=["sanjian", *context.ARGV],
        amendment=reason if amend else None,
        amend_by=amend_by,
    )
    ctx.obj = _CURRENT


# -- lazy sub-commands ---------------------------------------------------------------------
# A command's module (and all it imports) is loaded only when that command runs, so
# `--version`, `--help` and every TAB of shell completion pay for none of them. `--help` and
# completion read the names and short help from LAZY; tests/test_lazy.py fails when LAZY
# drifts from what the modules register.


class Lazy(NamedTuple):
    module: str  # under sanjian_cli.cli; its register(app) adds the command
    help: str  # the first paragraph of the command's help, as `sanjian --help` shows it
    group: bool  # a sub-app (`topic list`, ...) rather than a single command


LAZY: dict[str, Lazy] = {}


def command(name: str, module: str, help: str) -> None:
    """Register the single command `name`, defined by sanjian_cli.cli.<module>."""
    LAZY[name] = Lazy(module, help, group=False)


def group(name: str, module: str, help: str) -> None:
    """Register the sub-app `name` (its own sub-commands), defined by sanjian_cli.cli.<module>."""
    LAZY[name] = Lazy(module, help, group=True)


_LOADED: dict[str, Any] = {}


def load_module_commands(module: str) -> dict[str, Any]:
    """The click commands that `sanjian_cli.cli.<module>.register` adds, by name, each built
    by typer when first looked up (a group's sub-commands too), once."""
    if module not in _LOADED:
        import importlib

        holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
        importlib.import_module(f"sanjian_cli.cli.{module}").register(holder)
        _LOADED[module] = _Built(_makers(holder, holder, ""))
    return _LOADED[module]


def _makers(holder: typer.Typer, app_: typer.Typer, path: str) -> dict[str, Callable[[], Any]]:
    """How typer builds each command and sub-app that `app_` registers (what
    `typer.main.get_group` builds at once, in its order, with `holder`'s settings), given
    its language and completers as it is built. A sub-app is built without its commands,
    which become a `_Built` of their own."""
    import copy

    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    settings: dict[str, Any] = {
        "pretty_exceptions_short": holder.pretty_exceptions_short,
        "rich_markup_mode": holder.rich_markup_mode,
    }

    def made(where: str, command: Any) -> Any:
        bilingual.localise(command)
        shells.attach_completers(command, where)
        return command

    def single(info: Any, where: str) -> Any:
        return made(where, get_command_from_info(info, **settings))

    def sub_app(info: Any) -> Any:
        bare, inner = copy.copy(info), copy.copy(info.typer_instance)
        inner.registered_commands, inner.registered_groups = [], []
        bare.typer_instance = inner
        built: Any = get_group_from_info(bare, suggest_commands=holder.suggest_commands, **settings)
        where = f"{path} {built.name}".strip()
        built.commands = _Built(_makers(holder, info.typer_instance, where))
        built.loads_lazily = True  # localise and attach_completers leave its commands
        return made(where, built)

    make: dict[str, Callable[[], Any]] = {}
    for command_info in app_.registered_commands:
        callback: Any = command_info.callback
        name = command_info.name or get_command_name(callback.__name__)
        make[name] = partial(single, command_info, f"{path} {name}".strip())
    for group_info in app_.registered_groups:
        group_ = sub_app(group_info)  # its name is typer's to decide; its commands wait
        make[group_.name] = partial(lambda built: built, group_)
    return make


class _OnDemand(dict):  # type: ignore[type-arg]
    """Commands by name, each made the first time it is looked up (`_made`); the names and
    their order (`order`) are known without making any, so typer's "did you mean", help and
    TAB see every name."""

    order: list[str]

    def _makes(self, name: object) -> bool:
        raise NotImplementedError

    def _made(self, name: str) -> Any:
        raise NotImplementedError

    def _fill(self, name: str) -> None:
        if not dict.__contains__(self, name) and self._makes(name):
            dict.__setitem__(self, name, self._made(name))

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or self._makes(name)

    def __getitem__(self, name: str) -> Any:
        self._fill(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self._fill(name)
        return dict.get(self, name, default)

    def keys(self) -> list[str]:  # type: ignore[override]
        return list(self.order)

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(name, self[name]) for name in self.order]

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[name] for name in self.order]


class _Built(_OnDemand):
    """A module's (or a sub-app's) commands, each built by typer the first time it is looked
    up: typer builds a command from its function's signature (0.1-0.4 ms each), and `member
    list` needs one of eight."""

    def __init__(self, make: dict[str, Callable[[], Any]]) -> None:
        super().__init__()
        self.make = make
        self.order = list(make)

    def _makes(self, name: object) -> bool:
        return name in self.make

    def _made(self, name: str) -> Any:
        return self.make[name]()

    def __setitem__(self, name: str, command: Any) -> None:  # a group's add_command
        if name not in self:
            self.order.append(name)
        self.make.pop(name, None)
        dict.__setitem__(self, name, command)


class _Commands(_OnDemand):
    """The group's commands: those registered eagerly, then LAZY ones loaded on first use."""

    def __init__(self, eager: dict[str, Any]) -> None:
        super().__init__(eager)
        self.order = [n for n, c in eager.items() if not isinstance(c, TyperGroup)]
        self.order += [n for n, i in LAZY.items() if not i.group and n not in eager]
        self.order += [n for n, c in eager.items() if isinstance(c, TyperGroup)]
        self.order += [n for n, i in LAZY.items() if i.group and n not in eager]

    def _makes(self, name: object) -> bool:
        return name in LAZY

    def _made(self, name: str) -> Any:
        return load_module_commands(LAZY[name].module)[name]


def _short_help(name: str, group_: TyperGroup, limit: int) -> str:
    """What click's get_short_help_str(limit) gives, without loading a lazy command."""
    if name in LAZY and not dict.__contains__(group_.commands, name):
        from typer._click.utils import make_default_short_help

        return make_default_short_help(LAZY[name].help, limit).strip()
    return group_.commands[name].get_short_help_str(limit)


shells.use_zsh_script()


def _register() -> None:
    command("init", "committee", "Create the committee (refuses to overwrite an existing one).")
    group("config", "committee", "Show or change the committee's settings.")
    group("member", "member", "The roster: members of the three sides.")
    group("topic", "topic", "Topics: propose, approve, reject, list.")
    group("meeting", "meeting", "Meetings: plan, list, show, close, reopen.")
    group("agenda", "agenda", "The agenda (议程) of a meeting.")
    command(
        "leave",
        "attendance",
        "File a leave notice (请假) at now; in time it excuses, late it is kept but counts absent.",
    )
    command("attend", "attendance", "Sign members in (签到).")
    command("guest", "attendance", "Record a non-voting attendee (列席) who is not on the roster.")
    command("vote", "vote", "Record a vote; the result follows the committee's counting rule.")
    command("note", "vote", "Record a point of the discussion of a topic.")
    command(
        "dissent",
        "vote",
        "Record a named minority opinion (kept as said; written if the member was absent).",
    )
    command(
        "decide",
        "vote",
        "Record a decision item (议定事项); a missing owner or due date stays 待定.",
    )
    group("action", "action", "Decision items and their follow-up.")
    group(
        "minutes",
        "minutes",
        "The minutes of a meeting: minutes DATE prints them; minutes approve DATE locks them.",
    )
    command(
        "demo",
        "demo",
        "Create a demo committee, run one full week on it, print the agenda and the minutes.",
    )
    # One line per command, as above: command(name, module, help) for a single command,
    # group(name, module, help) for a sub-app; the module's register(app) defines it. An
    # eager `module.register(app)` still works too, at the cost of importing it every run.

    # Keeping the record safe
    command(
        "backup", "safety", "Copy the store, as it is now, to FILE or into the rotating backup set."
    )
    command(
        "restore",
        "safety",
        "Replace the store by FILE, after checking FILE; what it replaces is backed up first.",
    )
    command(
        "doctor",
        "safety",
        "Check the whole record: references, counts, schema, audit chain. Exit 0 when sound.",
    )
    command("log", "safety", "The audit log: who changed what, when, with which command.")
    command(
        "undo", "undo", "Revert the last change (one command's) as a whole; again, the one before."
    )
    # What cron runs: the notice, the calendar, reminders
    command(
        "notice",
        "notice",
        "Print the notice of a meeting: when, where, chair, agenda, leave and topic deadlines.",
    )
    command(
        "calendar",
        "calendar",
        "Write the weekly meeting, skipped weeks, moves and planned meetings as RFC 5545.",
    )
    command(
        "remind",
        "remind",
        "List open decision items due within DAYS days or overdue, grouped by owner.",
    )
    # Reports and the papers handed out
    group("report", "report", "Reports: attendance, decisions carried out, topics, summary.")
    command(
        "publish",
        "publish",
        "The public notice (结果公示) of a meeting: no phones, dissent names or internal notes.",
    )
    command(
        "signin-sheet",
        "signin",
        "A printable sign-in sheet: expected members by side, non-voting members, blank rows.",
    )


_register()


def run() -> None:
    app()
