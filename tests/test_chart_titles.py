"""A chart's point above it: the dataset's takeaway (placeholders filled) as the brief's
heading over the chart, its title and caption under that, its source under the chart; on
the slide, the takeaway is the slide's title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.lang.numbers import plain
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.render.html import render_brief_html

COMPANY = Path(__file__).resolve().parent.parent / "examples" / "company-results" / "microsoft-fy2023.yaml"


def report(edition: str):
    return plan(load_dataset(COMPANY), edition)


def figure_html(html: str, chart_id: str) -> str:
    return re.search(rf'<figure[^>]*id="chart-{chart_id}".*?</figure>', html, re.S).group(0)


@pytest.mark.parametrize("edition", ["en-zh", "bilingual", "en", "zh"])
def it_heads_a_chart_with_its_point_and_ends_it_with_its_source(edition):
    planned = report(edition)
    svgs = {chart.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for chart in planned.charts}
    html = render_brief_html(planned, Theme(), svgs)
    figure = figure_html(html, "segment_revenue")
    head, image, tail = re.split(r"<img[^>]*>", figure, maxsplit=1)[0], "img", re.split(r"<img[^>]*>", figure)[1]
    heading = re.findall(r'<h3[^>]*class="[^"]*chart-heading[^"]*">([^<]*)</h3>', head)
    wanted = {"en": "Intelligent Cloud, the largest segment, grew to $87.91 billion", "zh": "最大分部智能云增至879.07亿美元"}
    langs = {"en-zh": ("en", "zh"), "bilingual": ("zh", "en"), "en": ("en",), "zh": ("zh",)}[edition]
    assert [plain(h).replace("\u2060", "") for h in heading] == [wanted[lang] for lang in langs]
    assert "chart-title" in head and "chart-caption" in head  # the title and what it shows, under the point
    assert "chart-source" in tail and ("Source: Microsoft Corporation Annual Report" in tail or "资料来源" in tail)
    # A chart without a takeaway is headed by its title.
    growth = figure_html(html, "segment_growth")
    assert re.search(r'<h3[^>]*chart-heading[^>]*>(Segment revenue growth|分部收入增长)</h3>', growth)


@pytest.mark.slow
def it_makes_the_takeaway_the_slides_title(tmp_path):
    from pptx import Presentation

    from reporting.render.deck.builder import write_deck

    deck = tmp_path / "deck.pptx"
    write_deck(report("en-zh"), Theme(), deck)
    titles = [plain(slide.shapes.title.text_frame.text).replace("\u2060", "")
              for slide in Presentation(str(deck)).slides if slide.shapes.title is not None]
    assert any(title.startswith("Intelligent Cloud, the largest segment, grew to $87.91 billion") for title in titles)
    assert any(title.startswith("Revenue rose every quarter, to $56.19 billion in the fourth") for title in titles)


def it_names_the_file_line_and_field_of_a_takeaway_with_an_unknown_figure(tmp_path):
    from edit_dataset import write

    from reporting.errors import DataError

    def change(document):
        document["sections"][0]["charts"][0]["takeaway"] = {"zh": "增至{no_such_fact}", "en": "Up to {no_such_fact}"}

    path = write(tmp_path, change)
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    message = str(caught.value)
    assert "dataset.yaml:" in message and "takeaway" in message and "no_such_fact" in message
    assert "Traceback" not in message
