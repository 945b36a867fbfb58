"""The lazy command table (cli/app.py LAZY) says exactly what the command modules register.

`--help` and shell completion read names and short help from the table without importing the
modules; if a module gains, loses or renames a command or changes its help, these fail.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from sanjian_cli import cli
from sanjian_cli.cli import app as app_module


def _registered() -> dict[str, tuple[str, object]]:
    """name -> (module, click command) for every module under sanjian_cli.cli with register()."""
    found: dict[str, tuple[str, object]] = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"sanjian_cli.cli.{info.name}")
        if info.name == "app" or not hasattr(module, "register"):
            continue
        holder = typer.Typer(rich_markup_mode=None)
        module.register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            assert name not in found, f"{name} registered by two modules"
            found[name] = (info.name, command)
    return found


def test_table_names_every_registered_command_and_nothing_else() -> None:
    registered = _registered()
    eager = set(typer.main.get_group(app_module.app).commands.keys()) - set(app_module.LAZY)
    assert set(app_module.LAZY) | eager == set(registered)
    for name, entry in app_module.LAZY.items():
        module, command = registered[name]
        assert entry.module == module, name
        assert entry.group == isinstance(command, TyperGroup), name


def test_table_short_help_is_the_commands_own() -> None:
    registered = _registered()
    for name, entry in app_module.LAZY.items():
        _module, command = registered[name]
        for limit in (30, 45, 60, 74, 200):
            from typer._click.utils import make_default_short_help

            assert make_default_short_help(entry.help, limit).strip() == (
                command.get_short_help_str(limit)
            ), (name, limit)


def test_help_lists_commands_in_typers_order(run) -> None:
    for text, heading in ((run("--lang", "en", "--help").stdout, "Commands:"),
                          (run("--lang", "zh", "--help").stdout, "命令：")):  # fmt: skip
        listed = [line.split()[0] for line in text.split(heading)[1].splitlines() if line.strip()]
        assert listed == [n for n, e in app_module.LAZY.items() if not e.group] + [
            n for n, e in app_module.LAZY.items() if e.group
        ]
    plain = [n for n, e in app_module.LAZY.items() if not e.group]
    groups = [n for n, e in app_module.LAZY.items() if e.group]
    assert listed == plain + groups  # typer lists single commands before sub-apps


@pytest.mark.slow
def test_version_help_and_completion_import_neither_typer_nor_a_command_module(tmp_path) -> None:
    probe = (
        "import sys, runpy\n"
        "BEFORE = set(sys.modules)\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n" + _STAY + "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in sys.modules if m.startswith(('sanjian_cli.cli.', 'rich', 'tinydb',"
        " 'dateutil', 'zoneinfo', 'sanjian_cli.store', 'json', 'dataclasses', 'typer'))]\n"
        + _RUN_ONLY
        + "from sanjian_cli.__main__ import DEFERRED\n"
        "heavy += [m for m in DEFERRED if ran(m)]\n"
        "print('LOADED', sorted(m for m in heavy if m not in ('sanjian_cli.cli.app',"
        " 'sanjian_cli.cli.context')), file=sys.stderr)\n"
    )
    for args, env in (
        (["--version"], {}),
        (["--help"], {}),
        ([], {"_SANJIAN_COMPLETE": "complete_bash", "COMP_WORDS": "sanjian to", "COMP_CWORD": "1"}),
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            capture_output=True,
            text=True,
            env={**_env(tmp_path), **env},
        )
        line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED"))
        loaded = [m for m in eval(line[len("LOADED ") :]) if not m.startswith("json")]
        # --help and a TAB read the committee's language from the head of the store (json);
        # --version reads nothing.
        assert loaded == [] and (args != ["--version"] or "json" not in line), (args, line)


@pytest.mark.slow
def test_a_sub_command_loads_only_its_module(tmp_path) -> None:
    probe = (
        "import sys\n"
        "from sanjian_cli.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        "CliRunner().invoke(app, ['topic', '--help'])\n"
        "import json\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('sanjian_cli.cli.')]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=_env(tmp_path)
    )
    loaded = json.loads(done.stdout)
    assert "sanjian_cli.cli.topic" in loaded
    assert not {"sanjian_cli.cli.member", "sanjian_cli.cli.vote", "sanjian_cli.cli.demo"} & set(
        loaded
    )


def test_typo_suggestion_still_sees_lazy_names(run) -> None:
    result = run("gust", ok=False)
    assert result.exit_code == 2
    assert "guest" in result.stderr


# The console script ends the process with os._exit (no teardown); a probe that looks at
# sys.modules afterwards keeps the process alive and takes the usual exit.
_STAY = "import os\nos._exit = lambda code: None\n"

# Whether module `m` has run: sanjian_cli.__main__ binds the modules of DEFERRED unloaded
# (`defer`), to run on first use; no ordinary command uses them. Those Python itself loaded
# before (an editable install's finder imports urllib and its ipaddress) do not count.
_RUN_ONLY = (
    "def ran(m):\n"
    "    module = sys.modules.get(m)\n"
    "    return m not in BEFORE and module is not None and type(module).__name__ != '_Deferred'\n"
)


@pytest.mark.slow
def test_commands_load_rich_only_for_a_table_and_never_subprocess(tmp_path) -> None:
    """rich costs a table command a third of its time: a paper, a JSON report or a change
    must not load it; no ordinary command runs a deferred module (subprocess, ...); a read
    loads none of the store's writing machinery (the audit log, backups, tempfile)."""
    store = tmp_path / "store.json"
    env = {**_env(tmp_path), "SANJIAN_DB": str(store), "SANJIAN_NOW": "2026-11-23T09:00+08:00"}
    for args in (
        ["init", "幸福里社区三工联席会议", "--lang", "zh"],
        ["member", "add", "张建国", "--side", "政工", "--lead", "--joined", "2026-01-01"],
        ["meeting", "plan", "2026-11-25"],
    ):
        subprocess.run([sys.executable, "-m", "sanjian_cli", *args], env=env, check=True,
                       capture_output=True)  # fmt: skip
    probe = (
        "import sys, runpy\n"
        "BEFORE = set(sys.modules)\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n" + _STAY + "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n" + _RUN_ONLY + "from sanjian_cli.__main__ import DEFERRED\n"
        "print('RAN', sorted(m for m in ('rich', *DEFERRED) if ran(m)),"
        " file=sys.stderr)\n"
        "writing = ('sanjian_cli.store.audit', 'sanjian_cli.store.backups', 'tempfile')\n"
        "print('DATACLASSES', ran('dataclasses'), file=sys.stderr)\n"
        "print('WRITING', sorted(m for m in writing if ran(m)), file=sys.stderr)\n"
    )
    expected = {
        ("minutes", "2026-11-25"): "RAN []",
        ("report", "attendance", "--format", "json"): "RAN []",
        ("topic", "add", "楼道灯更换", "--by", "1"): "RAN []",
        ("attend", "2026-11-25", "1"): "RAN []",
        ("member", "list"): "RAN ['rich']",
    }
    for args, line in expected.items():
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert done.returncode == 0 and line in done.stderr, (args, done.stderr)
        # A command that only reads loads none of the store's writing machinery.
        if args[0] in ("minutes", "report"):  # (rich, for a table, uses dataclasses)
            assert "DATACLASSES False" in done.stderr, (args, done.stderr)
        if args[0] in ("minutes", "report", "member"):
            assert "WRITING []" in done.stderr, (args, done.stderr)
        else:
            assert "'sanjian_cli.store.audit'" in done.stderr, (args, done.stderr)


def test_a_deferred_module_runs_on_first_use() -> None:
    """`defer` binds a module unloaded; its first attribute runs it, in place, once."""
    probe = (
        "import sys\n"
        "from sanjian_cli.__main__ import defer\n"
        "defer('subprocess')\n"
        "module = sys.modules['subprocess']\n"
        "print(type(module).__name__, 'Popen' in vars(module))\n"
        "import subprocess\n"
        "print(subprocess is module, type(module).__name__)\n"
        "print(subprocess.run([sys.executable, '-c', 'print(42)'], capture_output=True,"
        " text=True).stdout.strip(), type(module).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.split("\n")[:3] == [
        "_Deferred False",
        "True _Deferred",
        "42 module",
    ], done.stdout + done.stderr


def test_a_module_imported_by_name_runs_on_the_first_call() -> None:
    """`defer(called=...)` binds a module unloaded with a stand-in for each name it is
    imported by: `from pickle import dumps` takes the stand-in and runs nothing; its first
    call runs the module, in place, and is passed on; any other name runs it as `defer`'s
    modules do. A submodule is found on its package, as the import system leaves it."""
    probe = (
        "import sys\n"
        "from sanjian_cli.__main__ import defer\n"
        "defer(called={'pickle': ('dumps', 'loads'), 'urllib.parse': ('quote_from_bytes',),"
        " 'colorsys': ('no_such_function',)})\n"
        "from pickle import dumps, loads\n"
        "module = sys.modules['pickle']\n"
        "print(type(module).__name__, dumps.__name__)\n"
        "print(loads(dumps({'a': [1]})), type(module).__name__)\n"
        "print(module.dumps is not dumps, module.dumps.__module__, loads(dumps(2)))\n"
        "import urllib.parse\n"
        "print(type(urllib.parse).__name__, urllib.parse is sys.modules['urllib.parse'])\n"
        "from urllib.parse import urlsplit\n"
        "print(urlsplit('https://a.example/c').netloc, type(urllib.parse).__name__)\n"
        "try:\n"
        "    sys.modules['colorsys'].no_such_function()\n"
        "except AttributeError as exc:\n"
        "    print('AttributeError', exc)\n"
    )
    # Without site: an editable install's finder would import urllib.parse first.
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": root})  # fmt: skip
    assert done.stdout.splitlines() == [
        "_Deferred dumps",
        "{'a': [1]} module",
        "True _pickle 2",
        "_Deferred True",
        "a.example module",
        "AttributeError module 'colorsys' has no attribute 'no_such_function'",
    ], done.stdout + done.stderr


def test_each_stand_in_stands_for_a_function_of_its_module() -> None:
    """A name given a stand-in must be a function where it comes from: a class would be
    told apart from its stand-in (isinstance, issubclass), and a library that makes one a
    class, or drops it, fails here rather than in a command."""
    import inspect

    from sanjian_cli.__main__ import CALLED

    for name, functions in CALLED.items():
        module = importlib.import_module(name)
        for function in functions:
            assert inspect.isroutine(getattr(module, function, None)), (name, function)


def _env(tmp_path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("SANJIAN")}
    env.update({"SANJIAN_DB": str(tmp_path / "none.json"), "LANG": "C.UTF-8"})
    return env


def test_only_a_docx_paper_imports_python_docx(tmp_path) -> None:
    """python-docx (and lxml under it) cost most of a docx paper's time: every other paper,
    in every other format, must not load them."""
    store = tmp_path / "store.json"
    env = {**_env(tmp_path), "SANJIAN_DB": str(store), "SANJIAN_NOW": "2026-11-23T09:00+08:00"}
    for args in (
        ["init", "幸福里社区三工联席会议", "--lang", "zh"],
        ["member", "add", "张建国", "--side", "政工", "--lead", "--joined", "2026-01-01"],
        ["meeting", "plan", "2026-11-25"],
    ):
        subprocess.run([sys.executable, "-m", "sanjian_cli", *args], env=env, check=True,
                       capture_output=True)  # fmt: skip
    probe = (
        "import sys, runpy\n"
        "BEFORE = set(sys.modules)\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n" + _STAY + "try:\n"
        "    runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('DOCX', any(m == 'docx' or m.startswith(('docx.', 'lxml')) for m in sys.modules),"
        " file=sys.stderr)\n"
    )
    papers = (
        ["minutes", "2026-11-25"],
        ["minutes", "2026-11-25", "--layout", "official", "--format", "markdown"],
        ["agenda", "build", "2026-11-25"],
        ["notice", "2026-11-25", "--format", "json"],
        ["signin-sheet", "2026-11-25"],
        ["report", "summary", "--year", "2026"],
    )
    for args in papers:
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, env=env)  # fmt: skip
        assert "DOCX False" in done.stderr, (args, done.stderr)
    out = tmp_path / "议程.docx"
    make = ["agenda", "build", "2026-11-25", "-f", "docx", "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", probe, *make], capture_output=True, text=True,
                          env=env)  # fmt: skip
    assert "DOCX True" in done.stderr and out.exists(), done.stderr


def test_the_quick_exit_keeps_exit_codes_output_and_exit_handlers(tmp_path) -> None:
    """The console script ends with os._exit: the exit code, the output still buffered
    in a pipe and the exit handlers (openpyxl's removes its temporary files) survive it."""
    mark = tmp_path / "handler-ran"
    probe = (
        "import atexit, sys, runpy\n"
        f"atexit.register(lambda: open({str(mark)!r}, 'w').close())\n"
        "sys.argv = ['sanjian'] + sys.argv[1:]\n"
        "runpy.run_module('sanjian_cli', run_name='__main__')\n"
        "print('not reached: the process has ended')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True,
                          text=True, env=_env(tmp_path))  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "sanjian 0.1.0\n") and mark.exists()
    mark.unlink()
    done = subprocess.run([sys.executable, "-c", probe, "gust"], capture_output=True,
                          text=True, env=_env(tmp_path))  # fmt: skip
    assert done.returncode == 2 and "guest" in done.stderr and mark.exists(), done.stderr
    assert "not reached" not in done.stdout
