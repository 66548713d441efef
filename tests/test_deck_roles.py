"""Layouts found by structure on masters made here as brand teams make them: names in
another language, a body on one half of the slide, a cover master before the content
master, artwork painted into a background picture, a .potx template; and
``deck-layouts`` saying which master and layout each role got and why."""

from __future__ import annotations

import re

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
