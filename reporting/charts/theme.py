"""A theme: the palette and font families every renderer draws with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fonts:
    """Font families by role. ``cjk`` is PowerPoint's East Asian typeface (``a:ea``)."""

    body: tuple[str, ...] = ("Noto Sans CJK SC",)
    heading: tuple[str, ...] = ("Noto Serif CJK SC", "Noto Sans CJK SC")
    latin: str = "Noto Sans"
    """PowerPoint's Latin typeface: a Latin font, as Noto Sans CJK draws “ ” ’ full-width."""
    cjk: str = "Noto Sans CJK SC"

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
    palette: tuple[str, ...] = ("#B01E34", "#1F4E79", "#C46A12", "#2E7D5B", "#6A4C93", "#5C5F66")
    fonts: Fonts = field(default_factory=Fonts)
    logo: str | None = None
    """File name under assets/ shown on covers and title slides."""
