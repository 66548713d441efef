"""Audiences: one dataset, tailored briefs and decks; user projects and templates."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from reporting.project.audiences import AudienceBook
from reporting.pipeline.build import BuildOptions
from reporting.errors import DataError, TemplateError, UsageError
from reporting.project.config import ProjectConfig, find_config, load_config
from reporting.project.scaffold import init_project

pypdf = pytest.importorskip("pypdf")
pptx = pytest.importorskip("pptx")


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def book():
    return AudienceBook(load_config(find_config(project=Path(__file__).parent.parent)))


@pytest.fixture(scope="module")
def built(book, shipped):
    """Every shipped audience's brief and deck (built once for the run: conftest.py)."""
    assert sorted(shipped.audiences) == sorted(book.names)
    return shipped.audiences


def it_ships_four_audiences(book):
    assert book.names == ["executive", "press", "partners", "public_welfare"]


def it_names_outputs_by_dataset_audience_and_edition(built):
    assert built["press"][".pdf"].name == "xiaohongshu-2020_press_en.pdf"
    assert built["public_welfare"][".pptx"].name == "xiaohongshu-2020_public_welfare_zh.pptx"


def it_gives_executives_two_pages_and_at_most_six_slides(built):
    assert len(pypdf.PdfReader(built["executive"][".pdf"]).pages) == 2
    slides = len(pptx.Presentation(built["executive"][".pptx"]).slides)
    assert 4 <= slides <= 6


def it_gives_the_press_the_full_english_narrative(built):
    press = pypdf.PdfReader(built["press"][".pdf"])
    executive = pypdf.PdfReader(built["executive"][".pdf"])
    assert len(press.pages) > 2 * len(executive.pages)
    text = re.sub(r"\s+", " ", pdf_text(built["press"][".pdf"]))
    assert "Helping to end rural poverty" in text and "Mothers Rising" in text
    # Chinese only as the Chinese article's own title, on the sources page
    whole = squeezed(text)
    assert "小红书2020年：为抗疫、扶贫和新国货助力" in whole
    assert "小红书" not in whole.replace("小红书2020年：为抗疫、扶贫和新国货助力", "")
    # the press asked for the audit trail: where the article states each figure
    assert "Appendix: where each figure is stated" in text and "paragraph 26" in text


def section_order(text: str, titles: list[str]) -> list[str]:
    found = sorted((text.find(title), title) for title in titles if text.find(title) >= 0)
    return [title for _, title in found]


def it_leads_partners_with_brands_and_public_welfare_with_relief(built):
    partners = re.sub(r"\s+", " ", pdf_text(built["partners"][".pdf"]))
    body = partners[partners.find("Where new domestic brands take off", partners.find("Contents") + 200):]
    assert section_order(body, ["Where new domestic brands take off", "The community at a glance",
                                "the community responds"])[0] == "Where new domestic brands take off"
    assert "Helping to end rural poverty" not in partners
    welfare = squeezed(pdf_text(built["public_welfare"][".pdf"]))
    assert "驰援武汉" in welfare and "助力脱贫攻坚" in welfare
    assert "新国货的起点" not in welfare
    assert "Standing with Wuhan" not in welfare


def it_builds_decks_whose_slide_counts_follow_the_audience(built):
    counts = {name: len(pptx.Presentation(files[".pptx"]).slides) for name, files in built.items()}
    assert counts["executive"] < counts["public_welfare"] < counts["press"]


def it_applies_each_audiences_theme(built):
    html_colours = {}
    for name in ("partners", "public_welfare"):
        deck = pptx.Presentation(built[name][".pptx"])
        theme_xml = deck.slide_master.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
        html_colours[name] = re.search(r'<a:accent1><a:srgbClr val="([0-9A-F]{6})"', theme_xml).group(1)
    assert html_colours == {"partners": "8A3B12", "public_welfare": "1F5F8B"}


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "my-brief"
    init_project(folder, load_config(find_config(project=Path(__file__).parent.parent)))
    return folder


@pytest.fixture
def build_project(builder):
    """Builds a project folder's default audience (or ``audience``) with the run's builder."""
    def build(folder: Path, *formats: str, audience: str | None = None):
        book = AudienceBook(load_config(find_config(project=folder)))
        base = BuildOptions(formats=formats or ("pdf",), out_dir=folder / "out")
        chosen = book.get(audience, base) if audience else book.default(base)
        return builder.build(book.config.dataset, chosen.options)

    return build


@pytest.mark.slow
def it_scaffolds_a_project_that_builds(project, build_project):
    for name in ("report.toml", "README.md", "data/xiaohongshu-2020.yaml", "data/dataset.schema.json",
                 "templates/brief/custom.css", "templates/brief/brief.html",
                 "templates/audiences/executive/brief/brief.html"):
        assert (project / name).is_file(), name
    assert 'dataset = "data/xiaohongshu-2020.yaml"' in (project / "report.toml").read_text()
    result = build_project(project, audience="executive")
    assert len(pypdf.PdfReader(result.outputs[0]).pages) == 2


@pytest.mark.slow
def it_takes_letter_pages_from_the_projects_css(project, build_project):
    css = project / "templates/brief/custom.css"
    css.write_text(css.read_text() + "\n@page { size: Letter; }\n")
    page = pypdf.PdfReader(build_project(project).outputs[0]).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


@pytest.mark.slow
def it_takes_the_title_from_the_projects_dataset(project, build_project):
    dataset = project / "data/xiaohongshu-2020.yaml"
    dataset.write_text(dataset.read_text(encoding="utf-8").replace(
        'en: "Xiaohongshu (RED): 2020 in Review"', 'en: "RED: a year of community"'), encoding="utf-8")
    pdf = build_project(project).outputs[0]
    assert "RED: a year of community" in pdf_text(pdf)
    assert "RED: a year of community" in pypdf.PdfReader(pdf).metadata.title


def it_refuses_to_scaffold_over_existing_work(project):
    with pytest.raises(UsageError, match="not empty"):
        init_project(project, load_config(find_config(project=project)))


@pytest.mark.slow
def it_lets_a_user_template_override_one_block(project, build_project):
    (project / "templates/brief/brief.html").write_text(
        '{% extends "brief/base.html" %}{% block timeline %}<p lang="en">No timeline here.</p>{% endblock %}')
    text = re.sub(r"\s+", " ", pdf_text(build_project(project).outputs[0]))
    assert "No timeline here." in text and "The year's main events in date order" not in text
    assert "Key figures" in text  # the other blocks are still the built-in ones


def it_lists_what_exists_for_a_missing_template(project, build_project):
    (project / "templates/brief/brief.html").write_text('{% include "brief/partials/nope.html" %}')
    with pytest.raises(TemplateError) as caught:
        build_project(project, "html")
    message = str(caught.value)
    assert "'brief/partials/nope.html' not found" in message
    assert "brief/partials/section.html" in message  # what exists
    assert str(project / "templates") in message  # where it looked


def it_names_the_setting_of_a_missing_audience_template_folder(project, build_project):
    config = project / "report.toml"
    config.write_text(config.read_text().replace('templates = "templates/audiences/executive"',
                                                 'templates = "templates/audiences/gone"'))
    with pytest.raises(UsageError, match=r"audiences\.executive\.templates: template folder not found"):
        build_project(project, audience="executive")


def it_reports_bad_config_settings_with_their_line(project):
    config = project / "report.toml"
    config.write_text(config.read_text().replace('depth = "summary"', 'depth = "brief"'))
    with pytest.raises(DataError) as caught:
        AudienceBook(load_config(config))
    [problem] = caught.value.problems
    assert problem.field == "audiences.executive.depth"
    assert config.read_text().splitlines()[problem.line - 1].startswith('depth = "brief"')


def it_rejects_an_audience_section_the_dataset_lacks(book, builder, tmp_path):
    audience = book.get("executive", BuildOptions(formats=("html",), out_dir=tmp_path))
    options = replace(audience.options, sections=("community", "nope"))
    with pytest.raises(UsageError, match="unknown section.*nope.*the dataset has"):
        builder.build(book.config.dataset, options)
