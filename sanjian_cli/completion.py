"""Shell completion and the help's language, answered from the head of the store file.

A TAB must answer at once, so this module imports nothing but the standard library: it
reads the tables it needs from the top of the hot file (TinyDB's layout, `_meta` first, then
the committee and the members) without the store package, without a lock (the store is
replaced atomically, so a reader sees one whole version) and without parsing the tables it
does not need. What it cannot read it leaves out: completion offers less, never fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

TYPE_CHECKING = False  # typing itself is not imported: a TAB has no use for its 2 ms
if TYPE_CHECKING:
    from typing import Any


def default_path() -> Path:
    """Where the store is without --db; the same rule as sanjian_cli.store.default_path
    (tests/test_completion.py checks that the two agree)."""
    env = os.environ.get("SANJIAN_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sanjian" / "sanjian.json"


def db_of(argv: list[str]) -> Path:
    """The store named by a global `--db` in `argv`, else the default one."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--db" and index + 1 < len(argv):
            return Path(argv[index + 1]).expanduser()
        if arg.startswith("--db="):
            return Path(arg[5:]).expanduser()
    return default_path()


def peek(path: Path, wanted: tuple[str, ...]) -> dict[str, Any]:
    """The top-level tables `wanted` of the store at `path`, decoded one after another from
    the start of the file and no further than the last one wanted (the file is read in
    growing pieces, so the members come without the meetings). Missing or unreadable:
    empty."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(1 << 16)
            while True:
                found = _tables(raw.decode("utf-8", errors="ignore"), wanted)
                if found is not None:
                    return found
                more = handle.read(len(raw))
                if not more:
                    return {}
                raw += more
    except OSError:
        return {}


def _tables(text: str, wanted: tuple[str, ...]) -> dict[str, Any] | None:
    """The tables of `text` (the head of a store file), or None when the head is too short
    to hold them all."""
    found: dict[str, Any] = {}
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        return {} if text.strip() else None
    at = _skip(text, at + 1)
    try:
        while at < len(text) and text[at] != "}" and len(found) < len(wanted):
            key, at = decoder.raw_decode(text, at)
            at = _skip(text, at)
            if text[at] != ":":
                return {}
            value, at = decoder.raw_decode(text, _skip(text, at + 1))
            if key in wanted and isinstance(value, dict):
                found[key] = value
            at = _skip(text, at)
            if text[at : at + 1] == ",":
                at = _skip(text, at + 1)
    except (ValueError, IndexError):
        return None  # cut short: read more (a damaged file ends up here at its end too)
    return found


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def help_lang(argv: list[str]) -> str:
    """The language of `--help` for the command line `argv`: its `--lang`, else the
    committee's, else LANG."""
    from sanjian_cli.messages import lang_from_env, lang_given

    return lang_given(argv) or committee_lang(db_of(argv)) or lang_from_env()


def committee_lang(path: Path) -> str | None:
    """The committee's language (zh or en), or None before any committee exists."""
    for doc in peek(path, ("committee",)).get("committee", {}).values():
        lang = doc.get("settings", {}).get("lang") if isinstance(doc, dict) else None
        if lang in ("zh", "en"):
            return str(lang)
    return None


# -- what each parameter completes ------------------------------------------------------------
# (command path, parameter name) -> kind. A parameter named `lang` completes languages
# wherever it is. tests/test_completion.py checks every entry names a real parameter.
_MEMBER = (
    "leave member",
    "dissent member",
    "member show member",
    "member edit member",
    "member retire member",
    "topic add by",
    "topic approve by",
    "topic reject by",
    "decide owner",
    "meeting plan chair",
    "meeting plan recorder",
    "report actions owner",
    "member remove member",
    "action edit owner",
    "action list owner",
    "minutes approve by",
)
_TOPIC = (
    "vote topic",
    "note topic",
    "dissent topic",
    "decide topic",
    "topic approve topic",
    "topic reject topic",
    "topic edit topic",
    "topic withdraw topic",
    "topic show topic",
)
_DATE = (
    "leave date",
    "attend date",
    "guest date",
    "vote date",
    "note date",
    "dissent date",
    "decide date",
    "meeting show date",
    "meeting close date",
    "meeting skip date",
    "meeting plan date",
    "agenda build date",
    "minutes show date",
    "minutes approve date",
    "notice date",
    "publish date",
    "signin-sheet date",
    "log meeting",
    "meeting reopen date",
)
_ITEM = (
    "action show item",
    "action update item",
    "action done item",
    "action edit item",
    "action remove item",
)
KINDS: dict[tuple[str, str], str] = {
    **{tuple(k.rsplit(" ", 1)): "member" for k in _MEMBER},  # type: ignore[misc]
    **{tuple(k.rsplit(" ", 1)): "topic" for k in _TOPIC},  # type: ignore[misc]
    **{tuple(k.rsplit(" ", 1)): "meeting" for k in _DATE},  # type: ignore[misc]
    **{tuple(k.rsplit(" ", 1)): "item" for k in _ITEM},  # type: ignore[misc]
    ("attend", "names"): "members",
    ("vote", "yes_by"): "member_list",
    ("vote", "no_by"): "member_list",
    ("vote", "abstain_by"): "member_list",
    ("member add", "side"): "side",
    ("member list", "side"): "side",
    ("member edit", "side"): "side",
    ("report attendance", "side"): "side",
    ("topic add", "category"): "category",
    ("topic edit", "category"): "category",
    ("topic list", "category"): "category",
    ("", "amend_by"): "member",
    ("topic list", "status"): "status",
    ("vote", "method"): "method",
    ("minutes show", "layout"): "layout",
    ("init", "weekday"): "weekday",
    ("config set", "key"): "setting",
    ("config set", "value"): "setting_value",
}  # fmt: skip

# The settings `config set` takes (sanjian_cli.domain.settings.SPEC, and the name), and the
# vocabulary of those whose values are words; tests/test_completion.py keeps them in step.
SETTINGS = (
    "name", "weekday", "time", "duration", "place", "online", "timezone", "lang", "quorum",
    "pass-basis", "pass-threshold", "close-margin", "approval", "leave-deadline",
    "topic-minutes", "opening-minutes", "written-opinions", "chair-side", "backups",
    "lock-timeout", "topic-deadline", "absence-flag", "publish-days", "docx-title-font",
    "docx-body-font", "docx-heading-font", "docx-subheading-font", "docx-page-font",
)  # fmt: skip
SETTING_KINDS = {
    "weekday": "weekday", "lang": "lang", "quorum": "threshold", "pass-basis": "basis",
    "pass-threshold": "threshold", "approval": "approval",
    "written-opinions": "written-opinions", "chair-side": "chair-side",
}  # fmt: skip
LIMIT = 60  # candidates offered at most: a shell lists them all


def kind_of(path: str, param: str) -> str | None:
    return "lang" if param == "lang" else KINDS.get((path, param))


Item = tuple[str, str]  # (value, help)


def candidates(kind: str, incomplete: str, db: Path, given: list[str] | None = None) -> list[Item]:
    """What completes `incomplete` for a parameter of `kind`, with a help text each, in the
    committee's language. `given`: the command's positional arguments before this one."""
    if kind == "members":
        return _members(incomplete, db, exclude=set(given or []))
    if kind == "member_list":
        # --yes-by 张建国,li<TAB>: complete the last name of the list, keep the others
        head, sep, last = _split_list(incomplete)
        return [
            (head + sep + value, text)
            for value, text in _members(last, db, exclude=set(_names(head)))
        ]
    if kind == "member":
        return _members(incomplete, db)
    if kind == "topic":
        return _topics(incomplete, db)
    if kind == "meeting":
        return _meetings(incomplete, db)
    if kind == "item":
        return _items(incomplete, db)
    lang = committee_lang(db) or _env_lang()
    if kind == "setting":
        from sanjian_cli.messages import t

        return [
            (key, t(lang, f"setting.{key}"))
            for key in SETTINGS
            if key.startswith(incomplete.lower())
        ]
    if kind == "setting_value":
        key = (given or [""])[-1].strip().lower()
        return _words(SETTING_KINDS[key], incomplete, lang) if key in SETTING_KINDS else []
    return _words(kind, incomplete, lang)


def _env_lang() -> str:
    from sanjian_cli.messages import lang_from_env

    return lang_from_env()


def _words(kind: str, incomplete: str, lang: str) -> list[Item]:
    """Words of the vocabulary: the reader's word is offered (政工 for a Chinese committee),
    found by any name it is known by (cadre, zhenggong's initials are not kept)."""
    from sanjian_cli.domain import vocab

    spec = vocab.KINDS[kind]
    typed = incomplete.strip().lower()
    out = []
    for entry in spec.words:
        if spec.typed is not None and entry.key not in spec.typed:
            continue
        names = (entry.key, entry.zh, entry.en, *entry.aliases)
        if typed and not any(n.lower().startswith(typed) for n in names):
            continue
        value = entry.zh if lang == "zh" and not entry.zh.isascii() else entry.key
        out.append((value, entry.key if lang == "zh" else entry.zh))
    return out


def _split_list(text: str) -> tuple[str, str, str]:
    for at in range(len(text) - 1, -1, -1):
        if text[at] in ",，、":
            return text[:at], text[at], text[at + 1 :]
    return "", "", text


def _names(text: str) -> list[str]:
    for sep in ("，", "、"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _members(incomplete: str, db: Path, exclude: set[str] | None = None) -> list[Item]:
    """Current members whose name starts with `incomplete`, or whose pinyin or initials do
    (`zj`, `zhangj` -> 张建国). The value is the name, or the id when two share it."""
    tables = peek(db, ("committee", "members"))
    lang = _lang_of(tables)
    from sanjian_cli.messages import word

    current = [
        (key, m) for key, m in tables.get("members", {}).items()
        if isinstance(m, dict) and not m.get("retired") and isinstance(m.get("name"), str)
    ]  # fmt: skip
    current.sort(key=lambda pair: int(pair[0]) if pair[0].isdigit() else 0)
    typed = incomplete.strip()
    folded = typed.lower()
    letters = folded.isascii() and folded.isalpha()
    count: dict[str, int] = {}
    for _key, m in current:
        count[m["name"]] = count.get(m["name"], 0) + 1
    out: list[Item] = []
    for ident, m in current:
        given = m.get("pinyin")
        syllables: list[Any] = given if isinstance(given, list) else []
        full = "".join(str(s) for s in syllables)
        initials = "".join(str(s)[:1] for s in syllables)
        if not (
            m["name"].startswith(typed)
            or (letters and (full.startswith(folded) or initials.startswith(folded)))
            or (typed.isdigit() and ident.startswith(typed))
        ):
            continue
        if exclude and (m["name"] in exclude or ident in exclude):
            continue
        value = m["name"] if count[m["name"]] == 1 else ident
        side = word(lang, "side", m.get("side", ""))
        # the pinyin is in the help: fish keeps a candidate whose help holds what was typed
        shown = m["name"] if value == ident else ""
        label = " ".join(filter(None, [shown, initials, full, side]))
        out.append((value, label))
    return out[:LIMIT]


def _lang_of(tables: dict[str, Any]) -> str:
    for doc in tables.get("committee", {}).values():
        lang = doc.get("settings", {}).get("lang") if isinstance(doc, dict) else None
        if lang in ("zh", "en"):
            return str(lang)
    return _env_lang()


_OPEN = ("proposed", "accepted", "scheduled")


def _topics(incomplete: str, db: Path) -> list[Item]:
    """Topic ids with their titles: those starting with `incomplete`, or whose title holds
    it; open topics first, the newest first."""
    tables = peek(db, ("committee", "members", "topics"))
    typed = incomplete.strip().lstrip("#")
    found = []
    for key, doc in tables.get("topics", {}).items():
        if not isinstance(doc, dict):
            continue
        ident = key
        title = str(doc.get("title", ""))
        if typed and not (ident.startswith(typed) or (not typed.isdigit() and typed in title)):
            continue
        found.append((doc.get("status") not in _OPEN, -int(ident) if ident.isdigit() else 0,
                      ident, title))  # fmt: skip
    found.sort()
    return [(ident, title) for _closed, _order, ident, title in found[:LIMIT]]


def _meetings(incomplete: str, db: Path) -> list[Item]:
    """Dates of the meetings on record (this year's and those still open), the newest first,
    with their state."""
    tables = peek(db, ("_meta", "committee"))
    calendar = _calendar(tables)
    if calendar is None:  # a store an older sanjian wrote: its meetings are read
        tables = peek(db, ("committee", "members", "topics", "meetings"))
        calendar = [
            (doc["date"], str(doc.get("start", "")), str(doc.get("status", "planned")))
            for doc in tables.get("meetings", {}).values()
            if isinstance(doc, dict) and isinstance(doc.get("date"), str)
        ]
    lang = _lang_of(tables)
    from sanjian_cli.messages import word

    found = [
        (day, f"{start[11:16]} {word(lang, 'status', status)}")
        for day, start, status in calendar
        if day.startswith(incomplete.strip())
    ]
    found.sort(reverse=True)
    return found[:LIMIT]


def _calendar(tables: dict[str, Any]) -> list[tuple[str, str, str]] | None:
    """(date, start, status) of each meeting in the hot file, as the store notes them in
    `_meta` (the committee's `hot_notes`); None when it notes none."""
    meta = tables.get("_meta", {}).get("1")
    notes = meta.get("notes") if isinstance(meta, dict) else None
    rows = notes.get("calendar") if isinstance(notes, dict) else None
    if not isinstance(rows, list):
        return None
    return [
        (row[0], str(row[1]), str(row[2]))
        for row in rows
        if isinstance(row, list) and len(row) == 3 and isinstance(row[0], str)
    ]


def _items(incomplete: str, db: Path) -> list[Item]:
    tables = peek(db, ("committee", "members", "topics", "meetings", "decisions"))
    found = []
    for key, doc in tables.get("decisions", {}).items():
        if not isinstance(doc, dict):
            continue
        ident = key
        if ident.startswith(incomplete.strip()):
            found.append((doc.get("status") == "done", -int(ident) if ident.isdigit() else 0,
                          ident, str(doc.get("text", ""))))  # fmt: skip
    found.sort()
    return [(ident, text) for _done, _order, ident, text in found[:LIMIT]]


# -- the command line as click would parse it ---------------------------------------------------
# TABLE (completion_table.py, generated from the commands by build_table and checked by a
# test) says for each command path which options take a value and which arguments it has, so
# a TAB can tell what is being completed without building the commands.


def build_table(command: Any, path: str = "", names: Any = None) -> dict[str, Any]:
    """The completion table of a click command tree (for completion_table.py). `names(path,
    lang, incomplete)`, when given, is what a TAB on `incomplete` after the path offers,
    [[name, help]...], as the full parser answers it in that language ("" for a group's
    sub-commands, "-" for the options); `names.context(path)` the parser's context there."""
    entry: dict[str, Any] = {"opts": {}, "args": []}
    for param in command.params:
        if param.param_type_name == "argument":
            entry["args"].append([param.name, param.nargs])
        elif not (param.is_flag or param.count):
            for opt in (*param.opts, *param.secondary_opts):
                entry["opts"][opt] = param.name
    if names is not None:
        # every option the command takes (its help option too): the parameter it sets, and
        # whether it may be given again; and the options a TAB on "-" offers
        entry["params"] = {
            opt: [param.name, int(bool(getattr(param, "multiple", False)))]
            for param in command.get_params(names.context(path))
            if param.param_type_name == "option"
            for opt in (*param.opts, *param.secondary_opts)
        }
        entry["options"] = {lang: names(path, lang, "-") for lang in ("en", "zh")}
    table = {path: entry}
    subs = getattr(command, "commands", None)
    if subs is not None:
        entry["commands"] = sorted(subs)
        default = getattr(command, "default_command", None)
        if default is not None:
            entry["default"] = default
        if names is not None:
            entry["names"] = {lang: names(path, lang, "") for lang in ("en", "zh")}
        for name in sorted(subs):
            table.update(build_table(subs[name], f"{path} {name}".strip(), names))
    return table


COMMAND = "<command>"  # the parameter "name" of a command word


class _Walk:
    """Where the words before the one completed lead: the command path and its table entry,
    the positional arguments given to it, the parameters its options set (`given`), the
    value-taking option whose value is being completed (`pending`), and whether a word was
    not in the table (`unknown`: an option the command does not have)."""

    __slots__ = ("path", "node", "positional", "given", "pending", "unknown")

    def __init__(self) -> None:
        from sanjian_cli.completion_table import TABLE

        self.path, self.node = "", TABLE[""]
        self.positional: list[str] = []
        self.given: set[str] = set()
        self.pending: str | None = None
        self.unknown = False


def _walk(args: list[str]) -> _Walk | None:
    """Follow `args` through the table; None at a word naming no sub-command of a group."""
    from sanjian_cli.completion_table import TABLE

    walk = _Walk()
    at = 0
    while at < len(args):
        arg, node = args[at], walk.node
        if arg.startswith("-") and len(arg) > 1 and arg != "--":
            name = arg.split("=", 1)[0]
            param = node.get("params", {}).get(name)
            walk.unknown = walk.unknown or param is None
            if param is not None:
                walk.given.add(param[0])
            if name in node["opts"] and "=" not in arg:
                if at + 1 == len(args):  # the word completed is this option's value
                    walk.pending = node["opts"][name]
                    return walk
                at += 2
            else:
                at += 1
            continue
        if "commands" in node:
            if arg in node["commands"]:
                walk.path = f"{walk.path} {arg}".strip()
                walk.node, walk.positional, walk.given = TABLE[walk.path], [], set()
            elif "default" in node:  # `minutes DATE`: the date is `minutes show`'s
                walk.path = f"{walk.path} {node['default']}"
                walk.node, walk.positional, walk.given = TABLE[walk.path], [arg], set()
            else:
                return None
        else:
            walk.positional.append(arg)
        at += 1
    return walk


def locate(args: list[str]) -> tuple[str, str | None, list[str]] | None:
    """(command path, parameter name, positional arguments before it) of the word after
    `args`: the parameter is COMMAND when that word names a sub-command of the path (or is
    the first argument of the group's default command), None when the command takes no more
    arguments. None for a word the table cannot place (an unknown command)."""
    walk = _walk(args)
    if walk is None:
        return None
    if walk.pending is not None:
        return walk.path, walk.pending, walk.positional
    if "commands" in walk.node:
        return walk.path, COMMAND, []
    taken = 0
    for name, nargs in walk.node["args"]:
        if nargs == -1 or len(walk.positional) < taken + nargs:
            return walk.path, name, walk.positional
        taken += nargs
    return walk.path, None, walk.positional


def _options(args: list[str], incomplete: str) -> list[Item] | None:
    """An option name: the command's options starting with `incomplete`, with their help in
    the reader's language, but those already given (unless they may be given again), as
    the full parser offers them. None when the table cannot tell (an unknown option)."""
    walk = _walk(args)
    if walk is None or walk.unknown:
        return None
    lang = committee_lang(db_of(args)) or _env_lang()
    params = walk.node.get("params", {})
    return [
        (str(name), str(text))
        for name, text in walk.node.get("options", {}).get(lang, [])
        if str(name).startswith(incomplete)
        and not (params[name][0] in walk.given and not params[name][1])
    ]


def _commands(path: str, incomplete: str, args: list[str]) -> tuple[list[Item], str | None]:
    """A command word: the group's sub-commands starting with `incomplete`, with their short
    help in the reader's language (the table holds what the full parser says), then what the
    group's default command takes first (`minutes <TAB>`: the meetings' dates). With the kind
    of the first candidate, as the full parser reports it."""
    from sanjian_cli.completion_table import TABLE

    node = TABLE[path]
    db = db_of(args)
    lang = committee_lang(db) or _env_lang()  # as for the values: a TAB runs no command
    items: list[Item] = [
        (str(name), str(text))
        for name, text in node.get("names", {}).get(lang, [])
        if str(name).startswith(incomplete)
    ]
    kind = "plain" if items else None
    default = node.get("default")
    if default is not None:
        first = f"{path} {default}"
        args_of = TABLE[first]["args"]
        wanted = kind_of(first, str(args_of[0][0])) if args_of else None
        if wanted is not None:
            more = candidates(wanted, incomplete, db, [])
            items += more
            kind = kind or (wanted if more else None)
    return items, kind


# -- the shells' protocol, as typer's completion classes speak it ------------------------------


def completion_args(shell: str, env: Any) -> tuple[list[str], str]:
    """(words before the one completed, the one completed), read from the environment the
    way typer's BashComplete / ZshComplete / FishComplete read it."""
    import shlex

    def split(text: str) -> list[str]:
        lex = shlex.shlex(text, posix=True)
        lex.whitespace_split = True
        lex.commenters = ""
        out = []
        try:
            for token in lex:
                out.append(token)
        except ValueError:
            out.append(lex.token)
        return out

    if shell == "bash":
        words = split(env.get("COMP_WORDS", ""))
        cword = int(env.get("COMP_CWORD", "0") or 0)
        args = words[1:cword]
        return args, words[cword] if cword < len(words) else ""
    typed = env.get("_TYPER_COMPLETE_ARGS", "")
    words = split(typed)[1:]
    if words and not typed.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def format_items(shell: str, items: list[Item], kind: str | None = None) -> str:
    """The answer to the shell. bash gets values only (with more than one topic or date, the
    title or state beside each value, so the list says what they are); zsh and fish get
    value<TAB>help lines, which their scripts (ZSH_SCRIPT, FISH_SCRIPT) show."""
    if shell == "bash":
        if len(items) > 1 and kind in ("topic", "meeting", "item"):
            return "\n".join(f"{v}  {_one_line(h)}" if h else v for v, h in items)
        return "\n".join(v for v, _h in items)
    return "\n".join(f"{v}\t{_one_line(h)}" if h else v for v, h in items)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def answer(env: Any, write: Any = None) -> bool:
    """Answer a TAB from the table and the head of the store, without typer: True when
    answered (the answer written), False when the full parser must answer instead."""
    instruction = env.get("_SANJIAN_COMPLETE", "")
    if not instruction.startswith("complete_"):
        return False
    shell = instruction[len("complete_") :]
    if shell not in ("bash", "zsh", "fish"):
        return False
    args, incomplete = completion_args(shell, env)
    kind: str | None
    if incomplete.startswith("-"):
        # click lists options for a word starting with "-", after no "--"; `--opt=` is a value
        options = None if "--" in args or "=" in incomplete else _options(args, incomplete)
        if options is None:
            return False
        items, kind = options, ("plain" if options else None)
    else:
        found = locate(args)
        if found is None:
            return False
        path, param, positional = found
        if param is None:
            return False
        if param == COMMAND:
            items, kind = _commands(path, incomplete, args)
        else:
            kind = kind_of(path, param)
            if kind is None:
                return False
            items = candidates(kind, incomplete, db_of(args), positional)
    if shell == "fish" and env.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
        raise SystemExit(0 if items else 1)
    text = format_items(shell, items, kind)
    if shell == "zsh" and not items:
        text = ""
    (write or _print)(text)
    return True


def _print(text: str) -> None:
    import sys

    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def write_table(table: dict[str, Any], target: Path | None = None) -> Path:
    """Write completion_table.py holding `table` (build_table's, from the whole `sanjian`
    click command as it is now); run by `python -m sanjian_cli.cli.write_completion`."""
    target = target or Path(__file__).with_name("completion_table.py")
    text = json.dumps(table, indent=4, sort_keys=True, ensure_ascii=False)
    target.write_text(
        '"""Generated by `python -m sanjian_cli.cli.write_completion` from the commands:\n'
        "which options of each command take a value, its arguments, and the sub-commands a TAB\n"
        "offers with their short help in each language, so a TAB can tell what it completes\n"
        "without building the commands. tests/test_completion.py fails when it no longer\n"
        'matches them."""\n\n'
        f"TABLE: dict[str, dict] = {text}\n",
        encoding="utf-8",
    )
    return target
