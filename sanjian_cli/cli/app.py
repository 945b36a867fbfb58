"""The `sanjian` command: global options, the sub-commands, and the single exit point.

Every failure leaves through `SanjianGroup.main`: a SanjianError becomes one line on stderr
with its own exit code (`errors.ExitCode`: 2 for bad input, 1 for refusals, 75 for a lock
not had in time); a usage error from the parser becomes one line with exit code 2; a stdout
that cannot take the output (closed, full, an encoding too small) is a refusal; anything
unexpected becomes one line asking for a bug report, exit 70 (the traceback only with
--debug or SANJIAN_DEBUG=1). The language of the line is the command's (`Ctx.message_lang`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import typer
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from sanjian_cli import version_line
from sanjian_cli.cli.context import Ctx
from sanjian_cli.errors import BadInput, ExitCode, SanjianError, StoreError
from sanjian_cli.messages import lang_given, t


def _get_help(self: Any, ctx: Any) -> str:
    """`--help` in the reader's language: the English help of the code, or the Chinese of
    sanjian_cli/help_zh.py, laid out by display width (a Chinese character takes two columns).
    Installed on every command (see _localise); the class it is installed on derives
    directly from typer's."""
    english = type(self).__bases__[0].get_help  # type: ignore[attr-defined]
    if help_lang() != "zh":
        return english(self, ctx)  # type: ignore[no-any-return]
    formatter = _ZhFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
    with _in_chinese(self, ctx):
        self.format_help(ctx, formatter)
    return formatter.getvalue().rstrip("\n")


class SanjianGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(dict(self.commands))

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands.keys())

    get_help = _get_help

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """As TyperGroup.format_commands, with the short help of LAZY (nothing is loaded)."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        if isinstance(formatter, _ZhFormatter):
            rows = [(name, _zh_short(zh_help(name), limit) or LAZY[name].help) for name in names]
        else:
            rows = [(name, _short_help(name, self, limit)) for name in names]
        from gettext import gettext as _

        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Sub-command names from LAZY, so a TAB loads no command module."""
        from typer._click.shell_completion import CompletionItem

        zh = help_lang() == "zh"
        results = [
            CompletionItem(
                name, help=_zh_short(zh_help(name), 45) if zh else _short_help(name, self, 45)
            )
            for name in self.list_commands(ctx)
            if name.startswith(incomplete)
        ]
        results.extend(super(TyperGroup, self).shell_complete(ctx, incomplete))
        return _in_language(self, ctx, results) if zh else results

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        if os.environ.get(complete_var or "_SANJIAN_COMPLETE"):
            from sanjian_cli import completion  # here: not for a command (it loads json)

            if completion.answer(os.environ):
                sys.exit(0)
            _attach_completers(self, "")
            _install_shells()
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
        global _ARGV
        _ARGV = list(argv)
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
_ARGV: list[str] = []

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
        command=["sanjian", *_ARGV],
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
    """The click commands that `sanjian_cli.cli.<module>.register` adds, built once."""
    if module not in _LOADED:
        import importlib

        holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
        importlib.import_module(f"sanjian_cli.cli.{module}").register(holder)
        _LOADED[module] = dict(typer.main.get_group(holder).commands)
        for name, command in _LOADED[module].items():
            _localise(command)
            _attach_completers(command, name)
    return _LOADED[module]


class _Commands(dict):  # type: ignore[type-arg]
    """The group's commands: those registered eagerly, then LAZY ones loaded on first use.

    Keys are known without loading anything, so typer's "did you mean" still sees every name.
    """

    def __init__(self, eager: dict[str, Any]) -> None:
        super().__init__(eager)
        self.order = [n for n, c in eager.items() if not isinstance(c, TyperGroup)]
        self.order += [n for n, i in LAZY.items() if not i.group and n not in eager]
        self.order += [n for n, c in eager.items() if isinstance(c, TyperGroup)]
        self.order += [n for n, i in LAZY.items() if i.group and n not in eager]

    def _fill(self, name: str) -> None:
        if not dict.__contains__(self, name) and name in LAZY:
            dict.__setitem__(self, name, load_module_commands(LAZY[name].module)[name])

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, name) or name in LAZY

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


def _short_help(name: str, group_: TyperGroup, limit: int) -> str:
    """What click's get_short_help_str(limit) gives, without loading a lazy command."""
    if name in LAZY and not dict.__contains__(group_.commands, name):
        from typer._click.utils import make_default_short_help

        return make_default_short_help(LAZY[name].help, limit).strip()
    return group_.commands[name].get_short_help_str(limit)


# -- shell completion ----------------------------------------------------------------------
# Values are completed by sanjian_cli.completion: from the head of the store, without typer
# when the table there can tell what is being completed (see __main__), and through click's
# parameters otherwise (the same candidates). Typer's own `autocompletion=` would drop every
# candidate that does not start with the typed text, so `zj` could never become 张建国:
# parameters get click's lower-level completer instead, and the shells' classes below pass
# every candidate on. zsh's script adds them with `compadd -U` (no filtering by prefix);
# fish keeps a candidate whose help holds the typed text, and the help holds the pinyin.

ZSH_SCRIPT = """
#compdef %(prog_name)s

%(complete_func)s() {
  local -a lines values shown
  local line
  lines=("${(@f)$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" \\
      %(autocomplete_var)s=complete_zsh %(prog_name)s)}")
  for line in $lines; do
    [[ -z $line ]] && continue
    values+=("${line%%%%$'\\t'*}")
    if [[ $line == *$'\\t'* ]]; then
      shown+=("${line%%%%$'\\t'*}  -- ${line#*$'\\t'}")
    else
      shown+=("$line")
    fi
  done
  if (( ${#values} )); then
    compadd -U -V %(prog_name)s -l -d shown -a values
  else
    _files
  fi
}

compdef %(complete_func)s %(prog_name)s
"""


def _completer(kind: str) -> Any:
    """click's `shell_complete` of a parameter completing `kind`: every candidate kept."""

    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem

        from sanjian_cli import completion

        root = ctx.find_root()
        db = root.params.get("db")
        given = [
            str(v)
            for p in ctx.command.params
            if p.param_type_name == "argument"
            for v in ([ctx.params.get(p.name)] if p.nargs == 1 else ctx.params.get(p.name) or ())
            if v is not None
        ]
        items = completion.candidates(
            kind, incomplete, Path(db).expanduser() if db else completion.default_path(), given
        )
        return [CompletionItem(value, type=kind, help=text or None) for value, text in items]

    return complete


def _attach_completers(command: Any, path: str) -> None:
    from sanjian_cli import completion

    for param in command.params:
        kind = completion.kind_of(path, param.name or "")
        if kind is not None:
            param._custom_shell_complete = _completer(kind)
    if isinstance(command, SanjianGroup):
        return  # its lazy commands get theirs when loaded (load_module_commands)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        _attach_completers(sub, f"{path} {name}".strip())


def _install_shells() -> None:
    """The shells' classes as sanjian needs them (typer registers its own whenever it builds
    the app, so this runs right before a completion is answered)."""
    from typer import _completion_classes as classes
    from typer._click.shell_completion import add_completion_class

    from sanjian_cli import completion

    def formatted(shell: str, base: Any) -> Any:
        class Complete(base):  # type: ignore[misc, valid-type]
            def complete(self) -> str:
                args, incomplete = self.get_completion_args()
                found = self.get_completions(args, incomplete)
                kind = found[0].type if found else None
                items = [(c.value, c.help or "") for c in found]
                if shell == "fish":
                    action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
                    if action == "is-args":
                        sys.exit(0 if items else 1)
                return completion.format_items(shell, items, kind)

        return Complete

    add_completion_class(formatted("bash", classes.BashComplete), "bash")
    add_completion_class(formatted("zsh", classes.ZshComplete), "zsh")
    add_completion_class(formatted("fish", classes.FishComplete), "fish")


def _use_zsh_script() -> None:
    from typer import _completion_shared

    _completion_shared._completion_scripts["zsh"] = ZSH_SCRIPT


# -- help in the reader's language ---------------------------------------------------------
# Typer builds the help pages from the English texts of the code; for a Chinese reader the
# texts are swapped for those of sanjian_cli/help_zh.py while the page is formatted, and
# laid out by display width. Nothing is loaded for it but that catalog (and, to learn the
# committee's language, the head of the store file).


def help_lang() -> str:
    """The language of `--help`: `--lang` on the line, else the committee's, else LANG."""
    from sanjian_cli import completion

    return completion.help_lang(_ARGV)


def zh_help(path: str, param: Any = None) -> str | tuple[str, str] | None:
    """The Chinese help of the command at `path` (`member add`), or of one of its params: a
    string for a command or an option, (shown name, help) for an argument; None if missing."""
    from sanjian_cli import help_zh

    if param is None:
        return help_zh.HELP.get(path)
    if param.param_type_name == "argument":
        found = help_zh.HELP.get(f"{path} <{param.name}>")
        if isinstance(found, str):
            return (help_zh.ARGUMENTS.get(param.name or "", param.name or ""), found)
        return found
    names = [o for o in param.opts if o.startswith("--")] or list(param.opts)
    found = help_zh.HELP.get(f"{path} {names[0]}")
    if found is None:
        found = help_zh.SAME.get((names[0], param.help or ""))
    return found


def _path_of(ctx: Any) -> str:
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(names))


@contextlib.contextmanager
def _in_chinese(command: Any, ctx: Any) -> Iterator[None]:
    """The command's help texts (its own, its params', its sub-commands' short help) in
    Chinese while its page is formatted; what has no Chinese yet stays as it is."""
    path = _path_of(ctx)
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, attr: str, value: Any) -> None:
        if value is not None:
            saved.append((obj, attr, getattr(obj, attr)))
            setattr(obj, attr, value)

    try:
        own = zh_help(path)
        swap(command, "help", own)
        if own is not None:
            swap(command, "short_help", None)
        for param in command.params:
            found = zh_help(path, param)
            if isinstance(found, tuple):
                swap(param, "metavar", found[0])
                swap(param, "help", found[1])
            else:
                swap(param, "help", found)
        # sub-commands of a sub-app (`member --help` lists add, list ...)
        if path and hasattr(command, "commands"):
            names = command.list_commands(ctx)
            limit = _short_limit(ctx, names)
            for name in names:
                short = _zh_short(zh_help(f"{path} {name}"), limit)
                swap(command.commands[name], "short_help", short or None)
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


def _zh_short(text: str | Any, limit: int = 0) -> str:
    """The first sentence of a Chinese help text, cut to `limit` columns (as click cuts the
    English short help)."""
    if not isinstance(text, str):
        return ""
    text = text.split("\n\n")[0]
    if "。" in text[:-1]:
        text = text[: text.index("。") + 1]
    if limit and _cols(text) > limit:
        while text and _cols(text) > limit - 1:
            text = text[:-1]
        text = text.rstrip("，、；：（ ") + "…"
    return text


def _short_limit(ctx: Any, names: list[str]) -> int:
    import shutil

    width = ctx.terminal_width or max(
        min(shutil.get_terminal_size().columns, ctx.max_content_width or 80) - 2, 50
    )
    return width - 6 - max((len(n) for n in names), default=0)


def _shell_complete(self: Any, ctx: Any, incomplete: str) -> list[Any]:
    """The names of sub-commands and options a TAB offers, with their help in the reader's
    language."""
    results = type(self).__bases__[0].shell_complete(self, ctx, incomplete)  # type: ignore[attr-defined]
    return _in_language(self, ctx, results) if help_lang() == "zh" else results


def _in_language(command: Any, ctx: Any, items: list[Any]) -> list[Any]:
    path = _path_of(ctx)
    helps: dict[str, Any] = {}
    for param in command.get_params(ctx):
        text = zh_help(path, param) if param.name != "help" else "显示本帮助并退出。"
        for opt in (*param.opts, *param.secondary_opts):
            helps[opt] = text[1] if isinstance(text, tuple) else text
    subs = getattr(command, "commands", None) or {}
    for item in items:
        if item.value in helps and helps[item.value]:
            item.help = helps[item.value]
        elif item.value in subs and not isinstance(command, SanjianGroup):
            item.help = _zh_short(zh_help(f"{path} {item.value}".strip()), 45) or item.help
    return items


def _localise(command: Any) -> None:
    """Give a loaded command (and its sub-commands) the help in the reader's language."""
    cls = type(command)
    if cls.__dict__.get("get_help") is not _get_help:
        if cls not in _LOCAL:
            methods = {"get_help": _get_help, "shell_complete": _shell_complete}
            _LOCAL[cls] = type(cls.__name__, (cls,), methods)
        command.__class__ = _LOCAL[cls]
    for sub in getattr(command, "commands", {}).values():
        _localise(sub)


_LOCAL: dict[type, type] = {}


def _cols(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# Tokens of a line: a run of ASCII (an option, a path, a number) stays whole; a Chinese
# character may break anywhere, but closing punctuation never starts a line.
# (compiled by `re`'s cache on first use: a Chinese --help needs it, other runs do not)
_TOKEN = r"\s+|\[[^\[\]\n]{1,30}\]|[!-~]+|."  # [默认：周三] is one
_NO_START = set("，。、；：）」』！？…%》")


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """`text` filled to `width` columns, the first line after `first`, the others after
    `rest`; paragraphs (blank lines) are kept."""
    import re

    lines: list[str] = []
    for index, paragraph in enumerate(text.split("\n\n")):
        if index:
            lines.append("")
        # a line break inside a paragraph joins; between Chinese characters without a space
        paragraph = re.sub(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])", "", paragraph)
        prefix = first if not lines else rest
        used = _cols(prefix)
        current: list[str] = []
        for token in re.findall(_TOKEN, paragraph.replace("\n", " "), re.S):
            if token.isspace():
                if current:
                    current.append(" ")
                    used += 1
                continue
            size = _cols(token)
            if used + size > width and current:
                carry: list[str] = []
                # closing punctuation takes the word before it along (at most two)
                while (carry or [token])[0] in _NO_START and len(current) > 1 and len(carry) < 2:
                    carry.insert(0, current.pop())
                lines.append(prefix + "".join(current).rstrip())
                prefix, current = rest, carry
                used = _cols(rest) + sum(_cols(c) for c in carry)
            current.append(token)
            used += size
        lines.append(prefix + "".join(current).rstrip())
    return lines


class _ZhFormatter(HelpFormatter):
    """click's HelpFormatter with Chinese words and lines measured in display columns."""

    @staticmethod
    def _words(text: str) -> str:
        import re

        from sanjian_cli import help_zh

        for english, chinese in help_zh.WORDS.items():
            if english.startswith(("<", "[")) or english.isupper():
                text = re.sub(rf"(?<![\w-]){re.escape(english)}(?![\w-])", chinese, text)
        return text

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from sanjian_cli import help_zh

        head = " " * self.current_indent + help_zh.WORDS["Usage:"] + prog + " "
        indent = " " * min(_cols(head), 20)
        for line in _wrap(self._words(args), self.width, head, indent):
            self.write(line + "\n")

    def write_heading(self, heading: str) -> None:
        from sanjian_cli import help_zh

        self.write(f"{'':>{self.current_indent}}{help_zh.WORDS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(_wrap(text, self.width, indent, indent)) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        from sanjian_cli import help_zh

        rows = [
            (self._words(first), help_zh.SAME.get(("--help", second)) or _extras(second))
            for first, second in rows
        ]
        first_col = min(max((_cols(f) for f, _ in rows), default=0), col_max) + col_spacing
        lead = " " * (first_col + self.current_indent)
        for first, second in rows:
            start = " " * self.current_indent + first
            if not second:
                self.write(start + "\n")
                continue
            if _cols(first) <= first_col - col_spacing:
                start += " " * (first_col - _cols(first))
            else:
                self.write(start + "\n")
                start = lead
            for line in _wrap(second, self.width, start, lead):
                self.write(line + "\n")


def _extras(text: str) -> str:
    """typer's `[default: wed; required]` in Chinese: `[默认：周三；必填]`."""
    import re

    found = re.search(r"\s*\[([^\[\]]*)\]$", text)
    if not found:
        return text
    from sanjian_cli import help_zh
    from sanjian_cli.domain import vocab

    parts = []
    for part in found.group(1).split("; "):
        if part.startswith("default: "):
            value = part[len("default: ") :]
            for kind in ("format", "weekday", "method", "category", "layout"):
                if value in vocab.keys(kind):
                    value = vocab.word("zh", kind, value)
                    break
            parts.append(f"{help_zh.WORDS['default']}：{value}")
        elif part == "required":
            parts.append(help_zh.WORDS["required"])
        else:
            parts.append(part)
    return text[: found.start()] + "  [" + "；".join(parts) + "]"


_use_zsh_script()


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
