"""Shell completion through typer: the parameters' completers and the shells' classes.

Values are completed by sanjian_cli.completion: from the head of the store, without typer
when the table there can tell what is being completed (see __main__), and through click's
parameters otherwise (the same candidates). Typer's own `autocompletion=` would drop every
candidate that does not start with the typed text, so `zj` could never become 张建国:
parameters get click's lower-level completer instead, and the shells' classes below pass
every candidate on. zsh's script adds them with `compadd -U` (no filtering by prefix);
fish keeps a candidate whose help holds the typed text, and the help holds the pinyin.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

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


def _completer(path: str, previous: Any) -> Any:
    """click's `shell_complete` of a parameter of the command at `path`: when
    sanjian_cli.completion knows what the parameter takes, its candidates, every one kept;
    else what click offers without it (`previous`, the parameter's own completer, or its
    type's). The kind is looked up at the TAB, so a command that only runs loads neither
    the completion module nor its table."""

    def complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
        from sanjian_cli import completion

        kind = completion.kind_of(path, param.name or "")
        if kind is None:
            if previous is not None:
                return previous(ctx, param, incomplete)  # type: ignore[no-any-return]
            return param.type.shell_complete(ctx, param, incomplete)  # type: ignore[no-any-return]
        from typer._click.shell_completion import CompletionItem

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

    complete.path = path  # type: ignore[attr-defined]  # marks it as sanjian's
    return complete


def attach_completers(command: Any, path: str) -> None:
    for param in command.params:
        previous = param._custom_shell_complete
        if getattr(previous, "path", None) != path:  # not twice on one parameter
            param._custom_shell_complete = _completer(path, previous)
    if getattr(command, "loads_lazily", False):
        return  # its lazy commands get theirs when loaded (cli/app.load_module_commands)
    for name, sub in (getattr(command, "commands", None) or {}).items():
        attach_completers(sub, f"{path} {name}".strip())


def install_shells() -> None:
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


def use_zsh_script() -> None:
    from typer import _completion_shared

    _completion_shared._completion_scripts["zsh"] = ZSH_SCRIPT
