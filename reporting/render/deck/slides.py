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
from ...model.chartspec import ChartSpec
from ...model.report import Figure, Section
from ...model.texts import Phrase, Texts
from .layouts import CAPTION_H, FOOTER_FROM_BOTTOM, FOOTER_H, GAP, MARGIN, Rect, Role
from .text import Line, rgb, first_sentences


class DeckSlides:
    """A part of :class:`~.builder.DeckBuilder`. Placeholders, titles, footers, speaker notes, and the title, agenda, key-figure, chart, points and closing slides."""

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
        font.color.rgb = rgb(self.theme.muted)
        oxml.set_fonts(rPr, self.theme.fonts.latin, self.theme.fonts.cjk)
        oxml.set_lang(rPr, "en")

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
