"""Series colours that a reader tells apart and sees on the page or slide behind them.

Colour distance is CIEDE2000 (ΔE00; Sharma, Wu and Dalal, "The CIEDE2000 color-difference
formula", 2005) between sRGB colours under D65: about 2 is the smallest difference most
people notice side by side, 15 or more reads as clearly different colours. Contrast is
WCAG 2's ratio (:func:`~reporting.model.theme.contrast_ratio`). Pure functions of their
arguments: hex strings ``#RRGGBB`` in, hex strings out.
"""

from __future__ import annotations

import math
from typing import Sequence

from .theme import MIN_TEXT_CONTRAST, contrast_ratio

MIN_SERIES_DISTANCE = 15.0
"""Least CIEDE2000 distance between the colours of adjacent series."""

MIN_MARK_CONTRAST = 3.0
"""Least contrast of a data mark (bar, line, slice) with what is behind it (WCAG 1.4.11)."""


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in rgb)


def lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 distance between two L*a*b* colours (kL = kC = kH = 1)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h))


def distance(first: str, second: str) -> float:
    """CIEDE2000 distance between two sRGB colours."""
    return delta_e_2000(lab(first), lab(second))


def _mix(colour: str, other: str, share: float) -> str:
    """``colour`` moved ``share`` (0–1) of the way towards ``other``."""
    return _hex([a + (b - a) * share for a, b in zip(_rgb(colour), _rgb(other))])


def _away(colour: str, paper: str) -> str:
    """Black or white: whichever is further from ``paper`` (the way a colour darkens on
    light paper and lightens on dark)."""
    return "#000000" if contrast_ratio("#000000", paper) >= contrast_ratio("#FFFFFF", paper) else "#FFFFFF"


def mark_colour(colour: str, paper: str, ink: str) -> str:
    """``colour`` moved away from ``paper`` in small steps until, as a data mark, it has a
    contrast of :data:`MIN_MARK_CONTRAST` with the paper, and the paper or the ink (the
    two colours a label inside it may take) reads on it at 4.5:1."""
    target = _away(colour, paper)
    out = colour
    for step in range(41):
        out = _mix(colour, target, step * 0.025)
        if (
            contrast_ratio(out, paper) >= MIN_MARK_CONTRAST
            and max(contrast_ratio(out, paper), contrast_ratio(out, ink)) >= MIN_TEXT_CONTRAST
        ):
            break
    return out


def on_colour(fill: str, paper: str, ink: str) -> str:
    """The paper or the ink, whichever reads better on ``fill``: a label inside a mark."""
    return max((paper, ink), key=lambda text: contrast_ratio(text, fill))


def series_colours(palette: Sequence[str], paper: str, ink: str) -> tuple[str, ...]:
    """The colours of a chart's series in order, from ``palette``: each a readable mark on
    ``paper`` (:func:`mark_colour`), and each at least :data:`MIN_SERIES_DISTANCE` from
    the one before it (and the first from the last, for a doughnut's ring): the next colour
    in palette order that is, else the furthest; one still too close is lightened or
    darkened until it is. As many colours as the palette has."""
    marks = list(dict.fromkeys(mark_colour(c, paper, ink) for c in palette)) or [ink]
    chosen = [marks.pop(0)]
    while marks:
        previous = chosen[-1]
        pick = next((c for c in marks if distance(c, previous) >= MIN_SERIES_DISTANCE), None)
        if pick is None:
            pick = max(marks, key=lambda c: distance(c, previous))
        marks.remove(pick)
        chosen.append(_spread(pick, chosen, paper, ink))
    while len(chosen) < len(palette):
        chosen.append(chosen[len(chosen) % max(len(set(chosen)), 1)])
    return tuple(chosen)


def _spread(colour: str, chosen: list[str], paper: str, ink: str) -> str:
    """``colour``, or a lighter or darker form of it, at least :data:`MIN_SERIES_DISTANCE`
    from the last of ``chosen`` (and from the first), still a readable mark."""

    def far(candidate: str) -> bool:
        return distance(candidate, chosen[-1]) >= MIN_SERIES_DISTANCE and (
            len(chosen) < 2 or distance(candidate, chosen[0]) >= MIN_SERIES_DISTANCE
        )

    if far(colour):
        return colour
    for step in range(1, 21):
        for towards in (_away(colour, paper), paper):
            candidate = mark_colour(_mix(colour, towards, step * 0.04), paper, ink)
            if far(candidate):
                return candidate
    return colour
