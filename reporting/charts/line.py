"""Line charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.chartspec import ChartSpec
from .bars import category_labels, column_axes
from .layout import (
    DrawContext,
    draw_legend,
    first_text,
    log_floor,
    make_room,
    positive_values,
    series_label,
    settle_layout,
    style_value_axis,
    thin_ticks,
    top_of,
)
from .style import SMALL_PT

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text


def draw_line(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """One line per series across the categories, each point labelled with its value; the value
    axis fits the values (:meth:`ChartSpec.value_floor`), its numbers showing where it starts."""
    ax = column_axes(figure, spec, ctx, 1.0, legend=len(spec.series) > 1)
    count = len(spec.categories)
    ax.set_xlim(-0.4, count - 0.6)
    values = positive_values(spec)
    # A line's axis fits its values (or starts where the dataset says): from zero, a
    # margin of 43 to 45.2 would look flat.
    low = spec.value_floor() if not spec.log_scale or spec.axis_min is None else spec.axis_min
    low = log_floor(values) if spec.log_scale and spec.axis_min is None else low
    anchored: list[tuple[float, list[Text]]] = []
    handles = []
    for index, series in enumerate(spec.series):
        rows = [
            (i, v, lab)
            for i, (v, lab) in enumerate(zip(series.values, series.value_labels))
            if v is not None and (v > 0 or not spec.log_scale)
        ]
        (line,) = ax.plot(
            [r[0] for r in rows],
            [r[1] for r in rows],
            color=ctx.color(index),
            linewidth=2,
            marker="o",
            markersize=4.5,
            markeredgecolor=ctx.theme.paper,
            markeredgewidth=0.8,
        )
        handles.append(line)
        for x, value, label in rows:
            text = ax.annotate(
                first_text(label),
                xy=(x, value),
                xytext=(0, 6),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=ctx.pt(SMALL_PT),
                color=ctx.text_color(index),
            )
            anchored.append((value, [text]))
    style_value_axis(ax, "y", spec, ctx, low, top_of(values))
    if len(spec.series) > 1:
        draw_legend(ax, ctx, handles, [series_label(ctx, s) for s in spec.series], right=True)
    state = {"ticks": 6 if not spec.log_scale else 10}
    settle_layout(
        figure,
        [
            category_labels(ax, spec, ctx),
            thin_ticks(ax, "y", spec, state),
            _below_when_crowded(anchored),
            make_room(ax, "y", anchored),
        ],
    )


def _below_when_crowded(anchored: list[tuple[float, list["Text"]]]):
    """A settle step: a point's label that would overlap a label above a higher point (two
    series close together) moves below its own point."""

    def step(renderer) -> bool:
        from .bars import _overlap

        changed = False
        order = sorted(anchored, key=lambda item: -item[0])
        placed = []
        for _value, (text,) in order:
            box = text.get_window_extent(renderer)
            if text.get_va() == "bottom" and any(_overlap(box, other) for other in placed):
                text.xyann = (0, -8)
                text.set_va("top")
                changed = True
                box = text.get_window_extent(renderer)
            placed.append(box)
        return changed

    return step
