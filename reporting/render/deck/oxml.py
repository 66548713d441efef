"""Low-level DrawingML/PresentationML tweaks python-pptx has no API for.

Each function edits the XML of one python-pptx object in place and keeps the
schema's child order, so PowerPoint opens the result without repair. Nothing
here knows about reports; the slide builders in :mod:`reporting.render.deck.builder`
call these.

- East Asian fonts: ``a:ea`` next to ``a:latin`` on runs and default run
  properties, and the theme's major/minor font scheme.
- Alt text: ``descr`` on a shape's ``p:cNvPr``; decorative shapes flagged as
  PowerPoint's "Mark as decorative" writes them, so screen readers skip them.
- Charts: logarithmic value axis (``c:scaling/c:logBase``), doughnut hole size,
  text properties of the whole chart.
- Paragraphs and runs: alignment, exact spacing, bullets (``a:buChar``/``a:buNone``),
  hanging indents, and whole text runs written in one go (python-pptx's setters are
  the slow part of a deck).
- Fields (slide number), table style id, shape removal and reading order.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn as _pptx_qn
from pptx.oxml.xmlchemy import OxmlElement

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

qn = functools.cache(_pptx_qn)
"""``"a:p"`` → ``"{http://...}p"``, remembered (python-pptx's builds an object per call)."""

LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
"""``lang`` attribute values PowerPoint's proofing and font fallback understand."""

TABLE_STYLE_NONE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
"""PowerPoint's built-in "No Style, No Grid" table style."""

# Children of a:rPr that come after a:ea (schema order).
_AFTER_EA = ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
# Children of a:pPr that come after the bullet elements.
_AFTER_BULLET = ("a:tabLst", "a:defRPr", "a:extLst")
_BULLET_TAGS = (
    "a:buClrTx",
    "a:buClr",
    "a:buSzTx",
    "a:buSzPct",
    "a:buSzPts",
    "a:buFontTx",
    "a:buFont",
    "a:buNone",
    "a:buAutoNum",
    "a:buChar",
    "a:buBlip",
)


def _insert_before(parent, child, successors: tuple[str, ...]) -> None:
    """Insert ``child`` before the first existing element named in ``successors``."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def set_fonts(rPr, latin: str, ea: str) -> None:
    """Give run properties (``a:rPr``/``a:defRPr``/``a:endParaRPr``) a Latin and an East
    Asian typeface. Without ``a:ea`` PowerPoint draws Chinese with whatever East
    Asian font the theme or the system picks — often a box or a serif fallback."""
    rPr.get_or_add_latin().set("typeface", latin)
    ea_el = rPr.find(qn("a:ea"))
    if ea_el is None:
        ea_el = OxmlElement("a:ea")
        _insert_before(rPr, ea_el, _AFTER_EA)
    ea_el.set("typeface", ea)


def retag(package, old: str, new: str) -> None:
    """Every ``lang`` attribute ``old`` in ``package``'s XML parts (slides, charts, notes)
    set to ``new``: a Traditional edition's Chinese is ``zh-Hant``, ``zh-HK`` or ``zh-TW``,
    not the ``zh-CN`` runs are written with."""
    for part in package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for node in element.iter():
            if node.get("lang") == old:
                node.set("lang", new)


def set_lang(rPr, lang: str) -> None:
    """Set ``lang`` (and ``altLang`` for Chinese) from a report language code."""
    rPr.set("lang", LANG_TAGS.get(lang, lang))
    if lang == "zh":
        rPr.set("altLang", LANG_TAGS["en"])
    elif "altLang" in rPr.attrib:
        del rPr.attrib["altLang"]


def set_descr(shape, text: str) -> None:
    """Alt text: the ``descr`` attribute of the shape's ``p:cNvPr`` (any shape kind)."""
    cNvPr = shape._element.find("./*/" + qn("p:cNvPr"))
    cNvPr.set("descr", text)


DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
DECORATIVE_EXT_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
"""The ``a:ext`` that carries ``adec:decorative`` (Office 2019 and later; older readers skip it)."""


def set_decorative(shape) -> None:
    """Flag a shape decorative: ``p:cNvPr/a:extLst/a:ext/adec:decorative val="1"``, as
    PowerPoint's "Mark as decorative" does. Screen readers skip it; it has no alt text."""
    cNvPr = shape._element.find("./*/" + qn("p:cNvPr"))
    if "descr" in cNvPr.attrib:
        del cNvPr.attrib["descr"]
    ext_lst = cNvPr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(cNvPr, qn("a:extLst"))  # last child of cNvPr, as the schema orders it
    for ext in ext_lst.findall(qn("a:ext")):
        if ext.get("uri") == DECORATIVE_EXT_URI:
            return
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri=DECORATIVE_EXT_URI)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}, val="1")


def set_log_scale(axis, base: int = 10) -> None:
    """Make a value axis logarithmic: ``c:scaling/c:logBase`` (first child of c:scaling)."""
    scaling = axis._element.find(qn("c:scaling"))
    log_base = scaling.find(qn("c:logBase"))
    if log_base is None:
        log_base = OxmlElement("c:logBase")
        scaling.insert(0, log_base)
    log_base.set("val", str(base))


def set_hole_size(chart, percent: int) -> None:
    """Doughnut hole as a percentage of the diameter (10–90)."""
    for doughnut in chart._chartSpace.iter(qn("c:doughnutChart")):
        hole = doughnut.find(qn("c:holeSize"))
        if hole is None:
            hole = etree.SubElement(doughnut, qn("c:holeSize"))
        hole.set("val", str(percent))


def set_chart_fonts(chart, latin: str, ea: str) -> None:
    """Default typefaces of all chart text (``c:chartSpace/c:txPr``), Latin and East Asian."""
    _ = chart.font  # creates c:txPr with a:defRPr when missing
    for defRPr in chart._chartSpace.find(qn("c:txPr")).iter(qn("a:defRPr")):
        set_fonts(defRPr, latin, ea)


@dataclass(frozen=True)
class Bullet:
    """A paragraph's bullet: ``char`` (None: explicitly none) hanging ``hang`` EMU to the
    left of the text, which starts ``margin`` EMU from the box's inset; ``color`` is
    ``#RRGGBB``, ``font`` a typeface."""

    char: str | None
    color: str | None = None
    font: str | None = None
    margin: int = 0
    hang: int = 0


# Children of a:pPr in schema order (python-pptx's CT_TextParagraphProperties).
_PPR_ORDER = ("a:lnSpc", "a:spcBef", "a:spcAft", *_BULLET_TAGS, "a:tabLst", "a:defRPr", "a:extLst")
_ALIGN_XML = {member: member.xml_value for member in PP_ALIGN}
_EMU_PER_PT = 12700
_EMU_PER_CENTIPOINT = 127


def centipoints(points: float) -> int:
    """``points`` as whole hundredths of a point, rounded the way ``pptx.util.Pt`` and
    python-pptx's font and spacing setters round them (so the XML is theirs to the byte)."""
    return int(points * _EMU_PER_PT) // _EMU_PER_CENTIPOINT


def add_paragraph(txBody):
    """Append a new empty ``a:p`` to a text body (``p:txBody``, ``a:txBody``, ``c:rich``)."""
    return etree.SubElement(txBody, qn("a:p"))


def paragraph_properties(p):
    """The ``a:pPr`` of paragraph ``p``, made (as its first child) when missing."""
    pPr = p.find(qn("a:pPr"))
    if pPr is None:
        pPr = etree.SubElement(p, qn("a:pPr"))
        p.insert(0, pPr)
    return pPr


def set_alignment(pPr, align: PP_ALIGN) -> None:
    """Horizontal alignment (``algn``)."""
    pPr.set("algn", _ALIGN_XML[align])


def forbid_hanging_punctuation(pPr) -> None:
    """Keep closing punctuation inside the line (``hangingPunct="0"``): text fitting never
    lets a comma hang past the line's end, and LibreOffice (PowerPoint too, for East Asian
    text) would otherwise draw one outside its box."""
    pPr.set("hangingPunct", "0")


def set_spacing(pPr, tag: str, points: float) -> None:
    """Line pitch (``a:lnSpc``) or space before (``a:spcBef``) as exact points."""
    for old in pPr.findall(qn(tag)):
        pPr.remove(old)
    spacing = pPr.makeelement(qn(tag))
    etree.SubElement(spacing, qn("a:spcPts")).set("val", str(centipoints(points)))
    _insert_before(pPr, spacing, _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def set_paragraph_bullet(pPr, bullet: Bullet) -> None:
    """Give paragraph properties ``pPr`` the bullet ``bullet`` (or explicitly none),
    replacing any it had, with its margin and hanging indent."""
    for tag in _BULLET_TAGS:
        for old in pPr.findall(qn(tag)):
            pPr.remove(old)
    pPr.set("marL", str(int(bullet.margin)))
    pPr.set("indent", str(-int(bullet.hang) if bullet.char else 0))
    elements = []
    if bullet.char is None:
        elements.append(pPr.makeelement(qn("a:buNone")))
    else:
        if bullet.color:
            clr = pPr.makeelement(qn("a:buClr"))
            etree.SubElement(clr, qn("a:srgbClr")).set("val", _hex(bullet.color))
            elements.append(clr)
        if bullet.font:
            elements.append(pPr.makeelement(qn("a:buFont"), typeface=bullet.font))
        elements.append(pPr.makeelement(qn("a:buChar"), char=bullet.char))
    for element in elements:
        _insert_before(pPr, element, _AFTER_BULLET)


_CONTROL_CHARACTERS = re.compile(r"([\x00-\x08\x0B-\x1F])")


def add_text_run(p, text: str, lang: str, *, size: float | None, color: str | None, bold: bool, latin: str, ea: str):
    """Append a run (``a:r``, before any ``a:endParaRPr``) of ``text`` in language
    ``lang``: ``size`` in points (None: inherited), ``color`` ``#RRGGBB`` or
    ``scheme:<slot>`` (a theme colour, e.g. ``scheme:dk1``; None: inherited), bold or not,
    Latin and East Asian typefaces (or theme font references such as ``+mn-lt``). Control characters are
    escaped as python-pptx escapes them (``_x0007_``). Returns the ``a:r``."""
    r = etree.SubElement(p, qn("a:r"))
    rPr = etree.SubElement(r, qn("a:rPr"))
    if size is not None:
        rPr.set("sz", str(centipoints(size)))
    rPr.set("b", "1" if bold else "0")
    set_lang(rPr, lang)
    if color and color.startswith("scheme:"):  # a reference to the theme's colour scheme
        fill = etree.SubElement(rPr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:schemeClr")).set("val", color.split(":", 1)[1])
    elif color:
        fill = etree.SubElement(rPr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", _hex(color))
    etree.SubElement(rPr, qn("a:latin")).set("typeface", latin)
    etree.SubElement(rPr, qn("a:ea")).set("typeface", ea)
    etree.SubElement(r, qn("a:t")).text = _CONTROL_CHARACTERS.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    end = p.find(qn("a:endParaRPr"))
    if end is not None:
        end.addprevious(r)
    return r


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def add_field(paragraph, kind: str = "slidenum", text: str = "‹#›"):
    """Append a field (``a:fld type="slidenum"``) to a paragraph; returns its ``a:rPr``.

    The id is fixed rather than random: PowerPoint only needs it to be a GUID.
    """
    fld = OxmlElement("a:fld")
    fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    fld.set("type", kind)
    rPr = OxmlElement("a:rPr")
    fld.append(rPr)
    t = OxmlElement("a:t")
    t.text = text
    fld.append(t)
    _insert_before(paragraph._p, fld, ("a:endParaRPr",))
    return rPr


def set_table_style(table, style_id: str = TABLE_STYLE_NONE) -> None:
    """Point a table at a built-in style (default: no style, no grid) so only our fills show."""
    tblPr = table._tbl.tblPr
    style = tblPr.find(qn("a:tableStyleId"))
    if style is None:
        style = etree.SubElement(tblPr, qn("a:tableStyleId"))
    style.text = style_id


def set_cell_border(cell, side: str, width: int, color: str | None) -> None:
    """Draw (``color``) or clear (``None``) one border of a table cell; ``side`` is
    ``L``, ``R``, ``T`` or ``B``; ``width`` in EMU."""
    tcPr = cell._tc.get_or_add_tcPr()
    tag = qn(f"a:ln{side}")
    for old in tcPr.findall(tag):
        tcPr.remove(old)
    ln = OxmlElement(f"a:ln{side}")
    ln.set("w", str(int(width)))
    if color is None:
        etree.SubElement(ln, qn("a:noFill"))
    else:
        fill = etree.SubElement(ln, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", color.lstrip("#").upper())
    # Borders precede the cell fill in a:tcPr (lnL, lnR, lnT, lnB, ..., fill).
    order = ["a:lnL", "a:lnR", "a:lnT", "a:lnB"]
    successors = tuple(order[order.index(f"a:ln{side}") + 1 :]) + (
        "a:lnTlToBr",
        "a:lnBlToTr",
        "a:cell3D",
        "a:noFill",
        "a:solidFill",
        "a:gradFill",
        "a:blipFill",
        "a:pattFill",
        "a:grpFill",
        "a:headers",
        "a:extLst",
    )
    _insert_before(tcPr, ln, successors)


def remove_style(shape) -> None:
    """Drop an autoshape's or connector's ``p:style`` (theme shadow, line and font
    references), so only the explicitly set fill and line show."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def set_plot_area_layout(chart, x: float, y: float, w: float, h: float) -> None:
    """Fix the inner plot area (axes' rectangle, without tick labels) at fractions of
    the chart's size, so positions of bars can be computed (annotations)."""
    plot_area = chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea"))
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = OxmlElement("c:layout")
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = OxmlElement("c:manualLayout")
    layout.append(manual)
    for tag, value in (
        ("c:layoutTarget", "inner"),
        ("c:xMode", "edge"),
        ("c:yMode", "edge"),
        ("c:x", x),
        ("c:y", y),
        ("c:w", w),
        ("c:h", h),
    ):
        element = OxmlElement(tag)
        element.set("val", f"{value:.4f}" if isinstance(value, float) else value)
        manual.append(element)


def remove_shape(shape) -> None:
    """Delete a shape (an unused placeholder) from its slide."""
    element = shape._element
    element.getparent().remove(element)


def move_to_front_of_reading_order(shape) -> None:
    """Make ``shape`` the first one a screen reader meets (first in ``p:spTree``)."""
    element = shape._element
    tree = element.getparent()
    tree.remove(element)
    # p:nvGrpSpPr and p:grpSpPr always lead the tree.
    tree.insert(2, element)


def remove_all_slides(presentation) -> None:
    """Drop the slides a template ships with (samples), keeping its masters and layouts."""
    id_list = presentation.slides._sldIdLst
    for sld_id in list(id_list):
        presentation.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


def theme_part(slide_master):
    return slide_master.part.part_related_by(RT.THEME)


def set_theme_fonts(
    slide_master, *, latin: str | None, ea: str, script: str = "Hans", only_if_empty: bool = False, keep=None
) -> None:
    """Set the theme's major (heading) and minor (body) fonts.

    ``latin`` (``None``: keep the template's) and ``ea`` go to ``a:latin``/``a:ea``;
    the ``a:font script="Hans"`` entry (what PowerPoint uses for Simplified Chinese)
    is set to ``ea`` too. With ``only_if_empty`` an existing East Asian typeface is
    kept — a corporate template's choice wins — if ``keep(typeface)`` says so when
    ``keep`` is given (a Latin font named as East Asian is replaced). Side effect:
    rewrites the theme part.
    """
    part = theme_part(slide_master)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{{{A_NS}}}fontScheme")
    for kind in ("majorFont", "minorFont"):
        font = scheme.find(f"{{{A_NS}}}{kind}")
        if latin is not None:
            font.find(f"{{{A_NS}}}latin").set("typeface", latin)
        ea_el = font.find(f"{{{A_NS}}}ea")
        if ea_el is None:
            ea_el = etree.Element(f"{{{A_NS}}}ea")
            font.find(f"{{{A_NS}}}latin").addnext(ea_el)
        if only_if_empty and ea_el.get("typeface") and (keep is None or keep(ea_el.get("typeface"))):
            continue
        ea_el.set("typeface", ea)
        hans = [f for f in font.findall(f"{{{A_NS}}}font") if f.get("script") == script]
        if hans:
            hans[0].set("typeface", ea)
        else:
            entry = etree.Element(f"{{{A_NS}}}font")
            entry.set("script", script)
            entry.set("typeface", ea)
            cs = font.find(f"{{{A_NS}}}cs")
            (cs if cs is not None else ea_el).addnext(entry)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _set_blob(part, blob)


def theme_fonts(slide_master) -> dict[str, dict[str, str]]:
    """``{"majorFont": {"latin": ..., "ea": ..., "Hans": ...}, "minorFont": {...}}`` (for tests)."""
    root = etree.fromstring(theme_part(slide_master).blob)
    out: dict[str, dict[str, str]] = {}
    for kind in ("majorFont", "minorFont"):
        font = root.find(f".//{{{A_NS}}}{kind}")
        entry = {
            child.tag.split("}")[1]: child.get("typeface", "")
            for child in font
            if child.tag in (f"{{{A_NS}}}latin", f"{{{A_NS}}}ea")
        }
        for script_font in font.findall(f"{{{A_NS}}}font"):
            entry[script_font.get("script")] = script_font.get("typeface")
        out[kind] = entry
    return out


def set_theme_colors(slide_master, colors: dict[str, str]) -> None:
    """Set colour-scheme slots (``dk1``, ``lt1``, ``accent1`` ...) to ``#RRGGBB`` values."""
    part = theme_part(slide_master)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{{{A_NS}}}clrScheme")
    for slot, value in colors.items():
        holder = scheme.find(f"{{{A_NS}}}{slot}")
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, f"{{{A_NS}}}srgbClr").set("val", value.lstrip("#").upper())
    _set_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _set_blob(part, blob: bytes) -> None:
    # The theme is a plain (non-XML) part in python-pptx: its bytes are the truth.
    if hasattr(part, "_element"):
        part._element = etree.fromstring(blob)
    else:
        part._blob = blob


def rotate_text(text_frame, degrees: float) -> None:
    """Turn a text frame's text (a chart's data label) by ``degrees``, -90 reading upwards."""
    text_frame._txBody.bodyPr.set("rot", str(int(degrees * 60000)))
    text_frame._txBody.bodyPr.set("vert", "horz")
