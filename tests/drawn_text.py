"""Where a real renderer draws a deck's text: LibreOffice, not the toolkit's own measure.

Each text shape of a copy of the deck gets a text colour of its own; LibreOffice converts
the copies to PDF; every character drawn is found by its colour (pdfplumber) and compared
with its shape's box on the slide. Colour changes no metric, so the copy is laid out as
the deck is.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
EMU_PER_PT = 12700
TOLERANCE_PT = 0.5  # PDF coordinates are rounded to hundredths; glyph boxes touch the edge


@dataclass(frozen=True)
class TextShape:
    slide: int
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom on the page, pt


def _colour(number: int) -> tuple[int, int, int]:
    """A colour per shape of a slide, in steps of 8 so the PDF's rounded values map back."""
    return 0x11, (number // 32) * 8, (number % 32) * 8


def _text_shapes(shape, place):
    """(shape, box in EMU) for every shape with text, inside groups too; ``place`` maps a
    point of the shape's coordinate space to the slide's."""
    if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
        xfrm = shape._element.grpSpPr.find(f"{{{A}}}xfrm")
        off, ext = xfrm.find(f"{{{A}}}off"), xfrm.find(f"{{{A}}}ext")
        child_off, child_ext = xfrm.find(f"{{{A}}}chOff"), xfrm.find(f"{{{A}}}chExt")
        left, top = place(int(off.get("x")), int(off.get("y")))
        right, bottom = place(int(off.get("x")) + int(ext.get("cx")), int(off.get("y")) + int(ext.get("cy")))
        scale_x = (right - left) / max(int(child_ext.get("cx")), 1)
        scale_y = (bottom - top) / max(int(child_ext.get("cy")), 1)
        x0, y0 = int(child_off.get("x")), int(child_off.get("y"))

        def inner(x, y):
            return left + (x - x0) * scale_x, top + (y - y0) * scale_y

        for child in shape.shapes:
            yield from _text_shapes(child, inner)
    elif shape.has_text_frame and shape.text_frame.text.strip():
        left, top = place(shape.left, shape.top)
        right, bottom = place(shape.left + shape.width, shape.top + shape.height)
        yield shape, (left, top, right, bottom)


def mark(deck: Path, target: Path) -> dict[tuple[int, tuple[int, int, int]], TextShape]:
    """Write ``deck`` to ``target`` with each text shape's runs in a colour of its own;
    return the shapes by (slide number, colour)."""
    from pptx import Presentation

    presentation = Presentation(str(deck))
    shapes = {}
    for number, slide in enumerate(presentation.slides, 1):
        count = 0
        for top_level in slide.shapes:
            for shape, box in _text_shapes(top_level, lambda x, y: (x, y)):
                count += 1
                colour = _colour(count)
                for properties in shape._element.iter(f"{{{A}}}rPr", f"{{{A}}}endParaRPr"):
                    for fill in properties.findall(f"{{{A}}}solidFill"):
                        properties.remove(fill)
                    fill = etree.Element(f"{{{A}}}solidFill")
                    etree.SubElement(fill, f"{{{A}}}srgbClr", val="%02X%02X%02X" % colour)
                    outline = properties.find(f"{{{A}}}ln")
                    if outline is not None:  # the schema's order: ln, then the fill
                        outline.addnext(fill)
                    else:
                        properties.insert(0, fill)
                shapes[(number, colour)] = TextShape(number, shape.text_frame.text,
                                                     tuple(value / EMU_PER_PT for value in box))
    presentation.save(str(target))
    return shapes


def convert(decks: list[Path], folder: Path) -> list[Path]:
    """The PDFs LibreOffice makes of ``decks`` (one soffice run, its own profile)."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, decks)],
                   check=True, capture_output=True, timeout=600)
    return [folder / f"{deck.stem}.pdf" for deck in decks]


def outside_their_boxes(pdf: Path, shapes: dict[tuple[int, tuple[int, int, int]], TextShape]) -> list[str]:
    """Every character drawn outside its shape's box (how far, in pt), and every shape of
    which no character was found (so the check never passes by finding nothing)."""
    import pdfplumber

    problems, drawn = [], set()
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            for char in page.chars:
                colour = char.get("non_stroking_color")
                if not char["text"].strip() or not isinstance(colour, (tuple, list)) or len(colour) != 3:
                    continue  # a space draws nothing; chart text has colours of its own
                key = (number, tuple(round(value * 255) for value in colour))
                shape = shapes.get(key)
                if shape is None:
                    continue
                drawn.add(key)
                left, top, right, bottom = shape.box
                beyond = max(left - char["x0"], char["x1"] - right, top - char["top"], char["bottom"] - bottom)
                if beyond > TOLERANCE_PT:
                    problems.append(f"slide {number}: {char['text']!r} of {shape.text[:40]!r} is {beyond:.1f} pt "
                                    f"outside its box")
    problems += [f"slide {shape.slide}: nothing of {shape.text[:40]!r} was found in the PDF"
                 for key, shape in shapes.items() if key not in drawn]
    return problems
