"""``make-report check``: every problem of dataset, config and templates at once, nothing built."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.cli import main
from reporting.project.check import check_project
from reporting.project.config import load_config
from reporting.resources import builtin_project_config, data_dir

HERE = Path(__file__).parent
CORPUS = sorted((HERE / "bad_datasets").glob("*.yaml"))
MINIMAL = HERE / "fixtures" / "minimal.yaml"
EXPECT = re.compile(r"^# expect: (-|\d+): ([^:]*): (.+)$")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def it_prints_one_ok_line_for_the_shipped_project():
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "ok: 40 facts, 5 sections, 7 charts, 4 audiences, 1 template"


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def it_prints_every_problem_of_a_bad_dataset_with_file_and_line(path, tmp_path):
    project = _project(tmp_path, path)
    result = run("check", "--project", str(project))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        match = EXPECT.match(line)
        if match:
            number, field, fragment = match.groups()
            where = path.name if number == "-" else f"{path.name}:{number}"
            pattern = re.escape(where) + ":" + (f" {re.escape(field.strip())}:" if field.strip() else "") \
                + ".*" + re.escape(fragment.strip())
            assert re.search(pattern, result.output), f"{pattern!r} not in\n{result.output}"
    assert not (project / "out").exists()


def _project(tmp_path: Path, dataset: Path, config: str = "") -> Path:
    """A project folder holding ``dataset`` and a report.toml naming it, plus ``config``."""
    project = tmp_path / "p"
    project.mkdir()
    shutil.copyfile(dataset, project / dataset.name)
    (project / "report.toml").write_text(f'[project]\ndataset = "{dataset.name}"\n{config}', encoding="utf-8")
    return project


def it_reports_config_and_template_problems_together_with_the_datasets(tmp_path):
    config = """templates = "tpl"

[audiences.board]
description = "Board"
sections = ["overview", "nowhere"]
key_figures = ["users", "ghost"]
theme = "missing"
pptx_template = "corporate.pptx"
templates = "tpl/board"
"""
    data = tmp_path / "data.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("value: 2500000", "value: lots", 1)
    assert text != MINIMAL.read_text(encoding="utf-8")
    data.write_text(text, encoding="utf-8")
    project = _project(tmp_path, data, config)
    (project / "tpl/brief").mkdir(parents=True)
    (project / "tpl/brief/brief.html").write_text(
        '{% extends "brief/base.html" %}\n{% block cover_note %}\n{% if x %}oops\n{% endblock %}\n', encoding="utf-8")
    (project / "tpl/brief/partials").mkdir()
    (project / "tpl/brief/partials/extra.html").write_text(
        'fine\n{% include "brief/partials/nothere.html" %}\n', encoding="utf-8")
    result = run("check", "--project", str(project))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(re.match(r".*data\.yaml:\d+: facts\[0\]\.value: .*number", line) for line in lines), lines
    assert any(re.match(r".*report\.toml:\d+: audiences\.board\.templates: folder not found", line)
               for line in lines), lines
    assert any(re.match(r".*report\.toml:\d+: audiences\.board\.theme: unknown theme 'missing'", line)
               for line in lines), lines
    assert any(re.match(r".*report\.toml:\d+: audiences\.board\.pptx_template: file not found", line)
               for line in lines), lines
    assert any(re.match(r".*brief\.html:4: template syntax error: .*endblock", line) for line in lines), lines
    assert any(re.match(r".*extra\.html:2: template 'brief/partials/nothere.html' not found", line)
               for line in lines), lines
    assert "check: 6 problems" in result.output


def it_names_audience_sections_and_facts_the_dataset_lacks(tmp_path):
    project = _project(tmp_path, MINIMAL, """
[audiences.board]
description = "Board"
sections = ["overview", "nowhere"]
key_figures = ["users", "ghost"]
""")
    result = check_project(load_config(project / "report.toml"))
    shown = [str(problem) for problem in result.problems]
    assert len(shown) == 2, shown
    assert re.match(r".*report\.toml:6: audiences\.board\.sections: the dataset has no section 'nowhere'; "
                    r"its sections: overview", shown[0]), shown
    assert re.match(r".*report\.toml:7: audiences\.board\.key_figures: the dataset has no fact 'ghost'", shown[1])


def it_finds_characters_no_font_of_the_theme_draws(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text(MINIMAL.read_text(encoding="utf-8").replace("en: Acme", "en: Acme 𓀀", 1), encoding="utf-8")
    assert "𓀀" in data.read_text(encoding="utf-8")
    project = _project(tmp_path, data)
    result = check_project(load_config(project / "report.toml"))
    [problem] = result.problems
    assert problem.file.endswith("data.yaml") and problem.line is not None
    assert "U+13000" in problem.message and "theme 'default'" in problem.message


def it_checks_the_built_in_project_quickly_enough_to_run_on_save():
    """The counts come from what was read: the shipped project, loaded as a build would."""
    result = check_project(load_config(builtin_project_config()))
    assert result.ok, result.problems
    assert result.counts["facts"] == 40 and result.counts["audiences"] == 4


def it_says_the_doctor_is_about_the_machine_when_asked_about_a_dataset(tmp_path):
    bad = HERE / "bad_datasets" / "wrong_type.yaml"
    result = run("doctor", "--data", str(bad))
    assert "make-report check --data" in result.output
    assert "checks this machine" in result.output


def it_refuses_a_dataset_that_is_not_there_as_misuse(tmp_path):
    result = run("check", "--data", str(tmp_path / "nothing.yaml"))
    assert result.exit_code == 2
    assert "dataset not found" in result.output


def it_names_an_asset_folder_that_is_not_there(tmp_path):
    project = _project(tmp_path, MINIMAL, 'assets = ["images", "fonts"]\n')
    (project / "images").mkdir()
    result = run("check", "--project", str(project))
    assert result.exit_code == 1
    assert re.search(r"report\.toml:3: project\.assets\[1\]: folder not found: .*fonts", result.output), result.output
    assert "images" not in result.output.replace("project.assets", "")


def it_names_a_refused_value_once():
    result = run("check", "--data", str(HERE / "bad_datasets" / "bad_date_words.yaml"))
    [line] = [line for line in result.output.splitlines() if "facts[0].date" in line]
    assert line.count("got") == 1 and line.count("January 2024") == 1, line
