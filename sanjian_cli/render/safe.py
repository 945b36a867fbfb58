"""User text is data: control and bidi-format characters are shown, never obeyed."""

from __future__ import annotations


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """`text` with every control (Cc) and format (Cf) character written as an escape.

    Newlines, tabs and ESC included: a name can neither break a line of the minutes, move
    the cursor, nor turn text right-to-left.
    """
    value = "" if text is None else str(text)
    if value.isprintable():
        return value
    import unicodedata  # here: most text is printable, and most commands print no other

    return "".join(
        _escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in value
    )
