"""Fixtures of the preview tests: a project made by ``make-report init``, and previews
started on it that the test ends, whatever happens (see preview_helpers.Preview)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from preview_helpers import Preview


@pytest.fixture(scope="module")
def project_template(tmp_path_factory) -> Path:
    """A project made by ``make-report init``, copied by each test that edits it."""
    folder = tmp_path_factory.mktemp("init") / "brief"
    subprocess.run([sys.executable, "-m", "reporting", "init", str(folder)], check=True, capture_output=True)
    return folder


@pytest.fixture
def project(project_template, tmp_path) -> Path:
    import shutil

    folder = tmp_path / "brief"
    shutil.copytree(project_template, folder)
    return folder


@pytest.fixture
def start_preview(tmp_path):
    """``start_preview(project, *args)``: a running preview, ended after the test."""
    started: list[Preview] = []

    def start(project: Path, *args: str) -> Preview:
        preview = Preview(project, *args, log=tmp_path / f"preview-{len(started)}.log")
        started.append(preview)
        return preview

    yield start
    for preview in started:
        preview.stop()


@pytest.fixture(scope="module")
def read_only_preview(project_template, tmp_path_factory) -> Preview:
    """One preview of the project as ``init`` made it, for the tests that only ask it
    things (never edit the project): started once per module, ended after it."""
    preview = Preview(project_template, log=tmp_path_factory.mktemp("preview") / "preview.log")
    yield preview
    preview.stop()
