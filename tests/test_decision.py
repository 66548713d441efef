"""One decision point: make-report, batch, preview and verify decide a build the same way.

Each command is run as a user runs it (click's runner) up to the library call that
would build; that call is replaced by one that records the job the command decided. The
jobs must agree on content (edition, sections, depth ...) and look (theme, page size,
templates, master) for every audience of both examples.
"""

import functools
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import reporting.cli
import reporting.pipeline.recipients
import reporting.preview
from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.lang.editions import Edition
from reporting.limits import Limits
from reporting.pipeline.build import Builder, BuildOptions
from reporting.preview.inputs import ProjectInputs
from reporting.project.job import Job, Project
from reporting.verify.check import Verifier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples/company-results", ROOT / "examples/statistics-bulletin"]


def _cases():
    for example in EXAMPLES:
        for audience in [None, *Project.open(example).audience_names]:
            # as the audience says; and with the command line's edition and paper
            for edition, page_size in ((None, None), ("en", "Letter")):
                yield pytest.param(example, audience, edition, page_size,
                                   id=f"{example.name}-{audience or 'default'}-{edition}-{page_size}")


@functools.lru_cache(maxsize=None)
def _loaded(path: Path):
    return load_dataset(path)


def _invoke(*args) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _options(example: Path, audience, edition, page_size, out: Path) -> list[str]:
    args = ["--project", str(example), "--out", str(out)]
    if audience:
        args += ["--audience", audience]
    if edition:
        args += ["--lang", edition]
    if page_size:
        args += ["--page-size", page_size]
    return args


def _resolved(job_or_options, dataset_edition: Edition):
    """(edition as built, theme, page size, the rest of content and look) of a job."""
    job = job_or_options if isinstance(job_or_options, Job) else Job.of(Path("-"), "-", "-", job_or_options)
    edition = job.content.edition or dataset_edition
    content = {f.name: getattr(job.content, f.name) for f in fields(job.content)
               if f.name not in ("edition", "recipient")}
    look = {f.name: getattr(job.look, f.name) for f in fields(job.look)}
    return edition, look.pop("theme"), look.pop("page_size"), content, look


@pytest.mark.parametrize(("example", "audience", "edition", "page_size"), list(_cases()))
def they_decide_the_same_build(example, audience, edition, page_size, tmp_path, monkeypatch):
    decided: dict[str, object] = {}

    def build(self, dataset, options, **_kwargs):
        decided["make-report"] = options
        return SimpleNamespace(warnings=[], left_out=[], timings={}, parallel_stages=(), outputs=[])

    def build_recipients(dataset, rows, options, **_kwargs):
        decided["batch"] = options
        return SimpleNamespace(outcomes=[], failed=[], invalid=[], manifest=tmp_path / "m.csv", ok=True)

    def serve(settings, initial, **_kwargs):
        decided["preview"] = ProjectInputs(settings).job(initial)

    monkeypatch.setattr(Builder, "build", build)
    monkeypatch.setattr(reporting.pipeline.recipients, "build_recipients", build_recipients)
    monkeypatch.setattr(reporting.preview, "serve", serve)

    options = _options(example, audience, edition, page_size, tmp_path / "out")
    _invoke(*options, "--format", "html", "--jobs", "1")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("recipient,name_en\nr1,Reader One\n", encoding="utf-8")
    _invoke("batch", "--recipients", str(recipients), *options, "--format", "html")
    _invoke("preview", *[arg for arg in options if arg != "--out" and arg != str(tmp_path / "out")],
            "--no-open", "--port", "0")

    project = Project.open(example)
    loaded = _loaded(project.dataset)
    dataset_edition = loaded.dataset.report.edition
    built = _resolved(decided["make-report"], dataset_edition)
    # verify identifies an output without a manifest by its name, which carries the edition built
    name = f"{loaded.dataset.report.id}_{audience or 'default'}_{built[0].value}.html"
    decided["verify"] = Verifier(loaded, project).job_for_name(tmp_path / name)

    for command in ("batch", "preview"):
        assert _resolved(decided[command], dataset_edition) == built, command
    if page_size is None:  # an output's name (and manifest) does not say the paper a --page-size chose
        assert _resolved(decided["verify"], dataset_edition) == built, "verify"
    # the rule itself: the command line wins over the audience, which wins over the dataset
    spec = project.book.file.audiences.get(audience) if audience else None
    assert built[0] == Edition(edition or (spec and spec.edition) or dataset_edition)
    assert built[2] == (page_size or (spec.page_size if spec else "A4"))


def it_writes_a_batch_in_the_datasets_edition(tmp_path, monkeypatch):
    """The company example says report.edition: en-zh; a batch used to build bilingual."""
    seen = {}

    def build_recipients(dataset, rows, options, **_kwargs):
        seen["edition"] = options.edition or load_dataset(dataset).dataset.report.edition
        return SimpleNamespace(outcomes=[], failed=[], invalid=[], manifest=tmp_path / "m.csv", ok=True)

    monkeypatch.setattr(reporting.pipeline.recipients, "build_recipients", build_recipients)
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("recipient\nr1\n", encoding="utf-8")
    _invoke("batch", "--project", str(EXAMPLES[0]), "--recipients", str(recipients), "--out", str(tmp_path))
    assert seen["edition"] == Edition("en-zh")


def it_keeps_every_build_option_in_a_job():
    """A job is the build options split in three: none is lost on the way."""
    options = BuildOptions(formats=("pdf", "html"), edition=Edition("en"), out_dir=Path("x"), audience="a",
                           sections=("s",), depth="summary", key_figures=("k",), page_size="Letter",
                           template_dirs=(Path("t"),), asset_dirs=(Path("a"),), pptx_template=Path("m.pptx"),
                           deck_layouts=(("title", "T"),), keep_template_slides=True, theme_chosen=True,
                           max_slides=5, english="en-US", chart_cache=Path("c"), recipient="r",
                           source_date_epoch=1, limits=Limits(table_rows=7), figure_grids=True, audit_trail=True)
    defaults = BuildOptions()
    unset = [f.name for f in fields(BuildOptions)
             if getattr(options, f.name) == getattr(defaults, f.name) and f.name not in ("theme", "cover_title",
                                                                                          "cover_subtitle")]
    assert unset == []  # every field set above, so a new field must be added here and to the job
    assert Job.of(Path("d.yaml"), "a", "-", options).options == options


def it_names_the_audiences_there_are_for_an_unknown_one():
    with pytest.raises(Exception, match="unknown audience 'nobody'.*defines: investors, board"):
        Project.open(EXAMPLES[0]).job("nobody")
