"""``make-report init DIR --data FILE`` and ``--blank``: a project around the user's own data."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.project.config import load_config
from reporting.resources import data_dir

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def audiences_of(project: Path) -> dict:
    return load_config(project / "report.toml").raw["audiences"]


def it_makes_audiences_from_the_datasets_own_sections_and_figures(tmp_path):
    project = tmp_path / "p"
    result = run("init", str(project), "--data", str(MINIMAL))
    assert result.exit_code == 0, result.output
    audiences = audiences_of(project)
    assert list(audiences) == ["summary", "full", "chinese", "english"]
    assert {name: spec["edition"] for name, spec in audiences.items()} == {
        "summary": "bilingual", "full": "bilingual", "chinese": "zh", "english": "en"}
    assert all(spec["sections"] == ["overview"] for spec in audiences.values())
    assert audiences["summary"]["key_figures"] == ["users", "growth"]
    assert audiences["summary"]["depth"] == "summary"
    assert audiences["summary"]["cover"]["title"] == {"zh": "年度简报：摘要", "en": "Annual brief: summary"}
    assert (project / "data/minimal.yaml").read_text(encoding="utf-8") == MINIMAL.read_text(encoding="utf-8")
    for name in ("data/dataset.schema.json", "templates/audiences/summary/brief/brief.html",
                 "templates/brief/custom.css", "templates/brief/brief.html", "README.md"):
        assert (project / name).is_file(), name
    check = run("check", "--project", str(project))
    assert check.exit_code == 0, check.output
    assert check.output.strip() == "ok: 3 facts, 1 section, 1 chart, 4 audiences, 2 templates"


def it_starts_a_blank_project_from_a_commented_dataset_that_checks(tmp_path):
    project = tmp_path / "p"
    assert run("init", str(project), "--blank").exit_code == 0
    dataset = project / "data/starter.yaml"
    text = dataset.read_text(encoding="utf-8")
    assert text.count("\n#") + text.count("  # ") > 10, "the starter dataset explains itself"
    loaded = load_dataset(dataset)
    ds = loaded.dataset
    assert ds.units and len(ds.facts) >= 3 and any(fact.derived for fact in ds.facts)
    assert any(section.charts for section in ds.sections) and ds.timeline.events and ds.sources
    result = run("check", "--project", str(project))
    assert result.exit_code == 0, result.output


def it_names_the_command_a_new_user_can_run_in_the_projects_readme(tmp_path):
    project = tmp_path / "p"
    assert run("init", str(project), "--data", str(MINIMAL)).exit_code == 0
    readme = (project / "README.md").read_text(encoding="utf-8")
    [first] = re.findall(r"^    (.+?) --audience all --format all", readme, re.M)
    # As typed in a shell from the project folder (not relying on a PATH the set-up did not change).
    completed = subprocess.run([*shlex.split(first), "audiences"], cwd=project, capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert "summary" in completed.stdout and "english" in completed.stdout


def _dataset_with_sheet(folder: Path, sheet: str) -> Path:
    """``folder`` holding the minimal dataset with its facts in ``sheet`` (.xlsx or .csv) beside it."""
    from reporting.pipeline.exports import export_facts

    folder.mkdir()
    export_facts(load_dataset(MINIMAL).dataset.facts, folder / sheet)
    text = MINIMAL.read_text(encoding="utf-8")
    start, end = text.index("\nfacts:"), text.index("\nkey_figures:")
    (folder / "acme.yaml").write_text(text[:start] + f"\nfacts_from: {sheet}" + text[end:], encoding="utf-8")
    return folder


def it_copies_the_spreadsheet_a_dataset_takes_its_facts_from(tmp_path):
    source = _dataset_with_sheet(tmp_path / "mine", "figures.xlsx")
    project = tmp_path / "p"
    assert run("init", str(project), "--data", str(source / "acme.yaml")).exit_code == 0
    assert (project / "data/figures.xlsx").is_file()
    assert run("check", "--project", str(project)).exit_code == 0


def it_refuses_a_dataset_that_does_not_load(tmp_path):
    result = run("init", str(tmp_path / "p"), "--data", str(HERE / "bad_datasets" / "wrong_type.yaml"))
    assert result.exit_code == 1
    assert "wrong_type.yaml:24: facts[0].value" in result.output
    assert not (tmp_path / "p").exists()


def it_refuses_data_and_blank_together(tmp_path):
    result = run("init", str(tmp_path / "p"), "--blank", "--data", str(MINIMAL))
    assert result.exit_code == 2


@pytest.mark.slow
@pytest.mark.parametrize("start", [["--data", str(MINIMAL)], ["--blank"]], ids=["data", "blank"])
def it_builds_every_audience_of_a_new_project_and_verifies_them(tmp_path, monkeypatch, start):
    project = tmp_path / "p"
    assert run("init", str(project), *start).exit_code == 0
    monkeypatch.chdir(project)
    result = run("--audience", "all", "--format", "all", "--jobs", "1")
    assert result.exit_code == 0, result.output
    outputs = sorted((project / "out").iterdir())
    assert len(outputs) == 12, outputs  # four audiences, PDF, HTML and deck each
    verified = run("verify", *map(str, outputs))
    assert verified.exit_code == 0, verified.output


def it_copies_the_spreadsheet_of_the_config_in_forces_dataset_too(tmp_path):
    source = _dataset_with_sheet(tmp_path / "mine", "figures.csv")
    (source / "report.toml").write_text('[project]\ndataset = "acme.yaml"\n', encoding="utf-8")
    project = tmp_path / "p"
    assert run("init", str(project), "--config", str(source / "report.toml")).exit_code == 0
    assert (project / "data/figures.csv").read_bytes() == (source / "figures.csv").read_bytes()
    assert run("check", "--project", str(project)).exit_code == 0
