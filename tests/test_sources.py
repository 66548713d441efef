"""The sources page lists what its edition shows, as filings are cited: locations (page,
item, note, section), each source's date, publisher and URL, the events it backs, its
original-language title where the edition translates it; one heading, no empty table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from reporting.pipeline.build import BuildOptions
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan

PERIODS = Path(__file__).parent / "fixtures" / "periods.yaml"
pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def loaded():
    return load_dataset(PERIODS)


def it_cites_filings_by_item_page_and_note_in_both_languages(loaded):
    report = plan(loaded, "bilingual")
    where = {figure.id: figure.provenance.where for figure in report.figures}
    assert (where["revenue_fy23"].get("zh"), where["revenue_fy23"].get("en")) == ("第7项，第21页", "Item 7, p. 21")
    assert (where["revenue_fy22"].get("zh"), where["revenue_fy22"].get("en")) == ("第8项，附注3", "Item 8, Note 3")
    assert (where["growth_q1"].get("zh"), where["growth_q1"].get("en")) == ("第3页", "p. 3")


def it_lists_only_the_sources_of_what_an_audience_is_shown(loaded):
    report = plan(loaded, "en", sections=["company"])
    listed = {source.id: [figure.id for figure in source.figures] for source in report.sources}
    # the economy section is left out: its facts are not listed; a key figure of the bulletin is
    assert "growth_q1" not in listed["bulletin"] and "holiday_visits" not in listed["bulletin"]
    assert "growth_h1" in listed["bulletin"]
    # a derived figure shown brings its inputs
    assert set(listed["filing"]) == {"revenue_fy23", "revenue_fy22", "revenue_change"}
    # a source that backs nothing shown is not listed; one backing an event is, with the event
    assert "unused" not in listed
    release = next(source for source in report.sources if source.id == "release")
    assert release.figures == () and [event.title.get("en") for event in release.events] == [
        "Work starts on the new campus"]


def it_inputs_of_a_derived_figure_come_even_when_shown_nowhere_else(loaded):
    report = plan(loaded, "en", sections=["economy"], key_figures=["revenue_change"])
    filing = next(source for source in report.sources if source.id == "filing")
    assert {figure.id for figure in filing.figures} == {"revenue_change", "revenue_fy23", "revenue_fy22"}


def it_shows_the_original_title_where_the_edition_translates_it(loaded):
    zh = {source.id: source for source in plan(loaded, "zh").sources}
    assert zh["filing"].original_title.text == "Annual Report on Form 10-K"
    assert zh["bulletin"].original_title is None  # a Chinese source in the Chinese edition
    en = {source.id: source for source in plan(loaded, "en").sources}
    assert en["bulletin"].original_title.text == "2023年国民经济和社会发展统计公报"
    assert all(source.original_title is None for source in plan(loaded, "bilingual").sources)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, builder):
    out = tmp_path_factory.mktemp("sources")
    built = {}
    for edition in ("zh", "en"):
        options = BuildOptions(formats=("pdf", "html"), out_dir=out, edition=edition, sections=("company",),
                               audit_trail=True)
        built[edition] = {p.suffix: p for p in builder.build(PERIODS, options).outputs}
    return built


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["zh", "en"])
def it_prints_the_sources_page_of_an_audience(briefs, edition):
    pages = pdf_pages(briefs[edition][".pdf"])
    heading = "来源与方法" if edition == "zh" else "Sources and method"
    contents = "目录" if edition == "zh" else "Contents"
    whole = re.sub(r"\s+", " ", " ".join(pages))
    # The section, not its contents entry (which a dot leader and page number follow)
    sources = whole[re.search(re.escape(heading) + r"(?! ?\.{3})", whole[whole.index(contents):]).start()
                    + whole.index(contents):]
    if edition == "en":
        for words in ("Annual Report on Form 10-K", "Example Corp. · annual filing · 3 November 2023",
                      "https://investor.example.com/10-k-2023", "Item 7, p. 21", "Item 8, Note 3",
                      "17 January 2024", "Work starts on the new campus", "2023年国民经济和社会发展统计公报"):
            assert words in sources or words.replace(" ", "") in sources.replace(" ", ""), words  # a URL wraps
        assert len(re.findall(r"\bSources\b(?! and method)", sources)) == 1  # one heading, three sources
        assert "p. 3" not in sources and "GDP growth" not in sources      # a section left out
        assert "A source nothing cites" not in sources
    else:
        for words in ("10-K年度报告", "Annual Report on Form 10-K", "示例公司 · 年度报告 · 2023年11月3日",
                      "第7项，第21页", "第8项，附注3", "2024年1月17日", "新园区开工"):
            assert words in sources.replace(" ", "") or words in sources, words
        assert "第3页" not in sources


@pytest.mark.slow
def it_marks_derived_key_figures_as_the_section_grids_do(briefs):
    html = briefs["en"][".html"].read_text(encoding="utf-8")
    tile = re.search(r'<div class="tile derived">.*?</div>', html, re.S)
    assert tile and "change in revenue" in tile.group(0) and 'class="derived-mark"' in tile.group(0)


@pytest.mark.slow
def it_never_leaves_the_derived_legend_alone_on_a_page(briefs):
    for edition, legend in (("zh", "推算数据："), ("en", "Derived figure:")):
        page = next(text for text in pdf_pages(briefs[edition][".pdf"]) if legend in text)
        body = [line for line in page.splitlines() if line.strip() and legend not in line]
        assert len(body) > 3, page  # more than the running header and footer


@pytest.mark.slow
@pytest.mark.parametrize("edition, first, later", [("zh", "2024年1月17日", "2月10日"),
                                                   ("en", "17 January 2024", "10 February")])
def it_names_the_years_of_a_timeline_that_crosses_one_in_the_brief(briefs, edition, first, later):
    pages = pdf_pages(briefs[edition][".pdf"])
    event = "秋季展会开幕" if edition == "zh" else "Autumn fair opens"
    timeline = re.sub(r"\s+", " ", next(t for t in pages if event in t))
    assert first in timeline or first in timeline.replace(" ", ""), timeline
    assert later in timeline or later in timeline.replace(" ", "")
    assert ("2024年2月10日" if edition == "zh" else "10 February 2024") not in timeline.replace(" ", "" if edition == "zh" else " ")


def it_lists_each_source_once_without_the_audit_trail_unless_asked(builder, tmp_path):
    """The sources as a numbered list (publisher, kind, date, URL); where each figure is
    stated only in the appendix an audience asks for."""
    options = BuildOptions(formats=("html",), out_dir=tmp_path, edition="en", sections=("company",))
    html = builder.build(PERIODS, options).outputs[0].read_text(encoding="utf-8")
    sources = html[html.index('<section class="sources"'):]
    assert sources.count('<li class="source"') == 3
    assert "Example Corp. · annual filing · 3 November 2023" in sources
    assert "Item 7, p. 21" not in html and 'id="audit"' not in html
    asked = builder.build(PERIODS, replace(options, audit_trail=True)).outputs[0].read_text(encoding="utf-8")
    assert "Item 7, p. 21" in asked and 'href="#audit"' in asked  # the appendix, and its contents entry


def it_shows_a_figure_that_reads_alike_in_both_languages_once_with_its_labels(builder, tmp_path):
    options = BuildOptions(formats=("html",), out_dir=tmp_path, edition="bilingual")
    html = builder.build(PERIODS, options).outputs[0].read_text(encoding="utf-8")
    tile = re.search(r'<div class="tile">\s*(.*?)</div>', html, re.S).group(1)
    assert tile.count("5.5%") == 1 and "上半年增长" in tile and "growth in the first half" in tile
    event = re.search(r'<p class="event-figure">(.*?)</p>', html, re.S).group(1)
    assert event.count("4.9%") == 1 and "三季度增长" in event and "growth in the third quarter" in event


def it_prints_no_method_heading_without_method_paragraphs(builder, tmp_path):
    options = BuildOptions(formats=("html",), out_dir=tmp_path, edition="en")
    html = builder.build(PERIODS, options).outputs[0].read_text(encoding="utf-8")
    sources = html[html.index('<section class="sources"'):]
    assert ">Method<" not in sources and ">Fiscal periods<" in sources
