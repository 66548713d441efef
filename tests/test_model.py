"""The report model: one language-resolved document, numbers formatted once."""

import pytest

from reporting.pipeline.build import report_texts
from reporting.errors import UsageError
from reporting.model.planner import plan
from reporting.model.texts import phrases_in
from reporting.lang.numbers import plain


@pytest.fixture(scope="module")
def loaded():
    from reporting.dataset.load import load_dataset
    from reporting.resources import data_dir

    return load_dataset(data_dir() / "xiaohongshu-2020.yaml")


@pytest.mark.parametrize("edition", ["bilingual", "en-zh", "zh", "en"])
def it_fills_every_placeholder(loaded, edition):
    report = plan(loaded, edition)
    leftovers = [text for text in report_texts(report) if "{" in text or "}" in text]
    assert leftovers == []


@pytest.mark.parametrize(("edition", "langs"), [("zh", {"zh"}), ("en", {"en"}), ("bilingual", {"zh", "en"}), ("en-zh", {"zh", "en"})])
def it_holds_only_the_editions_languages(loaded, edition, langs):
    report = plan(loaded, edition)
    # A source's title in its own language is the one phrase of another language it may hold.
    originals = {id(source.original_title) for source in report.sources}
    assert {phrase.lang for phrase in phrases_in(report) if id(phrase) not in originals} == langs


def it_formats_each_figure_once_per_language(loaded):
    report = plan(loaded, "bilingual")
    interactions = next(f for f in report.figures if f.id == "wuhan_interactions")
    assert plain(interactions.text.get("zh")) == "768万次"
    assert plain(interactions.text.get("en")) == "7.68 million interactions"
    assert interactions.provenance.where.get("en") == "paragraph 10"
    mau = report.key_figures[0]
    assert (plain(mau.headline.get("zh")), plain(mau.headline.get("en"))) == ("超过1亿", "over 100 million")


def it_marks_derived_figures_and_says_how(loaded):
    report = plan(loaded, "en")
    derived = {f.id: f for f in report.derived_figures}
    assert "brand_discussions_2019" in derived
    assert plain(derived["brand_discussions_2019"].text.get("en")) == "under 1.4 billion discussions"
    assert "2.8 billion" in plain(derived["brand_discussions_2019"].derivation.get("en"))


def it_picks_and_orders_sections(loaded):
    report = plan(loaded, "en", sections=["brands", "relief"])
    assert [s.id for s in report.sections] == ["brands", "relief"]
    with pytest.raises(UsageError, match="unknown section.*nope.*the dataset has: community"):
        plan(loaded, "en", sections=["nope"])


def it_keeps_only_summary_paragraphs_in_a_summary(loaded):
    full = plan(loaded, "en")
    summary = plan(loaded, "en", depth="summary")
    assert sum(len(s.paragraphs) for s in summary.sections) < sum(len(s.paragraphs) for s in full.sections)
    assert all(s.paragraphs for s in summary.sections)


def it_draws_charts_from_facts_with_text_alternatives(loaded):
    report = plan(loaded, "bilingual")
    assert len(report.charts) >= 5
    reach = next(c for c in report.charts if c.id == "campaign_reach")
    assert reach.log_scale
    assert reach.series[0].values[0] == 700_000_000
    assert "768万" in plain(reach.alt.get("zh")) and "7.68 million" in plain(reach.alt.get("en"))
    timeline = report.charts[-1]
    assert timeline.kind == "timeline"
    assert [p.when for p in timeline.points] == sorted(p.when for p in timeline.points)


def it_capitalises_a_figure_that_opens_an_english_sentence(loaded):
    report = plan(loaded, "en")
    community = report.sections[0]
    assert plain(str(community.points[0])).startswith("Over 100 million")
    assert all(str(point)[0].isupper() or str(point)[0].isdigit() for s in report.sections for point in s.points)


def it_capitalises_a_figure_that_opens_a_sentence_mid_paragraph(loaded):
    report = plan(loaded, "en")
    relief = next(s for s in report.sections if s.id == "relief")
    text = plain(" ".join(str(p) for p in relief.paragraphs))
    assert "Over 1,000 counsellors" in text and ". over" not in text
    campaign = plain(" ".join(str(p) for p in next(s for s in report.sections if s.id == "campaign").paragraphs))
    assert "In over 1 month it drew" in campaign  # a figure inside a sentence stays lower case
