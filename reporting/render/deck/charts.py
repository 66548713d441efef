"""Native, editable PowerPoint charts from a chart spec: data, labels, axes, small stacked segments annotated."""

from __future__ import annotations

from typing import Sequence

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from . import oxml, textfit
from ...model.colours import mark_colour, on_colour, series_colours
from ...model.chartspec import ChartSpec, axis_extent, nice_step, step_fraction
from ...model.texts import Phrase, Texts
from .layouts import Rect, SLIVER
from .text import Line, rgb


CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}


INSIDE = (XL_LABEL_POSITION.CENTER, XL_LABEL_POSITION.INSIDE_END, XL_LABEL_POSITION.INSIDE_BASE)
"""Label positions inside a mark: every line in the one colour that reads on the mark."""


CATEGORY_CHARS = 48
"""Longest category label (characters per language) written into a native chart."""


class DeckCharts:
    """A part of :class:`~.builder.DeckBuilder`. Native charts: data, category names, labels, axes and annotated slivers."""

    def series_colour(self, index: int) -> str:
        """A series' colour: the theme's palette as :func:`series_colours` makes it
        readable on the slide's paper and clearly different from series to series."""
        theme = self.theme
        colours = series_colours(theme.palette, theme.paper, theme.ink)
        return colours[index % len(colours)]

    def inside_colour(self, fill: str) -> str:
        """The text colour of a label inside a mark of colour ``fill``: paper or ink."""
        return on_colour(fill, self.theme.paper, self.theme.ink)

    def category_name(self, texts: Texts) -> str:
        """A category label: the edition's languages on separate lines, each cut to
        :data:`CATEGORY_CHARS` characters with an ellipsis (a native chart gives a long
        label the room of its plot; the full label stays in the notes and alt text)."""
        seen: list[str] = []
        for phrase in texts:
            text = phrase.text if len(phrase.text) <= CATEGORY_CHARS else phrase.text[: CATEGORY_CHARS - 1] + "…"
            if text not in seen:
                seen.append(text)
        return "\n".join(seen)

    def native_chart(self, spec: ChartSpec, rect: Rect):
        """Add ``spec`` as an editable chart in ``rect``; returns the graphic frame.

        The values are stored in the value axis' display scale (148 for 148 billion, the
        scale in the axis title), so the axis reads like the labels and stays editable.
        A column's label turned upright sits inside the column's end where it fits
        there, above it otherwise: the axis never runs far past the tallest column to
        hold labels turned upright (which would make the values look smaller)."""
        theme = self.theme
        spec = spec.on_axis_scale()
        kind = spec.kind
        # The model's format carries the unit (0.0"%", "$"#,##0): the workbook, the data
        # labels and the value axis show it, as the text does.
        number_format = spec.number_format
        data = CategoryChartData(number_format=number_format)
        if kind == "doughnut":
            values = spec.series[0].values
            shares = spec.series[0].shares
            total = sum(v for v in values if v) or 1
            data.categories = [
                self.category_name(
                    Texts(
                        tuple(Phrase(p.lang, f"{p.text}  {label.get(p.lang)}" if label else p.text) for p in category)
                    )
                )
                for category, label in zip(spec.categories, spec.series[0].value_labels)
            ]
        else:
            data.categories = [self.category_name(category) for category in spec.categories]
        for series in spec.series:
            data.add_series(series.name.joined(" / "), list(series.values), number_format)
        frame = self.current.shapes.add_chart(
            CHART_TYPES[kind], Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h), data
        )
        mode = self.label_mode(spec, rect)
        if mode != "none":  # every value is labelled (slivers by an annotation), or none is
            for series in spec.series:
                for label in series.value_labels:
                    for phrase in label or ():
                        self.on_phrase(phrase, phrase.text)
        chart = frame.chart
        chart.font.size = Pt(11)
        chart.font.color.rgb = rgb(theme.ink)
        self.chart_title(chart, spec)

        plot = chart.plots[0]
        multi = len(spec.series) > 1
        chart.has_legend = multi or kind == "doughnut"
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.RIGHT if kind == "doughnut" else XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(10.5)

        if kind == "doughnut":
            plot.vary_by_categories = True
            oxml.set_hole_size(chart, 55)
            for index, point in enumerate(plot.series[0].points):
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(self.series_colour(index))
                point.format.line.color.rgb = rgb(theme.paper)
                value = values[index] or 0
                if value / total >= 0.05 and shares and shares[index] is not None:
                    # The share as the brief's legend prints it (54.6%), rounded once in the model.
                    self.point_label(
                        point,
                        [shares[index].first.text],
                        XL_LABEL_POSITION.CENTER,
                        self.inside_colour(self.series_colour(index)),
                    )
        else:
            self.style_axes(chart, spec, rect)
            plot.vary_by_categories = False
            if kind != "line":
                plot.gap_width = 60 if kind != "stacked_column" else 80
            if kind == "stacked_column":
                plot.overlap = 100
            stack_max = max(spec.column_tops(), default=1) or 1
            slivers: dict[int, list] = {}
            inside = set()
            if mode == "upright":
                x0, y0, w0, h0 = self.plot_fractions(spec, rect)
                oxml.set_plot_area_layout(chart, x0, y0, w0, h0)
                inside = self.upright_inside(spec, rect, chart.value_axis.minimum_scale, chart.value_axis.maximum_scale)
            for index, (series_spec, series) in enumerate(zip(spec.series, plot.series)):
                color = self.series_colour(index) if multi else mark_colour(theme.accent, theme.paper, theme.ink)
                if kind == "line":
                    series.format.line.color.rgb = rgb(color)
                    series.format.line.width = Pt(2.25)
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = rgb(color)
                    series.smooth = False
                else:
                    series.format.fill.solid()
                    series.format.fill.fore_color.rgb = rgb(color)
                # The labels shown are the model's text; their number format carries the unit too.
                series.data_labels.number_format = number_format
                series.data_labels.number_format_is_linked = False
                for point_index, (value, label) in enumerate(zip(series_spec.values, series_spec.value_labels)):
                    if value is None or label is None:
                        continue
                    texts = [p.text for p in label]
                    if kind == "stacked_column":
                        if value / stack_max < SLIVER:
                            slivers.setdefault(point_index, []).append((index, series_spec, label))
                            continue  # the label would cover its neighbours: annotated above instead
                        self.point_label(
                            series.points[point_index],
                            texts[:1] if len(set(texts)) == 1 else texts,
                            XL_LABEL_POSITION.CENTER,
                            self.inside_colour(color),
                        )
                    elif (index, point_index) in inside:
                        self.point_label(
                            series.points[point_index],
                            texts,
                            XL_LABEL_POSITION.INSIDE_END,
                            self.inside_colour(color),
                            upright=True,
                        )
                    elif mode != "none":
                        position = XL_LABEL_POSITION.ABOVE if kind == "line" else XL_LABEL_POSITION.OUTSIDE_END
                        self.point_label(
                            series.points[point_index], texts, position, theme.ink, upright=mode == "upright"
                        )
            if mode == "none":
                # Labels would overlap: the value axis carries the values instead.
                self.light_value_axis(chart.value_axis)
            if slivers or spec.totals:
                self.annotate_columns(chart, spec, rect, slivers, stack_max)
        oxml.set_chart_fonts(chart, theme.fonts.latin, theme.fonts.cjk)
        oxml.set_descr(frame, spec.alt.joined("\n"))
        return frame

    def annotate_columns(self, chart, spec: ChartSpec, rect: Rect, slivers: dict[int, list], stack_max: float) -> None:
        """Notes above stacked columns: each column's total where the chart names its fact
        (``spec.totals``), and the segments too thin for a label of their own.

        The plot area and value-axis maximum are fixed so the column's top can be
        computed: inner plot between the title (top) and the category labels and
        legend (bottom), in fractions of the chart frame. With totals, the axis leaves
        room above the tallest column for its total.
        """
        x0, y0, w0, h0 = self.plot_fractions(spec, rect)
        oxml.set_plot_area_layout(chart, x0, y0, w0, h0)
        totals = spec.totals.value_labels if spec.totals else (None,) * len(spec.categories)
        share = 0.05
        if any(totals):
            lines = max(len({p.text for p in label}) for label in totals if label is not None)
            total_pt = self.LABEL_PT * 1.3 * (1 + 0.85 * (lines - 1)) + 6
            share = min(max(share, total_pt / textfit.emu_to_pt(rect.h * h0)), 0.5)
        axis_max = stack_max / (1 - share)
        chart.value_axis.maximum_scale = axis_max
        chart.value_axis.minimum_scale = 0
        count = len(spec.categories)
        plot_x, plot_w = rect.x + int(rect.w * x0), int(rect.w * w0)
        plot_y, plot_h = rect.y + int(rect.h * y0), int(rect.h * h0)
        tops = spec.column_tops()
        for column in range(count):
            total, segments = totals[column], slivers.get(column, [])
            if total is None and not segments:
                continue
            top = plot_y + int(plot_h * (1 - tops[column] / axis_max))
            centre = plot_x + int(plot_w * (column + 0.5) / count)
            lines: list[Line] = []
            if total is not None:
                for phrase in total:
                    self.on_phrase(phrase, phrase.text)
                lines += self.bilingual(
                    total, color=self.theme.ink, bold=True, second_scale=0.85, align=PP_ALIGN.CENTER
                )
            for series_index, series_spec, label in reversed(segments):  # top of the stack first
                color = self.series_colour(series_index)
                named = Texts(
                    tuple(Phrase(p.lang, f"{series_spec.name.get(p.lang)} {label.get(p.lang)}") for p in label)
                )
                lines += self.bilingual(
                    named,
                    color=color,
                    bold=True,
                    second_scale=0.85,
                    space_before=0.3 if lines else 0,
                    align=PP_ALIGN.CENTER,
                )
            width = int(plot_w / count * 0.96)
            height = min(top - plot_y, Inches(1.6)) if segments else top - plot_y
            self.text_box(
                Rect(centre - width // 2, top - height - Inches(0.05), width, height),
                lines,
                max_size=10.5,
                min_size=8,
                anchor=MSO_ANCHOR.BOTTOM,
            )

    def chart_title(self, chart, spec: ChartSpec) -> None:
        title = spec.title
        if spec.log_scale:
            scale = self.report.labels["log_scale"]
            title = Texts(tuple(Phrase(p.lang, p.text + scale.get(p.lang)) for p in title))
        chart.has_title = True
        frame = chart.chart_title.text_frame
        lines = self.bilingual(title, bold=True, second_scale=0.8)
        self.write_paragraphs(frame, lines, 14, exact=False)

    LABEL_PT = 11
    """Size of a data label's first language, in points."""

    def plot_fractions(self, spec: ChartSpec, rect: Rect) -> tuple[float, float, float, float]:
        """Where the inner plot sits in the chart frame, as fractions (x, y, w, h): between the
        title (top) and the category labels and legend (bottom). Set on charts whose
        labels are placed by computation, so the computation holds."""
        langs = len(self.report.langs)
        title_h = Pt(14 * 1.45 * langs) + Inches(0.25)
        legend_rows = (
            0 if len(spec.series) < 2 and spec.kind != "stacked_column" else (2 if len(spec.series) > 2 else 1)
        )
        # A narrow chart wraps its legend onto more rows (entries: marker, name, spacing).
        entries = sum(self.measure.width(series.name.joined(" / "), 10.5) + 24 for series in spec.series)
        if legend_rows:
            legend_rows = max(legend_rows, -(-int(entries) // max(int(textfit.emu_to_pt(rect.w) * 0.9), 1)))
        bottom_h = Pt(11 * 1.4 * langs) + Pt(10.5 * 1.6 * legend_rows) + Inches(0.35)
        y0 = title_h / rect.h
        x0 = 0.03
        if spec.kind != "stacked_column":
            # The value axis' tick numbers (about four digits at 9 pt) and its title, turned
            # upright beside them (a line per language), keep clear of the plot.
            title_lines = len({p.text for p in spec.value_axis}) if spec.value_axis is not None else 0
            x0 += (Pt(9 * 0.6 * 5 + 10) + Pt(10 * 1.3 * title_lines)) / rect.w
        return x0, y0, 0.97 - x0, max(0.3, 1 - y0 - bottom_h / rect.h)

    def label_mode(self, spec: ChartSpec, rect: Rect) -> str:
        """How a bar or column chart's value labels are set so none overlaps another:
        ``flat`` (across, each within its bar's slot), ``upright`` (a column's label turned
        to read upwards, when its lines are thinner than the bar) or ``none`` (the value
        axis' numbers instead). Other kinds: ``flat``."""
        if spec.kind not in ("bar", "column"):
            return "flat"
        count, series = max(len(spec.categories), 1), max(len(spec.series), 1)
        x0, y0, w0, h0 = self.plot_fractions(spec, rect)
        along = textfit.emu_to_pt(rect.w * w0 if spec.kind == "column" else rect.h * h0)
        # Gap width 60: each category slot holds its bars and 0.6 of a bar's width.
        bar_pt = along / count / (series + 0.6)
        labels = [label for s in spec.series for label in s.value_labels if label is not None]
        langs = max((len({p.text for p in label}) for label in labels), default=1)
        thick = self.LABEL_PT * 1.25 * (1 + 0.85 * (langs - 1))  # its lines side by side, once turned
        long = max(
            (
                self.measure.width(p.text, self.LABEL_PT * (1 if i == 0 else 0.85), bold=i == 0)
                for label in labels
                for i, p in enumerate(label)
            ),
            default=0,
        )
        if spec.kind == "bar":
            # Across the bar's end: its lines stack against the bar's thickness.
            return "flat" if thick <= (bar_pt * (series + 0.6) if series == 1 else bar_pt) else "none"
        if long <= bar_pt * (1 if series > 1 else 1.6) - 2:
            return "flat"
        return "upright" if thick <= bar_pt - 2 else "none"

    def label_headroom(self, spec: ChartSpec, rect: Rect) -> float:
        """The share of the value axis a value label needs past the highest value: its
        lines above a column or a line's point, its width beyond a bar's end."""
        x0, y0, w0, h0 = self.plot_fractions(spec, rect)
        labels = [label for s in spec.series for label in s.value_labels if label is not None]
        if not labels:
            return 0.0
        if spec.kind == "bar":
            long = max(
                self.measure.width(p.text, self.LABEL_PT * (1 if i == 0 else 0.85), bold=i == 0)
                for label in labels
                for i, p in enumerate(label)
            )
            # The category names take up to a third of the frame's width.
            return (long + 8) / max(textfit.emu_to_pt(rect.w * w0) * 0.67, 1.0)
        plot_pt = max(textfit.emu_to_pt(rect.h * h0), 1.0)
        if spec.kind == "column" and self.label_mode(spec, rect) == "upright":
            # Labels that fit inside their column's end need no room; the others, above.
            floor = spec.value_floor()
            top = max(v for s in spec.series for v in s.values if v is not None)
            high = axis_extent(floor, top)[1]
            inside = self.upright_inside(spec, rect, floor, high)
            needed = top
            for s, series in enumerate(spec.series):
                for i, (value, label) in enumerate(zip(series.values, series.value_labels)):
                    if value is not None and label is not None and (s, i) not in inside:
                        share = min(self.upright_length(label) / plot_pt, 0.8)
                        needed = max(needed, floor + (value - floor) / (1 - share))
            return 1 - (top - floor) / (needed - floor) if needed > floor else 0.0
        langs = max(len({p.text for p in label}) for label in labels)
        return (self.LABEL_PT * 1.3 * (1 + 0.85 * (langs - 1)) + 6) / plot_pt

    def upright_length(self, texts) -> float:
        """How long a data label turned upright runs along its column, in points."""
        return (
            max(
                self.measure.width(p.text, self.LABEL_PT * (1 if i == 0 else 0.85), bold=i == 0)
                for i, p in enumerate(texts)
            )
            + 8
        )

    def upright_inside(self, spec: ChartSpec, rect: Rect, low: float | None, high: float | None) -> set:
        """The (series, point) labels, turned upright, that fit inside their column's end
        on an axis from ``low`` to ``high``: the others sit above their column."""
        if low is None or high is None or high <= low:
            return set()
        x0, y0, w0, h0 = self.plot_fractions(spec, rect)
        plot_pt = textfit.emu_to_pt(rect.h * h0)
        return {
            (s, i)
            for s, series in enumerate(spec.series)
            for i, (value, label) in enumerate(zip(series.values, series.value_labels))
            if value is not None
            and label is not None
            and self.upright_length(label) <= (value - max(low, 0.0)) / (high - low) * plot_pt
        }

    def point_label(
        self, point, texts: Sequence[str], position: XL_LABEL_POSITION, color: str, *, upright: bool = False
    ) -> None:
        """A data label with the edition's formatting (``768万`` / ``7.68 million``),
        one line per language; later languages smaller and muted; ``upright`` turns it to
        read upwards (a column too narrow for it across)."""
        label = point.data_label
        frame = label.text_frame
        unique: list[str] = []
        for text in texts:
            if text not in unique:
                unique.append(text)
        langs = self.report.langs
        lines = [
            Line(
                text,
                langs[min(i, len(langs) - 1)],
                1.0 if i == 0 else 0.85,
                color if i == 0 or position in INSIDE else self.theme.muted,
                bold=(i == 0),
            )
            for i, text in enumerate(unique)
        ]
        self.write_paragraphs(frame, lines, self.LABEL_PT, exact=False)
        if upright:
            oxml.rotate_text(frame, -90)
        label.position = position

    def light_value_axis(self, value) -> None:
        """A value axis whose numbers show, with light gridlines (a log scale, a line not
        starting at zero, labels left out: without them the chart would mislead)."""
        value.visible = True
        value.tick_label_position = XL_TICK_LABEL_POSITION.NEXT_TO_AXIS
        value.has_major_gridlines = True
        value.major_gridlines.format.line.color.rgb = rgb(self.theme.rule)
        value.major_gridlines.format.line.width = Pt(0.75)
        value.tick_labels.font.size = Pt(9)
        value.tick_labels.font.color.rgb = rgb(self.theme.muted)

    def style_axes(self, chart, spec: ChartSpec, rect: Rect) -> None:
        theme = self.theme
        category = chart.category_axis
        category.has_major_gridlines = False
        category.major_tick_mark = XL_TICK_MARK.NONE
        category.format.line.color.rgb = rgb(theme.rule)
        category.tick_labels.font.size = Pt(11)
        category.tick_labels.font.color.rgb = rgb(theme.ink)
        if spec.kind == "bar":
            category.reverse_order = True  # first category at the top, as it reads
        value = chart.value_axis
        value.major_tick_mark = XL_TICK_MARK.NONE
        value.format.line.fill.background()
        if spec.log_scale:
            # Bars on a log axis mislead without a scale: keep tick labels and light gridlines.
            oxml.set_log_scale(value, 10)
            self.light_value_axis(value)
            value.tick_labels.number_format = "General"
            value.tick_labels.number_format_is_linked = False
        else:
            # Data labels carry every value in the edition's own number style; the axis
            # stays, in the labels' display scale (its title says the scale and the unit
            # once). Tick numbers hide beside stacked columns, whose plot area is fixed
            # for their annotations.
            value.has_major_gridlines = False
            value.tick_labels.font.size = Pt(9)
            value.tick_labels.font.color.rgb = rgb(theme.muted)
            if spec.kind == "stacked_column":
                value.tick_label_position = XL_TICK_LABEL_POSITION.NONE
            # Bars keep zero; a line fits its values (or starts where the dataset says).
            floor = spec.value_floor()
            top = max((v for series in spec.series for v in series.values if v is not None), default=0)
            if floor < 0:
                # Below zero a bar's label sits past its end: a step more of axis holds it,
                # and the category names go to the axis' low edge, clear of the bars.
                floor -= nice_step((max(top, 0.0) - floor) / 10)
                category.tick_label_position = XL_TICK_LABEL_POSITION.LOW
            value.minimum_scale = floor
            if floor > 0:
                # An axis not starting at zero says where it starts: numbers and light gridlines.
                self.light_value_axis(value)
            if spec.kind != "stacked_column" and top > floor:
                low, high, step = axis_extent(floor, top, headroom=self.label_headroom(spec, rect))
                value.maximum_scale = high
                value.major_unit = step
                fraction = step_fraction(step)
            else:
                fraction = 0
            value.tick_labels.number_format = spec.tick_format(fraction)
            value.tick_labels.number_format_is_linked = False
        if spec.value_axis is not None:
            value.has_title = True
            lines = self.bilingual(spec.value_axis, color=theme.muted, second_scale=0.9)
            self.write_paragraphs(value.axis_title.text_frame, lines, 10, exact=False)
