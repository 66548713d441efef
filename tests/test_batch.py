"""Several audiences at once (reporting.pipeline.batch): briefs shared between worker processes
while this process writes the decks; the same bytes as building one after another; an
audience that fails changes none of its files and stops no other."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path

import pytest

from reporting.project.audiences import Audience
from reporting.pipeline.batch import build_audiences
from reporting.pipeline.build import BuildOptions, Builder
from reporting.errors import AssetError, TemplateError
from reporting.pipeline.forked import fork_available, usable_cpus
from reporting.pipeline.pdfworker import PdfWorker

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
ALL = ("pdf", "html", "pptx")

pytestmark = [pytest.mark.slow, pytest.mark.forks]  # builds; forks workers from this process


@pytest.fixture
def parallel_build():
    if "fork" not in multiprocessing.get_all_start_methods() or usable_cpus() < 2:
        pytest.skip("needs fork and two CPUs")
    assert fork_available(), "this process runs threads: the briefs would be written in turn"


def audiences(out: Path, count: int = 3) -> list[Audience]:
    """``count`` audiences of the minimal dataset: editions and depths that differ."""
    shapes = [("bilingual", "full"), ("en", "full"), ("zh", "summary"), ("bilingual", "summary")]
    from reporting.lang.editions import Edition

    return [Audience(f"a{index}", "", BuildOptions(formats=ALL, out_dir=out, audience=f"a{index}",
                                                   edition=Edition(edition), depth=depth, source_date_epoch=0))
            for index, (edition, depth) in enumerate(shapes[:count])]


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def it_writes_the_same_bytes_as_building_one_audience_after_another(parallel_build, tmp_path):
    """Three audiences, two workers: the third brief waits for a worker to be free."""
    done = []
    outcomes = build_audiences(MINIMAL, audiences(tmp_path / "batch"), jobs=2,
                               on_done=lambda finished, total, outcome: done.append((finished, total)))
    assert [outcome.error for outcome in outcomes] == [None, None, None]
    assert [outcome.audience for outcome in outcomes] == ["a0", "a1", "a2"]  # the order given
    assert sorted(done) == [(1, 3), (2, 3), (3, 3)]
    assert all(outcome.result.parallel_stages == ("pdf",) for outcome in outcomes)
    with Builder(parallel=False) as builder:
        for audience in audiences(tmp_path / "in_turn"):
            builder.build(MINIMAL, audience.options)
    assert files(tmp_path / "batch") == files(tmp_path / "in_turn")
    assert len(files(tmp_path / "batch")) == 9  # no scratch file left


def it_builds_everything_in_this_process_with_one_job(parallel_build, tmp_path, monkeypatch):
    import reporting.pipeline.pdfworker

    def no_worker(*args, **kwargs):
        raise AssertionError("--jobs 1 forks no worker")

    monkeypatch.setattr(reporting.pipeline.pdfworker, "ForkedWorker", no_worker)
    outcomes = build_audiences(MINIMAL, audiences(tmp_path, 2), jobs=1)
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert all(outcome.result.parallel_stages == () and outcome.result.pages for outcome in outcomes)


def it_publishes_the_good_audiences_and_nothing_of_a_failing_one(parallel_build, tmp_path):
    """One audience's brief fails in its worker, another's deck fails here: their earlier
    outputs stay as they were, and the others are published."""
    out = tmp_path / "out"
    first = build_audiences(MINIMAL, audiences(out), jobs=2)
    assert [outcome.error for outcome in first] == [None, None, None]
    before = files(out)
    templates = tmp_path / "templates"
    (templates / "brief").mkdir(parents=True)
    (templates / "brief" / "brief.html").write_text(  # links out: refused by the brief
        '{% extends "brief/base.html" %}{% block cover_note %}<img src="https://example.com/x.png" alt="">'
        "{% endblock %}", encoding="utf-8")
    bogus = tmp_path / "corporate.pptx"
    bogus.write_text("not a zip")
    a0, a1, a2 = (replace(audience, options=replace(audience.options, source_date_epoch=86400 * 365))
                  for audience in audiences(out))
    a0 = replace(a0, options=replace(a0.options, template_dirs=(templates,)))
    a2 = replace(a2, options=replace(a2.options, pptx_template=bogus))
    outcomes = build_audiences(MINIMAL, [a0, a1, a2], jobs=2)
    assert isinstance(outcomes[0].error, AssetError) and "https://example.com/x.png" in str(outcomes[0].error)
    assert outcomes[1].error is None
    assert isinstance(outcomes[2].error, TemplateError)
    after = files(out)
    assert after.keys() == before.keys()  # no scratch file left
    changed = {name for name in before if before[name] != after[name]}
    # a1's brief and deck carry the new date (its preview does not); nothing of a0's or a2's changed
    assert changed == {"acme-2024_a1_en.pdf", "acme-2024_a1_en.pptx"}


def it_uses_workers_the_caller_started_and_leaves_them_running(parallel_build, tmp_path):
    with PdfWorker(processes=2) as workers:
        workers.start_all()
        started = list(workers.alive)
        assert len(started) == 2
        outcomes = build_audiences(MINIMAL, audiences(tmp_path, 2), pdf_worker=workers)
        assert [outcome.error for outcome in outcomes] == [None, None]
        assert list(workers.alive) == started and not any(worker.busy for worker in started)
    assert not any(worker.alive for worker in started)
