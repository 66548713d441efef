"""Font discovery and glyph coverage: no character may render as a box.

Fonts are found through fontconfig (``fc-match``), the same way WeasyPrint/Pango
find them, so the file we check is the file that will be used. Coverage is read
from each font's cmap with fontTools.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import AssetError


@dataclass(frozen=True)
class ResolvedFont:
    """A family name and the file (and face index inside a .ttc) fontconfig gives for it."""

    family: str
    path: Path
    index: int
    matched_family: str

    @property
    def exact(self) -> bool:
        """False when fontconfig fell back to some other family."""
        wanted = self.family.casefold()
        return any(name.strip().casefold() == wanted for name in self.matched_family.split(","))


@functools.lru_cache(maxsize=64)
def resolve_font(family: str, weight: str = "regular") -> ResolvedFont:
    """The font file fontconfig picks for ``family`` (pure look-up, cached per process).

    Raises :class:`AssetError` when fontconfig is not installed.
    """
    if shutil.which("fc-match") is None:
        raise AssetError("fontconfig (fc-match) is not installed; run the project's set-up")
    pattern = f"{family}:weight={weight}" if weight != "regular" else family
    result = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern],
        capture_output=True, text=True, check=False,
    )
    lines = (result.stdout.splitlines() + ["", "0", ""])[:3]
    if result.returncode != 0 or not lines[0]:
        raise AssetError(f"fontconfig found no font for {family!r}")
    return ResolvedFont(family, Path(lines[0]), int(lines[1] or 0), lines[2])


def require_fonts(families: Iterable[str]) -> list[ResolvedFont]:
    """Resolve each family; raise :class:`AssetError` naming those fontconfig lacks."""
    resolved = [resolve_font(family) for family in families]
    missing = [font.family for font in resolved if not font.exact]
    if missing:
        raise AssetError(
            f"font family not installed: {', '.join(missing)} "
            f"(fontconfig would substitute {', '.join(f.matched_family for f in resolved if not f.exact)}); "
            "on Debian or Ubuntu install fonts-noto-cjk, or set the theme's fonts to installed families"
        )
    return resolved


@functools.lru_cache(maxsize=16)
def _codepoints(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def covered(fonts: Iterable[ResolvedFont]) -> frozenset[int]:
    """Every code point at least one of ``fonts`` has a glyph for."""
    points: frozenset[int] = frozenset()
    for font in fonts:
        points |= _codepoints(font.path, font.index)
    return points


def _needs_glyph(char: str) -> bool:
    # Spaces, controls and format characters (ZWJ, variation selectors) draw nothing.
    return unicodedata.category(char)[0] not in ("Z", "C") and char not in "\u200d\ufe0f\ufe0e"


def missing_characters(texts: Iterable[str], fonts: Iterable[ResolvedFont]) -> list[str]:
    """Characters in ``texts`` that none of ``fonts`` can draw, in order of first use."""
    have = covered(fonts)
    missing: dict[str, None] = {}
    for text in texts:
        for char in text:
            if ord(char) not in have and _needs_glyph(char):
                missing.setdefault(char, None)
    return list(missing)
