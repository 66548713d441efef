"""Colours legible on the paper: a series colour darkened until text in it meets WCAG contrast
(:func:`reporting.model.theme.contrast_ratio`)."""

from __future__ import annotations

from ..model.theme import MIN_TEXT_CONTRAST, contrast_ratio


def legible(colour: str, paper: str, ratio: float = MIN_TEXT_CONTRAST) -> str:
    """``colour`` darkened in small steps until its contrast with ``paper`` reaches ``ratio``."""
    from matplotlib.colors import to_hex, to_rgb

    paper = to_hex(paper)
    rgb = to_rgb(colour)
    for _ in range(30):  # 0.92 ** 30 is near black: always enough on light paper
        if contrast_ratio(to_hex(rgb), paper) >= ratio:
            break
        rgb = (rgb[0] * 0.92, rgb[1] * 0.92, rgb[2] * 0.92)
    return to_hex(rgb)
