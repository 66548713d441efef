"""make-report verify: placed figures and known numbers, on every shipped audience's
outputs; a figure changed in the dataset after the build is named."""

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.project.audiences import AudienceBook
from reporting.pipeline.build import FORMATS
from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.lang.numbers import plain
from reporting.project.config import find_config, load_config
from reporting.dataset.textnumbers import number_tokens
from reporting.pipeline.manifest import HTML_MANIFEST_ID, MANIFEST_KEY, Manifest, Placement
from reporting.verify.check import Verifier, verify_outputs
from reporting.verify.extract import extract

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def config():
    return load_config(find_config(project=ROOT))


@pytest.fixture(scope="module")
def built(shipped) -> dict[str, list[Path]]:
    """Every shipped audience, every format (built once for the run: conftest.py)."""
    assert sorted(shipped.audiences) == sorted(AudienceBook(load_config(find_config(project=ROOT))).names)
    return {audience: [files[f".{fmt}"] for fmt in FORMATS] for audience, files in shipped.audiences.items()}


def outputs_of(built, audience: str, suffix: str) -> Path:
    return next(path for path in built[audience] if path.suffix == suffix)


def changed_dataset(tmp_path: Path, fact: str, old: str, new: str) -> Path:
    """A copy of the shipped dataset with one fact's value changed."""
    text = (ROOT / "data/xiaohongshu-2020.yaml").read_text(encoding="utf-8")
    pattern = rf"(- id: {fact}\n    value: ){re.escape(old)}\n"
    assert re.search(pattern, text), fact
    path = tmp_path / "changed.yaml"
    path.write_text(re.sub(pattern, rf"\g<1>{new}\n", text), encoding="utf-8")
    return path


# -- every shipped audience passes -----------------------------------------------------


def it_passes_every_shipped_audience(built, config):
    outputs = [path for paths in built.values() for path in paths]
    result = verify_outputs(outputs, config.dataset, config=config)
    assert result.ok, result.table()
    assert len(result.checks) == 3 * len(built)
    for check in result.checks:
        assert check.identified_by == "manifest"
        assert check.figures > 20 and check.numbers > 20, check


def it_prints_a_table_and_exits_0(built):
    paths = [str(path) for path in built["executive"]]
    result = CliRunner().invoke(main, ["verify", *paths])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["output", "by", "figures", "numbers", "excepted", "result"]
    assert sum(line.endswith(" ok") for line in lines) == 3


def it_embeds_a_manifest_in_each_format(built):
    pdf, pptx, html = (outputs_of(built, "executive", s) for s in (".pdf", ".pptx", ".html"))
    import pypdf

    info = pypdf.PdfReader(pdf).metadata
    assert Manifest.from_json(info["/" + MANIFEST_KEY]).audience == "executive"
    with zipfile.ZipFile(pptx) as deck:
        assert MANIFEST_KEY in deck.read("docProps/custom.xml").decode()
    assert f'id="{HTML_MANIFEST_ID}"' in html.read_text(encoding="utf-8")
    for path in (pdf, pptx, html):
        manifest = extract(path).manifest
        assert (manifest.audience, manifest.edition, manifest.depth) == ("executive", "bilingual", "summary")


def it_records_only_the_figures_an_output_shows(built):
    """The executive brief and deck show a subset: not the Wuhan campaign's live streams."""
    executive = extract(outputs_of(built, "executive", ".pdf"))
    press = extract(outputs_of(built, "press", ".pdf"))
    placed = {p.fact for p in executive.manifest.placements}
    assert {"mau", "relief_fund", "brand_discussions"} <= placed
    assert "wuhan_streams" not in placed and "417" not in executive.body
    assert Placement("wuhan_streams", "text", "en") in press.manifest.placements
    assert "417 live streams" in re.sub(r"\s+", " ", press.body)
    deck = extract(outputs_of(built, "executive", ".pptx")).manifest
    assert "wuhan_streams" not in {p.fact for p in deck.placements}


# -- a figure changed after the build --------------------------------------------------


def it_reads_each_native_chart_in_one_scale(built, tmp_path, config):
    """The deck's community chart holds 100, 70 and 30 (millions, said in its axis title).
    200 there is no figure, though 200 thousand is one (masks): one scale a chart."""
    import zipfile

    deck = outputs_of(built, "press", ".pptx")
    tampered = tmp_path / deck.name
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(tampered, "w") as copy:
        changed = 0
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("ppt/charts/chart") and b"<c:v>100.0</c:v>" in data and b"<c:v>70.0</c:v>" in data:
                data = data.replace(b"<c:v>100.0</c:v>", b"<c:v>200.0</c:v>", 1)
                changed += 1
            copy.writestr(name, data)
    assert changed == 1
    result = Verifier(load_dataset(config.dataset)).verify([tampered])
    assert [(m.item, m.detail) for m in result.mismatches] == [
        ("200.0", "unknown: a value of a native chart; its other values count in 10^6")]


def it_names_a_figure_changed_after_the_build(built, tmp_path):
    data = changed_dataset(tmp_path, "mau", "100000000", "120000000")
    paths = [str(outputs_of(built, "executive", s)) for s in (".pdf", ".pptx")]
    result = CliRunner().invoke(main, ["verify", "--data", str(data), *paths])
    assert result.exit_code == 1, result.output
    rows = [line.split() for line in result.output.splitlines()]
    for name in paths:
        figure_rows = [row for row in rows if row[:3] == [Path(name).name, "figure", "mau"]]
        assert figure_rows, result.output
        assert any("超过1.2亿" in row for row in figure_rows)
        # The old value is now a number the dataset does not know.
        assert any(row[:3] == [Path(name).name, "number", "1亿"] for row in rows)


def it_names_a_derived_figure_that_moves_with_its_input(built, tmp_path, config):
    data = changed_dataset(tmp_path, "post90_share", "70", "80")
    # The press asked for the audit trail, which prints the derived figure's inputs too.
    result = verify_outputs([outputs_of(built, "press", ".pdf")], data, config=config)
    named = {m.item.split()[0] for m in result.mismatches if m.kind == "figure"}
    assert {"post90_share", "post90_users"} <= named


def it_fails_the_text_of_an_output_edited_after_the_build(built, tmp_path, config):
    html = outputs_of(built, "partners", ".html")
    edited = tmp_path / html.name
    text = plain(html.read_text(encoding="utf-8"))  # without the joiners that keep 28亿 on one line
    assert "28亿" in text
    edited.write_text(text.replace("28亿", "29亿"), encoding="utf-8")
    result = verify_outputs([edited], config.dataset, config=config)
    assert not result.ok
    assert {m.item for m in result.mismatches if m.kind == "figure"} >= {"brand_discussions (text)"}
    assert "29亿" in {m.item for m in result.mismatches if m.kind == "number"}


# -- charts are figures, not body text ----------------------------------------------------


def chart_ticks(pdf: Path) -> set[str]:
    """Axis tick labels such as ``0.4`` (the community chart's axis counts in 亿, said once
    in its title) drawn in the PDF's form XObjects, where WeasyPrint draws an SVG image's
    text (searchable text, upside-down in the form's own coordinates)."""
    import pypdf

    drawn = set()
    for page in pypdf.PdfReader(pdf).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Form":
                drawn.add(page.extract_xform_text(xobject, orientations=(0, 90, 180, 270)).strip())
    return {text for text in drawn if re.fullmatch(r"0\.[2468]", text)}


def it_reads_a_tagged_chart_as_its_figure_not_its_ticks(built):
    pdf = outputs_of(built, "partners", ".pdf")
    ticks = chart_ticks(pdf)
    assert ticks, "the community chart's axis ticks are text in the PDF"
    body = extract(pdf).body
    assert not any(tick in body for tick in ticks)
    assert "超过1亿" in body and "over 100 million" in body  # the figures around the charts stay


def page_with(content: bytes):
    """A one-page PDF whose page draws ``content`` (Helvetica as /F1), read back."""
    import io

    import pypdf
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(300, 300)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    reader = pypdf.PdfReader(buffer)
    return reader.pages[0], reader


def text(y: int, words: str) -> bytes:
    return f"BT /F1 10 Tf 20 {y} Td ({words}) Tj ET\n".encode()


def it_leaves_out_nested_figure_content_and_keeps_the_text_around_it():
    from reporting.verify.extract import _page_text_and_figures

    page, reader = page_with(
        b"/P <</MCID 0>> BDC " + text(280, "Sales rose to 42 units") + b"EMC\n"
        b"/Figure <</MCID 1>> BDC /Span <</MCID 2>> BDC " + text(200, "axis 1000") + b"EMC "
        + text(180, "tick 2000") + b"EMC\n"
        b"/Span <</MCID 3>> BDC " + text(100, "Caption 7 items") + b"EMC\n")
    body, figures = _page_text_and_figures(page, reader)
    assert "Sales rose to 42 units" in body and "Caption 7 items" in body
    assert "1000" not in body and "2000" not in body
    # the figure's own text, apart: the checker reads it without its ticks
    assert len(figures) == 1 and "axis 1000" in figures[0] and "tick 2000" in figures[0]


def it_reads_the_whole_page_when_a_figure_is_never_closed():
    from reporting.verify.extract import _page_text_and_figures

    page, reader = page_with(text(280, "Before 42") + b"/Figure <</MCID 1>> BDC " + text(200, "inside 1000"))
    body, _figures = _page_text_and_figures(page, reader)
    assert "Before 42" in body and "inside 1000" in body


# -- outputs without a manifest ------------------------------------------------------------


def it_identifies_an_output_without_a_manifest_by_its_name(built, tmp_path, config):
    html = outputs_of(built, "executive", ".html")
    bare_html = tmp_path / html.name
    bare_html.write_text(re.sub(rf'<script type="application/json" id="{HTML_MANIFEST_ID}">.*?</script>\n', "",
                                html.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    deck = outputs_of(built, "executive", ".pptx")
    bare_deck = tmp_path / deck.name
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(bare_deck, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "docProps/custom.xml":
                dst.writestr(info, src.read(info.filename))
    result = verify_outputs([bare_html, bare_deck], config.dataset, config=config)
    assert result.ok, result.table()
    assert [check.identified_by for check in result.checks] == ["name", "name"]
    with_manifest = {p: extract(p).manifest.placements for p in (html, deck)}
    assert [c.figures for c in result.checks] == [len(with_manifest[html]), len(with_manifest[deck])]


def it_refuses_a_file_that_is_no_report_as_misuse(tmp_path, config):
    """A file verify cannot read, or that is no report, is misuse (exit 2), not a mismatch."""
    from reporting.verify.extract import UnreadableOutput

    stray = tmp_path / "notes.html"
    stray.write_text("<html><body><p>Revenue grew 12%.</p></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableOutput, match="notes.html: not a report: it has no manifest"):
        verify_outputs([stray], config.dataset, config=config)
    unreadable = tmp_path / "brief.pdf"
    unreadable.write_bytes(b"not a pdf")
    with pytest.raises(UnreadableOutput, match="brief.pdf: not a readable PDF"):
        verify_outputs([unreadable], config.dataset)


def it_is_a_usage_error_to_name_no_outputs():
    assert CliRunner().invoke(main, ["verify"]).exit_code == 2
    assert CliRunner().invoke(main, ["verify", "no/such/file.pdf"]).exit_code == 2


@pytest.mark.slow
def it_verifies_after_a_build_with_the_verify_flag(tmp_path):
    result = CliRunner().invoke(main, ["--audience", "executive", "--format", "pdf", "--out", str(tmp_path),
                                       "--verify"])
    assert result.exit_code == 0, result.output
    assert "xiaohongshu-2020_executive_bilingual.pdf" in result.stdout
    assert re.search(r"xiaohongshu-2020_executive_bilingual\.pdf\s+manifest.*\bok$", result.stderr, re.M)


# -- the number rules ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def verifier(config):
    return Verifier(load_dataset(config.dataset))


def unknown(verifier, text: str) -> list[str]:
    return [t.text for t in number_tokens(text) if t.rule is None and t.value not in verifier.known]


@pytest.mark.parametrize("text", [
    "超过1亿 over 100 million 月度活跃用户",              # a figure in each language
    "RMB 10 million / 1000万元",                           # prefix and unit
    "3,000 protective suits; 2,300 KN95 masks; 29.59万件",
    "超过70%的用户 · over 70% of users",
    "7×24小时 · 24 hours a day, 7 days a week",          # a compound of two facts
])
def it_knows_the_figures_of_the_dataset_in_any_form(verifier, text):
    assert unknown(verifier, text) == []


@pytest.mark.parametrize("text, rule", [
    ("2020年12月31日", "date"), ("31 December 2020", "date"), ("January 31, 2020", "date"),
    ("1月至12月", "date"), ("2020-12-31", "date"),
    ("In 2020 the platform", "year"), ("born after 1990", "year"), ("post-1990 generation", "year"),
    ("2023—2024学年大事", "year"), ("2021-2025年规划", "year"),
    ("90后用户", "cohort"), ("the 90s", "cohort"),
    ("第27段", "paragraph"), ("paragraph 27", "paragraph"), ("paragraphs 3–4", "paragraph"),
    ("Xiaohongshu (RED) 7 / 13", "page"),
    ("01 社区概览", "ordinal"), ("1.\n2.", "ordinal"),
    ("KN95医用口罩", "name"), ("COVID-19 relief", "name"), ("B2K2C", "name"), ("Form 10-K", "name"),
    ("the 14th plan", "ordinal"), ("第14届", "ordinal"),
    ("https://example.com/2020/768", "url"),
])
def it_excepts_numbers_by_rule(text, rule):
    tokens = number_tokens(text)
    assert tokens and all(t.rule is not None for t in tokens), tokens
    assert rule in {t.rule for t in tokens}


@pytest.mark.parametrize("text, found", [
    ("超过1.2亿月度活跃用户", ["1.2亿"]),
    ("over 120 million users", ["120 million"]),
    ("3,500 protective suits", ["3,500"]),
    ("2000件", ["2000"]),            # a four-digit number with a Chinese unit is not a year
    ("grew 12% in 2020", ["12"]),
    ("goes live on the home page 200 million views", ["200 million"]),  # no page reference
])
def it_flags_numbers_the_dataset_does_not_know(verifier, text, found):
    assert unknown(verifier, text) == found


def it_reads_a_range_of_quantities_as_no_period():
    # Two years apart by more than ten are no period: a range of quantities.
    assert [t.rule for t in number_tokens("2000-3000件")] == ["year", None]
    assert [t.rule for t in number_tokens("2020—2021亿")] == ["year", None]


def it_joins_wrapped_chinese_before_reading_numbers(verifier):
    # A Chinese line may wrap between a number and its unit, or inside a paragraph reference.
    assert unknown(verifier, "合计29.59万\n件，送达第10\n段所述医院") == []
    assert [t.text for t in number_tokens("超过768\n万次")] == ["768万"]
    # Two languages on consecutive lines are not run together.
    assert [t.text for t in number_tokens("3000\n3,000")] == ["3000", "3,000"]
    assert [t.rule for t in number_tokens("users born after 1990\n月度活跃用户")] == ["year"]


def it_keeps_pieces_set_apart_by_the_output_apart():
    from reporting.dataset.textnumbers import ITEM_BREAK

    # A data table's cells (HTML) or a native chart's series name and categories (deck):
    # a year after a Chinese label is a year, not '讨论量2019' read as a figure.
    table = ITEM_BREAK.join(["讨论量", "2019", "不到14亿", "2020", "28亿"])
    assert [(t.text, t.rule) for t in number_tokens(table)] == [
        ("2019", "year"), ("14亿", None), ("2020", "year"), ("28亿", None)]
    # Without the break it reads as one wrapped text, as a PDF's lines do: '2020国货…'.
    assert number_tokens("讨论量\n2020\n国货品牌")[0].rule is None
    assert number_tokens(f"讨论量{ITEM_BREAK}2020{ITEM_BREAK}国货品牌")[0].rule == "year"


def it_sets_html_blocks_and_deck_paragraphs_apart(tmp_path):
    from reporting.verify.extract import extract_html

    page = tmp_path / "table.html"
    page.write_text("<table><tr><th>讨论量</th><td>2019</td><td>不到14亿</td></tr></table>", encoding="utf-8")
    assert [(t.text, t.rule) for t in number_tokens(extract_html(page).body)] == [("2019", "year"), ("14亿", None)]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["zh", "en"])
def it_passes_verify_on_one_language_editions(edition, tmp_path):
    """A one-language edition's data tables and native charts put a category year right
    after a Chinese label or before the next title (``讨论量`` ``2019``): read apart."""
    result = CliRunner().invoke(main, ["--lang", edition, "--format", "html", "--format", "pptx",
                                       "--out", str(tmp_path), "--verify"])
    assert result.exit_code == 0, result.output
    assert len(re.findall(r"manifest.*\bok$", result.stderr, re.M)) == 2, result.stderr


@pytest.mark.parametrize("depth", ["summary", "full"])
def it_pairs_every_filled_text_with_its_dataset_text(config, depth):
    """The recorder knows the placeholders of every text the model filled."""
    from reporting.model.planner import plan
    from reporting.pipeline.manifest import filled_texts

    loaded = load_dataset(config.dataset)
    report = plan(loaded, "bilingual", depth=depth)
    pairs = list(filled_texts(report, loaded))
    expected = sum(1 + len(s.paragraphs) + len(s.points) for s in report.sections) + len(report.method)
    expected += sum(1 for f in report.figures if f.derivation is not None)
    assert len(pairs) == expected
    for texts, raw in pairs:  # each filled text is its dataset text with the figures put in
        for phrase in texts:
            for literal in re.split(r"\{[^{}]*\}", raw.get(phrase.lang)):
                assert literal[1:] in phrase.text, (literal, phrase.text)
