"""A master's look: the colours and typefaces its placeholders draw text in, and a
deck theme made from them; text colours that read against what is behind them.

Templates keep their look in different places: PowerPoint in the master's text
styles (``p:txStyles``) and theme fonts (``+mj-lt``), LibreOffice on the runs of the
master's and layouts' placeholders. :func:`text_style` looks in each, nearest first.
:func:`master_theme` turns the content layouts' styles into a
:class:`~reporting.model.theme.Theme`, used when the audience sets no theme.
:func:`readable` keeps a text colour when it has a contrast of at least 4.5:1 with
every colour behind it, else takes the candidate that reads best.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pptx.enum.shapes import PP_PLACEHOLDER

from ...model.theme import MIN_TEXT_CONTRAST, Fonts, Theme, contrast_ratio
from .backdrop import A, P, Palette, background_colours, theme_colours, theme_fonts

_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)


@dataclass(frozen=True)
class TextStyle:
    """What a placeholder's text looks like. Empty strings: not set anywhere."""

    colour: str = ""
    latin: str = ""
    ea: str = ""
    bullet_colour: str = ""


def _run_properties(sp) -> list:
    """``a:rPr``/``a:endParaRPr``/``a:defRPr`` of a placeholder's first paragraph and
    its list style's first level, nearest first."""
    out: list = []
    body = sp.find(f"{{{P}}}txBody")
    if body is None:
        return out
    first = body.find(f"{{{A}}}p")
    if first is not None:
        out += first.findall(f"{{{A}}}r/{{{A}}}rPr") + first.findall(f"{{{A}}}endParaRPr")
    lvl1 = body.find(f"{{{A}}}lstStyle/{{{A}}}lvl1pPr")
    if lvl1 is not None:
        out += lvl1.findall(f"{{{A}}}defRPr")
    return out


def _bullet(sp) -> object | None:
    body = sp.find(f"{{{P}}}txBody")
    if body is None:
        return None
    for path in (f"{{{A}}}p/{{{A}}}pPr/{{{A}}}buClr", f"{{{A}}}lstStyle/{{{A}}}lvl1pPr/{{{A}}}buClr"):
        found = body.find(path)
        if found is not None:
            return found
    return None


def _typeface(element, fonts: dict[str, str], script: str) -> str:
    found = element.find(f"{{{A}}}{script}")
    if found is None:
        return ""
    face = found.get("typeface", "")
    if face.startswith("+mj"):
        return fonts["major" if script == "latin" else "major_ea"]
    if face.startswith("+mn"):
        return fonts["minor" if script == "latin" else "minor_ea"]
    return face


def text_style(layout, kind: str) -> TextStyle:
    """The text style of ``layout``'s ``kind`` placeholder (``"title"`` or ``"body"``):
    its own runs, then its master's placeholder's, then the master's text styles, then
    the theme (``tx1``, major or minor fonts)."""
    master = layout.slide_master
    palette = Palette(master)
    fonts = theme_fonts(master)
    types = _TITLE_TYPES if kind == "title" else _BODY_TYPES
    sources = []
    for owner in (layout, master):
        for shape in owner.placeholders:
            if shape.placeholder_format.type in types:
                sources.append(shape._element)
                break
    colour = latin = ea = bullet = ""
    for sp in sources:
        for rpr in _run_properties(sp):
            if not colour:
                fill = rpr.find(f"{{{A}}}solidFill")
                if fill is not None:
                    colour = palette.colour(fill)[0] or ""
            latin = latin or _typeface(rpr, fonts, "latin")
            ea = ea or _typeface(rpr, fonts, "ea")
        if not bullet:
            found = _bullet(sp)
            if found is not None:
                bullet = palette.colour(found)[0] or ""
    styles = master._element.find(f"{{{P}}}txStyles")
    if styles is not None:
        name = "titleStyle" if kind == "title" else "bodyStyle"
        lvl1 = styles.find(f"{{{P}}}{name}/{{{A}}}lvl1pPr")
        if lvl1 is not None:
            defrpr = lvl1.find(f"{{{A}}}defRPr")
            if defrpr is not None:
                fill = defrpr.find(f"{{{A}}}solidFill")
                if not colour and fill is not None:
                    colour = palette.colour(fill)[0] or ""
                latin = latin or _typeface(defrpr, fonts, "latin")
                ea = ea or _typeface(defrpr, fonts, "ea")
            bu = lvl1.find(f"{{{A}}}buClr")
            if not bullet and bu is not None:
                bullet = palette.colour(bu)[0] or ""
    colour = colour or palette.scheme("tx1") or ""
    latin = latin or fonts["major" if kind == "title" else "minor"]
    ea = ea or fonts["major_ea" if kind == "title" else "minor_ea"]
    return TextStyle(colour, latin, ea, bullet)


# -- colours ------------------------------------------------------------------------


def mix(first: str, second: str, share: float) -> str:
    """``share`` of ``first`` blended into ``second`` (sRGB, ``#RRGGBB``)."""
    a = [int(first.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(second.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(x * share + y * (1 - share)):02X}" for x, y in zip(a, b))


def worst_contrast(colour: str, behind: tuple[str, ...] | list[str]) -> float:
    """The lowest contrast ``colour`` has with any of ``behind`` (21 when nothing is behind)."""
    return min((contrast_ratio(colour, other) for other in behind), default=21.0)


def readable(colour: str, behind: tuple[str, ...] | list[str], candidates: tuple[str, ...] = ()) -> str:
    """``colour`` if it reads on everything ``behind`` it (contrast ≥ 4.5:1), else the
    first of ``candidates`` that does, else whichever of them, black or white reads best."""
    if worst_contrast(colour, behind) >= MIN_TEXT_CONTRAST:
        return colour
    for other in candidates:
        if worst_contrast(other, behind) >= MIN_TEXT_CONTRAST:
            return other
    options = [*candidates, "#000000", "#FFFFFF"]
    return max(options, key=lambda c: worst_contrast(c, behind))


def _darken_until(colour: str, paper: str) -> str:
    """``colour`` moved towards black or white (away from ``paper``) until it reads on it."""
    target = "#000000" if contrast_ratio("#000000", paper) >= contrast_ratio("#FFFFFF", paper) else "#FFFFFF"
    for step in range(0, 21):
        candidate = mix(target, colour, step / 20)
        if contrast_ratio(candidate, paper) >= MIN_TEXT_CONTRAST:
            return candidate
    return target


def _chromatic(colour: str) -> bool:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return max(r, g, b) - min(r, g, b) > 40


def master_theme(content_layout, base: Theme) -> Theme:
    """A deck theme in the master's colours and fonts, from the layout content slides
    are built on: ink is its body text colour, paper its background, accent its bullet
    (else title, else ``accent1``) colour made readable on paper; palette the theme's
    accents. Fonts: the body typeface for Latin; the theme's East Asian typeface, or
    ``base``'s where the theme names none (so Chinese never falls back to boxes)."""
    master = content_layout.slide_master
    slots = theme_colours(master)
    body = text_style(content_layout, "body")
    title = text_style(content_layout, "title")
    paper_colours = background_colours(content_layout)
    paper = paper_colours[0] if len(paper_colours) == 1 else _average(paper_colours)
    ink = readable(body.colour or slots.get("dk1", base.ink), (paper,), (slots.get("dk1", ""), slots.get("lt1", "")))
    for candidate in (body.bullet_colour, title.colour, slots.get("accent1", "")):
        if candidate and _chromatic(candidate):
            accent_source = candidate
            break
    else:
        accent_source = base.accent
    tint = mix(accent_source, paper, 0.1)
    accent = _darken_until(_darken_until(accent_source, paper), tint)  # read on paper and on tiles
    muted = mix(ink, paper, 0.72)
    if contrast_ratio(muted, paper) < MIN_TEXT_CONTRAST:
        muted = ink
    accents = [slots.get(f"accent{i}") for i in range(1, 7)]
    palette = tuple(dict.fromkeys([accent, *[c for c in accents if c]]))[:6]
    latin = body.latin or base.fonts.latin
    ea = body.ea if body.ea and is_cjk_typeface(body.ea) else base.fonts.cjk
    fonts = Fonts(body=base.fonts.body, heading=base.fonts.heading, latin=latin, cjk=ea)
    return replace(
        base,
        name="master",
        ink=ink,
        paper=paper,
        muted=muted,
        accent=accent,
        tint=tint,
        rule=mix(ink, paper, 0.25),
        palette=palette,
        fonts=fonts,
    )


def _average(colours) -> str:
    values = [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in colours]
    return "#" + "".join(f"{round(sum(v[i] for v in values) / len(values)):02X}" for i in range(3))


def is_cjk_typeface(family: str) -> bool:
    """Whether ``family`` is a font made for Chinese (a theme's ``ea`` may name a Latin
    font, as LibreOffice writes ``DejaVu Sans``): judged by name, as PowerPoint would
    pick it on another machine."""
    lowered = family.lower()
    return any(
        mark in lowered
        for mark in (
            "cjk",
            " sc",
            "hei",
            "song",
            "kai",
            "yahei",
            "fang",
            "ming",
            "gothic",
            "pingfang",
            "dengxian",
            "simsun",
            "simhei",
        )
    )


SCHEME_ORDER = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)
"""Colour-scheme slots, in the order a colour's reference is looked for (text first)."""


@dataclass(frozen=True)
class ThemeRefs:
    """What a run may reference instead of copying, for slides on one slide master: its
    theme's scheme colours (``#RRGGBB`` → slot, ``dk1`` ...) and fonts (typeface → ``+mn-lt``,
    ``+mn-ea``). A run written with references follows another theme applied to the deck."""

    colours: dict
    latin: dict
    ea: dict

    @classmethod
    def of(cls, master) -> "ThemeRefs":
        slots = theme_colours(master)
        colours: dict[str, str] = {}
        for slot in SCHEME_ORDER:
            if slot in slots:
                colours.setdefault(slots[slot].upper(), slot)
        fonts = theme_fonts(master)
        latin: dict[str, str] = {}
        ea: dict[str, str] = {}
        for key, ref in (("minor", "+mn-lt"), ("major", "+mj-lt")):  # the body font first
            if fonts[key]:
                latin.setdefault(fonts[key], ref)
        for key, ref in (("minor_ea", "+mn-ea"), ("major_ea", "+mj-ea")):
            if fonts[key]:
                ea.setdefault(fonts[key], ref)
        return cls(colours, latin, ea)

    def colour(self, colour: str | None) -> str | None:
        """``scheme:<slot>`` for a scheme colour, else the colour as it is."""
        if colour and colour.upper() in self.colours:
            return "scheme:" + self.colours[colour.upper()]
        return colour
