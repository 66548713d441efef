"""The deck keeps what the brief says about periods and sources: years on a timeline that
crosses one, fiscal years as chart categories, each source's slides with what it backs
(events included), no empty table or slide, continuations balanced, derived key figures
marked, a translated source's own title."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.render.deck.builder import write_deck

HERE = Path(__file__).parent
PERIODS = HERE / "fixtures" / "periods.yaml"
SHIPPED = HERE.parent / "data" / "xiaohongshu-2020.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Presentation]:
    folder = tmp_path_factory.mktemp("deck-sources")
    loaded = load_dataset(PERIODS)
    return {edition: Presentation(str(write_deck(plan(loaded, edition), Theme(), folder / f"{edition}.pptx")))
            for edition in ("bilingual", "zh", "en")}


def texts(slide) -> str:
    parts = [t.text or "" for t in slide._element.iter(f"{A}t")]
    for shape in slide.shapes:
        if shape.has_chart:
            parts += [v.text or "" for v in shape.chart._chartSpace.iter(f"{C}v")]
    return "\n".join(parts)


def sources_slides(deck, title: str) -> list:
    return [slide for slide in deck.slides
            if slide.shapes.title is not None and slide.shapes.title.text_frame.text.startswith(title)]


def table_rows(slide) -> list[int]:
    return [len(shape.table.rows) - 1 for shape in slide.shapes if shape.has_table]  # less the header


def it_names_the_years_of_a_timeline_that_crosses_one(decks):
    text = "\n".join(texts(slide) for slide in decks["bilingual"].slides)
    assert "2024年1月17日" in text and "17 January 2024" in text
    assert "2023年7月中旬" in text and "mid-July 2023" in text
    en = "\n".join(texts(slide) for slide in decks["en"].slides)
    assert "10 February" in en and "10 February 2024" not in en


def it_draws_fiscal_years_as_chart_categories(decks):
    for edition, words in (("zh", ["2022财年", "2023财年"]), ("en", ["FY2022", "FY2023"])):
        categories = [v.text for slide in decks[edition].slides for shape in slide.shapes if shape.has_chart
                      for v in shape.chart._chartSpace.iter(f"{C}v")]
        assert all(word in categories for word in words), categories


@pytest.mark.parametrize("edition, title", [("zh", "来源"), ("en", "Sources")])
def it_lists_each_source_with_what_it_backs_and_no_empty_table(decks, edition, title):
    slides = sources_slides(decks[edition], title)
    assert slides
    for slide in slides:
        assert table_rows(slide) and all(rows > 0 for rows in table_rows(slide)), texts(slide)
    text = "\n".join(texts(slide) for slide in slides)
    event = "新园区开工" if edition == "zh" else "Work starts on the new campus"
    assert event in text  # a source that backs only an event lists the event
    assert ("第7项，第21页" if edition == "zh" else "Item 7, p. 21") in text
    assert ("2023年11月3日" if edition == "zh" else "3 November 2023") in text
    assert "A source nothing cites" not in text and "未引用的资料" not in text
    if edition == "zh":
        assert "Annual Report on Form 10-K" in text  # the English filing's own title


def it_marks_derived_key_figures(decks):
    slide = next(s for s in decks["en"].slides if s.shapes.title is not None
                 and s.shapes.title.text_frame.text == "Key figures")
    text = texts(slide)
    assert "change in revenue" in text and "derived" in text


COMPANY = HERE.parent / "examples" / "company-results" / "microsoft-fy2023.yaml"


@pytest.mark.parametrize("dataset, edition, title", [(SHIPPED, "bilingual", "来源"), (SHIPPED, "en", "Sources"),
                                                     (COMPANY, "en", "Sources"), (COMPANY, "zh", "来源"),
                                                     (PERIODS, "en-zh", "Sources")])
def it_puts_the_sources_on_two_slides_at_most_and_every_figure_s_source_in_the_notes(tmp_path, dataset, edition,
                                                                                     title):
    report = plan(load_dataset(dataset), edition)
    deck = Presentation(str(write_deck(report, Theme(), tmp_path / "d.pptx")))
    slides = sources_slides(deck, title)
    assert 1 <= len(slides) <= 2, len(slides)
    rows = [sum(table_rows(slide)) for slide in slides]
    assert sum(rows) == len(report.sources)  # one row a source
    if len(rows) == 2:
        assert min(rows) * 3 >= max(rows) or min(rows) >= 2, rows  # shared out, not one row left over
    sizes = {int(run.get("sz")) / 100 for slide in slides for shape in slide.shapes if shape.has_table
             for run in shape._element.iter(f"{A}rPr") if run.get("sz")}
    assert sizes and min(sizes) >= 9.5, sizes  # 10 pt or more (the second language under the first)
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide)
    for source in report.sources:
        for figure in source.figures:
            assert figure.provenance.text.first.text in notes, figure.id
