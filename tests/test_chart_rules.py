"""Charts a reader can read, measured over the examples and the shipped dataset in every
edition, in the brief's charts (as matplotlib draws them) and in the deck (its chart XML,
and its text as LibreOffice draws it): no tick or label with more than six significant
digits, and value axes that end near the largest value (within 1.25 times it, or at the
next round step)."""

from __future__ import annotations

import math
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import pypdf
import pytest

from chart_checks import drawn_texts
from drawn_text import convert
from once_per_run import once_per_run
from reporting.charts import mpl, style
from reporting.dataset.load import load_dataset
from reporting.lang.editions import Edition
from reporting.model.planner import plan
from reporting.model.theme import Theme
from test_examples import DATASET, EXAMPLES, built, output  # noqa: F401  (built: the shared example builds)
from test_examples import EDITIONS as BUILT_EDITIONS

ROOT = Path(__file__).resolve().parent.parent
THEME = Theme()
DATASETS = {"company-results": EXAMPLES / "company-results" / "microsoft-fy2023.yaml",
            "statistics-bulletin": EXAMPLES / "statistics-bulletin" / "china-2023-bulletin.yaml",
            "shipped": ROOT / "data" / "xiaohongshu-2020.yaml"}
EDITIONS = tuple(edition.value for edition in Edition)
MOST_DIGITS = 6
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def significant(token: str) -> int:
    """Digits a number shows, leading zeros left out (``148,000,000,000``: 12; ``0.05``: 1)."""
    return len(token.replace(",", "").replace(".", "").lstrip("0"))


def long_numbers(text: str) -> list[str]:
    return [token for token in NUMBER.findall(text) if significant(token) > MOST_DIGITS]


def it_counts_the_digits_a_number_shows():
    assert long_numbers("RMB 148,000,000,000 and 148000000000 元") == ["148,000,000,000", "148000000000"]
    assert long_numbers("150 billion, 1500亿元, 0.0001, 14.0967亿, 221,000") == []


@lru_cache(maxsize=None)
def charts(dataset: str, edition: str):
    return tuple(chart for chart in plan(load_dataset(DATASETS[dataset]), edition).charts if chart.kind != "timeline")


def highest(spec) -> float:
    """The largest value a chart draws: a stack's top, or its largest bar or point."""
    if spec.kind == "stacked_column":
        return max(spec.column_tops())
    return max(v for s in spec.series for v in s.values if v is not None)


def within_rule(high: float, top: float, step: float) -> bool:
    """An axis ending at ``high`` for a largest value ``top``: within 1.25 times it, or at
    the next round step (ticks ``step`` apart) above it."""
    return high <= max(top * 1.25, math.ceil(top / step - 1e-9) * step) * (1 + 1e-9)


CASES = [pytest.param(dataset, edition, id=f"{dataset}-{edition}",
                      marks=() if edition == "bilingual" else pytest.mark.slow)
         for dataset in DATASETS for edition in EDITIONS]
"""Every dataset in the bilingual edition in the quick subset; the other editions in the whole suite."""


@pytest.mark.parametrize("dataset, edition", CASES)
def it_draws_brief_charts_with_short_numbers_and_axes_that_end_near_the_data(dataset, edition):
    problems = []
    for spec in charts(dataset, edition):
        with style.chart_style(THEME):
            figure = mpl._draw(spec, THEME)
        for text, _box in drawn_texts(figure):
            problems += [f"{spec.id}: {number!r} in {text.get_text()!r}" for number in long_numbers(text.get_text())]
        if spec.kind in ("bar", "column", "stacked_column", "line") and not spec.log_scale:
            ax = figure.axes[0]
            axis = ax.xaxis if spec.kind == "bar" else ax.yaxis
            low, high = sorted(axis.get_view_interval())
            ticks = sorted(t for t in axis.get_majorticklocs() if low - 1e-9 <= t <= high + 1e-9)
            step = ticks[1] - ticks[0] if len(ticks) > 1 else high
            top = highest(spec)
            if top > 0 and not within_rule(high, top, step):
                problems.append(f"{spec.id}: axis to {high:g} for a largest value of {top:g} (ticks {step:g} apart)")
    assert not problems, "\n".join(problems)


# -- the deck ------------------------------------------------------------------------------


def deck_paths(built) -> list[Path]:  # noqa: F811
    return [output(built, example, edition, "pptx") for example in DATASET for edition in BUILT_EDITIONS]


@pytest.mark.slow
def it_ends_every_deck_value_axis_near_the_data(built, shipped):  # noqa: F811
    problems = []
    decks = deck_paths(built) + [files[".pptx"] for files in shipped.editions.values()]
    for deck in decks:
        with zipfile.ZipFile(deck) as package:
            for name in sorted(n for n in package.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)):
                xml = package.read(name).decode("utf-8")
                axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S)
                if axis is None or "<c:logBase" in axis.group(0):
                    continue
                values = [float(v) for block in re.findall(r"<c:val>.*?</c:val>", xml, re.S)
                          for v in re.findall(r"<c:v>([-\d.eE]+)</c:v>", block)]
                stacked = '<c:grouping val="stacked"/>' in xml
                if stacked:
                    count = len(re.findall(r"<c:ser>", xml))
                    per = len(values) // max(count, 1)
                    values = [sum(values[i::per]) for i in range(per)]
                top = max(values, default=0)
                maximum = re.search(r'<c:max val="([^"]+)"/>', axis.group(0))
                unit = re.search(r'<c:majorUnit val="([^"]+)"/>', axis.group(0))
                if top <= 0:
                    continue
                if maximum is None:
                    problems.append(f"{deck.name} {name}: the axis maximum is left to the renderer")
                    continue
                step = float(unit.group(1)) if unit else float(maximum.group(1))
                high = float(maximum.group(1))
                if stacked:  # totals printed above the stack: within 1.25 times the tallest
                    ok = high <= top * 1.25 * (1 + 1e-9) or within_rule(high, top, step)
                else:
                    ok = within_rule(high, top, step)
                if not ok:
                    problems.append(f"{deck.name} {name}: axis to {high:g} for a largest value of {top:g}")
    assert not problems, "\n".join(problems)


def _deck_pdfs(folder: Path, decks: list[str]) -> list[str]:
    return [str(path) for path in convert([Path(d) for d in decks], folder)]


@pytest.mark.slow
def it_shows_no_long_numbers_on_the_slides_as_libreoffice_draws_them(built, shipped, tmp_path_factory):  # noqa: F811
    decks = [str(p) for p in deck_paths(built)] + [str(files[".pptx"]) for files in shipped.editions.values()]
    pdfs = once_per_run(tmp_path_factory, "deck-pdfs-charts", lambda folder: _deck_pdfs(folder, decks))
    problems = []
    for pdf in pdfs:
        for number, page in enumerate(pypdf.PdfReader(pdf).pages, 1):
            problems += [f"{Path(pdf).name} slide {number}: {token}" for token in long_numbers(page.extract_text() or "")]
    assert not problems, "\n".join(problems)


# -- numbers that line up ------------------------------------------------------------------

FRACTION = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")


def _decimals(text: str) -> tuple[int, str]:
    """The fraction digits of a label's number and the words after it (its scale and unit)."""
    from reporting.lang.numbers import plain

    text = plain(text)
    match = FRACTION.search(text)
    return (len(match.group(2) or "") if match else 0), re.sub(r"[\d.,\s]", "", text[match.end():] if match else "")


def _known_fraction(value: float, label: str) -> int:
    """Fraction digits a value is known to at the scale its label prints it in
    (``7.68 million`` of 700,000,000: −2)."""
    from reporting.lang.numbers import TYPED_SCALES, exact, last_digit, plain

    words = plain(label).replace("\u2060", "")
    power = max((p for word, p in TYPED_SCALES.items() if word in words), default=0)
    return power - last_digit(abs(exact(value)))


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("edition", EDITIONS)
def it_gives_each_series_one_number_of_decimals(dataset, edition):
    problems = []
    for spec in charts(dataset, edition):
        for series in spec.series:
            for lang in [phrase.lang for phrase in series.name]:
                labels = [label.get(lang) for label in series.value_labels if label is not None]
                by_scale: dict[str, set[int]] = {}
                detail: dict[str, list[int]] = {}
                values = [v for v, label in zip(series.values, series.value_labels) if label is not None]
                for label, value in zip(labels, values):
                    digits, words = _decimals(label)
                    by_scale.setdefault(words, set()).add(digits)
                    detail.setdefault(words, []).append(_known_fraction(value, label))
                # Alike, unless a value is not known to the detail of the most detailed label.
                problems += [f"{spec.id} {series.name.first.text}: {labels}"
                             for words, found in by_scale.items() if len(found) > 1 and min(detail[words]) >= max(found)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("edition", EDITIONS)
def it_rounds_shares_to_add_up(dataset, edition):
    from decimal import Decimal

    doughnuts = [spec for spec in charts(dataset, edition) if spec.kind == "doughnut"]
    for spec in doughnuts:
        shares = [share.first.text for share in spec.series[0].shares if share is not None]
        total = sum(Decimal(share.rstrip("%")) for share in shares if not share.startswith("<"))
        assert total == 100 or any(share.startswith("<") for share in shares), (spec.id, shares)


def it_rounds_shares_by_largest_remainder():
    from reporting.model.chartspec import SeriesSpec
    from reporting.model.texts import Phrase, Texts

    thirds = SeriesSpec(Texts((Phrase("en", "x"),)), (1.0, 1.0, 1.0), (None, None, None), (None, None, None))
    assert [s.first.text for s in thirds.shares] == ["33.4%", "33.3%", "33.3%"]  # each alone: 33.3%, 99.9% in all
    parts = SeriesSpec(Texts((Phrase("en", "x"),)), (8.98, 48.26, 68.82), (None,) * 3, (None,) * 3)
    assert [s.first.text for s in parts.shares] == ["7.1%", "38.3%", "54.6%"]


# -- timelines in time ---------------------------------------------------------------------


def timeline_markers(deck: Path) -> list[list[int]]:
    """The x centres (EMU) of each timeline slide's event markers, left to right: the ovals
    of a group on the line (the derived-date key's oval sits below it)."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE

    slides = []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.shape_type != MSO_SHAPE_TYPE.GROUP:
                continue
            ovals = [s for s in shape.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
                     and s.auto_shape_type == MSO_SHAPE.OVAL]
            if len(ovals) < 2:
                continue
            rows: dict[int, list[int]] = {}
            for oval in ovals:
                rows.setdefault(oval.top + oval.height // 2, []).append(oval.left + oval.width // 2)
            slides.append(sorted(max(rows.values(), key=len)))
    return slides


@pytest.mark.slow
@pytest.mark.parametrize("example", list(DATASET))
def it_places_timeline_events_in_proportion_to_their_dates_on_the_slide(built, example):  # noqa: F811
    from reporting.render.deck.layouts import TIMELINE_EVENTS

    for edition in BUILT_EDITIONS:
        deck = output(built, example, edition, "pptx")
        events = plan(load_dataset(DATASETS[example]), edition).timeline.events
        groups = [events[i:i + TIMELINE_EVENTS] for i in range(0, len(events), TIMELINE_EVENTS)]
        markers = timeline_markers(deck)
        assert len(markers) == len(groups), (deck.name, markers)
        for xs, group in zip(markers, groups):
            days = [(event.when - group[0].when).days for event in group]
            assert xs == sorted(xs) and len(xs) == len(days)
            span_x, span_days = xs[-1] - xs[0], days[-1] or 1
            for x, day in zip(xs, days):
                assert abs((x - xs[0]) / span_x - day / span_days) < 0.01, (deck.name, xs, days)
