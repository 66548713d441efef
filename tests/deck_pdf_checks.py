"""Checks of a deck as LibreOffice prints it: the words of its PDF (pdfplumber), each
with its box and size, against each other, the page and the master's artwork.

Each function takes the pages :func:`read_pages` returns and gives a list of problems
(strings naming the page and the words), empty when the deck passes, so a failing test
prints every problem at once. Sizes are pt; boxes are PDF points from the top left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

OVERLAP_PT = 1.0
"""Two words' boxes may share this much (pt, each way) without counting as one over the other."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0) * max(self.bottom - self.top, 0)


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    text: str


def read_pages(pdf: Path) -> list[Page]:
    """Every page's words (split at spaces, no-break spaces kept inside), sizes and text."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True, extra_attrs=["size"],
                                       x_tolerance=1.5)
            pages.append(Page(number, float(page.width), float(page.height),
                              tuple(Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"], round(w["size"], 1))
                                    for w in words if w["text"].strip()),
                              page.extract_text() or ""))
    return pages


def words_over_words(pages: list[Page]) -> list[str]:
    """Words whose glyph boxes overlap another word's: text printed over text. Boxes are
    shrunk to the glyphs' middle band (a line's descenders touch the next line's ascenders
    in tight leading without hiding anything)."""
    problems = []
    for page in pages:
        boxes = []
        for word in page.words:
            h = word.bottom - word.top
            boxes.append((word, word.x0 + OVERLAP_PT, word.top + 0.2 * h, word.x1 - OVERLAP_PT, word.bottom - 0.2 * h))
        boxes.sort(key=lambda b: b[2])
        for i, (a, ax0, atop, ax1, abottom) in enumerate(boxes):
            for b, bx0, btop, bx1, bbottom in boxes[i + 1:]:
                if btop >= abottom:
                    break
                if min(ax1, bx1) - max(ax0, bx0) > 0 and min(abottom, bbottom) - max(atop, btop) > 0:
                    problems.append(f"page {page.number}: {a.text!r} over {b.text!r}")
    return problems


def words_off_page(pages: list[Page], margin: float = 0.0) -> list[str]:
    """Words not wholly on the page (``margin`` pt inside its edges)."""
    return [f"page {page.number}: {w.text!r} at ({w.x0:.0f}, {w.top:.0f})–({w.x1:.0f}, {w.bottom:.0f})"
            for page in pages for w in page.words
            if w.x0 < margin - 0.5 or w.top < margin - 0.5 or w.x1 > page.width - margin + 0.5
            or w.bottom > page.height - margin + 0.5]


_BROKEN = re.compile(r"(?<![\w-])([A-Za-z]{2,}|\d[\d.,]*)\n([a-z]{1,3}|[\d.,]*\d%?)\b")


def broken_words(pages: list[Page], vocabulary: set[str]) -> list[str]:
    """Words split across two lines: a line ending in a fragment and the next starting with
    the rest, where the joined text is a word of ``vocabulary`` (the report's own words and
    figures) and neither part alone is."""
    problems = []
    for page in pages:
        lines = [line.strip() for line in page.text.splitlines()]
        for first, second in zip(lines, lines[1:]):
            if not first or not second:
                continue
            head = first.split()[-1]
            tail = second.split()[0]
            joined = head + tail
            core = joined.strip(".,;:()")
            if core in vocabulary and head.strip(".,;:()") not in vocabulary and tail.strip(".,;:()") not in vocabulary:
                problems.append(f"page {page.number}: {head!r} | {tail!r}")
    return problems


def share_at_least(pages: list[Page], size: float) -> float:
    """Share of the pages' characters set at ``size`` pt or more (1.0 with no text)."""
    total = big = 0
    for page in pages:
        for word in page.words:
            total += len(word.text)
            big += len(word.text) if word.size >= size - 0.05 else 0
    return big / total if total else 1.0


def words_over_boxes(pages: list[Page], boxes: dict[int, list[tuple[float, float, float, float, bool]]]) -> list[str]:
    """Words on a page that overlap one of the page's ``boxes`` (x0, top, x1, bottom in pt,
    and whether a word wholly inside it is on a panel made for text): the master's pictures
    and drawn shapes. A picture is never a panel; a drawn shape is one for the words it
    wholly holds."""
    problems = []
    for page in pages:
        for (x0, top, x1, bottom, panel) in boxes.get(page.number, []):
            for w in page.words:
                h = w.bottom - w.top
                if not (min(w.x1, x1) - max(w.x0, x0) > OVERLAP_PT and
                        min(w.bottom - 0.2 * h, bottom) - max(w.top + 0.2 * h, top) > 0):
                    continue
                if panel and x0 <= w.x0 and w.x1 <= x1 and top <= w.top and w.bottom <= bottom:
                    continue
                problems.append(f"page {page.number}: {w.text!r} over artwork at ({x0:.0f}, {top:.0f})–({x1:.0f}, {bottom:.0f})")
    return problems
