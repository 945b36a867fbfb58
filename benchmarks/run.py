"""Time sanjian as whole processes on an empty, a 1-year and a 10-year store.

    .venv/bin/python benchmarks/run.py [--runs 7] [--years 0,1,10] [--markdown out.md]

Every figure is the median wall time of `--runs` runs (after one warm-up run) of the venv's
`sanjian` console script, started as a subprocess exactly as a shell would. Each run is
paired with a run of a bare `python -c pass` of the same interpreter just before it, and a
figure's ratio is the median of its runs over the median of its own bare runs: on a shared
machine whose speed drifts within a session, both sides of a ratio see the same drift. For
the same reason a command's runs on the different store sizes take turns, so "10 y /
empty" compares runs made side by side.
Peak memory is the child's own maximum resident set size (/usr/bin/time), the largest over
its runs. Writing commands get a fresh copy of the store for every run, so each run does
the same work. Stores are generated with make_store.py and kept in the work directory.

Rows marked "(January)" run on stores made to end in the week after New Year (JANUARY), when
the hot file is small and the agenda's look back reaches last year's archive.
The targets of issue 15 are checked at the end; a missing command is skipped with a
note. Issue 15's ratios are meant for an installed sanjian (`pip install .` in its own venv,
given with `--venv`): an editable install's bare python also runs setuptools' finder, which
imports re, pathlib and urllib before `pass`, so its ratios come out lower.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NOW = "2026-11-23T09:00:00+08:00"
# The week after New Year: the hot file holds two weeks of this year, and the agenda looks
# eight weeks back, into last year's archive (a store made to end on this day).
JANUARY = "2026-01-19T09:00:00+08:00"
PYTHON = Path(sys.executable)
SANJIAN = PYTHON.parent / "sanjian"
DOCX_OUT = str(Path(tempfile.gettempdir()) / "sanjian-bench-minutes.docx")
BACKUP_OUT = str(Path(tempfile.gettempdir()) / "sanjian-bench-backup.json")
SUMMARY_OUT = str(Path(tempfile.gettempdir()) / "sanjian-bench-summary.docx")
ACTIONS_OUT = str(Path(tempfile.gettempdir()) / "sanjian-bench-actions.xlsx")


@dataclass
class Command:
    label: str
    argv: list[str]  # may hold {latest}, {oldest}, {next}, {member}, {members2}, {whole}
    # "trivial", "read", "one" (one meeting / open queue), "write", "report", "help",
    # "docx" (a Word paper), "complete" (a value completed from the store), "history" (a
    # command over every year: only the peak is a target)
    kind: str
    fresh: bool = False  # needs a fresh copy of the store for each run
    env: dict[str, str] = field(default_factory=dict)
    probe: list[str] | None = None  # a command that must succeed for this one to exist
    january: bool = False  # on stores that end in January (JANUARY), not in November


def completion(words: str, cword: int) -> dict[str, str]:
    return {"_SANJIAN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}


AGENDA = Command("agenda build --next", ["agenda", "build", "--next", "-q"], "one", fresh=True)
# Signing in is allowed once the meeting has begun: at 19:30 on its day.
ATTEND = Command(
    "attend",
    ["attend", "{next}", "{members2}"],
    "write",
    fresh=True,
    env={"SANJIAN_NOW": "{next}T19:30:00+08:00"},
)

COMMANDS = [
    Command("--version", ["--version"], "trivial"),
    Command("--help", ["--help"], "help"),
    Command("`topic add --help`", ["topic", "add", "--help"], "help"),
    Command("complete `sanjian to<TAB>`", [], "help", env=completion("sanjian to", 1)),
    Command("complete `sanjian topic l<TAB>`", [], "help", env=completion("sanjian topic l", 2)),
    Command(
        "complete an option `topic list --<TAB>`",
        [],
        "help",
        env=completion("sanjian topic list --", 3),
    ),
    # Completion of a name, a topic id and a date: words that come from the store.
    Command(
        "complete a member `attend NEXT <TAB>`",
        [],
        "help",
        env=completion("sanjian attend {next} ", 3),
    ),
    Command(
        "complete a topic `topic show <TAB>`", [], "help", env=completion("sanjian topic show ", 3)
    ),
    Command("complete a date `minutes <TAB>`", [], "help", env=completion("sanjian minutes ", 2)),
    # Values: a member by pinyin initials, a topic id (answered without typer).
    Command(
        "complete `sanjian attend DATE zh<TAB>`",
        [],
        "complete",
        env=completion("sanjian attend 2026-11-25 zh", 3),
    ),
    Command(
        "complete `sanjian vote DATE <TAB>`",
        [],
        "complete",
        env=completion("sanjian vote 2026-11-25 ", 3),
    ),
    Command("topic list --format json", ["topic", "list", "--format", "json"], "read"),
    Command("member list", ["member", "list"], "one"),
    Command("topic list --status accepted", ["topic", "list", "--status", "accepted"], "one"),
    AGENDA,
    Command("minutes LATEST", ["minutes", "{latest}"], "one"),
    # The 纪要 as a Word file: python-docx and lxml are loaded by this command alone.
    Command(
        "minutes LATEST --format docx",
        ["minutes", "{latest}", "--layout", "official", "--format", "docx", "--output", DOCX_OUT],
        "docx",
    ),
    Command(
        "report attendance --format json",
        ["report", "attendance", "--format", "json"],
        "report",
        probe=["report", "attendance", "--help"],
    ),
    Command("topic add", ["topic", "add", "新议题：楼道灯更换", "--by", "{member}"], "write", True),
    ATTEND,
    *(replace(c, label=f"{c.label} (January)", january=True) for c in (AGENDA, ATTEND)),
    Command(
        "member import (200-row .xls)",
        ["member", "import", "{roster}"],
        "write",
        fresh=True,
        probe=["member", "import", "--help"],
    ),
    Command(
        "report attendance --format xlsx",
        ["report", "attendance", "--format", "xlsx", "--output", "{xlsx}"],
        "report",
        probe=["member", "import", "--help"],
    ),
    # Over every year: the peak of any command is a target ("any command on the 10-year
    # store"), whatever its time.
    Command("minutes OLDEST", ["minutes", "{oldest}"], "history"),
    Command("meeting list", ["meeting", "list"], "history"),
    Command("topic list", ["topic", "list"], "history"),
    Command("action list", ["action", "list"], "history"),
    # At a terminal of 80 columns the lists are too wide and drawn to fit (free text
    # folding): another layout, measured apart.
    Command("topic list (80 columns)", ["topic", "list"], "history", env={"COLUMNS": "80"}),
    Command("action list (80 columns)", ["action", "list"], "history", env={"COLUMNS": "80"}),
    Command("calendar", ["calendar", "-q"], "history"),
    # The year-end figures and every decision item of ten years, as the office files them.
    Command(
        "report summary as Word (every year)",
        ["report", "summary", "--format", "docx", "--output", SUMMARY_OUT],
        "history",
    ),
    Command(
        "report actions as a workbook (every year)",
        ["report", "actions", "--format", "xlsx", "--output", ACTIONS_OUT],
        "history",
    ),
    Command("doctor", ["doctor"], "history"),
    Command("backup --output", ["backup", "--output", BACKUP_OUT], "history"),
    Command("restore a whole file", ["restore", "{whole}"], "history", fresh=True),
    Command("restore a hot file and its archives", ["restore", "{hot}"], "history", fresh=True),
]

ROSTER_ROWS = 200


def make_roster(path: Path) -> None:
    """A community office's roster as an Excel 97 .xls (xlwt, of the test extra): a title
    row, Chinese headers, 200 members with phones kept as numbers and dates as date cells."""
    from datetime import date

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("成员名单")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet.write_merge(0, 0, 0, 7, "幸福里社区三工联席会议成员花名册")
    head = ["序号", "姓名", "类别", "是否主要负责人", "表决权", "工作单位", "联系电话", "加入时间"]
    for col, text in enumerate(head):
        sheet.write(1, col, text)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = ("子涵", "雨桐", "浩然", "欣怡", "梓轩", "思远", "若曦", "一鸣", "嘉怡", "天佑")
    sides = ("政工", "社工", "志愿者")
    for n in range(ROSTER_ROWS):
        row = n + 2
        name = surnames[n % 20] + given[n // 20]
        voting = "无" if n % 25 == 0 else "有"
        values = [n + 1, name, sides[n % 3], "否", voting, f"第{n % 7 + 1}网格", 13900000000.0 + n]
        for col, value in enumerate(values):
            sheet.write(row, col, value)
        sheet.write(row, 7, date(2024, 1 + n % 12, 1 + n % 28), dated)
    book.save(str(path))


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('typer'))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "typer": versions,
        "os": f"{platform.system()} {platform.release()}",
    }


TIME = Path("/usr/bin/time")


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS in KB, exit code and stderr of one process.

    A child inherits its parent's high-water mark of memory at fork, so the peak is taken by
    /usr/bin/time (whose own child starts small) when it exists; every process, the bare
    python too, is then started through it, so the ratios stay fair. Without it the peak is
    the child's rusage and cannot be lower than this script's own size.
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak_file:
        wrapped = [str(TIME), "-f", "%M", "-o", peak_file.name, *argv] if TIME.exists() else argv
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip()
        peak = usage.ru_maxrss
        if TIME.exists():
            text = peak_file.read().strip().splitlines()
            peak = int(text[-1]) if text and text[-1].isdigit() else peak
    return elapsed, peak, proc.returncode, message


def base_env(db: Path, now: str = NOW) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANJIAN", "_SANJIAN"))}
    # A user's Python caches compiled modules; without the cache every run recompiles
    # sanjian's sources (an editable install ships no .pyc), which is not what users see.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"SANJIAN_DB": str(db), "SANJIAN_NOW": now, "LANG": "zh_CN.UTF-8"})
    return env


def store_facts(path: Path) -> dict[str, str]:
    """The dates and member ids the commands refer to, read from the generated store."""
    data = json.loads(path.read_text(encoding="utf-8"))
    meetings = sorted(data["meetings"].values(), key=lambda m: m["date"])
    closed = [m["date"] for m in meetings if m["status"] == "closed"]
    planned = [m["date"] for m in meetings if m["status"] != "closed"]
    current = [
        k for k, m in data["members"].items() if m["voting"] and not m["retired"] and not m["lead"]
    ]
    # The first meeting held: in the oldest archive, when there are archives.
    folder = path.with_name(path.stem + ".d")
    years = sorted(folder.glob("[0-9]*.json")) if folder.is_dir() else []
    oldest = closed[0]
    if years:
        archived = json.loads(years[0].read_text(encoding="utf-8"))["meetings"].values()
        oldest = min(m["date"] for m in archived if m["status"] == "closed")
    return {
        "latest": closed[-1],
        "oldest": oldest,
        "next": planned[0],
        "member": current[0],
        "members2": current[1] + " " + current[2],
    }


def expand(argv: list[str], facts: dict[str, str]) -> list[str]:
    out: list[str] = []
    for arg in argv:
        out.extend(arg.format(**facts).split(" ") if arg == "{members2}" else [arg.format(**facts)])
    return out


def fresh_copy(source: Path, target: Path) -> None:
    """The store at `source` (hot file, yearly archives and audit log) copied to `target`,
    with a backup set holding it: every run of a writing command starts from the same
    record, in the state a previous change leaves it."""
    from_dir, to_dir = source.with_name(source.stem + ".d"), target.with_name(target.stem + ".d")
    shutil.rmtree(to_dir, ignore_errors=True)
    # The previous runs' backups would pile up (and be rotated) beside the copy.
    shutil.rmtree(target.with_name(target.name + ".backups"), ignore_errors=True)
    if from_dir.is_dir():
        shutil.copytree(from_dir, to_dir)
    shutil.copyfile(source, target)
    log, to_log = (p.with_name(p.name + ".log.jsonl") for p in (source, target))
    if log.exists():
        shutil.copyfile(log, to_log)
    else:  # the last run's log is not this store's: sanjian refuses a store beside it
        to_log.unlink(missing_ok=True)
    # The backup set as any change leaves it: its newest copy is the store as it is.
    backups = target.with_name(target.name + ".backups")
    shutil.rmtree(backups, ignore_errors=True)
    backups.mkdir(mode=0o700)
    shutil.copyfile(source, backups / "000001.json")


def archives_size(path: Path) -> int:
    folder = path.with_name(path.stem + ".d")
    return sum(f.stat().st_size for f in folder.glob("*.json")) if folder.is_dir() else 0


def measure(
    label: str,
    argv: list[str],
    env: dict[str, str],
    runs: int,
    fresh_from: Path | None,
    bare: list[str] | None = None,
) -> dict[str, Any]:
    """Median and peak of `argv` over `runs` runs after a warm-up; with `bare`, each run is
    preceded by one of `bare`, and "ratio" is the median of the runs over the bare median."""
    times: list[float] = []
    bares: list[float] = []
    peak = 0
    for index in range(runs + 1):
        if fresh_from is not None:
            fresh_copy(fresh_from, Path(env["SANJIAN_DB"]))
        if bare is not None:
            bare_time = run_once(bare, env)[0]
        elapsed, rss, code, err = run_once(argv, env)
        if code != 0:
            raise SystemExit(f"{label}: exit {code}: {err}")
        if index:  # the first run warms the page cache and is not counted
            times.append(elapsed)
            peak = max(peak, rss)
            if bare is not None:
                bares.append(bare_time)
    out = {"median": statistics.median(times), "min": min(times), "peak_kb": peak}
    if bares:
        out["bare"] = statistics.median(bares)
        out["ratio"] = out["median"] / out["bare"]
    return out


def measure_sizes(
    label: str,
    by_size: dict[int, tuple[list[str], dict[str, str], Path | None]],
    runs: int,
    bare: list[str],
) -> dict[int, dict[str, Any]]:
    """`measure` of one command on every store size at once, the sizes taking turns run by
    run (each run preceded by its own bare run): a machine whose speed drifts within a
    session slows the empty store's runs as much as the ten-year store's, so their ratio
    (10 y / empty) is the command's own growth, not the drift's."""
    times: dict[int, list[float]] = {y: [] for y in by_size}
    bares: dict[int, list[float]] = {y: [] for y in by_size}
    peaks = dict.fromkeys(by_size, 0)
    for index in range(runs + 1):
        for y, (argv, env, fresh_from) in by_size.items():
            if fresh_from is not None:
                fresh_copy(fresh_from, Path(env["SANJIAN_DB"]))
            bare_time = run_once(bare, env)[0]
            elapsed, rss, code, err = run_once(argv, env)
            if code != 0:
                raise SystemExit(f"{label} ({y} y): exit {code}: {err}")
            if index:  # the first round warms the page cache and is not counted
                times[y].append(elapsed)
                bares[y].append(bare_time)
                peaks[y] = max(peaks[y], rss)
    out = {}
    for y in by_size:
        median, bare_median = statistics.median(times[y]), statistics.median(bares[y])
        out[y] = {"median": median, "min": min(times[y]), "peak_kb": peaks[y],
                  "bare": bare_median, "ratio": median / bare_median}  # fmt: skip
    return out


def exists(probe: list[str], env: dict[str, str]) -> bool:
    return run_once([str(SANJIAN), *probe], env)[2] == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (default 7)")
    parser.add_argument("--years", default="0,1,10", help="store sizes in years (0 = empty)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sanjian-bench")
    parser.add_argument("--markdown", type=Path, help="also write the results as markdown here")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON here")
    parser.add_argument(
        "--only",
        action="append",
        help="only commands whose label contains this text (may be given again)",
    )
    parser.add_argument("--facts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--make-roster", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--venv", type=Path, help="time the sanjian of this virtual environment (default: ours)"
    )
    args = parser.parse_args(argv)
    if args.venv:
        global PYTHON, SANJIAN
        PYTHON, SANJIAN = args.venv / "bin" / "python", args.venv / "bin" / "sanjian"
    if args.facts:
        print(json.dumps(store_facts(args.facts)))
        return 0
    if args.make_roster:
        make_roster(args.make_roster)
        return 0
    years = [int(y) for y in args.years.split(",")]
    args.work.mkdir(parents=True, exist_ok=True)

    # Stores are made and read in child processes: a child inherits the high-water mark of
    # its parent's memory at fork, so this process must stay as small as a bare python.
    commands = [c for c in COMMANDS if not args.only or any(o in c.label for o in args.only)]
    seasons = [False] + ([True] if any(c.january for c in commands) else [])
    stores: dict[tuple[int, bool], Path] = {}
    facts: dict[tuple[int, bool], dict[str, str]] = {}
    for january in seasons:
        for y in years:
            # "-split": stores in the layout with yearly archives (schema 2), not older ones.
            # "-pinyin": members carry their pinyin, as the library stores it.
            # "-approved": every closed meeting's minutes approved but the latest.
            name = f"store-{y}y-seed{args.seed}-split-pinyin-approved"
            path = args.work / f"{name}{'-january' if january else ''}.json"
            if not path.exists():
                maker = [str(PYTHON), str(HERE / "make_store.py"), "--years", str(y)]
                maker += ["--out", str(path), "--seed", str(args.seed)]
                subprocess.run(maker + (["--now", JANUARY] if january else []), check=True)
            stores[y, january] = path
            facts[y, january] = json.loads(
                subprocess.run(
                    [str(PYTHON), __file__, "--facts", str(path)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
    for y in years:
        store = stores[y, False]
        # The store as one whole file (`backup --output`), for `restore` to take back.
        whole = args.work / f"whole-{y}y.json"
        if not whole.exists():
            subprocess.run([str(SANJIAN), "backup", "--output", str(whole)],
                           env=base_env(store), check=True, capture_output=True)  # fmt: skip
        facts[y, False]["whole"] = str(whole)
        # The hot file with its archives beside it, as an automatic backup is found.
        hot = args.work / f"hot-{y}y.json"
        if not hot.exists():
            shutil.copyfile(store, hot)
            if store.with_suffix(".d").is_dir():
                shutil.copytree(store.with_suffix(".d"), hot.with_suffix(".d"))
        facts[y, False]["hot"] = str(hot)
    scratch = args.work / "scratch.json"
    roster = args.work / "roster-200.xls"
    made = subprocess.run(  # by this interpreter: the timed venv may have no xlwt
        [sys.executable, __file__, "--make-roster", str(roster)], check=False, capture_output=True
    )
    for found in facts.values():
        found.update(roster=str(roster), xlsx=str(args.work / "report.xlsx"))

    bare = [str(PYTHON), "-c", "pass"]
    env0 = base_env(scratch)
    results: dict[str, dict[int, dict[str, Any]]] = {}
    notes: list[str] = []
    baseline = [measure("python -c pass", bare, env0, args.runs, None)]
    for command in commands:
        probe_env = base_env(stores[years[0], False])
        if command.probe and not exists(command.probe, probe_env):
            notes.append(f"`{command.label}` skipped: the command does not exist yet.")
            continue
        if "{roster}" in command.argv and made.returncode != 0:
            notes.append(
                f"`{command.label}` skipped: no xlwt to write the .xls (pip install '.[test]')."
            )
            continue
        by_size = {}
        for y in years:
            january = command.january
            path, fact = stores[y, january], facts[y, january]
            name = f"scratch-{y}y{'-january' if january else ''}.json"
            env = base_env(scratch.with_name(name) if command.fresh else path,
                           JANUARY if january else NOW)  # fmt: skip
            env.update({k: v.format(**fact) for k, v in command.env.items()})
            full = [str(SANJIAN), *expand(command.argv, fact)]
            by_size[y] = (full, env, path if command.fresh else None)
        results[command.label] = measure_sizes(command.label, by_size, args.runs, bare)
        for y, figure in results[command.label].items():
            median = figure["median"]
            print(f"  {command.label:36} {y:>2}y {median * 1000:7.1f} ms", file=sys.stderr)
    baseline.append(measure("python -c pass", bare, env0, args.runs, None))
    base = statistics.median([b["median"] for b in baseline])

    info = machine()
    sizes = {y: stores[y, False].stat().st_size for y in years}
    whole = {y: sizes[y] + archives_size(stores[y, False]) for y in years}
    lines = [
        f"Machine: {info['cpus']} CPUs, {info['cpu']}; {info['os']}; Python {info['python']}; "
        f"typer {info['typer']}. Runs per figure: {args.runs} (median, after one warm-up).",
        "",
        f"Bare `python -c pass`: {base * 1000:.1f} ms "
        f"(before the commands {baseline[0]['median'] * 1000:.1f} ms, "
        f"after {baseline[1]['median'] * 1000:.1f} ms), "
        f"peak {baseline[0]['peak_kb'] / 1024:.1f} MB.",
        "",
        "Stores (hot file / with archives): "
        + ", ".join(
            f"{'empty' if y == 0 else f'{y} y'} {sizes[y] / 1e6:.2f} / {whole[y] / 1e6:.2f} MB"
            for y in years
        ),
        "",
    ]
    if True in seasons:
        lines[-1:-1] = [
            "",
            f"Stores ending in January ({JANUARY[:10]}), for the rows so marked: "
            + ", ".join(
                f"{'empty' if y == 0 else f'{y} y'} "
                f"{stores[y, True].stat().st_size / 1e6:.2f} MB hot file"
                for y in years
            ),
        ]
    head = ["command"] + [f"{'empty' if y == 0 else f'{y} y'} ms (× bare)" for y in years]
    head += [f"peak MB {'empty' if years[-1] == 0 else f'{years[-1]} y'}"]
    if len(years) > 1:
        head += [f"{years[-1]} y / {'empty' if years[0] == 0 else f'{years[0]} y'}"]
    rows = []
    for label, by_year in results.items():
        row = [f"`{label}`"]
        for y in years:
            median = by_year[y]["median"]
            row.append(f"{median * 1000:.0f} ({ratio(by_year[y], base):.1f}×)")
        row.append(f"{by_year[years[-1]]['peak_kb'] / 1024:.0f}")
        if len(years) > 1:
            row.append(f"{by_year[years[-1]]['median'] / by_year[years[0]]['median']:.2f}")
        rows.append(row)
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    lines.append("")
    lines.extend(f"- {note}" for note in notes)
    lines.extend(targets(results, years, base))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "bare": base, "sizes": sizes, "results": results}, indent=1
            ),
            encoding="utf-8",
        )
    return 0


def ratio(figure: dict[str, Any], base: float) -> float:
    """A figure over bare python: over its own paired bare runs when it has them."""
    return figure.get("ratio", figure["median"] / base)


# Issue 15's targets, by kind of command (ratios to bare python, paired; 10 y = the 10-year
# store). "help": --version, --help and every completion, whatever the store size.
ONE_MEETING = ("member list", "topic list --status accepted", "agenda build --next", "minutes")
NEW_KINDS = {  # a new kind of command: its own target, on the 10-year store
    "docx": 15.0,  # a Word paper: python-docx and lxml, ~90 ms of imports
    "import": 20.0,  # a 200-row .xls roster read by calamine, checked and written
    "xlsx": 25.0,  # every year's attendance into a workbook by openpyxl
}
PEAK_MB = 40


def targets(results: dict[str, dict[int, dict[str, Any]]], years: list[int], base: float) -> list:
    """The targets of issue 15 (and completion's of issue 13), each marked met or missed."""
    if 0 not in years or 10 not in years:
        return ["", "(targets need the empty and the 10-year store)"]
    out = ["", "Targets of issue 15 (ratios to bare python in the same run, paired medians):", ""]

    def check(ok: bool, text: str) -> None:
        out.append(f"- {'met   ' if ok else 'MISSED'} {text}")

    for label, r in results.items():
        kind = kind_of(label)
        ten, growth = ratio(r[10], base), r[10]["median"] / r[0]["median"]
        if kind in ("trivial", "help", "complete"):
            worst = max(ratio(r[y], base) for y in years)
            check(worst <= 4, f"`{label}` {worst:.1f}× ≤ 4× (worst store size)")
        if kind == "complete":  # a value, answered without typer (issue 13)
            check(ten <= 3, f"`{label}` on 10 y {ten:.1f}× ≤ 3×")
        if kind in ("one", "write"):
            check(ten <= 8, f"`{label}` on 10 y {ten:.1f}× ≤ 8×")
            check(growth <= 1.3, f"`{label}` 10 y / empty {growth:.2f} ≤ 1.3")
        if label.startswith("report attendance --format json"):
            check(ten <= 12, f"`{label}` over ten years {ten:.1f}× ≤ 12×")
        if kind in NEW_KINDS:
            limit = NEW_KINDS[kind]
            check(ten <= limit, f"`{label}` on 10 y {ten:.1f}× ≤ {limit:.0f}× (its own target)")
        peak = r[10]["peak_kb"] / 1024
        check(peak <= PEAK_MB, f"`{label}` peak on 10 y {peak:.0f} MB ≤ {PEAK_MB} MB")
    return out


def kind_of(label: str) -> str:
    """The kind a target is checked by (a Command's own kind, finer for the new kinds)."""
    command = next(c for c in COMMANDS if c.label == label)
    if "member import" in label:
        return "import"
    if "--format xlsx" in label:
        return "xlsx"
    if command.kind == "one" and not label.startswith(ONE_MEETING):
        return "read"
    return command.kind


if __name__ == "__main__":
    sys.exit(main())
