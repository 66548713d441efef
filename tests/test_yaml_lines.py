"""The YAML reader: libyaml and the pure-Python parser read the same documents, lines included.

Datasets are parsed by libyaml (ruamel.yaml.clib) for speed, and by the pure-Python
parser where libyaml refuses a file, for its messages. Both must give the same
document and the same line for every field, or a problem's line would depend on
which parser read the file.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from reporting.errors import DataError
from reporting.sanitize import walk
from reporting.yaml_lines import libyaml_available, load_text, read_yaml, scalars

ROOT = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(
    [*ROOT.glob("data/*.yaml"), *ROOT.glob("tests/fixtures/*.yaml"), *ROOT.glob("tests/bad_datasets/*.yaml")]
)


def _same(left, right) -> bool:
    """Equal documents, NaN equal to NaN and types compared (1 is not 1.0 or True)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return left == right


def _lines(document, index) -> dict[tuple, int | None]:
    return {path: index.line_of(list(path)) for path, _ in walk(document)}


def it_parses_with_libyaml_here():
    # A declared dependency on CPython: a machine without it builds ~0.1 s slower per load.
    assert libyaml_available()
    # And it is the one used by default: only libyaml refuses a lone surrogate escape.
    with pytest.raises(YAMLError):
        load_text('a: "\\ud800"\n')
    assert load_text('a: "\\ud800"\n', pure=True)[0] == {"a": "\ud800"}


@pytest.mark.parametrize("path", YAML_FILES, ids=[path.name for path in YAML_FILES])
def they_read_every_yaml_file_of_the_project_alike(path):
    text = path.read_bytes().decode("utf-8", "replace")
    try:
        expected, expected_lines = load_text(text, pure=True)
    except (YAMLError, ValueError):
        pytest.skip("the pure-Python parser refuses this file (its errors are tested in test_bad_input)")
    try:
        document, lines = load_text(text)
    except (YAMLError, ValueError):
        # libyaml refuses more (surrogate escapes): read_yaml then uses the pure parser's reading.
        document, lines = read_yaml(path, path.name)
    assert _same(document, expected)
    assert _lines(document, lines) == _lines(expected, expected_lines)


def it_reads_dates_as_the_text_they_are_written_as():
    document, _ = load_text("day: 2024-06-31\nwhen: 2020-01-23\n")
    assert document == {"day": "2024-06-31", "when": "2020-01-23"}


def it_gives_each_key_and_item_its_own_line():
    text = (
        "report:\n"              # 1
        "  id: x\n"              # 2
        "  title: {zh: 题, en: T}\n"  # 3
        "facts:\n"               # 4
        "  - id: a\n"            # 5
        "    value: 1\n"         # 6
        "  -\n"                  # 7
        "    id: b\n"            # 8
        "    value: [1,\n"       # 9
        "      2]\n"             # 10
    )
    document, lines = load_text(text)
    assert lines.line_of(["report", "title", "en"]) == 3
    assert lines.line_of(["facts", 0]) == 5
    assert lines.line_of(["facts", 0, "value"]) == 6
    assert lines.line_of(["facts", 1, "id"]) == 8
    assert lines.line_of(["facts", 1, "value", 1]) == 10
    # A missing field is reported where the mapping that should hold it is.
    assert lines.line_of(["facts", 1, "unit"]) == 8
    assert lines.line_of(["facts", 7]) == 4
    assert lines.line_of(["nowhere"]) == 1


def it_names_the_line_of_a_key_written_as_a_number():
    document, lines = load_text("units:\n  users: x\n  2020: y\n")
    assert document == {"units": {"users": "x", 2020: "y"}}
    assert lines.line_of(["units", 2020]) == 3


def it_keeps_the_pure_parsers_precise_message_for_a_syntax_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_yaml(path, "bad.yaml")
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert "but got ':'" in problem.message  # libyaml says only "did not find expected ',' or ']'"


def it_lists_the_scalars_of_a_file_libyaml_refuses():
    # libyaml refuses a surrogate escape outright; the doctor still reads the text.
    assert scalars('a: "x\\ud83d\\ude00"\nb: [c, 2]\n') == ["a", "x\ud83d\ude00", "b", "c", "2"]


# Keys and scalars the dataset format uses: strings of any printable text, numbers, booleans.
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029"),
                max_size=12)
_scalar = st.one_of(
    _text, st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str),
)
_documents = st.recursive(
    _scalar,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_text, children, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(document=st.dictionaries(_text, _documents, min_size=1, max_size=4), flow=st.booleans())
def they_read_any_dumped_document_alike(document, flow):
    yaml = YAML(typ="safe")
    yaml.default_flow_style = flow
    yaml.allow_unicode = True
    import io

    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = buffer.getvalue()
    expected, expected_lines = load_text(text, pure=True)
    read, lines = load_text(text)
    assert _same(read, expected)
    assert _lines(read, lines) == _lines(expected, expected_lines)
