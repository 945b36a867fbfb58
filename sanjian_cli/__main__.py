"""Entry point for the `sanjian` console script and `python -m sanjian_cli`."""

from __future__ import annotations

import types  # already loaded by the import system itself

TYPE_CHECKING = False  # typing is not imported for a TAB, --version or a help page
if TYPE_CHECKING:
    from typing import Any

# Modules that are imported at the top of modules every command loads, and used there
# only on paths no ordinary command, TAB or --help takes: subprocess and shellingham (typer,
# to install or detect a shell's completion script), tokenize (inspect and linecache, to
# read source code), ipaddress (urllib.parse, under pathlib, for bracketed IPv6 hosts) and
# the compressors shutil looks for (its archives; a Word or xlsx file runs zlib), textwrap
# (traceback's, to indent a chained exception; click's help formatter), fnmatch and ntpath
# (pathlib's, for glob patterns and Windows paths) and locale (calendar's, under dateutil,
# for month names in a locale). They are bound unloaded and run on their first use: 6-8 ms
# of every command.
# importlib's LazyLoader cannot do it on Python 3.11: the import system reads `__spec__` of
# a module already in sys.modules, which loads a lazy one at the next `import subprocess`.
DEFERRED = (
    "subprocess",
    "shellingham",
    "tokenize",
    "ipaddress",
    "zlib",
    "bz2",
    "lzma",
    "textwrap",
    "fnmatch",
    "ntpath",
    "locale",
)


# Modules imported by name for functions no ordinary command calls: pickle's dumps and
# loads (rich's styles, for the meta of a link), difflib's get_close_matches (typer's "did
# you mean" for a mistyped command; click's, at a short option such as `-q`, which it
# matches as a long one first), gettext's gettext (typer's words on an error or a help
# page), shutil's get_terminal_size (typer's, for the width of a help page), colorsys's
# rgb_to_hls (rich's, to bring a colour down to 256 or 16) and urllib.parse's
# quote_from_bytes (pathlib's, for a file's URI). `from pickle import dumps` takes the
# name from the module, so a module bound unloaded would run at once: each is given a
# stand-in for those names, which runs it on the first call. 3.1 ms of every command that
# loads typer and 4.8 of one that prints a table, as `-X importtime` counts them.
CALLED: dict[str, tuple[str, ...]] = {
    "pickle": ("dumps", "loads"),
    "difflib": ("get_close_matches",),
    "gettext": ("gettext",),
    "shutil": ("get_terminal_size",),
    "colorsys": ("rgb_to_hls",),
    "urllib.parse": ("quote_from_bytes",),
}


def defer(*names: str, called: dict[str, tuple[str, ...]] | None = None) -> None:
    """Put each module in `names` in sys.modules unloaded, to be run on first attribute use;
    and each in `called` with a stand-in for each of its names there, to be run on the
    first call of one (or on the first use of any other name)."""
    import importlib.util
    import sys

    wanted: dict[str, tuple[str, ...]] = dict.fromkeys(names, ())
    wanted.update(called or {})
    for name, functions in wanted.items():
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Deferred
        for function in functions:
            setattr(module, function, _stand_in(module, function))
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        if parent:  # imported by find_spec; `import urllib.parse` finds it there
            setattr(sys.modules[parent], child, module)


def _run(module: types.ModuleType) -> None:
    """Run a module `defer` bound unloaded, in place, once."""
    if type(module) is _Deferred:
        module.__class__ = types.ModuleType  # type: ignore[assignment]
        module.__spec__.loader.exec_module(module)  # type: ignore[union-attr]


def _stand_in(module: types.ModuleType, name: str) -> Any:
    """The function `name` of `module` before it has run: its first call runs the module
    (which binds the real function in its place) and every call is passed on to that."""

    def call(*args: Any, **kwargs: Any) -> Any:
        _run(module)
        real = getattr(module, name)
        if real is call:  # the module no longer defines it
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        return real(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


class _Deferred(types.ModuleType):
    """A module not yet run: the first name looked up in it that module_from_spec did not
    set (its spec, file and loader are set) runs it, in place, and answers from it."""

    def __getattr__(self, attr: str) -> object:
        if attr == "__path__":
            # Asked by every `from M import name`: a module has none (a package has its
            # own, set unloaded), whether it has run or not, so asking runs nothing.
            raise AttributeError(attr)
        _run(self)
        return getattr(self, attr)


def main() -> None:
    import gc
    import os
    import sys

    # Deferred before anything else runs, a TAB included: the modules a command only names
    # (pathlib's urllib its ipaddress, typer's subprocess ...) are not run for nothing.
    defer(*DEFERRED)
    if answered(os.environ, sys.argv):
        leave(SystemExit(0))
        return

    # One command per process, and the store is a tree of plain dicts and lists with no
    # cycles: the cyclic collector would only rescan the freshly parsed store again and
    # again while it is read (about a tenth of a 10-year read). Memory is freed at exit.
    gc.disable()
    defer(called=CALLED)  # for typer and rich, which a TAB, --version and --help never load
    from sanjian_cli.cli.app import run

    try:
        run()
    except SystemExit as done:
        leave(done)
        raise


def answered(env: Any, argv: list[str]) -> bool:
    """Answer, without typer, what needs no command to run: a TAB on a command word or a
    value (from the completion table and the head of the store), `--version`, and a help
    page (as typer rendered it when the package was built). False: the full parser answers."""
    if env.get("_SANJIAN_COMPLETE"):
        from sanjian_cli import completion

        return completion.answer(env)
    if argv[1:] == ["--version"]:
        from sanjian_cli import version_line

        print(version_line())
        return True
    if argv[-1] in ("--help", "-h"):
        from sanjian_cli import quick_help

        return quick_help.answer(argv[1:], argv[0])
    return False


def leave(done: SystemExit) -> None:
    """End the process at once with `done`'s exit code, without tearing the interpreter
    down: freeing 150 modules and the parsed record object by object takes 9-15 ms (more
    after a report over ten years), and nothing needs it. Files are written and closed by
    then and the lock goes with its descriptor; exit handlers (openpyxl's, for its temporary
    files) still run, and output still buffered is flushed. Returns (and the exit takes the
    usual way) for an exit code that is not a number or output that cannot be flushed."""
    import atexit
    import os
    import sys

    code = 0 if done.code is None else done.code
    if not isinstance(code, int):
        return
    try:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None and not stream.closed:
                stream.flush()
    except Exception:  # a broken pipe, a full disk: let Python's own exit report it
        return
    os._exit(code)


if __name__ == "__main__":
    main()
