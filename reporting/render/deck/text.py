"""Text on slides: lines in each language of the edition, fitted to their boxes (:mod:`.textfit`) and
written as DrawingML (:mod:`.oxml`); plain shapes and rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.table import _Cell
from pptx.util import Emu, Pt

from . import oxml, textfit
from ...model.texts import Phrase, Texts
from ...model.theme import MIN_TEXT_CONTRAST
from .backdrop import Backdrop, Box
from .layouts import BULLET_HANG, LINE_PITCH, MAX_POINTS, Rect, SECOND_LANGUAGE_SCALE
from .look import ThemeRefs, readable, text_style, worst_contrast
from .textfit import Para


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
        return Para(
            self.text + self.tag,
            self.scale,
            self.bold or bool(self.tag),
            indent,
            self.space_before,
            LINE_PITCH,
            self.max_lines,
        )


def _as_is(colour: str | None) -> str | None:
    return colour


def rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def first_sentences(text: str, lang: str, sentences: int = 2) -> str:
    """The first ``sentences`` sentences of ``text`` (talking points, not a script)."""
    pattern = r"(?<=[。！？；])" if lang == "zh" else r"(?<=[.!?])\s+(?=[A-Z“\"‘(0-9])"
    parts = [part for part in re.split(pattern, text.strip()) if part]
    return ("" if lang == "zh" else " ").join(parts[:sentences])


def chunks(items: Sequence, count: int) -> list[list]:
    """Split ``items`` into ``count`` runs as even as possible, longer runs first."""
    count = max(1, count)
    size, extra = divmod(len(items), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        out.append(list(items[start:end]))
        start = end
    return out


class DeckText:
    """A part of :class:`~.builder.DeckBuilder`. Text in the edition's languages, fitted and written into boxes, cells and notes; shapes and rules."""

    def label(self, key: str) -> Texts:
        return self.report.labels[key]

    def bilingual(
        self,
        texts: Texts,
        *,
        scale: float = 1.0,
        color: str | None = None,
        bold: bool = False,
        bullet: bool = False,
        space_before: float = 0.0,
        second_color: str | None = None,
        second_scale: float = SECOND_LANGUAGE_SCALE,
        second_bold: bool = False,
        align: PP_ALIGN = PP_ALIGN.LEFT,
    ) -> list[Line]:
        """The first language in the main style, the second under it smaller and muted."""
        lines = []
        for index, phrase in enumerate(texts):
            if index == 0:
                lines.append(
                    Line(
                        phrase.text,
                        phrase.lang,
                        scale,
                        color or self.theme.ink,
                        bold,
                        bullet,
                        False,
                        space_before,
                        align,
                        shows=(phrase,),
                    )
                )
            elif phrase.text.strip() and phrase.text != texts.first.text:
                lines.append(
                    Line(
                        phrase.text,
                        phrase.lang,
                        scale * second_scale,
                        second_color or self.theme.muted,
                        second_bold,
                        False,
                        bullet,
                        0.12,
                        align,
                        shows=(phrase,),
                    )
                )
        return lines

    # -- colours ------------------------------------------------------------------

    def behind(self, box: Box) -> tuple[str, ...]:
        """The colours behind ``box`` on the current slide: a filled shape the deck drew
        there, else the layout's background and artwork."""
        for rect, colour in reversed(self.fills):
            if rect.contains(box) or rect.intersection(box) > box.area // 2:
                return (colour,)
        layout = self.current.slide_layout
        key = id(layout.part)
        if key not in self.backdrops:
            self.backdrops[key] = Backdrop(layout, (self.slide_w, self.slide_h))
        return self.backdrops[key].behind(box)

    def readable_lines(self, lines: Sequence[Line], behind: tuple[str, ...]) -> list[Line]:
        """``lines`` with each colour that would read poorly on ``behind`` (under 4.5:1)
        replaced by the theme's ink or paper, whichever reads."""
        options = (self.theme.ink, self.theme.paper)
        out = []
        for line in lines:
            color = readable(line.color, behind, options)
            tag_color = readable(line.tag_color, behind, options) if line.tag else line.tag_color
            out.append(
                line
                if (color, tag_color) == (line.color, line.tag_color)
                else replace(line, color=color, tag_color=tag_color)
            )
        return out

    def reads_on(self, lines: Sequence[Line], behind: tuple[str, ...]) -> bool:
        """Whether every line, in the colour :meth:`readable_lines` would give it, reads on ``behind``."""
        return all(
            worst_contrast(line.color, behind) >= MIN_TEXT_CONTRAST for line in self.readable_lines(lines, behind)
        )

    def heading_color(self) -> str:
        """Titles: the master's title colour when the deck takes the master's look, else ink."""
        if self.master_look:
            colour = text_style(self.current.slide_layout, "title").colour
            if colour:
                return colour
        return self.theme.ink

    # -- writing --------------------------------------------------------------------

    def write_text(
        self,
        shape,
        lines: Sequence[Line],
        *,
        max_size: float,
        min_size: float,
        anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
        insets: tuple[int, int, int, int] = (0, 0, 0, 0),
        max_lines: int | None = None,
        size: float | None = None,
        behind: tuple[str, ...] | None = None,
    ) -> textfit.Fit:
        """Fit ``lines`` into ``shape`` (a text box, placeholder or table cell) and write them.

        Word wrap on, autofit off; every run gets the theme's Latin and East Asian
        typefaces and its language. ``size`` forces a base size (shared by sibling
        boxes). Colours are kept readable on what is ``behind`` the shape (default:
        what the slide shows there). Returns the fit; ``fit.fits`` is false when the
        text overflows at ``min_size`` (it is written anyway).
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
            box = self.boxes.get(shape._element) or Box.of(shape)
            width, height = box.w, box.h
            if behind is None:
                behind = self.behind(box)
        if behind and not isinstance(shape, _Cell) and not self.reads_on(lines, behind):
            # No text colour reads on everything behind (busy artwork): a panel in the
            # paper colour behind the text, as a designer would put one.
            shape.fill.solid()
            shape.fill.fore_color.rgb = rgb(self.theme.paper)
            behind = (self.theme.paper,)
        if behind:
            lines = self.readable_lines(lines, behind)
        paras = [line.para() for line in lines]
        inner_w, inner_h = width - left - right, height - top - bottom
        if size is None:
            fit = textfit.fit(
                paras, inner_w, inner_h, self.measure, max_size=max_size, min_size=min_size, max_lines=max_lines
            )
        else:
            fit = textfit.fit(paras, inner_w, inner_h, self.measure, max_size=size, min_size=size)
        self.write_paragraphs(frame, lines, fit.size, refs=self.theme_refs())
        return fit

    def theme_refs(self) -> ThemeRefs | None:
        """References to the current slide's master theme (a user's master), else ``None``:
        the built-in master's runs keep their explicit colours and typefaces."""
        if not self.user_master:
            return None
        master = self.current.slide_layout.slide_master
        key = id(master.part)
        if key not in self.refs:
            self.refs[key] = ThemeRefs.of(master)
        return self.refs[key]

    def write_paragraphs(
        self, frame, lines: Sequence[Line], base: float, *, exact: bool = True, refs: ThemeRefs | None = None
    ) -> None:
        """Replace the text of ``frame`` with ``lines`` at base size ``base`` pt. With
        ``refs``, a colour or typeface that is the master theme's is written as a reference
        to it (``schemeClr``, ``+mn-lt``), so that another theme applied restyles the text.

        Written straight into the DrawingML (:mod:`reporting.render.deck.oxml`): the same
        XML python-pptx's paragraph and font setters make, in a fifth of the time (a deck
        writes several hundred runs)."""
        frame.clear()
        txBody = frame._txBody
        fonts = self.theme.fonts
        latin, ea = fonts.latin, fonts.cjk
        colour: Callable[[str | None], str | None] = refs.colour if refs is not None else _as_is
        if refs is not None:
            latin, ea = refs.latin.get(latin, latin), refs.ea.get(ea, ea)
        bullet = oxml.Bullet("\u2022", color=self.theme.accent, font=fonts.latin, margin=BULLET_HANG, hang=BULLET_HANG)
        for index, line in enumerate(lines):
            p = txBody.p_lst[0] if index == 0 else oxml.add_paragraph(txBody)
            size = textfit.round_size(base * line.scale)
            pPr = oxml.paragraph_properties(p)
            oxml.set_alignment(pPr, line.align)
            oxml.forbid_hanging_punctuation(pPr)
            if exact:
                oxml.set_spacing(pPr, "a:lnSpc", size * LINE_PITCH)
            oxml.set_spacing(pPr, "a:spcBef", base * line.space_before if index else 0)
            if line.bullet:
                oxml.set_paragraph_bullet(pPr, bullet)
            else:
                oxml.set_paragraph_bullet(pPr, oxml.Bullet(None, margin=BULLET_HANG if line.hang else 0))
            oxml.add_text_run(
                p, line.text, line.lang, size=size, color=colour(line.color), bold=line.bold, latin=latin, ea=ea
            )
            for phrase in line.shows:
                self.on_phrase(phrase, line.text)
            if line.tag:
                oxml.add_text_run(
                    p, line.tag, line.lang, size=size, color=colour(line.tag_color), bold=True, latin=latin, ea=ea
                )

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

    def rect_shape(
        self, rect: Rect, fill: str | None, *, line: str | None = None, shape=MSO_SHAPE.RECTANGLE, shapes=None
    ):
        target = shapes if shapes is not None else self.current.shapes
        shape_ = target.add_shape(shape, Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h))
        if fill:
            shape_.fill.solid()
            shape_.fill.fore_color.rgb = rgb(fill)
            if target is self.current.shapes:
                self.fills.append((Box(rect.x, rect.y, rect.w, rect.h), fill))
        else:
            shape_.fill.background()
        if line:
            shape_.line.color.rgb = rgb(line)
            shape_.line.width = Pt(1.5)
        else:
            shape_.line.fill.background()
        oxml.remove_style(shape_)
        oxml.set_decorative(
            shape_
        )  # tile backgrounds, markers: the text beside them or the group's alt text says what they mean
        return shape_

    def rule(self, x1: int, y1: int, x2: int, y2: int, color: str, width_pt: float = 1.0, shapes=None):
        target = shapes if shapes is not None else self.current.shapes
        connector = target.add_connector(MSO_CONNECTOR.STRAIGHT, Emu(x1), Emu(y1), Emu(x2), Emu(y2))
        connector.line.color.rgb = rgb(color)
        connector.line.width = Pt(width_pt)
        oxml.remove_style(connector)
        oxml.set_decorative(connector)
        return connector

    def points_lines(self, points: Sequence[Texts]) -> list[Line]:
        lines: list[Line] = []
        for number, point in enumerate(points):
            lines += self.bilingual(point, bullet=True, space_before=0.7 if number else 0, second_scale=0.75)
        return lines

    def fit_points(self, shape_or_rect, points: Sequence[Texts], *, max_size: float = 20, min_size: float = 12) -> int:
        """How many of ``points`` (from the first, at most :data:`MAX_POINTS`) fit the box
        at ``min_size`` pt or more."""
        rect = shape_or_rect if isinstance(shape_or_rect, Rect) else Rect.of(shape_or_rect)
        for count in range(min(len(points), MAX_POINTS), 0, -1):
            paras = [line.para() for line in self.points_lines(points[:count])]
            fit = textfit.fit(paras, rect.w, rect.h, self.measure, max_size=max_size, min_size=min_size)
            if fit.fits:
                return count
        return 1
