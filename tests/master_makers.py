"""Masters made in a test's set-up, each a kind a brand team hands out: layout names in
another language with the body on one half, a template with a cover master before its
content master, a dark master with a logo, a background picture with artwork painted into
it, and any of them saved as a .potx template. Each function writes one file and returns
its path; lengths are EMU."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

GERMAN = ("Titelfolie", "Titel und Inhalt", "Abschnittsüberschrift", "Zwei Inhalte", "Vergleich", "Nur Titel",
          "Leer", "Inhalt mit Überschrift", "Bild mit Überschrift", "Titel und vertikaler Text",
          "Vertikaler Titel und Text")
"""python-pptx's default layouts as a German PowerPoint names them."""

TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _is_body(shape) -> bool:
    return str(shape.placeholder_format.type).split(" ")[0] in ("BODY", "OBJECT")


def german_master(target: Path) -> Path:
    """python-pptx's default 4:3 master with German layout names and its body placeholder
    (the master's and "Titel und Inhalt"'s) on the right half of the slide."""
    prs = Presentation()
    width = int(prs.slide_width)
    for layout, name in zip(prs.slide_layouts, GERMAN):
        layout._element.cSld.set("name", name)
    for owner in (prs.slide_master, prs.slide_layouts[1]):
        for shape in owner.placeholders:
            if _is_body(shape):
                shape.left, shape.width = Emu(width // 2), Emu(width // 2 - 457200)
    prs.save(str(target))
    return target


def cover_then_content_master(target: Path) -> Path:
    """Two slide masters in one file, as LibreOffice saves a template with a title page:
    the first has its title low in the middle of the slide (a cover, in every layout), the
    second the usual title at the top. Layout names the same on both."""
    prs = Presentation()
    height = int(prs.slide_height)
    first = prs.slide_master
    # A second master: the first master's XML copied into a new part, with its own layouts.
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import SlideLayoutPart, SlideMasterPart

    package = prs.part.package
    master_part = SlideMasterPart.load(PackURI("/ppt/slideMasters/slideMaster2.xml"), first.part.content_type,
                                       package, _xml(first._element))
    master_part.relate_to(first.part.part_related_by(RT.THEME), RT.THEME)
    lst = master_part._element.get_or_add_sldLayoutIdLst()
    for child in list(lst):
        lst.remove(child)
    for number, layout in enumerate(first.slide_layouts):
        part = SlideLayoutPart.load(PackURI(f"/ppt/slideLayouts/slideLayout{100 + number}.xml"),
                                    layout.part.content_type, package, _xml(layout._element))
        part.relate_to(master_part, RT.SLIDE_MASTER)
        r_id = master_part.relate_to(part, RT.SLIDE_LAYOUT)
        entry = lst._add_sldLayoutId()
        entry.rId = r_id
    r_id = prs.part.relate_to(master_part, RT.SLIDE_MASTER)
    entry = prs.part._element.get_or_add_sldMasterIdLst()._add_sldMasterId()
    entry.rId = r_id
    # The first master: a cover; every title low on the slide, every body under it.
    for owner in (first, *first.slide_layouts):
        for shape in owner.placeholders:
            kind = str(shape.placeholder_format.type).split(" ")[0]
            if kind in ("TITLE", "CENTER_TITLE"):
                shape.top, shape.height = Emu(int(height * 0.45)), Emu(int(height * 0.18))
            elif kind in ("BODY", "OBJECT", "SUBTITLE"):
                shape.top, shape.height = Emu(int(height * 0.66)), Emu(int(height * 0.2))
    _renumber_ids(prs)
    prs.save(str(target))
    return target


def _xml(element) -> bytes:
    from lxml import etree

    return etree.tostring(element)


def _renumber_ids(prs) -> None:
    """Master and layout ids unique across the file, as PowerPoint requires (>= 2147483648)."""
    next_id = 2147483648
    for entry in prs.part._element.sldMasterIdLst:
        entry.set("id", str(next_id))
        next_id += 1
    for master in prs.slide_masters:
        for entry in master._element.get_or_add_sldLayoutIdLst():
            entry.set("id", str(next_id))
            next_id += 1


def as_potx(source: Path, target: Path) -> Path:
    """``source`` saved as a .potx: the same package with its main part declared a template's."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            blob = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(PRESENTATION_MAIN.encode(), TEMPLATE_MAIN.encode())
            zout.writestr(info, blob)
    target.write_bytes(out.getvalue())
    return target


def painted_background_master(target: Path) -> Path:
    """python-pptx's default master with a background picture: a plain light ground with a
    dark drawing painted into its right third (as Blueprint Plans paints its pencil)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    for offset in range(0, 400, 24):  # a hatched drawing, edges everywhere in it
        draw.line((860 + offset // 3, 120 + offset, 1150, 140 + offset), fill=(20, 40, 70), width=9)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    prs = Presentation()
    master = prs.slide_master
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.parts.image import ImagePart

    image_part = ImagePart.new(prs.part.package, _image(buffer.getvalue()))
    r_id = master.part.relate_to(image_part, RT.IMAGE)
    from lxml import etree

    c_sld = master._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld")
    for old in c_sld.findall("{http://schemas.openxmlformats.org/presentationml/2006/main}bg"):
        c_sld.remove(old)
    bg = etree.fromstring(
        '<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<p:bgPr><a:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></a:blipFill>'
        '<a:effectLst/></p:bgPr></p:bg>')
    c_sld.insert(0, bg)
    prs.save(str(target))
    return target


def _image(blob: bytes):
    from pptx.parts.image import Image

    return Image.from_blob(blob)


def dark_logo_master(target: Path) -> Path:
    """python-pptx's default master at 16:9 on a dark ground, with a large logo (a picture)
    in the top right corner of every slide."""
    from PIL import Image, ImageDraw
    from lxml import etree

    prs = Presentation()
    width, height = 12192000, 6858000
    sx, sy = width / int(prs.slide_width), height / int(prs.slide_height)
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.placeholders:
            if shape._element.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm") is None:
                continue
            shape.left, shape.top = Emu(int(shape.left * sx)), Emu(int(shape.top * sy))
            shape.width, shape.height = Emu(int(shape.width * sx)), Emu(int(shape.height * sy))
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    master = prs.slide_master
    c_sld = master._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld")
    for old in c_sld.findall("{http://schemas.openxmlformats.org/presentationml/2006/main}bg"):
        c_sld.remove(old)
    c_sld.insert(0, etree.fromstring(
        '<p:bg xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:bgPr><a:solidFill>'
        '<a:srgbClr val="14213D"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>'))
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 380, 380), fill=(252, 163, 17, 255))
    draw.rectangle((140, 110, 260, 290), fill=(255, 255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.parts.image import ImagePart

    r_id = master.part.relate_to(ImagePart.new(prs.part.package, _image(buffer.getvalue())), RT.IMAGE)
    tree = c_sld.find("{http://schemas.openxmlformats.org/presentationml/2006/main}spTree")
    tree.append(etree.fromstring(
        '<p:pic xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<p:nvPicPr><p:cNvPr id="99" name="Logo" descr="Logo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        f'<p:spPr><a:xfrm><a:off x="{width - 1900000}" y="150000"/><a:ext cx="1700000" cy="1700000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'))
    prs.save(str(target))
    return target


MADE = {
    "German 4:3, body on the right half": german_master,
    "cover master then content master": cover_then_content_master,
    "background picture with a drawing": painted_background_master,
    "dark 16:9 with a logo": dark_logo_master,
}
"""The masters the tests make, by what each is."""
