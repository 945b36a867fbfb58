"""Options and small renderings shared by several commands, so each exists once."""

from pathlib import Path
from typing import Any

import typer

from sanjian_cli.errors import BadInput


def format_option(
    allowed: tuple[str, ...], help: str | None = None, *, required_default: bool = True
) -> Any:
    """The `--format`/`-f` option of every command that has one: the first of `allowed` is
    the default (or none, with `required_default=False`, for a command that infers it), and
    a value not allowed is refused at parse time with one error (`bad_choice`, exit 2), so
    the command receives a checked, canonical value."""

    def checked(value: str | None) -> str | None:
        return None if value is None else check_format(value, allowed)

    listed = " or ".join([", ".join(allowed[:-1]), allowed[-1]] if len(allowed) > 1 else allowed)
    return typer.Option(
        allowed[0] if required_default else None,
        "--format",
        "-f",
        help=help or f"Output format: {listed}.",
        callback=checked,
    )


FORMAT_TABLE = format_option(("table", "json"))
FORMAT_PAPER = format_option(("text", "markdown", "json"))
# The papers an office files also come as Word (.docx, needs --output).
FORMAT_FILED_PAPER = format_option(("text", "markdown", "json", "docx"))
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
LANG = typer.Option(None, "--lang", help="Language of this output: zh or en.")
# The period of every report and list that takes one (services.reports.period parses it).
FROM = typer.Option(None, "--from", help="First day of the period, YYYY-MM-DD (included).")
TO = typer.Option(None, "--to", help="Last day of the period, YYYY-MM-DD (included).")
YEAR = typer.Option(None, "--year", help="A calendar year, e.g. 2026 (instead of --from/--to).")


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    """The format typed (json, 表格, Excel ...) among `allowed`, else BadInput listing them."""
    from sanjian_cli.domain import vocab

    return vocab.pick("format", value, allowed)


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed`, the keys of the vocabulary's kind named by `option` (--layout ->
    layout), typed in either language."""
    from sanjian_cli.domain import vocab

    return vocab.pick(option.lstrip("-"), value, allowed)


def check_lang(value: str | None) -> str | None:
    from sanjian_cli.domain import vocab

    return vocab.pick("lang", value, ("zh", "en")) if value is not None else None


def emit_json(data: Any, output: Path | None = None) -> None:
    from sanjian_cli.render.output import dumps, emit

    emit(dumps(data), output)


def split_names(text: str | None) -> list[str]:
    """A comma-separated list of members (Chinese commas and 、 accepted too)."""
    if not text:
        return []
    for sep in ("，", "、"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def paper_text(doc: Any, fmt: str, render: Any, lang: str) -> str:
    """A paper (agenda, minutes, notice...) as JSON or through its renderer as text or
    markdown: the one place where the three formats of every paper are told apart."""
    if fmt == "json":
        from sanjian_cli.render.output import dumps

        return dumps(doc)
    return render(doc, lang, markdown=fmt == "markdown")


def emit_paper(c: Any, text: str | bytes, output: Path | None) -> None:
    """Print the paper, or write it to `output` (render.output.write) and say where."""
    from sanjian_cli.render.output import emit

    emit(text, output)
    if output is not None:
        c.say("written_to", path=str(output))


def dated_path(output: Path | None, day: str) -> Path | None:
    """`--output` as given, with `{date}` standing for the meeting's date (for cron)."""
    return Path(str(output).replace("{date}", day)) if output is not None else None


TEMPLATE = typer.Option(
    None,
    "--template",
    help="With --format docx: the office's own .docx to build on (its page setup, styles, "
    "header and footer are kept).",
)


def check_docx(fmt: str, output: Path | None, template: Path | None) -> bytes | None:
    """A Word paper goes to a file (--output), never to the terminal; --template goes with
    docx only. Returns the template's bytes, checked to be a Word file."""
    if fmt == "docx" and output is None:
        raise BadInput("docx_needs_output")
    if template is None:
        return None
    if fmt != "docx":
        raise BadInput("template_needs_docx")
    import io
    import zipfile

    from sanjian_cli.errors import Refused

    try:
        data = template.expanduser().read_bytes()
    except OSError as exc:
        raise Refused("cannot_read_template", path=str(template), reason=exc.strerror) from None
    try:
        if "word/document.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist():
            raise zipfile.BadZipFile
        import docx

        docx.Document(io.BytesIO(data))
    except Exception:  # not a zip, not Word, or XML python-docx cannot read: all one answer
        raise Refused("bad_template", path=str(template)) from None
    return data


def docx_paper(
    c: Any,
    paper: Any,
    config: dict[str, Any],
    now: Any,
    template: bytes | None,
    quiet: bool = False,
) -> bytes:
    """`paper` as a .docx in the committee's fonts; says once on stderr (unless `quiet`)
    when a GB2312 font lacks characters of it (they would print as boxes)."""
    from sanjian_cli.render import docx

    fonts = docx.Fonts.of(config)
    gaps = docx.gb2312_gaps(paper, fonts)
    if gaps and not quiet:
        sep = "、" if c.lang() == "zh" else ", "
        c.say(
            "docx_gb2312",
            fonts=sep.join(gaps),
            chars=sep.join(dict.fromkeys(ch for found in gaps.values() for ch in found)),
        )
    return docx.render(paper, fonts, now, template)
