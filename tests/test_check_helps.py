"""``make-report check`` helps: warnings and problems in line order, a suggestion that
wraps the whole form a number is written in, a last line that says verify would refuse
the output, and YAML syntax errors with a hint for their cause, several at once."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.dataset.yaml_lines import read_yaml
from reporting.errors import DataError

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"
LEAD = 'lead: {zh: "用户{users}。", en: "{users}."}'
PARAGRAPH = 'text: {zh: "增长{growth}，截至{users:date}。", en: "Up {growth} by {users:date}."}'


def _project(tmp_path: Path, text: str) -> Path:
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "report.toml").write_text('[project]\ndataset = "data.yaml"\n', encoding="utf-8")
    return tmp_path


def _edited(*pairs: tuple[str, str]) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _check(project: Path):
    return CliRunner().invoke(main, ["check", "--project", str(project)], catch_exceptions=False)


def it_prints_warnings_and_problems_by_line(tmp_path):
    # A warning on the lead, a problem (a character no font draws) on the paragraph, a
    # warning on the point after it: printed in that order, the problem among the warnings.
    text = _edited((LEAD, 'lead: {zh: "用户{users}，共77个。", en: "{users}, 77 of them."}'),
                   (PARAGRAPH, 'text: {zh: "增长{growth}\U00013000。", en: "Up {growth}."}'),
                   ('- {zh: "用户{users:number}", en: "{users}"}', '- {zh: "用户{users:number}，88项", en: "{users}, 88"}'))
    result = _check(_project(tmp_path, text))
    assert result.exit_code == 1, result.output
    found = [(int(m[1]), m[2]) for m in re.finditer(r"data\.yaml:(\d+): [^\n]*?(warning|draws)", result.output)]
    assert [kind for _, kind in found] == ["warning", "warning", "draws", "warning", "warning"], result.output
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    assert result.stderr.strip().endswith("check: 1 problem, 4 warnings")


def it_suggests_wrapping_the_whole_form_once(tmp_path):
    text = _edited((LEAD, 'lead: {zh: "用户{users}，2024至25年度。", en: "{users} in 2023/24."}'))
    warnings = [str(w) for w in load_dataset(_project(tmp_path, text) / "data.yaml").warnings]
    assert len(warnings) == 2, warnings  # one for each form, not one for each number in it
    assert warnings[0].endswith("'2024' is typed into the text but is no figure of the dataset; give the figure "
                                "as a {fact} placeholder, or mark words holding a number as {=2024至25}")
    assert warnings[1].endswith("or mark words holding a number as {=2023/24}")


def it_says_verify_will_refuse_instead_of_ok(tmp_path):
    text = _edited((LEAD, 'lead: {zh: "用户{users}，共77个。", en: "{users}."}'))
    result = _check(_project(tmp_path, text))
    assert result.exit_code == 0, result.output  # the project still builds
    last = result.output.splitlines()[-1]
    assert last == ("1 warning: the project builds, but make-report verify will refuse an output showing "
                    "this number (checked 3 facts, 1 section, 1 chart, 0 audiences, 0 templates)")
    assert "ok:" not in result.output


def it_hints_at_each_unquoted_brace_and_goes_on(tmp_path):
    text = _edited(
        (LEAD, "lead: {=2024至25}年度用户{users}"),                               # a text starting with a placeholder
        (PARAGRAPH, 'text: {zh: 增长{growth}, en: "Up {growth} by {users:date}."}'),  # a { inside {zh: …}
    )
    lines = text.splitlines()
    lead = next(n for n, line in enumerate(lines, 1) if "{=2024至25}" in line)
    paragraph = next(n for n, line in enumerate(lines, 1) if "增长{growth}, en" in line)
    result = _check(_project(tmp_path, text))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"data.yaml:{lead}: YAML syntax error: " in result.output
    assert ("a text starting with '{' must be quoted, since YAML reads '{' as the start of a mapping: "
            "write \"{=2024至25}年度用户{users}\"") in result.output
    assert f"data.yaml:{paragraph}: YAML syntax error: " in result.output
    assert "a '{' inside unquoted text in {zh: …, en: …} starts another mapping: quote that text" in result.output
    assert "check: 2 problems" in result.stderr


def it_stops_at_an_error_of_unknown_cause(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: {=x}y\nb: [1, 2\nc: {=z}w\n", encoding="utf-8")
    try:
        read_yaml(path, "bad.yaml")
    except DataError as error:
        problems = error.problems
    else:
        raise AssertionError("read")
    # The first has a known cause; the second (a list left open on line 2, found on line 3)
    # has none: no hint blaming line 3's brace, and nothing after it.
    assert [p.line for p in problems] == [1, 3]
    assert "must be quoted" in problems[0].message
    assert problems[1].message == ("YAML syntax error: while parsing a flow sequence expected ',' or ']', "
                                   "but got ':'")
