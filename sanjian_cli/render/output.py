"""Where output goes: stdout or a file given by the user, as UTF-8, never with colour codes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def emit(text: str | bytes, output: Path | None = None) -> None:
    """Write `text` to `output` (atomically, used as given) or to stdout; bytes (a .docx)
    are written as they are, text as UTF-8."""
    if output is None:
        stream = sys.stdout
        if isinstance(text, bytes):
            stream.flush()
            stream.buffer.write(text)
            stream.buffer.flush()
            return
        try:
            stream.write(text)
        except UnicodeEncodeError:
            stream.flush()
            stream.buffer.write(text.encode("utf-8"))
        stream.flush()
        return
    output = output.expanduser()
    parent = output.parent if str(output.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def info(text: str) -> None:
    """A one-line report on stderr, for people and cron logs."""
    print(text, file=sys.stderr)
