"""Accessible output: a tagged PDF with its language and each passage's, one H1, headings
in order and figure alternatives; deck pictures, charts, tables and groups with alt text and the
title first in reading order; theme colours with text contrast of at least 4.5:1."""

import re
import unicodedata
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
            "executive": shipped.audiences["executive"], "en-zh": shipped.editions["en-zh"]}


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
    # No PDF/UA-1 conformance claimed: nothing here checks the whole profile (docs/guides/html-edition.md).
    xmp = root["/Metadata"].get_object().get_data() if "/Metadata" in root else b""
    assert b"pdfuaid" not in xmp


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
        # The first language's alternative, tagged with it, as the reader hears it.
        assert chart.alt.first.text.replace("\u2060", "") in alts, chart.id


HAN = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def passages(pdf: Path) -> list[tuple[str, str, str]]:
    """(structure type, language, text) of every structure element that holds text of its
    own (marked content), its language its own ``/Lang`` or the nearest ancestor's, else the
    document's; and of every figure, its ``/Alt`` as its text."""
    import pdfplumber
    from pdfplumber.structure import PDFStructTree

    found = []
    with pdfplumber.open(pdf) as document:
        texts: dict[tuple[int, int], list[str]] = {}
        for page in document.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    texts.setdefault((page.page_number, char["mcid"]), []).append(char["text"])
        lang = str(pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"])

        def walk(element, inherited):
            own = element.lang or inherited
            if element.type == "Figure":
                found.append(("Figure", own, element.alt_text or ""))
            elif element.mcids:
                text = "".join("".join(texts.get((element.page_number, mcid), [])) for mcid in element.mcids)
                found.append((element.type, own, text))
            for child in element.children:
                walk(child, own)

        for element in PDFStructTree(document):
            walk(element, lang)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "en-zh"])
def it_marks_the_language_of_every_passage(built, name):
    """In a bilingual brief every passage, heading, table cell and figure alternative in the
    other language carries its own /Lang (a screen reader picks its voice by it)."""
    found = passages(built[name][".pdf"])
    wrong = [(kind, lang, text[:50]) for kind, lang, text in found
             if (HAN.search(text) and not lang.startswith("zh"))
             or (LATIN_WORD.search(text) and not HAN.search(text) and not lang.startswith("en"))]
    assert not wrong, f"{len(wrong)} passages in the wrong language, e.g. {wrong[:5]}"
    second = "en" if name == "bilingual" else "zh"
    marked = {kind for kind, lang, text in found if lang.startswith(second) and text.strip()}
    # Paragraphs, headings' lines and table cells' text sit in spans of their own language.
    assert "Span" in marked and len([1 for kind, lang, _ in found if lang.startswith(second)]) > 100
    figures = [(lang, text) for kind, lang, text in found if kind == "Figure"]
    assert len(figures) == 8
    for lang, text in figures:
        assert text and lang.startswith("zh" if name == "bilingual" else "en"), (lang, text)
        assert all(unicodedata.category(char) != "Cf" for char in text), text  # no word joiners
        assert bool(HAN.search(text)) == lang.startswith("zh"), text  # one language, the one tagged


@pytest.mark.slow
@pytest.mark.parametrize("name", ["bilingual", "en-zh", "press", "executive"])
def it_has_one_top_level_heading(built, name):
    """The title is one H1 (in a bilingual brief, a line of it per language, each tagged)."""
    nodes = structure(built[name][".pdf"])
    titles = [node for node in nodes if str(node["/S"]) == "/H1"]
    assert len(titles) == 1
    lines = [kid.get_object() for kid in titles[0]["/K"]]
    assert [str(line["/S"]) for line in lines] == ["/Span"] * len(lines)
    assert len(lines) == (1 if name == "press" else 2)
    if len(lines) == 2:
        assert {str(line["/Lang"])[:2] for line in lines} == {"zh", "en"}


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


# -- chart text contrast --------------------------------------------------------------------

_SVG = "{http://www.w3.org/2000/svg}"


def _shape(d: str):
    """A matplotlib Path of an SVG path's ``d`` (M, L, C, Z: what matplotlib writes)."""
    from matplotlib.path import Path as MplPath

    vertices, codes = [], []
    for command, numbers in re.findall(r"([MLCZz])([^MLCZz]*)", d):
        values = [float(n) for n in re.findall(r"-?[\d.]+(?:e-?\d+)?", numbers)]
        points = list(zip(values[0::2], values[1::2]))
        if command == "M":
            vertices.append(points[0]); codes.append(MplPath.MOVETO)
            for point in points[1:]:
                vertices.append(point); codes.append(MplPath.LINETO)
        elif command == "L":
            vertices += points; codes += [MplPath.LINETO] * len(points)
        elif command == "C":
            vertices += points; codes += [MplPath.CURVE4] * len(points)
        elif vertices:
            vertices.append(vertices[-1]); codes.append(MplPath.CLOSEPOLY)
    return MplPath(vertices, codes) if vertices else None


def _style(element, name: str) -> str | None:
    found = re.search(rf"(?:^|;)\s*{name}:\s*([^;]+)", element.get("style", ""))
    return found[1].strip() if found else None


def chart_text_contrasts(svg: str) -> list[tuple[str, str, str, float]]:
    """(text, its colour, the colour under it, their contrast) for every text of a chart:
    the colour under a text is that of the last filled shape drawn before it that holds
    the text's middle (its anchor, a third of its size up), else the picture's background."""
    from lxml import etree

    root = etree.fromstring(svg.encode("utf-8"))
    shapes, found = [], []
    for element in root.iter(f"{_SVG}path", f"{_SVG}text"):
        if element.getparent() is not None and element.getparent().tag == f"{_SVG}defs":
            continue
        if element.tag == f"{_SVG}path":
            fill = _style(element, "fill")
            if fill and re.fullmatch(r"#[0-9a-fA-F]{6}", fill) and (_style(element, "opacity") or "1") == "1" \
                    and (_style(element, "fill-opacity") or "1") == "1":
                shape = _shape(element.get("d", ""))
                if shape is not None:
                    shapes.append((shape, fill))
            continue
        colour = _style(element, "fill") or "#000000"
        size = float((_style(element, "font-size") or "10px").rstrip("px"))
        x, y = float(element.get("x", 0)), float(element.get("y", 0)) - size / 3
        under = next((fill for shape, fill in reversed(shapes) if shape.contains_point((x, y))), "#FFFFFF")
        text = "".join(element.itertext()).strip()
        if text:
            found.append((text, colour, under, contrast_ratio(colour, under)))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("kind, name", [("editions", "bilingual"), ("editions", "en"), *(
    ("audiences", audience) for audience in ("executive", "press", "partners", "public_welfare"))])
def it_draws_chart_text_with_enough_contrast(shipped, kind, name):
    """Every label of every chart (axis ticks, value labels on and beside bars, legends, the
    timeline's dates) at 4.5:1 at least against what it is drawn on."""
    import base64

    html = getattr(shipped, kind)[name][".html"].read_text(encoding="utf-8")
    svgs = [base64.b64decode(data).decode("utf-8") for data in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]
    texts = [found for svg in svgs for found in chart_text_contrasts(svg)]
    if kind == "editions":
        assert len(svgs) >= 7 and len(texts) > 100
        assert any(under.upper() != "#FFFFFF" for _, _, under, _ in texts)  # labels on bars were seen as such
    elif name != "executive":  # the executive brief has no chart
        assert svgs and texts
    low = [(text, colour, under, round(ratio, 2)) for text, colour, under, ratio in texts if ratio < MIN_TEXT_CONTRAST]
    assert not low, low[:10]
