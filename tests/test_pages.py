"""The brief's pages as a communications team would send them out: measured from the PDFs
(tests/page_checks.py) for the shipped brief in every edition and audience and both
examples in every audience, on A4 and on Letter.

Per brief: at most one page (the last aside) whose content ends more than 35% of the text
area above the bottom margin or that has an empty band taller than that; at most 3% of the
characters under 7.5 pt and none under 6.5 pt (markers aside); no figure printed more
than 4 times; summary audiences at most 4 pages; contents page numbers where the sections
start; each page's running head naming a section on the page or continuing onto it.

The A4 briefs are the ones the shipped and example tests build (shared through
tests/once_per_run.py); the Letter ones are built once per run here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cli_batches
import page_checks
from once_per_run import once_per_run
from test_examples import AUDIENCES, DATASET, EXAMPLES, _build as build_examples

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"
SHIPPED_AUDIENCES = ("executive", "press", "partners", "public_welfare")
EDITIONS = ("bilingual", "en-zh", "zh", "en")

UNIVERSITY = "university-annual-report"
"""An example written from the docs alone after the page checks were (its A4 and Letter
briefs are built here: tests/test_examples.py builds the other two)."""
UNIVERSITY_AUDIENCES = ("governors", "public", "partners_china")

BRIEFS = ([("shipped", audience) for audience in SHIPPED_AUDIENCES]
          + [("shipped", edition) for edition in EDITIONS]
          + [(example, audience) for example in DATASET for audience in AUDIENCES[example]]
          + [(UNIVERSITY, audience) for audience in UNIVERSITY_AUDIENCES])
"""(project, audience or edition of the default report)."""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _build_letter(folder: Path) -> dict[str, str]:
    """Every brief of :data:`BRIEFS` on Letter: one process for the shipped project's, one
    for the examples', at once."""
    shipped = [["--project", str(ROOT), "--format", "pdf", "--page-size", "Letter", "--out", str(folder / "shipped"),
                *args] for args in (["--audience", "all"], *(["--lang", edition] for edition in EDITIONS))]
    examples = [["--project", str(EXAMPLES / example), "--format", "pdf", "--page-size", "Letter",
                 "--out", str(folder / example), "--audience", "all"] for example in DATASET]
    examples += [["--project", str(EXAMPLES / UNIVERSITY), "--format", "pdf", "--page-size", size,
                  "--out", str(folder / f"{UNIVERSITY}-{size}"), "--audience", "all"] for size in ("A4", "Letter")]
    running = [cli_batches.start(commands, env=_env(), cwd=ROOT) for commands in (shipped, examples)]
    for process in running:
        cli_batches.finish(process)
    return {"folder": str(folder)}


def _find(folder: Path, audience: str, edition: str | None = None) -> Path:
    pattern = f"*_{audience}_{edition}.pdf" if edition else f"*_{audience}_*.pdf"
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"{pattern} in {folder}: {found}"
    return found[0]


@pytest.fixture(scope="session")
def briefs(shipped, tmp_path_factory, _private_cache) -> dict[tuple[str, str, str], tuple[Path, Path]]:
    """(project, audience or edition, page size) -> (the PDF, its dataset)."""
    letter = Path(once_per_run(tmp_path_factory, "pages-letter", _build_letter)["folder"])
    examples = once_per_run(tmp_path_factory, "examples", build_examples)
    found: dict[tuple[str, str, str], tuple[Path, Path]] = {}
    for project, which in BRIEFS:
        if project == "shipped":
            a4 = (shipped.audiences[which][".pdf"] if which in SHIPPED_AUDIENCES
                  else shipped.editions[which][".pdf"])
            us = (_find(letter / "shipped", which) if which in SHIPPED_AUDIENCES
                  else _find(letter / "shipped", "default", which))
            dataset = SHIPPED_DATASET
        elif project == UNIVERSITY:
            a4 = _find(letter / f"{UNIVERSITY}-A4", which)
            us = _find(letter / f"{UNIVERSITY}-Letter", which)
            dataset = EXAMPLES / UNIVERSITY / "lakeside-2024.yaml"
        else:
            a4 = _find(Path(examples[f"{project}/audiences"]), which)
            us = _find(letter / project, which)
            dataset = EXAMPLES / project / f"{DATASET[project]}.yaml"
        found[project, which, "A4"] = (a4, dataset)
        found[project, which, "Letter"] = (us, dataset)
    return found


_MEASURES: dict[Path, page_checks.Measure] = {}


def measured(briefs, key) -> page_checks.Measure:
    pdf, dataset = briefs[key]
    if pdf not in _MEASURES:
        _MEASURES[pdf] = page_checks.measure(pdf, dataset)
    return _MEASURES[pdf]


@pytest.mark.parametrize("size", ["A4", "Letter"])
@pytest.mark.parametrize("project,which", BRIEFS, ids=[f"{p}-{w}" for p, w in BRIEFS])
def it_lays_out_every_page_of_the_brief(briefs, project, which, size):
    measure = measured(briefs, (project, which, size))
    assert page_checks.problems(measure) == [], measure.summary()
