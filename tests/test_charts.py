"""Charts drawn with matplotlib: every kind, every edition, legible and deterministic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from reporting.charts import colour as chart_colour
from reporting.charts import mpl, style
from reporting.lang.cjk import is_cjk
from reporting.charts.mpl import ChartRenderer, render_png, render_svg
from reporting.charts.wrap import wrap
from reporting.model.chartspec import ChartSpec, SeriesSpec, TimelinePoint, timeline_months
from reporting.model.theme import Theme
from reporting.dataset.load import load_dataset
from reporting.fonts import resolve_font
from reporting.lang.numbers import format_number
from reporting.model.planner import plan
from reporting.model.texts import Phrase, Texts
from reporting.lang.numbers import plain
from chart_checks import drawn_texts

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"
EDITIONS = ("bilingual", "en-zh", "zh", "en")
THEME = Theme()


@functools.lru_cache(maxsize=None)
def charts(edition: str) -> dict[str, ChartSpec]:
    report = plan(load_dataset(DATASET), edition)
    return {chart.id: chart for chart in report.charts}


def chart_of(edition: str, kind: str, *, log: bool = False) -> ChartSpec:
    return next(c for c in charts(edition).values() if c.kind == kind and c.log_scale == log)


def draw(spec: ChartSpec, **options):
    """The laid-out Figure, as render_svg would save it."""
    with style.chart_style(THEME):
        return mpl._draw(spec, THEME, **options)


def texts(by_lang: dict[str, str]) -> Texts:
    return Texts(tuple(Phrase(lang, text) for lang, text in by_lang.items()))



def synthetic(kind: str, langs=("zh", "en"), **changes) -> ChartSpec:
    """A small two-series chart, for kinds and cases the dataset does not have."""
    words = {"zh": ("第一季度", "第二季度", "第三季度", "线上", "线下", "季度销量"),
             "en": ("First quarter", "Second quarter", "Third quarter", "Online", "In store", "Sales")}

    def t(i):
        return Texts(tuple(Phrase(lang, words[lang][i]) for lang in langs))

    def labels(values):
        return tuple(Texts(tuple(Phrase(lang, format_number(v, lang)) for lang in langs)) for v in values)

    spec = ChartSpec(
        id=f"synthetic_{kind}", kind=kind, title=t(5), caption=t(5), alt=t(5),
        categories=(t(0), t(1), t(2)),
        series=(
            SeriesSpec(t(3), (1_200_000.0, 2_500_000.0, 3_100_000.0), labels((1_200_000, 2_500_000, 3_100_000)),
                       ("a", "b", "c")),
            SeriesSpec(t(4), (900_000.0, 1_100_000.0, 1_400_000.0), labels((900_000, 1_100_000, 1_400_000)),
                       ("d", "e", "f")),
        ),
        value_axis=t(5),
    )
    return dataclasses.replace(spec, **changes)


# -- every chart, every edition -------------------------------------------------------


def test_dataset_covers_the_kinds():
    kinds = {chart.kind for chart in charts("bilingual").values()}
    assert kinds == {"bar", "column", "stacked_column", "doughnut", "timeline"}
    assert any(chart.log_scale for chart in charts("bilingual").values())


def svg_texts(svg: str) -> list[str]:
    """The content of every ``<text>`` element of ``svg``."""
    import html

    return [html.unescape(text) for text in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chart_renders_as_svg_with_its_labels_as_text(edition):
    for chart in charts(edition).values():
        svg = render_svg(chart, THEME)
        assert svg.startswith("<?xml"), chart.id
        assert 'width="453.6pt" height="230.4pt"' in svg, chart.id  # 6.3 × 3.2 in, fixed
        assert 'id="NotoSansCJKsc-' not in svg, chart.id  # svg.fonttype = none: no glyph outlines to walk
        assert "font-family: 'Noto Sans CJK SC'" in svg, chart.id  # the theme's font, as fontconfig names it
        assert f'id="chart-{chart.id}-svg"' in svg  # the HTML figure itself is chart-{id}
        drawn = "\n".join(svg_texts(svg))
        for series in chart.series:
            for label in series.value_labels:
                if label is not None:
                    assert label.first.text in drawn, (chart.id, label.first.text)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("options", [pytest.param({"dpi": 72}, id="brief"),  # the titled and deck sizes: whole suite only
                                     pytest.param({"with_title": True}, id="titled", marks=pytest.mark.slow),
                                     pytest.param({"width_in": 10.0, "height_in": 5.0, "dpi": 96}, id="deck",
                                                  marks=pytest.mark.slow)])
def test_no_text_overlaps_or_leaves_the_figure(edition, options):
    for chart in charts(edition).values():
        figure = draw(chart, **options)
        placed = drawn_texts(figure)
        page = figure.bbox
        for text, box in placed:
            where = f"{chart.id}: {text.get_text()!r}"
            assert box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5, where
            assert box.y0 >= page.y0 - 0.5 and box.y1 <= page.y1 + 0.5, where
        for i, (a, box_a) in enumerate(placed):
            for b, box_b in placed[i + 1:]:
                assert not box_a.overlaps(box_b), f"{chart.id}: {a.get_text()!r} overlaps {b.get_text()!r}"


def test_the_overlap_check_can_fail():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.text(0.1, 0.5, "Views")
    figure.text(0.12, 0.5, "Views")
    figure.text(0.9, 0.5, "clipped")
    placed = drawn_texts(figure)
    assert placed[0][1].overlaps(placed[1][1])
    assert placed[2][1].x1 > figure.bbox.x1


@pytest.mark.parametrize("kind", ["bar", "column", "stacked_column", "line", "doughnut"])
@pytest.mark.parametrize("langs", [("zh", "en"), ("en",)])
def test_synthetic_kinds_draw_legibly(kind, langs):
    spec = synthetic(kind, langs)
    if kind == "doughnut":
        spec = dataclasses.replace(spec, series=spec.series[:1])
    placed = drawn_texts(draw(spec))
    assert placed
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind 'radar'"):
        draw(synthetic("radar"))


# -- determinism ----------------------------------------------------------------------


def test_svg_is_byte_identical_and_undated():
    spec = charts("bilingual")["relief_batches"]
    first, second = render_svg(spec, THEME), render_svg(spec, THEME)
    assert first == second
    assert "<dc:date>" not in first
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", first)


def test_svg_is_identical_across_processes():
    # A fresh process has fresh hash seeds and uuids: only fixed salts survive this.
    script = (
        "import sys; from reporting.dataset.load import load_dataset; from reporting.model.planner import plan;"
        "from reporting.charts.mpl import render_svg; from reporting.model.theme import Theme;"
        f"spec = plan(load_dataset({str(DATASET)!r}), 'bilingual').charts[0];"
        "sys.stdout.write(render_svg(spec, Theme()))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout == render_svg(charts("bilingual")["community_scale"], THEME)


def test_different_charts_get_different_svg_ids():
    # Several SVGs are inlined into one HTML page: clip-path ids must not collide.
    first = render_svg(charts("zh")["poverty_streams"], THEME)
    second = render_svg(charts("zh")["brand_discussion_growth_chart"], THEME)
    clips = lambda svg: set(re.findall(r'<clipPath id="([^"]+)"', svg))  # noqa: E731
    assert clips(first) and clips(second)
    assert not clips(first) & clips(second)


# -- fonts: Chinese draws with a CJK face ---------------------------------------------------


def test_chinese_chart_text_is_drawn_in_the_cjk_face_without_warnings(tmp_path):
    """The SVG names the theme's CJK family; WeasyPrint then draws the labels with that
    face (no fallback font, no boxes), as text a reader can search."""
    import pypdf
    from weasyprint import HTML

    chinese = synthetic("column", ("zh",))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = render_svg(chinese, THEME)
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert {"第一季度", "第二季度", "第三季度"} <= set(svg_texts(svg))

    from reporting.render.html import svg_data_uri

    HTML(string=f'<img style="width: 16cm" src="{svg_data_uri(svg)}">').write_pdf(tmp_path / "chart.pdf")
    page = pypdf.PdfReader(tmp_path / "chart.pdf").pages[0]
    assert "第二季度" in page.extract_text()
    fonts = set()
    for xobject in page["/Resources"]["/XObject"].values():
        fonts |= {str(font.get_object()["/BaseFont"]) for font in
                  xobject.get_object().get("/Resources", {}).get("/Font", {}).values()}
    assert fonts and all("Noto-Sans-CJK-SC" in font for font in fonts), fonts


def test_font_families_register_the_fontconfig_face():
    from matplotlib import font_manager

    families = style.font_families(THEME)
    assert families[0] == "Noto Sans CJK SC" and families[-1] == style.FALLBACK_FAMILY
    font = resolve_font("Noto Sans CJK SC")
    path = font_manager.findfont(font_manager.FontProperties(family=families))
    if "index" in font_manager.FontEntry.__dataclass_fields__:  # matplotlib 3.11+ reads any face of a collection
        assert Path(path).resolve() == font.path.resolve()
        assert getattr(path, "face_index", 0) == font.index  # the SC face of the .ttc, not JP
    else:  # older ones read the face written out as a font of its own
        assert Path(path).resolve() != font.path.resolve()
    with TTFont(path, fontNumber=getattr(path, "face_index", 0), lazy=True) as read, \
            TTFont(font.path, fontNumber=font.index, lazy=True) as resolved:
        assert read["name"].getDebugName(4) == resolved["name"].getDebugName(4) == "Noto Sans CJK SC"
        assert read.getGlyphOrder() == resolved.getGlyphOrder()


# -- what is drawn ----------------------------------------------------------------------------


def test_log_scale_gives_a_log_axis_with_plain_numbers():
    log_spec = chart_of("zh", "bar", log=True)
    figure = draw(log_spec)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t, _box in drawn_texts(figure) if t in ax.get_xticklabels()]
    assert labels and not any("^" in label or "$" in label for label in labels)
    # Counted in one scale, said once in the axis title; no tick with more than six digits.
    assert not any(word in label for label in labels for word in ("万", "亿"))
    assert all(len(re.sub(r"\D", "", label).lstrip("0")) <= 6 for label in labels)
    assert log_spec.axis_power and "单位" in ax.get_xlabel()
    assert draw(chart_of("zh", "bar")).axes[0].get_xscale() == "linear"


def test_value_labels_and_bilingual_categories():
    spec = charts("bilingual")["community_scale"]
    drawn = [t.get_text() for t, _box in drawn_texts(draw(spec))]
    for label in spec.series[0].value_labels:
        assert label.first.text in drawn  # 超过1亿: the first language's figure
        assert label.get("en") not in drawn
    for category in spec.categories:
        assert any(category.get("zh") in text and category.get("en") in text for text in drawn)
    # The long English label wraps onto its own line(s) under the Chinese.
    assert any(text.startswith("分享者\n") for text in drawn)


def test_bars_run_top_to_bottom_in_category_order():
    spec = charts("en")["campaign_reach"]
    ax = draw(spec).axes[0]
    centres = [patch.get_y() + patch.get_height() / 2 for patch in ax.patches]
    tops = [ax.transData.transform((1, y))[1] for y in centres]
    assert tops == sorted(tops, reverse=True)


def test_stacked_column_skips_missing_values_and_has_a_legend():
    spec = charts("en")["relief_batches"]
    ax = draw(spec).axes[0]
    present = sum(v is not None for s in spec.series for v in s.values)
    assert len([p for p in ax.patches if p.get_height() > 0]) == present == 5
    legend = [t.get_text().split("\n")[0] for t in ax.get_legend().get_texts()]  # values too thin follow
    assert sorted(legend) == sorted(s.name.get("en") for s in spec.series)


def test_doughnut_legend_gives_share_and_value():
    spec = charts("zh")["relief_mix"]
    legend = [plain(t.get_text()) for t in draw(spec).axes[0].get_legend().get_texts()]
    assert legend[0] == "防护口罩\n67.6%（20万）"
    assert legend[-1] == "安心裤\n0.2%（600）"


def test_timeline_alternates_sides_and_marks_derived_dates():
    spec = charts("en")["timeline"]
    figure = draw(spec)
    ax = figure.axes[0]
    markers = sorted((line for line in ax.lines if line.get_marker() == "o"), key=lambda m: m.get_xdata()[0])
    assert len(markers) == len(spec.points)
    sides = [line.get_ydata()[0] > 0 for line in markers]
    assert sides == [i % 2 == 0 for i in range(len(spec.points))]
    hollow = [line.get_markerfacecolor() for line in markers]
    from matplotlib.colors import to_hex

    assert [to_hex(c) == THEME.paper.lower() for c in hollow] == [p.derived_date for p in spec.points]
    drawn = [t.get_text() for t, _box in drawn_texts(figure)]
    assert "26 February\n(derived)" in drawn or "26 February (derived)" in drawn
    assert "31 January" in drawn
    # The text alternative says it too: in the deck the hollow marker is decorative.
    assert "26 February (derived) Third batch" in spec.alt.get("en")
    assert "2月26日（推算） 第三批" in charts("zh")["timeline"].alt.get("zh")


def test_title_only_on_request():
    spec = charts("bilingual")["relief_mix"]
    assert spec.title.get("zh") not in [t.get_text() for t, _ in drawn_texts(draw(spec))]
    titled = [t.get_text() for t, _ in drawn_texts(draw(spec, with_title=True))]
    assert any(spec.title.get("zh") in text and spec.title.get("en") in text for text in titled)


def test_english_quotes_are_straight_and_chinese_keep_theirs():
    # Noto Sans CJK draws “ ” full-width: English would get holes around quoted words.
    drawn = [t.get_text() for t, _ in drawn_texts(draw(charts("bilingual")["timeline"]))]
    assert any(text.startswith('"Go Wuhan"') for text in drawn)
    assert any(text.startswith("“武汉加油”") for text in drawn)
    assert not any("“Go" in text for text in drawn)


def test_series_colours_used_for_text_are_darkened_to_read():
    from reporting.model.theme import contrast_ratio as contrast

    light = "#C46A12"  # an orange as a user theme might have it: too light for small text
    assert contrast(light, THEME.paper) < 4.5
    assert contrast(chart_colour.legible(light, THEME.paper), THEME.paper) >= 4.5
    for colour in THEME.palette:
        legible = chart_colour.legible(colour, THEME.paper)
        assert contrast(legible, THEME.paper) >= 4.5
    assert chart_colour.legible(THEME.palette[1], THEME.paper) == THEME.palette[1].lower()  # dark enough already


def test_palette_colours_appear_in_order():
    spec = charts("en")["relief_batches"]
    svg = render_svg(spec, THEME).lower()
    for colour in THEME.palette[:4]:
        assert f"fill: {colour.lower()}" in svg
    other = Theme(palette=("#112233", "#445566", "#778899", "#aabbcc"))
    svg = render_svg(spec, other).lower()
    # The theme's colours, each made a readable mark clearly apart from the one before it:
    # #aabbcc, at 1.9:1 on white, is darkened.
    from reporting.model.colours import series_colours

    made = series_colours(other.palette, other.paper, other.ink)
    assert made[:2] == ("#112233", "#445566") and "#AABBCC" not in made
    assert all(f"fill: {c.lower()}" in svg for c in made)
    assert f"fill: {THEME.palette[1].lower()}" not in svg


def test_png_has_the_requested_pixel_size():
    png = render_png(charts("en")["timeline"], THEME, dpi=100, width_in=6.3, height_in=3.2)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (630, 320)


# -- cache ---------------------------------------------------------------------------------


def test_renderer_caches_by_digest(monkeypatch):
    calls = []
    real = mpl._draw

    def counting(*args, **kwargs):
        calls.append(args[0].id)
        return real(*args, **kwargs)

    monkeypatch.setattr(mpl, "_draw", counting)
    renderer = ChartRenderer(THEME)
    spec = charts("zh")["brand_reach"]
    first = renderer.svg(spec)
    assert renderer.svg(spec) is first
    assert calls == ["brand_reach"] and renderer.draws == 1
    renderer.svg(spec, width_in=5.0)
    renderer.png(spec, dpi=72)
    assert renderer.png(spec, dpi=72) is renderer.png(spec, dpi=72)
    assert len(calls) == 3 == renderer.draws
    assert ChartRenderer(Theme(ink="#000000")).svg(spec) != first


# -- wrapping -------------------------------------------------------------------------------


def measure(text: str) -> float:
    """A fixed-pitch stand-in: Chinese characters 10 pt, everything else 5 pt."""
    return sum(10 if is_cjk(c) else 5 for c in text)


def test_wrap_breaks_chinese_between_characters_but_not_before_closing_marks():
    assert wrap("90后用户（推算）", 60, measure) == ["90后用户", "（推算）"]
    lines = wrap("成立应急小组，启动专项援助", 70, measure)
    assert all(measure(line) <= 70 for line in lines)
    assert not any(line.startswith(("，", "）")) for line in lines)
    assert "".join(lines) == "成立应急小组，启动专项援助"


def test_wrap_breaks_english_at_spaces_and_balances_lines():
    lines = wrap("users who share their experiences", 120, measure)
    assert " ".join(lines) == "users who share their experiences"
    assert len(lines) == 2 and all(measure(line) <= 120 for line in lines)
    assert abs(measure(lines[0]) - measure(lines[1])) < 40
    assert wrap("Views", 10, measure) == ["Views"]  # a word longer than the width stays whole


# -- no global state ----------------------------------------------------------------------


def test_a_cached_chart_is_read_without_importing_matplotlib(tmp_path):
    """The disk cache key needs matplotlib's version, read from its package metadata: a
    build whose charts are all cached never imports matplotlib (nor numpy)."""
    spec = synthetic("column")
    ChartRenderer(THEME, cache_dir=tmp_path).svg(spec)  # drawn and stored here
    script = (
        "import pickle, sys; from reporting.charts.mpl import ChartRenderer;"
        f"spec, theme = pickle.loads({__import__('pickle').dumps((spec, THEME))!r});"
        f"renderer = ChartRenderer(theme, cache_dir={str(tmp_path)!r});"
        "svg = renderer.svg(spec);"
        "print(renderer.draws, 'matplotlib' in sys.modules, 'numpy' in sys.modules, '<text' in svg)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "False", "False", "True"]


def test_import_is_cheap_and_drawing_needs_no_pyplot():
    script = (
        "import sys; import reporting.charts.mpl as m;"
        "assert 'matplotlib' not in sys.modules, 'imported matplotlib eagerly';"
        "from reporting.model.chartspec import ChartSpec, TimelinePoint; from reporting.model.texts import Texts, Phrase;"
        "import datetime as dt; t = Texts((Phrase('en', 'x'),));"
        "spec = ChartSpec('t', 'timeline', t, t, t, points=(TimelinePoint(dt.date(2020, 1, 2), t, t),));"
        "from reporting.model.theme import Theme; m.render_svg(spec, Theme());"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def test_rc_settings_do_not_leak():
    import matplotlib

    before = dict(matplotlib.rcParams)
    render_svg(charts("zh")["relief_mix"], THEME)
    assert dict(matplotlib.rcParams) == before


def test_single_event_timeline():
    one = texts({"en": "Launch"})
    spec = ChartSpec("t", "timeline", one, one, one, points=(TimelinePoint(dt.date(2020, 12, 5), one, one, True),))
    assert "<svg" in render_svg(spec, THEME)


def test_timeline_over_years_names_the_years():
    def event(day, zh, en):
        return TimelinePoint(day, texts({"zh": f"{day.month}月", "en": day.strftime("%B")}), texts({"zh": zh, "en": en}))

    points = (event(dt.date(2019, 11, 3), "启动", "Launch"), event(dt.date(2020, 6, 1), "扩展", "Growth"),
              event(dt.date(2021, 2, 9), "上市", "Listing"))
    spec = dataclasses.replace(charts("bilingual")["timeline"], points=points,
                               months=timeline_months([p.when for p in points], ("zh", "en")))
    placed = drawn_texts(draw(spec))
    drawn = [t.get_text() for t, _ in placed]
    assert "2020" in drawn and "2021" in drawn
    for i, (a, box_a) in enumerate(placed):
        for b, box_b in placed[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"


def test_doughnut_with_many_slices_keeps_its_legend_inside():
    base = synthetic("doughnut")
    names = [("视频", "Video"), ("图文", "Notes"), ("直播", "Live"), ("搜索", "Search"), ("电商", "Shopping"),
             ("社区", "Community"), ("广告", "Advertising"), ("其他", "Everything else")]
    values = tuple(float(v) for v in (40, 25, 12, 8, 6, 4, 3, 2))
    labels = tuple(texts({"zh": str(int(v)), "en": str(int(v))}) for v in values)
    spec = dataclasses.replace(
        base, categories=tuple(texts({"zh": zh, "en": en}) for zh, en in names),
        series=(SeriesSpec(base.series[0].name, values, labels, (None,) * 8),),
    )
    figure = draw(spec)
    placed = drawn_texts(figure)
    assert len([t for t, _ in placed if "%" in t.get_text()]) == 8
    for text, box in placed:
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1), text.get_text()


def test_log_scale_columns_and_lines():
    for kind in ("column", "line"):
        spec = synthetic(kind, ("en",), log_scale=True)
        ax = draw(spec).axes[0]
        assert ax.get_yscale() == "log"
        assert all("$" not in t.get_text() for t in ax.get_yticklabels())


def test_renderer_reads_charts_drawn_by_an_earlier_process_from_disk(tmp_path, monkeypatch):
    spec = charts("en")["brand_reach"]
    first = ChartRenderer(THEME, cache_dir=tmp_path)
    drawn = first.svg(spec)
    assert first.draws == 1 and len(list(tmp_path.glob("*.svg"))) == 1

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew a chart the disk cache holds")

    monkeypatch.setattr(mpl, "_draw", no_drawing)
    second = ChartRenderer(THEME, cache_dir=tmp_path)
    assert second.svg(spec) == drawn and second.draws == 0
    # another theme is another chart
    monkeypatch.undo()
    assert ChartRenderer(Theme(accent="#1F5F8B", palette=("#1F5F8B", "#2E7D5B")), cache_dir=tmp_path).svg(spec) != drawn
