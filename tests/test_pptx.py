"""The PowerPoint deck: content per edition, native charts, notes, East Asian fonts,
text that fits its boxes, user templates, and a LibreOffice round trip."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Emu

from reporting.model.theme import Theme
from reporting.errors import TemplateError
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.render.deck import oxml, textfit
from reporting.render.deck.builder import write_deck
from reporting.render.deck.layouts import LAYOUT_NAMES, default_template
from reporting.lang.numbers import plain

import drawn_text  # tests/drawn_text.py

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
THEME = Theme()
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def loaded():
    return load_dataset(DATASET)


@pytest.fixture(scope="module")
def decks(shipped) -> dict[str, Path]:
    """The default report's deck in each edition (built once for the run: conftest.py)."""
    return {edition: shipped.editions[edition][".pptx"] for edition in ("bilingual", "en-zh", "zh", "en")}


def slide_text(slide) -> str:
    """All text on a slide, charts included (titles, categories, data labels)."""
    parts = [t.text or "" for t in slide._element.iter(f"{{{NS['a']}}}t")]
    for shape in slide.shapes:
        if shape.has_chart:
            space = shape.chart._chartSpace
            parts += [t.text or "" for t in space.iter(f"{{{NS['a']}}}t")]
            parts += [v.text or "" for v in space.iter(f"{{{NS['c']}}}v")]
    return "\n".join(parts)


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def deck_text(path: Path) -> str:
    prs = Presentation(str(path))
    return plain("\n".join(slide_text(s) + "\n" + notes_text(s) for s in prs.slides))


# -- structure -----------------------------------------------------------------------


def test_default_bilingual_deck_has_10_to_16_slides(decks):
    prs = Presentation(str(decks["bilingual"]))
    assert 10 <= len(prs.slides) <= 16
    assert prs.slide_width == Emu(12192000) and prs.slide_height == Emu(6858000)  # 16:9


def test_charts_are_native_chart_parts(decks):
    prs = Presentation(str(decks["bilingual"]))
    chart_parts = [p for p in prs.part.package.iter_parts() if "/ppt/charts/" in str(p.partname)]
    assert len(chart_parts) >= 3
    kinds = {shape.chart.chart_type for slide in prs.slides for shape in slide.shapes if shape.has_chart}
    assert {XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.DOUGHNUT} <= kinds
    assert not any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in prs.slides for shape in slide.shapes)


def test_log_scale_chart_has_log_axis(decks):
    prs = Presentation(str(decks["en"]))
    log_charts = [
        shape.chart for slide in prs.slides for shape in slide.shapes
        if shape.has_chart and shape.chart._chartSpace.xpath(".//c:valAx/c:scaling/c:logBase")
    ]
    assert len(log_charts) == 1
    assert "(log scale)" in log_charts[0].chart_title.text_frame.text


def test_missing_values_are_left_out_of_the_chart_data(decks):
    """The stacked chart's masks series has one value of three: no zero points."""
    prs = Presentation(str(decks["en"]))
    stacked = next(shape.chart for slide in prs.slides for shape in slide.shapes
                   if shape.has_chart and shape.chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED)
    masks = stacked.plots[0].series[0]
    assert masks.values == (200000.0, None, None)


def test_every_slide_has_speaker_notes_and_content_slides_list_figure_sources(decks):
    prs = Presentation(str(decks["bilingual"]))
    for number, slide in enumerate(prs.slides, start=1):
        assert notes_text(slide).strip(), f"slide {number} has no notes"
    chart_slides = [s for s in prs.slides if any(shape.has_chart for shape in s.shapes)]
    assert chart_slides
    for slide in chart_slides:
        notes = notes_text(slide)
        assert "本页数据来源" in notes and "Sources of the figures on this slide" in notes
        assert "要点" in notes and "Talking points" in notes
        assert re.search(r"来源：新闻报道，第\d+段", notes) and re.search(r"paragraph \d+", notes)


def test_notes_follow_the_edition(decks):
    zh = Presentation(str(decks["zh"]))
    en = Presentation(str(decks["en"]))
    zh_notes = "\n".join(notes_text(s) for s in zh.slides)
    assert "要点" in zh_notes and "来源：新闻报道" in zh_notes
    for english in ("Talking points", "Source: ", "paragraph", "Sources of the figures"):
        assert english not in zh_notes
    assert all(not CJK.search(notes_text(s)) for s in en.slides)


def test_slide_titles_come_first_in_reading_order(decks):
    prs = Presentation(str(decks["bilingual"]))
    for slide in prs.slides:
        first = slide.shapes[0]
        assert first.is_placeholder, slide.slide_id
        assert first.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def test_charts_and_timeline_have_alt_text(decks, loaded):
    report = plan(loaded, "bilingual")
    prs = Presentation(str(decks["bilingual"]))
    descrs = [el.get("descr") for slide in prs.slides
              for el in slide._element.iter(f"{{{NS['p']}}}cNvPr") if el.get("descr")]
    for chart in report.charts:
        assert chart.alt.get("zh") + "\n" + chart.alt.get("en") in descrs, chart.id


# -- languages and fonts -------------------------------------------------------------


def test_key_figures_appear_in_the_edition_languages_only(decks):
    bilingual, zh, en = (deck_text(decks[e]) for e in ("bilingual", "zh", "en"))
    assert "768万" in bilingual and "7.68 million" in bilingual
    assert "768万" in zh and "7.68 million" not in zh
    assert "7.68 million" in en and "768万" not in en
    for text in ("超过1亿", "over 100 million", "3000万", "30 million"):
        assert text in bilingual
    assert "超过1亿" in zh and "over 100 million" not in zh
    assert "over 100 million" in en and "超过1亿" not in en


def _runs(root):
    for run in root.iter(f"{{{NS['a']}}}r"):
        text = run.findtext("a:t", default="", namespaces=NS)
        yield run, text, run.find("a:rPr", NS)


def test_every_cjk_run_has_east_asian_and_latin_typefaces_and_a_language(decks):
    prs = Presentation(str(decks["bilingual"]))
    cjk_runs = 0
    parts = [p for p in prs.part.package.iter_parts() if str(p.partname).startswith(("/ppt/slides/", "/ppt/notesSlides/", "/ppt/charts/"))
             and str(p.partname).endswith(".xml")]
    for part in parts:
        root = etree.fromstring(part.blob)
        for run, text, rPr in _runs(root):
            if not CJK.search(text):
                continue
            cjk_runs += 1
            where = f"{part.partname}: {text!r}"
            assert rPr is not None, where
            assert rPr.find("a:ea", NS) is not None and rPr.find("a:ea", NS).get("typeface") == THEME.fonts.cjk, where
            assert rPr.find("a:latin", NS).get("typeface") == THEME.fonts.latin, where
            assert rPr.get("lang") == "zh-CN", where
    assert cjk_runs > 100


def test_english_runs_are_tagged_english(decks):
    prs = Presentation(str(decks["en"]))
    runs = [(rPr.get("lang"), text) for slide in prs.slides for _, text, rPr in _runs(slide._element)
            if text.strip() and rPr is not None]
    assert {lang for lang, _ in runs} == {"en-US", "zh-CN"}
    # Chinese only as the Chinese article's own title, on its sources slides, tagged Chinese
    assert {text for lang, text in runs if lang == "zh-CN"} == {"小红书2020年：为抗疫、扶贫和新国货助力"}


def test_master_theme_fonts_carry_an_east_asian_typeface(decks):
    for path in (default_template(), decks["zh"]):
        fonts = oxml.theme_fonts(Presentation(str(path)).slide_master)
        for kind in ("majorFont", "minorFont"):
            assert fonts[kind]["ea"] == "Noto Sans CJK SC", (path, kind)
            assert fonts[kind]["Hans"] == "Noto Sans CJK SC"
            assert fonts[kind]["latin"]


def test_master_has_named_layouts():
    names = [layout.name for layout in Presentation(str(default_template())).slide_layouts]
    assert set(LAYOUT_NAMES.values()) <= set(names)


# -- text fits ------------------------------------------------------------------------


DRAWN = {**{f"edition-{edition}": ("editions", edition) for edition in ("bilingual", "en-zh", "zh", "en")},
         **{f"audience-{name}": ("audiences", name) for name in ("executive", "press", "partners", "public_welfare")}}
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def drawn(shipped, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Every shipped deck (four editions, four audiences) as LibreOffice draws it, each
    text shape in a colour of its own (tests/drawn_text.py), and the bilingual deck as
    shipped; one soffice run converts them all."""
    folder = tmp_path_factory.mktemp("drawn")
    shipped_deck = shipped.editions["bilingual"][".pptx"]
    marked, shapes = {}, {}
    for name, (kind, key) in DRAWN.items():
        marked[name] = folder / f"{name}.pptx"
        shapes[name] = drawn_text.mark(getattr(shipped, kind)[key][".pptx"], marked[name])
    pdfs = drawn_text.convert([shipped_deck, *marked.values()], folder)
    return {"shipped-bilingual": (pdfs[0], {}), **{name: (pdf, shapes[name]) for name, pdf in zip(marked, pdfs[1:])}}


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("name", list(DRAWN))
def test_libreoffice_draws_no_text_outside_its_box(drawn, name):
    """The text fitting (textfit) checked against a real renderer, not against itself."""
    pdf, shapes = drawn[name]
    assert len(shapes) > 20
    assert drawn_text.outside_their_boxes(pdf, shapes) == []


@pytest.mark.parametrize("edition", ["bilingual", "en-zh", "zh", "en"])
def test_text_boxes_wrap_and_are_never_autofit(decks, edition):
    """Fitting is the builder's: no renderer's autofit (LibreOffice and python-pptx apply none)."""
    prs = Presentation(str(decks[edition]))
    bodies = 0
    for slide in prs.slides:
        shapes = list(slide.shapes)
        for group in [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]:  # the timeline
            shapes += list(group.shapes)
        for shape in shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                spacing = shape.text_frame.paragraphs[0].line_spacing
                if spacing is None or not hasattr(spacing, "pt"):
                    continue  # fields only (the slide number): one line that never wraps
            for el in shape._element.iter(f"{{{NS['a']}}}bodyPr"):
                bodies += 1
                assert el.get("wrap") in (None, "square")
                assert el.find("a:normAutofit", NS) is None and el.find("a:spAutoFit", NS) is None
    assert bodies > 20


@pytest.mark.slow
def test_long_sections_continue_on_more_slides_and_line_charts_are_native(loaded, tmp_path):
    import dataclasses

    report = plan(loaded, "en")
    relief, campaign = report.sections[1], report.sections[2]
    no_chart = dataclasses.replace(relief, charts=(), points=relief.points * 4)  # 12 points
    line = dataclasses.replace(campaign.charts[0], kind="line", log_scale=False)
    report = dataclasses.replace(report, sections=(no_chart, dataclasses.replace(campaign, charts=(line,))))
    prs = Presentation(str(write_deck(report, THEME, tmp_path / "deck.pptx")))
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    relief_slides = [s for s in prs.slides if s.shapes.title is not None
                     and s.shapes.title.text_frame.text.startswith("Standing with Wuhan")]
    assert len(relief_slides) == 3 and "Standing with Wuhan (continued)" in titles
    for slide in relief_slides:
        bullets = [p for shape in slide.placeholders for p in shape.text_frame.paragraphs
                   if p._p.find("a:pPr/a:buChar", NS) is not None]
        assert 1 <= len(bullets) <= 5
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert [chart.chart_type for chart in charts] == [XL_CHART_TYPE.LINE_MARKERS]


@pytest.mark.slow
def test_a_slide_budget_keeps_title_key_figures_and_a_chart_per_section(loaded, tmp_path):
    report = plan(loaded, "bilingual", sections=["community", "relief", "brands"], depth="summary",
                  key_figures=["mau", "notes_2020", "relief_fund", "brand_discussions"])
    prs = Presentation(str(write_deck(report, THEME, tmp_path / "exec.pptx", max_slides=6)))
    assert len(prs.slides) == 6
    layouts = [slide.slide_layout.name for slide in prs.slides]
    # The sources are kept, as one list: their tables did not fit (the closing slide gave way).
    assert layouts == ["Title", "Key Figures", "Chart", "Chart", "Chart", "Title and Content"]
    text = deck_text(tmp_path / "exec.pptx")
    for section in report.sections:  # every point is on a slide or in the notes
        for point in section.points:
            assert plain(point.get("zh")) in text and plain(point.get("en")) in text
    small = Presentation(str(write_deck(report, THEME, tmp_path / "tiny.pptx", max_slides=2)))
    assert [s.slide_layout.name for s in small.slides] == ["Title", "Title and Content"]
    assert small.slides[1].shapes.title.text_frame.text.startswith("来源")


# -- user templates ---------------------------------------------------------------------


def _template_without(layout_name: str, path: Path) -> Path:
    prs = Presentation(str(default_template()))
    layout = next(l for l in prs.slide_layouts if l.name == layout_name)
    layout._element.cSld.set("name", "Diagram")
    prs.save(str(path))
    return path


@pytest.mark.slow
def test_a_renamed_layout_is_found_by_its_placeholders(loaded, tmp_path):
    template = _template_without("Chart", tmp_path / "corporate.pptx")
    deck = Presentation(str(write_deck(plan(loaded, "en"), THEME, tmp_path / "deck.pptx", template=template)))
    assert "Diagram" in [s.slide_layout.name for s in deck.slides]  # title, chart and body: the chart slides'


def test_a_layout_named_in_the_config_but_missing_lists_the_layouts_it_has(loaded, tmp_path):
    with pytest.raises(TemplateError) as caught:
        write_deck(plan(loaded, "en"), THEME, tmp_path / "deck.pptx", layout_names={"chart": "Diagram"})
    message = str(caught.value)
    assert "“Diagram”" in message and "chart" in message
    assert "“Title and Content”" in message and "“Key Figures”" in message
    assert not (tmp_path / "deck.pptx").exists()


@pytest.mark.slow
def test_template_that_is_not_a_presentation(loaded, tmp_path):
    bogus = tmp_path / "corporate.pptx"
    bogus.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a PowerPoint"):
        write_deck(plan(loaded, "en"), THEME, tmp_path / "deck.pptx", template=bogus)


@pytest.mark.slow
def test_user_template_layouts_are_used_and_its_sample_slides_dropped(loaded, tmp_path):
    prs = Presentation(str(default_template()))
    prs.slides.add_slide(prs.slide_layouts[0])  # a sample slide the corporate file ships with
    template = tmp_path / "corporate.pptx"
    prs.save(str(template))
    report = plan(loaded, "zh")
    ours = Presentation(str(write_deck(report, THEME, tmp_path / "a.pptx")))
    theirs = Presentation(str(write_deck(report, THEME, tmp_path / "b.pptx", template=template)))
    assert len(theirs.slides) == len(ours.slides)
    assert [s.slide_layout.name for s in theirs.slides] == [s.slide_layout.name for s in ours.slides]


@pytest.mark.slow
def test_same_report_gives_the_same_bytes(loaded, tmp_path):
    report = plan(loaded, "bilingual")
    first = write_deck(report, THEME, tmp_path / "one.pptx").read_bytes()
    second = write_deck(report, THEME, tmp_path / "two.pptx").read_bytes()
    assert first == second


# -- LibreOffice round trip ----------------------------------------------------------------


@pytest.mark.libreoffice
@needs_soffice
def test_libreoffice_converts_every_slide(drawn, decks):
    from pypdf import PdfReader

    pdf, _ = drawn["shipped-bilingual"]
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == len(Presentation(str(decks["bilingual"])).slides)
    text = plain("".join(page.extract_text() or "" for page in reader.pages))
    assert "7.68 million" in text and "Standing with Wuhan" in text


# -- textfit ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def measurer():
    return textfit.Measurer(THEME.fonts.latin, THEME.fonts.cjk)


def test_cjk_text_is_measured_with_the_font(measurer):
    width = measurer.width("月度活跃用户", 10)
    assert width == pytest.approx(60, rel=0.05)  # six ideographs, one em each
    assert measurer.width("月度", 10, bold=True) > 0
    assert measurer.width("mau", 10) < measurer.width("月度活", 10)


def test_long_text_wraps_and_shrinks(measurer):
    text = "The “Go Wuhan” topic drew 700 million views in over 1 month. " * 4
    assert len(textfit.wrap(text, 200, 14, measurer)) > len(textfit.wrap(text, 400, 14, measurer)) > 1
    short = textfit.fit([textfit.Para("Key figures")], textfit.pt_to_emu(300), textfit.pt_to_emu(40), measurer,
                        max_size=24, min_size=10)
    long = textfit.fit([textfit.Para(text)], textfit.pt_to_emu(300), textfit.pt_to_emu(80), measurer,
                       max_size=24, min_size=10)
    assert short.fits and short.size == 24
    assert long.size < short.size and len(long.lines[0]) > 1


def test_fit_reports_overflow_at_the_floor(measurer):
    text = "三批物资合计29.59万件，1月31日首批抵汉。" * 20
    result = textfit.fit([textfit.Para(text)], textfit.pt_to_emu(200), textfit.pt_to_emu(40), measurer,
                         max_size=20, min_size=12)
    assert not result.fits and result.size == 12


def test_cjk_wrapping_keeps_punctuation_off_line_starts(measurer):
    text = "三批物资合计29.59万件，1月31日首批抵汉，“武汉加油”专题（测试）上线。" * 3
    for width in range(60, 200, 7):
        for line in textfit.wrap(text, width, 12, measurer)[1:]:
            assert line[0] not in "，。、；：？！）”", (width, line)


@pytest.mark.slow
def it_cuts_very_long_category_labels_in_native_charts():
    from reporting.model.theme import Theme
    from reporting.model.planner import plan
    from reporting.render.deck.builder import write_deck
    from reporting.render.deck.charts import CATEGORY_CHARS
    from reporting.dataset.load import load_dataset
    from reporting.resources import data_dir
    import dataclasses
    import tempfile
    from pathlib import Path

    from pptx import Presentation

    report = plan(load_dataset(data_dir() / "xiaohongshu-2020.yaml"), "en")
    section = report.sections[0]
    chart = section.charts[0]
    long_label = type(chart.categories[0])(tuple(
        type(p)(p.lang, "x" * 150) for p in chart.categories[0]))
    chart = dataclasses.replace(chart, categories=(long_label, *chart.categories[1:]))
    section = dataclasses.replace(section, charts=(chart,))
    report = dataclasses.replace(report, sections=(section,))
    with tempfile.TemporaryDirectory() as folder:
        target = write_deck(report, Theme(), Path(folder) / "deck.pptx")
        names = [
            category.label
            for slide in Presentation(str(target)).slides
            for shape in slide.shapes if shape.has_chart
            for category in shape.chart.plots[0].categories
        ]
    assert names[0] == "x" * (CATEGORY_CHARS - 1) + "…"


@pytest.mark.slow
def test_a_deck_is_written_without_importing_matplotlib(tmp_path):
    """Text is measured through Pillow's FreeType and fontconfig's charsets: a deck costs
    no matplotlib import (0.27 s in every process that writes one)."""
    import sys

    script = (
        "import sys; from pathlib import Path; from reporting.pipeline.build import BuildOptions, Builder;"
        f"Builder().build(Path({str(Path(__file__).parent / 'fixtures' / 'minimal.yaml')!r}),"
        f" BuildOptions(formats=('pptx',), out_dir=Path({str(tmp_path)!r})));"
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False"]
    assert [path.suffix for path in tmp_path.iterdir()] == [".pptx"]


def test_font_metrics_match_freetype_unscaled_advances():
    """Pillow at one pixel per font unit gives the font's own advances: 一 is one em in
    Noto Sans CJK, Latin letters are proportional, and a character the font lacks gets
    the fallback width."""
    metrics = textfit.metrics("Noto Sans CJK SC")
    assert metrics.advance("一") == pytest.approx(1.0)
    assert 0.2 < metrics.advance("i") < metrics.advance("m") < 1.0
    lacking = "\U0001F600"  # an emoji Noto Sans CJK does not draw
    assert metrics.advance(lacking) == metrics.advance("一")  # east-asian wide: the wide fallback


@pytest.mark.parametrize("lang, size, color, bold, text", [
    ("zh", 28, "#1d1d1f", True, "关键数据"),
    ("en", 16.5, "#5C5F66", False, "Key figures: 100 million & <more>"),
    ("en", None, None, False, "bell\x07 and tab\t"),
])
def test_runs_and_paragraphs_written_directly_match_python_pptx_setters(lang, size, color, bold, text):
    """The deck writes paragraphs straight into the XML for speed: the bytes must be the
    ones python-pptx's own setters give, in a placeholder (pPr and endParaRPr present)
    and in a new text box."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    prs = Presentation(str(default_template()))
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    for make in (lambda: slide.shapes.title, lambda: slide.shapes.add_textbox(0, 0, 100, 100)):
        bodies = []
        for direct in (False, True):
            frame = make().text_frame
            frame.clear()
            p = frame.paragraphs[0]._p
            p.get_or_add_endParaRPr()
            if direct:
                pPr = oxml.paragraph_properties(p)
                oxml.set_alignment(pPr, PP_ALIGN.CENTER)
                oxml.set_spacing(pPr, "a:lnSpc", 34.72)
                oxml.set_spacing(pPr, "a:spcBef", 3.36)
                oxml.add_text_run(p, text, lang, size=size, color=color, bold=bold, latin="Noto Sans",
                                      ea="Noto Sans CJK SC")
            else:
                paragraph = frame.paragraphs[0]
                paragraph.alignment = PP_ALIGN.CENTER
                paragraph.line_spacing = Pt(34.72)
                paragraph.space_before = Pt(3.36)
                run = paragraph.add_run()
                run.text = text
                if size is not None:
                    run.font.size = Pt(size)
                run.font.bold = bold
                if color:
                    run.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
                rPr = run._r.get_or_add_rPr()
                oxml.set_fonts(rPr, "Noto Sans", "Noto Sans CJK SC")
                oxml.set_lang(rPr, lang)
            bodies.append(etree.tostring(frame._txBody))
        assert bodies[0] == bodies[1]
