"""No third-party warning reaches the user: a chart whose labels and legend leave its plot
no room is laid out with fixed margins and named in our own message, and a clean build's
output holds no warning at all."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from reporting.charts.mpl import render_svg
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.model.theme import Theme

CHARTS = Path(__file__).parent / "fixtures" / "charts.yaml"


def it_draws_a_cramped_chart_without_matplotlibs_warning_and_names_it():
    spec = next(spec for spec in plan(load_dataset(CHARTS), "bilingual").charts if spec.kind == "stacked_column")
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        svg = render_svg(spec, Theme(), width_in=2.2, height_in=1.6, on_note=notes.append)
    assert svg.startswith("<?xml")
    assert len(notes) == 1
    assert notes[0].startswith(f"chart {spec.id!r} (")
    assert "leave the plot no room at 2.2 × 1.6 in" in notes[0] and "shorten the series names" in notes[0]
    roomy: list[str] = []
    render_svg(spec, Theme(), on_note=roomy.append)
    assert roomy == []


@pytest.mark.slow
def it_prints_no_warning_on_a_clean_build(tmp_path):
    result = subprocess.run(
        [sys.executable, "-W", "default", "-m", "reporting", "--data", str(CHARTS), "--format", "html",
         "--format", "pptx", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    assert len(result.stdout.splitlines()) == 2
