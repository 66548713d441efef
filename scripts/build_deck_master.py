"""Regenerate templates/deck/master.pptx, the default 16:9 slide master of the deck.

Starts from python-pptx's built-in default template, so the result depends only on
the installed python-pptx version and this script:

- slide size 13.333 × 7.5 in (16:9);
- six layouts, named for what the deck builder looks them up by (see
  ``reporting.render.deck.layouts.LAYOUT_NAMES``): "Title", "Title and Content",
  "Key Figures", "Chart", "Timeline", "Closing"; the other default layouts are
  removed;
- theme colours from the default :class:`reporting.model.theme.Theme`, and
  major/minor theme fonts with both a Latin (``a:latin``) and an East Asian
  (``a:ea``, plus the ``Hans`` script entry) typeface, so text typed into the deck
  by hand is Chinese-capable too;
- zip entries with a fixed timestamp, so running this twice gives identical bytes.

Usage: ``python scripts/build_deck_master.py [OUTPUT]`` (default: the template path).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.util import Emu, Inches

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.model.theme import Theme  # noqa: E402
from reporting.render.deck import oxml  # noqa: E402
from reporting.render.deck.layouts import LAYOUT_NAMES, Role, theme_color_slots  # noqa: E402
from reporting.render.deck.package import normalise_zip  # noqa: E402

DEFAULT_OUTPUT = ROOT / "templates" / "deck" / "master.pptx"

SLIDE_W, SLIDE_H = Emu(12192000), Inches(7.5)  # 13.333 × 7.5 in, PowerPoint's 16:9
MARGIN = Inches(0.6)
CONTENT_W = SLIDE_W - 2 * MARGIN
TITLE_Y, TITLE_H = Inches(0.3), Inches(0.98)
RULE_Y = Inches(1.42)
BODY_Y, BODY_H = Inches(1.7), Inches(4.95)
CHART_W = Inches(7.55)
PANEL_X = MARGIN + CHART_W + Inches(0.45)

NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


def _xfrm(x: int, y: int, w: int, h: int) -> str:
    return f'<a:xfrm><a:off x="{int(x)}" y="{int(y)}"/><a:ext cx="{int(w)}" cy="{int(h)}"/></a:xfrm>'


def _placeholder(shape_id: int, name: str, ph: str, rect: tuple[int, int, int, int], *,
                 anchor: str = "t", size: int = 1800, bold: bool = False, color: str = "tx1",
                 align: str = "l", prompt: str = "") -> str:
    """A layout placeholder ``p:sp``; ``ph`` is the inner ``p:ph`` attributes, ``size`` in
    hundredths of a pt. Bullets are off: the deck builder sets its own."""
    b = ' b="1"' if bold else ""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
        f"</p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>"
        f"<p:spPr>{_xfrm(*rect)}</p:spPr>"
        f'<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{anchor}">'
        f"<a:noAutofit/></a:bodyPr>"
        f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="{align}"><a:buNone/>'
        f'<a:defRPr sz="{size}"{b}><a:solidFill><a:schemeClr val="{color}"/></a:solidFill></a:defRPr>'
        f"</a:lvl1pPr></a:lstStyle>"
        f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r></a:p></p:txBody></p:sp>'
    )


def _rect(shape_id: int, name: str, rect: tuple[int, int, int, int], color: str) -> str:
    """A decorative filled rectangle (not a placeholder: it shows on every slide of the layout)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
        f'</p:nvSpPr><p:spPr>{_xfrm(*rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody></p:sp>'
    )


def _layout(name: str, shapes: list[str], *, background: str | None = None) -> str:
    bg = (
        f'<p:bg><p:bgPr><a:solidFill><a:schemeClr val="{background}"/></a:solidFill>'
        f"<a:effectLst/></p:bgPr></p:bg>"
        if background else ""
    )
    return (
        f'<p:sldLayout {NS} preserve="1" userDrawn="1"><p:cSld name="{name}">{bg}<p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
        '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
        + "".join(shapes)
        + '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>'
    )


def _title(shape_id: int = 2) -> list[str]:
    """The title and the short accent rule under it, shared by the content layouts."""
    return [
        _placeholder(shape_id, "Title", 'type="title"', (MARGIN, TITLE_Y, CONTENT_W, TITLE_H),
                     anchor="b", size=2800, bold=True, prompt="Slide title"),
        _rect(shape_id + 1, "Title rule", (MARGIN, RULE_Y, Inches(0.8), Inches(0.05)), "accent1"),
    ]


def _body(shape_id: int, rect, prompt: str, idx: int = 1) -> str:
    return _placeholder(shape_id, "Content", f'type="body" idx="{idx}"', rect, size=2000, prompt=prompt)


def layouts() -> dict[str, str]:
    """Layout XML by layout name."""
    body = (MARGIN, BODY_Y, CONTENT_W, BODY_H)
    cover_x, cover_w = Inches(1.1), Inches(10.8)
    return {
        LAYOUT_NAMES[Role.TITLE]: _layout(LAYOUT_NAMES[Role.TITLE], [
            _rect(2, "Side band", (0, 0, Inches(0.32), SLIDE_H), "accent1"),
            _placeholder(3, "Title", 'type="ctrTitle"', (cover_x, Inches(1.3), cover_w, Inches(2.6)),
                         anchor="b", size=4000, bold=True, prompt="Report title"),
            _rect(4, "Title rule", (cover_x, Inches(4.08), Inches(1.0), Inches(0.06)), "accent1"),
            _placeholder(5, "Subtitle", 'type="subTitle" idx="1"', (cover_x, Inches(4.35), cover_w, Inches(1.35)),
                         size=2000, color="tx2", prompt="Subtitle"),
            _placeholder(6, "Details", 'type="body" idx="13"', (cover_x, Inches(5.9), cover_w, Inches(0.95)),
                         anchor="b", size=1400, color="tx2", prompt="Organisation, period, date"),
        ]),
        LAYOUT_NAMES[Role.AGENDA]: _layout(LAYOUT_NAMES[Role.AGENDA], [*_title(), _body(4, body, "Content")]),
        LAYOUT_NAMES[Role.KEY_FIGURES]: _layout(LAYOUT_NAMES[Role.KEY_FIGURES], [*_title(), _body(4, body, "Key figure tiles")]),
        LAYOUT_NAMES[Role.CHART]: _layout(LAYOUT_NAMES[Role.CHART], [
            *_title(),
            _rect(4, "Points panel", (PANEL_X, BODY_Y, SLIDE_W - MARGIN - PANEL_X, BODY_H), "bg2"),
            _placeholder(5, "Chart", 'type="chart" idx="10"', (MARGIN, BODY_Y, CHART_W, BODY_H), prompt="Chart"),
            _body(6, (PANEL_X + Inches(0.25), BODY_Y + Inches(0.3), SLIDE_W - MARGIN - PANEL_X - Inches(0.5),
                      BODY_H - Inches(0.6)), "Talking points", idx=11),
        ]),
        LAYOUT_NAMES[Role.TIMELINE]: _layout(LAYOUT_NAMES[Role.TIMELINE], [*_title(), _body(4, body, "Timeline")]),
        LAYOUT_NAMES[Role.CLOSING]: _layout(LAYOUT_NAMES[Role.CLOSING], [
            _placeholder(2, "Title", 'type="ctrTitle"', (cover_x, Inches(1.6), cover_w, Inches(2.3)),
                         anchor="b", size=4400, bold=True, color="bg1", prompt="Closing line"),
            _placeholder(3, "Subtitle", 'type="subTitle" idx="1"', (cover_x, Inches(4.2), cover_w, Inches(2.0)),
                         size=2000, color="bg1", prompt="Contact or questions"),
        ], background="accent1"),
    }


def _fit_master(prs, theme: Theme) -> None:
    """16:9 geometry and Chinese-capable styles for the master's own placeholders."""
    master = prs.slide_master
    geometry = {
        "title": (MARGIN, TITLE_Y, CONTENT_W, TITLE_H),
        "body": (MARGIN, BODY_Y, CONTENT_W, BODY_H),
        "dt": (MARGIN, Inches(6.9), Inches(3), Inches(0.35)),
        "ftr": (Inches(4.2), Inches(6.9), Inches(4.9), Inches(0.35)),
        "sldNum": (SLIDE_W - MARGIN - Inches(2), Inches(6.9), Inches(2), Inches(0.35)),
    }
    for shape in master.placeholders:
        ph_type = shape._element.ph.get("type", "body")
        x, y, w, h = geometry[ph_type]
        shape.left, shape.top, shape.width, shape.height = x, y, w, h
        body_pr = shape.text_frame._txBody.bodyPr
        for autofit in list(body_pr):
            body_pr.remove(autofit)
        body_pr.append(parse_xml('<a:noAutofit xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/>'))
    oxml.set_theme_colors(master, theme_color_slots(theme))
    oxml.set_theme_fonts(master, latin=theme.fonts.latin, ea=theme.fonts.cjk)


def build(output: Path = DEFAULT_OUTPUT, theme: Theme | None = None) -> Path:
    """Write the master to ``output``; returns it. Deterministic for a given python-pptx."""
    theme = theme or Theme()
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    sld_sz = prs.part._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}sldSz")
    sld_sz.attrib.pop("type", None)  # was "screen4x3"
    _fit_master(prs, theme)

    wanted = layouts()
    existing = list(prs.slide_layouts)
    for layout, xml in zip(existing, wanted.values()):
        layout.part._element = parse_xml(xml)
    for layout in existing[len(wanted):]:
        prs.slide_layouts.remove(layout)

    core = prs.core_properties
    core.title = "Report deck master"
    core.author = core.last_modified_by = "reporting"
    core.comments = "Generated by scripts/build_deck_master.py"
    core.revision = 1
    core.created = core.modified = dt.datetime(2024, 1, 1)  # fixed: the file must not change per run

    output.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    prs.save(buffer)
    output.write_bytes(normalise_zip(buffer.getvalue()))
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    print(build(target))
