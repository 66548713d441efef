"""How wide a chart picture must be drawn for its text to be read on a screen.

Charts are drawn once, at the printed page's size (matplotlib's SVG: text as ``<text>``
elements whose ``font-size`` is in the units of the picture's ``viewBox``). On a screen the
picture scales with the width it is given, and its text with it: the HTML edition shows a
chart's picture only where it is drawn wide enough for its smallest text to reach
:data:`MIN_SCREEN_TEXT_PX`, and the chart's data table instead where it is not.
"""

from __future__ import annotations

import math
import re

MIN_SCREEN_TEXT_PX = 11.0
"""The smallest chart text a screen reader of the page is asked to read (CSS pixels)."""

_VIEWBOX = re.compile(r"<svg\b[^>]*?\bviewBox=\"\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+[\d.]+\s*\"")
_FONT_SIZE = re.compile(r"<text\b[^>]*?font-size:\s*([\d.]+)px")


def legible_width(svg: str, smallest_px: float = MIN_SCREEN_TEXT_PX) -> int | None:
    """The width in CSS pixels at which ``svg`` (an SVG document) must be drawn for its
    smallest text to be ``smallest_px`` tall, rounded up; ``None`` when the picture has no
    text or no ``viewBox`` (nothing to scale, or nothing to read). Pure: reads only ``svg``."""
    box = _VIEWBOX.search(svg)
    sizes = [float(size) for size in _FONT_SIZE.findall(svg) if float(size) > 0]
    if not box or not sizes or float(box.group(1)) <= 0:
        return None
    return math.ceil(float(box.group(1)) * smallest_px / min(sizes))
