"""The dataset loader: the shipped dataset validates; every kind of bad input is
reported with file, line and field, all problems at once."""

import json
from pathlib import Path

import pytest

from reporting.errors import DataError, UsageError
from reporting.dataset.facts import json_schema
from reporting.dataset.load import load_dataset
from reporting.resources import data_dir

FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = data_dir() / "xiaohongshu-2020.yaml"


def broken(tmp_path: Path, old: str, new: str, base: Path = FIXTURES / "minimal.yaml") -> Path:
    text = base.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path = tmp_path / "data.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    return caught.value.problems


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def it_validates_the_shipped_dataset():
    loaded = load_dataset(SHIPPED)
    assert len(loaded.dataset.facts) >= 30
    assert loaded.values["wuhan_interactions"] == 7_680_000
    # derived figures are computed, not typed
    assert loaded.values["batch3_total"] == 3000 + 600 + 2300
    assert loaded.dates["batch3_suits"].iso() == "2020-02-26"
    assert loaded.values["brand_discussions_2019"] == 1_400_000_000


def it_publishes_an_up_to_date_json_schema():
    published = json.loads((data_dir() / "dataset.schema.json").read_text(encoding="utf-8"))
    assert published == json_schema(), "run: make-report schema data/dataset.schema.json"
    assert "facts" in published["properties"]


def it_names_file_line_and_field_of_a_wrong_type(tmp_path):
    path = broken(tmp_path, "value: 2500000", "value: lots")
    [problem] = problems_of(path)
    assert problem.file.endswith("data.yaml")
    assert problem.line == line_of(path, "value: lots")
    assert problem.field == "facts[0].value"
    assert "number" in problem.message


def it_reports_a_missing_translation(tmp_path):
    path = broken(tmp_path, "label: {zh: 增长, en: growth}", "label: {zh: 增长}")
    [problem] = problems_of(path)
    assert problem.field == "facts[1].label.en"
    assert "missing translation" in problem.message
    assert problem.line == line_of(path, "label: {zh: 增长}")


def it_reports_an_unknown_key(tmp_path):
    path = broken(tmp_path, "    qualifier: over\n", "    qualifier: over\n    colour: red\n")
    [problem] = problems_of(path)
    assert problem.field == "facts[0].colour"
    assert "unknown field" in problem.message
    assert problem.line == line_of(path, "colour: red")


def it_rejects_a_negative_count(tmp_path):
    path = broken(tmp_path, "value: 2500000", "value: -5")
    [problem] = problems_of(path)
    assert problem.field == "facts[0].value"
    assert "negative" in problem.message


def it_reports_duplicate_ids(tmp_path):
    path = broken(tmp_path, "  - id: growth", "  - id: users")
    messages = [p.message for p in problems_of(path)]
    assert any("duplicate fact id 'users'" in m for m in messages)


def it_reports_a_reference_to_a_missing_fact_with_a_suggestion(tmp_path):
    path = broken(tmp_path, "key_figures: [users, growth]", "key_figures: [users, grwth]")
    [problem] = problems_of(path)
    assert problem.field == "key_figures[1]"
    assert "'grwth'" in problem.message and "did you mean 'growth'" in problem.message


def it_reports_a_placeholder_naming_a_missing_fact(tmp_path):
    path = broken(tmp_path, 'lead: {zh: "用户{users}。"', 'lead: {zh: "用户{userz}。"')
    [problem] = problems_of(path)
    assert problem.field == "sections[0].lead.zh"
    assert "'userz'" in problem.message


def it_reports_yaml_syntax_errors_with_their_line(tmp_path):
    path = broken(tmp_path, "  - id: growth\n", "  - id: growth\n   bad: [\n")
    [problem] = problems_of(path)
    assert "YAML syntax error" in problem.message
    assert problem.line is not None and problem.line >= line_of(path, "bad: [")


def it_reports_every_problem_at_once(tmp_path):
    path = broken(tmp_path, "value: 2500000", "value: lots")
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: {zh: 增长, en: growth}", "label: {en: growth}"),
        encoding="utf-8",
    )
    fields = {p.field for p in problems_of(path)}
    assert {"facts[0].value", "facts[1].label.zh"} <= fields


def it_checks_a_given_derived_value_against_its_derivation(tmp_path):
    path = broken(tmp_path, "  - id: users_2023\n", "  - id: users_2023\n    value: 99\n")
    [problem] = problems_of(path)
    assert problem.field == "facts[2].value"
    assert "derivation gives" in problem.message


def it_treats_a_missing_dataset_as_misuse(tmp_path):
    with pytest.raises(UsageError, match="dataset not found"):
        load_dataset(tmp_path / "nope.yaml")


def it_formats_problems_as_file_line_field_message(tmp_path):
    path = broken(tmp_path, "value: 2500000", "value: lots")
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    first = str(caught.value).splitlines()[1].strip()
    assert first.startswith(f"{path}:{line_of(path, 'value: lots')}: facts[0].value:")
