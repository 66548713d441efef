"""The brief's pages measured as an editorial designer looks at them, from the PDF alone.

:func:`measure` reads a built brief (pdfplumber for where things are drawn and at what size,
pypdf for its bookmarks, links and manifest) and returns a :class:`Measure`:

- per page, where the content ends and the tallest empty band, as shares of the text area
  (the page inside the print CSS's ``@page`` margins): a page that ends half way down, or
  has a hole in the middle, shows here;
- the share of characters set under 7.5 pt and under 6.5 pt (markers such as the derived
  figure's ``*`` or a note number aside);
- how often each figure of the report is printed (its tile form, which every other form
  holds, counted in the text of the whole document, charts included, the audit trail's
  appendix aside);
- the page count; the page each contents entry names against the page its link leads to;
- the running head of each page against the sections on that page.

:func:`problems` turns a measure into the list of what breaks the rules of issue 27, so a
test shows every problem of a brief at once. Nothing here knows a dataset: the figures come
from the report the PDF's manifest says it was planned from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
"""PDF points per millimetre."""

MARGIN_TOP_MM = 22.0
MARGIN_BOTTOM_MM = 20.0
"""The print CSS's ``@page`` margins (templates/brief/brief.css): the text area lies between."""

SMALL_PT = 7.5
TINY_PT = 6.5
HOLE_SHARE = 0.35
"""A page whose content ends more than this share of the text area above the bottom margin,
or that has an empty band taller than this, has a hole."""
MOST_PRINTINGS = 4
SUMMARY_PAGES = 4
SMALL_SHARE = 0.03

MARKERS = frozenset("*†‡")
_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    """``text`` without white space (lines break anywhere in Chinese) and without the
    invisible joiners the toolkit uses to keep a figure on one line."""
    return _SPACE.sub("", text).replace("\u2060", "").replace("\u00a0", "")


@dataclass
class PageMeasure:
    number: int
    """1-based."""
    cover: bool
    content_end: float
    """How far above the bottom margin the content ends, as a share of the text area (0: full)."""
    largest_band: float
    """The tallest empty band of the text area (the space above the first content and
    below the last included), as a share of its height."""
    running_head: str
    """The text of the running head on the right, white space removed."""
    headings: tuple[str, ...]
    """The section headings (bookmarks) that start on this page, white space removed."""
    small: int = 0
    tiny: int = 0
    chars: int = 0
    """Characters of the text (charts aside: they are drawn at their own sizes, see ``chart_*``)."""
    chart_small: int = 0
    chart_tiny: int = 0
    chart_chars: int = 0
    """Characters drawn inside charts (tagged ``/Figure``)."""


@dataclass
class Measure:
    path: Path
    pages: list[PageMeasure]
    printings: dict[str, int]
    """Figure id -> how often its tile form is printed in the document (the most of its languages)."""
    figure_text: dict[str, str]
    contents: list[tuple[str, str | None, int]]
    """Each contents entry: its text, the page number it prints (None: none printed), the page its link leads to."""
    section_pages: list[tuple[str, int]]
    """Each section heading (bookmark) with the page it starts on, in order."""
    depth: str
    bookmarks: list[str] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(page.chars for page in self.pages)

    @property
    def small_share(self) -> float:
        return sum(page.small for page in self.pages) / max(self.chars, 1)

    @property
    def tiny_share(self) -> float:
        return sum(page.tiny for page in self.pages) / max(self.chars, 1)

    @property
    def chart_small_share(self) -> float:
        return sum(page.chart_small for page in self.pages) / max(sum(page.chart_chars for page in self.pages), 1)

    @property
    def chart_tiny_share(self) -> float:
        return sum(page.chart_tiny for page in self.pages) / max(sum(page.chart_chars for page in self.pages), 1)

    def holes(self) -> list[PageMeasure]:
        """Pages after the cover (the last aside) with a hole: content ending or an empty band
        over :data:`HOLE_SHARE` of the text area."""
        body = [page for page in self.pages if not page.cover][:-1]
        return [page for page in body if max(page.content_end, page.largest_band) > HOLE_SHARE]

    def summary(self) -> str:
        """One line of figures for a report of before and after."""
        most = max(self.printings.items(), key=lambda item: item[1], default=("-", 0))
        holes = self.holes()
        return (f"{self.path.name}: {len(self.pages)} pages, {len(holes)} with holes "
                f"({', '.join(f'p{p.number} {max(p.content_end, p.largest_band):.0%}' for p in holes) or '-'}), "
                f"{self.small_share:.1%} of {self.chars} chars < {SMALL_PT} pt, {self.tiny_share:.1%} < {TINY_PT} pt "
                f"(in charts {self.chart_small_share:.0%} and {self.chart_tiny_share:.0%}), "
                f"most printed {most[0]} {self.figure_text.get(most[0], '')!r} x{most[1]}")


def _text_area(page) -> tuple[float, float]:
    return MARGIN_TOP_MM * MM, float(page.height) - MARGIN_BOTTOM_MM * MM


def _is_marker(char, line: list) -> bool:
    """A marker: ``*`` and the like, or a raised number smaller than the text beside it."""
    if char["text"] in MARKERS:
        return True
    if not char["text"].isdigit():
        return False
    return any(other["size"] > char["size"] + 0.5 and other["bottom"] > char["bottom"] + 1
               for other in line if abs(other["x0"] - char["x1"]) < 4 or abs(other["x1"] - char["x0"]) < 4)


def _bands(intervals: list[tuple[float, float]], top: float, bottom: float) -> tuple[float, float]:
    """(space below the last content, tallest empty band) in the text area ``top``–``bottom``."""
    spans = sorted((max(a, top), min(b, bottom)) for a, b in intervals if b > top and a < bottom)
    if not spans:
        return bottom - top, bottom - top
    largest, reach = 0.0, top
    for start, end in spans:
        largest = max(largest, start - reach)
        reach = max(reach, end)
    return bottom - reach, max(largest, bottom - reach)


def _outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def _section_bookmarks(outline: list[tuple[int, str, int]]) -> list[tuple[str, int]]:
    """The sections' headings: below the document's title (the top bookmarks, when they all
    lead to one page: the title in one language or two), else the top level."""
    if not outline:
        return []
    top = {page for level, _, page in outline if level == 0}
    depth = 1 if len(top) == 1 and any(level == 1 for level, _, _ in outline) else 0
    return [(squeezed(title), page) for level, title, page in outline if level == depth]


def _links(reader, page_index: int) -> list[tuple[tuple[float, float, float, float], int, str]]:
    """Internal links of a page: (rectangle in PDF coordinates, 1-based target page, the destination)."""
    page = reader.pages[page_index]
    out = []
    for annot in page.get("/Annots") or ():
        annot = annot.get_object()
        if annot.get("/Subtype") != "/Link":
            continue
        dest = annot.get("/Dest")
        action = annot.get("/A")
        if dest is None and action is not None and action.get("/S") == "/GoTo":
            dest = action.get("/D")
        if dest is None:
            continue
        if not isinstance(dest, list) and not hasattr(dest, "__getitem__"):
            continue
        if isinstance(dest, (str, bytes)) or hasattr(dest, "original_bytes"):
            named = reader.named_destinations.get(str(dest))
            if named is None:
                continue
            target = reader.get_destination_page_number(named)
        else:
            target = reader.get_page_number(dest[0].get_object()) if hasattr(dest[0], "get_object") else int(dest[0])
        out.append((tuple(float(v) for v in annot["/Rect"]), target + 1, str(dest)))
    return out


def _contents(reader, plumber_page, page_index: int) -> list[tuple[str, str | None, int]]:
    """The contents entries on a page: the text inside each link (the boxes of one link
    target taken together), its last number taken as the page number it prints."""
    height = float(plumber_page.height)
    boxes: dict[tuple[int, str], list[float]] = {}
    for rect, target, dest in _links(reader, page_index):
        x0, x1 = sorted(rect[0::2])
        y0, y1 = sorted(rect[1::2])
        if x1 - x0 < 8:
            continue  # a note marker's link, not an entry's
        top, bottom = height - y1, height - y0
        box = boxes.setdefault((target, dest), [x0, top, x1, bottom])
        box[:] = [min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom)]
    entries = []
    for (target, _), (x0, top, x1, bottom) in boxes.items():
        crop = (max(x0 - 1, 0), max(top - 1, 0), min(x1 + 1, float(plumber_page.width)), min(bottom + 1, height))
        text = squeezed(plumber_page.within_bbox(crop).extract_text() or "")
        match = re.search(r"(\d+)$", text)
        entries.append((text, match.group(1) if match else None, target))
    return entries


def measure(pdf: Path, dataset: Path) -> Measure:
    """Measure the brief ``pdf``, planned from ``dataset`` (a path) as its manifest says."""
    import pdfplumber
    import pypdf

    from reporting.dataset.load import load_dataset
    from reporting.verify.check import _options
    from reporting.verify.extract import extract_pdf

    manifest = extract_pdf(pdf).manifest
    assert manifest is not None, f"{pdf} has no manifest"
    report = _options(manifest).plan(load_dataset(dataset))
    reader = pypdf.PdfReader(str(pdf))
    outline = _outline(reader)
    sections = _section_bookmarks(outline)
    pages: list[PageMeasure] = []
    texts: list[str] = []
    contents: list[tuple[str, str | None, int]] = []
    with pdfplumber.open(str(pdf)) as document:
        for index, page in enumerate(document.pages):
            top, bottom = _text_area(page)
            chars = [c for c in page.chars if c["text"].strip()]
            in_area = [c for c in chars if c["bottom"] > top - 1 and c["top"] < bottom + 1]
            foot = [c for c in chars if c["top"] >= bottom + 1]
            head = [c for c in chars if c["bottom"] <= top - 1 and c["x0"] > float(page.width) / 2]
            boxes = [(c["top"], c["bottom"]) for c in in_area]
            for kind in ("images", "rects", "lines", "curves"):
                for obj in getattr(page, kind):
                    if obj["bottom"] - obj["top"] < float(page.height) * 0.95:
                        boxes.append((obj["top"], obj["bottom"]))
            cover = index == 0 and not foot
            tail, band = _bands(boxes, top, bottom)
            height = bottom - top
            lines: dict[int, list] = {}
            for c in chars:
                lines.setdefault(round(c["top"] / 3), []).append(c)
            measured = [c for c in chars if not _is_marker(c, lines[round(c["top"] / 3)])]
            drawn = [c for c in measured if c.get("tag") == "Figure"]
            measured = [c for c in measured if c.get("tag") != "Figure"]
            pages.append(PageMeasure(
                number=index + 1, cover=cover, content_end=tail / height, largest_band=band / height,
                running_head=squeezed("".join(c["text"] for c in sorted(head, key=lambda c: c["x0"]))),
                headings=tuple(title for title, start in sections if start == index + 1),
                small=sum(c["size"] < SMALL_PT - 0.05 for c in measured),
                tiny=sum(c["size"] < TINY_PT - 0.05 for c in measured),
                chars=len(measured),
                chart_small=sum(c["size"] < SMALL_PT - 0.05 for c in drawn),
                chart_tiny=sum(c["size"] < TINY_PT - 0.05 for c in drawn),
                chart_chars=len(drawn),
            ))
            texts.append(squeezed(page.extract_text() or ""))
            if not contents and _links(reader, index):
                # Entries with words: a note marker (a lone number) links to a source, not a section.
                found = [entry for entry in _contents(reader, page, index)
                         if len(re.sub(r"[\d\s.·]", "", entry[0])) >= 2]
                if len(found) >= 2:
                    contents = found
    # The audit trail (an appendix an audience asks for) lists every figure once more, as an
    # index does: the pages from its start are not counted.
    appendix = squeezed(report.labels["audit_trail"].first.text)
    starts = [page for title, page in sections if appendix in title]
    whole = "\n".join(texts[: starts[0] - 1] if starts else texts)
    printings: dict[str, int] = {}
    figure_text: dict[str, str] = {}
    # Figures that print alike (two facts of 200,000) share their printings.
    sharing: dict[str, int] = {}
    for figure in report.figures:
        for needle in {squeezed(phrase.text) for phrase in figure.headline.distinct()}:
            sharing[needle] = sharing.get(needle, 0) + 1
    from reporting.lang.numbers import QUALIFIER_WORDS

    # 20万 after 超过 is another figure (超过20万 is not 20万).
    qualified = "".join(rf"(?<!{re.escape(squeezed(word))})" for words in QUALIFIER_WORDS.values()
                        for word in words.values() if word)

    def occurrences(needle: str) -> int:
        return len(re.findall(r"(?<![\d.,+\-−])" + qualified + re.escape(needle) + r"(?![\d万亿]|[.,]\d)", whole))

    for figure in report.figures:
        counts = []
        for phrase in figure.headline.distinct():
            needle = squeezed(phrase.text)
            if len(needle) < 3:
                continue
            # 20万 inside 超过20万 is another figure's printing.
            found = occurrences(needle) - sum(occurrences(other) for other in sharing
                                              if other != needle and needle in other)
            counts.append((-(-found // sharing[needle]), needle))
        if counts:
            count, needle = max(counts)
            printings[figure.id] = count
            figure_text[figure.id] = needle
    return Measure(pdf, pages, printings, figure_text, contents, sections, report.depth,
                   [title for _, title, _ in outline])


def problems(m: Measure) -> list[str]:
    """Everything in ``m`` that breaks the page rules, one line each (empty: the brief passes)."""
    out: list[str] = []
    holes = m.holes()
    if len(holes) > 1:
        out.append("pages with holes: " + ", ".join(
            f"p{p.number} (content ends {p.content_end:.0%} above the margin, band {p.largest_band:.0%})" for p in holes))
    if m.small_share > SMALL_SHARE:
        out.append(f"{m.small_share:.1%} of the characters under {SMALL_PT} pt")
    if m.tiny_share > 0:
        pages = [p.number for p in m.pages if p.tiny]
        out.append(f"{m.tiny_share:.1%} of the characters under {TINY_PT} pt (pages {pages})")
    over = {fid: n for fid, n in m.printings.items() if n > MOST_PRINTINGS}
    if over:
        out.append("figures printed more than 4 times: " + ", ".join(
            f"{m.figure_text[fid]} x{n}" for fid, n in sorted(over.items(), key=lambda i: -i[1])))
    if m.depth == "summary" and len(m.pages) > SUMMARY_PAGES:
        out.append(f"a summary of {len(m.pages)} pages")
    for text, number, target in m.contents:
        if number is None:
            out.append(f"contents entry {text!r} prints no page number (its section starts on p{target})")
        elif int(number) != target:
            out.append(f"contents entry {text!r} says p{number}, its section starts on p{target}")
    if not m.contents and len(m.section_pages) > 1 and m.depth != "summary":
        out.append("no contents with links to the sections")
    for page in m.pages:
        if page.cover or not m.section_pages:
            continue
        before = [title for title, start in m.section_pages if start < page.number]
        allowed = set(page.headings) | ({before[-1]} if before else set())
        if not page.running_head:
            out.append(f"p{page.number}: no running head")
        elif not any(page.running_head in title for title in allowed):
            out.append(f"p{page.number}: running head {page.running_head!r} names no section on the page "
                       f"({', '.join(sorted(allowed)) or 'none'})")
    return out
