"""Help in the reader's language.

Typer builds the help pages from the English texts of the code; for a Chinese reader the
texts are swapped for those of sanjian_cli/help_zh.py while the page is formatted, and laid
out by display width. Nothing is loaded for it but that catalog (and, to learn the
committee's language, the head of the store file). Installed on every command by
`localise`; the root group (cli/app.py) uses `get_help`, `zh_short` and `in_language`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from typer._click.formatting import HelpFormatter


def get_help(self: Any, ctx: Any) -> str:
    """`--help` in the reader's language: the English help of the code, or the Chinese of
    sanjian_cli/help_zh.py, laid out by display width (a Chinese character takes two columns).
    Installed on every command (see localise); the class it is installed on derives
    directly from typer's."""
    english = type(self).__bases__[0].get_help  # type: ignore[attr-defined]
    if help_lang() != "zh":
        return english(self, ctx)  # type: ignore[no-any-return]
    formatter = ZhFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
    with _in_chinese(self, ctx):
        self.format_help(ctx, formatter)
    return formatter.getvalue().rstrip("\n")


# Typer builds the help pages from the English texts of the code; for a Chinese reader the
# texts are swapped for those of sanjian_cli/help_zh.py while the page is formatted, and
# laid out by display width. Nothing is loaded for it but that catalog (and, to learn the
# committee's language, the head of the store file).


def help_lang() -> str:
    """The language of `--help`: `--lang` on the line, else the committee's, else LANG."""
    from sanjian_cli import completion
    from sanjian_cli.cli import context

    return completion.help_lang(context.ARGV)


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
                short = zh_short(zh_help(f"{path} {name}"), limit)
                swap(command.commands[name], "short_help", short or None)
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


def zh_short(text: str | Any, limit: int = 0) -> str:
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
    return in_language(self, ctx, results) if help_lang() == "zh" else results


def in_language(command: Any, ctx: Any, items: list[Any]) -> list[Any]:
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
        elif item.value in subs and ctx.parent is not None:  # the root gives its own
            item.help = zh_short(zh_help(f"{path} {item.value}".strip()), 45) or item.help
    return items


def localise(command: Any) -> None:
    """Give a loaded command (and its sub-commands) the help in the reader's language."""
    cls = type(command)
    if cls.__dict__.get("get_help") is not get_help:
        if cls not in _LOCAL:
            methods = {"get_help": get_help, "shell_complete": _shell_complete}
            _LOCAL[cls] = type(cls.__name__, (cls,), methods)
        command.__class__ = _LOCAL[cls]
    if getattr(command, "loads_lazily", False):
        return  # its commands are localised as they are built (cli/app._makers)
    for sub in getattr(command, "commands", {}).values():
        localise(sub)


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


class ZhFormatter(HelpFormatter):
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
