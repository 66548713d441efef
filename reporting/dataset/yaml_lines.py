"""Read YAML keeping line numbers, so every problem can name the line it is on.

Files are parsed by libyaml (ruamel.yaml's C parser, from ``ruamel.yaml.clib``), several
times faster than ruamel's pure-Python parser (docs/contributing/tests.md, Dependencies), with ruamel's YAML
1.2 rules for what a scalar is. The pure-Python parser reads instead where libyaml would
read differently or not at all: a file with a ``%YAML`` directive (libyaml ignores it),
a file holding U+0085, U+2028 or U+2029 (line breaks to libyaml, text to YAML 1.2, so
every later line number would shift), a file libyaml refuses (for the more precise
message, and for the surrogate escapes the hazard check explains), and every file when
ruamel.yaml.clib is missing. The line of each key and item comes from the parsed node
tree, kept beside the plain ``dict``/``list`` document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from ..errors import DataError, Problem, utf8_text
from ..lang.chars import describe
from ..limits import DEFAULT_LIMITS, Limits, raise_hint, read_bounded

#: Lists and mappings inside each other, at most. A dataset needs a handful; the parsers
#: and the checks after them recurse, and libyaml's composer would overflow the C stack.
MAX_DEPTH = 100

_YAML_DIRECTIVE = re.compile(r"^%YAML", re.MULTILINE)
_LIBYAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


class LineIndex:
    """Maps a field path (``['facts', 3, 'value']``) to its 1-based line in the file."""

    def __init__(self, root: Node | None, scalar_values: dict[int, Any]):
        self._root = root
        self._scalar_values = scalar_values  # id(scalar node) -> its value, to find keys by value

    def line_of(self, loc: list[Any] | tuple[Any, ...]) -> int | None:
        """The line of the deepest part of ``loc`` present in the file (a missing
        field is reported on the line of the mapping that should hold it; a missing
        top-level field on line 1)."""
        node = self._root
        line = 1
        for part in loc:
            if isinstance(node, MappingNode):
                found = self._mapping_entry(node, part)
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

    def text_of(self, loc: list[Any] | tuple[Any, ...]) -> str | None:
        """The scalar at ``loc`` as written in the file (``1e20``, ``-89498000000``), or
        ``None`` when ``loc`` is not a scalar there: messages show values as typed."""
        node = self._root
        for part in loc:
            if isinstance(node, MappingNode):
                found = self._mapping_entry(node, part)
                if found is None:
                    return None
                node = found[1]
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node.value if isinstance(node, ScalarNode) else None

    def _mapping_entry(self, node: MappingNode, key: Any) -> tuple[Node, Node] | None:
        """The (key, value) nodes of ``key`` in ``node``, keys compared by their values
        (``0x10`` is 16), the last one winning as in the constructed mapping. Entries a
        merge key (``<<``) brought in are there too, with the lines they have where the
        merged mapping is written."""
        found = None
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                value = self._scalar_values.get(id(key_node), key_node.value)
                if type(value) is type(key) and value == key:
                    found = (key_node, value_node)
        return found


class _Constructor(SafeConstructor):
    """Plain ``dict``/``list``/scalars. :func:`load_text` makes a subclass per call that
    collects the root node and every scalar's value for :class:`LineIndex` (with the C
    parser ruamel makes its own loader object, so they cannot be read off
    ``YAML.constructor``).

    Dates are read as the text they are written as: the schema checks them and names the
    field and line of one that does not exist (ruamel's own check raises a bare
    ``ValueError`` without a line)."""

    roots: list[Node] = []  # replaced per document by a subclass holding the lists to fill
    scalar_values: dict[int, Any] = {}

    def construct_document(self, node: Node) -> Any:
        self.roots.append(node)
        return super().construct_document(node)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        data = super().construct_object(node, deep=deep)
        if isinstance(node, ScalarNode):
            self.scalar_values[id(node)] = data
        return data


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


def libyaml_available() -> bool:
    """True when ruamel.yaml's C parser (``ruamel.yaml.clib``) is installed."""
    from ruamel.yaml.main import CParser

    return CParser is not None


def libyaml_reads_alike(text: str) -> bool:
    """False where libyaml would read ``text`` otherwise than YAML 1.2 does (see the
    module's docstring); the pure-Python parser then reads it."""
    return not (_YAML_DIRECTIVE.search(text) or any(char in text for char in _LIBYAML_LINE_BREAKS))


def check_structure(events: Iterable, shown: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Raise :class:`DataError` at the first list or mapping nested deeper than
    :data:`MAX_DEPTH`, alias inside the very list or mapping it names (a structure
    without end), or node past the budgets ``limits.yaml_nodes`` and
    ``limits.yaml_text_chars``, each alias counted as everything it stands for (a
    "billion laughs" file of a few lines stands for billions of values, which every
    later walk of the document would visit), reading the parser's events (which do
    not recurse): nothing is built before the file is known to be within its budgets."""
    open_anchors: list[str | None] = []  # one per list or mapping being read
    started: list[tuple[int, int]] = []  # (nodes, characters) counted when each was opened
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, characters) it stands for
    nodes = chars = 0

    def over(event) -> None:
        line = event.start_mark.line + 1
        if nodes > limits.yaml_nodes:
            what = f"more than {limits.yaml_nodes:,} lists, mappings and values"
            name = "yaml_nodes"
        else:
            what = f"more than {limits.yaml_text_chars:,} characters of text"
            name = "yaml_text_chars"
        raise DataError(
            [
                Problem(
                    shown,
                    line,
                    "",
                    f"the file stands for {what} (aliases counted as what they "
                    f"repeat), past its budget; {raise_hint(name)}",
                )
            ]
        )

    for event in events:
        if isinstance(event, CollectionStartEvent):
            open_anchors.append(event.anchor)
            started.append((nodes, chars))
            nodes += 1
            if len(open_anchors) > MAX_DEPTH:
                raise DataError(
                    [
                        Problem(
                            shown,
                            event.start_mark.line + 1,
                            "",
                            f"lists and mappings nested more than {MAX_DEPTH} deep",
                        )
                    ]
                )
        elif isinstance(event, CollectionEndEvent):
            anchor = open_anchors.pop()
            before = started.pop()
            if anchor is not None:
                sizes[anchor] = (nodes - before[0], chars - before[1])
            continue
        elif isinstance(event, AliasEvent):
            if event.anchor in open_anchors:
                raise DataError(
                    [
                        Problem(
                            shown,
                            event.start_mark.line + 1,
                            "",
                            f"alias *{event.anchor} stands for a list or mapping that contains it, "
                            f"which would never end",
                        )
                    ]
                )
            size = sizes.get(event.anchor, (1, 0))
            nodes += size[0]
            chars += size[1]
        elif isinstance(event, ScalarEvent):
            nodes += 1
            chars += len(event.value)
            if event.anchor is not None:
                sizes[event.anchor] = (1, len(event.value))
        else:
            continue
        if nodes > limits.yaml_nodes or chars > limits.yaml_text_chars:
            over(event)


def load_text(
    text: str, *, shown: str = "<text>", pure: bool = False, limits: Limits = DEFAULT_LIMITS
) -> tuple[Any, LineIndex]:
    """The document in ``text`` (plain containers and scalars, dates as text) and its line
    index; with libyaml unless ``pure`` or :func:`libyaml_reads_alike` says no. Raises
    :class:`DataError` for a structure too deep, without end or past ``limits`` (naming ``shown``),
    ruamel's errors as they come."""
    roots: list[Node] = []
    scalar_values: dict[int, Any] = {}
    yaml = YAML(typ="safe", pure=pure or not libyaml_reads_alike(text))
    yaml.Constructor = type("_DocumentConstructor", (_Constructor,), {"roots": roots, "scalar_values": scalar_values})
    check_structure(yaml.parse(text), shown, limits)  # before composing, which recurses
    document = yaml.load(text)
    return document, LineIndex(roots[0] if roots else None, scalar_values)


def scalars(text: str) -> list[str]:
    """Every scalar of ``text`` as written (keys too), straight from the parser's events:
    the structure is checked, no document is built (``make-report doctor``). libyaml
    first; the pure-Python parser where libyaml refuses the text, as :func:`read_yaml`.
    Raises ruamel's ``YAMLError`` when neither reads it."""

    def read(pure: bool) -> list[str]:
        return [event.value for event in YAML(typ="safe", pure=pure).parse(text) if isinstance(event, ScalarEvent)]

    try:
        return read(pure=False)
    except YAMLError:
        return read(pure=True)


def read_yaml(path: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, LineIndex]:
    """Parse ``path``; raise :class:`DataError` with the line of a syntax error, or when the
    file is larger than ``limits.file_bytes`` or stands for more than its YAML budgets.

    A file libyaml refuses is read again by the pure-Python parser, which names more
    precisely what is wrong (``but got ':'``) and reads some text libyaml refuses outright
    (``"\\ud83d\\ude00"``, a surrogate pair the hazard check then explains).
    """
    data = read_bounded(path, shown, limits)
    text = utf8_text(data, shown)
    try:
        return load_text(text, shown=shown, limits=limits)
    except (YAMLError, ValueError, TypeError, OverflowError):
        pass  # read again below, for the message
    try:
        return load_text(text, shown=shown, pure=True, limits=limits)
    except ConstructorError as error:
        # Well-formed YAML the dataset format has no use for: a custom tag, a list as a key.
        raise DataError(
            [
                Problem(
                    shown,
                    _line_of(error),
                    "",
                    f"YAML value cannot be read: {error.problem} "
                    f"(a dataset holds mappings with text keys, lists, text and numbers)",
                )
            ]
        ) from None
    except MarkedYAMLError as error:
        raise DataError(_syntax_problems(text, error, shown)) from None
    except ReaderError as error:
        # A raw control character in the file (not an escape in a quoted string).
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        char = chr(error.character) if isinstance(error.character, int) else str(error.character)
        what = describe(char) if len(char) == 1 else repr(char)
        raise DataError(
            [
                Problem(
                    shown,
                    line,
                    "",
                    f"character {what} is not allowed in a YAML file "
                    f"(control characters other than tab and line breaks)",
                )
            ]
        ) from None
    except YAMLError as error:
        raise DataError([Problem(shown, None, "", f"YAML error: {error}")]) from None
    except (ValueError, TypeError, OverflowError) as error:
        # An explicitly tagged value that does not convert (``!!float abc``).
        raise DataError([Problem(shown, None, "", f"YAML value cannot be read: {error}")]) from None


_BILINGUAL_FLOW = re.compile(r"\{\s*(zh|en)\s*:")

_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)*(?:[^\s#'\"{\[:-][^:#]*?:\s+)?)(?P<value>\{.*?)\s*$")
"""A line whose value (after indentation, list dashes and a key) starts with ``{``."""
_TEXT_AFTER_BRACES = re.compile(r"^\{[^{}:]*\}\s*[^\s#,\]}]")
"""``{=2024至25}年度…`` or ``{gmv}，增长…``: text going on after a placeholder, not a mapping."""
_STRAY_BRACE = re.compile(r"^\{\s*(?:zh|en|zh-Hant|zh-HK|zh-TW)\s*:[^{]*\{")
"""``{zh: 预算{草案, …}`` or ``{zh: {=2024至25}年度, …}``: a ``{`` inside an unquoted text."""

#: Syntax errors reported at once, at most: after each one with a known cause the file
#: is read again with that line's value blanked, to find the next.
MAX_SYNTAX_ERRORS = 20


def _syntax_problems(text: str, error: MarkedYAMLError, shown: str) -> list[Problem]:
    """A problem for ``error`` with a hint for its cause where it is a common slip, and
    for each later syntax error, as long as the cause of each is known: its line's value
    is blanked (line numbers kept) and the text parsed again."""
    problems: list[Problem] = []
    lines = text.splitlines(keepends=True)
    while True:
        line = _line_of(error)
        what = " ".join(str(part) for part in (error.context, error.problem) if part)
        cause = _cause(lines, error)
        hint = f"; {cause[1]}" if cause else _flow_hint(lines, line)
        problems.append(Problem(shown, line, "", f"YAML syntax error: {what}{hint}"))
        if cause is None or len(problems) >= MAX_SYNTAX_ERRORS:
            return problems
        at = cause[0]
        match = _VALUE.match(lines[at - 1].rstrip("\r\n"))
        if match is None:  # _cause found a flow mapping on this line: it always matches
            return problems
        lines[at - 1] = match.group("lead") + '""\n'
        try:
            YAML(typ="safe", pure=True).load("".join(lines))
            return problems
        except MarkedYAMLError as again:
            if (_line_of(again) or 0) <= (line or 0):
                return problems  # the blanked line did not let the parser go on
            error = again
        except (YAMLError, ValueError, TypeError, OverflowError):
            return problems


def _cause(lines: list[str], error: MarkedYAMLError) -> tuple[int, str] | None:
    """The line (1-based) and a hint, where ``error`` comes from a ``{`` YAML read as the
    start of a mapping: a text starting with a placeholder, or a ``{`` inside the
    unquoted text of ``{zh: …, en: …}``. Looks at the lines the error names."""
    marks = [mark.line + 1 for mark in (error.problem_mark, error.context_mark) if mark is not None]
    flow_opened = error.context_mark.line + 1 if error.context_mark and "flow" in str(error.context) else None
    for number in sorted(set(marks)):
        if not 0 < number <= len(lines) or flow_opened not in (None, number):
            continue  # inside a list or mapping opened on another line: its cause is there
        match = _VALUE.match(lines[number - 1].rstrip("\r\n"))
        if match is None:
            continue
        value = match.group("value")
        if _TEXT_AFTER_BRACES.match(value):
            return number, (
                f"a text starting with '{{' must be quoted, since YAML reads '{{' as the start "
                f"of a mapping: write {_quoted(value)}"
            )
        if _STRAY_BRACE.match(value):
            return number, (
                "a '{' inside unquoted text in {zh: …, en: …} starts another mapping: "
                'quote that text, e.g. zh: "{=2024至25}年度预算"'
            )
    return None


def _quoted(value: str) -> str:
    """``value`` as a double-quoted YAML string (for a hint), shortened past 40 characters."""
    value = value if len(value) <= 40 else value[:39] + "…"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _flow_hint(lines: list[str], line: int | None) -> str:
    """A hint for the commonest slip: a ':' inside unquoted text in ``{zh: …, en: …}``."""
    if line is None:
        return ""
    if 0 < line <= len(lines) and _BILINGUAL_FLOW.search(lines[line - 1]):
        return (
            "; text holding ': ' or ',' inside {zh: …, en: …} must be quoted, "
            'e.g. en: "Note: the figures are estimates"'
        )
    return ""


def _line_of(error: MarkedYAMLError) -> int | None:
    """The 1-based line a parser error points at."""
    mark = error.problem_mark or error.context_mark
    return mark.line + 1 if mark else None
