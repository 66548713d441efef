"""Layouts found by structure on masters made here as brand teams make them: names in
another language, a body on one half of the slide, a cover master before the content
master, artwork painted into a background picture, a .potx template; and
``deck-layouts`` saying which master and layout each role got and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pptx import Presentation

from master_makers import as_potx, cover_then_content_master, german_master, painted_background_master
from reporting.cli import main
from reporting.errors import TemplateError
from reporting.render.deck.backdrop import picture_art
from reporting.render.deck.layouts import Role, open_template
from reporting.render.deck.roles import choose_layouts, describe

CONTENT = (Role.AGENDA, Role.KEY_FIGURES, Role.CHART, Role.POINTS, Role.TIMELINE, Role.SOURCES)


def it_finds_layouts_named_in_german_by_their_placeholders(tmp_path):
    prs = open_template(german_master(tmp_path / "de.pptx"))
    chosen = choose_layouts(prs)
    width = int(prs.slide_width)
    assert chosen[Role.TITLE].name == chosen[Role.CLOSING].name == "Titelfolie"
    assert chosen[Role.POINTS].name == "Titel und Inhalt"  # text in the body the design gives it
    # Charts, key figures and the timeline need the slide's width, not the right half.
    for role in (Role.CHART, Role.KEY_FIGURES, Role.TIMELINE):
        assert chosen[role].name == "Nur Titel", role
        assert chosen.geometry(role).content.w > 0.8 * width, role


def it_never_puts_content_on_the_cover_master_when_a_content_master_exists(tmp_path):
    prs = open_template(cover_then_content_master(tmp_path / "two.pptx"))
    assert len(prs.slide_masters) == 2
    chosen = choose_layouts(prs)
    assert {chosen.choices[role].master_index for role in CONTENT} == {1}
    for role in CONTENT:  # the content starts under a title at the top, not half-way down
        assert chosen.geometry(role).content.y < 0.3 * int(prs.slide_height), role
    assert chosen.choices[Role.TITLE].master_index == 0  # the cover keeps the cover's master


def it_keeps_content_off_artwork_painted_into_the_background_picture(tmp_path):
    prs = open_template(painted_background_master(tmp_path / "painted.pptx"))
    size = (int(prs.slide_width), int(prs.slide_height))
    drawing = picture_art(prs.slide_layouts[1], size)
    assert drawing, "the drawing painted into the background was not found"
    assert min(art.box.x for art in drawing) > 0.6 * size[0]  # the plain ground is no obstacle
    chosen = choose_layouts(prs)
    for role in CONTENT:
        content = chosen.geometry(role).content
        assert not [a for a in drawing if a.box.intersection(content) > 0], (role, content)
        assert content.area > 0.3 * size[0] * size[1], role


def it_says_which_master_and_layout_each_role_got_and_why(tmp_path):
    text = describe(open_template(cover_then_content_master(tmp_path / "two.pptx")), template="two.pptx")
    assert re.search(r"^  points +master 2 · Title and Content .*\n +why: placeholders \+100, name \+\d+, "
                     r"room \+100 = \d+; best on another master: master 1 · Title and Content \(\d+\)", text, re.M)
    german = describe(open_template(german_master(tmp_path / "de.pptx")), template="de.pptx")
    assert re.search(r"^  chart +master 1 · Nur Titel .*\n +why: placeholders \+70, room \+100 = 170$", german, re.M)
    assert re.search(r"^  points +master 1 · Titel und Inhalt .*\n +why: placeholders \+100, room \+6\d = 16\d$",
                     german, re.M)


def it_opens_a_potx_template_as_a_pptx(tmp_path):
    potx = as_potx(german_master(tmp_path / "de.pptx"), tmp_path / "de.potx")
    with pytest.raises(ValueError):  # what python-pptx does with one as it is
        Presentation(str(potx))
    prs = open_template(potx)
    assert [layout.name for layout in prs.slide_layouts][:2] == ["Titelfolie", "Titel und Inhalt"]
    assert potx.read_bytes() == as_potx(tmp_path / "de.pptx", tmp_path / "again.potx").read_bytes()  # untouched
    result = CliRunner().invoke(main, ["deck-layouts", str(potx)])
    assert result.exit_code == 0, result.output
    assert "de.potx: 25.40 × 19.05 cm, 1 master(s)" in result.output


def it_names_the_file_that_is_neither_pptx_nor_potx(tmp_path):
    bad = tmp_path / "brand.potx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TemplateError, match=r"brand.potx is not a PowerPoint .pptx file or .potx template"):
        open_template(bad)


@pytest.mark.slow
def it_builds_a_deck_on_a_potx_template(tmp_path):
    potx = as_potx(german_master(tmp_path / "de.pptx"), tmp_path / "de.potx")
    result = CliRunner().invoke(main, ["--format", "pptx", "--lang", "en", "--out", str(tmp_path / "out"),
                                       "--pptx-template", str(potx)])
    assert result.exit_code == 0, result.output
    deck = Presentation(str(next((tmp_path / "out").glob("*.pptx"))))
    assert [slide.slide_layout.name for slide in deck.slides][:2] == ["Titelfolie", "Titel und Inhalt"]
    assert deck.part.content_type.endswith("presentation.main+xml")  # a deck, not a template


# -- the master's style, referenced -----------------------------------------------------------


def _theme_swapped(deck: Path, theme_xml: bytes, target: Path) -> Path:
    """``deck`` with every theme part of its slide masters replaced by ``theme_xml`` (what
    applying another theme does), saved to ``target``."""
    import zipfile

    with zipfile.ZipFile(deck) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        masters_themes = set()
        for name in zin.namelist():
            if name.startswith("ppt/slideMasters/_rels/"):
                rels = zin.read(name).decode()
                masters_themes |= {"ppt/theme/" + t for t in re.findall(r'Target="\.\./theme/([^"]+)"', rels)}
        for info in zin.infolist():
            blob = zin.read(info.filename)
            zout.writestr(info, theme_xml if info.filename in masters_themes else blob)
    return target


def _run_looks(path: Path) -> tuple[set[str], set[str]]:
    """The colours and Latin typefaces the deck's slide text resolves to, through each slide's
    master theme where a run references it."""
    from reporting.render.deck.backdrop import theme_colours, theme_fonts

    prs = Presentation(str(path))
    colours, faces = set(), set()
    for slide in prs.slides:
        master = slide.slide_layout.slide_master
        scheme, fonts = theme_colours(master), theme_fonts(master)
        for rPr in slide._element.iter(f"{A}rPr"):
            ref = rPr.find(f"{A}solidFill/{A}schemeClr")
            own = rPr.find(f"{A}solidFill/{A}srgbClr")
            colours.add(scheme.get(ref.get("val")) if ref is not None else
                        "#" + own.get("val") if own is not None else "inherited")
            latin = rPr.find(f"{A}latin")
            if latin is not None:
                face = latin.get("typeface")
                faces.add({"+mn-lt": fonts["minor"], "+mj-lt": fonts["major"]}.get(face, face))
    return colours, faces


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.mark.slow
def it_restyles_a_built_deck_when_another_theme_is_applied(tmp_path):
    """A deck on a user's master references the master's theme colours and fonts: swapping
    the theme part for another (dark text made blue, another typeface) changes the deck's
    text colours and fonts with it, as applying a theme in PowerPoint would."""
    from reporting.dataset.load import load_dataset
    from reporting.model.planner import plan
    from reporting.model.theme import Theme
    from reporting.render.deck.builder import write_deck

    master = german_master(tmp_path / "de.pptx")
    report = plan(load_dataset(Path(__file__).parent.parent / "data" / "xiaohongshu-2020.yaml"), "en")
    deck = write_deck(report, Theme(), tmp_path / "deck.pptx", template=master, master_look=True)
    prs = Presentation(str(deck))
    runs = [r for slide in prs.slides for r in slide._element.iter(f"{A}rPr") if r.find(f"{A}latin") is not None]
    referenced = [r for r in runs if r.find(f"{A}solidFill/{A}schemeClr") is not None]
    assert len(referenced) >= 0.4 * len(runs), (len(referenced), len(runs))  # muted and accent tints stay explicit
    assert {r.find(f"{A}latin").get("typeface") for r in runs} <= {"+mn-lt", "+mj-lt"}
    theme_part = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    other = theme_part.blob.replace(b'<a:sysClr val="windowText" lastClr="000000"/>', b'<a:srgbClr val="1B3A8C"/>')
    other = re.sub(rb'(<a:minorFont>\s*<a:latin typeface=")[^"]*"', rb'\1DejaVu Serif"', other)
    assert other != theme_part.blob
    swapped = _theme_swapped(deck, other, tmp_path / "swapped.pptx")
    before, after = _run_looks(deck), _run_looks(swapped)
    assert "#1B3A8C" in after[0] and "#1B3A8C" not in before[0]
    assert "DejaVu Serif" in after[1] and "DejaVu Serif" not in before[1]
