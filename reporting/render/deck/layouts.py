"""Slide roles, the shipped master's layout names, opening a master, and the deck's
geometry (EMU) and type scale (pt). Any master's layouts are found by role in
:mod:`reporting.render.deck.roles`."""

from __future__ import annotations

import enum
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.util import Inches

from ...errors import TemplateError, display_path
from ...limits import DEFAULT_LIMITS, Limits, check_image_pixels
from ...zips import check_package
from ...model.theme import Theme
from ...resources import templates_dir


DEFAULT_TEMPLATE_NAME = "master.pptx"


class Role(str, enum.Enum):
    """What a slide is for; each role is built on one layout of the master."""

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
"""The layout the shipped master has for each role (any master's are found by their
placeholders: :mod:`reporting.render.deck.roles`)."""


MARGIN = Inches(0.6)
"""Side margin of the footer the deck draws on a layout without footer placeholders."""


GAP = Inches(0.25)


FOOTER_H = Inches(0.3)


FOOTER_FROM_BOTTOM = Inches(0.5)


BULLET_HANG = Inches(0.26)


CAPTION_H = Inches(0.62)


MIN_SOURCE_TABLE_W = Inches(4)
"""Narrowest sources table: two side by side only where each gets this much."""


MIN_TILE_W = Inches(1.9)
"""Narrowest key-figure tile: room for a headline such as 超过1亿 at 18 pt on one line."""


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


TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def as_presentation(data: bytes) -> bytes:
    """A PowerPoint package's bytes with a template's (.potx) main part declared a
    presentation's, as python-pptx opens only those; a .pptx comes back unchanged.
    Only ``[Content_Types].xml`` is rewritten, in memory."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if TEMPLATE_MAIN.encode() not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                blob = source.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    blob = types.replace(TEMPLATE_MAIN.encode(), PRESENTATION_MAIN.encode())
                target.writestr(info, blob)
    return out.getvalue()


def read_master(path: Path):
    """The presentation at ``path``, a .pptx or a .potx template (side effect: none;
    the file is read into memory). Raises what python-pptx and zipfile raise for a file
    that is not a PowerPoint package."""
    return Presentation(io.BytesIO(as_presentation(path.read_bytes())))


def open_template(path: Path, limits: Limits = DEFAULT_LIMITS):
    """The master at ``path`` (.pptx or .potx), or :class:`TemplateError` naming the file;
    opened once its parts are known to be within ``limits`` (:func:`reporting.zips.check_package`:
    python-pptx reads every part), and returned once every picture it holds is within
    ``limits.image_pixels`` (:class:`~reporting.errors.AssetError` otherwise: the deck
    samples the pictures under its text, and a small file can hold billions of pixels)."""
    if not path.is_file():
        raise TemplateError(f"deck template not found: {display_path(path)}")
    check_package(path, display_path(path), limits, "deck template")
    try:
        prs = read_master(path)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(
            f"deck template {display_path(path)} is not a PowerPoint .pptx file or .potx template ({exc})"
        ) from exc
    for part in prs.part.package.iter_parts():
        if part.content_type.startswith("image/"):
            check_image_pixels(part.blob, f"{display_path(path)}: the picture {part.partname}", limits)
    return prs


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
