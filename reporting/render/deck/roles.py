"""Slide layouts of any master, found by role, and where content goes on each.

A corporate master names its layouts as its author pleased (``Title Slide``,
``Title, Content``, ``Title Only``...). The deck finds the layout for each slide
role by what the layout holds, its placeholder types, with the common names only as
hints (:func:`choose_layouts`); ``report.toml`` may name a layout per role. Content
roles score by the room their layout leaves (a half-width body or a strip under a
cover's title scores less) and lose points on a layout whose title sits low, as on a
cover or section master, whatever the layout is called. Where a template has several
slide masters (LibreOffice saves one per master page), every one is considered: the
content slides all go on the one whose layouts score best over the content roles (its
artwork leaving the content area free), and the master the template's own first sample
slide uses is the cover's. :func:`describe` says what counted for each choice.

:func:`geometry` gives, for one layout, the boxes of its title, subtitle, body,
footer, slide number and date, and the content area: the body placeholder's box,
else the band between the title's bottom and the footer's top, in both cases cut
clear of bands of artwork. A layout whose placeholder sits on its master's artwork
while the master's own placeholder of that type does not is given the master's box
(LibreOffice writes the same generic boxes into every layout).

Lengths are EMU. Nothing here writes to the presentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from pptx.enum.shapes import PP_PLACEHOLDER

from ...errors import TemplateError
from .backdrop import A, P, Art, Box, artwork
from .layouts import FOOTER_FROM_BOTTOM, FOOTER_H, MARGIN, Role


KIND_OF = {
    PP_PLACEHOLDER.TITLE: "title",
    PP_PLACEHOLDER.CENTER_TITLE: "title",
    PP_PLACEHOLDER.VERTICAL_TITLE: "title",
    PP_PLACEHOLDER.SUBTITLE: "subtitle",
    PP_PLACEHOLDER.BODY: "body",
    PP_PLACEHOLDER.OBJECT: "body",
    PP_PLACEHOLDER.VERTICAL_BODY: "body",
    PP_PLACEHOLDER.VERTICAL_OBJECT: "body",
    PP_PLACEHOLDER.CHART: "chart",
    PP_PLACEHOLDER.TABLE: "chart",
    PP_PLACEHOLDER.PICTURE: "picture",
    PP_PLACEHOLDER.MEDIA_CLIP: "picture",
    PP_PLACEHOLDER.ORG_CHART: "chart",
    PP_PLACEHOLDER.BITMAP: "picture",
    PP_PLACEHOLDER.FOOTER: "footer",
    PP_PLACEHOLDER.SLIDE_NUMBER: "slide_number",
    PP_PLACEHOLDER.DATE: "date",
    PP_PLACEHOLDER.HEADER: "header",
    PP_PLACEHOLDER.SLIDE_IMAGE: "picture",
}
"""Placeholder type → the kind the deck cares about."""

ROLE_HINTS: dict[Role, tuple[str, ...]] = {
    Role.TITLE: ("title", "titleslide", "cover", "titlepage"),
    Role.AGENDA: ("agenda", "titleandcontent", "titlecontent", "titleandtext", "titletext"),
    Role.KEY_FIGURES: ("keyfigures", "titleonly"),
    Role.CHART: ("chart", "titleandcontent", "titlecontent", "titleandchart"),
    Role.POINTS: ("points", "titleandcontent", "titlecontent", "titleandtext", "titletext"),
    Role.TIMELINE: ("timeline", "titleonly"),
    Role.SOURCES: ("sources", "titleandcontent", "titlecontent", "titleandtext", "titletext"),
    Role.CLOSING: ("closing", "end", "thankyou", "titleslide", "title", "sectionheader"),
}
"""Layout names (lower case, letters and digits only) that hint at a role, best first.
The first of each is the name the shipped master uses."""

ROLE_WANTS: dict[Role, str] = {
    Role.TITLE: "a title and a subtitle",
    Role.AGENDA: "a title and one body",
    Role.KEY_FIGURES: "a title and an empty area",
    Role.CHART: "a title, a chart and a body",
    Role.POINTS: "a title and one body",
    Role.TIMELINE: "a title and an empty area",
    Role.SOURCES: "a title and one body",
    Role.CLOSING: "a title and a subtitle",
}
"""What each role looks for, as ``deck-layouts`` says it."""

IDEAL = 100
"""Structure score of a layout that holds exactly what a role wants."""

FULL_ROOM = 0.45
"""Share of the slide a content area needs for a content role's full :func:`room_score`."""

ROOM_WEIGHT = 100
"""Score of a content area of :data:`FULL_ROOM` or more; a smaller area scores in proportion."""

TITLE_MASTER_PENALTY = 60
"""Taken off a content role's score on a layout whose title sits low on the slide, as on a
cover or section master (:func:`cover_title`)."""


def room_score(g: "Geometry", size: tuple[int, int]) -> int:
    """Points for the room a layout leaves content (a content role): its content area's
    share of the slide, up to :data:`FULL_ROOM`, scaled to :data:`ROOM_WEIGHT`. A half-width
    body or a strip under a cover's title scores less than a full content area."""
    share = g.content.area / (size[0] * size[1]) if size[0] and size[1] else 0.0
    return int(ROOM_WEIGHT * min(share / FULL_ROOM, 1.0))


def cover_title(g: "Geometry", size: tuple[int, int]) -> bool:
    """Whether the layout's title starts below the top quarter of the slide: a cover's or a
    section's title (a content slide's title sits at the top, whatever the language of
    the layout's name)."""
    return g.title is not None and g.title.y > 0.25 * size[1]


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def kinds_of(layout) -> dict[str, int]:
    """How many placeholders of each kind (``title``, ``body``, ``chart`` ...) ``layout`` has."""
    counts: dict[str, int] = {}
    for shape in layout.placeholders:
        kind = KIND_OF.get(shape.placeholder_format.type, "other")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _centred_title(layout) -> bool:
    return any(ph.get("type") == "ctrTitle" for ph in layout._element.iter(f"{{{P}}}ph"))


def structure_score(role: Role, layout, kinds: dict[str, int] | None = None) -> int:
    """How well the placeholders of ``layout`` suit ``role`` (0: not at all;
    :data:`IDEAL`: exactly what it wants). ``kinds``: :func:`kinds_of` the layout, if known."""
    k = kinds if kinds is not None else kinds_of(layout)
    title, subtitle, body, chart = k.get("title", 0), k.get("subtitle", 0), k.get("body", 0), k.get("chart", 0)
    picture = k.get("picture", 0)
    if role in (Role.TITLE, Role.CLOSING):
        if title and subtitle and body <= 1 and not chart:
            return IDEAL + (5 if _centred_title(layout) else 0) - 5 * body
        if title and body == 1 and not chart and _centred_title(layout):
            return 80
        if title and not body and not chart and not subtitle and not picture:
            return 40
        if title and body == 1 and not chart:
            return 35
        return 5 if title else 1
    if role in (Role.AGENDA, Role.POINTS, Role.SOURCES):
        if title and body == 1 and not chart and not subtitle and not picture:
            return IDEAL
        if title and not body and not chart and not subtitle and not picture:
            return 60
        if title and body >= 2 and not chart:
            return 30
        return 10 if title else 1
    if role is Role.CHART:
        if title and chart and body <= 1:
            return IDEAL + 70  # made for a chart: whatever the other layouts are called
        if title and body == 1 and not subtitle and not picture:
            return IDEAL - 20  # the chart and its points share the body's area
        if title and not body and not chart and not subtitle and not picture:
            return 70
        if title and body >= 2:
            return 50
        return 10 if title else 1
    # KEY_FIGURES, TIMELINE: the deck draws its own shapes in the area.
    if title and body == 1 and not chart and not subtitle and not picture:
        return IDEAL
    if title and not body and not chart and not subtitle and not picture:
        return IDEAL - 5
    if title and body >= 2:
        return 30
    return 10 if title else 1


def name_score(role: Role, name: str) -> int:
    """Bonus for a layout named as the role's hints say (earlier hints score more)."""
    normal = _normal(name)
    hints = ROLE_HINTS[role]
    for rank, hint in enumerate(hints):
        if normal == hint:
            return 60 - 5 * rank
    return 0


@dataclass(frozen=True)
class Choice:
    """The layout a role is built on, and why."""

    role: Role
    layout: object
    master_index: int
    score: int
    named: bool = False
    """Chosen by name in the config."""
    fallback: str = ""
    """Empty when the layout holds what the role wants; else how the deck makes do."""
    why: Mapping[str, int] = field(default_factory=dict)
    """The score's parts (what counted for and against the layout), non-zero ones only."""
    runner_up: str = ""
    """The best layout of another slide master, and its score (empty when there is none)."""


@dataclass
class Layouts:
    """Role → chosen layout, for one presentation."""

    choices: dict[Role, Choice]
    slide_size: tuple[int, int]
    generic: bool = False
    """The layouts' boxes are stand-ins for the masters' (:func:`generic_layouts`)."""
    _geometry: dict[int, "Geometry"] = field(default_factory=dict)

    def __getitem__(self, role: Role):
        return self.choices[role].layout

    def geometry(self, role: Role) -> "Geometry":
        layout = self.choices[role].layout
        key = id(layout)
        if key not in self._geometry:
            self._geometry[key] = geometry(layout, self.slide_size, generic=self.generic)
        return self._geometry[key]


def all_layouts(prs) -> list[tuple[int, object]]:
    """``(master index, layout)`` for every layout of every slide master."""
    return [(index, layout) for index, master in enumerate(prs.slide_masters) for layout in master.slide_layouts]


def sample_masters(prs) -> tuple[set[int], set[int]]:
    """Indices of the masters the template's own slides use: the first slide's (a
    cover, as templates open with one) and the others'."""
    masters = list(prs.slide_masters)
    first: set[int] = set()
    rest: set[int] = set()
    for number, slide in enumerate(prs.slides):
        master = slide.slide_layout.slide_master
        index = next((i for i, m in enumerate(masters) if m.part is master.part), None)
        if index is not None:
            (first if number == 0 else rest).add(index)
    return first, rest


def _runner_up(ranked, index: int, layout, score) -> str:
    """The best-scoring layout on another master than the chosen one's, as text."""
    for item in ranked:
        if item[0] != index:
            return f"master {item[0] + 1} · {item[1].name} ({score(item)})"
    return ""


def _fallback_text(role: Role, layout, score: int) -> str:
    if score >= IDEAL - 10:
        return ""
    k = kinds_of(layout)
    has = (
        ", ".join(
            f"{n} {kind}" for kind, n in sorted(k.items()) if kind not in ("footer", "slide_number", "date", "header")
        )
        or "no placeholders"
    )
    if role is Role.CHART and k.get("body", 0) >= 2:
        how = "chart in the first body, points in the second"
    elif role is Role.CHART:
        how = "the chart on the left of the body's area, the points on the right"
    elif role in (Role.TITLE, Role.CLOSING):
        how = "title placeholder, the rest in text boxes"
    else:
        how = "content area between title and footer" if not k.get("body") else "the first body's area"
    return f"no layout with {ROLE_WANTS[role]}; {has}: {how}"


def choose_layouts(prs, names: Mapping[str, str] | None = None, *, template: str = "template") -> Layouts:
    """The layout for every :class:`Role` of ``prs``.

    ``names`` (role value → layout name, from ``report.toml``) wins where given; an
    unknown role or a layout name the master lacks raises :class:`TemplateError`
    listing the roles or layouts there are. Otherwise each role takes the layout
    scoring best on :func:`structure_score` plus :func:`name_score`, less the share
    of its content area that artwork takes, plus a bonus for the masters the
    template's sample slides use.
    """
    size = (int(prs.slide_width), int(prs.slide_height))
    candidates = all_layouts(prs)
    if not candidates:
        raise TemplateError(f"deck template {template} has no slide layouts")
    names = dict(names or {})
    unknown = [role for role in names if role not in {r.value for r in Role}]
    if unknown:
        raise TemplateError(
            f"deck layouts: unknown role {', '.join(map(repr, unknown))}; roles are: {', '.join(r.value for r in Role)}"
        )
    first, rest = sample_masters(prs)
    generic = generic_layouts(prs)
    kinds = {id(layout): kinds_of(layout) for _, layout in candidates}
    geometries: dict[int, Geometry] = {}

    def geo(layout) -> Geometry:
        if id(layout) not in geometries:
            geometries[id(layout)] = geometry(layout, size, generic=generic)
        return geometries[id(layout)]

    def total(role: Role, master_index: int, layout) -> int:
        return sum(parts(role, master_index, layout).values())

    def parts(role: Role, master_index: int, layout) -> dict[str, int]:
        g = geo(layout)
        out = {
            "placeholders": structure_score(role, layout, kinds[id(layout)]),
            "name": name_score(role, layout.name),
            "artwork in the area": -int(60 * g.art_share),  # artwork left inside the content area
            "area given up to artwork": -int(40 * g.cut_share),  # content area given up to bands of artwork
            "title over artwork": 0 if g.clean_title else -40,
        }  # a title over several colours of artwork
        if role in (Role.TITLE, Role.CLOSING):
            out["sample cover's master"] = 15 if master_index in first else 0
        else:
            out["sample slides' master"] = 15 if master_index in rest else 0
            out["room"] = room_score(g, size)
            out["title master"] = -TITLE_MASTER_PENALTY if cover_title(g, size) else 0
        return {key: value for key, value in out.items() if value}

    rankings: dict[Role, list] = {}
    for role in Role:
        wanted = names.get(role.value)
        pool = candidates
        if wanted is not None:
            pool = [(i, layout) for i, layout in candidates if layout.name == wanted]
            if not pool:
                have = ", ".join(dict.fromkeys(f"“{layout.name}”" for _, layout in candidates))
                raise TemplateError(
                    f"deck template {template} has no slide layout named “{wanted}” "
                    f"(deck layout for {role.value}); its layouts are: {have}"
                )
        # Geometry (the costly part) only for layouts whose placeholders could win.
        quick = {
            id(layout): structure_score(role, layout, kinds[id(layout)]) + name_score(role, layout.name) + 15
            for _, layout in pool
        }
        best = max(quick.values())
        pool = [(i, layout) for i, layout in pool if quick[id(layout)] >= best - 100 - ROOM_WEIGHT]
        rankings[role] = sorted(pool, key=lambda item: -total(role, *item))  # stable: master and layout order
    # The content slides on one master (the one whose best layouts score most over all
    # content roles): a deck does not switch designs between its content slides.
    content = [role for role in Role if role not in (Role.TITLE, Role.CLOSING) and role.value not in names]
    masters = sorted({index for role in content for index, _ in rankings[role]})
    if content and len(masters) > 1:

        def master_total(index: int) -> float:
            best = [
                max((total(role, i, layout) for i, layout in rankings[role] if i == index), default=None)
                for role in content
            ]
            return sum(b for b in best if b is not None) - 1000 * sum(b is None for b in best)

        chosen_master = max(masters, key=lambda index: (master_total(index), -index))
        for role in content:
            rankings[role] = sorted(rankings[role], key=lambda item: item[0] != chosen_master)  # stable
    choices: dict[Role, Choice] = {}
    for role, ranked in rankings.items():
        index, layout = ranked[0]
        structure = structure_score(role, layout, kinds[id(layout)])
        choices[role] = Choice(
            role,
            layout,
            index,
            total(role, index, layout),
            named=role.value in names,
            fallback=_fallback_text(role, layout, structure),
            why=parts(role, index, layout),
            runner_up=_runner_up(ranked, index, layout, lambda item, role=role: total(role, *item)),
        )
    return Layouts(
        choices,
        size,
        generic,
        {
            id(choice.layout): geometries[id(choice.layout)]
            for choice in choices.values()
            if id(choice.layout) in geometries
        },
    )


# -- geometry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """Where things go on one layout (EMU). ``None``: the layout has no such placeholder."""

    slide: Box
    title: Box | None
    subtitle: Box | None
    bodies: tuple[Box, ...]
    chart: Box | None
    footer: Box | None
    slide_number: Box | None
    date: Box | None
    content: Box
    """Where the deck's own content goes: inside the body, clear of title, footer and artwork."""
    art_share: float = 0.0
    """Share of the content area artwork still covers (0 to 1)."""
    cut_share: float = 0.0
    """Share of the body's area given up to bands of artwork."""
    boxes: dict = field(default_factory=dict, compare=False, hash=False)
    """:func:`placeholder_key` → box of every placeholder (the master's where the layout's is generic)."""
    moved: frozenset = frozenset()
    """Keys of the placeholders whose box differs from the layout's own."""
    skipped: frozenset = frozenset()
    """Footer, slide-number and date placeholders left empty: on artwork, or on another."""
    drawn_footer: tuple = (None, None)
    """Boxes of the footer text and slide number the deck draws when the layout has no
    footer placeholders (``None`` for one that would sit on artwork)."""
    clean_title: bool = True
    """Whether the title and subtitle sit clear of artwork (or wholly on one shape)."""

    @property
    def has_footer(self) -> bool:
        """Whether the layout has a footer, slide-number or date placeholder at all."""
        return any(b is not None for b in (self.footer, self.slide_number, self.date))


def _art_share(box: Box, arts: list[Art]) -> float:
    if box.area <= 0:
        return 1.0
    return min(1.0, sum(art.box.intersection(box) for art in arts if art.kind != "cxnSp") / box.area)


def clear_of_art(box: Box, arts: list[Art], *, keep: float = 0.5, ignore: float = 0.005) -> Box:
    """``box`` made smaller until no artwork reaches into it: for each shape that
    covers more than ``ignore`` of it, the edge whose move past the shape keeps the
    most area moves (a band across the top moves the top edge, a corner triangle the
    nearer side). Gives ``box`` back unchanged if that would keep less than ``keep``
    of it: such art is the design's middle, and the text colours adapt to it."""
    x, y, right, bottom = box.x, box.y, box.right, box.bottom
    for _ in range(2 * len(arts) + 1):
        current = Box(x, y, right - x, bottom - y)
        intruding = [a.box for a in arts if current.area and a.box.intersection(current) > ignore * current.area]
        if not intruding:
            break
        a = max(intruding, key=current.intersection)
        options = [
            (x, max(y, a.bottom), right, bottom),  # below it
            (x, y, right, min(bottom, a.y)),  # above it
            (max(x, a.right), y, right, bottom),  # right of it
            (x, y, min(right, a.x), bottom),  # left of it
        ]
        x, y, right, bottom = max(options, key=lambda o: max(o[2] - o[0], 0) * max(o[3] - o[1], 0))
        if right <= x or bottom <= y:
            break
    result = Box(x, y, max(right - x, 0), max(bottom - y, 0))
    return result if result.area >= keep * box.area else box


def _clean(box: Box, arts: list[Art]) -> bool:
    """Whether ``box`` sits on one thing: clear of artwork, or wholly on one shape."""
    return _art_share(box, arts) < 0.05 or any(art.box.contains(box) for art in arts)


def generic_layouts(prs) -> bool:
    """Whether the layouts' placeholder boxes are stand-ins and the masters' are the
    design. LibreOffice has no layouts of its own: saving a .pptx it writes one set of
    boxes into every layout of every master (the last master page's), whatever that
    master draws. Known by the writing application, or by same-named layouts having
    the same boxes under masters whose own boxes differ."""
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml" and b"LibreOffice" in part.blob:
            return True
    masters = list(prs.slide_masters)
    if len(masters) < 2:
        return False
    titles = {_title_box(master) for master in masters}
    if len(titles) < 2:
        return False
    by_name: dict[str, set] = {}
    for _, layout in all_layouts(prs):
        by_name.setdefault(layout.name, set()).add(tuple(Box.of(s) for s in layout.placeholders))
    return all(len(boxes) == 1 for boxes in by_name.values())


def _title_box(owner) -> Box | None:
    for shape in owner.placeholders:
        if KIND_OF.get(shape.placeholder_format.type) == "title":
            return Box.of(shape)
    return None


def _map(box: Box, source: Box, target: Box) -> Box:
    """``box`` moved and scaled from ``source``'s frame into ``target``'s."""
    if source.w <= 0 or source.h <= 0:
        return target
    sx, sy = target.w / source.w, target.h / source.h
    return Box(
        target.x + int((box.x - source.x) * sx),
        target.y + int((box.y - source.y) * sy),
        int(box.w * sx),
        int(box.h * sy),
    )


def geometry(layout, slide_size: tuple[int, int], *, generic: bool = False) -> Geometry:
    """The boxes of ``layout`` and its content area (see the module's docstring).
    ``generic``: the layout's boxes are stand-ins (:func:`generic_layouts`); its title
    takes the master's title box and its bodies share the master's body box."""
    width, height = slide_size
    slide = Box(0, 0, width, height)
    arts = artwork(layout, slide_size)
    master_boxes: dict[str, Box] = {}
    for shape in layout.slide_master.placeholders:
        kind = KIND_OF.get(shape.placeholder_format.type, "other")
        if kind == "subtitle":
            continue
        master_boxes.setdefault(kind, Box.of(shape))
    if "body" in master_boxes:
        master_boxes.setdefault("subtitle", master_boxes["body"])
    # LibreOffice writes the same generic boxes into every layout of every master: when
    # one of them sits on the master's artwork while the master's own box of that kind
    # does not, the master's boxes are the design (only the master's art counts: a
    # layout's own shape under its placeholder is a panel drawn for it).
    master_art = [art for art in arts if art.on_master]
    shapes = sorted(layout.placeholders, key=lambda s: s.placeholder_format.idx)
    kinds = [KIND_OF.get(shape.placeholder_format.type, "other") for shape in shapes]
    generic = generic or any(
        kind in ("title", "subtitle", "body")
        and kind in master_boxes
        and not _clean(_box_of(shape, master_boxes), master_art)
        and _clean(master_boxes[kind], master_art)
        for shape, kind in zip(shapes, kinds)
    )
    body_boxes = [_box_of(s, master_boxes) for s, k in zip(shapes, kinds) if k in ("subtitle", "body", "chart")]
    union = (
        Box(
            min(b.x for b in body_boxes),
            min(b.y for b in body_boxes),
            max(b.right for b in body_boxes) - min(b.x for b in body_boxes),
            max(b.bottom for b in body_boxes) - min(b.y for b in body_boxes),
        )
        if body_boxes
        else None
    )
    found: dict[str, list[Box]] = {}
    boxes: dict = {}
    own: dict = {}
    skipped: set = set()
    for shape, kind in zip(shapes, kinds):
        box = _box_of(shape, master_boxes)
        if generic and kind == "title":
            box = master_boxes.get(kind, box)
        elif generic and kind in ("subtitle", "body", "chart") and "body" in master_boxes and union is not None:
            box = _map(box, union, master_boxes["body"])
        if kind in ("title", "subtitle", "body") and not _clean(box, arts):
            box = clear_of_art(box, [art for art in arts if not art.box.contains(box)])
        if kind in ("footer", "slide_number", "date") and not _clean(box, arts):
            cleared = clear_of_art(box, arts, keep=0.3)
            if _clean(cleared, arts):
                box = cleared
            else:
                skipped.add(placeholder_key(shape))  # text there could not be read
        box = _inside(box, slide)
        boxes[placeholder_key(shape)] = box
        own[placeholder_key(shape)] = _box_of(shape, master_boxes)
        found.setdefault(kind, []).append(box)
    kept: list[Box] = []
    for wanted in ("slide_number", "footer", "date"):  # overlapping footer boxes: the first kept
        for shape, kind in zip(shapes, kinds):
            key = placeholder_key(shape)
            if kind != wanted or key in skipped:
                continue
            if any(boxes[key].intersection(other) > 0 for other in kept):
                skipped.add(key)
            else:
                kept.append(boxes[key])
    drawn_footer: tuple[Box | None, Box | None] = (None, None)
    if not any(kind in ("footer", "slide_number", "date") for kind in kinds):
        y = height - FOOTER_FROM_BOTTOM
        drawn = [
            Box(MARGIN, y, (width - 2 * MARGIN) // 2, FOOTER_H),
            Box(width - MARGIN - 914400, y, 914400, FOOTER_H),
        ]  # the number: 1 in wide
        drawn_footer = tuple(box if _clean(box, arts) else None for box in drawn)  # type: ignore[assignment]
    title_box = found.get("title", [None])[0]
    if title_box is not None:  # nothing under the title: a subtitle or body starts below it
        for shape, kind in zip(shapes, kinds):
            key = placeholder_key(shape)
            box = boxes[key]
            if kind in ("subtitle", "body", "chart", "picture") and box.intersection(title_box) > 0:
                top = title_box.bottom + int(0.012 * height)
                moved = Box(box.x, top, box.w, max(box.bottom - top, 0))
                boxes[key] = moved
                found[kind] = [moved if b == box else b for b in found[kind]]

    def one(kind: str) -> Box | None:
        return found.get(kind, [None])[0]

    title = one("title")
    footer_tops = [b.y for kind in ("footer", "slide_number", "date") for b in found.get(kind, []) if b.y > height / 2]
    bottom_limit = min(footer_tops) if footer_tops else height - FOOTER_FROM_BOTTOM - int(0.01 * height)
    bodies = tuple(found.get("body", []))
    chart = one("chart")
    top_limit = title.bottom if title is not None else int(0.06 * height)
    if bodies or chart or one("subtitle"):
        areas = [b for b in (*bodies, chart) if b is not None] or [one("subtitle")]
        start = Box(
            min(b.x for b in areas),
            min(b.y for b in areas),
            max(b.right for b in areas) - min(b.x for b in areas),
            max(b.bottom for b in areas) - min(b.y for b in areas),
        )
    else:  # the width of the master's body (where the design puts content), else the title's
        across = master_boxes.get("body") or title
        if title is not None and across is not None and across.w < 0.6 * title.w:
            across = title  # a body on one side of the slide: a layout without one has the title's width
        margin_x = across.x if across is not None and across.x > 0 else int(0.05 * width)
        right = across.right if across is not None and across.right < width else width - margin_x
        start = Box(margin_x, top_limit, right - margin_x, bottom_limit - top_limit)
    gap = int(0.012 * height)
    # Never over the title or the footer row, whatever the body's box says.
    y = max(start.y, top_limit + gap)
    bottom = min(start.bottom, bottom_limit - gap)
    start = _inside(Box(start.x, y, start.w, max(bottom - y, 0)), slide)
    # A shape behind the whole area is a panel drawn for the content, not an obstacle.
    content = clear_of_art(start, [art for art in arts if not art.box.contains(start)])
    cut = 1 - content.area / start.area if start.area else 0.0
    moved = frozenset(key for key, box in boxes.items() if box != own[key])
    return Geometry(
        slide,
        title,
        one("subtitle"),
        bodies,
        chart,
        one("footer"),
        one("slide_number"),
        one("date"),
        content,
        _art_share(content, [a for a in arts if not a.box.contains(content)]),
        cut,
        boxes,
        moved,
        frozenset(skipped),
        drawn_footer,
        all(_clean(b, arts) for b in (title, one("subtitle")) if b is not None),
    )


def _box_of(shape, master_boxes: dict[str, Box]) -> Box:
    """A layout placeholder's box, read from its own ``a:xfrm`` (python-pptx's inherited
    lookup searches the whole master per call), else its master's of the same kind."""
    xfrm = shape._element.find(f"{{{P}}}spPr/{{{A}}}xfrm")
    if xfrm is not None:
        off, ext = xfrm.find(f"{{{A}}}off"), xfrm.find(f"{{{A}}}ext")
        if off is not None and ext is not None:
            return Box(int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))
    kind = KIND_OF.get(shape.placeholder_format.type, "other")
    found = master_boxes.get(kind) or master_boxes.get("body")
    return found if found is not None else Box.of(shape)


def placeholder_key(shape) -> tuple[int, str]:
    """A placeholder's identity within its layout: (idx, kind)."""
    return (shape.placeholder_format.idx, KIND_OF.get(shape.placeholder_format.type, "other"))


def _inside(box: Box, slide: Box) -> Box:
    x = min(max(box.x, 0), slide.w)
    y = min(max(box.y, 0), slide.h)
    right = max(min(box.right, slide.w), x)
    bottom = max(min(box.bottom, slide.h), y)
    return Box(x, y, right - x, bottom - y)


# -- description -------------------------------------------------------------------------


def describe(prs, names: Mapping[str, str] | None = None, *, template: str = "template") -> str:
    """The text ``make-report deck-layouts`` prints: each layout with its placeholders
    and the roles it serves, then the role table with fallbacks."""
    chosen = choose_layouts(prs, names, template=template)
    cm = 360000
    by_layout: dict[int, list[str]] = {}
    for role, choice in chosen.choices.items():
        by_layout.setdefault(id(choice.layout), []).append(role.value)
    lines = [
        f"{template}: {prs.slide_width / cm:.2f} × {prs.slide_height / cm:.2f} cm, "
        f"{len(prs.slide_masters)} master(s), {len(prs.slides)} sample slide(s)"
    ]
    for index, layout in all_layouts(prs):
        kinds = ", ".join(f"{kind}×{n}" if n > 1 else kind for kind, n in kinds_of(layout).items()) or "none"
        roles = by_layout.get(id(layout))
        mark = f"  → {', '.join(roles)}" if roles else ""
        lines.append(f"  master {index + 1} · {layout.name}: {kinds}{mark}")
    lines.append("")
    width = max(len(r.value) for r in Role)
    for role in Role:
        choice = chosen.choices[role]
        how = "named in the config" if choice.named else (f"fallback: {choice.fallback}" if choice.fallback else "")
        g = chosen.geometry(role)
        area = g.content
        lines.append(
            f"  {role.value:<{width}}  master {choice.master_index + 1} · {choice.layout.name}"
            f"  (content {area.w / cm:.1f} × {area.h / cm:.1f} cm at {area.x / cm:.1f}, {area.y / cm:.1f})"
            + (f"  {how}" if how else "")
        )
        if not choice.named:
            why = ", ".join(f"{part} {value:+d}" for part, value in choice.why.items())
            lines.append(
                f"  {'':<{width}}  why: {why} = {choice.score}"
                + (f"; best on another master: {choice.runner_up}" if choice.runner_up else "")
            )
    return "\n".join(lines)
