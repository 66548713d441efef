"""Charts that do not distort and stay readable with other data (tests/fixtures/charts.yaml):
grouped-column labels that never overlap, lines fitted to their values, stacked labels inside
their segments or beside them with the axis sized to the totals, timeline titles wrapped in full."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest

from reporting.charts import mpl, style
from reporting.dataset.load import load_dataset
from reporting.lang.numbers import plain
from reporting.model.chartspec import ChartSpec
from reporting.model.planner import plan
from reporting.model.theme import Theme
from chart_checks import drawn_texts

HERE = Path(__file__).parent
CHARTS = HERE / "fixtures" / "charts.yaml"
THEME = Theme()
EDITIONS = ("bilingual", "zh", "en")


@functools.lru_cache(maxsize=None)
def specs(edition: str) -> dict[str, ChartSpec]:
    report = plan(load_dataset(CHARTS), edition)
    found = {chart.id: chart for chart in report.charts}
    if report.timeline is not None:
        found["timeline"] = report.timeline.chart
    return found


def draw(spec: ChartSpec, **options):
    with style.chart_style(THEME):
        return mpl._draw(spec, THEME, **options)



def value_labels(spec: ChartSpec) -> set[str]:
    return {label.first.text for series in spec.series for label in series.value_labels if label is not None}


SIZES = [{"dpi": 72}, {"width_in": 10.0, "height_in": 5.0, "dpi": 96}, {"width_in": 4.0, "height_in": 3.0, "dpi": 72}]
EVERY_SIZE = [pytest.param(SIZES[0], id="brief"),
              pytest.param(SIZES[1], id="slide", marks=pytest.mark.slow),
              pytest.param(SIZES[2], id="narrow", marks=pytest.mark.slow)]
"""The brief's size in the quick subset, the slide's and a narrow one in the whole suite."""


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", EVERY_SIZE)
def it_never_lets_grouped_column_labels_overlap(edition, size):
    spec = specs(edition)["product_revenue"]
    figure = draw(spec, **size)
    placed = drawn_texts(figure)
    labels = [(text, box) for text, box in placed if text.get_text() in value_labels(spec)]
    for i, (a, box_a) in enumerate(labels):
        for b, box_b in labels[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"
    ax = figure.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
    if labels:  # all of them, each over its own bar
        assert {t.get_text() for t, _ in labels} == value_labels(spec)
    assert len(ticks) >= 2  # the value axis keeps its numbers either way


def it_turns_labels_upright_where_they_do_not_fit_across():
    spec = specs("en")["product_revenue"]
    figure = draw(spec, dpi=72)
    labels = [(text, box) for text, box in drawn_texts(figure) if text.get_text() in value_labels(spec)]
    assert {text.get_rotation() for text, _ in labels} == {90.0}
    # Inside the column's end where the column holds it (the tallest), in a colour that reads there.
    inside = [text for text, _ in labels if text.get_va() == "top"]
    assert inside and all(text.get_color() != THEME.ink for text in inside)
    # The axis is not stretched for labels turned upright: it ends near the tallest column.
    top = max(v for s in spec.series for v in s.values if v is not None)
    assert figure.axes[0].get_ylim()[1] <= top * 1.25


def it_keeps_labels_across_where_they_fit():
    import dataclasses

    from reporting.model.texts import Phrase, Texts

    spec = specs("en")["product_revenue"]
    short = dataclasses.replace(spec, series=tuple(dataclasses.replace(s, value_labels=tuple(
        Texts((Phrase("en", f"${v / 1e9:.0f}"),)) for v in s.values)) for s in spec.series))
    figure = draw(short, dpi=72)
    rotations = {text.get_rotation() for text, _ in drawn_texts(figure) if text.get_text().startswith("$")}
    assert rotations == {0.0}


def it_leaves_labels_out_and_keeps_the_axis_when_nothing_fits():
    spec = specs("en")["product_revenue"]
    figure = draw(spec, width_in=1.6, height_in=3.0, dpi=72)
    texts = [text.get_text() for text, _ in drawn_texts(figure)]
    assert not any(text in value_labels(spec) for text in texts)
    assert len([t for t in figure.axes[0].get_yticklabels() if t.get_text()]) >= 2


@pytest.mark.parametrize("edition", EDITIONS)
def it_fits_a_line_to_its_values(edition):
    spec = specs(edition)["gross_margin"]  # 37.8 to 45.2 per cent
    assert spec.value_floor() == 36
    low, high = draw(spec).axes[0].get_ylim()
    assert low == 36 and 45.2 < high < 50


def it_starts_a_line_where_the_dataset_says():
    spec = specs("bilingual")["margins_from_30"]  # axis_min: 25
    assert spec.axis_min == 25
    low, _high = draw(spec).axes[0].get_ylim()
    assert low == 25


def it_keeps_zero_for_bars_and_for_lines_near_it():
    import dataclasses

    columns = specs("bilingual")["product_revenue"]
    assert columns.value_floor() == 0 and draw(columns).axes[0].get_ylim()[0] == 0
    line = dataclasses.replace(specs("bilingual")["gross_margin"], axis_min=None)
    near = dataclasses.replace(line, series=tuple(
        dataclasses.replace(s, values=tuple(v / 10 for v in s.values)) for s in line.series))
    assert near.value_floor() == 36 / 10  # 3.78 to 4.52: still far from zero for its spread
    wide = dataclasses.replace(line, series=tuple(
        dataclasses.replace(s, values=(5.0, 20.0, 30.0, 40.0, 45.2)) for s in line.series))
    assert wide.value_floor() == 0


def _refused(tmp_path, old: str, new: str) -> list[str]:
    from reporting.errors import DataError

    text = CHARTS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "charts.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("old, new, message", [
    ("axis_min: 25", "axis_min: 40", "axis_min 40 is above the chart's smallest value (fact 'opmargin_23')"),
    ("        kind: column\n", "        kind: column\n        axis_min: 10\n",
     "only a line chart sets axis_min: a column chart starts at zero"),
])
def it_refuses_an_axis_minimum_that_would_distort(tmp_path, old, new, message):
    problems = _refused(tmp_path, old, new)
    changed = CHARTS.read_text(encoding="utf-8").replace(old, new, 1)
    line = changed[:changed.index(new.strip().splitlines()[-1].strip())].count("\n") + 1
    assert any(message in p and f"charts.yaml:{line}:" in p for p in problems), problems


def with_thin_segment_in_first_column_only(spec: ChartSpec) -> ChartSpec:
    import dataclasses

    series = list(spec.series)
    last = series[-1]
    series[-1] = dataclasses.replace(last, values=(last.values[0], None), value_labels=(last.value_labels[0], None))
    return dataclasses.replace(spec, series=tuple(series))


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", EVERY_SIZE)
@pytest.mark.parametrize("variant", ["thin segment in both columns", "thin segment beside its column"])
def it_labels_stacked_segments_without_overlap_and_sizes_the_axis_to_the_totals(edition, size, variant):
    spec = specs(edition)["region_revenue"]  # "Other" is about 1% of each column
    if variant != "thin segment in both columns":
        spec = with_thin_segment_in_first_column_only(spec)
    figure = draw(spec, **size)
    placed = drawn_texts(figure)
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"
    ax = figure.axes[0]
    shown = "\n".join(text.get_text() for text, _ in placed)
    for label in value_labels(spec):
        assert shown.count(label) == 1, label
    totals = [sum(s.values[i] or 0 for s in spec.series) for i in range(len(spec.categories))]
    assert max(totals) <= ax.get_ylim()[1] <= max(totals) * 1.1  # the data, not stacked labels
    # No label crosses a gridline (inside a segment, the segment hides the gridline).
    low, high = ax.get_ylim()
    grid = [ax.transData.transform((0, loc))[1] for loc in ax.yaxis.get_majorticklocs() if low < loc <= high]
    plot = ax.get_window_extent()
    for text, box in placed:
        if text.get_text() in value_labels(spec) and text.get_ha() == "left":  # beside its column
            assert not any(box.y0 < y < box.y1 for y in grid), text.get_text()
    if variant != "thin segment in both columns" and size is SIZES[0]:
        beside = [text for text, box in placed if text.get_ha() == "left" and text.get_text() in value_labels(spec)]
        assert len(beside) == 1 and plot.x0 < beside[0].get_window_extent().x0 < plot.x1


# -- a stacked column's total, from the dataset ---------------------------------------------


def total_labels(spec: ChartSpec) -> list[str]:
    return [label.first.text for label in spec.totals.value_labels if label is not None]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", EVERY_SIZE)
def it_prints_each_stacked_columns_total_once_on_top_of_it(edition, size):
    spec = specs(edition)["region_revenue"]
    english = edition == "en"  # the brief's chart speaks the edition's first language
    assert [plain(label) for label in total_labels(spec)] == (
        ["$343.33 billion", "$333.29 billion"] if english else ["3433.28亿美元", "3332.85亿美元"])
    figure = draw(spec, **size)
    ax = figure.axes[0]
    placed = drawn_texts(figure)
    columns = sorted({(round(p.get_x(), 6), p) for p in ax.patches if p.get_height() > 0}, key=lambda item: item[0])
    tops = spec.column_tops()
    for column, label in enumerate(total_labels(spec)):
        found = [box for text, box in placed if text.get_text() == label]
        assert len(found) == 1, (label, [t.get_text() for t, _ in placed])
        box = found[0]
        top = ax.transData.transform((column, tops[column]))[1]
        centre = ax.transData.transform((column, 0))[0]
        assert top <= box.y0 <= top + 12, label  # just above the column
        assert box.x0 < centre < box.x1, label
        assert box.y1 <= ax.get_window_extent().y1 + 0.5, label  # the axis leaves room for it
    assert max(tops) <= ax.get_ylim()[1] <= max(tops) * 1.25  # the data and one line of totals
    assert len(columns) >= 2


def it_refuses_a_total_that_is_not_the_sum_of_its_column(tmp_path):
    problems = _refused(tmp_path, "{id: regions_23, value: 333285000000", "{id: regions_23, value: 334285000000")
    line = CHARTS.read_text(encoding="utf-8").splitlines().index("        totals: [regions_22, regions_23]") + 1
    assert [problem.rpartition("/")[2] for problem in problems] == [
        f"charts.yaml:{line}: sections[1].charts[0].totals[1]: the total 334285000000 (fact 'regions_23') is not "
        f"the sum of its column's 4 segments, 333285000000: give the fact that is their total, or correct a segment"]


def it_accepts_a_total_rounded_as_it_was_published(tmp_path):
    text = CHARTS.read_text(encoding="utf-8").replace("{id: regions_23, value: 333285000000",
                                                      "{id: regions_23, value: 333300000000")
    path = tmp_path / "charts.yaml"
    path.write_text(text, encoding="utf-8")
    spec = next(c for c in plan(load_dataset(path), "en").charts if c.id == "region_revenue")
    assert [plain(label) for label in total_labels(spec)] == ["$343.33 billion", "$333.3 billion"]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("en: Revenue by product in two years.}\n",
     "en: Revenue by product in two years.}\n        totals: [phones_22, services_22, computers_22, wearables_22]\n",
     "only a stacked column chart has totals: a column chart shows each value once"),
    ("totals: [regions_22, regions_23]", "totals: [regions_22]", "totals has 1 values for 2 categories"),
    ("totals: [regions_22, regions_23]", "totals: [regions_22, region_23]", "region_23"),
])
def it_refuses_totals_a_chart_cannot_show(tmp_path, old, new, message):
    problems = _refused(tmp_path, old, new)
    assert any(message in problem for problem in problems), problems


# -- the deck's native charts ----------------------------------------------------------

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@functools.lru_cache(maxsize=None)
def deck(edition: str, folder: str):
    from pptx import Presentation

    from reporting.render.deck.builder import write_deck

    return Presentation(str(write_deck(plan(load_dataset(CHARTS), edition), THEME, Path(folder) / f"{edition}.pptx")))


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("chart-decks"))
    return {edition: deck(edition, folder) for edition in EDITIONS}


def chart_titled(presentation, title: str):
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_chart and title in "".join(shape.chart._chartSpace.itertext()):
                return shape.chart
    raise AssertionError(f"no chart titled {title!r}")


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def it_turns_the_decks_grouped_column_labels_upright(decks, edition):
    chart = chart_titled(decks[edition], "Revenue by product" if edition != "zh" else "分产品营收")
    labels = chart._chartSpace.findall(f".//{C}dLbl")
    assert len(labels) == 8
    assert {label.find(f".//{A}bodyPr").get("rot") for label in labels} == {"-5400000"}
    # Labels that fit inside their column's end sit there (the tallest ones); the axis,
    # in the labels' display scale, runs no further than the rule allows.
    assert "inEnd" in {label.find(f"{C}dLblPos").get("val") for label in labels}
    spec = specs(edition)["product_revenue"]
    top = max(v for s in spec.series for v in s.values if v is not None) / 10 ** spec.axis_power
    high, step = chart.value_axis.maximum_scale, chart.value_axis.major_unit
    assert top < high <= max(top * 1.25, math.ceil(top / step) * step)


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def it_fits_the_decks_line_to_its_values(decks, edition):
    chart = chart_titled(decks[edition], "Gross margin" if edition != "zh" else "毛利率")
    assert chart.value_axis.minimum_scale == 36
    assert chart.value_axis.visible and chart.value_axis.has_major_gridlines  # it says where it starts
    both = chart_titled(decks[edition], "Gross and operating margin" if edition != "zh" else "毛利率与营业利润率")
    assert both.value_axis.minimum_scale == 25


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def it_puts_each_stacked_columns_total_above_it_on_the_slide(decks, edition):
    """Over the native chart (whose plot area and axis are fixed for it), each column's
    total in a text box centred on the column, in every language of the edition."""
    title = "Revenue by region" if edition != "zh" else "分地区营收"
    slide, frame = next((slide, shape) for slide in decks[edition].slides for shape in slide.shapes
                        if shape.has_chart and title in "".join(shape.chart._chartSpace.itertext()))
    texts = {"en": ["$343.33 billion", "$333.29 billion"], "zh": ["3433.28亿美元", "3332.85亿美元"]}
    langs = {"bilingual": ("zh", "en"), "zh": ("zh",), "en": ("en",)}[edition]
    boxes = [shape for shape in slide.shapes if shape.has_text_frame and not shape.is_placeholder]
    for column in range(2):
        holding = [box for box in boxes if all(texts[lang][column] in plain(box.text_frame.text) for lang in langs)]
        assert len(holding) == 1, [box.text_frame.text for box in boxes]
        box = holding[0]
        centre = box.left + box.width // 2
        assert frame.left + frame.width * column // 2 < centre < frame.left + frame.width * (column + 1) // 2
        assert frame.top < box.top and box.top + box.height < frame.top + frame.height
    tops = specs(edition)["region_revenue"].column_tops()
    scale = 10 ** specs(edition)["region_revenue"].axis_power  # the values as the axis shows them
    assert frame.chart.value_axis.maximum_scale > max(tops) / scale * 1.05  # room above the tallest column


# -- a slide budget that cannot hold every slide -------------------------------------------


@pytest.mark.slow
def it_says_which_slides_a_budget_left_out_and_keeps_the_sources(tmp_path):
    import subprocess
    import sys

    from pptx import Presentation

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "charts.yaml").write_text(CHARTS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "report.toml").write_text(
        '[project]\ndataset = "data/charts.yaml"\n\n'
        '[audiences.board]\ndescription = "Five slides"\nedition = "en"\nmax_slides = 5\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "reporting", "--project", str(tmp_path), "--audience", "board",
                          "--format", "pptx", "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    deck_path = tmp_path / "out" / "charts-2023_board_en.pptx"
    assert run.stderr.strip() == (
        "make-report: warning: out/charts-2023_board_en.pptx: max_slides 5 left out the agenda slide; "
        "chart 'Gross margin' (Margins); chart 'Gross and operating margin' (Margins); the timeline (1 slide); "
        "the sources' table (a shorter list of the sources takes its place); the closing slide")
    slides = Presentation(str(deck_path)).slides
    assert len(slides) == 5
    last = "\n".join(shape.text_frame.text for shape in slides[4].shapes if shape.has_text_frame)
    assert last.startswith("Sources")
    for title in ("Annual report 2023", "Press release: fourth-quarter results", "Press release: share buyback"):
        assert title in last
    notes = slides[4].notes_slide.notes_text_frame.text
    assert "(phone revenue) — Source: annual report, p. 21" in notes  # each source's figures, where stated


@pytest.mark.slow
def it_says_nothing_when_the_budget_holds_every_slide(tmp_path):
    from reporting.render.deck.builder import write_deck

    said: list[str] = []
    write_deck(plan(load_dataset(CHARTS), "en"), THEME, tmp_path / "all.pptx", max_slides=40, on_left_out=said.append)
    assert said == []


# -- timeline titles ---------------------------------------------------------------------

LONG_TITLE = {"en": "The board authorises a further share buyback programme and raises the quarterly dividend "
                    "by four per cent for long-standing shareholders",
              "zh": "董事会批准新增900亿美元股票回购计划，并将季度股息提高百分之四，以回报长期持股的股东"}


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", EVERY_SIZE[:2])
def it_wraps_a_long_timeline_title_in_full(edition, size):
    figure = draw(specs(edition)["timeline"], **size)
    placed = drawn_texts(figure)
    text = "\n".join(t.get_text() for t, _ in placed)
    assert "…" not in text
    langs = ("zh", "en") if edition == "bilingual" else (edition,)
    for lang in langs:
        assert squeezed(LONG_TITLE[lang]) in squeezed(text), lang
    page = figure.bbox
    for t, box in placed:
        assert page.x0 - 0.5 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 - 0.5 <= box.y0 and box.y1 <= page.y1 + 0.5
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
def it_wraps_a_long_timeline_title_in_full_on_the_slide(decks, edition):
    slide = next(s for s in decks[edition].slides
                 if s.shapes.title is not None and s.shapes.title.text_frame.text.startswith(
                     "Timeline" if edition == "en" else "大事记"))
    boxes = [shape for group in slide.shapes if group.shape_type == 6 for shape in group.shapes if shape.has_text_frame]
    text = "\n".join(box.text_frame.text for box in boxes)
    assert "…" not in text
    langs = ("zh", "en") if edition == "bilingual" else (edition,)
    for lang in langs:
        assert squeezed(LONG_TITLE[lang]) in squeezed(text), lang


def it_moves_a_line_label_below_its_point_when_two_series_run_close():
    import dataclasses

    spec = specs("en")["margins_from_30"]
    gross, operating = spec.series
    close = dataclasses.replace(operating, values=(43.25, 45.15), value_labels=gross.value_labels)
    spec = dataclasses.replace(spec, series=(gross, close), axis_min=None)
    labels = value_labels(spec) | {label.first.text for label in close.value_labels}
    placed = [(t, b) for t, b in drawn_texts(draw(spec, dpi=72)) if t.get_text() in labels]
    assert len(placed) == 4
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"
    assert {t.get_va() for t, _ in placed} == {"bottom", "top"}


@pytest.mark.slow
def it_builds_charts_that_verify_accepts(tmp_path):
    from reporting.lang.editions import Edition
    from reporting.pipeline.build import BuildOptions, Builder
    from reporting.verify.check import verify_outputs

    with Builder() as builder:
        result = builder.build(CHARTS, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=tmp_path, edition=Edition("en")))
    report = verify_outputs(result.outputs, CHARTS)
    assert report.ok, report.mismatches


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("size", EVERY_SIZE)
def it_gives_a_negative_bars_label_room_below_zero(edition, size):
    """A declining segment's bar runs below zero with its label past its end: the value
    axis reaches far enough that the label stays inside the axes, clear of the category
    names beside it (example: More Personal Computing, −8.7%)."""
    dataset = HERE.parent / "examples" / "company-results" / "microsoft-fy2023.yaml"
    spec = {chart.id: chart for chart in plan(load_dataset(dataset), edition).charts}["segment_growth"]
    figure = draw(spec, **size)
    placed = drawn_texts(figure)
    ax = figure.axes[0]
    axes_box = ax.get_window_extent(figure.canvas.get_renderer())
    negative = [(text, box) for text, box in placed if text.get_text().startswith("−")
                and text.get_text() in value_labels(spec)]
    assert negative, "the decline's value label is drawn"
    ticks = {t.get_text() for t in ax.get_yticklabels() if t.get_text()}
    for text, box in negative:
        assert box.x0 >= axes_box.x0, f"{text.get_text()!r} starts left of the axes"
        for other, other_box in placed:
            if other.get_text() in ticks:
                assert not box.overlaps(other_box), f"{text.get_text()!r} overlaps {other.get_text()!r}"


@pytest.mark.slow
def it_puts_the_decks_category_names_clear_of_a_negative_bar(tmp_path):
    """A native bar chart with a decline: the category names sit at the axis' low edge
    (not on the bar running left of zero) and the axis reaches a step below the bar's end,
    so its label fits inside the chart."""
    from pptx import Presentation
    from pptx.enum.chart import XL_TICK_LABEL_POSITION

    from reporting.render.deck.builder import write_deck

    dataset = HERE.parent / "examples" / "company-results" / "microsoft-fy2023.yaml"
    presentation = Presentation(str(write_deck(plan(load_dataset(dataset), "en"), THEME, tmp_path / "en.pptx")))
    chart = chart_titled(presentation, "Segment revenue growth")
    assert chart.category_axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW
    assert chart.value_axis.minimum_scale <= -8.7 - 5
    growing = chart_titled(presentation, "Revenue by segment")
    assert growing.category_axis.tick_label_position != XL_TICK_LABEL_POSITION.LOW
    assert growing.value_axis.minimum_scale == 0
