"""The timeline slides, drawn with native shapes."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches

from . import oxml, textfit
from ...model.report import Figure
from ...model.texts import Phrase, Texts
from .layouts import Rect, Role
from .text import Line


class DeckTimeline:
    """A part of :class:`~.builder.DeckBuilder`. Timeline slides of at most ``TIMELINE_EVENTS`` events, drawn with native shapes."""

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
            Texts(
                tuple(
                    Phrase(
                        lang,
                        f"{e.date.get(lang)}：{e.title.get(lang)}"
                        if lang == "zh"
                        else f"{e.date.get(lang)}: {e.title.get(lang)}",
                    )
                    for lang in self.report.langs
                )
            )
            for e in group
        ]
        lead = [timeline.lead] if timeline.lead is not None and number == 0 else []
        self.notes([(self.report.labels["talking_points"], lead + entries)], figures)

    def draw_timeline(self, events, area: Rect) -> None:
        """A horizontal line with one marker per event at its date (positions proportional
        to the dates, a tick at each month and the year at each change of year), labels
        equally spaced and alternating above and below, each joined to its own marker by
        a leader line. Grouped, with alt text."""
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
        start, end = events[0].when, events[-1].when
        span = (end - start).days
        line_x0, line_w = first_x, (first_x + step * (count - 1)) - first_x if count > 1 else 0

        def at(day) -> int:
            """Where a day sits on the line: proportional to its distance from the first event."""
            if span <= 0 or count < 2:
                return area.x + area.w // 2
            return line_x0 + round(line_w * (day - start).days / span)

        self.month_ticks(start, end, at, mid, shapes)
        for index, event in enumerate(events):
            cx = first_x + step * index if count > 1 else area.x + area.w // 2  # the label's centre
            dot = at(event.when)
            above = index % 2 == 0
            marker = Rect(dot - radius, mid - radius, 2 * radius, 2 * radius)
            if above:
                self.rule(dot, mid - radius, cx, mid - stub, theme.rule, 1, shapes=shapes)
                top = mid - stub - label_h
            else:
                self.rule(dot, mid + radius, cx, mid + stub, theme.rule, 1, shapes=shapes)
                top = mid + stub
            self.rect_shape(
                marker,
                theme.paper if event.derived_date else theme.accent,
                line=theme.accent,
                shape=MSO_SHAPE.OVAL,
                shapes=shapes,
            )
            box = shapes.add_textbox(Emu(cx - label_w // 2), Emu(top), Emu(label_w), Emu(label_h))
            self.write_text(
                box,
                [replace(line, align=PP_ALIGN.CENTER) for line in lines(event)],
                max_size=size,
                min_size=size,
                size=size,
                anchor=MSO_ANCHOR.BOTTOM if above else MSO_ANCHOR.TOP,
            )
        if any(event.derived_date for event in events):
            y = area.bottom - legend_h
            self.rect_shape(
                Rect(area.x, y + legend_h // 2 - Inches(0.07), Inches(0.14), Inches(0.14)),
                theme.paper,
                line=theme.accent,
                shape=MSO_SHAPE.OVAL,
                shapes=shapes,
            )
            box = shapes.add_textbox(Emu(area.x + Inches(0.25)), Emu(y), Emu(area.w // 2), Emu(legend_h))
            self.write_text(
                box,
                [Line(self.label("derived_date").joined(" / "), self.report.langs[0], color=theme.muted)],
                max_size=10,
                min_size=8,
                anchor=MSO_ANCHOR.MIDDLE,
            )
        oxml.set_descr(group, self.report.timeline.chart.alt.joined("\n"))

    def month_ticks(self, start, end, at, mid: int, shapes) -> None:
        """A short tick across the line at the first day of each month between ``start``
        and ``end``, a longer one at each January (the change of year)."""
        month = start.replace(day=1)
        while month <= end:
            if month >= start:
                half = Inches(0.09) if month.month == 1 else Inches(0.045)
                self.rule(
                    at(month),
                    mid - half,
                    at(month),
                    mid + half,
                    self.theme.rule,
                    1.5 if month.month == 1 else 1,
                    shapes=shapes,
                )
            month = month.replace(year=month.year + (month.month == 12), month=month.month % 12 + 1)
