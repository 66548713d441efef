"""Series colours a reader tells apart (CIEDE2000 ≥ 15 between adjacent series), data marks
at 3:1 against the paper, and labels inside them at 4.5:1: on our theme, the project's
themes, palettes made to fail, and the theme colours of real masters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reporting.model.colours import (MIN_MARK_CONTRAST, MIN_SERIES_DISTANCE, delta_e_2000, distance, on_colour,
                                     series_colours)
from reporting.model.theme import MIN_TEXT_CONTRAST, Theme, contrast_ratio

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from test_masters import impress_masters  # noqa: E402,F401  (the Impress templates as .pptx, once per run)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("first, second, expected", [
    # Sharma, Wu and Dalal (2005), test data pairs 1, 2, 7, 17, 25, 34.
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def it_measures_colour_distance_as_ciede2000(first, second, expected):
    assert delta_e_2000(first, second) == pytest.approx(expected, abs=1e-4)


def problems(palette, paper: str, ink: str) -> list[str]:
    colours = series_colours(palette, paper, ink)
    found = []
    for index, colour in enumerate(colours[:len(set(colours))]):
        if contrast_ratio(colour, paper) < MIN_MARK_CONTRAST - 1e-9:
            found.append(f"{colour} on {paper}: {contrast_ratio(colour, paper):.2f}:1")
        label = on_colour(colour, paper, ink)
        if contrast_ratio(label, colour) < MIN_TEXT_CONTRAST - 1e-9:
            found.append(f"label {label} on {colour}: {contrast_ratio(label, colour):.2f}:1")
        if index and distance(colour, colours[index - 1]) < MIN_SERIES_DISTANCE:
            found.append(f"{colours[index - 1]} beside {colour}: ΔE00 {distance(colour, colours[index - 1]):.1f}")
    return found


def project_themes() -> dict[str, Theme]:
    config = tomllib.loads((ROOT / "report.toml").read_text(encoding="utf-8"))
    themes = {"default": Theme()}
    for name, settings in config.get("themes", {}).items():
        themes[name] = Theme(palette=tuple(settings.get("palette", Theme().palette)))
    return themes


@pytest.mark.parametrize("name", list(project_themes()))
def it_keeps_the_project_themes_series_apart_and_readable(name):
    theme = project_themes()[name]
    assert not problems(theme.palette, theme.paper, theme.ink)


@pytest.mark.parametrize("palette, paper, ink", [
    (("#1F4E79", "#22507C", "#B01E34"), "#FFFFFF", "#1D1D1F"),  # two near-identical blues first
    (("#FFD400", "#F2C500", "#FFE680"), "#FFFFFF", "#1D1D1F"),  # yellows on white
    (("#1F4E79", "#2A5D8F", "#0F2E4F"), "#1F3F66", "#FFFFFF"),  # blues on a blue slide
    (("#E07B00", "#B01E34"), "#FFFFFF", "#FFFFFF"),             # orange whose white label read 4.35:1
])
def it_mends_palettes_that_would_not_read(palette, paper, ink):
    assert problems(palette, paper, ink) == []
    before = [distance(a, b) for a, b in zip(palette, palette[1:])]
    assert min(before) < MIN_SERIES_DISTANCE or any(contrast_ratio(c, paper) < MIN_MARK_CONTRAST for c in palette) \
        or any(contrast_ratio(on_colour(c, paper, ink), c) < MIN_TEXT_CONTRAST for c in palette)  # it did fail


@pytest.mark.slow
def it_keeps_series_apart_and_readable_on_real_masters(impress_masters):  # noqa: F811
    from reporting.render.deck.layouts import Role, open_template
    from reporting.render.deck.roles import choose_layouts
    from reporting.render.deck.look import master_theme

    found = []
    for name, path in impress_masters.items():
        layouts = choose_layouts(open_template(path), {}, template=path.name)
        theme = master_theme(layouts[Role.POINTS], Theme())
        found += [f"{name}: {problem}" for problem in problems(theme.palette, theme.paper, theme.ink)]
    assert not found, "\n".join(found)
