"""The PowerPoint deck: slide builders over python-pptx.

:func:`write_deck` lays a :class:`~reporting.model.report.Report` onto the layouts of a
slide master (the built-in ``templates/deck/master.pptx`` or a user's corporate
template), found by name through :data:`LAYOUT_NAMES`. Every chart is a native,
editable PowerPoint chart; the timeline is drawn with native shapes.

Text never relies on PowerPoint's autofit (LibreOffice and python-pptx do not apply
it): each box is fitted with :mod:`reporting.render.deck.textfit`, measuring the font
files fontconfig resolves, and what does not fit at the smallest allowed size moves
to a continuation slide. Low-level XML edits live in
:mod:`reporting.render.deck.oxml`.

Lengths are EMU (914400 per inch, 12700 per pt) unless a name says ``_pt``.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.exc import PackageNotFoundError
from pptx.table import _Cell
from pptx.text.text import Font
from pptx.util import Emu, Inches, Pt

from ...model.chartspec import ChartSpec
from ...model.theme import Theme
from ...errors import TemplateError, display_path
from ...model.report import Figure, Report, Section
from ...resources import templates_dir
from ...model.texts import Phrase, Texts
from . import oxml, textfit
from .textfit import Measurer, Para

DEFAULT_TEMPLATE_NAME = "master.pptx"

class Role(str, enum.Enum):
    """What a slide is for; each role is built on one named layout."""

    TITLE = "title"
    AGENDA = "agenda"
    KEY_FIGURES = "key_figures"
    CHART = "chart"
    POINTS = "points"
    TIMELINE = "timeline"
    SOURCES = "sources"
    CLOSING = "closing"


LAYOUT_NAMES: dict[Role, str] = {
    Role.TITLE: "Title",
    Role.AGENDA: "Title and Content",
    Role.KEY_FIGURES: "Key Figures",
    Role.CHART: "Chart",
    Role.POINTS: "Title and Content",
    Role.TIMELINE: "Timeline",
    Role.SOURCES: "Title and Content",
    Role.CLOSING: "Closing",
}
"""Slide role → name of the slide layout it is built on. The one place a corporate
template's layout names have to match (rename the layouts in its slide master)."""

CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}

CATEGORY_CHARS = 48
"""Longest category label (characters per language) written into a native chart."""

# -- geometry (EMU) and type scale (pt) ---------------------------------------

MARGIN = Inches(0.6)
GAP = Inches(0.25)
FOOTER_H = Inches(0.3)
FOOTER_FROM_BOTTOM = Inches(0.5)
BULLET_HANG = Inches(0.26)
CAPTION_H = Inches(0.62)
SLIVER = 0.06
"""Stacked segments under this share of the tallest column are annotated, not labelled."""
TIMELINE_EVENTS = 10
"""Events on one timeline slide at most."""
MAX_POINTS = 5
"""Points on one slide at most; more continue on the next (an audience reads five)."""

SECOND_LANGUAGE_SCALE = 0.72
"""Size of the English line under a Chinese one in the bilingual edition."""
LINE_PITCH = 1.24
"""Line spacing in ems, written as exact spacing so textfit and renderers agree."""


def default_template() -> Path:
    return templates_dir() / "deck" / DEFAULT_TEMPLATE_NAME


def theme_color_slots(theme: Theme) -> dict[str, str]:
    """The theme's colours as a PowerPoint colour scheme (``dk1``, ``accent1`` ...)."""
    palette = list(theme.palette) + [theme.muted] * 6
    slots = {"dk1": theme.ink, "lt1": theme.paper, "dk2": theme.muted, "lt2": theme.tint}
    slots.update({f"accent{i + 1}": palette[i] for i in range(6)})
    slots.update({"hlink": palette[1], "folHlink": theme.muted})
    return slots


def normalise_zip(data: bytes, when: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)) -> bytes:
    """Rewrite a zip (pptx, xlsx) with one fixed timestamp on every entry, so the same
    content gives the same bytes. Entry order is kept ([Content_Types].xml first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _pin_workbook(blob: bytes, when: dt.datetime) -> bytes:
    """An embedded chart workbook with its creation time set to ``when`` (XlsxWriter
    stamps the current time otherwise) and fixed zip timestamps."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=zip_time(when)), data)
    return out.getvalue()


# -- public API ----------------------------------------------------------------


def _core_text(text: str) -> str:
    """A document property: python-pptx refuses more than 255 characters (a long title)."""
    return text if len(text) <= 255 else text[:254] + "…"


def write_deck(report: Report, theme: Theme, target: Path, *, template: Path | None = None,
               max_slides: int | None = None, when: dt.datetime | None = None,
               on_phrase: Callable[[Phrase, str], None] | None = None,
               properties: Callable[[], Mapping[str, str]] | None = None) -> Path:
    """Build the deck for ``report`` and save it to ``target`` (overwritten; the caller
    renames it into place). ``template`` is a .pptx whose slide master supplies the
    layouts named in :data:`LAYOUT_NAMES`; its sample slides are dropped.

    ``max_slides`` caps the deck (an executive deck): slides are kept in the order
    title, key figures, each section's first chart, closing, agenda, further charts,
    timeline, sources; points that lose their slide move to the speaker notes.

    ``when`` (UTC; default: the report's date at midnight) is written as the created and
    modified time and as every zip entry's time, so the same inputs give the same bytes.
    ``on_phrase(phrase, shown)`` is called for every report phrase written (``shown``
    is the text written from it); ``properties()``, called once the slides are built,
    gives custom document properties (``docProps/custom.xml``).

    Raises :class:`TemplateError` when the template cannot be opened or lacks a layout
    (the message lists the layouts it has). Returns ``target``.
    """
    user_template = template is not None
    path = Path(template) if template is not None else default_template()
    prs = _open_template(path)
    layouts = find_layouts(prs, path)
    oxml.remove_all_slides(prs)
    if user_template:
        # Keep the corporate look; only make sure Chinese has a typeface to fall back on.
        oxml.set_theme_fonts(prs.slide_master, latin=None, ea=theme.fonts.cjk, only_if_empty=True)
    else:
        oxml.set_theme_colors(prs.slide_master, theme_color_slots(theme))
        oxml.set_theme_fonts(prs.slide_master, latin=theme.fonts.latin, ea=theme.fonts.cjk)

    _DeckBuilder(prs, report, theme, layouts, on_phrase).build(max_slides)

    if when is None:
        when = dt.datetime.combine(report.date, dt.time())
    elif when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    core = prs.core_properties
    core.title = _core_text(report.title.joined())
    core.subject = _core_text(report.subtitle.joined())
    core.author = _core_text(report.author.joined())
    core.last_modified_by = _core_text(report.organisation.joined())
    core.language = oxml.LANG_TAGS[report.edition.primary]
    core.keywords = report.dataset_id
    core.comments = ""
    core.revision = 1
    core.created = core.modified = when
    for part in prs.part.package.iter_parts():
        if part.partname.startswith("/ppt/embeddings/") and part.partname.endswith(".xlsx"):
            part.blob = _pin_workbook(part.blob, when)
    if properties is not None:
        set_custom_properties(prs, properties())

    buffer = io.BytesIO()
    prs.save(buffer)
    target = Path(target)
    target.write_bytes(normalise_zip(buffer.getvalue(), zip_time(when)))
    return target


def zip_time(when: dt.datetime) -> tuple[int, ...]:
    """``when`` as a zip entry time (zip cannot store times before 1980 or after 2107)."""
    earliest, latest = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
    return min(max(when, earliest), latest).timetuple()[:6]


_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_custom_properties(prs, properties: Mapping[str, str]) -> None:
    """Write ``properties`` as text-valued custom document properties
    (``docProps/custom.xml``), replacing any the template had."""
    from xml.sax.saxutils import escape, quoteattr

    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>').encode("utf-8")
    package = prs.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/custom.xml":
            part.blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, package, blob)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _open_template(path: Path):
    if not path.is_file():
        raise TemplateError(f"deck template not found: {display_path(path)}")
    try:
        return Presentation(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(
            f"deck template {display_path(path)} is not a PowerPoint .pptx file ({exc}); "
            "save .potx templates as .pptx"
        ) from exc


def find_layouts(prs, path: Path | str = "template") -> dict[Role, object]:
    """Role → slide layout, looked up by name in every slide master of ``prs``.

    Raises :class:`TemplateError` naming the missing layouts and listing those present.
    """
    by_name: dict[str, object] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            by_name.setdefault(layout.name, layout)
    missing = sorted({name for name in LAYOUT_NAMES.values() if name not in by_name})
    if missing:
        have = ", ".join(f"“{name}”" for name in by_name) or "none"
        raise TemplateError(
            f"deck template {display_path(path)} has no slide layout named "
            f"{', '.join(f'“{name}”' for name in missing)}; its layouts are: {have}. "
            "Rename layouts in the template's slide master to match."
        )
    return {role: by_name[name] for role, name in LAYOUT_NAMES.items()}


# -- text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One paragraph to write: one language, one style.

    ``scale`` is relative to the box's fitted base size; ``space_before`` in ems
    of the base size; ``bullet`` puts a bullet before it, ``hang`` aligns it with
    bulleted text without one (the English line under a Chinese point).
    """

    text: str
    lang: str
    scale: float = 1.0
    color: str = "#000000"
    bold: bool = False
    bullet: bool = False
    hang: bool = False
    space_before: float = 0.0
    align: PP_ALIGN = PP_ALIGN.LEFT
    max_lines: int | None = None
    tag: str = ""
    """A short bold run after the text in ``tag_color`` (the "derived" mark)."""
    tag_color: str = "#000000"
    shows: tuple[Phrase, ...] = ()
    """The report phrases this line prints (reported to ``on_phrase`` when written)."""

    def para(self) -> Para:
        indent = textfit.emu_to_pt(BULLET_HANG) if (self.bullet or self.hang) else 0.0
        return Para(self.text + self.tag, self.scale, self.bold or bool(self.tag), indent, self.space_before,
                    LINE_PITCH, self.max_lines)


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    @classmethod
    def of(cls, shape) -> "Rect":
        return cls(int(shape.left), int(shape.top), int(shape.width), int(shape.height))

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _trim(text: str, lang: str, sentences: int = 2) -> str:
    """The first ``sentences`` sentences of ``text`` (talking points, not a script)."""
    pattern = r"(?<=[。！？；])" if lang == "zh" else r"(?<=[.!?])\s+(?=[A-Z“\"‘(0-9])"
    parts = [part for part in re.split(pattern, text.strip()) if part]
    return ("" if lang == "zh" else " ").join(parts[:sentences])


def _chunks(items: Sequence, count: int) -> list[list]:
    """Split ``items`` into ``count`` runs as even as possible, longer runs first."""
    count = max(1, count)
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


@dataclass
class _Planned:
    """A slide the deck will have, before it is drawn. ``priority``: lower is kept
    first under a slide budget; slides sharing a ``group`` are kept or dropped together."""

    role: Role
    priority: int
    group: str = ""
    section: Section | None = None
    chart: ChartSpec | None = None
    page: object = None
    index: int = 0


# -- the builder ---------------------------------------------------------------


class _DeckBuilder:
    """Adds every slide of one report to ``prs`` (side effect: mutates ``prs``)."""

    def __init__(self, prs, report: Report, theme: Theme, layouts: dict[Role, object],
                 on_phrase: Callable[[Phrase, str], None] | None = None):
        self.prs = prs
        self.report = report
        self.theme = theme
        self.layouts = layouts
        self.on_phrase = on_phrase or (lambda phrase, shown: None)
        self.measure = Measurer(theme.fonts.latin, theme.fonts.cjk)
        self.slide_w = int(prs.slide_width)
        self.slide_h = int(prs.slide_height)

    # -- labels and languages ---------------------------------------------------

    def label(self, key: str) -> Texts:
        return self.report.labels[key]

    def bilingual(self, texts: Texts, *, scale: float = 1.0, color: str | None = None, bold: bool = False,
                  bullet: bool = False, space_before: float = 0.0, second_color: str | None = None,
                  second_scale: float = SECOND_LANGUAGE_SCALE, second_bold: bool = False,
                  align: PP_ALIGN = PP_ALIGN.LEFT) -> list[Line]:
        """The first language in the main style, the second under it smaller and muted."""
        lines = []
        for index, phrase in enumerate(texts):
            if index == 0:
                lines.append(Line(phrase.text, phrase.lang, scale, color or self.theme.ink, bold, bullet,
                                  False, space_before, align, shows=(phrase,)))
            elif phrase.text.strip() and phrase.text != texts.first.text:
                lines.append(Line(phrase.text, phrase.lang, scale * second_scale,
                                  second_color or self.theme.muted, second_bold, False, bullet,
                                  0.12, align, shows=(phrase,)))
        return lines

    # -- low-level writing ---------------------------------------------------------

    def write_text(self, shape, lines: Sequence[Line], *, max_size: float, min_size: float,
                   anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, insets: tuple[int, int, int, int] = (0, 0, 0, 0),
                   max_lines: int | None = None, size: float | None = None) -> textfit.Fit:
        """Fit ``lines`` into ``shape`` (a text box, placeholder or table cell) and write them.

        Word wrap on, autofit off; every run gets the theme's Latin and East Asian
        typefaces and its language. ``size`` forces a base size (shared by sibling
        boxes). Returns the fit; ``fit.fits`` is false when the text overflows at
        ``min_size`` (it is written anyway).
        """
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = anchor
        left, top, right, bottom = insets
        if isinstance(shape, _Cell):
            shape.margin_left, shape.margin_top, shape.margin_right, shape.margin_bottom = insets
            shape.vertical_anchor = anchor
            width, height = self._cell_size(shape)
        else:
            frame.margin_left, frame.margin_top, frame.margin_right, frame.margin_bottom = insets
            width, height = int(shape.width), int(shape.height)
        paras = [line.para() for line in lines]
        inner_w, inner_h = width - left - right, height - top - bottom
        if size is None:
            fit = textfit.fit(paras, inner_w, inner_h, self.measure, max_size=max_size, min_size=min_size,
                              max_lines=max_lines)
        else:
            fit = textfit.fit(paras, inner_w, inner_h, self.measure, max_size=size, min_size=size)
        self.write_paragraphs(frame, lines, fit.size)
        return fit

    def write_paragraphs(self, frame, lines: Sequence[Line], base: float, *, exact: bool = True) -> None:
        """Replace the text of ``frame`` with ``lines`` at base size ``base`` pt.

        Written straight into the DrawingML (:mod:`reporting.render.deck.oxml`): the same
        XML python-pptx's paragraph and font setters make, in a fifth of the time (a deck
        writes several hundred runs)."""
        frame.clear()
        txBody = frame._txBody
        fonts = self.theme.fonts
        bullet = oxml.Bullet("\u2022", color=self.theme.accent, font=fonts.latin, margin=BULLET_HANG,
                                 hang=BULLET_HANG)
        for index, line in enumerate(lines):
            p = txBody.p_lst[0] if index == 0 else oxml.add_paragraph(txBody)
            size = textfit.round_size(base * line.scale)
            pPr = oxml.paragraph_properties(p)
            oxml.set_alignment(pPr, line.align)
            if exact:
                oxml.set_spacing(pPr, "a:lnSpc", size * LINE_PITCH)
            oxml.set_spacing(pPr, "a:spcBef", base * line.space_before if index else 0)
            if line.bullet:
                oxml.set_paragraph_bullet(pPr, bullet)
            else:
                oxml.set_paragraph_bullet(pPr, oxml.Bullet(None, margin=BULLET_HANG if line.hang else 0))
            oxml.add_text_run(p, line.text, line.lang, size=size, color=line.color, bold=line.bold,
                                  latin=fonts.latin, ea=fonts.cjk)
            for phrase in line.shows:
                self.on_phrase(phrase, line.text)
            if line.tag:
                oxml.add_text_run(p, line.tag, line.lang, size=size, color=line.tag_color, bold=True,
                                      latin=fonts.latin, ea=fonts.cjk)

    @staticmethod
    def _cell_size(cell) -> tuple[int, int]:
        tc = cell._tc
        table = tc.getparent().getparent()
        row_index = list(table.tr_lst).index(tc.getparent())
        col_index = list(tc.getparent().tc_lst).index(tc)
        return int(table.tblGrid.gridCol_lst[col_index].w), int(table.tr_lst[row_index].h)

    def text_box(self, rect: Rect, lines: Sequence[Line], **kwargs):
        box = self.current.shapes.add_textbox(Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h))
        fit = self.write_text(box, lines, **kwargs)
        return box, fit

    def rect_shape(self, rect: Rect, fill: str | None, *, line: str | None = None, shape=MSO_SHAPE.RECTANGLE,
                   shapes=None):
        target = shapes if shapes is not None else self.current.shapes
        shape_ = target.add_shape(shape, Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h))
        if fill:
            shape_.fill.solid()
            shape_.fill.fore_color.rgb = _rgb(fill)
        else:
            shape_.fill.background()
        if line:
            shape_.line.color.rgb = _rgb(line)
            shape_.line.width = Pt(1.5)
        else:
            shape_.line.fill.background()
        oxml.remove_style(shape_)
        oxml.set_decorative(shape_)  # tile backgrounds, markers: the text beside them or the group's alt text says what they mean
        return shape_

    def rule(self, x1: int, y1: int, x2: int, y2: int, color: str, width_pt: float = 1.0, shapes=None):
        target = shapes if shapes is not None else self.current.shapes
        connector = target.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(x1), Emu(y1), Emu(x2), Emu(y2))
        connector.line.color.rgb = _rgb(color)
        connector.line.width = Pt(width_pt)
        oxml.remove_style(connector)
        oxml.set_decorative(connector)
        return connector

    # -- slides and placeholders -------------------------------------------------

    def new_slide(self, role: Role):
        self.current = self.prs.slides.add_slide(self.layouts[role])
        self.used: set[int] = set()
        return self.current

    def placeholder(self, *types: PP_PLACEHOLDER):
        """The first unused placeholder of the current slide of one of ``types`` (by idx)."""
        for shape in sorted(self.current.placeholders, key=lambda s: s.placeholder_format.idx):
            if shape.placeholder_format.type in types and shape.shape_id not in self.used:
                self.used.add(shape.shape_id)
                return shape
        return None

    def region(self, *types: PP_PLACEHOLDER, fallback: Rect) -> Rect:
        """The rectangle of a placeholder used only for its position (then removed)."""
        shape = self.placeholder(*types)
        if shape is None:
            return fallback
        rect = Rect.of(shape)
        oxml.remove_shape(shape)
        return rect

    def finish_slide(self, *, footer: bool = True) -> None:
        """Drop placeholders left empty, put the title first in reading order, add the footer."""
        title = None
        for shape in list(self.current.placeholders):
            if shape.shape_id not in self.used:
                oxml.remove_shape(shape)
            elif shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                title = shape
        if title is not None:
            oxml.move_to_front_of_reading_order(title)
        if footer:
            self.footer()

    def layout_region(self, role: Role, *types: PP_PLACEHOLDER) -> Rect:
        """Where a layout's first placeholder of ``types`` sits (before any slide exists)."""
        for shape in sorted(self.layouts[role].placeholders, key=lambda s: s.placeholder_format.idx):
            if shape.placeholder_format.type in types:
                return Rect.of(shape)
        return self.content_fallback()

    def content_fallback(self) -> Rect:
        top = Inches(1.7)
        return Rect(MARGIN, top, self.slide_w - 2 * MARGIN, self.slide_h - top - Inches(0.85))

    def title(self, texts: Texts, *, suffix: Texts | None = None, max_size: float = 28,
              min_size: float = 18) -> None:
        shape = self.placeholder(PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        if suffix is not None:
            texts = Texts(tuple(Phrase(p.lang, p.text + suffix.get(p.lang)) for p in texts))
        lines = self.bilingual(texts, bold=True, second_scale=0.6)
        if shape is None:
            rect = Rect(MARGIN, Inches(0.35), self.slide_w - 2 * MARGIN, Inches(1.0))
            self.text_box(rect, lines, max_size=max_size, min_size=min_size, anchor=MSO_ANCHOR.BOTTOM)
            return
        self.write_text(shape, lines, max_size=max_size, min_size=min_size, anchor=MSO_ANCHOR.BOTTOM)

    def footer(self) -> None:
        y = self.slide_h - FOOTER_FROM_BOTTOM
        width = (self.slide_w - 2 * MARGIN) // 2
        title = self.report.title.first
        lines = [Line(f"{title.text}  ·  {self.report.organisation.first.text}", title.lang,
                      color=self.theme.muted)]
        self.text_box(Rect(MARGIN, y, width, FOOTER_H), lines, max_size=9, min_size=7,
                      anchor=MSO_ANCHOR.MIDDLE)
        box = self.current.shapes.add_textbox(Emu(self.slide_w - MARGIN - Inches(1)), Emu(y), Inches(1),
                                              Emu(FOOTER_H))
        frame = box.text_frame
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        rPr = oxml.add_field(paragraph, "slidenum", str(len(self.prs.slides)))
        font = Font(rPr)
        font.size = Pt(9)
        font.color.rgb = _rgb(self.theme.muted)
        oxml.set_fonts(rPr, self.theme.fonts.latin, self.theme.fonts.cjk)
        oxml.set_lang(rPr, "en")

    # -- notes ------------------------------------------------------------------------

    def notes(self, blocks: Sequence[tuple[Texts | None, Sequence[Texts]]],
              figures: Sequence[Figure] = (), *, trim: bool = False) -> None:
        """Speaker notes: each block is a heading and paragraphs (every language of the
        edition; ``trim`` keeps each paragraph's first sentences), then "sources of the
        figures on this slide" with each provenance."""
        frame = self.current.notes_slide.notes_text_frame
        lines: list[Line] = []
        for heading, paragraphs in blocks:
            if heading is not None:
                lines.append(Line(heading.joined(" / "), heading.first.lang, bold=True,
                                  space_before=0.8 if lines else 0))
            for texts in paragraphs:
                for phrase in texts:
                    text = _trim(phrase.text, phrase.lang) if trim else phrase.text
                    if text.strip():
                        lines.append(Line(text, phrase.lang, space_before=0.3, shows=(phrase,)))
        if figures:
            heading = self.label("figures_on_slide")
            lines.append(Line(heading.joined(" / "), heading.first.lang, bold=True, space_before=0.8))
            for figure in figures:
                for phrase in self.figure_source(figure):
                    shows = [p for p in figure.text if p.lang == phrase.lang]
                    if figure.derivation is not None:
                        shows += [p for p in figure.derivation if p.lang == phrase.lang]
                    lines.append(Line("• " + phrase.text, phrase.lang, space_before=0.2, shows=tuple(shows)))
        lines = [replace(line, color=self.theme.ink) for line in lines]
        self.write_paragraphs(frame, lines, 12, exact=False)

    def figure_source(self, figure: Figure) -> Texts:
        """``超过1亿（月度活跃用户）——来源：新闻报道，第1段`` per language; derived ones say how."""
        derived = self.report.labels["derived"]

        def line(lang: str) -> str:
            # The number first (what the presenter says), then what it counts, then where it is stated.
            if lang == "zh":
                text = f"{figure.text.get(lang)}（{figure.label.get(lang)}）——{figure.provenance.text.get(lang)}"
            else:
                text = f"{figure.text.get(lang)} ({figure.label.get(lang)}) — {figure.provenance.text.get(lang)}"
            if figure.derived:
                how = (figure.derivation.get(lang) if figure.derivation else "").rstrip("。.")
                text += f"；{derived.get(lang)}：{how}" if lang == "zh" else f"; {derived.get(lang)}: {how}"
            return text

        return Texts(tuple(Phrase(lang, line(lang)) for lang in self.report.langs))

    def figures_in(self, section: Section, texts: Iterable[Texts], chart: ChartSpec | None) -> list[Figure]:
        """Figures a slide shows: its chart's, and those whose number its points quote."""
        ids = list(chart.fact_ids) if chart is not None else []
        words = [phrase.text for t in texts for phrase in t]
        for figure in section.figures:
            if figure.id in ids:
                continue
            numbers = [p.text for p in figure.number] + [p.text for p in figure.text]
            if any(number and number in word for number in numbers for word in words):
                ids.append(figure.id)
        by_id = {figure.id: figure for figure in self.report.figures}
        return [by_id[i] for i in ids if i in by_id]

    # -- the deck ------------------------------------------------------------------------

    def plan(self) -> list[_Planned]:
        """Every slide the deck would have, in order, with the priority it has when a
        slide budget forces some out (lower is kept first)."""
        report = self.report
        planned = [_Planned(Role.TITLE, 0), _Planned(Role.AGENDA, 4)]
        if report.key_figures:
            planned.append(_Planned(Role.KEY_FIGURES, 1))
        for section in report.sections:
            if not section.charts:
                planned.append(_Planned(Role.POINTS, 2, section=section))
            for number, chart in enumerate(section.charts):
                planned.append(_Planned(Role.CHART, 2 if number == 0 else 5, section=section, chart=chart))
        if report.timeline is not None and report.timeline.events:
            events = list(report.timeline.events)
            for number, start in enumerate(range(0, len(events), TIMELINE_EVENTS)):
                planned.append(_Planned(Role.TIMELINE, 6, group="timeline", index=number,
                                        page=events[start:start + TIMELINE_EVENTS]))
        for source in report.sources:
            for number, page in enumerate(self.source_pages(source)):
                planned.append(_Planned(Role.SOURCES, 7, group=f"source:{source.id}", index=number,
                                        page=(source, page)))
        planned.append(_Planned(Role.CLOSING, 3))
        return planned

    @staticmethod
    def within(planned: list[_Planned], max_slides: int) -> list[_Planned]:
        """The slides kept under a budget: by priority, then order; a group (a source's
        pages, the timeline) is kept whole or not at all. Order is preserved."""
        keep: set[int] = set()
        for index in sorted(range(len(planned)), key=lambda i: (planned[i].priority, i)):
            group = planned[index].group
            members = {i for i, p in enumerate(planned) if group and p.group == group} or {index}
            if not members <= keep and len(keep | members) <= max_slides:
                keep |= members
        return [planned[i] for i in sorted(keep)]

    def take_spare(self) -> bool:
        """Claim one slide beyond the plan (a continuation), if the budget allows."""
        if self.spare is None:
            return True
        if self.spare > 0:
            self.spare -= 1
            return True
        return False

    def build(self, max_slides: int | None = None) -> None:
        planned = self.plan()
        if max_slides is not None:
            planned = self.within(planned, max_slides)
        self.spare = None if max_slides is None else max_slides - len(planned)
        self.kept = planned
        # A section's points and paragraphs are shared out over its chart slides that are kept.
        charts_kept: dict[str, list[ChartSpec]] = {}
        for item in planned:
            if item.role is Role.CHART:
                charts_kept.setdefault(item.section.id, []).append(item.chart)
        for item in planned:
            if item.role is Role.TITLE:
                self.title_slide()
            elif item.role is Role.AGENDA:
                self.agenda_slide()
            elif item.role is Role.KEY_FIGURES:
                self.key_figures_slide()
            elif item.role is Role.CHART:
                section = item.section
                charts = charts_kept[section.id]
                number = charts.index(item.chart)
                points = _chunks(list(section.points), len(charts))[number]
                paragraphs = _chunks(list(section.paragraphs), len(charts))[number]
                leftover = self.chart_slide(section, item.chart, points,
                                            ([section.lead] if number == 0 else []) + paragraphs)
                if leftover:
                    self.points_slides(section, leftover, [], continued=True)
            elif item.role is Role.POINTS:
                self.points_slides(item.section, list(item.section.points),
                                   [item.section.lead, *item.section.paragraphs])
            elif item.role is Role.TIMELINE:
                self.timeline_slide(item.page, item.index)
            elif item.role is Role.SOURCES:
                self.sources_slide(*item.page, first=item.index == 0)
            elif item.role is Role.CLOSING:
                self.closing_slide()

    def title_slide(self) -> None:
        report, theme = self.report, self.theme
        self.new_slide(Role.TITLE)
        title = self.placeholder(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        lines = self.bilingual(report.title, bold=True, second_scale=0.55, second_bold=False)
        if title is not None:
            self.write_text(title, lines, max_size=40, min_size=24, anchor=MSO_ANCHOR.BOTTOM)
        subtitle = self.placeholder(PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        sub_lines = self.bilingual(report.subtitle, color=theme.muted, second_scale=0.8)
        if subtitle is not None:
            self.write_text(subtitle, sub_lines, max_size=20, min_size=12)
        details = Texts(tuple(
            Phrase(lang, "  ·  ".join((report.organisation.get(lang), report.period.get(lang),
                                       report.date_text.get(lang))))
            for lang in report.langs
        ))
        detail_lines = self.bilingual(details, color=theme.muted, second_scale=0.85)
        shape = self.placeholder(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE)
        if shape is not None:
            self.write_text(shape, detail_lines, max_size=14, min_size=9, anchor=MSO_ANCHOR.BOTTOM)
        else:
            rect = Rect(MARGIN * 2, self.slide_h - Inches(1.6), self.slide_w - 4 * MARGIN, Inches(0.9))
            self.text_box(rect, detail_lines, max_size=14, min_size=9, anchor=MSO_ANCHOR.BOTTOM)
        self.finish_slide(footer=False)
        sources = [source.title for source in report.sources]
        self.notes([
            (None, [report.title, report.subtitle]),
            (report.labels["prepared_by"], [report.author, details]),
            (report.labels["based_on"], sources),
        ])

    def agenda_items(self) -> list[Texts]:
        """Section titles, then the timeline and sources, for what the deck has."""
        items: list[Texts] = []
        seen: set[str] = set()
        for item in self.kept:
            if item.section is not None and item.section.id not in seen:
                seen.add(item.section.id)
                items.append(item.section.title)
        roles = {item.role for item in self.kept}
        if Role.TIMELINE in roles:
            items.append(self.report.timeline.title)
        if Role.SOURCES in roles:
            items.append(self.report.labels["sources"])
        return items

    def agenda_slide(self) -> None:
        theme = self.theme
        self.new_slide(Role.AGENDA)
        self.title(self.report.labels["agenda"])
        area = self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        items = self.agenda_items()
        columns = 1 if len(items) <= 7 else 2
        per_column = -(-len(items) // columns)
        col_w = (area.w - GAP * (columns - 1)) // columns
        row_h = min(area.h // max(per_column, 5), Inches(0.9))
        number_w = Inches(0.9)
        blocks = [[line.para() for line in self.bilingual(item)] for item in items]
        size = textfit.fit_all(blocks, col_w - number_w, row_h - Inches(0.12), self.measure,
                               max_size=22, min_size=12)
        for index, item in enumerate(items):
            column, row = divmod(index, per_column)
            x = area.x + column * (col_w + GAP)
            y = area.y + row * row_h
            self.text_box(Rect(x, y, number_w, row_h), [Line(f"{index + 1:02d}", "en", color=theme.accent,
                                                               bold=True)],
                          max_size=size * 1.1, min_size=10, anchor=MSO_ANCHOR.MIDDLE)
            self.text_box(Rect(x + number_w, y, col_w - number_w, row_h), self.bilingual(item),
                          max_size=size, min_size=size, size=size, anchor=MSO_ANCHOR.MIDDLE)
            if row < per_column - 1 and index < len(items) - 1:
                self.rule(x, y + row_h, x + col_w, y + row_h, theme.rule, 0.75)
        self.finish_slide()
        self.notes([(self.report.labels["agenda"], [])] + [
            (section.title, [section.lead]) for section in self.report.sections
        ])

    def key_figures_slide(self) -> None:
        theme, report = self.theme, self.report
        self.new_slide(Role.KEY_FIGURES)
        self.title(report.labels["key_figures"])
        area = self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        figures = list(report.key_figures)[:12]
        count = len(figures)
        columns = count if count <= 4 else (4 if count in (7, 8) or count > 9 else 3)
        rows = -(-count // columns)
        tile_w = (area.w - GAP * (columns - 1)) // columns
        tile_h = min((area.h - GAP * (rows - 1)) // rows, Inches(2.6))
        inset = Inches(0.2)
        derived = report.labels["derived"]

        def label_of(figure: Figure) -> Texts:
            label = figure.label
            if figure.derived and not any(derived.get(p.lang) in p.text for p in label):
                label = Texts(tuple(Phrase(p.lang, f"{p.text}（{derived.get(p.lang)}）" if p.lang == "zh"
                                           else f"{p.text} ({derived.get(p.lang)})") for p in label))
            return label

        def headline_lines(figure: Figure) -> list[Line]:
            lines = self.bilingual(figure.headline, color=theme.accent, bold=True, second_scale=0.5,
                                   second_color=theme.accent)
            return [replace(line, max_lines=1) for line in lines]  # a number must not break

        # The number and its label are fitted separately (each to one size across
        # tiles), so a long English number does not shrink every label with it.
        inner_w = tile_w - 2 * inset
        inner_h = tile_h - 2 * inset - Inches(0.06)
        heads = [[line.para() for line in headline_lines(f)] for f in figures]
        head_size = textfit.fit_all(heads, inner_w, inner_h // 2, self.measure, max_size=40, min_size=18)
        head_h = max(textfit.pt_to_emu(textfit.measure(block, textfit.emu_to_pt(inner_w), head_size,
                                                       self.measure)[1]) for block in heads)
        gap_pt = 8.0
        labels = [[line.para() for line in self.bilingual(label_of(f), second_scale=0.85)] for f in figures]
        label_size = textfit.fit_all(labels, inner_w, inner_h - head_h - Pt(gap_pt), self.measure,
                                     max_size=16, min_size=9)
        for index, figure in enumerate(figures):
            row, column = divmod(index, columns)
            rect = Rect(area.x + column * (tile_w + GAP), area.y + row * (tile_h + GAP), tile_w, tile_h)
            self.rect_shape(rect, theme.tint)
            self.rect_shape(Rect(rect.x, rect.y, rect.w, Inches(0.06)), theme.accent)
            lines = headline_lines(figure) + self.bilingual(
                label_of(figure), scale=label_size / head_size, space_before=gap_pt / head_size, second_scale=0.85)
            self.text_box(rect, lines, max_size=head_size, min_size=head_size, size=head_size,
                          insets=(inset, inset + Inches(0.06), inset, inset))
        self.finish_slide()
        self.notes([(report.labels["key_figures"], [])], figures)

    # -- sections --------------------------------------------------------------------

    def points_lines(self, points: Sequence[Texts]) -> list[Line]:
        lines: list[Line] = []
        for number, point in enumerate(points):
            lines += self.bilingual(point, bullet=True, space_before=0.7 if number else 0, second_scale=0.75)
        return lines

    def fit_points(self, shape_or_rect, points: Sequence[Texts], *, max_size: float = 20,
                   min_size: float = 12) -> int:
        """How many of ``points`` (from the first, at most :data:`MAX_POINTS`) fit the box
        at ``min_size`` pt or more."""
        rect = shape_or_rect if isinstance(shape_or_rect, Rect) else Rect.of(shape_or_rect)
        for count in range(min(len(points), MAX_POINTS), 0, -1):
            paras = [line.para() for line in self.points_lines(points[:count])]
            fit = textfit.fit(paras, rect.w, rect.h, self.measure, max_size=max_size, min_size=min_size)
            if fit.fits:
                return count
        return 1

    def talking_notes(self, section: Section, paragraphs: Sequence[Texts], figures: Sequence[Figure]) -> None:
        self.notes([(self.report.labels["talking_points"], paragraphs)], figures, trim=True)

    def chart_slide(self, section: Section, chart: ChartSpec, points: list[Texts],
                    paragraphs: Sequence[Texts]) -> list[Texts]:
        """One section slide: title, native chart with caption, points. Returns points that
        did not fit (for a continuation slide)."""
        self.new_slide(Role.CHART)
        self.title(section.title)
        body = self.placeholder(PP_PLACEHOLDER.BODY)
        chart_area = self.region(PP_PLACEHOLDER.CHART, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.PICTURE,
                                 fallback=self.content_fallback())
        if body is None:  # a template whose chart layout has no text placeholder: split the area
            full = chart_area
            chart_area = Rect(full.x, full.y, int(full.w * 0.6), full.h)
            body = self.current.shapes.add_textbox(Emu(chart_area.right + GAP), Emu(full.y),
                                                   Emu(full.right - chart_area.right - GAP), Emu(full.h))
        plot = Rect(chart_area.x, chart_area.y, chart_area.w, chart_area.h - CAPTION_H)
        self.native_chart(chart, plot)
        caption_lines = self.bilingual(chart.caption, color=self.theme.muted, second_scale=0.9)
        self.text_box(Rect(plot.x, plot.bottom + Inches(0.08), plot.w, CAPTION_H - Inches(0.08)), caption_lines,
                      max_size=11, min_size=8, anchor=MSO_ANCHOR.TOP)
        shown = points[: self.fit_points(body, points)] if points else []
        if shown:
            self.write_text(body, self.points_lines(shown), max_size=20, min_size=12)
        else:
            self.write_text(body, self.bilingual(section.lead, color=self.theme.muted, second_scale=0.8),
                            max_size=18, min_size=10)
        if int(body.left) >= plot.right or int(body.top) >= chart_area.bottom:
            # Reading order follows the layout: the chart and its caption, then the points
            # to their right or below (the footer, added next, comes last).
            tree = body._element.getparent()
            tree.remove(body._element)
            tree.append(body._element)
        self.finish_slide()
        leftover = points[len(shown):]
        figures = self.figures_in(section, points, chart)
        if leftover and not self.take_spare():  # no room for a continuation: say them instead
            self.talking_notes(section, [*paragraphs, *leftover], figures)
            return []
        self.talking_notes(section, paragraphs, self.figures_in(section, shown, chart))
        return leftover

    def points_slides(self, section: Section, points: list[Texts], paragraphs: Sequence[Texts], *,
                      continued: bool = False) -> None:
        """Points without a chart, full width, continuing onto more slides as needed."""
        first = True
        while points or first:
            if not first and not self.take_spare():
                break
            self.new_slide(Role.POINTS)
            self.title(section.title, suffix=self.label("continued") if (continued or not first) else None)
            body = self.placeholder(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
            if body is None:
                fallback = self.content_fallback()
                body = self.current.shapes.add_textbox(Emu(fallback.x), Emu(fallback.y), Emu(fallback.w),
                                                       Emu(fallback.h))
            count = self.fit_points(body, points, max_size=22) if points else 0
            shown, points = points[:count], points[count:]
            if shown:
                self.write_text(body, self.points_lines(shown), max_size=22, min_size=12)
            else:
                self.write_text(body, self.bilingual(section.lead), max_size=22, min_size=12)
            self.finish_slide()
            last = not points or (self.spare is not None and self.spare == 0)
            unsaid = points if last else []  # points no slide is left for go to the notes
            self.talking_notes(section, [*(paragraphs if first else []), *unsaid],
                               self.figures_in(section, shown + unsaid, None))
            first = False
            if last:
                break

    # -- charts -----------------------------------------------------------------------------

    def category_name(self, texts: Texts) -> str:
        """A category label: the edition's languages on separate lines, each cut to
        :data:`CATEGORY_CHARS` characters with an ellipsis (a native chart gives a long
        label the room of its plot; the full label stays in the notes and alt text)."""
        seen: list[str] = []
        for phrase in texts:
            text = phrase.text if len(phrase.text) <= CATEGORY_CHARS else phrase.text[:CATEGORY_CHARS - 1] + "…"
            if text not in seen:
                seen.append(text)
        return "\n".join(seen)

    def native_chart(self, spec: ChartSpec, rect: Rect):
        """Add ``spec`` as an editable chart in ``rect``; returns the graphic frame."""
        theme = self.theme
        kind = spec.kind
        number_format = "#,##0" if self.report.edition.primary == "en" else "0"
        data = CategoryChartData(number_format=number_format)
        if kind == "doughnut":
            values = spec.series[0].values
            total = sum(v for v in values if v) or 1
            data.categories = [
                self.category_name(Texts(tuple(
                    Phrase(p.lang, f"{p.text}  {label.get(p.lang)}" if label else p.text) for p in category)))
                for category, label in zip(spec.categories, spec.series[0].value_labels)
            ]
        else:
            data.categories = [self.category_name(category) for category in spec.categories]
        for series in spec.series:
            data.add_series(series.name.joined(" / "), list(series.values), number_format)
        frame = self.current.shapes.add_chart(CHART_TYPES[kind], Emu(rect.x), Emu(rect.y), Emu(rect.w),
                                              Emu(rect.h), data)
        for series in spec.series:  # every value is labelled (slivers by an annotation)
            for label in series.value_labels:
                for phrase in label or ():
                    self.on_phrase(phrase, phrase.text)
        chart = frame.chart
        chart.font.size = Pt(11)
        chart.font.color.rgb = _rgb(theme.ink)
        self.chart_title(chart, spec)

        plot = chart.plots[0]
        multi = len(spec.series) > 1
        chart.has_legend = multi or kind == "doughnut"
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.RIGHT if kind == "doughnut" else XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(10.5)

        if kind == "doughnut":
            plot.vary_by_categories = True
            oxml.set_hole_size(chart, 55)
            for index, point in enumerate(plot.series[0].points):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(theme.palette[index % len(theme.palette)])
                point.format.line.color.rgb = _rgb(theme.paper)
                value = values[index] or 0
                if value / total >= 0.05:
                    self.point_label(point, [f"{value / total:.0%}"], XL_LABEL_POSITION.CENTER, theme.paper)
        else:
            self.style_axes(chart, spec)
            plot.vary_by_categories = False
            if kind != "line":
                plot.gap_width = 60 if kind != "stacked_column" else 80
            if kind == "stacked_column":
                plot.overlap = 100
            stack_max = max(
                (sum(s.values[i] or 0 for s in spec.series) for i in range(len(spec.categories))), default=1
            ) or 1
            slivers: dict[int, list] = {}
            for index, (series_spec, series) in enumerate(zip(spec.series, plot.series)):
                color = theme.palette[index % len(theme.palette)] if multi else theme.accent
                if kind == "line":
                    series.format.line.color.rgb = _rgb(color)
                    series.format.line.width = Pt(2.25)
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = _rgb(color)
                    series.smooth = False
                else:
                    series.format.fill.solid()
                    series.format.fill.fore_color.rgb = _rgb(color)
                for point_index, (value, label) in enumerate(zip(series_spec.values, series_spec.value_labels)):
                    if value is None or label is None:
                        continue
                    texts = [p.text for p in label]
                    if kind == "stacked_column":
                        if value / stack_max < SLIVER:
                            slivers.setdefault(point_index, []).append((index, series_spec, label))
                            continue  # the label would cover its neighbours: annotated above instead
                        self.point_label(series.points[point_index], texts[:1] if len(set(texts)) == 1 else texts,
                                         XL_LABEL_POSITION.CENTER, theme.paper)
                    else:
                        position = XL_LABEL_POSITION.ABOVE if kind == "line" else XL_LABEL_POSITION.OUTSIDE_END
                        self.point_label(series.points[point_index], texts, position, theme.ink)
            if slivers:
                self.annotate_slivers(chart, spec, rect, slivers, stack_max)
        oxml.set_chart_fonts(chart, theme.fonts.latin, theme.fonts.cjk)
        oxml.set_descr(frame, spec.alt.joined("\n"))
        return frame

    def annotate_slivers(self, chart, spec: ChartSpec, rect: Rect, slivers: dict[int, list],
                         stack_max: float) -> None:
        """Stacked segments too thin for a label get a note above their column.

        The plot area and value-axis maximum are fixed so the column's top can be
        computed: inner plot between the title (top) and the category labels and
        legend (bottom), in fractions of the chart frame.
        """
        langs = len(self.report.langs)
        title_h = Pt(14 * 1.45 * langs) + Inches(0.25)
        legend_rows = 2 if len(spec.series) > 2 else 1
        bottom_h = Pt(11 * 1.4 * langs) + Pt(10.5 * 1.6 * legend_rows) + Inches(0.35)
        x0, w0 = 0.03, 0.94
        y0 = title_h / rect.h
        h0 = max(0.3, 1 - y0 - bottom_h / rect.h)
        oxml.set_plot_area_layout(chart, x0, y0, w0, h0)
        axis_max = stack_max * 1.05
        chart.value_axis.maximum_scale = axis_max
        chart.value_axis.minimum_scale = 0
        count = len(spec.categories)
        plot_x, plot_w = rect.x + int(rect.w * x0), int(rect.w * w0)
        plot_y, plot_h = rect.y + int(rect.h * y0), int(rect.h * h0)
        for column, segments in slivers.items():
            total = sum(s.values[column] or 0 for s in spec.series)
            top = plot_y + int(plot_h * (1 - total / axis_max))
            centre = plot_x + int(plot_w * (column + 0.5) / count)
            lines: list[Line] = []
            for series_index, series_spec, label in reversed(segments):  # top of the stack first
                color = self.theme.palette[series_index % len(self.theme.palette)]
                named = Texts(tuple(Phrase(p.lang, f"{series_spec.name.get(p.lang)} {label.get(p.lang)}")
                                    for p in label))
                lines += self.bilingual(named, color=color, bold=True, second_scale=0.85,
                                        space_before=0.3 if lines else 0, align=PP_ALIGN.CENTER)
            width = int(plot_w / count * 0.96)
            height = min(top - plot_y, Inches(1.6))
            self.text_box(Rect(centre - width // 2, top - height - Inches(0.05), width, height), lines,
                          max_size=10.5, min_size=8, anchor=MSO_ANCHOR.BOTTOM)

    def chart_title(self, chart, spec: ChartSpec) -> None:
        title = spec.title
        if spec.log_scale:
            scale = self.report.labels["log_scale"]
            title = Texts(tuple(Phrase(p.lang, p.text + scale.get(p.lang)) for p in title))
        chart.has_title = True
        frame = chart.chart_title.text_frame
        lines = self.bilingual(title, bold=True, second_scale=0.8)
        self.write_paragraphs(frame, lines, 14, exact=False)

    def point_label(self, point, texts: Sequence[str], position: XL_LABEL_POSITION, color: str) -> None:
        """A data label with the edition's formatting (``768万`` / ``7.68 million``),
        one line per language; later languages smaller and muted."""
        label = point.data_label
        frame = label.text_frame
        unique: list[str] = []
        for text in texts:
            if text not in unique:
                unique.append(text)
        langs = self.report.langs
        lines = [
            Line(text, langs[min(i, len(langs) - 1)], 1.0 if i == 0 else 0.85,
                 color if i == 0 or color == self.theme.paper else self.theme.muted, bold=(i == 0))
            for i, text in enumerate(unique)
        ]
        self.write_paragraphs(frame, lines, 11, exact=False)
        label.position = position

    def style_axes(self, chart, spec: ChartSpec) -> None:
        theme = self.theme
        category = chart.category_axis
        category.has_major_gridlines = False
        category.major_tick_mark = XL_TICK_MARK.NONE
        category.format.line.color.rgb = _rgb(theme.rule)
        category.tick_labels.font.size = Pt(11)
        category.tick_labels.font.color.rgb = _rgb(theme.ink)
        if spec.kind == "bar":
            category.reverse_order = True  # first category at the top, as it reads
        value = chart.value_axis
        value.major_tick_mark = XL_TICK_MARK.NONE
        value.format.line.fill.background()
        if spec.log_scale:
            # Bars on a log axis mislead without a scale: keep tick labels and light gridlines.
            oxml.set_log_scale(value, 10)
            value.has_major_gridlines = True
            value.major_gridlines.format.line.color.rgb = _rgb(theme.rule)
            value.major_gridlines.format.line.width = Pt(0.75)
            value.tick_labels.font.size = Pt(9)
            value.tick_labels.font.color.rgb = _rgb(theme.muted)
            value.tick_labels.number_format = "#,##0"
            value.tick_labels.number_format_is_linked = False
        else:
            # Data labels carry every value in the edition's own number style.
            value.has_major_gridlines = False
            value.visible = False
            if spec.kind != "line":
                value.minimum_scale = 0
            if spec.kind in ("column", "line"):
                # Headroom above the tallest column for its label (a line per language),
                # so the label stays clear of the chart title.
                top = max((v for series in spec.series for v in series.values if v is not None), default=0)
                if top > 0:
                    value.maximum_scale = top * (1 + 0.1 * (len(self.report.langs) + 1))

    # -- timeline ---------------------------------------------------------------------------

    def timeline_slide(self, group, number: int) -> None:
        """One slide of the timeline: ``group`` is up to :data:`TIMELINE_EVENTS` events."""
        timeline = self.report.timeline
        self.new_slide(Role.TIMELINE)
        self.title(timeline.title, suffix=self.label("continued") if number else None)
        area = self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        self.draw_timeline(group, area)
        self.finish_slide()
        figures: list[Figure] = []
        for event in group:
            figures += [f for f in event.figures if f not in figures]
        entries = [
            Texts(tuple(Phrase(lang, f"{e.date.get(lang)}：{e.title.get(lang)}" if lang == "zh"
                               else f"{e.date.get(lang)}: {e.title.get(lang)}") for lang in self.report.langs))
            for e in group
        ]
        lead = [timeline.lead] if timeline.lead is not None and number == 0 else []
        self.notes([(self.report.labels["talking_points"], lead + entries)], figures)

    def draw_timeline(self, events, area: Rect) -> None:
        """A horizontal line with one marker per event (equally spaced: dates cluster in
        February), labels alternating above and below. Grouped, with alt text."""
        theme = self.theme
        group = self.current.shapes.add_group_shape()
        shapes = group.shapes
        count = len(events)
        legend_h = Inches(0.35)
        mid = area.y + (area.h - legend_h) // 2
        # Markers are spaced so that each label, centred on its marker and two steps
        # wide (neighbours alternate above and below), stays inside the area.
        gap = Inches(0.15)
        step = (area.w + gap) // (count + 1)
        label_w = min(2 * step - gap, area.w)
        first_x = area.x + label_w // 2
        stub = Inches(0.32)
        label_h = (area.h - legend_h) // 2 - stub - Inches(0.05)
        radius = Inches(0.11)
        self.rule(area.x, mid, area.right, mid, theme.rule, 2.5, shapes=shapes)

        def lines(event) -> list[Line]:
            date = self.bilingual(event.date, color=theme.accent, bold=True, second_scale=0.8)
            date = [date[0]] if len(date) > 1 and date[0].text == date[1].text else date
            if len(date) > 1:
                date = [Line(f"{date[0].text}  {date[1].text}", date[0].lang, 1.0, theme.accent, True)]
            date = [replace(line, max_lines=1) for line in date]
            return date + self.bilingual(event.title, space_before=0.25, second_scale=0.85)

        blocks = [[line.para() for line in lines(event)] for event in events]
        size = textfit.fit_all(blocks, label_w, label_h, self.measure, max_size=15, min_size=9)
        for index, event in enumerate(events):
            cx = first_x + step * index if count > 1 else area.x + area.w // 2
            above = index % 2 == 0
            marker = Rect(cx - radius, mid - radius, 2 * radius, 2 * radius)
            self.rect_shape(marker, theme.paper if event.derived_date else theme.accent, line=theme.accent,
                            shape=MSO_SHAPE.OVAL, shapes=shapes)
            if above:
                self.rule(cx, mid - radius, cx, mid - stub, theme.rule, 1, shapes=shapes)
                top = mid - stub - label_h
            else:
                self.rule(cx, mid + radius, cx, mid + stub, theme.rule, 1, shapes=shapes)
                top = mid + stub
            box = shapes.add_textbox(Emu(cx - label_w // 2), Emu(top), Emu(label_w), Emu(label_h))
            self.write_text(box, [replace(line, align=PP_ALIGN.CENTER) for line in lines(event)], max_size=size,
                            min_size=size, size=size, anchor=MSO_ANCHOR.BOTTOM if above else MSO_ANCHOR.TOP)
        if any(event.derived_date for event in events):
            y = area.bottom - legend_h
            self.rect_shape(Rect(area.x, y + legend_h // 2 - Inches(0.07), Inches(0.14), Inches(0.14)),
                            theme.paper, line=theme.accent, shape=MSO_SHAPE.OVAL, shapes=shapes)
            box = shapes.add_textbox(Emu(area.x + Inches(0.25)), Emu(y), Emu(area.w // 2), Emu(legend_h))
            self.write_text(box, [Line(self.label("derived_date").joined(" / "), self.report.langs[0],
                                       color=theme.muted)], max_size=10, min_size=8, anchor=MSO_ANCHOR.MIDDLE)
        oxml.set_descr(group, self.report.timeline.chart.alt.joined("\n"))

    # -- sources and closing -------------------------------------------------------------

    def source_rows(self, source) -> list[tuple[list[Line], list[Line], list[Line]]]:
        theme, labels = self.theme, self.report.labels
        rows = []
        for figure in source.figures:
            where = figure.provenance.where
            value = self.bilingual(figure.text, scale=1.0, second_scale=0.85)
            if figure.derived:  # marked in each language, after the value
                value = [replace(line, tag=("  " + labels["derived"].get(line.lang)), tag_color=theme.accent)
                         for line in value]
            rows.append((
                self.bilingual(where, color=theme.muted, second_scale=0.85),
                self.bilingual(figure.label, second_scale=0.85),
                value,
            ))
        return rows

    # The sources table: three columns sharing each table's width, fixed type size (pt).
    SOURCE_COLUMNS = (0.2, 0.5, 0.3)
    SOURCE_SIZE = 10.5
    CELL_PAD = (Inches(0.06), Inches(0.04), Inches(0.06), Inches(0.04))

    def source_header(self) -> list[list[Line]]:
        theme, labels = self.theme, self.report.labels
        return [self.bilingual(labels[key], color=theme.muted, bold=True, second_scale=0.85)
                for key in ("where", "figure", "value")]

    def row_height(self, cells, table_w: int) -> int:
        """Height (EMU) a table row needs: its tallest cell, measured."""
        pad = self.CELL_PAD
        height = 0
        for lines, share in zip(cells, self.SOURCE_COLUMNS):
            width = int(table_w * share) - pad[0] - pad[2]
            _, used = textfit.measure([line.para() for line in lines], textfit.emu_to_pt(width),
                                      self.SOURCE_SIZE, self.measure)
            height = max(height, textfit.pt_to_emu(used) + pad[1] + pad[3] + Inches(0.03))
        return height

    def sources_geometry(self, source) -> tuple[Rect, int, int]:
        """Content area of the sources layout, the top of its tables and their width."""
        area = self.layout_region(Role.SOURCES, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        paras = [line.para() for line in self.source_heading(source)]
        fit = textfit.fit(paras, area.w, Inches(0.75), self.measure, max_size=14, min_size=10)
        top = area.y + textfit.pt_to_emu(fit.height) + Inches(0.15)
        return area, top, (area.w - GAP) // 2

    def source_pages(self, source) -> list[list[list[int]]]:
        """Rows of ``source``'s table per slide and per column (two tables side by side)."""
        rows = self.source_rows(source)
        area, top, table_w = self.sources_geometry(source)
        header = self.row_height(self.source_header(), table_w)
        heights = [self.row_height(row, table_w) for row in rows]
        pages: list[list[list[int]]] = []
        next_row = 0
        while next_row < len(rows) or not pages:
            columns: list[list[int]] = []
            for column in range(2):
                left = len(rows) - next_row
                if not left:
                    break
                used, take = header, 0
                while take < left and top + used + heights[next_row + take] <= area.bottom:
                    used += heights[next_row + take]
                    take += 1
                take = max(take, 1)  # a row taller than the page is placed anyway
                if column == 0 and 1 < left <= 2 * take:
                    take = -(-left // 2)  # the last slide: balance the two tables
                columns.append(list(range(next_row, next_row + take)))
                next_row += take
            pages.append(columns)
        return pages

    def sources_slide(self, source, columns: list[list[int]], *, first: bool) -> None:
        """One slide of ``source``'s table: ``columns`` are row indices per table."""
        labels = self.report.labels
        self.new_slide(Role.SOURCES)
        self.title(labels["sources"], suffix=self.label("continued") if not first else None)
        self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        area, top, table_w = self.sources_geometry(source)
        self.text_box(Rect(area.x, area.y, area.w, Inches(0.75)), self.source_heading(source), max_size=14,
                      min_size=10)
        rows = self.source_rows(source)
        header = self.source_header()
        shown: list[Figure] = []
        for column, indices in enumerate(columns):
            cells = [header] + [rows[i] for i in indices]
            heights = [self.row_height(row, table_w) for row in cells]
            x = area.x + column * (table_w + GAP)
            self.sources_table(Rect(x, top, table_w, sum(heights)), cells, heights, self.SOURCE_COLUMNS,
                               self.SOURCE_SIZE, self.CELL_PAD)
            shown += [source.figures[i] for i in indices]
        self.finish_slide()
        method = list(self.report.method) if first else []
        derived = [self.figure_source(f) for f in shown if f.derived]
        self.notes([(labels["method"], method), (labels["derived_figures"], derived)] if derived or method
                   else [(labels["sources"], [])])

    def source_heading(self, source) -> list[Line]:
        lines = self.bilingual(source.title, bold=True, second_scale=0.85)
        meta = Texts(tuple(Phrase(lang, " · ".join(filter(None, (source.publisher.get(lang), source.kind.get(lang),
                                                                   source.url or ""))))
                           for lang in self.report.langs))
        lines += self.bilingual(meta, scale=0.85, color=self.theme.muted, second_scale=0.9)
        return lines

    def sources_table(self, rect: Rect, rows, heights, shares, size: float, pad) -> None:
        theme = self.theme
        frame = self.current.shapes.add_table(len(rows), 3, Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h))
        table = frame.table
        oxml.set_table_style(table)
        table.first_row = True
        table.horz_banding = False
        for index, share in enumerate(shares):
            table.columns[index].width = Emu(int(rect.w * share))
        for row_index, (cells, height) in enumerate(zip(rows, heights)):
            table.rows[row_index].height = Emu(height)
            for col_index, lines in enumerate(cells):
                cell = table.cell(row_index, col_index)
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(theme.tint if row_index % 2 == 0 and row_index else theme.paper)
                self.write_text(cell, lines, max_size=size, min_size=size, size=size, insets=pad)
                oxml.set_cell_border(cell, "B", Pt(0.75) if row_index == 0 else 0,
                                         theme.ink if row_index == 0 else None)
                for side in ("L", "R", "T"):
                    oxml.set_cell_border(cell, side, 0, None)
        oxml.set_descr(frame, self.label("sources").joined(" / "))

    def closing_slide(self) -> None:
        report, theme = self.report, self.theme
        self.new_slide(Role.CLOSING)
        title = self.placeholder(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        if title is not None:
            self.write_text(title, self.bilingual(report.labels["thank_you"], color=theme.paper, bold=True,
                                                  second_color=theme.paper, second_scale=0.6),
                            max_size=44, min_size=24, anchor=MSO_ANCHOR.BOTTOM)
        subtitle = self.placeholder(PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        if subtitle is not None:
            lines = self.bilingual(report.labels["questions"], color=theme.paper, second_color=theme.paper,
                                   second_scale=0.8)
            lines += self.bilingual(report.organisation, scale=0.7, color=theme.paper, second_color=theme.paper,
                                    space_before=1.2, second_scale=0.9)
            self.write_text(subtitle, lines, max_size=22, min_size=12)
        self.finish_slide(footer=False)
        self.notes([(report.labels["questions"], [section.lead for section in report.sections])])
