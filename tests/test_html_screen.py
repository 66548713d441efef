"""The HTML edition on a phone (390 px), a tablet (768 px) and a laptop (1280 px), measured
in Debian's headless Chromium: no line of text drawn over another, no figure broken across
lines, running text at 16 px or more on a phone, no horizontal scrolling, chart text at
11 px or more wherever a chart's picture is shown; and axe-core's WCAG 2.1 A/AA and
best-practice rules without a violation. Every edition and audience of the shipped dataset
and of both examples, each built once for the run (conftest.py, test_examples.py) and
loaded in one browser per test worker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import screen_checks as screen
from test_examples import AUDIENCES, DATASET, EDITIONS, FULL_AUDIENCE, built, output  # noqa: F401 (built: a fixture)

pytestmark = pytest.mark.slow

SHIPPED_AUDIENCES = ("executive", "press", "partners", "public_welfare")
PAGES = ([("shipped", edition) for edition in EDITIONS]
         + [("shipped", audience) for audience in SHIPPED_AUDIENCES]
         + [(example, which) for example in DATASET
            for which in (*[e for e in EDITIONS if e not in FULL_AUDIENCE[example]], *AUDIENCES[example])])


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the worker's whole run."""
    if not (screen.CHROMIUM and screen.CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver (scripts/install-system-deps.sh --test)")
    driver = screen.start_browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield driver
    driver.quit()


@pytest.fixture
def page_of(request):
    """``page_of(source, which)``: the HTML edition's file (shipped: an edition or audience
    of the shipped dataset; else an example's edition or audience)."""
    def page(source: str, which: str) -> Path:
        if source == "shipped":
            shipped = request.getfixturevalue("shipped")
            return (shipped.editions.get(which) or shipped.audiences[which])[".html"]
        return output(request.getfixturevalue("built"), source, which, "html")
    return page


def show(found: list, limit: int = 5) -> str:
    return "\n".join(map(str, found[:limit])) + (f"\n… {len(found) - limit} more" if len(found) > limit else "")


@pytest.mark.parametrize("width", screen.WIDTHS)
@pytest.mark.parametrize("source, which", PAGES)
def it_lays_out_the_page_for_the_screen(browser, page_of, source, which, width):
    screen.load(browser, page_of(source, which), width)
    boxes = screen.text_boxes(browser)
    # The page's text is there, measured: a summary (depth-summary) is short by rule, a
    # masthead, the tiles and each section's lead, with no contents, timeline or method.
    summary = browser.execute_script("return document.body.classList.contains('depth-summary')")
    assert len(boxes) > (60 if summary else 100)
    overlapping = [(a["where"], a["text"], b["where"], b["text"]) for a, b in screen.overlaps(boxes)]
    assert not overlapping, f"{len(overlapping)} text boxes overlap another:\n{show(overlapping)}"
    broken = screen.broken_figures(browser)
    assert not broken, f"{len(broken)} figures drawn on more than one line:\n{show(broken)}"
    assert screen.horizontal_overflow(browser) <= 0
    if width == 390:
        body = screen.body_text_sizes(browser)
        assert body, "no running text found"
        small = [(text, size) for text, size in body if size < 16]
        assert not small, f"running text under 16 px on a phone:\n{show(small)}"
    for chart in screen.chart_text(browser):
        assert chart["smallest"] >= 11 - 0.05, chart


@pytest.mark.parametrize("width", screen.WIDTHS)
@pytest.mark.parametrize("source, which", PAGES)
def it_passes_axe_core(browser, page_of, source, which, width):
    script = screen.axe_script()
    if script is None:
        pytest.skip("needs axe-core (make install-test puts it under .venv/node_modules)")
    screen.load(browser, page_of(source, which), width)
    violations = screen.axe_violations(browser, script)
    assert violations == [], show(violations, 10)


def it_shows_each_chart_as_its_data_table_on_a_phone(browser, page_of):
    """On a phone a chart's picture would draw its text at about 4 px: its data table is
    shown instead, with every category and series; on a laptop the picture, not the table."""
    page = page_of("company-results", "en")
    shown = ("return Array.prototype.map.call(document.querySelectorAll('figure.chart'), function (f) {"
             " var img = f.querySelector('.chart-image'), table = f.querySelector('.chart-table');"
             " return [f.id, img.getClientRects().length > 0, table ? table.getClientRects().length > 0 : null,"
             "         table ? table.innerText : '']; });")
    screen.load(browser, page, 390)
    figures = browser.execute_script(shown)
    assert len(figures) >= 4
    for name, picture, table, text in figures:
        assert not picture, name
        if name != "chart-timeline":  # its events are the table beside it
            assert table, name
    text = {name: text for name, _, _, text in figures}
    assert "Intelligent Cloud" in text["chart-segment_revenue"] and "$87.91\xa0billion" in text["chart-segment_revenue"]
    assert "FY2022" in text["chart-segment_revenue"] and "FY2023" in text["chart-segment_revenue"]
    screen.load(browser, page, 1280)
    for name, picture, table, _ in browser.execute_script(shown):
        assert picture and not table, name
