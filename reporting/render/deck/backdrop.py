"""What a slide layout puts behind the content: its background and its artwork.

A corporate master draws bands, triangles and photos on its layouts. The deck must
keep its content off that artwork and set its text in a colour that reads against
whatever is behind it. This module reads, for one slide layout:

- :func:`artwork`: the master's and the layout's own drawn shapes (not placeholders),
  each with its box and the colours it paints (solid fills, gradient stops, the
  darkest and lightest tones of a picture), and the drawn objects painted into a
  picture that fills the slide (:func:`picture_art`);
- :func:`colours_behind`: every colour a box on that layout may sit on;
- :func:`theme_colours` / :func:`theme_fonts`: the master theme's colour scheme and
  fonts, with ``bg1``/``tx1`` resolved through the master's colour map.

Nothing here writes: it only reads python-pptx objects and their XML. Lengths are EMU.
"""

from __future__ import annotations

import colorsys
import functools
import io
import warnings
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT


A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

BACKGROUND_SHARE = 0.9
"""A drawn shape covering this share of the slide is a background, not an obstacle."""


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    x: int
    y: int
    w: int
    h: int

    @classmethod
    def of(cls, shape) -> "Box":
        return cls(int(shape.left or 0), int(shape.top or 0), int(shape.width or 0), int(shape.height or 0))

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def area(self) -> int:
        return max(self.w, 0) * max(self.h, 0)

    def intersection(self, other: "Box") -> int:
        """Area (EMU²) the two boxes share; 0 when they only touch."""
        w = min(self.right, other.right) - max(self.x, other.x)
        h = min(self.bottom, other.bottom) - max(self.y, other.y)
        return w * h if w > 0 and h > 0 else 0

    def contains(self, other: "Box") -> bool:
        return self.x <= other.x and self.y <= other.y and other.right <= self.right and other.bottom <= self.bottom


@dataclass(frozen=True)
class Art:
    """One drawn shape of a master or layout: where it is and the colours it paints
    (``#RRGGBB``; empty when it paints nothing opaque, e.g. an outline-free empty frame)."""

    box: Box
    colours: tuple[str, ...]
    kind: str
    on_master: bool = True
    paints: tuple = ()
    """The colours with their opacity (:data:`Paint`)."""
    """Drawn on the slide master (else on the layout itself)."""


# -- colours -------------------------------------------------------------------------


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02X}" for c in rgb)


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _modified(colour: str, element) -> str:
    """Apply DrawingML colour transforms (lumMod/lumOff, tint, shade) to ``colour``."""
    r, g, b = _rgb(colour)
    for child in element:
        tag = etree.QName(child).localname
        value = int(child.get("val", "100000")) / 100000
        if tag in ("lumMod", "lumOff"):
            h, lightness, s = colorsys.rgb_to_hls(r, g, b)
            lightness = lightness * value if tag == "lumMod" else lightness + value
            r, g, b = colorsys.hls_to_rgb(h, min(max(lightness, 0.0), 1.0), s)
        elif tag == "tint":  # towards white
            r, g, b = (1 - (1 - c) * value for c in (r, g, b))
        elif tag == "shade":  # towards black
            r, g, b = (c * value for c in (r, g, b))
    return _hex((r, g, b))


def _alpha(element) -> float:
    found = element.find(f"{{{A}}}alpha")
    return int(found.get("val")) / 100000 if found is not None else 1.0


class Palette:
    """A master's theme colours, with the colour map (``bg1`` → ``lt1`` ...) applied."""

    def __init__(self, master):
        self.slots = theme_colours(master)
        clr_map = master._element.find(f"{{{P}}}clrMap")
        self.mapping = dict(clr_map.attrib) if clr_map is not None else {}

    def scheme(self, name: str) -> str | None:
        name = self.mapping.get(name, name)
        return self.slots.get(name)

    def colour(self, element, placeholder: str | None = None) -> tuple[str | None, float]:
        """``(#RRGGBB, alpha)`` of a colour choice element's child (srgbClr, schemeClr,
        sysClr, prstClr); ``placeholder`` stands in for ``phClr`` (a style's colour)."""
        for child in element:
            tag = etree.QName(child).localname
            if tag == "srgbClr":
                base = "#" + child.get("val", "000000").upper()
            elif tag == "schemeClr":
                value = child.get("val")
                base = placeholder if value == "phClr" else self.scheme(value)
            elif tag == "sysClr":
                base = "#" + child.get("lastClr", "000000").upper()
            elif tag == "prstClr":
                base = {"black": "#000000", "white": "#FFFFFF"}.get(child.get("val"), "#808080")
            else:
                continue
            if base is None:
                return None, 0.0
            return _modified(base, child), _alpha(child)
        return None, 0.0


def theme_colours(master) -> dict[str, str]:
    """The master theme's colour scheme: ``{"dk1": "#000000", "lt1": ..., "accent1": ...}``."""
    root = _theme_root(master)
    scheme = root.find(f".//{{{A}}}clrScheme")
    out: dict[str, str] = {}
    if scheme is None:
        return out
    for slot in scheme:
        name = etree.QName(slot).localname
        for child in slot:
            tag = etree.QName(child).localname
            if tag == "srgbClr":
                out[name] = "#" + child.get("val", "000000").upper()
            elif tag == "sysClr":
                out[name] = "#" + child.get("lastClr", "000000").upper()
    return out


def theme_fonts(master) -> dict[str, str]:
    """``{"major": latin, "minor": latin, "major_ea": ..., "minor_ea": ...}``; empty
    strings where the theme names no typeface."""
    root = _theme_root(master)
    out = {"major": "", "minor": "", "major_ea": "", "minor_ea": ""}
    for kind, key in (("majorFont", "major"), ("minorFont", "minor")):
        font = root.find(f".//{{{A}}}{kind}")
        if font is None:
            continue
        latin = font.find(f"{{{A}}}latin")
        ea = font.find(f"{{{A}}}ea")
        out[key] = latin.get("typeface", "") if latin is not None else ""
        hans = [f.get("typeface", "") for f in font.findall(f"{{{A}}}font") if f.get("script") == "Hans"]
        out[key + "_ea"] = (ea.get("typeface", "") if ea is not None else "") or (hans[0] if hans else "")
    return out


def _theme_root(master):
    part = master.part.part_related_by(RT.THEME)
    blob = part.blob if not hasattr(part, "_element") else etree.tostring(part._element)
    return etree.fromstring(blob)


# -- fills ---------------------------------------------------------------------------


def _picture_tones(part, r_id: str, crop: tuple[float, float, float, float] | None) -> tuple[str, ...]:
    """The darkest and lightest tones (5th and 95th luminance percentiles) of a picture,
    or of the part of it given by ``crop`` (fractions left, top, right, bottom)."""
    try:
        image_part = part.related_part(r_id)
    except (KeyError, OSError, ValueError):
        return ()
    try:  # its pixels were counted against the project's budget when the master was opened
        return _tones(image_part.blob, crop)
    except (KeyError, OSError, ValueError):
        return ()


@functools.lru_cache(maxsize=64)
def _tones(blob: bytes, crop: tuple[float, float, float, float] | None) -> tuple[str, ...]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # past Pillow's own guard, within a budget the project raised
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(blob))
            image.draft("RGB", (256, 256))
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ()  # a vector picture (EMF, SVG) Pillow cannot read, or one past twice Pillow's guard
    image.thumbnail((256, 256))
    if crop is not None:
        w, h = image.size
        left, top, right, bottom = crop
        box = (
            int(left * w),
            int(top * h),
            max(int(left * w) + 1, int(right * w)),
            max(int(top * h) + 1, int(bottom * h)),
        )
        image = image.crop(box)
    data = image.tobytes()  # RGBA, four bytes a pixel
    pixels = [tuple(data[i : i + 4]) for i in range(0, len(data), 4) if data[i + 3] > 128]
    if not pixels:
        return ()
    pixels.sort(key=lambda p: 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2])
    picks = {pixels[int((len(pixels) - 1) * q)] for q in (0.05, 0.5, 0.95)}
    return tuple(sorted(f"#{p[0]:02X}{p[1]:02X}{p[2]:02X}" for p in picks))


Paint = tuple[str, float]
"""A colour a fill paints and its opacity (0 to 1)."""

OPAQUE = 0.95
"""Paint at least this opaque hides what is under it."""


def fill_paints(
    fill_parent, palette: Palette, part, *, crop=None, style_colour: str | None = None
) -> tuple[Paint, ...] | None:
    """Colours a fill paints, with their opacity: ``()`` for none, ``None`` when the
    element has no fill of its own (it inherits)."""
    if fill_parent is None:
        return None
    for child in fill_parent:
        tag = etree.QName(child).localname
        if tag == "noFill":
            return ()
        if tag == "solidFill":
            colour, alpha = palette.colour(child, style_colour)
            return ((colour, alpha),) if colour and alpha > 0.05 else ()
        if tag == "gradFill":
            stops = []
            for stop in child.iter(f"{{{A}}}gs"):
                colour, alpha = palette.colour(stop, style_colour)
                if colour and alpha > 0.05:
                    stops.append((colour, alpha))
            return tuple(dict.fromkeys(stops))
        if tag == "blipFill":
            blip = child.find(f"{{{A}}}blip")
            r_id = blip.get(f"{{{R}}}embed") if blip is not None else None
            return tuple((c, 1.0) for c in _picture_tones(part, r_id, crop)) if r_id else ()
        if tag == "pattFill":
            fg, bg = (
                palette.colour(found, style_colour)[0] if found is not None else None
                for found in (child.find(f"{{{A}}}fgClr"), child.find(f"{{{A}}}bgClr"))
            )
            if fg and bg:  # what the eye sees: the two blended by how much the pattern covers
                return ((_blend(fg, bg, _pattern_cover(child.get("prst", ""))), 1.0),)
            return tuple((c, 1.0) for c in (fg, bg) if c)
    return None


def fill_colours(
    fill_parent, palette: Palette, part, *, crop=None, style_colour: str | None = None
) -> tuple[str, ...] | None:
    """The colours of :func:`fill_paints` at least half opaque (``None``: no fill of its own)."""
    paints = fill_paints(fill_parent, palette, part, crop=crop, style_colour=style_colour)
    return None if paints is None else tuple(dict.fromkeys(c for c, a in paints if a >= 0.5))


def over(paints: tuple[Paint, ...], below: tuple[str, ...]) -> tuple[str, ...]:
    """What shows where ``paints`` lie on ``below``: opaque paints as they are, translucent
    ones blended onto each colour below (and, for a gradient reaching full transparency,
    what is below as it is)."""
    out: list[str] = []
    for colour, alpha in paints:
        if alpha >= OPAQUE or not below:
            out.append(colour)
        else:
            out += [_blend(colour, base, alpha) for base in below]
    if any(alpha < OPAQUE for _, alpha in paints) and len(paints) > 1 and min(a for _, a in paints) < 0.5:
        out += below
    return tuple(dict.fromkeys(out))


def _pattern_cover(preset: str) -> float:
    """Share of a DrawingML preset pattern drawn in its foreground colour."""
    if preset.startswith("pct"):
        return int(preset[3:] or 50) / 100
    if preset.startswith(
        (
            "lt",
            "nar",
            "dash",
            "sm",
            "lg",
            "dot",
            "wd",
            "sphere",
            "zigZag",
            "wave",
            "horz",
            "vert",
            "cross",
            "diag",
            "upDiag",
            "dnDiag",
        )
    ) or preset in ("plaid", "weave", "trellis"):
        return 0.2
    return 0.5


def _blend(first: str, second: str, share: float) -> str:
    a, b = _rgb(first), _rgb(second)
    return _hex(tuple(x * share + y * (1 - share) for x, y in zip(a, b)))


def background_colours(layout, box: Box | None = None, slide_size: tuple[int, int] | None = None) -> tuple[str, ...]:
    """Colours of a layout's background (its own ``p:bg``, else its master's): one
    for a solid fill, the stops of a gradient, the tones of a picture (under ``box``
    when given). White when none is set (PowerPoint's default)."""
    palette = Palette(layout.slide_master)
    for owner in (layout, layout.slide_master):
        bg = owner._element.find(f"{{{P}}}cSld/{{{P}}}bg")
        if bg is None:
            continue
        bg_pr = bg.find(f"{{{P}}}bgPr")
        if bg_pr is not None:
            crop = _crop(box, slide_size) if box is not None and slide_size else None
            colours = fill_colours(bg_pr, palette, owner.part, crop=crop)
            if colours:
                return colours
            continue
        bg_ref = bg.find(f"{{{P}}}bgRef")
        if bg_ref is not None:
            colour, _ = palette.colour(bg_ref)
            if colour:
                return (colour,)
    return (palette.scheme("bg1") or "#FFFFFF",)


def _crop(box: Box, size: tuple[int, int]) -> tuple[float, float, float, float]:
    w, h = size
    return (max(box.x / w, 0.0), max(box.y / h, 0.0), min(box.right / w, 1.0), min(box.bottom / h, 1.0))


def _shape_box(element) -> Box | None:
    xfrm = None
    for path in (f"{{{P}}}spPr/{{{A}}}xfrm", f"{{{P}}}grpSpPr/{{{A}}}xfrm", f"{{{P}}}xfrm"):
        xfrm = element.find(path)
        if xfrm is not None:
            break
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{{{A}}}off"), xfrm.find(f"{{{A}}}ext")
    if off is None or ext is None:
        return None
    return Box(int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))


def _shape_paints(element, palette: Palette, part) -> tuple[Paint, ...]:
    """Paints of an ``p:sp``/``p:pic``/``p:grpSp``/``p:cxnSp``, children included."""
    tag = etree.QName(element).localname
    if tag == "grpSp":
        paints: list[Paint] = []
        for child in element:
            if etree.QName(child).localname in ("sp", "pic", "grpSp", "cxnSp"):
                paints += _shape_paints(child, palette, part)
        return tuple(dict.fromkeys(paints))
    if tag == "pic":
        blip_fill = element.find(f"{{{P}}}blipFill")
        blip = blip_fill.find(f"{{{A}}}blip") if blip_fill is not None else None
        r_id = blip.get(f"{{{R}}}embed") if blip is not None else None
        return tuple((c, 1.0) for c in _picture_tones(part, r_id, None)) if r_id else ()
    sp_pr = element.find(f"{{{P}}}spPr")
    own = fill_paints(sp_pr, palette, part)
    paints = list(own or ())
    if own is None:
        # No fill of its own: the shape style's fill reference, if any.
        style = element.find(f"{{{P}}}style/{{{A}}}fillRef")
        if style is not None and style.get("idx", "0") != "0":
            colour, alpha = palette.colour(style)
            if colour:
                paints.append((colour, alpha))
    line = sp_pr.find(f"{{{A}}}ln") if sp_pr is not None else None
    if line is not None and tag in ("sp", "cxnSp"):
        line_paints = fill_paints(line, palette, part)
        if line_paints and int(line.get("w", "12700")) >= 12700:
            paints += line_paints
    return tuple(dict.fromkeys(paints))


def _is_placeholder(element) -> bool:
    return element.find(f".//{{{P}}}nvPr/{{{P}}}ph") is not None and etree.QName(element).localname == "sp"


def artwork(layout, slide_size: tuple[int, int]) -> list[Art]:
    """The drawn shapes a slide on ``layout`` shows beneath its content, in z-order:
    the master's (unless the layout hides them) then the layout's own. Shapes
    covering nearly the whole slide are left out (they are the background)."""
    out: list[Art] = []
    palette = Palette(layout.slide_master)
    owners = [layout]
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        owners.insert(0, layout.slide_master)
    slide_area = slide_size[0] * slide_size[1]
    for owner in owners:
        tree = owner._element.find(f"{{{P}}}cSld/{{{P}}}spTree")
        for element in tree:
            kind = etree.QName(element).localname
            if kind not in ("sp", "pic", "grpSp", "cxnSp", "graphicFrame") or _is_placeholder(element):
                continue
            box = _shape_box(element)
            if box is None:
                continue
            paints = _shape_paints(element, palette, owner.part)
            colours = tuple(dict.fromkeys(c for c, a in paints if a >= 0.5))
            if not colours:
                continue
            if box.area >= BACKGROUND_SHARE * slide_area:
                continue
            out.append(Art(box, colours, kind, owner is not layout, paints))
    return picture_art(layout, slide_size) + out


BUSY_GRID = (48, 27)
"""Cells across and down in which a background picture is looked at for drawn objects."""

BUSY_RANGE = 64
"""Luminance range (0-255) within a cell above which the cell holds a drawn edge, not a
plain, gently shaded or finely textured ground."""

BUSY_COLOUR = 72
"""Distance (RGB, 0-255 each) of a cell's mean colour from the picture's common ground
above which the cell holds part of a drawn object."""


@functools.lru_cache(maxsize=32)
def _busy_cells(blob: bytes) -> tuple[tuple[int, int, int, int], ...]:
    """Rectangles (in :data:`BUSY_GRID` cells: column, row, columns, rows) of a picture
    holding drawn objects: cells with a sharp edge or far from the picture's ground
    colour, grouped into connected regions (8-neighbours)."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(blob))
        image.draft("RGB", (512, 512))
        image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError):
        return ()
    cols, rows = BUSY_GRID
    cell = 8
    rgba = np.asarray(image.resize((cols * cell, rows * cell), Image.BILINEAR), dtype=np.float32)
    opaque = rgba[..., 3] > 128
    rgb = rgba[..., :3]
    lum = rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)

    def blocks(a):  # (rows*cell, cols*cell, ...) → (rows, cols, cell*cell, ...)
        return (
            a.reshape(rows, cell, cols, cell, *a.shape[2:])
            .swapaxes(1, 2)
            .reshape(rows, cols, cell * cell, *a.shape[2:])
        )

    lum_b, rgb_b, op_b = blocks(lum), blocks(rgb), blocks(opaque)
    lum_hi = np.percentile(lum_b, 95, axis=2)
    lum_lo = np.percentile(lum_b, 5, axis=2)
    means = rgb_b.mean(axis=2)
    ground = np.median(means.reshape(-1, 3), axis=0)
    far = np.sqrt(((means - ground) ** 2).sum(axis=2)) > BUSY_COLOUR
    busy = ((lum_hi - lum_lo) > BUSY_RANGE) | far
    busy &= op_b.mean(axis=2) > 0.5
    regions = []
    band = 3  # rows per band: a diagonal pencil becomes a staircase of boxes, a frame its four sides
    for top in range(0, rows, band):
        used = busy[top : top + band].any(axis=0)
        count = busy[top : top + band].sum(axis=0)
        c = 0
        while c < cols:
            if not used[c]:
                c += 1
                continue
            start = c
            while c < cols and (used[c] or (c + 1 < cols and used[c + 1])):  # a one-cell gap joins
                c += 1
            if count[start:c].sum() >= 2:  # not a speck
                band_rows = np.nonzero(busy[top : top + band, start:c].any(axis=1))[0]
                regions.append(
                    (start, top + int(band_rows.min()), c - start, int(band_rows.max() - band_rows.min()) + 1)
                )
    return tuple(regions)


def picture_art(layout, slide_size: tuple[int, int]) -> list[Art]:
    """The drawn objects inside a picture that fills the slide (the layout's or master's
    background picture, or a picture shape covering the slide): each a box of
    :class:`Art` (kind ``"backdrop"``) around one region of the picture holding edges or
    colours apart from its ground, so content keeps off a pencil or a flower painted into
    a background as it does off a drawn shape."""
    width, height = slide_size
    found: list[tuple[object, str, Box, bool]] = []  # (part, rId, box it fills, on master)
    for owner in (layout, layout.slide_master):
        bg = owner._element.find(f"{{{P}}}cSld/{{{P}}}bg/{{{P}}}bgPr/{{{A}}}blipFill/{{{A}}}blip")
        if bg is not None:
            found.append((owner.part, bg.get(f"{{{R}}}embed"), Box(0, 0, width, height), owner is not layout))
            break
        if owner._element.find(f"{{{P}}}cSld/{{{P}}}bg") is not None:
            break  # the layout's own background hides the master's
    owners = [layout]
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        owners.insert(0, layout.slide_master)
    for owner in owners:
        tree = owner._element.find(f"{{{P}}}cSld/{{{P}}}spTree")
        for element in tree.iter(f"{{{P}}}pic"):
            box = _shape_box(element)
            blip = element.find(f"{{{P}}}blipFill/{{{A}}}blip")
            if box is None or blip is None or box.area < BACKGROUND_SHARE * width * height:
                continue
            found.append((owner.part, blip.get(f"{{{R}}}embed"), box, owner is not layout))
    out: list[Art] = []
    cols, rows = BUSY_GRID
    for part, r_id, box, on_master in found:
        try:
            blob = part.related_part(r_id).blob
        except (KeyError, AttributeError):
            continue
        for c, r, w, h in _busy_cells(blob):
            region = Box(box.x + box.w * c // cols, box.y + box.h * r // rows, box.w * w // cols, box.h * h // rows)
            tones = _picture_tones(
                part, r_id, _crop(Box(region.x - box.x, region.y - box.y, region.w, region.h), (box.w, box.h))
            )
            if tones:
                out.append(Art(region, tones, "backdrop", on_master, tuple((t, 1.0) for t in tones)))
    return out


def full_slide_art(layout, slide_size: tuple[int, int], base: tuple[str, ...] = ("#FFFFFF",)) -> tuple[str, ...]:
    """What drawn shapes covering the whole slide show (a background drawn as shapes,
    translucent ones blended onto what is under them, from ``base`` up); ``()`` when
    there are none."""
    palette = Palette(layout.slide_master)
    owners = [layout]
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        owners.insert(0, layout.slide_master)
    slide_area = slide_size[0] * slide_size[1]
    found: tuple[str, ...] = ()
    for owner in owners:
        tree = owner._element.find(f"{{{P}}}cSld/{{{P}}}spTree")
        for element in tree:
            if etree.QName(element).localname not in ("sp", "pic", "grpSp") or _is_placeholder(element):
                continue
            box = _shape_box(element)
            if box is None or box.area < BACKGROUND_SHARE * slide_area:
                continue
            paints = _shape_paints(element, palette, owner.part)
            if paints:
                found = over(paints, found or base)
    return found


class Backdrop:
    """What one layout shows behind content: its artwork and background, read once."""

    def __init__(self, layout, slide_size: tuple[int, int]):
        self.layout = layout
        self.slide_size = slide_size
        self.arts = artwork(layout, slide_size)
        self._plain = background_colours(layout)
        self.full = full_slide_art(layout, slide_size, self._plain)

    def behind(self, box: Box, *, min_share: float = 0.02) -> tuple[str, ...]:
        """Every colour the layout may show behind ``box``: the background (unless a
        drawn shape covers the box completely) and each drawn shape covering at least
        ``min_share`` of it."""
        if box.area <= 0:
            return ()
        base = self.full or (
            self._plain if len(self._plain) == 1 else background_colours(self.layout, box, self.slide_size)
        )
        pieces: list[str] = list(base)
        for art in self.arts:
            if art.box.contains(box) and art.kind != "cxnSp" and all(a >= OPAQUE for _, a in art.paints):
                pieces = list(art.colours)  # everything below it is hidden
            elif art.box.intersection(box) / box.area >= min_share:
                pieces += over(art.paints, tuple(pieces))
        return tuple(dict.fromkeys(pieces))


def colours_behind(layout, box: Box, slide_size: tuple[int, int], *, min_share: float = 0.02) -> tuple[str, ...]:
    """:meth:`Backdrop.behind` for one box (reads the layout afresh)."""
    return Backdrop(layout, slide_size).behind(box, min_share=min_share)
