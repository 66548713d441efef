"""Editions: English first (``en-zh``) leads in the document language, the order and the size
of every pair of texts, and the number forms of charts, in the brief, the preview and the
deck; ``zh-en`` is the bilingual edition; a dataset or an audience sets its default."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.lang.editions import EDITION_NAMES, Edition
from reporting.model.planner import plan
from reporting.pipeline.build import BuildOptions, Builder
from reporting.project.audiences import AudienceBook
from reporting.project.config import load_config
from reporting.resources import data_dir

pypdf = pytest.importorskip("pypdf")
pptx = pytest.importorskip("pptx")

DATASET = data_dir() / "xiaohongshu-2020.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
CJK = re.compile(r"[\u3400-\u9fff]")


def it_names_each_edition_with_its_languages_in_reading_order():
    assert Edition("en-zh").langs == ("en", "zh")
    assert Edition("en-zh").primary == "en"
    assert Edition("bilingual").langs == ("zh", "en")
    assert Edition("zh-en") is Edition.BILINGUAL
    assert "zh-en" in EDITION_NAMES and "en-zh" in EDITION_NAMES
    assert Edition.EN_ZH.bilingual and not Edition.EN.bilingual


def it_writes_an_english_first_report_model():
    report = plan(load_dataset(DATASET), "en-zh")
    assert report.lang_tag == "en"
    assert [phrase.lang for phrase in report.title] == ["en", "zh"]
    assert report.title.first.text == "Xiaohongshu (RED): 2020 in Review"
    assert [phrase.lang for phrase in report.key_figures[0].headline] == ["en", "zh"]


def _with_report_setting(tmp_path: Path, line: str) -> Path:
    """A copy of the shipped dataset with ``line`` added to its ``report:`` section."""
    text = DATASET.read_text(encoding="utf-8")
    copy = tmp_path / DATASET.name
    copy.write_text(text.replace("\nreport:\n", f"\nreport:\n  {line}\n", 1), encoding="utf-8")
    return copy


def it_takes_the_datasets_edition_when_none_is_asked_for(tmp_path):
    loaded = load_dataset(_with_report_setting(tmp_path, "edition: en-zh"))
    assert plan(loaded).edition is Edition.EN_ZH
    assert BuildOptions().plan(loaded).edition is Edition.EN_ZH
    assert BuildOptions(edition=Edition.ZH).plan(loaded).edition is Edition.ZH  # asked for wins
    assert plan(load_dataset(DATASET)).edition is Edition.BILINGUAL  # the default stays bilingual


def it_refuses_an_unknown_dataset_edition_with_its_line(tmp_path):
    from reporting.errors import DataError

    with pytest.raises(DataError) as error:
        load_dataset(_with_report_setting(tmp_path, "edition: fr-zh"))
    assert re.search(r"xiaohongshu-2020\.yaml:12: report\.edition: .*en-zh", str(error.value)), str(error.value)


def _project(tmp_path: Path, dataset: Path, audiences: str) -> AudienceBook:
    config = tmp_path / "report.toml"
    config.write_text(f'[project]\ndataset = "{dataset.as_posix()}"\n\n{audiences}', encoding="utf-8")
    return AudienceBook(load_config(config))


def it_lets_an_audience_set_the_edition_else_the_datasets(tmp_path):
    dataset = _with_report_setting(tmp_path, "edition: en-zh")
    book = _project(tmp_path, dataset, '[audiences.investors]\ndescription = "IR"\nedition = "en-zh"\n\n'
                                       '[audiences.plain]\ndescription = "No edition of its own"\n\n'
                                       '[audiences.china]\ndescription = "Chinese first"\nedition = "zh-en"\n')
    assert book.get("investors", BuildOptions()).options.edition is Edition.EN_ZH
    assert book.get("china", BuildOptions()).options.edition is Edition.BILINGUAL
    loaded = load_dataset(dataset)
    assert book.get("plain", BuildOptions()).options.plan(loaded).edition is Edition.EN_ZH
    assert book.get("plain", BuildOptions(edition=Edition.ZH)).options.plan(loaded).edition is Edition.ZH
    shipped = _project(tmp_path, DATASET, '[audiences.plain]\ndescription = "No edition of its own"\n')
    assert shipped.get("plain", BuildOptions()).options.plan(load_dataset(DATASET)).edition is Edition.BILINGUAL


def it_lists_en_zh_in_the_cli_help():
    result = CliRunner().invoke(main, ["--help"])
    assert "en-zh" in result.output and "zh-en" in result.output


# -- built outputs ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The shipped dataset in en-zh: brief, preview and deck, built once for the module."""
    out = tmp_path_factory.mktemp("en-zh")
    result = Builder().build(DATASET, BuildOptions(formats=("pdf", "html", "pptx"), edition=Edition.EN_ZH,
                                                   out_dir=out, source_date_epoch=1_700_000_000))
    return {path.suffix: path for path in result.outputs}


def runs(pdf: Path, page: int) -> list[tuple[str, float]]:
    """The text runs of a page in reading order, each with its size in points."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            found.append((text.strip(), abs(size * tm[3] * cm[3])))

    pypdf.PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return found


def first(found: list[tuple[str, float]], text: str) -> tuple[int, float]:
    """Index and size of the first run that starts with ``text``."""
    for index, (run, size) in enumerate(found):
        if run.startswith(text):
            return index, size
    raise AssertionError(f"{text!r} not among {[run for run, _ in found][:40]}")


@pytest.mark.slow
def it_declares_english_as_the_documents_language(built):
    assert pypdf.PdfReader(built[".pdf"]).trailer["/Root"]["/Lang"] == "en"
    assert re.search(r'<html lang="en">', built[".html"].read_text(encoding="utf-8"))
    assert pptx.Presentation(built[".pptx"]).core_properties.language == "en-US"
    assert built[".pdf"].name == "xiaohongshu-2020_default_en-zh.pdf"


@pytest.mark.slow
def it_leads_the_cover_with_the_english_title_in_the_larger_type(built):
    cover = runs(built[".pdf"], 0)
    english, english_size = first(cover, "Xiaohongshu (RED): 2020")
    chinese, chinese_size = first(cover, "小红书2020年度回顾")
    assert english < chinese and english_size > chinese_size
    # The organisation's name, first on the band, English above Chinese.
    assert first(cover, "Xiaohongshu (RED)")[0] < first(cover, "小红书")[0]


@pytest.mark.slow
def it_leads_each_key_figure_tile_with_english(built):
    tiles = runs(built[".pdf"], 1)
    for english, chinese in [("over 100 million", "超过1亿"), ("RMB 10 million", "1000万元"), ("2.8 billion", "28亿")]:
        (e, e_size), (z, z_size) = first(tiles, english), first(tiles, chinese)
        assert e < z and e_size > z_size, (english, e_size, chinese, z_size)


@pytest.mark.slow
def it_writes_chart_numbers_in_english_forms(built):
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(built[".pdf"]).pages)
    # The community chart's value labels in English press forms, its axis counting in millions
    # said once in the axis title: not 1亿 or 7000万 ticks.
    assert "over 100 million" in text and "Users, in millions" in text
    for chinese_tick in ("1.25亿", "7500万"):
        assert chinese_tick not in text


@pytest.mark.slow
def it_leads_the_preview_with_english(built):
    html = built[".html"].read_text(encoding="utf-8").replace("\u2060", "")  # titles' word joiners
    heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", html)[1]  # the one h1: a line per language
    lines = re.findall(r'<span lang="(?P<lang>[^"]+)" class="(?P<cls>[^"]+)">(?P<text>[^<]+)</span>', heading)
    assert len(lines) == 2 and html.count("<h1") == 1
    (lang, cls, text), second = lines
    assert lang == "en" and "first-lang" in cls and text.startswith("Xiaohongshu")
    assert second[0] == "zh-Hans" and "second-lang" in second[1] and second[2] == "小红书2020年度回顾"


def _paragraphs(shape) -> list[tuple[str, float]]:
    """(text, size in points) of each paragraph of a shape, as a reader sees the text (no-break
    spaces as spaces, word joiners left out)."""
    out = []
    for paragraph in shape.text_frame.paragraphs:
        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
        text = paragraph.text.replace("\u00a0", " ").replace("\u2060", "")
        if text.strip():
            out.append((text, max(sizes) if sizes else 0.0))
    return out


@pytest.mark.slow
def it_leads_every_slide_title_and_tile_with_english(built):
    deck = pptx.Presentation(built[".pptx"])
    title_slide = [p for shape in deck.slides[0].shapes if shape.has_text_frame for p in _paragraphs(shape)]
    english = next(i for i, (text, _) in enumerate(title_slide) if text.startswith("Xiaohongshu (RED): 2020"))
    chinese = next(i for i, (text, _) in enumerate(title_slide) if text.startswith("小红书2020年度回顾"))
    assert english < chinese and title_slide[english][1] > title_slide[chinese][1]
    for slide in list(deck.slides)[1:]:
        titled = [shape for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text.strip()]
        heading = _paragraphs(titled[0])
        assert not CJK.search(heading[0][0]), heading  # the first line of every slide is English
        if len(heading) > 1 and CJK.search(heading[1][0]):
            assert heading[0][1] > heading[1][1], heading
    tiles = [p for shape in deck.slides[2].shapes if shape.has_text_frame for p in _paragraphs(shape)]
    e, z = (next(i for i, (text, _) in enumerate(tiles) if text == wanted) for wanted in ("over 100 million", "超过1亿"))
    assert e < z and tiles[e][1] > tiles[z][1]


@pytest.mark.slow
def it_gives_native_charts_english_number_formats_and_labels(built):
    deck = pptx.Presentation(built[".pptx"])
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert charts
    formats = {node.get("formatCode") for chart in charts for node in chart._chartSpace.iter(f"{C}numFmt")
               if not node.getparent().xpath("c:scaling/c:logBase")}  # a log axis keeps General's 0.001
    # English digit grouping, a true minus for negatives; no 万 or 亿 written into a format.
    assert formats and formats <= {"#,##0", '#,##0;"\u2212"#,##0', "0%", "0.0%"}, formats
    labels = [t.text.replace("\u00a0", " ").replace("\u2060", "")
              for chart in charts for t in chart._chartSpace.iter(f"{A}t") if t.text and t.text.strip()]
    assert "over 100 million" in labels
    first_label = next(label for label in labels if "million" in label or "亿" in label or "万" in label)
    assert not CJK.search(first_label.splitlines()[0]), first_label


@pytest.mark.slow
def it_leads_the_speaker_notes_with_english(built):
    deck = pptx.Presentation(built[".pptx"])
    notes = [slide.notes_slide.notes_text_frame.text.replace("\u00a0", " ").replace("\u2060", "")
             for slide in deck.slides if slide.has_notes_slide]
    chart_notes = next(text for text in notes if "over 100 million" in text)
    lines = [line for line in chart_notes.splitlines() if line.strip()]
    assert not CJK.search(lines[0].split(" / ")[0]), lines[0]  # the heading: English, then Chinese
    english = next(i for i, line in enumerate(lines) if "over 100 million" in line)
    chinese = next(i for i, line in enumerate(lines) if "超过1亿" in line)
    assert english < chinese


@pytest.mark.slow
def it_passes_verify_on_every_en_zh_output(built):
    result = CliRunner().invoke(main, ["verify", "--data", str(DATASET), *(str(p) for p in built.values())])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def it_builds_zh_en_as_the_bilingual_edition(tmp_path):
    runner = CliRunner()
    outputs = {}
    for name in ("zh-en", "bilingual"):
        out = tmp_path / name
        result = runner.invoke(main, ["--lang", name, "--format", "html", "--out", str(out), "--data", str(DATASET)],
                               env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.exit_code == 0, result.output
        outputs[name] = out / "xiaohongshu-2020_default_bilingual.html"
    assert outputs["zh-en"].read_bytes() == outputs["bilingual"].read_bytes()
    assert '<html lang="zh-Hans">' in outputs["zh-en"].read_text(encoding="utf-8")


def it_offers_the_english_first_edition_in_the_preview():
    from reporting.preview.inputs import Selection
    from reporting.preview.page import Toolbar, toolbar_html

    assert Selection.parse(None, "en-zh").edition == "en-zh"
    assert Selection.parse(None, "zh-en").edition == "zh-en"  # a name of the bilingual edition
    html = toolbar_html(Toolbar(Selection(None, "en-zh"), ("press",), "bilingual"))
    assert '<option value="en-zh" selected>English + 中文</option>' in html
    assert 'value="zh-en"' not in html  # each edition listed once, by its own name


def it_offers_every_traditional_edition_in_the_preview():
    from reporting.preview.inputs import Selection
    from reporting.preview.page import Toolbar, toolbar_html

    html = toolbar_html(Toolbar(Selection(None, "en-zh-HK"), ("press",), "zh-TW"))
    assert '<option value="en-zh-HK" selected>English + 繁體中文（香港）</option>' in html
    assert "audience&#x27;s (繁體中文（台灣）)" in html
    offered = re.findall(r'<option value="([^"]+)"', html)
    assert set(offered) >= {edition.value for edition in Edition} and len(offered) == len(set(offered))
