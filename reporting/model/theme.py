"""A theme: the palette and font families every renderer draws with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Fonts:
    """Font families by role. ``cjk`` is PowerPoint's East Asian typeface (``a:ea``)."""

    body: tuple[str, ...] = ("Noto Sans CJK SC",)
    heading: tuple[str, ...] = ("Noto Serif CJK SC", "Noto Sans CJK SC")
    latin: str = "Noto Sans"
    """PowerPoint's Latin typeface: a Latin font, as Noto Sans CJK draws “ ” ’ full-width."""
    cjk: str = "Noto Sans CJK SC"

    def for_chinese(self, tag: str) -> "Fonts":
        """These fonts for Chinese written as ``tag`` says: Noto CJK's Simplified faces
        (``Noto Sans CJK SC``) swapped for its Traditional ones (``TC``; ``HK`` for
        ``zh-HK``), which draw Traditional characters in the forms their readers learnt.
        Other families are kept (glyph coverage is checked as for any font)."""
        if tag == "zh-Hans":
            return self
        region = "HK" if tag == "zh-HK" else "TC"

        def swap(name: str) -> str:
            return re.sub(r"^(Noto (?:Sans|Serif) CJK) SC$", rf"\1 {region}", name)

        return replace(
            self, body=tuple(map(swap, self.body)), heading=tuple(map(swap, self.heading)), cjk=swap(self.cjk)
        )

    @property
    def families(self) -> tuple[str, ...]:
        """Every family named, each once: what must be installed."""
        names: list[str] = []
        for name in (*self.body, *self.heading, self.latin, self.cjk):
            if name not in names:
                names.append(name)
        return tuple(names)


@dataclass(frozen=True)
class Theme:
    """Colours are ``#RRGGBB``. ``palette`` colours series in order."""

    name: str = "default"
    accent: str = "#B01E34"
    ink: str = "#1D1D1F"
    muted: str = "#5C5F66"
    rule: str = "#D9D4CF"
    paper: str = "#FFFFFF"
    tint: str = "#F7F0EE"
    palette: tuple[str, ...] = ("#B01E34", "#1F4E79", "#A85A0F", "#2E7D5B", "#6A4C93", "#5C5F66")
    fonts: Fonts = field(default_factory=Fonts)
    logo: str | None = None
    """File name under assets/ shown on covers and title slides."""

    @property
    def second_language(self) -> str:
        """The colour of the second language's text in the brief: the muted colour, mixed with
        ink in steps of a tenth until it reaches :data:`SECOND_LANGUAGE_CONTRAST` on paper (the
        default theme's muted grey has 6.4:1; the mix keeps the theme's hue)."""
        for step in range(11):
            colour = mix(self.muted, self.ink, step / 10)
            if contrast_ratio(colour, self.paper) >= SECOND_LANGUAGE_CONTRAST:
                return colour
        return self.ink

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """``(text colour, background, where)`` for every way the renderers set text in
        this theme's colours: each needs a contrast of at least :data:`MIN_TEXT_CONTRAST`."""
        pairs = [
            (self.ink, self.paper, "body text"),
            (self.ink, self.tint, "text on tiles and shaded table rows"),
            (self.muted, self.paper, "second language, captions, footers"),
            (self.muted, self.tint, "tile labels, shaded rows"),
            (self.accent, self.paper, "section numbers, headings, dates"),
            (self.accent, self.tint, "key-figure values on tiles"),
            (self.paper, self.accent, "cover band, closing slide"),
        ]
        pairs += [
            (self.paper, colour, f"chart labels on series {index + 1}") for index, colour in enumerate(self.palette)
        ]
        return pairs


MIN_TEXT_CONTRAST = 4.5
"""WCAG 2 AA for normal-size text."""

SECOND_LANGUAGE_CONTRAST = 7.0
"""WCAG 2 AAA for normal-size text: the second language runs whole paragraphs in smaller type."""


def mix(first: str, second: str, share: float) -> str:
    """``#RRGGBB`` of ``first`` mixed with ``share`` (0 to 1) of ``second``, channel by channel."""
    a, b = first.lstrip("#"), second.lstrip("#")
    channels = (round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share) for i in (0, 2, 4))
    return "#" + "".join(f"{channel:02X}" for channel in channels)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
