"""Geometry and colour checks of a built deck, shared by the deck tests.

Each function returns a list of problems (strings naming slide and shapes), empty
when the deck passes, so a failing test prints every problem at once.
"""

from __future__ import annotations

from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Pt

from reporting.model.theme import MIN_TEXT_CONTRAST, contrast_ratio
from reporting.render.deck.backdrop import Box, colours_behind, theme_colours

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TOLERANCE = int(Pt(1))
"""Boxes may share up to a point's width without counting as overlapping (rounding)."""


def flat_shapes(shapes):
    """Every shape, group members included (groups made by python-pptx keep slide
    coordinates for their members)."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from flat_shapes(shape.shapes)
        else:
            yield shape


def has_text(shape) -> bool:
    return shape.has_text_frame and bool(shape.text_frame.text.strip())


def is_title(shape) -> bool:
    return shape.is_placeholder and shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE,
                                                                      PP_PLACEHOLDER.CENTER_TITLE)


def overlap(a: Box, b: Box) -> bool:
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return w > TOLERANCE and h > TOLERANCE


def _name(shape) -> str:
    text = shape.text_frame.text.strip().replace("\n", " ")[:30] if has_text(shape) else ""
    return f"{shape.name!r} {text!r}"


def overlaps(prs) -> list[str]:
    """Text shapes that overlap the title or another text shape (chart frames and
    tables are not text shapes; a text box over a chart is the chart's annotation)."""
    problems = []
    for number, slide in enumerate(prs.slides, 1):
        # Each box once: a placeholder's position is looked up through its layout and master.
        texts = [(s, Box.of(s)) for s in flat_shapes(slide.shapes) if has_text(s)]
        for i, (first, first_box) in enumerate(texts):
            for second, second_box in texts[i + 1:]:
                if overlap(first_box, second_box):
                    problems.append(f"slide {number}: {_name(first)} overlaps {_name(second)}")
    return problems


def outside(prs) -> list[str]:
    """Shapes not wholly inside the slide."""
    width, height = int(prs.slide_width), int(prs.slide_height)
    problems = []
    for number, slide in enumerate(prs.slides, 1):
        for shape in flat_shapes(slide.shapes):
            box = Box.of(shape)
            if box.x < 0 or box.y < 0 or box.right > width or box.bottom > height:
                problems.append(f"slide {number}: {shape.name!r} at {box} is outside {width}×{height}")
    return problems


def _fill(shape) -> str | None:
    """A drawn shape's solid fill colour, if it has one."""
    spPr = shape._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}spPr")
    if spPr is None:
        return None
    fill = spPr.find(f"{A}solidFill/{A}srgbClr")
    return "#" + fill.get("val").upper() if fill is not None else None


def _run_colours(text_frame, scheme: dict[str, str] | None = None) -> set[str]:
    """Each run's colour: its own ``srgbClr``, or its ``schemeClr`` looked up in ``scheme``
    (the slide master theme's colours); ``inherited`` for a run with neither."""
    colours = set()
    for paragraph in text_frame.paragraphs:
        for run in paragraph._p.iter(f"{A}r", f"{A}fld"):
            if not (run.findtext(f"{A}t") or "").strip():
                continue
            fill = run.find(f"{A}rPr/{A}solidFill/{A}srgbClr")
            ref = run.find(f"{A}rPr/{A}solidFill/{A}schemeClr")
            if fill is not None:
                colours.add("#" + fill.get("val").upper())
            elif ref is not None and scheme and ref.get("val") in scheme:
                colours.add(scheme[ref.get("val")])
            else:
                colours.add("inherited")
    return colours


def contrast_problems(prs) -> list[str]:
    """Text colours with a contrast under 4.5:1 against what is behind them: a filled
    shape of the slide beneath the text, a table cell's fill, else the layout's
    background and artwork there."""
    size = (int(prs.slide_width), int(prs.slide_height))
    problems = []
    for number, slide in enumerate(prs.slides, 1):
        drawn: list[tuple[Box, str]] = []
        scheme = theme_colours(slide.slide_layout.slide_master)
        for shape in flat_shapes(slide.shapes):
            box = Box.of(shape)
            if shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        fill = cell._tc.find(f"{A}tcPr/{A}solidFill/{A}srgbClr")
                        behind = ("#" + fill.get("val").upper(),) if fill is not None else \
                            colours_behind(slide.slide_layout, box, size)
                        problems += _check(number, cell.text_frame, behind, "table cell", scheme)
                continue
            if has_text(shape):
                under = [colour for rect, colour in drawn if rect.contains(box) or
                         (rect.intersection(box) > 0.5 * box.area)]
                own = _fill(shape)
                behind = (own,) if own else (under[-1],) if under else colours_behind(slide.slide_layout, box, size)
                problems += _check(number, shape.text_frame, behind, _name(shape), scheme)
            fill = _fill(shape)
            if fill is not None:
                drawn.append((box, fill))
    return problems


def _check(number: int, frame, behind, what: str, scheme: dict[str, str] | None = None) -> list[str]:
    out = []
    for colour in _run_colours(frame, scheme):
        if colour == "inherited":
            out.append(f"slide {number}: {what}: a run without its own colour")
            continue
        worst = min((contrast_ratio(colour, other) for other in behind), default=21)
        if worst < MIN_TEXT_CONTRAST:
            out.append(f"slide {number}: {what}: {colour} on {', '.join(behind)}: {worst:.2f}:1")
    return out
