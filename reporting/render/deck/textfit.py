"""Measure, wrap and fit text with the font files the deck will be drawn with.

PowerPoint's "shrink text on overflow" is only a flag: python-pptx does not apply
it and LibreOffice ignores it when converting, so a deck that relies on it
overflows. Instead every box is fitted here, before it is written: text is
measured with the advance widths (``hmtx``) of the files fontconfig resolves for
the theme's Latin and East Asian typefaces, wrapped the way a renderer wraps it
(Latin at spaces, CJK between characters, no line starting with closing
punctuation), and the font size is lowered step by step to a floor. When the
text still does not fit at the floor, :attr:`Fit.fits` is false and the caller
moves the rest to a continuation slide.

Units: sizes are points (pt); box widths and heights are taken in EMU (the
python-pptx ``Length`` unit, 12700 EMU per pt) and reported in pt.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from ...fonts import ResolvedFont, charset, resolve_font
from ...lang.cjk import NO_LINE_END, NO_LINE_START, is_cjk

EMU_PER_PT = 12700

SAFETY = 0.95
"""Share of a line's width we fill: renderers kern, space CJK next to Latin
(LibreOffice's "Asian spacing") and round differently, so keep some slack."""

AUTOSPACE = 0.25
"""Ems LibreOffice adds where an ideograph meets a Latin letter or digit ("Asian
spacing"); PowerPoint adds none, so counting it only errs towards smaller text."""


def emu_to_pt(emu: int) -> float:
    return emu / EMU_PER_PT


def pt_to_emu(pt: float) -> int:
    return int(round(pt * EMU_PER_PT))


def _is_ideograph(char: str) -> bool:
    return unicodedata.category(char) == "Lo" and is_cjk(char)


def _western(char: str) -> bool:
    """A character LibreOffice sets apart from a neighbouring ideograph: a letter, digit or
    sign of another script (``5``, ``%``, ``+``, ``−``, ``$``), not a space or CJK punctuation."""
    return not char.isspace() and not is_cjk(char) and unicodedata.category(char) != "Cf"


def _script_change(a: str, b: str) -> bool:
    return (_is_ideograph(a) and _western(b)) or (_western(a) and _is_ideograph(b))


def _autospaces(text: str) -> int:
    """How many ideograph/Western boundaries ``text`` has, format characters (the word
    joiners that keep ``1⁠亿`` together) skipped: they take no room and part nothing."""
    shown = [char for char in text if unicodedata.category(char) != "Cf"]
    return sum(1 for a, b in zip(shown, shown[1:]) if _script_change(a, b))


class FontMetrics:
    """Advance widths of one font file, in ems.

    Advances are read per character through FreeType (Pillow's ``ImageFont`` at one pixel
    per font unit, so unscaled and unhinted in effect) and remembered; which characters
    the font has comes from fontconfig's charset: decompiling a CJK font's whole cmap
    and hmtx with fontTools, or importing matplotlib's FreeType wrapper, costs far more
    per deck. Ascent and descent come from the small OS/2 and hhea tables (fontTools).
    """

    def __init__(self, font: ResolvedFont):
        from fontTools.ttLib import TTFont
        from PIL import ImageFont

        with TTFont(font.path, fontNumber=font.index, lazy=True) as tt:
            upem = tt["head"].unitsPerEm
            os2 = tt["OS/2"]
            self.ascent = max(tt["hhea"].ascent, os2.usWinAscent) / upem
            self.descent = max(-tt["hhea"].descent, os2.usWinDescent) / upem
        self._face = ImageFont.truetype(
            str(font.path), size=upem, index=font.index, layout_engine=ImageFont.Layout.BASIC
        )
        self._charset = charset(font.path, font.index)
        self._upem = upem
        self._advance: dict[int, float | None] = {}
        self.family = font.family
        # For characters the font lacks (the renderer substitutes another font):
        self._fallback_wide = self._own_advance(ord("一")) or 1.0
        self._fallback_narrow = self._own_advance(ord("n")) or 0.55

    def _own_advance(self, code: int) -> float | None:
        """The font's own advance for ``code`` in ems, or None when it has no glyph."""
        if code not in self._advance:
            self._advance[code] = self._face.getlength(chr(code)) / self._upem if code in self._charset else None
        return self._advance[code]

    def advance(self, char: str) -> float:
        """Width of ``char`` in ems (fraction of the font size)."""
        if unicodedata.category(char) == "Cf":
            return 0.0  # format characters (word joiner, zero-width space) draw nothing
        width = self._own_advance(ord(char))
        if width is not None:
            return width
        if unicodedata.east_asian_width(char) in ("W", "F"):
            return self._fallback_wide
        return self._fallback_narrow


@functools.lru_cache(maxsize=16)
def metrics(family: str, bold: bool = False) -> FontMetrics:
    """Metrics for the file fontconfig resolves ``family`` (bold face if ``bold``) to."""
    return FontMetrics(resolve_font(family, "bold" if bold else "regular"))


@dataclass(frozen=True)
class Measurer:
    """Measures text as PowerPoint draws it: Latin characters with the ``a:latin``
    typeface, CJK characters with the ``a:ea`` typeface."""

    latin: str
    cjk: str

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of ``text`` at ``size`` pt, in pt (no kerning), plus the gap
        LibreOffice puts between ideographs and the letters, digits and signs of other
        scripts (``2.5% 至 +3.5%``, ``3 亿``)."""
        return size * _ems(self.latin, self.cjk, text, bold)


@functools.lru_cache(maxsize=65536)
def _ems(latin_family: str, cjk_family: str, text: str, bold: bool) -> float:
    """Width of ``text`` in ems. Cached: fitting measures the same words at many sizes."""
    latin, cjk = metrics(latin_family, bold), metrics(cjk_family, bold)
    ems = sum((cjk if is_cjk(char) else latin).advance(char) for char in text)
    return ems + AUTOSPACE * _autospaces(text)


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box.

    ``scale`` is its font size relative to the box's base size; ``indent`` (pt)
    is its left margin; ``space_before`` is in units of the base size; ``pitch``
    is the line spacing in ems of this paragraph's own size (the builder writes
    it as exact spacing, so this model and the renderer agree).
    """

    text: str
    scale: float = 1.0
    bold: bool = False
    indent: float = 0.0
    space_before: float = 0.0
    pitch: float = 1.22
    max_lines: int | None = None
    """Lines this paragraph may take at most (a date that must not break)."""


@dataclass(frozen=True)
class Fit:
    """The outcome of fitting paragraphs into a box."""

    size: float
    """Base font size chosen, pt."""
    lines: tuple[tuple[str, ...], ...]
    """Each paragraph's wrapped lines at that size."""
    height: float
    """Height the text takes, pt."""
    fits: bool
    """False when even ``min_size`` overflows the box."""

    def para_size(self, para: Para) -> float:
        return round_size(self.size * para.scale)


def round_size(size: float) -> float:
    """Font sizes are written in hundredths of a point; keep half points for tidiness."""
    return math.floor(size * 2) / 2


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: CJK characters, Latin words with trailing spaces;
    a no-break space or a word joiner (U+2060) keeps its neighbours in one piece (a figure).

    Closing punctuation is glued to the piece before it and opening punctuation to
    the piece after it, so no line starts with ``，`` or ends with ``（``.
    """
    pieces: list[str] = []
    word = ""
    joined = False  # after a word joiner (U+2060): no break before the next character
    for char in text:
        if char == "\n":
            continue
        if char == "\u2060":
            word = (pieces.pop() if pieces and not word else "") + word + char
            joined = True
            continue
        if char.isspace() and char != "\u00a0":  # a no-break space keeps a figure together
            word += " "
            pieces.append(word)
            word = ""
        elif is_cjk(char) and not joined:
            if word:
                pieces.append(word)
                word = ""
            pieces.append(char)
        else:
            word += char
        joined = False
    if word:
        pieces.append(word)
    glued: list[str] = []
    carry = ""
    for piece in pieces:
        head = piece.strip()[:1]
        if glued and head and head in NO_LINE_START and not carry:
            glued[-1] += piece
            continue
        piece = carry + piece
        carry = ""
        tail = piece.rstrip()[-1:]
        if tail and tail in NO_LINE_END and len(piece.rstrip()) == 1:
            carry = piece
            continue
        glued.append(piece)
    if carry:
        glued.append(carry)
    return glued


def wrap(text: str, width: float, size: float, measurer: Measurer, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pt at ``size`` pt.

    Explicit newlines start new lines. A piece wider than the whole line (a long
    URL) is broken between characters, as renderers do.
    """
    lines: list[str] = []
    for chunk in text.split("\n"):
        lines.extend(_wrap_chunk(chunk, width, size, measurer, bold))
    return lines


def _wrap_chunk(text: str, width: float, size: float, measurer: Measurer, bold: bool) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece in _tokens(text):
        candidate = line + piece
        if measurer.width(candidate.rstrip(), size, bold) <= width or not line.strip():
            line = candidate
        else:
            lines.append(line.rstrip())
            line = piece
        # A single piece too wide for any line: break it by characters.
        while measurer.width(line.rstrip(), size, bold) > width and len(line.rstrip()) > 1:
            cut = len(line)
            while cut > 1 and measurer.width(line[:cut], size, bold) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def measure(
    paras: Sequence[Para], width: float, size: float, measurer: Measurer
) -> tuple[tuple[tuple[str, ...], ...], float]:
    """Wrap every paragraph at base ``size`` pt in ``width`` pt; return lines and height (pt)."""
    all_lines = []
    height = 0.0
    for number, para in enumerate(paras):
        para_size = round_size(size * para.scale)
        lines = wrap(para.text, (width - para.indent) * SAFETY, para_size, measurer, bold=para.bold)
        all_lines.append(tuple(lines))
        if number:
            height += para.space_before * size
        height += len(lines) * para.pitch * para_size
    return tuple(all_lines), height


def fit(
    paras: Sequence[Para],
    width: int,
    height: int,
    measurer: Measurer,
    *,
    max_size: float,
    min_size: float,
    step: float = 0.5,
    max_lines: int | None = None,
) -> Fit:
    """The largest base size from ``max_size`` down to ``min_size`` (pt, by ``step``)
    at which ``paras`` fit a box of inner ``width`` × ``height`` EMU.

    ``max_lines`` additionally caps the lines of every paragraph (titles). Pure:
    touches nothing but the font cache.
    """
    width_pt, height_pt = emu_to_pt(width), emu_to_pt(height)
    size = max_size
    pieces = [
        [piece.strip() for chunk in para.text.split("\n") for piece in _tokens(chunk) if piece.strip()]
        for para in paras
    ]
    while True:
        lines, used = measure(paras, width_pt, size, measurer)
        ok = (
            used <= height_pt
            and all(len(ls) <= min(max_lines or len(ls), para.max_lines or len(ls)) for ls, para in zip(lines, paras))
            and all(  # no word or figure broken between characters while a smaller size keeps it whole
                measurer.width(piece, round_size(size * para.scale), para.bold) <= (width_pt - para.indent) * SAFETY
                for para, words in zip(paras, pieces)
                for piece in words
            )
        )
        if ok or size - step < min_size - 1e-9:
            return Fit(size, lines, used, ok)
        size = round(size - step, 2)


def fit_all(
    blocks: Iterable[Sequence[Para]],
    width: int,
    height: int,
    measurer: Measurer,
    *,
    max_size: float,
    min_size: float,
    step: float = 0.5,
) -> float:
    """One base size (pt) at which every block fits its own ``width`` × ``height`` EMU box,
    so that sibling boxes (tiles, table cells) share a size. ``min_size`` if none fits."""
    size = max_size
    for block in blocks:
        size = min(size, fit(block, width, height, measurer, max_size=size, min_size=min_size, step=step).size)
    return size
