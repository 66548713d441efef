"""Characters as messages name them (``U+0007 BELL``)."""

from __future__ import annotations

import unicodedata


def describe(char: str) -> str:
    """``U+0007 BELL``: a character as a message names it."""
    code = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}
