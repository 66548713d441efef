"""Traditional Chinese editions: the shipped dataset and the examples in a Traditional
edition and in an English-first one with Traditional Chinese, every output checked for
Traditional forms, no Simplified-only character, the Traditional font embedded, the
language tag, and verify passing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.lang.editions import Edition
from reporting.lang.traditional import converter
from reporting.model.planner import plan
from reporting.model.texts import phrases_in
from reporting.resources import data_dir

ROOT = Path(__file__).parent.parent
SHIPPED = data_dir() / "xiaohongshu-2020.yaml"
MICROSOFT = ROOT / "examples" / "company-results" / "microsoft-fy2023.yaml"
BULLETIN = ROOT / "examples" / "statistics-bulletin" / "china-2023-bulletin.yaml"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"

FONT_REGION = {"zh-Hant": "TC", "zh-TW": "TC", "zh-HK": "HK"}


def it_converts_phrase_by_phrase_with_each_regions_vocabulary():
    text = "信息技术预算：“软件”发展与头发"
    assert converter("zh-Hant")(text) == "信息技術預算：「軟件」發展與頭髮"  # 發 and 髮 by the phrase
    assert converter("zh-TW")(text) == "資訊科技預算：「軟體」發展與頭髮"   # Taiwan's vocabulary
    assert converter("zh-HK")("2.5亿元，3000万港元") == "2.5億元，3000萬港元"
    assert converter("zh-HK")('He said "ok" – “fine”') == 'He said "ok" – “fine”'  # English left alone


@pytest.mark.parametrize(("name", "langs", "tag"), [
    ("zh-Hant", ("zh",), "zh-Hant"), ("zh-Hant-en", ("zh", "en"), "zh-Hant"), ("en-zh-Hant", ("en", "zh"), "zh-Hant"),
    ("zh-HK", ("zh",), "zh-HK"), ("en-zh-TW", ("en", "zh"), "zh-TW"), ("bilingual", ("zh", "en"), "zh-Hans"),
])
def it_names_traditional_editions_by_language_tag(name, langs, tag):
    edition = Edition(name)
    assert (edition.langs, edition.chinese, edition.traditional) == (langs, tag, tag != "zh-Hans")


def it_uses_the_datasets_traditional_text_where_it_gives_one(tmp_path):
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "title: {zh: 年度简报, en: Annual brief}", "title: {zh: 年度简报, zh-Hant: 年度報告書, en: Annual brief}", 1)
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_dataset(path)
    assert plan(loaded, "zh-Hant").title.get("zh") == "年度報告書"    # as written, not converted
    assert plan(loaded, "zh").title.get("zh") == "年度简报"
    assert plan(loaded, "zh-HK").subtitle.get("zh") == "副標題"        # converted where none is given
    report = plan(loaded, "en-zh-HK")
    assert report.lang_tag == "en"
    assert {p.tag for p in phrases_in(report) if p.lang == "zh"} == {"zh-HK"}


def _build(dataset: Path, edition: str, out: Path) -> list[Path]:
    from reporting.pipeline.build import BuildOptions, Builder

    with Builder() as builder:
        return builder.build(dataset, BuildOptions(formats=("pdf", "html", "pptx"), edition=Edition(edition),
                                                   out_dir=out)).outputs


def _text(path: Path) -> str:
    from reporting.verify.extract import extract

    extracted = extract(path)
    return extracted.body + "\n" + extracted.extra


def _fonts(path: Path) -> set[str]:
    """Font names a PDF embeds, a deck names (a:ea, a:latin) or an HTML page's CSS lists."""
    if path.suffix == ".pdf":
        import pypdf

        names = set()
        for page in pypdf.PdfReader(path).pages:
            for font in (page.get("/Resources") or {}).get("/Font", {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor") or font.get("/DescendantFonts", [{}])[0].get_object().get(
                    "/FontDescriptor")
                if descriptor is not None and any(key in descriptor.get_object() for key in
                                                  ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font["/BaseFont"]).split("+", 1)[-1].replace("-", " "))
        return names
    if path.suffix == ".pptx":
        with zipfile.ZipFile(path) as package:
            xml = "".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))
        return set(re.findall(r'<a:ea typeface="([^"]+)"', xml))
    return set(re.findall(r'"(Noto (?:Sans|Serif) CJK \w\w)"', path.read_text(encoding="utf-8")))


def _langs(path: Path) -> tuple[str, set[str]]:
    """The document's language and every language tag in it."""
    if path.suffix == ".pdf":
        import pypdf

        return str(pypdf.PdfReader(path).trailer["/Root"]["/Lang"]), set()
    if path.suffix == ".pptx":
        with zipfile.ZipFile(path) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
            xml = "".join(package.read(name).decode("utf-8") for name in package.namelist()
                          if name.startswith("ppt/") and name.endswith(".xml"))
        return re.search(r"<dc:language>(.*?)<", core)[1], set(re.findall(r' lang="([^"]+)"', xml))
    html = path.read_text(encoding="utf-8")
    return re.search(r'<html lang="([^"]+)"', html)[1], set(re.findall(r' lang="([^"]+)"', html))


@pytest.mark.slow
@pytest.mark.parametrize(("dataset", "edition"), [
    (SHIPPED, "zh-Hant"),
    (SHIPPED, "en-zh-HK"), (MICROSOFT, "zh-TW-en"), (MICROSOFT, "en-zh-Hant"),
    (BULLETIN, "zh-HK"), (BULLETIN, "en-zh-TW"),
], ids=lambda value: value.stem if isinstance(value, Path) else value)
def it_builds_traditional_editions_that_read_and_verify_as_traditional(dataset, edition, tmp_path):
    from reporting.verify.check import verify_outputs

    outputs = _build(dataset, edition, tmp_path)
    assert sorted(path.suffix for path in outputs) == [".html", ".pdf", ".pptx"]
    tag = Edition(edition).chinese
    convert = converter(tag)
    for output in outputs:
        text = _text(output)
        chinese = "".join(re.findall(r"[\u4e00-\u9fff]", text))
        assert len(chinese) > 200, output.name
        # Traditional throughout: converting again changes no character (a Simplified-only
        # one would change), and the text holds forms only Traditional has.
        again = convert(chinese)
        assert [(a, b) for a, b in zip(chinese, again) if a != b] == [], output.name
        assert len(set(chinese) & set("來資數據與發報個國際經濟會業務們說實將")) >= 3, output.name
        assert "「" in text or "“" not in re.sub(r"[^\u4e00-\u9fff“”]", "", text), output.name
        fonts = _fonts(output)
        region = FONT_REGION[tag]
        assert any(f"CJK {region}" in name for name in fonts), (output.name, fonts)
        assert not any("CJK SC" in name for name in fonts), (output.name, fonts)
        document, tags = _langs(output)
        assert document == (tag if edition.startswith("zh") else "en" if output.suffix != ".pptx" else "en-US")
        assert tag in tags or output.suffix == ".pdf", (output.name, tags)
        assert not tags & {"zh-Hans", "zh-CN"}, (output.name, tags)
    report = verify_outputs(outputs, dataset)
    assert report.ok, report.mismatches


def it_previews_a_traditional_edition_in_the_traditional_faces(tmp_path):
    from reporting.pipeline.build import BuildOptions, Builder

    with Builder() as builder:
        html = builder.render_html(MINIMAL, BuildOptions(formats=("html",), edition=Edition("zh-HK-en"),
                                                         out_dir=tmp_path))
    assert '<html lang="zh-HK"' in html
    assert "Noto Sans CJK HK" in html and "Noto Sans CJK SC" not in html
    assert "副標題" in html


def it_checks_glyphs_of_a_traditional_audience_in_its_text_and_faces(tmp_path, monkeypatch):
    """check looks for every character a Traditional audience prints (the text as OpenCC
    converts it: 資, 來) in the faces it prints with (Noto … CJK HK for zh-HK), beside the
    Simplified text in the SC faces."""
    from reporting.project import check as check_module
    from reporting.project.config import load_config

    (tmp_path / "report.toml").write_text(
        f'[project]\ndataset = "{SHIPPED.as_posix()}"\n\n'
        '[audiences.hk]\ndescription = "Hong Kong"\nedition = "zh-HK-en"\n', encoding="utf-8")
    seen: list[tuple[tuple[str, ...], set[str]]] = []
    real_missing, real_require = check_module.missing_characters, check_module.require_fonts

    def require_fonts(families):
        seen.append((tuple(families), set()))
        return real_require(families)

    def missing_characters(texts, fonts):
        texts = list(texts)
        seen[-1][1].update("".join(texts))
        return real_missing(texts, fonts)

    monkeypatch.setattr(check_module, "require_fonts", require_fonts)
    monkeypatch.setattr(check_module, "missing_characters", missing_characters)
    result = check_module.check_project(load_config(tmp_path / "report.toml"))
    assert not [p for p in result.problems if "draws" in str(p) or "font" in str(p)], result.problems
    by_faces = {families: chars for families, chars in seen}
    hk = next(chars for families, chars in by_faces.items() if "Noto Sans CJK HK" in families)
    simplified = next(chars for families, chars in by_faces.items() if "Noto Sans CJK SC" in families)
    assert {"資", "來", "與"} <= hk and not {"資", "來", "與"} & simplified
