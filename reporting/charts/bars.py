"""Bar, column and stacked column charts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

from ..model.chartspec import ChartSpec
from .layout import (
    DrawContext,
    constrained_layout,
    draw_legend,
    first_text,
    log_floor,
    make_room,
    positive_values,
    series_label,
    settle_layout,
    spread,
    style_value_axis,
    thin_ticks,
    top_of,
)
from .style import LINESPACING, TEXT_PT
from .wrap import clip_lines, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text


def _grouped_bars(
    ax: "Axes", spec: ChartSpec, ctx: DrawContext, band: float, low: float, *, horizontal: bool
) -> tuple[list, list[tuple[float, list["Text"]]], list]:
    """Bars for every series side by side in each category slot (``band`` wide each, in
    slot units), starting at ``low``, with the formatted value at each bar's end.

    Returns the bar containers (for a legend), each value label with the value it
    marks (for :func:`make_room`) and the bar patches in the labels' order. Values that are missing, or not positive on a log
    scale, draw no bar.
    """
    count = max(len(spec.series), 1)
    anchored: list[tuple[float, list[Text]]] = []
    handles, patches = [], []
    for index, series in enumerate(spec.series):
        offset = (index - (count - 1) / 2) * band
        rows = [
            (i + offset, v, lab)
            for i, (v, lab) in enumerate(zip(series.values, series.value_labels))
            if v is not None and (v > 0 or not spec.log_scale)
        ]
        slots, lengths = [r[0] for r in rows], [r[1] - low for r in rows]  # from ``low``: below zero too
        if horizontal:
            bars = ax.barh(slots, lengths, left=low, height=band * 0.9, color=ctx.color(index), linewidth=0)
        else:
            bars = ax.bar(slots, lengths, bottom=low, width=band * 0.9, color=ctx.color(index), linewidth=0)
        handles.append(bars)
        patches.extend(bars.patches)
        for slot, value, label in rows:
            sign = -1 if value < low else 1  # a negative bar's label sits past its end, below zero
            text = ax.annotate(
                first_text(label),
                xy=(value, slot) if horizontal else (slot, value),
                xytext=(4 * sign, 0) if horizontal else (0, 3 * sign),
                textcoords="offset points",
                ha=("left" if sign > 0 else "right") if horizontal else "center",
                va="center" if horizontal else ("bottom" if sign > 0 else "top"),
                fontsize=ctx.pt(TEXT_PT),
                color=ctx.theme.ink,
            )
            anchored.append((value, [text]))
    return handles, anchored, patches


LABEL_MODES = {"column": ("flat", "upright", "none"), "bar": ("flat", "none")}
"""How value labels may be set, in order of preference, when they collide: across
(``flat``), turned to read upwards above a column (``upright``), or left out with the
value axis' numbers kept (``none``). A label is never shortened: the figure would no
longer be the dataset's."""


def separate_labels(
    ax: "Axes",
    which: str,
    anchored: list[tuple[float, list["Text"]]],
    bars: list,
    modes: tuple[str, ...],
    limits: tuple[float, float],
) -> Callable[["RendererBase"], bool]:
    """A settle step: while any value label overlaps another or a bar other than its own
    (``bars`` pairs each bar patch with its label, in the order of ``anchored``), set every
    label the next way ``modes`` allows, and start the value axis again from ``limits``
    (:func:`make_room` extends it for the labels as now set)."""
    state = {"mode": 0}
    texts = [t for _, group in anchored for t in group]

    def step(renderer) -> bool:
        if not texts or state["mode"] >= len(modes) - 1:
            return False
        gap = renderer.points_to_pixels(1.5)
        boxes = [t.get_window_extent(renderer) for t in texts]
        patches = [bar.get_window_extent(renderer) for bar in bars]
        crowded = any(_overlap(a, b, gap) for i, a in enumerate(boxes) for b in boxes[i + 1 :]) or any(
            _overlap(box, patch, -0.5) for i, box in enumerate(boxes) for j, patch in enumerate(patches) if i != j
        )
        if not crowded:
            return False
        state["mode"] += 1
        mode = modes[state["mode"]]
        for text in texts:
            if mode == "upright":
                text.set_rotation(90)
            else:
                text.set_visible(False)
        (ax.set_xlim if which == "x" else ax.set_ylim)(*limits)
        return True

    return step


def labels_inside_long_bars(
    ax: "Axes",
    anchored: list[tuple[float, list["Text"]]],
    bars: list,
    outside: list,
    ctx: DrawContext,
    limits: tuple[float, float],
    log_scale: bool,
) -> Callable[["RendererBase"], bool]:
    """A settle step: where the labels at the bars' ends would stretch the value axis past
    1.25 times the longest bar (and past the next round step), the longest bars' labels go
    inside their bar's end, in a colour that reads on it, where the bar holds them."""

    def step(renderer) -> bool:
        if log_scale:
            return False
        top = max((value for value, _ in anchored), default=0.0)
        low, high = ax.get_xlim()
        ticks = sorted(ax.xaxis.get_majorticklocs())
        tick_step = ticks[1] - ticks[0] if len(ticks) > 1 else high
        allowed = max(top * 1.25, math.ceil(top / tick_step - 1e-9) * tick_step)
        if top <= 0 or high <= allowed * (1 + 1e-9):
            return False
        pad = renderer.points_to_pixels(4)
        moved = False
        for (value, texts), bar in sorted(zip(anchored, bars), key=lambda pair: -pair[0][0]):
            text = texts[0]
            entry = (value, texts)
            if entry not in outside or not text.get_visible() or value < top * 0.75:
                continue
            if text.get_window_extent(renderer).width + 2 * pad <= bar.get_window_extent(renderer).width:
                text.xyann = (-4, 0)
                text.set_ha("right")
                text.set_color(_on(bar.get_facecolor(), ctx))
                outside.remove(entry)
                moved = True
        if moved:
            ax.set_xlim(*limits)
        return moved

    return step


def upright_inside(
    anchored: list[tuple[float, list["Text"]]], bars: list, outside: list, ctx: DrawContext
) -> Callable[["RendererBase"], bool]:
    """A settle step: a value label turned upright sits inside its column's end, in a
    colour that reads on the column, where the column is long enough for it; else above
    the column. ``outside`` (what :func:`make_room` keeps inside the axes) is kept to the
    labels above their columns: the axis never runs far past the tallest column to hold
    labels turned upright."""

    def step(renderer) -> bool:
        changed = False
        pad = renderer.points_to_pixels(3)
        for (value, texts), bar in zip(anchored, bars):
            text = texts[0]
            if text.get_rotation() != 90 or not text.get_visible():
                continue
            length = text.get_window_extent(renderer).height
            height = bar.get_window_extent(renderer).height
            inside = value > 0 and length + 2 * pad <= height
            was_inside = text.get_va() == "top"
            if inside == was_inside:
                continue
            changed = True
            fill = bar.get_facecolor()
            text.xyann = (0, -3 if inside else 3)
            text.set_va("top" if inside else "bottom")
            text.set_color(_on(fill, ctx) if inside else ctx.theme.ink)
            entry = (value, texts)
            if inside and entry in outside:
                outside.remove(entry)
            elif not inside and entry not in outside:
                outside.append(entry)
        return changed

    return step


def _overlap(a, b, gap: float = 0.0) -> bool:
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def draw_bar(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """Horizontal bars, categories top to bottom in the given order, value at each bar's end."""
    constrained_layout(figure)
    ax = figure.add_subplot()
    values = positive_values(spec)
    low = log_floor(values) if spec.log_scale else 0.0
    count = max(len(spec.series), 1)
    band = 0.64 if count == 1 else 0.8 / count
    handles, anchored, patches = _grouped_bars(ax, spec, ctx, band, low, horizontal=True)
    low = low if spec.log_scale else spec.value_floor()  # below zero when a value is
    width_pt = figure.get_figwidth() * 72 * (0.3 if len(ctx.langs) > 1 else 0.26)
    ax.set_yticks(
        range(len(spec.categories)), [ctx.label(c, width_pt) for c in spec.categories], linespacing=LINESPACING
    )
    ax.tick_params(axis="y", length=0, pad=6, labelcolor=ctx.theme.ink, labelsize=ctx.pt(TEXT_PT))
    height_in = figure.get_figheight() - 0.6 * ctx.scale  # roughly the plot's height
    spare = _spare_slots(len(spec.categories), band * count, height_in, 0.42 * ctx.scale * count**0.5)
    ax.set_ylim(len(spec.categories) - 0.5 + spare, -0.5 - spare)  # first category on top
    ax.spines["left"].set_color(ctx.theme.muted)
    style_value_axis(ax, "x", spec, ctx, low, top_of(values))
    if len(spec.series) > 1:
        draw_legend(ax, ctx, handles, [series_label(ctx, s) for s in spec.series], right=False)
    state = {"ticks": 6 if not spec.log_scale else 10}
    outside = list(anchored)  # the labels make_room keeps inside the axes: not those inside their bar
    limits = ax.get_xlim()
    settle_layout(
        figure,
        [
            thin_ticks(ax, "x", spec, state),
            separate_labels(ax, "x", anchored, patches, LABEL_MODES["bar"], limits),
            labels_inside_long_bars(ax, anchored, patches, outside, ctx, limits, spec.log_scale),
            make_room(ax, "x", outside),
        ],
    )


def category_labels(ax: "Axes", spec: ChartSpec, ctx: DrawContext) -> Callable[["RendererBase"], bool]:
    """A settle step: wrap category labels to the width of their slot under the plot."""

    def step(renderer) -> bool:
        # One category step in pixels (padding slots make it less than width / count).
        step_px = abs(ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0])
        slot_pt = step_px / renderer.points_to_pixels(1)
        labels = [ctx.label(c, max(slot_pt * 0.9, 36)) for c in spec.categories]
        if [t.get_text() for t in ax.get_xticklabels()] == labels:
            return False
        ax.set_xticks(range(len(spec.categories)), labels, linespacing=LINESPACING)
        return True

    return step


def _spare_slots(count: int, fill: float, length_in: float, max_in: float) -> float:
    """Empty category slots to add at each end so a group ``fill`` slots thick stays under ``max_in`` inches.

    Two categories across a whole column width would make slabs, not bars.
    """
    return max(0.0, (length_in * fill / max_in - count) / 2)


def column_axes(figure: "Figure", spec: ChartSpec, ctx: DrawContext, fill: float, legend: bool) -> "Axes":
    """Axes with the categories along the bottom; ``fill`` is the share of a slot the columns take."""
    constrained_layout(figure)
    ax = figure.add_subplot()
    count = len(spec.categories)
    # A first guess, wrapped to an even share of the width: one very long label must not
    # squeeze the plot to nothing before category_labels wraps them to their slots.
    share_pt, measure = 72 * figure.get_figwidth() / max(count, 1), ctx.measure()
    ax.set_xticks(
        range(count), ["\n".join(clip_lines(wrap(first_text(c), share_pt, measure))) for c in spec.categories]
    )
    ax.tick_params(axis="x", length=0, pad=6, labelcolor=ctx.theme.ink, labelsize=ctx.pt(TEXT_PT))
    ax.spines["bottom"].set_color(ctx.theme.muted)
    # Roughly the plot's width: less the value labels and, if any, the legend.
    width_in = figure.get_figwidth() - ctx.scale * (0.9 + (1.7 if legend else 0.0))
    spare = _spare_slots(count, fill, width_in, 0.8 * ctx.scale * max(len(spec.series), 1) ** 0.5)
    ax.set_xlim(-0.5 - spare, count - 0.5 + spare)
    return ax


def draw_column(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """Vertical columns, grouped side by side when there are several series."""
    count = max(len(spec.series), 1)
    band = 0.6 if count == 1 else 0.8 / count
    ax = column_axes(figure, spec, ctx, band * count, legend=count > 1)
    values = positive_values(spec)
    low = log_floor(values) if spec.log_scale else 0.0
    handles, anchored, patches = _grouped_bars(ax, spec, ctx, band, low, horizontal=False)
    low = low if spec.log_scale else spec.value_floor()  # below zero when a value is
    style_value_axis(ax, "y", spec, ctx, low, top_of(values))
    if len(spec.series) > 1:
        draw_legend(ax, ctx, handles, [series_label(ctx, s) for s in spec.series], right=True)
    state = {"ticks": 6 if not spec.log_scale else 10}
    outside = list(anchored)  # the labels make_room keeps inside the axes: not those inside their column
    settle_layout(
        figure,
        [
            category_labels(ax, spec, ctx),
            thin_ticks(ax, "y", spec, state),
            separate_labels(ax, "y", anchored, patches, LABEL_MODES["column"], ax.get_ylim()),
            upright_inside(anchored, patches, outside, ctx),
            make_room(ax, "y", outside),
        ],
    )


def draw_stacked_column(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """Columns stacked by series (missing values skipped), the value axis sized to the totals.

    Each segment's value is written inside it where it fits; else beside its column, in
    its series' colour, level with it (moved clear of the others and of gridlines); where
    there is no room beside the column either, in the legend under its series' name, with
    its category (``26 February: 2,300``). A column's total is printed once, on top of
    it, where the chart names the fact that is its total (``spec.totals``, checked against
    the segments when the dataset was loaded); no total is made up by adding, as nothing
    could check it.
    """
    ax = column_axes(figure, spec, ctx, 0.6, legend=True)
    count = len(spec.categories)
    tops = [0.0] * count
    handles = []
    segments: list[_Segment] = []
    for index, series in enumerate(spec.series):
        xs, heights, bottoms, rows = [], [], [], []
        for i, (value, label) in enumerate(zip(series.values, series.value_labels)):
            if value is None:
                continue
            xs.append(i)
            heights.append(value)
            bottoms.append(tops[i])
            rows.append((i, tops[i], value, label))
            tops[i] += value
        bars = ax.bar(
            xs, heights, bottom=bottoms, width=0.6, color=ctx.color(index), edgecolor=ctx.theme.paper, linewidth=0.6
        )
        handles.append(bars)
        for (i, bottom, value, label), patch in zip(rows, bars.patches):
            text = ax.text(
                i,
                bottom + value / 2,
                first_text(label),
                ha="center",
                va="center",
                fontsize=ctx.pt(TEXT_PT),
                color=_on(ctx.color(index), ctx),
                zorder=4,
            )
            segments.append(_Segment(index, i, patch, text, ctx.color(index)))
    anchored: list[tuple[float, list[Text]]] = []
    for i, label in enumerate(spec.totals.value_labels if spec.totals else ()):
        if label is not None:
            text = ax.annotate(
                first_text(label),
                xy=(i, tops[i]),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ctx.pt(TEXT_PT),
                fontweight="bold",
                color=ctx.theme.ink,
                zorder=4,
            )
            anchored.append((tops[i], [text]))
    style_value_axis(ax, "y", spec, ctx, 0.0, top_of(tops) * 1.02)  # the stacks; make_room adds their totals
    names = [series_label(ctx, s) for s in spec.series]
    # Legend top-down like the segments.
    draw_legend(ax, ctx, handles[::-1], names[::-1], right=True)
    state = {"ticks": 6}
    settle_layout(
        figure,
        [
            category_labels(ax, spec, ctx),
            thin_ticks(ax, "y", spec, state),
            _place_segment_labels(ax, spec, ctx, segments, names),
            make_room(ax, "y", anchored),
        ],
    )


COLON = {"zh": "：", "en": ": "}


class _Segment:
    """A stacked segment and its value label (``where``: inside, beside or legend)."""

    def __init__(self, series: int, column: int, patch, text: "Text", colour: str):
        self.series, self.column, self.patch, self.text, self.colour = series, column, patch, text, colour
        self.where = "inside"
        self.shown = True


def _on(colour: str, ctx: DrawContext) -> str:
    """Paper or ink, whichever reads better on ``colour``."""
    from ..model.colours import on_colour
    from matplotlib.colors import to_hex

    return on_colour(to_hex(colour).upper(), to_hex(ctx.theme.paper).upper(), to_hex(ctx.theme.ink).upper())


def _place_segment_labels(
    ax: "Axes", spec: ChartSpec, ctx: DrawContext, segments: list[_Segment], names: list[str]
) -> Callable[["RendererBase"], bool]:
    """A settle step: each segment label inside its segment, else beside its column, else in
    the legend (see :func:`draw_stacked_column`); labels beside a column are spread so none
    overlaps another or crosses a gridline."""

    def step(renderer) -> bool:
        pad = renderer.points_to_pixels(2)
        inverse = ax.transData.inverted()
        box = ax.get_window_extent(renderer)
        changed = False
        # Where each column's right edge is, and how far the next column (or the axes) starts.
        right = {seg.column: seg.patch.get_window_extent(renderer).x1 for seg in segments}
        left = {seg.column: seg.patch.get_window_extent(renderer).x0 for seg in segments}
        legend_series: set[int] = set()
        beside: dict[int, list[_Segment]] = {}
        for seg in segments:
            patch = seg.patch.get_window_extent(renderer)
            seg.shown = seg.text.get_visible()
            seg.text.set_visible(True)
            extent = seg.text.get_window_extent(renderer)
            width, height = extent.width, extent.height
            if width + 2 * pad <= patch.width and height + pad <= patch.height:
                where = "inside"
            else:
                limit = min((x for c, x in left.items() if c > seg.column), default=box.x1)
                where = "beside" if right[seg.column] + pad + width + pad <= limit else "legend"
            if where == "legend":
                legend_series.add(seg.series)
            changed |= where != seg.where
            seg.where = where
        for seg in segments:
            if seg.where == "beside":
                beside.setdefault(seg.column, []).append(seg)
        grid = [
            ax.transData.transform((0, loc))[1]
            for loc in ax.yaxis.get_majorticklocs()
            if ax.get_ylim()[0] <= loc <= ax.get_ylim()[1]
        ]
        for seg in segments:
            patch = seg.patch.get_window_extent(renderer)
            if seg.where == "inside":
                target = ((patch.x0 + patch.x1) / 2, (patch.y0 + patch.y1) / 2)
                changed |= _move(seg.text, inverse.transform(target), "center", _on(seg.colour, ctx))
            elif seg.where == "legend":
                changed |= seg.shown
                seg.text.set_visible(False)
            if seg.where != "legend":
                changed |= not seg.shown
        for column, group in beside.items():
            heights = [seg.text.get_window_extent(renderer).height for seg in group]
            wishes = [
                (seg.patch.get_window_extent(renderer).y0 + seg.patch.get_window_extent(renderer).y1) / 2
                for seg in group
            ]
            centres = _clear_of(wishes, max(heights) + pad, grid, max(heights) / 2 + pad / 2, box.y0, box.y1)
            for seg, y in zip(group, centres):
                target = (right[column] + pad, y)
                changed |= _move(seg.text, inverse.transform(target), "left", ctx.text_color(seg.series))
        # The legend lists the values of a series with no room for them on its segments.
        legend = ax.get_legend()
        for k, text in enumerate(legend.get_texts()):
            series = len(names) - 1 - k
            values = [
                f"{first_text(spec.categories[seg.column])}{COLON.get(ctx.lang, ': ')}{seg.text.get_text()}"
                for seg in segments
                if seg.series == series and seg.where == "legend"
            ]
            wanted = names[series] + ("\n" + "\n".join(values) if series in legend_series else "")
            if text.get_text() != wanted:
                text.set_text(wanted)
                changed = True
        return changed

    return step


def _move(text: "Text", xy, ha: str, colour: str) -> bool:
    """Put ``text`` at ``xy`` (data) aligned ``ha``; whether anything changed."""
    old = text.get_position()
    moved = abs(old[0] - xy[0]) > 1e-6 * max(1.0, abs(xy[0])) or abs(old[1] - xy[1]) > 1e-6 * max(1.0, abs(xy[1]))
    changed = moved or text.get_ha() != ha
    text.set_position((float(xy[0]), float(xy[1])))
    text.set_ha(ha)
    text.set_color(colour)
    return changed


def _clear_of(
    wishes: list[float], spacing: float, lines: list[float], half: float, low: float, high: float
) -> list[float]:
    """Centres (pixels, bottom-up) near ``wishes``, ``spacing`` apart, each at least ``half``
    from every gridline in ``lines`` where the gaps between gridlines allow, within [low, high]."""
    order = sorted(range(len(wishes)), key=lambda i: wishes[i])
    wanted = [wishes[i] for i in order]
    placed = spread(wanted, spacing, low + half, high - half)
    for _ in range(4):
        nudged = []
        for y in placed:
            near = [g for g in lines if abs(g - y) < half]
            if near:
                g = near[0]
                y = g + half if y >= g else g - half
            nudged.append(y)
        placed = spread(nudged, spacing, low + half, high - half)
        if all(all(abs(g - y) >= half - 0.5 for g in lines) for y in placed):
            break
    out = [0.0] * len(wishes)
    for rank, i in enumerate(order):
        out[i] = placed[rank]
    return out
