"""Fonts and rc settings for drawing: the theme's families found through fontconfig, text sizes (pt)."""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..fonts import resolve_font
from ..model.theme import Theme

if TYPE_CHECKING:
    import tempfile


# Text sizes in points, chosen to read at 100 % on an A4 page.
TEXT_PT = 8.0


SMALL_PT = 7.5


TITLE_PT = 11.0


LINESPACING = 1.4
"""Between lines of one label, in multiples of matplotlib's line height (the height of
"lp"): its default of 1.2 lets a Chinese line touch the English line under it."""


FALLBACK_FAMILY = "DejaVu Sans"
"""Ships with matplotlib: draws any symbol the theme's font lacks."""


def font_families(theme: Theme) -> list[str]:
    """Matplotlib family names for the theme's body fonts, then a Latin fallback.

    Side effect: registers each font file fontconfig resolves (regular and bold)
    with matplotlib's font manager, once per file and face.
    """
    names: list[str] = []
    for family in theme.fonts.body:
        for weight in ("regular", "bold"):
            name = _register(resolve_font(family, weight))
            if weight == "regular" and name not in names:
                names.append(name)
    names.append(FALLBACK_FAMILY)
    return names


def _register(font) -> str:
    """Make a fontconfig-resolved face known to matplotlib; return the family name it reads."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    path, index = str(font.path.resolve()), font.index
    if index and "index" not in font_manager.FontEntry.__dataclass_fields__:
        # matplotlib < 3.11 (the newest for Python 3.10) reads only the first face of a
        # collection: Noto Sans CJK's first is JP, whose glyphs differ from SC's.
        path, index = str(_face_file(path, index)), 0

    def known():
        return [
            entry for entry in manager.ttflist if getattr(entry, "index", 0) == index and _same_file(entry.fname, path)
        ]

    entries = known()
    if not entries:
        manager.addfont(path)  # registers every face of a .ttc collection
        entries = known()
    if not entries:  # pragma: no cover - addfont always lists the face it read
        return font.family
    return entries[0].name


@functools.lru_cache(maxsize=None)
def _face_file(path: str, index: int) -> Path:
    """Face ``index`` of the font collection at ``path`` as a font file of its own, written
    once per process (about a second for a CJK face) into a temporary folder removed at exit."""
    from fontTools.ttLib import TTCollection

    target = Path(_scratch_folder().name) / f"{Path(path).stem}-{index}.otf"
    with TTCollection(path, lazy=True) as collection:
        collection.fonts[index].save(str(target))
    return target


@functools.lru_cache(maxsize=1)
def _scratch_folder() -> "tempfile.TemporaryDirectory[str]":
    import tempfile

    return tempfile.TemporaryDirectory(prefix="reporting-fonts-")  # removed at exit, or when dropped


@functools.lru_cache(maxsize=256)
def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@contextlib.contextmanager
def chart_style(theme: Theme, *, salt: str = "reporting", svg_id: str | None = None) -> Iterator[None]:
    """rc settings for one chart: fonts, colours, clean axes, deterministic SVG."""
    import matplotlib
    from cycler import cycler

    rc = {
        "font.family": font_families(theme),
        "font.size": TEXT_PT,
        "text.color": theme.ink,
        "text.parse_math": False,  # "$" and "_" in labels are text, never mathtext
        "axes.edgecolor": theme.rule,
        "axes.labelcolor": theme.muted,
        "axes.titlecolor": theme.muted,
        "axes.facecolor": theme.paper,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(theme.palette)),
        "axes.unicode_minus": False,
        "xtick.color": theme.rule,
        "ytick.color": theme.rule,
        "xtick.labelcolor": theme.muted,
        "ytick.labelcolor": theme.muted,
        "xtick.labelsize": TEXT_PT,
        "ytick.labelsize": TEXT_PT,
        "grid.color": theme.rule,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": TEXT_PT,
        "figure.facecolor": theme.paper,
        "savefig.facecolor": theme.paper,
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "svg.id": svg_id,
    }
    with matplotlib.rc_context(rc):
        yield
