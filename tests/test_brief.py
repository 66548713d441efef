"""The PDF brief and HTML preview: built end to end, then read back.

Assertions are on content: every figure of the source article in the extracted
text of each edition, embedded subset fonts, metadata, one <figure> per chart.
"""

import re
from pathlib import Path

import pytest

from reporting.lang.editions import Edition
from reporting.resources import data_dir
from reporting.lang.numbers import plain

pypdf = pytest.importorskip("pypdf")

DATASET = data_dir() / "xiaohongshu-2020.yaml"

# Every figure of the source article, as each language prints it. Typed here by
# hand on purpose: the test checks the formatter, so it must not reuse it.
ARTICLE_FIGURES = {
    "zh": [
        "超过1亿", "3亿篇", "3000万", "超过70%", "1000万元", "1月底",
        "20万件", "1月31日", "9万件", "2月17日", "4家", "9天", "3000件", "600件", "2300件", "2月26日",
        "6家", "超过1000名", "2月10日", "7×24",
        "1月26日", "7亿次", "15万人", "116位", "417场", "768万次", "超过1个月", "超过20万条",
        "8月", "超过10位", "9月", "20位", "10万", "2小时",
        "超过4.5万个", "超过7亿次", "28亿次", "超过100%",
    ],
    "en": [
        "over 100 million", "300 million notes", "30 million", "over 70%", "RMB 10 million", "late January",
        "200,000", "31 January", "90,000", "17 February", "4 hospitals", "9 days", "3,000", "600", "2,300",
        "26 February", "6 institutions", "over 1,000 counsellors", "10 February",
        "26 January", "700 million views", "150,000 people", "116 creators", "417 live streams",
        "7.68 million interactions", "over 1 month", "over 200,000 notes",
        "August", "over 10 hosts", "September", "20 bloggers", "100,000", "2 hours",
        "over 45,000 brands", "over 700 million", "2.8 billion", "over 100%",
    ],
}
ONLY_ENGLISH = ["7.68 million", "RMB 10 million", "over 45,000"]
ONLY_CHINESE = ["768万", "1000万元", "超过4.5万"]


@pytest.fixture(scope="module")
def built(shipped) -> dict[str, dict[str, Path]]:
    """Each edition's PDF and HTML (built once for the run: conftest.py)."""
    assert sorted(shipped.editions) == sorted(edition.value for edition in Edition)
    return shipped.editions


def pdf_of(outputs: dict[str, Path]) -> Path:
    return outputs[".pdf"]


def html_of(outputs: dict[str, Path]) -> str:
    return outputs[".html"].read_text(encoding="utf-8")


def text_of(pdf: Path) -> str:
    reader = pypdf.PdfReader(pdf)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squeezed(text: str) -> str:
    """Extracted text without line breaks (Chinese wraps anywhere)."""
    return re.sub(r"\s+", "", text)


def spaced(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("edition", ["bilingual", "en-zh", "zh"])
def it_prints_every_article_figure_in_chinese(built, edition):
    text = squeezed(text_of(pdf_of(built[edition])))
    missing = [figure for figure in ARTICLE_FIGURES["zh"] if squeezed(figure) not in text]
    assert missing == []


@pytest.mark.parametrize("edition", ["bilingual", "en-zh", "en"])
def it_prints_every_article_figure_in_english(built, edition):
    text = spaced(text_of(pdf_of(built[edition])))
    missing = [figure for figure in ARTICLE_FIGURES["en"] if figure not in text]
    assert missing == []


def it_keeps_each_single_language_edition_to_its_language(built):
    zh = squeezed(text_of(pdf_of(built["zh"])))
    en = spaced(text_of(pdf_of(built["en"])))
    assert [f for f in ONLY_ENGLISH if squeezed(f) in zh] == []
    assert [f for f in ONLY_CHINESE if f in en] == []


@pytest.mark.parametrize("edition", ["bilingual", "zh", "en"])
def it_has_at_least_five_pages(built, edition):
    assert len(pypdf.PdfReader(pdf_of(built[edition])).pages) >= 5


def embedded_fonts(pdf: Path) -> dict[str, bool]:
    """BaseFont name -> whether a font file is embedded, over every page."""
    fonts = {}
    for page in pypdf.PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def it_embeds_subset_cjk_fonts(built):
    fonts = embedded_fonts(pdf_of(built["bilingual"]))
    assert fonts and all(fonts.values()), fonts
    # A subset font's name carries a six-letter tag: ABCDEF+NotoSansCJKsc-Regular
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts), fonts
    assert any("CJK" in name for name in fonts), fonts


def it_sets_pdf_metadata(built):
    reader = pypdf.PdfReader(pdf_of(built["bilingual"]))
    assert reader.metadata.title.startswith("小红书2020年度回顾")
    assert "Xiaohongshu annual brief editorial team" in reader.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert pypdf.PdfReader(pdf_of(built["en"])).trailer["/Root"]["/Lang"] == "en"


def it_has_the_pages_of_a_brief(built):
    text = spaced(text_of(pdf_of(built["en"])))
    for heading in ["Key figures", "The community at a glance", "Standing with Wuhan",
                    "The year in events", "Sources and method", "Derived figure"]:
        assert heading in text


def it_previews_each_chart_as_a_figure_with_a_text_alternative(built):
    html = html_of(built["bilingual"])
    figures = re.findall(r"<figure\b.*?</figure>", html, flags=re.S)
    assert len(figures) >= 5
    for figure in figures:
        image = re.search(r'<img class="chart-image" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', figure)
        assert image and len(image.group(1)) > 20
    assert "768万" in plain(html) and "7.68 million" in plain(html)


def it_writes_a_self_contained_preview(built):
    html = html_of(built["en"])
    assert not re.search(r'(src|href)="(https?:|//|file:)', html)
    assert "<link" not in html
    assert '<html lang="en">' in html


def it_marks_every_text_element_with_its_language(built):
    html = html_of(built["bilingual"])
    body = html.split("<body", 1)[1]
    tagged = re.findall(r"<(p|span|h1|h2|h3)\b([^>]*)>[^<\s]", body)
    untagged = [attrs for tag, attrs in tagged if "lang=" not in attrs]
    assert untagged == []
