"""Text and number hazards in a dataset: the one place that decides what is refused.

The loader runs :func:`check_document` over the raw YAML document before the
schema, so each hazard is named with its file, line and field path and never
reaches python-pptx, lxml, WeasyPrint or matplotlib. The rules:

Refused (one :class:`~reporting.errors.Problem` per field, naming the character):

- control characters — C0 (U+0000–U+001F) except tab and line feed, DEL (U+007F) and
  C1 (U+0080–U+009F), carriage return included: they draw nothing, python-pptx writes
  them as literal ``_x0007_`` and XML cannot hold most of them;
- surrogates (U+D800–U+DFFF), which YAML's ``"\\ud83d"`` escapes produce: they are not
  characters and lxml cannot encode them. A UTF-16 pair (``"\\ud83d\\ude00"``) is refused
  too, with the ``\\U0001F600`` escape to write instead;
- noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …) — not allowed in XML, so no
  deck could hold them; private-use and unassigned code points — no font is
  known to draw them, so they would print as boxes;
- numbers that are not finite (``.inf``, ``.nan``, ``1e400``).

Accepted as written:

- tab and line feed (both lay out as a space in the brief);
- format characters: zero-width joiner and space, soft hyphen, bidi marks and isolates;
- right-to-left text and emoji — but like every character they must be drawable by
  one of the theme's fonts: the build checks that before rendering and names the
  character, field and line otherwise (the default fonts have neither emoji nor
  Hebrew or Arabic; add a family such as "Noto Sans Hebrew" to the theme);
- very long words and URLs: the brief breaks them anywhere (``overflow-wrap:
  anywhere``) and the deck breaks them between characters when fitting text.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import Problem, ReportError, format_path
from ..lang.chars import describe
from ..limits import DEFAULT_LIMITS, Limits, raise_hint
from .yaml_lines import LineIndex, read_yaml

ALLOWED_CONTROLS = frozenset("\t\n")


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def text_hazard(text: str) -> str | None:
    """Why ``text`` is refused (the first hazard found), or ``None`` when it is fine."""
    for position, char in enumerate(text):
        code = ord(char)
        category = unicodedata.category(char)
        if category == "Cc" and char not in ALLOWED_CONTROLS:
            return (
                f"control character {describe(char)} at character {position + 1}; "
                f"only tab and line feed are allowed in text"
            )
        if category == "Cs":
            following = text[position + 1 : position + 2]
            if 0xD800 <= code <= 0xDBFF and following and 0xDC00 <= ord(following) <= 0xDFFF:
                joined = chr(0x10000 + ((code - 0xD800) << 10) + (ord(following) - 0xDC00))
                return (
                    f"UTF-16 surrogate pair \\u{code:04x}\\u{ord(following):04x} at character "
                    f"{position + 1}: YAML escapes are code points; write \\U{ord(joined):08X} "
                    f"for {describe(joined)}"
                )
            return (
                f"lone surrogate U+{code:04X} at character {position + 1} "
                f"(not a character: the text is not valid Unicode)"
            )
        if _is_noncharacter(code):
            return f"noncharacter U+{code:04X} at character {position + 1} (not allowed in documents)"
        if category == "Co":
            return f"private-use character U+{code:04X} at character {position + 1}: no font is known to draw it"
        if category == "Cn":
            return f"unassigned code point U+{code:04X} at character {position + 1}: no font is known to draw it"
    return None


def number_hazard(value: Any) -> str | None:
    """Why a number is refused: NaN and infinities cannot be formatted or drawn."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"not a finite number (got {value!r}); write the figure as digits"
    return None


def walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar of a parsed YAML/TOML document with its path (mapping keys too,
    with the path of the key)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str):
                yield (*path, key), key
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))
    else:
        yield path, node


def check_document(
    document: Any, file: str, lines: "LineIndex | None" = None, limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    """One problem for every string or number in ``document`` the toolkit refuses, a text
    longer than ``limits.text_chars`` among them (it would take minutes to lay out)."""
    problems: list[Problem] = []
    for path, value in walk(document):
        if isinstance(value, str):
            why = (
                text_hazard(value)
                if len(value) <= limits.text_chars
                else (
                    f"{len(value):,} characters, more than the budget of {limits.text_chars:,} for one text; "
                    f"split it, or {raise_hint('text_chars')}"
                )
            )
        else:
            why = number_hazard(value)
        if why:
            line = lines.line_of(list(path)) if lines is not None else None
            problems.append(Problem(file, line, format_path(path), why))
    return problems


def locate(path: Path, chars: Iterable[str]) -> dict[str, str]:
    """Where each of ``chars`` is first used in the dataset at ``path``: ``field (line N)``.

    For messages only (the error path of the font check): reads the file again and
    returns ``{}`` when it cannot.
    """
    wanted = set(chars)
    found: dict[str, str] = {}
    try:
        document, lines = read_yaml(Path(path), str(path))
    except (OSError, ReportError):
        return found

    for where, value in walk(document):
        if not isinstance(value, str):
            continue
        for char in wanted.intersection(value):
            if char not in found:
                found[char] = f"{format_path(where)}, line {lines.line_of(list(where))}"
        if len(found) == len(wanted):
            break
    return found
