"""Reproducible builds: the same inputs give byte-identical PDF, deck and HTML, in
separate processes, with SOURCE_DATE_EPOCH or (without it) the dataset's date."""

import datetime as dt
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from once_per_run import once_per_run
from reporting.cli import main

ROOT = Path(__file__).parent.parent
EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def build(out: Path, cache: Path, *args: str, epoch: int | None, seed: str) -> dict[str, str]:
    """Run ``python -m reporting`` in a fresh process; sha256 of every file it wrote."""
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env.update(XDG_CACHE_HOME=str(cache), PYTHONHASHSEED=seed)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    run = subprocess.run([sys.executable, "-m", "reporting", "--format", "all", "--out", str(out), *args],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    written = [Path(line) for line in run.stdout.split()]
    assert sorted(path.suffix for path in written) == [".html", ".pdf", ".pptx"]
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in written}


@pytest.fixture(scope="session")
def with_epoch(tmp_path_factory):
    """The default report built twice with SOURCE_DATE_EPOCH, once for the whole run: the
    first build draws the charts, the second takes them from the chart cache."""
    def both(folder: Path):
        cache, first, second = folder / "cache", folder / "first", folder / "second"
        return build(first, cache, epoch=EPOCH, seed="1"), build(second, cache, epoch=EPOCH, seed="2"), str(first)

    one, two, first = once_per_run(tmp_path_factory, "reproducible", both)
    return one, two, Path(first)


@pytest.mark.slow
def it_gives_identical_bytes_with_source_date_epoch(with_epoch):
    one, two, _ = with_epoch
    assert one == two


@pytest.mark.slow
def it_gives_identical_bytes_from_the_dataset_date_without_it(tmp_path):
    args = ("--audience", "executive")
    one = build(tmp_path / "one", tmp_path / "cache1", *args, epoch=None, seed="3")
    two = build(tmp_path / "two", tmp_path / "cache2", *args, epoch=None, seed="4")
    assert one == two
    pdf = tmp_path / "one/xiaohongshu-2020_executive_bilingual.pdf"
    assert pdf_info(pdf)["/CreationDate"] == "D:20201231000000Z"  # the report's date
    deck = tmp_path / "one/xiaohongshu-2020_executive_bilingual.pptx"
    assert zip_times(deck) == {(2020, 12, 31, 0, 0, 0)}


def pdf_info(path: Path):
    import pypdf

    return pypdf.PdfReader(path).metadata


def zip_times(path: Path) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(path) as archive:
        return {info.date_time for info in archive.infolist()}


@pytest.mark.slow
def it_stamps_every_output_with_source_date_epoch(with_epoch):
    *_, out = with_epoch
    stamp = dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc)
    info = pdf_info(out / "xiaohongshu-2020_default_bilingual.pdf")
    assert info["/CreationDate"] == info["/ModDate"] == stamp.strftime("D:%Y%m%d%H%M%SZ")
    deck = out / "xiaohongshu-2020_default_bilingual.pptx"
    # Zip times have a two-second resolution.
    assert zip_times(deck) == {stamp.replace(second=stamp.second // 2 * 2).timetuple()[:6]}
    from pptx import Presentation

    core = Presentation(str(deck)).core_properties
    assert core.created == core.modified == stamp.replace(tzinfo=None)
    with zipfile.ZipFile(deck) as archive:
        for name in archive.namelist():
            if name.endswith(".xlsx"):  # the chart workbooks inside the deck
                with zipfile.ZipFile(archive.open(name)) as workbook:
                    assert {info.date_time for info in workbook.infolist()} == zip_times(deck)


@pytest.mark.slow
def it_gives_the_pdf_a_fixed_identifier(with_epoch):
    import pypdf

    *_, out = with_epoch
    reader = pypdf.PdfReader(out / "xiaohongshu-2020_default_bilingual.pdf")
    first, second = reader.trailer["/ID"]
    expected = hashlib.md5(b"xiaohongshu-2020/default/bilingual").hexdigest()
    assert (bytes(first) if not isinstance(first, str) else first.encode()) == expected.encode()
    assert first != second  # the second part hashes the content


@pytest.mark.slow
def it_keeps_the_clock_out_of_the_html(with_epoch):
    *_, out = with_epoch
    html = (out / "xiaohongshu-2020_default_bilingual.html").read_text(encoding="utf-8")
    assert '<meta name="dcterms.created" content="2020-12-31">' in html


def it_refuses_a_source_date_epoch_that_is_not_a_number(tmp_path):
    result = CliRunner().invoke(main, ["--out", str(tmp_path)], env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.output
