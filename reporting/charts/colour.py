"""Colours legible on the paper: a series colour darkened until text in it meets WCAG contrast."""

from __future__ import annotations


def _luminance(colour: str) -> float:
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def legible(colour: str, paper: str, ratio: float = 4.5) -> str:
    """``colour`` darkened in small steps until its contrast with ``paper`` reaches ``ratio``."""
    from matplotlib.colors import to_hex, to_rgb

    background = _luminance(paper)
    rgb = to_rgb(colour)
    for _ in range(30):  # 0.92 ** 30 is near black: always enough on light paper
        own = _luminance(to_hex(rgb))
        if (max(own, background) + 0.05) / (min(own, background) + 0.05) >= ratio:
            break
        rgb = tuple(c * 0.92 for c in rgb)
    return to_hex(rgb)
