"""What every command pays before it does its work: modules it loads and never uses.

Each check names a module a plain command once loaded (or ran) for nothing, so a change
that brings it back fails here. The probes run the console script's `main` in a Python
without `site`, given the sources and the venv's libraries on its path: an editable
install's finder would otherwise import pathlib, fnmatch and ntpath before `main` starts,
and hide them. See tests/test_lazy.py for typer, rich and the store's writing machinery.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import typer

from sanjian_cli import cli
from sanjian_cli.cli import app as app_module

ROOT = Path(__file__).resolve().parent.parent

# The console script's own `import re` comes first; `os._exit` is kept from ending the
# probe, so that it can look at sys.modules after the command.
_PROBE = """
import re, sys, os, json, runpy
os._exit = lambda code: None
BEFORE = set(sys.modules)
sys.argv = ['sanjian'] + sys.argv[1:]
try:
    runpy.run_module('sanjian_cli', run_name='__main__')
except SystemExit:
    pass
sys.stdout.flush()
def state(name):
    module = sys.modules.get(name)
    if module is None or name in BEFORE:
        return 'absent' if module is None else 'before'
    return 'deferred' if type(module).__name__ == '_Deferred' else 'ran'
names = json.loads(os.environ['PROBE_MODULES'])
print('STATES ' + json.dumps({n: state(n) for n in names}), file=sys.stderr)
"""

# Bound unloaded by __main__.defer: imported by name at the top of modules every command
# loads (traceback's textwrap, pathlib's fnmatch and ntpath, calendar's locale), used only
# on paths no plain command takes.
DEFERRED_HERE = ("textwrap", "fnmatch", "ntpath", "locale")
# Imported only where used: the completion module at a TAB (parameters look their kind up
# then), csv by a CSV export, unicodedata by text that is not printable.
NOT_IMPORTED = ("sanjian_cli.completion", "csv")
# Bound unloaded with a stand-in for the functions they are imported by name for
# (`__main__.CALLED`): rich's pickle and colorsys, typer's difflib, gettext and shutil,
# pathlib's urllib.parse.
CALLED_HERE = ("pickle", "colorsys", "difflib", "gettext", "shutil", "urllib.parse")
MODULES = (*DEFERRED_HERE, *CALLED_HERE, *NOT_IMPORTED, "unicodedata", "calendar", "rich")


def _env(db: Path, now: str = "2026-11-23T09:00:00+08:00") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANJIAN", "_SANJIAN"))}
    paths = [str(ROOT), sysconfig.get_paths()["purelib"]]
    env.update(
        {
            "SANJIAN_DB": str(db),
            "SANJIAN_NOW": now,
            "LANG": "C.UTF-8",
            "PYTHONPATH": os.pathsep.join(paths),
            "PROBE_MODULES": json.dumps(MODULES),
        }
    )
    return env


def _states(db: Path, *args: str, now: str = "2026-11-23T09:00:00+08:00") -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env=_env(db, now),
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("STATES ")), None)
    assert done.returncode == 0 and line is not None, (args, done.stdout, done.stderr)
    return json.loads(line[len("STATES ") :])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fixed") / "store.json"
    for args in (
        ["init", "幸福里社区三工联席会议", "--lang", "zh"],
        ["member", "add", "张建国", "--side", "政工", "--lead", "--joined", "2026-01-01"],
        ["member", "add", "李梅", "--side", "社工", "--joined", "2026-01-01"],
        ["meeting", "plan", "2026-11-25"],
        ["topic", "add", "楼道灯更换", "--by", "1"],
    ):
        subprocess.run([sys.executable, "-m", "sanjian_cli", *args], env=_env(db),
                       check=True, capture_output=True)  # fmt: skip
    return db


def _copy(store: Path, tmp_path: Path) -> Path:
    """A store of one's own for a command that writes."""
    import shutil

    tmp_path.mkdir(parents=True, exist_ok=True)
    for path in store.parent.iterdir():
        target = tmp_path / path.name
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, target)
    return tmp_path / store.name


PLAIN = {
    "member list": ("member", "list"),
    "topic list": ("topic", "list", "--status", "proposed"),
    "minutes": ("minutes", "2026-11-25"),
    "agenda": ("agenda", "build", "--next", "-q"),
    "report json": ("report", "attendance", "--format", "json"),
}


@pytest.mark.slow
@pytest.mark.parametrize("label", PLAIN)
def test_a_plain_read_runs_no_deferred_module_and_imports_no_completion(store, label) -> None:
    states = _states(store, *PLAIN[label])
    # click's parser matches a short option (`-q`) as a long one first, and words that
    # miss with difflib before it tries the short one: difflib runs then.
    short = any(a.startswith("-") and not a.startswith("--") for a in PLAIN[label])
    for name in (*DEFERRED_HERE, *CALLED_HERE):
        if not (short and name == "difflib"):
            assert states[name] in ("absent", "deferred"), (label, name, states)
    for name in NOT_IMPORTED:
        assert states[name] == "absent", (label, name, states)
    if label in ("member list", "report json"):
        assert states["unicodedata"] == "absent", (label, states)
    if label == "member list":
        assert states["rich"] == "ran"  # the probe sees what a table command loads


@pytest.mark.slow
def test_a_write_runs_no_deferred_module_and_imports_neither_completion_nor_unicodedata(
    store, tmp_path
) -> None:
    for args, now in (
        (("topic", "add", "垃圾分类", "--by", "1"), "2026-11-23T09:00:00+08:00"),
        (("attend", "2026-11-25", "1", "2"), "2026-11-25T19:30:00+08:00"),
    ):
        db = _copy(store, tmp_path / args[0])
        states = _states(db, *args, now=now)
        for name in (*DEFERRED_HERE, *CALLED_HERE):
            assert states[name] in ("absent", "deferred"), (args, name, states)
        for name in (*NOT_IMPORTED, "unicodedata"):
            assert states[name] == "absent", (args, name, states)


@pytest.mark.slow
def test_the_help_typer_draws_runs_textwrap_and_a_tab_still_completes(store) -> None:
    """A deferred module runs when a path uses it: `sanjian --lang en member` alone prints
    the group's help through click's formatter (textwrap); a TAB on a member looks its kind
    up then."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE, "--lang", "en", "member"], capture_output=True,
        text=True,
        env=_env(store),
    )  # fmt: skip
    assert done.returncode == 0 and "list" in done.stdout, done.stderr
    assert '"textwrap": "ran"' in done.stderr, done.stderr
    env = {
        **_env(store),
        "_SANJIAN_COMPLETE": "complete_bash",
        "COMP_WORDS": "sanjian member show 张",
        "COMP_CWORD": "3",
    }
    done = subprocess.run([sys.executable, "-S", "-c", _PROBE], capture_output=True,
                          text=True, env=env)  # fmt: skip
    assert "张建国" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow
def test_a_mistyped_command_is_answered_through_the_stand_ins(store) -> None:
    """typer's "did you mean" calls difflib's get_close_matches through its stand-in: the
    suggestion is made, difflib runs then, and the usage error keeps its exit code."""
    done = subprocess.run([sys.executable, "-S", "-c", _PROBE, "gust"], capture_output=True,
                          text=True, env=_env(store))  # fmt: skip
    assert done.returncode == 0, done.stderr  # the probe's own exit: the command's is below
    assert "guest" in done.stderr and '"difflib": "ran"' in done.stderr, done.stderr
    env = {k: v for k, v in _env(store).items() if k != "PYTHONPATH"}
    plain = subprocess.run([sys.executable, "-m", "sanjian_cli", "gust"], capture_output=True,
                           text=True, env={**env, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert plain.returncode == 2 and "guest" in plain.stderr, plain.stderr


def test_the_newly_deferred_modules_work_on_first_use() -> None:
    """Bound unloaded, each of them runs on its importer's first use: pathlib's glob
    patterns (fnmatch), a Windows path (ntpath, which pathlib only names), click's help
    formatter (textwrap), a calendar in a locale (locale)."""
    probe = (
        "import sys\n"
        "from sanjian_cli.__main__ import defer\n"
        f"defer(*{DEFERRED_HERE!r})\n"
        "import calendar, ntpath, pathlib\n"
        "from typer._click.formatting import wrap_text\n"
        "print(pathlib.PurePath('a.json').match('*.json'),"
        " ntpath.splitdrive('c:/a')[0], sep=';')\n"
        "print(wrap_text('one two three', width=8).splitlines())\n"
        "print(calendar.LocaleTextCalendar(locale='C').formatmonthname(2026, 11, 0))\n"
        f"print(sorted(type(sys.modules[m]).__name__ for m in {DEFERRED_HERE!r}))\n"
    )
    done = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True,
                          env=_env(Path("none.json")))  # fmt: skip
    assert done.stdout.splitlines() == [
        "True;c:",
        "['one two', 'three']",
        "November 2026",
        "['module', 'module', 'module', 'module']",
    ], done.stdout + done.stderr


class Colour(str, enum.Enum):
    red = "red"
    rose = "rose"


def test_a_parameter_without_a_kind_completes_as_click_would(tmp_path) -> None:
    """Completers are attached to every parameter and look the kind up at the TAB: one
    sanjian does not complete offers what click offers without them, its own completer's
    candidates or its type's (an Enum's choices); one it does (`--lang`) gets sanjian's."""
    from sanjian_cli.cli import shells

    holder = typer.Typer()

    @holder.command()
    def paint(
        colour: Colour = typer.Option(Colour.red),
        size: str = typer.Option("s", autocompletion=lambda: ["small", "large"]),
        lang: str = typer.Option("zh"),
    ) -> None:
        """Paint."""

    command = typer.main.get_command(holder)
    shells.attach_completers(command, "paint")
    shells.attach_completers(command, "paint")  # twice: not wrapped in itself
    params = {p.name: p for p in command.params}
    assert getattr(params["size"]._custom_shell_complete, "path", None) == "paint"
    ctx = command.make_context("paint", [], resilient_parsing=True)

    def values(name: str, incomplete: str) -> list[str]:
        return [item.value for item in params[name].shell_complete(ctx, incomplete)]

    assert values("colour", "r") == ["red", "rose"]
    assert values("size", "") == ["small", "large"]
    from sanjian_cli import completion

    offered = [value for value, _ in completion.candidates("lang", "", tmp_path / "none.json")]
    assert values("lang", "") == offered and offered  # click alone offers nothing for a str


def _callbacks() -> list[tuple[str, object]]:
    """Every function typer reads the parameters of: each command and sub-app callback of
    the modules under sanjian_cli.cli, and the global options' callback."""
    found: list[tuple[str, object]] = [("main", app_module.main)]

    def walk(instance: typer.Typer, where: str) -> None:
        for command in instance.registered_commands:
            found.append((f"{where} {command.name}", command.callback))
        for group in instance.registered_groups:
            sub = group.typer_instance
            if sub.registered_callback is not None:
                found.append((f"{where} {group.name}", sub.registered_callback.callback))
            walk(sub, f"{where} {group.name}")

    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"sanjian_cli.cli.{info.name}")
        if info.name == "app" or not hasattr(module, "register"):
            continue
        holder = typer.Typer()
        module.register(holder)
        walk(holder, info.name)
    return found


def test_typer_reads_annotations_that_are_objects_not_strings() -> None:
    """A string annotation (`from __future__ import annotations`) costs typer an eval and
    a compile for each parameter of each command it builds: about half of building them
    (1.3 ms of `member list`, whose module has eight commands)."""
    callbacks = _callbacks()
    assert len(callbacks) > 40
    for name, callback in callbacks:
        strings = {k: v for k, v in inspect.get_annotations(callback).items()
                   if isinstance(v, str)}  # fmt: skip
        assert not strings, (name, strings)


@pytest.mark.slow
def test_a_command_builds_only_itself_of_its_group_and_module(store) -> None:
    """typer builds a command from its function's signature: `member list` builds `list`,
    not the other seven of `member`; `attend` builds neither `leave` nor `guest`. Help and
    a typo still see every name."""
    probe = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from sanjian_cli.cli import app\n"
        "done = [CliRunner().invoke(app.app, args).exit_code for args in json.loads(sys.argv[1])]\n"
        "built = lambda mapping: sorted(dict.keys(mapping))\n"
        "member = dict.get(app.load_module_commands('member'), 'member')\n"
        "print(json.dumps([done, built(app.load_module_commands('attendance')),"
        " built(member.commands), list(member.commands)]))\n"
    )
    runs = [["member", "list"], ["attend", "2026-11-25", "1"]]
    done = subprocess.run([sys.executable, "-c", probe, json.dumps(runs)], capture_output=True,
                          text=True, env=_env(store, "2026-11-25T19:30:00+08:00"))  # fmt: skip
    codes, attendance, member_built, member_names = json.loads(done.stdout)
    assert codes == [0, 0], done.stderr
    assert attendance == ["attend"] and member_built == ["list"]
    assert member_names[:3] == ["add", "list", "show"] and len(member_names) == 8


def test_a_typo_in_a_group_is_told_the_names_not_built(run) -> None:
    result = run("member", "lst", ok=False)
    assert result.exit_code == 2 and "list" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("member", "import", "{roster}"),
        ("member", "add", "王小明", "--side", "volunteer"),
        ("member", "edit", "1", "--name", "王小明"),
    ],  # fmt: skip
    ids=["import", "add", "edit a name"],
)
def test_a_new_name_loads_pypinyin_before_the_record_is_read(store, tmp_path, command) -> None:
    """pypinyin needs twice the memory it keeps while it loads: loaded before the record is
    parsed, that passing need does not add to the record's (the peak of `member import`,
    `member add` and a new name)."""
    db = _copy(store, tmp_path / "s")
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,类别,加入时间\n王小明,志愿者,2026-01-01\n", encoding="utf-8")
    argv = [str(roster) if arg == "{roster}" else arg for arg in command]
    probe = (
        "import sys\n"
        "from sanjian_cli.store import front\n"
        "real = front.read_bytes\n"
        "def read_bytes(path):\n"
        "    print('PYPINYIN', 'pypinyin' in sys.modules, file=sys.stderr)\n"
        "    return real(path)\n"
        "front.read_bytes = read_bytes\n"
        "from sanjian_cli.__main__ import main\n"
        "sys.argv = ['sanjian', *sys.argv[1:]]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True,
                          text=True, env=_env(db))  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = [line for line in done.stderr.splitlines() if line.startswith("PYPINYIN")]
    assert seen == ["PYPINYIN True"], done.stderr
