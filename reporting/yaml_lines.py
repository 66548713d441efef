"""Read YAML keeping line numbers, so every problem can name the line it is on.

The file is parsed by libyaml (ruamel.yaml's C parser, from ``ruamel.yaml.clib``), about
eight times faster than the pure-Python round-trip loader, with ruamel's YAML 1.2 rules
for what a scalar is; where the C parser is missing, ruamel falls back to its
pure-Python parser with the same results. The line of each key and item comes from the
parsed node tree, kept beside the plain ``dict``/``list`` document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from .errors import DataError, Problem


class LineIndex:
    """Maps a field path (``['facts', 3, 'value']``) to its 1-based line in the file."""

    def __init__(self, root: Node | None):
        self._root = root

    def line_of(self, loc: list[Any] | tuple[Any, ...]) -> int | None:
        """The line of the deepest part of ``loc`` present in the file (a missing
        field is reported on the line of the mapping that should hold it)."""
        node = self._root
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for part in loc:
            if isinstance(node, MappingNode):
                found = _mapping_entry(node, part)
                if found is None:
                    break
                key_node, node = found
                line = key_node.start_mark.line + 1
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                break
        return line


def _mapping_entry(node: MappingNode, key: Any) -> tuple[Node, Node] | None:
    """The (key, value) nodes of ``key`` in ``node``; the last one, as the constructed
    mapping keeps the last of a repeated key (a merge key's entries are not searched)."""
    wanted = key if isinstance(key, str) else str(key)
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == wanted:
            found = (key_node, value_node)
    return found


class _Constructor(SafeConstructor):
    """Plain ``dict``/``list``/scalars; the root node of each document goes to ``roots``
    (a list of the subclass :func:`read_yaml` makes per call: with the C parser, ruamel
    makes its own loader object, so the node cannot be read off ``YAML.constructor``).

    Dates are read as the text they are written as: the schema checks them and names the
    field and line of one that does not exist (ruamel's own check raises a bare
    ``ValueError`` without a line)."""

    roots: list[Node] = []

    def construct_document(self, node: Node) -> Any:
        self.roots.append(node)
        return super().construct_document(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def scalars(text: str) -> list[str]:
    """Every scalar of ``text`` as written (keys too), straight from the parser's events:
    the structure is checked, no document is built (``make-report doctor``). libyaml
    first; the pure-Python parser where libyaml refuses the text, as :func:`read_yaml`.
    Raises ruamel's ``YAMLError`` when neither reads it."""
    from ruamel.yaml.events import ScalarEvent

    try:
        return [event.value for event in YAML(typ="safe").parse(text) if isinstance(event, ScalarEvent)]
    except YAMLError:
        return [event.value for event in YAML(typ="safe", pure=True).parse(text) if isinstance(event, ScalarEvent)]


def libyaml_available() -> bool:
    """True when ruamel.yaml's C parser (``ruamel.yaml.clib``) is installed."""
    from ruamel.yaml.main import CParser

    return CParser is not None


def load_text(text: str, *, pure: bool = False) -> tuple[Any, LineIndex]:
    """The document in ``text`` (plain containers and scalars, dates as text) and its line
    index; with libyaml unless ``pure``. Raises ruamel's errors as they come."""
    roots: list[Node] = []
    yaml = YAML(typ="safe", pure=pure)
    yaml.Constructor = type("_DocumentConstructor", (_Constructor,), {"roots": roots})
    document = yaml.load(text)
    return document, LineIndex(roots[0] if roots else None)


def read_yaml(path: Path, shown: str) -> tuple[Any, LineIndex]:
    """Parse ``path``; raise :class:`DataError` with the line of a syntax error.

    A file libyaml refuses is read again by the pure-Python parser, which names more
    precisely what is wrong (``but got ':'``) and reads some text libyaml refuses outright
    (``"\\ud83d\\ude00"``, a surrogate pair the hazard check then explains).
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError([Problem(shown, line, "", f"not UTF-8 text ({error.reason} at byte {error.start}); "
                                 f"save the file as UTF-8")]) from None
    try:
        return load_text(text)
    except (YAMLError, ValueError, TypeError, OverflowError):
        pass  # read again below, for the message
    try:
        return load_text(text, pure=True)
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
