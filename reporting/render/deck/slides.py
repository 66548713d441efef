"""The slides themselves: placeholders, titles, footers and speaker notes; title, agenda, key figures,
a section's chart and points slides, closing."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.text.text import Font
from pptx.util import Emu, Inches, Pt

from . import oxml, textfit
from ...lang.cjk import keep_last_line
from ...model.chartspec import ChartSpec
from ...model.report import Figure, Section
from ...model.texts import Phrase, Texts
from ...model.theme import MIN_TEXT_CONTRAST
from .backdrop import Box
from .layouts import CAPTION_H, GAP, MIN_TILE_W, Rect, Role
from .look import readable, worst_contrast
from .roles import placeholder_key
from .text import Line, rgb, first_sentences


SECTION_TILES = 4
"""Most figures a section slide without points or chart shows as tiles under its lead."""


class DeckSlides:
    """A part of :class:`~.builder.DeckBuilder`. Placeholders, titles, footers, speaker notes, and the title, agenda, key-figure, chart, points and closing slides."""

    FOOTER_TYPES = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.DATE)

    def new_slide(self, role: Role):
        """A slide on ``role``'s layout, with the layout's footer, slide-number and date
        placeholders (python-pptx leaves them out) and each placeholder in the box
        :func:`~reporting.render.deck.roles.geometry` gives it."""
        layout = self.layouts[role]
        self.current = self.prs.slides.add_slide(layout)
        self.geo = self.layouts.geometry(role)
        self.used: set[int] = set()
        self.fills = []
        self.boxes: dict = {}
        """Placeholder element → its box (python-pptx looks an inherited box up afresh per call)."""
        if self.geo.has_footer:
            present = {placeholder_key(shape) for shape in self.current.placeholders}
            for shape in layout.placeholders:
                if shape.placeholder_format.type in self.FOOTER_TYPES and placeholder_key(shape) not in present:
                    self.current.shapes.clone_placeholder(shape)
        for shape in self.current.placeholders:
            # Explicit where the box differs from the layout's, and where LibreOffice gave
            # a title and a subtitle the same idx (readers differ on which box they inherit).
            key = placeholder_key(shape)
            box = self.geo.boxes.get(key)
            if box is None:
                continue
            if key in self.geo.moved or (key[0] == 0 and key[1] != "title"):
                self.place(shape, Rect(box.x, box.y, box.w, box.h))
            else:
                self.boxes[shape._element] = box
        return self.current

    def place(self, shape, rect: "Rect") -> None:
        """Give ``shape`` (a placeholder, usually) its own position and size."""
        shape.left, shape.top, shape.width, shape.height = Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h)
        self.boxes[shape._element] = Box(rect.x, rect.y, rect.w, rect.h)

    def placeholder(self, *types: PP_PLACEHOLDER):
        """The first unused placeholder of the current slide of one of ``types`` (by idx)."""
        for shape in sorted(self.current.placeholders, key=lambda s: s.placeholder_format.idx):
            if shape.placeholder_format.type in types and shape.shape_id not in self.used:
                self.used.add(shape.shape_id)
                return shape
        return None

    def region(self, *types: PP_PLACEHOLDER, fallback: Rect) -> Rect:
        """The content area of the current slide, when the layout has a placeholder of
        ``types`` (used only for its position, then removed); else ``fallback``."""
        shape = self.placeholder(*types)
        if shape is None:
            return fallback
        oxml.remove_shape(shape)
        return self.content_fallback()

    def finish_slide(self, *, footer: bool = True) -> None:
        """Add the footer, drop placeholders left empty, put the title first in reading order."""
        if footer:
            self.footer()
        title = None
        for shape in list(self.current.placeholders):
            if shape.shape_id not in self.used:
                oxml.remove_shape(shape)
            elif shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                title = shape
        if title is not None:
            oxml.move_to_front_of_reading_order(title)

    def layout_region(self, role: Role, *types: PP_PLACEHOLDER) -> Rect:
        """The content area of ``role``'s layout (before any slide exists)."""
        box = self.layouts.geometry(role).content
        return Rect(box.x, box.y, box.w, box.h)

    def content_fallback(self) -> Rect:
        """Where content goes on the current slide: inside the layout's body, clear of
        its title, footer and artwork (:func:`reporting.render.deck.roles.geometry`)."""
        box = self.geo.content
        return Rect(box.x, box.y, box.w, box.h)

    def title(self, texts: Texts, *, suffix: Texts | None = None, max_size: float = 28, min_size: float = 18) -> None:
        shape = self.placeholder(PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        if suffix is not None:
            texts = Texts(tuple(Phrase(p.lang, p.text + suffix.get(p.lang)) for p in texts))
        lines = self.bilingual(texts, bold=True, second_scale=0.6, color=self.heading_color())
        if shape is None:
            area = self.geo.content
            top = min(Inches(0.35), area.y // 4)
            rect = Rect(area.x, top, area.w, max(area.y - top - Inches(0.1), Inches(0.4)))
            self.text_box(rect, lines, max_size=max_size, min_size=min_size, anchor=MSO_ANCHOR.BOTTOM)
            return
        self.write_text(shape, lines, max_size=max_size, min_size=min_size, anchor=MSO_ANCHOR.BOTTOM)

    def _align_of(self, shape) -> PP_ALIGN:
        """Footer text aligned as its box sits: left, centred or right on the slide."""
        centre = int(shape.left) + int(shape.width) // 2
        if abs(centre - self.slide_w // 2) < self.slide_w // 10:
            return PP_ALIGN.CENTER
        return PP_ALIGN.RIGHT if centre > self.slide_w // 2 else PP_ALIGN.LEFT

    def footer(self) -> None:
        """The report's title and organisation, the slide number and the date: in the
        layout's footer, slide-number and date placeholders when it has them, else in
        text boxes along the bottom edge. Last in reading order."""
        title = self.report.title.first
        text = f"{title.text}  ·  {self.report.organisation.first.text}"
        if not self.geo.has_footer:
            words, number = self.geo.drawn_footer
            if words is not None:
                self.text_box(
                    Rect(words.x, words.y, words.w, words.h),
                    [Line(text, title.lang, color=self.theme.muted)],
                    max_size=9,
                    min_size=7,
                    anchor=MSO_ANCHOR.MIDDLE,
                )
            if number is not None:
                box = self.current.shapes.add_textbox(Emu(number.x), Emu(number.y), Emu(number.w), Emu(number.h))
                self.slide_number(box, PP_ALIGN.RIGHT)
            return
        skipped = (
            {shape.shape_id for shape in self.current.placeholders if placeholder_key(shape) in self.geo.skipped}
            if self.geo.skipped
            else set()
        )
        self.used |= skipped  # on artwork: not filled (removed by finish_slide, as unused)
        footer_ph = self.placeholder(PP_PLACEHOLDER.FOOTER)
        number_ph = self.placeholder(PP_PLACEHOLDER.SLIDE_NUMBER)
        date_ph = self.placeholder(PP_PLACEHOLDER.DATE)
        self.used -= skipped
        tree = self.current.shapes._spTree
        for shape, words in ((date_ph, self.report.date_text.first), (footer_ph, None)):
            if shape is None:
                continue
            line = (
                Line(words.text, words.lang, color=self.theme.muted, align=self._align_of(shape))
                if words
                else Line(text, title.lang, color=self.theme.muted, align=self._align_of(shape))
            )
            fit = self.write_text(shape, [line], max_size=10, min_size=7, anchor=MSO_ANCHOR.MIDDLE, max_lines=1)
            if not fit.fits:  # a footer on one line or none (a date broken in two reads as two)
                oxml.remove_shape(shape)
                continue
            tree.remove(shape._element)
            tree.append(shape._element)  # the footer is read last
        if number_ph is not None:
            self.slide_number(number_ph, self._align_of(number_ph))
            tree.remove(number_ph._element)
            tree.append(number_ph._element)

    def slide_number(self, shape, align: PP_ALIGN) -> None:
        """A slide-number field in ``shape``, 9 pt, in a colour that reads there."""
        frame = shape.text_frame
        frame.clear()
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = align
        rPr = oxml.add_field(paragraph, "slidenum", str(len(self.prs.slides)))
        font = Font(rPr)
        font.size = Pt(9)
        behind = self.behind(Box.of(shape))
        colour = readable(self.theme.muted, behind, (self.theme.ink, self.theme.paper))
        if worst_contrast(colour, behind) < MIN_TEXT_CONTRAST:  # on busy artwork: a panel behind it
            shape.fill.solid()
            shape.fill.fore_color.rgb = rgb(self.theme.paper)
            colour = readable(self.theme.muted, (self.theme.paper,), (self.theme.ink,))
        font.color.rgb = rgb(colour)
        latin, ea = self.theme.fonts.latin, self.theme.fonts.cjk
        refs = self.theme_refs()
        if refs is not None:  # the master theme's fonts, referenced
            latin, ea = refs.latin.get(latin, latin), refs.ea.get(ea, ea)
        oxml.set_fonts(rPr, latin, ea)
        oxml.set_lang(rPr, "en")

    def notes(
        self,
        blocks: Sequence[tuple[Texts | None, Sequence[Texts]]],
        figures: Sequence[Figure] = (),
        *,
        trim: bool = False,
    ) -> None:
        """Speaker notes: each block is a heading and paragraphs (every language of the
        edition; ``trim`` keeps each paragraph's first sentences), then "sources of the
        figures on this slide" with each provenance."""
        frame = self.current.notes_slide.notes_text_frame
        lines: list[Line] = []
        for heading, paragraphs in blocks:
            if heading is not None:
                lines.append(
                    Line(heading.joined(" / "), heading.first.lang, bold=True, space_before=0.8 if lines else 0)
                )
            for texts in paragraphs:
                for phrase in texts:
                    text = first_sentences(phrase.text, phrase.lang) if trim else phrase.text
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

    def title_slide(self) -> None:
        report, theme = self.report, self.theme
        self.new_slide(Role.TITLE)
        title = self.placeholder(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        # The title's last line never a single word or a short Chinese run (要点) alone.
        kept = Texts(tuple(Phrase(phrase.lang, keep_last_line(phrase.text)) for phrase in report.title))
        lines = self.bilingual(kept, bold=True, second_scale=0.55, second_bold=False, color=self.heading_color())
        if title is not None:
            self.write_text(title, lines, max_size=40, min_size=24, anchor=MSO_ANCHOR.BOTTOM)
        subtitle = self.placeholder(PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        sub_lines = self.bilingual(report.subtitle, color=theme.muted, second_scale=0.8)
        details = Texts(
            tuple(
                Phrase(
                    lang,
                    "  ·  ".join((report.organisation.get(lang), report.period.get(lang), report.date_text.get(lang))),
                )
                for lang in report.langs
            )
        )
        detail_lines = self.bilingual(details, color=theme.muted, second_scale=0.85)
        shape = self.placeholder(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE)
        if subtitle is not None and shape is None:
            # One box for both (a layout with a title and a subtitle only): the details
            # under the subtitle, smaller, never in a box of their own over the artwork.
            sub_lines += [
                replace(line, scale=line.scale * 0.7, space_before=1.0 if index == 0 else line.space_before)
                for index, line in enumerate(detail_lines)
            ]
            self.write_text(subtitle, sub_lines, max_size=20, min_size=10)
        elif subtitle is not None:
            self.write_text(subtitle, sub_lines, max_size=20, min_size=12)
        if shape is not None:
            self.write_text(shape, detail_lines, max_size=14, min_size=9, anchor=MSO_ANCHOR.BOTTOM)
        elif subtitle is None:
            area = self.content_fallback()
            height = min(Inches(0.9), area.h // 3)
            rect = Rect(area.x, area.bottom - height, area.w, height)
            self.text_box(rect, detail_lines, max_size=14, min_size=9, anchor=MSO_ANCHOR.BOTTOM)
        self.finish_slide(footer=False)
        sources = [source.title for source in report.sources]
        self.notes(
            [
                (None, [report.title, report.subtitle]),
                (report.labels["prepared_by"], [report.author, details]),
                (report.labels["based_on"], sources),
            ]
        )

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
        size = textfit.fit_all(blocks, col_w - number_w, row_h - Inches(0.12), self.measure, max_size=22, min_size=12)
        for index, item in enumerate(items):
            column, row = divmod(index, per_column)
            x = area.x + column * (col_w + GAP)
            y = area.y + row * row_h
            self.text_box(
                Rect(x, y, number_w, row_h),
                [Line(f"{index + 1:02d}", "en", color=theme.accent, bold=True)],
                max_size=size * 1.1,
                min_size=10,
                anchor=MSO_ANCHOR.MIDDLE,
            )
            self.text_box(
                Rect(x + number_w, y, col_w - number_w, row_h),
                self.bilingual(item),
                max_size=size,
                min_size=size,
                size=size,
                anchor=MSO_ANCHOR.MIDDLE,
            )
            if row < per_column - 1 and index < len(items) - 1:
                self.rule(x, y + row_h, x + col_w, y + row_h, theme.rule, 0.75)
        self.finish_slide()
        self.notes(
            [(self.report.labels["agenda"], [])] + [(section.title, [section.lead]) for section in self.report.sections]
        )

    def key_figures_slide(self) -> None:
        report = self.report
        self.new_slide(Role.KEY_FIGURES)
        self.title(report.labels["key_figures"])
        area = self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        figures = list(report.key_figures)[:12]
        self.figure_tiles(area, figures)
        self.finish_slide()
        self.notes([(report.labels["key_figures"], [])], figures)

    def figure_tiles(self, area: Rect, figures: Sequence[Figure], *, max_size: float = 40) -> None:
        """``figures`` as tiles filling ``area``: each number large (never broken), its label
        under it; as many across as fit (four at most, fewer on a narrow master)."""
        theme, report = self.theme, self.report
        count = len(figures)
        columns = count if count <= 4 else (4 if count in (7, 8) or count > 9 else 3)
        inset = Inches(0.2)
        widest = max(
            (self.measure.width(phrase.text, 18, bold=True) for figure in figures for phrase in figure.headline),
            default=0.0,
        )

        def narrow(columns: int) -> bool:
            tile = (area.w - GAP * (columns - 1)) // columns
            return tile < MIN_TILE_W or textfit.emu_to_pt(tile - 2 * inset) * textfit.SAFETY < widest

        while columns > 2 and narrow(columns):
            columns -= 1  # a narrow master: fewer, wider tiles (a number never breaks)
        rows = -(-count // columns)
        tile_w = (area.w - GAP * (columns - 1)) // columns
        tile_h = min((area.h - GAP * (rows - 1)) // rows, Inches(2.6))
        derived = report.labels["derived"]

        def label_of(figure: Figure) -> Texts:
            label = figure.label
            if figure.derived and not any(derived.get(p.lang) in p.text for p in label):
                label = Texts(
                    tuple(
                        Phrase(
                            p.lang,
                            f"{p.text}（{derived.get(p.lang)}）"
                            if p.lang == "zh"
                            else f"{p.text} ({derived.get(p.lang)})",
                        )
                        for p in label
                    )
                )
            return label

        def headline_lines(figure: Figure) -> list[Line]:
            lines = self.bilingual(
                figure.headline, color=theme.accent, bold=True, second_scale=0.5, second_color=theme.accent
            )
            return [replace(line, max_lines=1) for line in lines]  # a number must not break

        # The number and its label are fitted separately (each to one size across
        # tiles), so a long English number does not shrink every label with it.
        inner_w = tile_w - 2 * inset
        inner_h = tile_h - 2 * inset - Inches(0.06)
        heads = [[line.para() for line in headline_lines(f)] for f in figures]
        head_size = textfit.fit_all(heads, inner_w, inner_h // 2, self.measure, max_size=max_size, min_size=18)
        head_h = max(
            textfit.pt_to_emu(textfit.measure(block, textfit.emu_to_pt(inner_w), head_size, self.measure)[1])
            for block in heads
        )
        gap_pt = 8.0
        labels = [[line.para() for line in self.bilingual(label_of(f), second_scale=0.85)] for f in figures]
        label_size = textfit.fit_all(
            labels, inner_w, inner_h - head_h - Pt(gap_pt), self.measure, max_size=16, min_size=9
        )
        for index, figure in enumerate(figures):
            row, column = divmod(index, columns)
            rect = Rect(area.x + column * (tile_w + GAP), area.y + row * (tile_h + GAP), tile_w, tile_h)
            self.rect_shape(rect, theme.tint)
            self.rect_shape(Rect(rect.x, rect.y, rect.w, Inches(0.06)), theme.accent)
            lines = headline_lines(figure) + self.bilingual(
                label_of(figure), scale=label_size / head_size, space_before=gap_pt / head_size, second_scale=0.85
            )
            self.text_box(
                rect,
                lines,
                max_size=head_size,
                min_size=head_size,
                size=head_size,
                insets=(inset, inset + Inches(0.06), inset, inset),
            )

    def talking_notes(self, section: Section, paragraphs: Sequence[Texts], figures: Sequence[Figure]) -> None:
        self.notes([(self.report.labels["talking_points"], paragraphs)], figures, trim=True)

    def chart_slide(
        self, section: Section, chart: ChartSpec, points: list[Texts], paragraphs: Sequence[Texts]
    ) -> list[Texts]:
        """One section slide: title, native chart with caption, points. Returns points that
        did not fit (for a continuation slide)."""
        self.new_slide(Role.CHART)
        self.title(chart.takeaway or section.title)  # the chart's point, where the dataset states it
        chart_ph = self.placeholder(PP_PLACEHOLDER.CHART, PP_PLACEHOLDER.TABLE, PP_PLACEHOLDER.PICTURE)
        bodies = []
        while (found := self.placeholder(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)) is not None:
            bodies.append(found)
        bodies.sort(key=lambda shape: (int(shape.left), int(shape.top)))
        full = self.content_fallback()
        if chart_ph is not None:  # a layout made for a chart: its boxes as they are
            chart_area = Rect.of(chart_ph)
            oxml.remove_shape(chart_ph)
            body = bodies.pop(0) if bodies else None
        elif len(bodies) >= 2:  # two contents side by side: the chart in the first
            first = Rect.of(bodies.pop(0))
            chart_area = Rect(first.x, full.y, first.w, full.h)
            body = bodies.pop(0)
            self.place(body, Rect(int(body.left), full.y, int(body.width), full.h))
        else:  # one content area: the chart on the left, the points beside it
            chart_area = Rect(full.x, full.y, int(full.w * 0.6), full.h)
            body = bodies.pop(0) if bodies else None
            if body is not None:
                self.place(body, Rect(chart_area.right + GAP, full.y, full.right - chart_area.right - GAP, full.h))
        for extra in bodies:
            self.used.discard(extra.shape_id)  # removed as unused by finish_slide
        if body is None:
            body = self.current.shapes.add_textbox(
                Emu(chart_area.right + GAP), Emu(full.y), Emu(full.right - chart_area.right - GAP), Emu(full.h)
            )
        plot = Rect(chart_area.x, chart_area.y, chart_area.w, chart_area.h - CAPTION_H)
        self.native_chart(chart, plot)
        caption_lines = self.bilingual(chart.caption, color=self.theme.muted, second_scale=0.9)
        self.text_box(
            Rect(plot.x, plot.bottom + Inches(0.08), plot.w, CAPTION_H - Inches(0.08)),
            caption_lines,
            max_size=11,
            min_size=8,
            anchor=MSO_ANCHOR.TOP,
        )
        shown = points[: self.fit_points(body, points)] if points else []
        if shown:
            self.write_text(body, self.points_lines(shown), max_size=20, min_size=12)
        else:
            self.write_text(
                body, self.bilingual(section.lead, color=self.theme.muted, second_scale=0.8), max_size=18, min_size=10
            )
        if int(body.left) >= plot.right or int(body.top) >= chart_area.bottom:
            # Reading order follows the layout: the chart and its caption, then the points
            # to their right or below (the footer, added next, comes last).
            tree = body._element.getparent()
            tree.remove(body._element)
            tree.append(body._element)
        self.finish_slide()
        leftover = points[len(shown) :]
        figures = self.figures_in(section, points, chart)
        if leftover and not self.take_spare():  # no room for a continuation: say them instead
            self.talking_notes(section, [*paragraphs, *leftover], figures)
            return []
        self.talking_notes(section, paragraphs, self.figures_in(section, shown, chart))
        return leftover

    def points_slides(
        self, section: Section, points: list[Texts], paragraphs: Sequence[Texts], *, continued: bool = False
    ) -> None:
        """Points without a chart, full width, continuing onto more slides as needed."""
        first = True
        while points or first:
            if not first and not self.take_spare():
                break
            self.new_slide(Role.POINTS)
            self.title(section.title, suffix=self.label("continued") if (continued or not first) else None)
            body = self.placeholder(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
            area = self.content_fallback()
            if body is None:
                body = self.current.shapes.add_textbox(Emu(area.x), Emu(area.y), Emu(area.w), Emu(area.h))
            elif Rect.of(body) != area:
                self.place(body, area)
            count = self.fit_points(body, points, max_size=22) if points else 0
            shown, points = points[:count], points[count:]
            tiles = list(section.figures)[:SECTION_TILES] if first and not shown and not continued else []
            if shown:
                self.write_text(body, self.points_lines(shown), max_size=22, min_size=12)
            elif tiles:
                # A section with no points and no chart: its lead above, its figures as
                # tiles below (one sentence alone would leave the slide nearly empty).
                lead_h = area.h // 3
                self.place(body, Rect(area.x, area.y, area.w, lead_h))
                self.write_text(body, self.bilingual(section.lead), max_size=22, min_size=12)
                below = Rect(area.x, area.y + lead_h + GAP, area.w, area.h - lead_h - GAP)
                self.figure_tiles(below, tiles, max_size=32)
            else:
                self.write_text(body, self.bilingual(section.lead), max_size=22, min_size=12)
            self.finish_slide()
            last = not points or (self.spare is not None and self.spare == 0)
            unsaid = points if last else []  # points no slide is left for go to the notes
            self.talking_notes(
                section, [*(paragraphs if first else []), *unsaid], self.figures_in(section, shown + unsaid, None)
            )
            first = False
            if last:
                break

    def closing_slide(self) -> None:
        report, theme = self.report, self.theme
        self.new_slide(Role.CLOSING)
        title = self.placeholder(PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
        if title is not None:
            colour = self.heading_color() if self.master_look else theme.paper
            self.write_text(
                title,
                self.bilingual(
                    report.labels["thank_you"], color=colour, bold=True, second_color=colour, second_scale=0.6
                ),
                max_size=44,
                min_size=24,
                anchor=MSO_ANCHOR.BOTTOM,
            )
        subtitle = self.placeholder(PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
        if subtitle is not None:
            colour = theme.muted if self.master_look else theme.paper
            lines = self.bilingual(report.labels["questions"], color=colour, second_color=colour, second_scale=0.8)
            lines += self.bilingual(
                report.organisation, scale=0.7, color=colour, second_color=colour, space_before=1.2, second_scale=0.9
            )
            self.write_text(subtitle, lines, max_size=22, min_size=12)
        self.finish_slide(footer=False)
        self.notes([(report.labels["questions"], [section.lead for section in report.sections])])
