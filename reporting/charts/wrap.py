"""Chart labels wrapped to a width in points, Chinese broken between characters (not before closing
punctuation, not after opening), Latin between words; quotes straightened for Latin fonts."""

from __future__ import annotations

import functools
from typing import Callable

from ..lang.cjk import can_break, has_cjk
from ..model.texts import Texts


@functools.lru_cache(maxsize=8192)
def text_width_pt(text: str, families: tuple[str, ...], size: float, weight: str) -> float:
    """Advance width of one line of ``text`` in points (no hinting: any dpi)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=list(families), size=size, weight=weight)
    width, _height, _descent = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of ``text``, each with whether a space precedes it."""
    pieces: list[tuple[str, bool]] = []
    word, space = "", False
    for char in text:
        if char.isspace():
            if word:
                pieces.append((word, space))
                word = ""
            space = bool(pieces)
            continue
        if word and can_break(word[-1], char):
            pieces.append((word, space))
            word, space = "", False
        word += char
    if word:
        pieces.append((word, space))
    return pieces


_LONG_WORD = 20


def _split_wide(
    pieces: list[tuple[str, bool]], width_pt: float, measure: Callable[[str], float]
) -> list[tuple[str, bool]]:
    """Long pieces wider than a whole line (a URL, an identifier) broken between characters,
    as the brief and the deck break them; otherwise one label could squeeze the plot to
    nothing. An ordinary word (up to ``_LONG_WORD`` characters) stays whole."""
    out: list[tuple[str, bool]] = []
    for piece, space in pieces:
        if len(piece) <= _LONG_WORD or measure(piece) <= width_pt:
            out.append((piece, space))
            continue
        part = ""
        for char in piece:
            if part and measure(part + char) > width_pt:
                out.append((part, space))
                part, space = "", False
            part += char
        out.append((part, space))
    return out


def _greedy(pieces: list[tuple[str, bool]], width_pt: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece, space in _split_wide(pieces, width_pt, measure):
        candidate = f"{line}{' ' if space else ''}{piece}" if line else piece
        if line and measure(candidate) > width_pt:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def wrap(text: str, width_pt: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of ``text`` no wider than ``width_pt`` points, balanced in length.

    Breaks at spaces, and between Chinese characters (never before closing or
    after opening punctuation). Balanced: the narrowest width giving the same
    number of lines, so a title does not end on one orphaned word.
    """
    pieces = _pieces(text)
    lines = _greedy(pieces, width_pt, measure)
    if len(lines) < 2:
        return lines
    low, high = width_pt / len(lines), width_pt
    for _ in range(12):
        middle = (low + high) / 2
        if len(_greedy(pieces, middle, measure)) == len(lines):
            high = middle
        else:
            low = middle
    return _greedy(pieces, high, measure)


MAX_LABEL_LINES = 3
"""Lines a label may take in each language: a longer one ends in "…" (a label is not a
paragraph, and a tall one would squeeze the plot to nothing)."""


def clip_lines(lines: list[str], limit: int = MAX_LABEL_LINES) -> list[str]:
    if len(lines) <= limit:
        return lines
    return lines[: limit - 1] + [lines[limit - 1][:-1].rstrip() + "…"]


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def latin_quotes(text: str) -> str:
    """Straight quotes in text without Chinese characters.

    Noto Sans CJK draws “ ” ‘ ’ full-width, which leaves holes in English; its
    proportional forms need the ``pwid`` feature, which matplotlib applies to
    single-line text only. Chinese text keeps its full-width quotes.
    """
    if has_cjk(text):
        return text
    return text.translate(_STRAIGHT)


def unique_texts(texts: Texts) -> list[str]:
    """Each language's text once (a number such as ``600`` reads the same in both), quotes fixed."""
    out: list[str] = []
    for phrase in texts:
        text = latin_quotes(phrase.text)
        if text not in out:
            out.append(text)
    return out
