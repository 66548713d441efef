"""Decks on masters nobody here made: LibreOffice's bundled Impress templates (saved
as .pptx by LibreOffice in the set-up) and python-pptx's default master at the common
slide sizes. Each builds without configuration, keeps its text off the title, other
text and the master's artwork, inside the slide, readable, without the template's
sample slides, in the master's look, with native charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from deck_checks import contrast_problems, flat_shapes, is_title, outside, overlaps
from once_per_run import once_per_run
from reporting.model.theme import Theme
from reporting.errors import TemplateError
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.render.deck import oxml
from reporting.render.deck.backdrop import theme_fonts
from reporting.render.deck.layouts import Role
from reporting.render.deck.roles import choose_layouts, describe, generic_layouts
from reporting.render.deck.look import is_cjk_typeface, readable, text_style
from reporting.render.deck.builder import write_deck

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

IMPRESS_TEMPLATES = ("Beehive", "Blue_Curve", "DNA", "Focus", "Forestbird", "Midnightblue", "Piano", "Portfolio",
                     "Progress", "Sunset", "Vintage", "Vivid")
"""Twelve of the Impress templates LibreOffice installs: 16:9 and 4:3 (Vintage), bands,
corner art, picture and pattern backgrounds, one to four master pages."""

CM = 360000
SIZES = {
    "4:3": (25.4, 19.05),  # python-pptx's own
    "16:9 25.4 cm": (25.4, 14.2875),
    "16:9 28 cm": (28.0, 15.75),
    "16:10": (25.4, 15.875),
}

pytestmark = pytest.mark.slow


def _impress_folder() -> Path | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    folder = Path(soffice).resolve().parent.parent / "share" / "template" / "common" / "presnt"
    return folder if folder.is_dir() else None


@pytest.fixture(scope="session")
def impress_masters(tmp_path_factory) -> dict[str, Path]:
    """The Impress templates saved as .pptx by LibreOffice, once per run, in this run's
    temp folder (under pytest-xdist the first worker to ask converts them while the
    others wait), with a LibreOffice profile of their own."""
    source = _impress_folder()
    if source is None:
        pytest.skip("LibreOffice (soffice) and its Impress templates are not installed")

    def convert(folder: Path) -> dict[str, str]:
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless", "--convert-to",
             "pptx", "--outdir", str(folder), *(str(source / f"{name}.otp") for name in IMPRESS_TEMPLATES)],
            check=True, capture_output=True, timeout=600,
        )
        return {name: str(folder / f"{name}.pptx") for name in IMPRESS_TEMPLATES}

    return {name: Path(path) for name, path in once_per_run(tmp_path_factory, "impress-masters", convert).items()}


def resized_default_master(target: Path, width_cm: float, height_cm: float) -> Path:
    """python-pptx's default master with its slide size, masters and layouts scaled."""
    prs = Presentation()
    width, height = int(width_cm * CM), int(height_cm * CM)
    sx, sy = width / prs.slide_width, height / prs.slide_height
    for master in prs.slide_masters:
        for owner in (master, *master.slide_layouts):
            for element in owner._element.iter(f"{A}off", f"{A}chOff"):
                element.set("x", str(int(int(element.get("x")) * sx)))
                element.set("y", str(int(int(element.get("y")) * sy)))
            for element in owner._element.iter(f"{A}ext", f"{A}chExt"):
                if element.get("cx") is not None:
                    element.set("cx", str(int(int(element.get("cx")) * sx)))
                    element.set("cy", str(int(int(element.get("cy")) * sy)))
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    prs.save(str(target))
    return target


@pytest.fixture(scope="module")
def report():
    return plan(load_dataset(DATASET), "bilingual")


def sample_texts(template: Path) -> set[str]:
    prs = Presentation(str(template))
    texts = set()
    for slide in prs.slides:
        for shape in flat_shapes(slide.shapes):
            if shape.has_text_frame:
                texts |= {p.text.strip() for p in shape.text_frame.paragraphs if len(p.text.strip()) > 6}
    return texts


def check_deck(template: Path, deck: Path, report) -> None:
    prs = Presentation(str(deck))
    problems = overlaps(prs) + outside(prs) + contrast_problems(prs)
    assert not problems, "\n".join(problems)
    text = "\n".join(t.text or "" for slide in prs.slides for t in slide._element.iter(f"{A}t"))
    leftovers = [sample for sample in sample_texts(template) if sample in text]
    assert not leftovers, f"sample slides left in the deck: {leftovers[:3]}"
    assert report.title.first.text in text
    # Charts stay native charts; the timeline native shapes; a title on every slide but the cover's.
    charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == sum(len(section.charts) for section in report.sections)
    assert [s for slide in prs.slides for s in slide.shapes if s.shape_type == 6]  # the timeline, a group
    assert not [s for slide in prs.slides for s in flat_shapes(slide.shapes) if s.shape_type == 13]  # no pictures
    titled = [slide for slide in prs.slides if any(is_title(s) for s in slide.shapes)]
    assert len(titled) == len(prs.slides)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", IMPRESS_TEMPLATES)
def test_the_default_deck_builds_on_an_impress_template(impress_masters, report, name, tmp_path):
    template = impress_masters[name]
    deck = write_deck(report, Theme(), tmp_path / "deck.pptx", template=template, master_look=True)
    check_deck(template, deck, report)


@pytest.mark.parametrize("size", SIZES)
def test_the_default_deck_builds_on_python_pptx_default_master_at_every_size(report, size, tmp_path):
    template = resized_default_master(tmp_path / "master.pptx", *SIZES[size])
    deck = write_deck(report, Theme(), tmp_path / "deck.pptx", template=template, master_look=True)
    check_deck(template, deck, report)


# -- roles ------------------------------------------------------------------------------------


def test_layouts_are_found_by_their_placeholders_on_python_pptx_default_master():
    chosen = choose_layouts(Presentation())
    names = {role: chosen[role].name for role in Role}
    assert names[Role.TITLE] == names[Role.CLOSING] == "Title Slide"
    assert names[Role.AGENDA] == names[Role.POINTS] == names[Role.SOURCES] == "Title and Content"
    assert names[Role.KEY_FIGURES] == names[Role.TIMELINE] == "Title Only"
    # Only the chart has to make do: no layout has a chart placeholder.
    assert [role for role, choice in chosen.choices.items() if choice.fallback] == [Role.CHART]


def test_renamed_layouts_are_found_all_the_same(tmp_path):
    prs = Presentation()
    for number, layout in enumerate(prs.slide_layouts):
        layout._element.cSld.set("name", f"Layout {number}")
    chosen = choose_layouts(prs)
    assert chosen[Role.TITLE].name == "Layout 0"  # centred title and subtitle
    assert chosen[Role.AGENDA].name == "Layout 1"  # title and one body
    assert chosen[Role.CHART].name == "Layout 1"
    assert chosen[Role.KEY_FIGURES].name in ("Layout 1", "Layout 5")  # a title and room: a body or nothing


def test_a_layout_named_per_role_wins_and_a_missing_name_lists_the_layouts():
    prs = Presentation()
    chosen = choose_layouts(prs, {"points": "Two Content", "title": "Section Header"})
    assert chosen[Role.POINTS].name == "Two Content" and chosen.choices[Role.POINTS].named
    assert chosen[Role.TITLE].name == "Section Header"
    with pytest.raises(TemplateError, match="no slide layout named “Chart”.*“Title Only”"):
        choose_layouts(prs, {"chart": "Chart"})
    with pytest.raises(TemplateError, match="unknown role 'cover'"):
        choose_layouts(prs, {"cover": "Title Slide"})


@pytest.mark.libreoffice
def test_on_several_master_pages_the_content_roles_avoid_the_artwork(impress_masters):
    prs = Presentation(str(impress_masters["Focus"]))
    assert generic_layouts(prs)  # LibreOffice writes stand-in layout boxes
    chosen = choose_layouts(prs)
    for role in (Role.AGENDA, Role.POINTS, Role.CHART, Role.SOURCES):
        assert chosen.geometry(role).art_share < 0.05, role


@pytest.mark.libreoffice
def test_deck_layouts_lists_layouts_roles_and_fallbacks(impress_masters):
    text = describe(Presentation(str(impress_masters["Vivid"])), template="Vivid.pptx")
    assert "Vivid.pptx: 28.00 × 15.75 cm, 3 master(s), 3 sample slide(s)" in text
    assert re.search(r"master 2 · Title, Content: title, body, .*→ .*agenda", text)
    assert re.search(r"^  chart +master \d · Title, Content", text, re.M)


# -- the master's look --------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_without_an_audience_theme_the_deck_takes_the_master_fonts_and_colours(impress_masters, report, tmp_path):
    template = impress_masters["Vivid"]
    deck = Presentation(str(write_deck(report, Theme(), tmp_path / "deck.pptx", template=template,
                                       master_look=True)))
    body_font = text_style(choose_layouts(Presentation(str(template)))[Role.POINTS], "body").latin
    faces = {r.get("typeface") for r in deck.slides[3]._element.iter(f"{A}latin")}
    assert body_font and faces == {body_font}
    colours = {c.get("val") for c in deck.slides[2]._element.iter(f"{A}srgbClr")}
    assert Theme().accent.lstrip("#") not in colours  # not our red
    for master in deck.slide_masters:  # Chinese has a font to fall back on
        fonts = oxml.theme_fonts(master)
        assert is_cjk_typeface(fonts["minorFont"]["ea"]) and is_cjk_typeface(fonts["majorFont"]["ea"])


@pytest.mark.libreoffice
def test_with_an_audience_theme_the_theme_wins(impress_masters, report, tmp_path):
    theme = Theme()
    deck = Presentation(str(write_deck(report, theme, tmp_path / "deck.pptx", template=impress_masters["Vivid"])))
    colours = {c.get("val") for slide in deck.slides for c in slide._element.iter(f"{A}srgbClr")}
    assert theme.accent.lstrip("#") in colours
    faces = {r.get("typeface") for r in deck.slides[3]._element.iter(f"{A}latin")}
    assert faces == {theme.fonts.latin}


@pytest.mark.libreoffice
def test_sample_slides_are_kept_when_asked(impress_masters, report, tmp_path):
    template = impress_masters["Focus"]
    kept = Presentation(str(write_deck(report, Theme(), tmp_path / "deck.pptx", template=template,
                                       master_look=True, keep_template_slides=True)))
    dropped = Presentation(str(write_deck(report, Theme(), tmp_path / "deck2.pptx", template=template,
                                          master_look=True)))
    assert len(kept.slides) == len(dropped.slides) + len(Presentation(str(template)).slides)


def test_text_colour_changes_only_where_it_would_not_read():
    assert readable("#1D1D1F", ("#FFFFFF",), ("#FFFFFF",)) == "#1D1D1F"
    assert readable("#1D1D1F", ("#0A1F44",), ("#1D1D1F", "#FFFFFF")) == "#FFFFFF"
    assert readable("#777777", ("#000000", "#FFFFFF")) in ("#000000", "#FFFFFF")  # best of a bad lot


# -- report.toml and the command line -------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A report project whose audience builds on python-pptx's default master."""
    from click.testing import CliRunner

    from reporting.cli import main

    folder = tmp_path / "project"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    resized_default_master(folder / "corporate.pptx", *SIZES["16:9 25.4 cm"])
    with (folder / "report.toml").open("a", encoding="utf-8") as config:
        config.write('\n[audiences.board]\ndescription = "The board, on the corporate master"\nedition = "en"\n'
                     'pptx_template = "corporate.pptx"\ndeck_layouts = { title = "Section Header" }\n')
    text = (folder / "report.toml").read_text(encoding="utf-8")
    text = text.replace("[project]\n", '[project]\ndeck_layouts = { agenda = "Two Content", title = "Title Only" }\n', 1)
    (folder / "report.toml").write_text(text, encoding="utf-8")
    return folder


def test_layouts_named_in_report_toml_are_used_the_audience_s_first(project):
    from click.testing import CliRunner

    from reporting.cli import main

    result = CliRunner().invoke(main, ["--project", str(project), "--audience", "board", "--format", "pptx"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    deck = Presentation(str(project / "out" / "xiaohongshu-2020_board_en.pptx"))
    layouts = [slide.slide_layout.name for slide in deck.slides]
    assert layouts[0] == "Section Header"  # the audience's
    assert layouts[1] == "Two Content"  # the project's, for the agenda
    assert "Title Only" not in layouts[:1]
    problems = overlaps(deck) + outside(deck) + contrast_problems(deck)
    assert not problems, "\n".join(problems)


def test_deck_layouts_command_prints_roles_and_a_missing_name_fails(project):
    from click.testing import CliRunner

    from reporting.cli import main

    master = str(project / "corporate.pptx")
    result = CliRunner().invoke(main, ["deck-layouts", master])
    assert result.exit_code == 0, result.output
    assert "master 1 · Title Slide: title, subtitle, date, footer, slide_number  → title, closing" in result.output
    assert re.search(r"^  points +master 1 · Title and Content", result.output, re.M)
    named = CliRunner().invoke(main, ["deck-layouts", master, "--project", str(project), "--audience", "board"])
    assert named.exit_code == 0, named.output
    assert re.search(r"^  title +master 1 · Section Header .*named in the config", named.output, re.M)
    assert re.search(r"^  agenda +master 1 · Two Content .*named in the config", named.output, re.M)
    (project / "report.toml").write_text((project / "report.toml").read_text(encoding="utf-8").replace(
        '"Section Header"', '"Cover Page"'), encoding="utf-8")
    missing = CliRunner().invoke(main, ["deck-layouts", master, "--project", str(project), "--audience", "board"])
    assert missing.exit_code == 1
    assert "no slide layout named “Cover Page” (deck layout for title)" in missing.output


def test_check_names_a_layout_the_master_lacks_with_its_line(project):
    from click.testing import CliRunner

    from reporting.cli import main

    config = project / "report.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"Section Header"', '"Cover Page"'),
                      encoding="utf-8")
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
                if "Cover Page" in text)
    result = CliRunner().invoke(main, ["check", "--project", str(project)])
    assert result.exit_code == 1
    assert (f"report.toml:{line}: audiences.board.deck_layouts.title: corporate.pptx has no slide layout "
            f"named “Cover Page”; its layouts are: “Title Slide”") in result.output


def test_a_figure_wider_than_the_line_shrinks_the_text_instead_of_breaking():
    from reporting.render.deck import textfit

    measurer = textfit.Measurer(Theme().fonts.latin, Theme().fonts.cjk)
    text = "2.8\u00a0billion\u00a0discussions, up over 100% on 2019"
    figure = "2.8\u00a0billion\u00a0discussions,"
    width = int(measurer.width(figure, 14) / textfit.SAFETY * 12700) + 12700  # room for it at 14 pt, not 20
    fit = textfit.fit([textfit.Para(text)], width, 12700 * 400, measurer, max_size=20, min_size=10)
    assert fit.fits and fit.size <= 14
    assert any(figure in line for line in fit.lines[0])
