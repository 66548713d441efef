"""Font discovery and glyph coverage: no character may render as a box.

Fonts are found through fontconfig (``fc-match``), the same way WeasyPrint/Pango
find them, so the file we check is the file that will be used. Coverage is read
from fontconfig's charset of each face (``fc-query``).
"""

from __future__ import annotations

import bisect
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
        capture_output=True,
        text=True,
        check=False,
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


class Charset:
    """The code points a font covers, as sorted ranges (from fontconfig's charset)."""

    def __init__(self, ranges: list[tuple[int, int]]):
        self._starts = [low for low, _ in ranges]
        self._ranges = ranges

    def __contains__(self, code: int) -> bool:
        index = bisect.bisect_right(self._starts, code) - 1
        return index >= 0 and self._ranges[index][0] <= code <= self._ranges[index][1]


@functools.lru_cache(maxsize=16)
def charset(path: Path, index: int) -> Charset:
    """Coverage of one face, read by ``fc-query`` (a few milliseconds, where parsing a CJK
    font's cmap in Python takes a fifth of a second)."""
    try:
        result = subprocess.run(
            ["fc-query", "--index", str(index), "--format", "%{charset}", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise AssetError("fontconfig (fc-query) is not installed; run the project's set-up") from None
    if result.returncode != 0:
        raise AssetError(f"fontconfig cannot read {path}: {result.stderr.strip()}")
    ranges = []
    for item in result.stdout.split():
        low, _, high = item.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return Charset(sorted(ranges))


def covered(fonts: Iterable[ResolvedFont]) -> list[Charset]:
    """The charsets of ``fonts``: a code point is drawable when one of them has it."""
    return [charset(font.path, font.index) for font in fonts]


def _needs_glyph(char: str) -> bool:
    # Spaces, controls and format characters (ZWJ, variation selectors) draw nothing.
    return unicodedata.category(char)[0] not in ("Z", "C") and char not in "\u200d\ufe0f\ufe0e"


def missing_characters(texts: Iterable[str], fonts: Iterable[ResolvedFont]) -> list[str]:
    """Characters in ``texts`` that none of ``fonts`` can draw, in order of first use."""
    charsets = covered(fonts)
    seen: set[str] = set()
    missing: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char in seen:
                continue
            seen.add(char)
            if _needs_glyph(char) and not any(ord(char) in have for have in charsets):
                missing[char] = None
    return list(missing)
