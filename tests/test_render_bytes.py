"""A planned job renders to bytes without writing anything; writing is a separate step."""

from pathlib import Path

import pytest

from reporting import Project
from reporting.pipeline.build import Builder

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def it_renders_each_format_to_the_bytes_a_build_writes(tmp_path):
    job = Project.open(ROOT / "examples/company-results").job(
        "board", formats=["pdf", "html", "pptx"], out_dir=tmp_path / "built", source_date_epoch=1700000000)
    before = set(tmp_path.rglob("*"))
    with Builder(parallel=False) as builder:
        rendered = {fmt: job.render(fmt, builder=builder) for fmt in ("pdf", "html", "pptx")}
    assert set(tmp_path.rglob("*")) == before  # nothing written: not even the output folder
    assert not (tmp_path / "built").exists()
    assert rendered["pdf"].startswith(b"%PDF-") and rendered["pptx"].startswith(b"PK")
    assert b'id="reporting-manifest"' in rendered["html"]

    built = job.build()
    files = {path.suffix[1:]: path for path in built.outputs}
    assert sorted(files) == ["html", "pdf", "pptx"]
    for fmt, path in files.items():
        assert path.read_bytes() == rendered[fmt], fmt


def it_refuses_a_format_it_does_not_make():
    from reporting.errors import UsageError

    job = Project.open(ROOT / "examples/company-results").job("board")
    with pytest.raises(UsageError, match="unknown format 'docx'; choose from pdf, html, pptx"):
        job.render("docx")


@pytest.mark.slow
def it_renders_the_brief_without_a_warning_from_weasyprint(caplog):
    """The screen stylesheet's media queries (``screen and (max-width: …)``) are for browsers;
    WeasyPrint skips them and used to warn of each one, some forty lines a build."""
    import logging

    job = Project.open(ROOT / "examples/company-results").job("board", source_date_epoch=1700000000)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"), Builder(parallel=False) as builder:
        assert job.render("pdf", builder=builder).startswith(b"%PDF-")
    warned = [record.getMessage() for record in caplog.records
              if record.name.startswith("weasyprint") and record.levelno >= logging.WARNING]
    assert warned == []
    assert b"max-width" in job.render("html")  # the screen rules are still in the HTML edition
