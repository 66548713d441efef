"""Accessible output: a tagged PDF (PDF/UA-1) with language, headings in order and
figure alternatives; deck pictures, charts, tables and groups with alt text and the
title first in reading order; theme colours with text contrast of at least 4.5:1."""

from pathlib import Path

import pytest

from reporting.project.audiences import AudienceBook, theme_from
from reporting.model.theme import MIN_TEXT_CONTRAST, Theme, contrast_ratio
from reporting.dataset.load import load_dataset
from reporting.lang.editions import Edition
from reporting.model.planner import plan
from reporting.project.config import find_config, load_config

pypdf = pytest.importorskip("pypdf")
pptx = pytest.importorskip("pptx")

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def book():
    return AudienceBook(load_config(find_config(project=ROOT)))


@pytest.fixture(scope="module")
def built(shipped) -> dict[str, dict[str, Path]]:
    """The bilingual default brief and deck, the English press brief, the executive brief
    (built once for the run: conftest.py)."""
    return {"bilingual": shipped.editions["bilingual"], "press": shipped.audiences["press"],
            "executive": shipped.audiences["executive"]}


# -- the tagged PDF ------------------------------------------------------------------------


def structure(pdf: Path) -> list[dict]:
    """The structure elements of a tagged PDF in document order (depth first)."""
    reader = pypdf.PdfReader(pdf)
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pypdf.generic.ArrayObject):
            for kid in kids:
                walk(kid)
        elif kids is not None:
            walk(kids)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name, lang", [("bilingual", "zh-Hans"), ("press", "en"), ("executive", "zh-Hans")])
def it_writes_a_tagged_pdf_with_the_document_language(built, name, lang):
    reader = pypdf.PdfReader(built[name][".pdf"])
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata["/Title"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp or b"<pdfuaid:part>1</pdfuaid:part>" in xmp


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "press", "executive"])
def it_tags_headings_in_order(built, name):
    levels = [int(str(node["/S"])[2:]) for node in structure(built[name][".pdf"])
              if str(node["/S"]) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
    assert levels[0] == 1, levels
    assert set(levels) <= {1, 2, 3}
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels  # never skips a level going down


@pytest.mark.slow
def it_gives_every_chart_a_figure_alternative(built, book):
    figures = [node for node in structure(built["bilingual"][".pdf"]) if node["/S"] == "/Figure"]
    report = plan(load_dataset(book.config.dataset), Edition.BILINGUAL)
    alts = [str(node.get("/Alt", "")) for node in figures]
    assert len(figures) == len(report.charts)
    for chart in report.charts:
        assert chart.alt.joined(" / ") in alts, chart.id


@pytest.mark.slow
def it_does_not_change_the_layout(shipped, tmp_path):
    """Tagging adds structure only: the pages' content streams draw the same."""
    from reporting.render.pdf import PdfWriter

    html_path = shipped.audiences["executive"][".html"]
    html, writer, roots = html_path.read_text(encoding="utf-8"), PdfWriter(), [html_path.parent]
    tagged, plain = tmp_path / "tagged.pdf", tmp_path / "plain.pdf"
    writer.write(html, tagged, allowed_roots=roots, base_url=html_path.parent)
    writer.write(html, plain, allowed_roots=roots, base_url=html_path.parent, tagged=False)
    a, b = pypdf.PdfReader(tagged), pypdf.PdfReader(plain)
    assert len(a.pages) == len(b.pages) == 2
    for page_a, page_b in zip(a.pages, b.pages):
        assert page_a.mediabox == page_b.mediabox
        assert page_a.extract_text() == page_b.extract_text()


# -- the deck ------------------------------------------------------------------------------

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "executive"])
def it_gives_deck_charts_pictures_tables_and_groups_alt_text(built, name):
    prs = pptx.Presentation(str(built[name][".pptx"]))
    checked = 0
    for slide in prs.slides:
        for kind in ("graphicFrame", "pic", "grpSp"):
            for element in slide.shapes._spTree.iter(P + kind):
                c_nv_pr = element.find(f"./{P}nv{kind[0].upper()}{kind[1:]}Pr/{P}cNvPr")
                if kind == "grpSp":
                    c_nv_pr = element.find(f"./{P}nvGrpSpPr/{P}cNvPr")
                assert c_nv_pr is not None and c_nv_pr.get("descr", "").strip(), (slide.slide_id, kind)
                checked += 1
    assert checked >= (5 if name == "bilingual" else 3)  # charts, timeline, sources tables


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "executive"])
def it_marks_shapes_without_text_decorative(built, name):
    """Tile backgrounds, rules and markers carry PowerPoint's decorative flag and no alt
    text; every shape that says something (text, chart, table, picture) carries neither flag
    nor silence."""
    from reporting.render.deck.oxml import DECORATIVE_EXT_URI, DECORATIVE_NS

    prs = pptx.Presentation(str(built[name][".pptx"]))
    decorative = spoken = 0
    for slide in prs.slides:
        for element in slide.shapes._spTree.iter(P + "sp", P + "cxnSp"):
            c_nv_pr = next(element.iter(P + "cNvPr"))
            flags = c_nv_pr.findall(f".//{{{DECORATIVE_NS}}}decorative")
            text = "".join(element.itertext()).strip()
            if element.tag == P + "cxnSp" or (not text and element.find(f".//{P}ph") is None):
                assert [flag.get("val") for flag in flags] == ["1"], (slide.slide_id, c_nv_pr.get("name"))
                assert flags[0].getparent().get("uri") == DECORATIVE_EXT_URI
                assert not c_nv_pr.get("descr")
                decorative += 1
            elif text:
                assert not flags, (slide.slide_id, c_nv_pr.get("name"), text[:40])
                spoken += 1
    assert decorative >= (20 if name == "bilingual" else 8) and spoken > decorative


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "executive"])
def it_reads_each_slide_in_layout_order(built, name):
    """Title first; a chart, its caption, then the points beside it; the footer last."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

    prs = pptx.Presentation(str(built[name][".pptx"]))
    for number, slide in enumerate(prs.slides, 1):
        shapes = list(slide.shapes)
        assert shapes[0].is_placeholder, number
        assert shapes[0].placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        if slide.slide_layout.name not in ("Title", "Closing"):
            # The footer (title · organisation, then the slide number) comes last.
            assert shapes[-1].text_frame.text == str(number)
        for index, shape in enumerate(shapes):
            if shape.shape_type == MSO_SHAPE_TYPE.CHART:
                # The chart's caption (the text under it) is read after the chart.
                bottom = shape.top + shape.height
                captions = [i for i, other in enumerate(shapes) if other.has_text_frame
                            and bottom - 1 <= other.top < bottom + 914400 and other.left == shape.left]
                assert captions and min(captions) > index, number
                # Text to the right of the chart (its talking points) is read after the caption.
                beside = [i for i, other in enumerate(shapes) if other.has_text_frame
                          and other.left >= shape.left + shape.width and other.top < bottom]
                assert all(i > min(captions) for i in beside), number


# -- contrast ------------------------------------------------------------------------------


def themes(book) -> list[Theme]:
    names = ["default", *book.file.themes]
    return [theme_from(name, book.file.themes, book.base_dir) for name in names]


def it_knows_the_wcag_contrast_of_colours():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def it_sets_text_with_enough_contrast_in_every_theme(book):
    failures = []
    for theme in themes(book):
        for text, background, where in theme.text_pairs():
            ratio = contrast_ratio(text, background)
            if ratio < MIN_TEXT_CONTRAST:
                failures.append(f"{theme.name}: {text} on {background} ({where}): {ratio:.2f}")
    assert not failures, "\n".join(failures)
    assert {theme.name for theme in themes(book)} >= {"default", "civic", "partner"}
