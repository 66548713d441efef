"""Read YAML keeping line numbers, so every problem can name the line it is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from .errors import DataError, Problem


class LineIndex:
    """Maps a field path (``['facts', 3, 'value']``) to its 1-based line in the file."""

    def __init__(self, document: Any):
        self._document = document

    def line_of(self, loc: list[Any] | tuple[Any, ...]) -> int | None:
        """The line of the deepest part of ``loc`` present in the file (a missing
        field is reported on the line of the mapping that should hold it)."""
        node = self._document
        line = 1
        for part in loc:
            try:
                if isinstance(node, dict) and part in node:
                    line = node.lc.key(part)[0] + 1
                elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                    line = node.lc.item(part)[0] + 1
                else:
                    break
            except (AttributeError, KeyError, TypeError):
                break
            node = node[part]
        return line


class _Constructor(RoundTripConstructor):
    """Reads dates as the text they are written as: the schema checks them and names the
    field and line of one that does not exist (ruamel's own check raises a bare
    ``ValueError`` without a line)."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def read_yaml(path: Path, shown: str) -> tuple[Any, LineIndex]:
    """Parse ``path``; raise :class:`DataError` with the line of a syntax error."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError([Problem(shown, line, "", f"not UTF-8 text ({error.reason} at byte {error.start}); "
                                 f"save the file as UTF-8")]) from None
    try:
        document = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise DataError([Problem(shown, line, "", f"YAML syntax error: {what}")]) from None
    except ReaderError as error:
        # A raw control character in the file (not an escape in a quoted string).
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        char = chr(error.character) if isinstance(error.character, int) else str(error.character)
        from .sanitize import describe

        what = describe(char) if len(char) == 1 else repr(char)
        raise DataError([Problem(shown, line, "", f"character {what} is not allowed in a YAML file "
                                 f"(control characters other than tab and line breaks)")]) from None
    except YAMLError as error:
        raise DataError([Problem(shown, None, "", f"YAML error: {error}")]) from None
    except (ValueError, TypeError, OverflowError) as error:
        # An explicitly tagged value that does not convert (``!!float abc``).
        raise DataError([Problem(shown, None, "", f"YAML value cannot be read: {error}")]) from None
    return document, LineIndex(document)
