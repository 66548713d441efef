"""What every chart family shares: the drawing context, the title, axes and ticks, legends, and the
passes that make room for labels."""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import TYPE_CHECKING, Callable, Sequence

from ..model.chartspec import ChartSpec, SeriesSpec, step_fraction
from ..lang.numbers import NumberStyle, axis_number, format_number
from ..model.texts import Texts
from ..model.colours import series_colours
from ..model.theme import Theme
from .colour import legible
from .style import LINESPACING, SMALL_PT, TEXT_PT, TITLE_PT
from .wrap import clip_lines, latin_quotes, text_width_pt, unique_texts, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text


@dataclasses.dataclass(frozen=True)
class DrawContext:
    """What every builder needs: theme, edition languages and fonts."""

    theme: Theme
    langs: tuple[str, ...]
    families: tuple[str, ...]
    scale: float = 1.0
    """Text grows with figures larger than the brief's (a slide picture), never shrinks."""
    title: "Text | None" = None
    """The title drawn above the chart (``with_title``), which hand-made layouts keep clear of."""

    def pt(self, size: float) -> float:
        """A text size in points, scaled for this figure."""
        return size * self.scale

    @property
    def lang(self) -> str:
        """The first language: value labels and tick numbers follow it."""
        return self.langs[0]

    def measure(self, size: float | None = None, weight: str = "normal") -> Callable[[str], float]:
        """Width in points of a line set at ``size`` points (default: the scaled body size)."""
        size = size or self.pt(TEXT_PT)
        return lambda text: text_width_pt(text, self.families, size, weight)

    def label(self, texts: Texts, width_pt: float, size: float | None = None, weight: str = "normal") -> str:
        """Every language of ``texts``, each wrapped to ``width_pt``, one under the other."""
        measure = self.measure(size, weight)
        return "\n".join(line for text in unique_texts(texts) for line in clip_lines(wrap(text, width_pt, measure)))

    def color(self, index: int) -> str:
        """The series colour: the theme's palette in order, repeating, each a readable mark
        on the paper and clearly different from the one before it
        (:func:`~reporting.model.colours.series_colours`)."""
        palette = _series_colours(self.theme.palette, self.theme.paper, self.theme.ink)
        return palette[index % len(palette)]

    def text_color(self, index: int) -> str:
        """The series colour, darkened where needed so small text on paper reads (WCAG 4.5:1)."""
        return legible(self.color(index), self.theme.paper)

    def number(self, value: float) -> str:
        """A tick number in the first language's compact press style (``1亿``, ``100 million``)."""
        return tick_number(value, self.lang)


@functools.lru_cache(maxsize=64)
def _series_colours(palette: tuple[str, ...], paper: str, ink: str) -> tuple[str, ...]:
    return series_colours(palette, paper, ink)


@functools.lru_cache(maxsize=4096)
def tick_number(value: float, lang: str) -> str:
    """:meth:`DrawContext.number`, remembered: each layout pass of each chart formats the
    same few ticks again (a pure function of its arguments)."""
    if value == 0:
        return "0"
    return format_number(value, lang, NumberStyle(2))


def first_text(texts: Texts | None) -> str:
    """The first language's text: value labels follow the edition's first language."""
    return "" if texts is None else latin_quotes(texts.first.text)


def draw_title(figure: "Figure", spec: ChartSpec, ctx: DrawContext, width_in: float) -> "Text":
    """A left-aligned title above the chart, for pictures shown without a caption."""
    text = ctx.label(spec.title, width_in * 72 * 0.9, ctx.pt(TITLE_PT), "bold")
    return figure.suptitle(
        text,
        x=0.015,
        ha="left",
        va="top",
        fontsize=ctx.pt(TITLE_PT),
        fontweight="bold",
        color=ctx.theme.ink,
        linespacing=LINESPACING,
    )


def constrained_layout(figure: "Figure") -> None:
    """Constrained layout: tick labels, legends and titles get room, figure size stays fixed."""
    figure.set_layout_engine("constrained", w_pad=4 / 72, h_pad=4 / 72, wspace=0.02, hspace=0.02)


_SETTLE_PASSES = 8
"""Layout passes before giving up on making room (each pass changes limits or labels)."""


COLLAPSED = "constrained_layout not applied"
"""The start of matplotlib's warning when labels, titles and legend leave the plot no room."""


def lay_out(figure: "Figure") -> bool:
    """Lay the figure out (draw without rendering); True when constrained layout gave up
    because the plot would have no room. matplotlib's warning saying so is kept back (the
    caller deals with it); any other warning passes on."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.draw_without_rendering()
    collapsed = False
    for warning in caught:
        if str(warning.message).startswith(COLLAPSED):
            collapsed = True
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return collapsed


def settle_layout(figure: "Figure", steps: Sequence[Callable[["RendererBase"], bool]]) -> None:
    """Lay out, then let each step adjust (wrap, thin ticks, make room) until none changes
    anything. A figure whose labels, titles and legend leave the plot no room even then
    (constrained layout gives up) is laid out with fixed margins instead, and marked
    ``figure.cramped = True`` for the caller to say so (see :func:`reporting.charts.mpl.render_svg`)."""
    collapsed = False
    for _ in range(_SETTLE_PASSES):
        collapsed = lay_out(figure)
        renderer = figure.canvas.get_renderer()
        changed = [step(renderer) for step in steps]
        if not any(changed):
            break
    else:
        collapsed = lay_out(figure)
    if collapsed:
        figure.set_layout_engine("none")
        legend_right = any(ax.get_legend() is not None and ax.get_legend()._loc == 6 for ax in figure.axes)
        right = 0.62 if legend_right else 0.96
        for ax in figure.axes:
            ax.set_position([0.12, 0.2, right - 0.12, 0.66])
        figure.cramped = True


def style_value_axis(ax: "Axes", which: str, spec: ChartSpec, ctx: DrawContext, low: float, high: float) -> None:
    """Scale, limits, compact localised tick numbers and light gridlines on the value axis."""
    from matplotlib.ticker import NullLocator

    axis = ax.xaxis if which == "x" else ax.yaxis
    if spec.log_scale:
        (ax.set_xscale if which == "x" else ax.set_yscale)("log")
        axis.set_minor_locator(NullLocator())
    _set_locator(axis, spec, 6)
    axis.set_major_formatter(axis_formatter(spec, ctx.lang))
    (ax.set_xlim if which == "x" else ax.set_ylim)(low, high)
    ax.grid(True, axis=which, which="major")
    ax.set_axisbelow(True)
    ax.tick_params(axis=which, length=0, pad=4, labelsize=ctx.pt(TEXT_PT))
    for side in ("bottom", "top") if which == "x" else ("left", "right"):
        ax.spines[side].set_visible(False)
    title = spec.axis_title()
    if title is not None:
        label = " / ".join(unique_texts(title))
        if which == "x":
            ax.set_xlabel(label, loc="right", fontsize=ctx.pt(SMALL_PT), labelpad=4)
        else:
            # Horizontal, above the numbers: rotated Chinese reads sideways.
            ax.set_title(label, loc="left", fontsize=ctx.pt(SMALL_PT), pad=8)


def axis_formatter(spec: ChartSpec, lang: str):
    """Tick numbers in the axis' display scale (``150`` under ``Revenue (US$), in
    billions``), every tick with the same number of decimals (the fewest that show each
    tick as it is), in ``lang``'s digits, with :attr:`ChartSpec.tick_affixes`; on a log
    scale each tick with its own few decimals (0.01, 1, 100)."""
    from matplotlib.ticker import Formatter

    factor = 10.0**spec.axis_power
    before, after = spec.tick_affixes

    class AxisFormatter(Formatter):
        fraction = 0

        def set_locs(self, locs):
            super().set_locs(locs)
            low, high = sorted(self.axis.get_view_interval()) if self.axis is not None else (-math.inf, math.inf)
            shown = [
                loc / factor for loc in locs if low - 1e-9 * abs(high - low) <= loc <= high + 1e-9 * abs(high - low)
            ]
            self.fraction = max((step_fraction(abs(v)) for v in shown if v), default=0)

        def __call__(self, value, pos=None):
            scaled = value / factor
            fraction = step_fraction(abs(scaled)) if spec.log_scale else self.fraction
            if scaled == 0:
                return "0"
            return before + axis_number(scaled, lang, min(fraction, 6)) + after

    return AxisFormatter()


def _integers(spec: ChartSpec) -> bool:
    values = [v for s in spec.series for v in s.values if v is not None]
    return bool(values) and all(float(v).is_integer() for v in values)


def _set_locator(axis, spec: ChartSpec, count: int) -> None:
    """At most about ``count`` ticks: round steps, whole numbers for counts, decades on a log scale.

    A log axis spanning under three decades also ticks at 2 and 5 times each power
    of ten, or it would show one or two numbers.
    """
    from matplotlib.ticker import LogLocator, MaxNLocator

    if spec.log_scale:
        values = positive_values(spec)
        decades = math.log10(max(values) / log_floor(values)) if values else 0.0
        subs = (1.0, 2.0, 5.0) if decades < 3 else (1.0,)
        axis.set_major_locator(LogLocator(base=10, subs=subs, numticks=count))
    else:
        axis.set_major_locator(
            MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10], integer=_integers(spec), min_n_ticks=2)
        )


def log_floor(values: Sequence[float]) -> float:
    """Where log bars start: a power of ten clearly below the smallest value."""
    smallest = min(v for v in values if v > 0)
    floor = 10 ** math.floor(math.log10(smallest))
    return floor / 10 if smallest / floor < 2 else floor


def positive_values(spec: ChartSpec) -> list[float]:
    """The values drawn: all present ones, only those above zero on a log scale."""
    return [v for s in spec.series for v in s.values if v is not None and (v > 0 or not spec.log_scale)]


def top_of(values: Sequence[float]) -> float:
    """Where the value axis starts out ending (value labels may extend it): never at zero."""
    return max(max(values, default=0.0), 0.0) or 1.0


def _drawn_tick_labels(axis, renderer) -> list["Text"]:
    """Labels of the major ticks inside the view (others are stale and not drawn)."""
    low, high = sorted(axis.get_view_interval())
    span = abs(high - low) or 1.0
    labels = []
    for tick, loc in zip(axis.get_major_ticks(), axis.get_majorticklocs()):
        inside = low - 1e-9 * span <= loc <= high + 1e-9 * span
        if inside and tick.label1.get_visible() and tick.label1.get_text():
            labels.append(tick.label1)
    return labels


def thin_ticks(ax: "Axes", which: str, spec: ChartSpec, state: dict) -> Callable[["RendererBase"], bool]:
    """A settle step: fewer value ticks while any two tick labels touch."""

    def step(renderer) -> bool:
        axis = ax.xaxis if which == "x" else ax.yaxis
        boxes = [label.get_window_extent(renderer) for label in _drawn_tick_labels(axis, renderer)]
        gap = 6 * renderer.points_to_pixels(1)
        crowded = any(_overlap(a, b, gap) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        if not crowded or state["ticks"] <= 2:
            return False
        state["ticks"] -= 1
        _set_locator(axis, spec, state["ticks"])
        return True

    return step


def _overlap(a, b, gap: float = 0.0) -> bool:
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def make_room(ax: "Axes", which: str, anchored: list[tuple[float, list["Text"]]]) -> Callable[["RendererBase"], bool]:
    """A settle step: extend the value axis so every value label ends inside the axes, at
    either end: a negative bar's label sits past its end, below zero, and would otherwise
    run into the category labels beside the axis.

    ``anchored`` pairs the value a label sits at with the label's texts. In the
    axis' scale (linear or log) a label at ``v`` reaching ``e`` pixels past its
    anchor fits when ``(s(v) - s(lo)) / (s(hi) - s(lo)) * A + e <= A`` (towards the
    high end; likewise towards the low end).
    """

    def step(renderer) -> bool:
        import numpy as np

        if not anchored:
            return False
        axis = ax.xaxis if which == "x" else ax.yaxis
        scale = axis.get_transform()
        to_scale = lambda v: float(scale.transform(np.array([[v]]))[0, 0])  # noqa: E731
        box = ax.get_window_extent(renderer)
        length = box.width if which == "x" else box.height
        low, high = ax.get_xlim() if which == "x" else ax.get_ylim()
        s_low, s_high = to_scale(low), to_scale(high)
        pad = 3 * renderer.points_to_pixels(1)
        needed_high, needed_low = s_high, s_low
        for value, texts in anchored:
            s_value = to_scale(value)
            anchor = (s_value - s_low) / (s_high - s_low) * length
            extents = [t.get_window_extent(renderer) for t in texts]
            near = min(_near_edge(e, which, box) for e in extents)
            far = max(_far_edge(e, which, box) for e in extents)
            if (near + far) / 2 >= anchor:  # the label lies towards the high end
                share = min((far - anchor + pad) / length, 0.8)  # never squash the bars to nothing
                needed_high = max(needed_high, s_low + (s_value - s_low) / (1 - share))
            else:
                share = min((anchor - near + pad) / length, 0.8)
                needed_low = min(needed_low, (s_value - share * s_high) / (1 - share))
        grow_high = needed_high > s_high * (1 + 1e-6) + 1e-9
        grow_low = needed_low < s_low - abs(s_low) * 1e-6 - 1e-9
        if not (grow_high or grow_low):
            return False
        inverse = scale.inverted()
        new_high = float(inverse.transform(np.array([[needed_high]]))[0, 0]) if grow_high else high
        new_low = float(inverse.transform(np.array([[needed_low]]))[0, 0]) if grow_low else low
        (ax.set_xlim if which == "x" else ax.set_ylim)(new_low, new_high)
        return True

    return step


def _near_edge(extent, which: str, axes_box) -> float:
    """Where a label starts along the value axis, in pixels from the axes' start."""
    return extent.x0 - axes_box.x0 if which == "x" else extent.y0 - axes_box.y0


def _far_edge(extent, which: str, axes_box) -> float:
    """How far a label reaches along the value axis, in pixels from the axes' start."""
    return extent.x1 - axes_box.x0 if which == "x" else extent.y1 - axes_box.y0


def series_label(ctx: DrawContext, series: SeriesSpec, width_pt: float = 130) -> str:
    return ctx.label(series.name, width_pt * ctx.scale)


def draw_legend(ax: "Axes", ctx: DrawContext, handles, labels, *, right: bool) -> None:
    """A frameless legend: to the right of the plot, or in one row above it."""
    if right:
        legend = ax.legend(
            handles,
            labels,
            loc="center left",
            bbox_to_anchor=(1.02, 0.5),
            handlelength=1.0,
            handleheight=1.0,
            labelspacing=0.9,
            borderaxespad=0.0,
            fontsize=ctx.pt(TEXT_PT),
        )
    else:
        legend = ax.legend(
            handles,
            labels,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.02),
            ncols=len(labels),
            handlelength=1.0,
            handleheight=1.0,
            columnspacing=1.4,
            borderaxespad=0.0,
            fontsize=ctx.pt(TEXT_PT),
        )
    for text in legend.get_texts():
        text.set_color(ctx.theme.ink)
        text.set_linespacing(LINESPACING)


def top_fraction(figure: "Figure", ctx: DrawContext) -> float:
    """The share of the figure's height below its title (1.0 without one); for hand-made layouts."""
    if ctx.title is None:
        return 1.0
    figure.draw_without_rendering()
    return ctx.title.get_window_extent(figure.canvas.get_renderer()).y0 / figure.bbox.height - 0.02


def spread(desired: list[float], spacing: float, low: float, high: float) -> list[float]:
    """Positions as close to ``desired`` (sorted) as possible, at least ``spacing`` apart, within [low, high].

    Overlapping neighbours merge into a group centred on their wishes, then the
    group is pushed inside the bounds; repeated until nothing overlaps.
    """
    groups: list[list[float]] = []  # each: [first index, size, start position]
    for index, wish in enumerate(desired):
        groups.append([index, 1, min(max(wish, low), high)])
        while len(groups) > 1:
            before, last = groups[-2], groups[-1]
            if before[2] + before[1] * spacing <= last[2]:
                break
            first, size = before[0], before[1] + last[1]
            centre = sum(desired[first : first + size]) / size
            start = centre - (size - 1) * spacing / 2
            start = min(max(start, low), high - (size - 1) * spacing)
            groups[-2:] = [[first, size, start]]
    positions: list[float] = []
    for _first_index, size, start in groups:
        positions.extend(start + k * spacing for k in range(size))
    return positions
