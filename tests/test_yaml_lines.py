"""The YAML reader: libyaml and the pure-Python parser read the same documents, lines included.

Datasets are parsed by libyaml (ruamel.yaml.clib) for speed, and by the pure-Python
parser where libyaml refuses a file, for its messages. Both must give the same
document and the same line for every field, or a problem's line would depend on
which parser read the file.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from reporting.errors import DataError
from reporting.dataset.sanitize import walk
from reporting.dataset.yaml_lines import MAX_DEPTH, libyaml_available, libyaml_reads_alike, load_text, read_yaml, scalars

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


def _only_problem(tmp_path: Path, text: str):
    """The one problem ``read_yaml`` raises for a file holding ``text``."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_yaml(path, "bad.yaml")
    (problem,) = caught.value.problems
    return problem


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
    assert libyaml_reads_alike(text)  # else both readings below would be the pure parser's
    try:
        expected, expected_lines = load_text(text, pure=True)
    except (YAMLError, ValueError, DataError):
        pytest.skip("the pure-Python parser refuses this file (its errors are tested in test_bad_input)")
    try:
        document, lines = load_text(text)
    except (YAMLError, ValueError):
        pytest.skip("libyaml refuses this file (tested below)")
    assert _same(document, expected)
    assert _lines(document, lines) == _lines(expected, expected_lines)


@pytest.mark.parametrize("name", ["lone_surrogate", "surrogate_pair"])
def it_reads_a_file_libyaml_refuses_as_the_pure_parser_does(name):
    path = ROOT / "tests" / "bad_datasets" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(YAMLError):
        load_text(text)
    document, lines = read_yaml(path, name)
    expected, expected_lines = load_text(text, pure=True)
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


def it_names_the_line_of_a_key_that_is_not_text():
    text = "units:\n  a: x\n  0x10: y\n  1e3: w\n  1.50: v\n  ~: n\n  false: f\n  '1': q\n  1: r\n"
    document, lines = load_text(text)
    assert list(document["units"]) == ["a", 16, 1000.0, 1.5, None, False, "1", 1]
    assert [lines.line_of(["units", key]) for key in document["units"]] == [2, 3, 4, 5, 6, 7, 8, 9]


def it_reports_a_missing_top_level_field_on_line_1():
    _, lines = load_text("# a comment\n\nschema_version: 1\n")
    assert lines.line_of(["report"]) == 1


def it_finds_keys_brought_in_by_a_merge_key_where_they_are_written():
    text = "base: &base\n  x: 1\n  y: 2\nitem:\n  <<: *base\n  z: 3\n"
    document, lines = load_text(text)
    expected, expected_lines = load_text(text, pure=True)
    assert document == expected == {"base": {"x": 1, "y": 2}, "item": {"x": 1, "y": 2, "z": 3}}
    assert lines.line_of(["item", "y"]) == 3 and lines.line_of(["item", "z"]) == 6
    assert _lines(document, lines) == _lines(expected, expected_lines)


def it_honours_a_yaml_1_1_directive_as_the_pure_parser_does():
    text = "%YAML 1.1\n---\nmode: 0777\nattach: yes\nspan: 1:30\n"
    assert not libyaml_reads_alike(text)  # libyaml would read 777, 'yes' and '1:30'
    assert load_text(text)[0] == load_text(text, pure=True)[0] == {"mode": 511, "attach": True, "span": 90}


def it_keeps_line_numbers_after_a_line_separator_in_a_string():
    # libyaml counts U+2028, U+2029 and U+0085 as line breaks; YAML 1.2 does not.
    text = "t: 'x\u2028y\u2029z'\nu: 1\n"
    document, lines = load_text(text)
    assert document == {"t": "x\u2028y\u2029z", "u": 1}
    assert lines.line_of(["u"]) == 2


@pytest.mark.parametrize("text, line", [
    ("a: " + "[" * 1000 + "]" * 1000 + "\n", 1),
    ("a:\n" + "".join("  " * depth + "- \n" for depth in range(1, 150)) + "  " * 150 + "- x\n", 1 + MAX_DEPTH),
    ("a: 1\nb: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n", 2),
])
def it_refuses_lists_and_mappings_nested_too_deep_with_their_line(tmp_path, text, line):
    problem = _only_problem(tmp_path, text)
    assert (problem.line, problem.message) == (line, f"lists and mappings nested more than {MAX_DEPTH} deep")


def it_refuses_an_alias_inside_what_it_names():
    with pytest.raises(DataError) as caught:
        load_text("units: {}\nkey_figures: &k\n  - users\n  - *k\n", shown="x.yaml")
    (problem,) = caught.value.problems
    assert problem.line == 4 and "alias *k stands for a list or mapping that contains it" in problem.message


def it_ends_a_build_of_a_file_nested_a_hundred_thousand_deep_with_a_message(tmp_path):
    # libyaml's composer recurses in C: without the depth check this process would crash.
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "reporting", "--data", str(path), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"deep.yaml:1: lists and mappings nested more than {MAX_DEPTH} deep" in result.stderr
    assert "Traceback" not in result.stderr


def it_names_a_tag_the_dataset_format_has_no_use_for(tmp_path):
    problem = _only_problem(tmp_path, "schema_version: 1\nreport: !meta {a: 1}\n")
    assert problem.line == 2
    assert "YAML value cannot be read: could not determine a constructor for the tag '!meta'" in problem.message


def it_keeps_the_pure_parsers_precise_message_for_a_syntax_error(tmp_path):
    problem = _only_problem(tmp_path, "a: [1, 2\nb: 3\n")
    assert problem.line == 2
    assert "but got ':'" in problem.message  # libyaml says only "did not find expected ',' or ']'"


def it_lists_the_scalars_of_a_file_libyaml_refuses():
    # libyaml refuses a surrogate escape outright; the doctor still reads the text.
    assert scalars('a: "x\\ud83d\\ude00"\nb: [c, 2]\n') == ["a", "x\ud83d\ude00", "b", "c", "2"]


# Any text a YAML file can hold (surrogates cannot be written as UTF-8); NEL, LS and PS
# included, which send the file to the pure-Python parser.
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
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
@given(document=st.dictionaries(st.one_of(_text, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                                           st.floats(allow_nan=False)),
                                 _documents, min_size=1, max_size=4),
       flow=st.booleans())
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
