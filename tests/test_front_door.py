"""What a newcomer tries first: the version, and checking a dataset kept on its own."""

import re
from pathlib import Path

from click.testing import CliRunner

from reporting.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd: Path):
    """``make-report ARGS`` run in folder ``cwd`` (the working folder decides the project)."""
    import os

    before = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(before)


def it_prints_its_version(tmp_path):
    from importlib.metadata import version

    result = run("--version", cwd=tmp_path)
    assert result.exit_code == 0
    assert re.fullmatch(r"make-report (\S+) \(Python 3\.\d+\.\d+\S*\)\n", result.output)
    assert result.output.split()[1] == version("reporting")


def it_checks_a_dataset_alone_outside_any_project(tmp_path):
    """No report.toml here: the sample project's audiences (which name the shipped dataset's
    sections) must not be held against another dataset."""
    result = run("check", "--data", str(ROOT / "data/starter.yaml"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert "audience" not in result.output and "report.toml" not in result.output


def it_still_reports_a_bad_dataset_alone(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "data/starter.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("facts:", "facts:\n  - id: 3bad\n", 1), encoding="utf-8")
    result = run("check", "--data", str(bad), cwd=tmp_path)
    assert result.exit_code == 1
    assert "bad.yaml:" in result.output and "report.toml" not in result.output


def it_checks_a_dataset_against_the_project_inside_one(tmp_path):
    """Inside a project the audiences still apply: the sample project's name sections the
    starter dataset does not have."""
    result = run("check", "--project", str(ROOT), "--data", str(ROOT / "data/starter.yaml"), cwd=tmp_path)
    assert result.exit_code == 1
    assert "report.toml" in result.output and "the dataset has no section" in result.output
