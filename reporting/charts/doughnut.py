"""Doughnut charts, shares labelled in the legend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.chartspec import ChartSpec
from .layout import DrawContext, first_text, top_fraction
from .style import LINESPACING, TEXT_PT

if TYPE_CHECKING:
    from matplotlib.figure import Figure


_PARENS = {"zh": "{}（{}）", "en": "{} ({})"}


def draw_doughnut(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """A ring of the first series' shares, clockwise from twelve o'clock, and a legend naming
    each slice with its share and its value as the edition prints it.

    Laid out by hand: ring and legend are centred together in the figure (an
    equal-aspect axes under constrained layout would leave the ring adrift).
    """
    series = spec.series[0]
    rows = [
        (i, v, lab) for i, (v, lab) in enumerate(zip(series.values, series.value_labels)) if v is not None and v > 0
    ]
    width, height = figure.get_figwidth(), figure.get_figheight()
    top = top_fraction(figure, ctx) * height  # inches left under a title
    diameter = max(min(top - 0.2, width * 0.45), 0.5)
    ax = figure.add_axes((0.0, 0.0, diameter / width, diameter / height))
    wedges, _texts = ax.pie(
        [v for _i, v, _l in rows],
        colors=[ctx.color(i) for i, _v, _l in rows],
        startangle=90,
        counterclock=False,
        radius=1.0,
        wedgeprops={"width": 0.36, "edgecolor": ctx.theme.paper, "linewidth": 1.2},
    )
    ax.set(xlim=(-1.02, 1.02), ylim=(-1.02, 1.02), aspect="equal")
    labels = [
        # Shares as the model rounded them (54.6%), the same on the deck's slices.
        ctx.label(spec.categories[i], 150 * ctx.scale)
        + "\n"
        + _PARENS.get(ctx.lang, "{} ({})").format(first_text(series.shares[i]), first_text(label))
        for i, _v, label in rows
    ]
    gap = 0.3 * ctx.scale
    for columns in (1, 2, 3):  # more columns only when one column would be taller than the ring's room
        legend = ax.legend(
            wedges,
            labels,
            loc="center left",
            bbox_to_anchor=(1 + gap / diameter, 0.5),
            handlelength=1.0,
            handleheight=1.0,
            labelspacing=0.8,
            borderaxespad=0.0,
            borderpad=0.0,
            ncols=columns,
            columnspacing=1.2,
            fontsize=ctx.pt(TEXT_PT),
        )
        for text in legend.get_texts():
            text.set_color(ctx.theme.ink)
            text.set_linespacing(LINESPACING)
        figure.draw_without_rendering()
        extent = legend.get_window_extent(figure.canvas.get_renderer())
        if extent.height / figure.dpi <= top - 0.1:
            break
    legend_w = extent.width / figure.dpi
    left = max((width - diameter - gap - legend_w) / 2, 0.05)
    ax.set_position((left / width, (top - diameter) / 2 / height, diameter / width, diameter / height))
