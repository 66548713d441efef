"""The timeline: events placed on a month band, labels stacked above and below."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Callable

from ..model.chartspec import ChartSpec
from .layout import DrawContext, spread, top_fraction
from .style import LINESPACING, SMALL_PT
from .wrap import text_width_pt, unique_texts, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text


_TIMELINE_MARGIN_IN = 0.06


_TIMELINE_GAP_IN = 0.14


_BAND_IN = 0.085
"""Half the height of the month band, in inches."""


_MARKER_PT = 5.5
"""Diameter of an event marker, in points."""


def draw_timeline(figure: "Figure", spec: ChartSpec, ctx: DrawContext) -> None:
    """Dated events on a month band; titles alternate above and below and fan out so none collide.

    Coordinates are inches from the axes' bottom-left. Events sit on the band at
    their dates; derived dates get a hollow marker and say so in their date label.
    Text shrinks from 7.5 pt towards 6.5 pt (times the figure's scale) only if the
    labels would not fit.
    """
    sizes = [ctx.pt(size) for size in (SMALL_PT, 7.0, 6.5)]
    # Titles are wrapped in full, never cut: a long one gets a smaller size, then labels as
    # wide as their share of the width allows.
    attempts = [(size, wide) for wide in (False, True) for size in sizes]
    for size, wide in attempts:
        ax = figure.add_axes((0.0, 0.0, 1.0, top_fraction(figure, ctx)))
        ax.set_axis_off()
        texts = _timeline(ax, spec, ctx, size, wide=wide)
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        if (size, wide) == attempts[-1] or all(_inside(t.get_window_extent(renderer), box) for t in texts):
            return
        figure.delaxes(ax)


def _next_month(day: "dt.date") -> "dt.date":
    return day.replace(year=day.year + (day.month == 12), month=day.month % 12 + 1, day=1)


def _timeline(ax: "Axes", spec: ChartSpec, ctx: DrawContext, size: float, *, wide: bool = False) -> list["Text"]:
    """Draw the timeline into ``ax`` with ``size``-point labels (``wide``: as wide as their
    share of the width, not at most 1.9 in); return the event label texts."""
    figure = ax.figure
    width = figure.get_figwidth()
    height = figure.get_figheight() * ax.get_position().height
    ax.set_xlim(0, width)
    ax.set_ylim(-height / 2, height / 2)
    points = sorted(spec.points, key=lambda p: p.when)
    if not points:
        return []
    start, end = points[0].when.replace(day=1), _next_month(points[-1].when)
    margin = 0.12 * ctx.scale
    days = (end - start).days

    def x_of(day) -> float:
        return margin + (day - start).days / days * (width - 2 * margin)

    _month_band(ax, ctx, spec, x_of)
    gap = _TIMELINE_GAP_IN * ctx.scale
    per_side = math.ceil(len(points) / 2)
    share = (width - 2 * _TIMELINE_MARGIN_IN) / per_side - gap
    label_w = share if wide else min(1.9 * ctx.scale, share)
    low, high = _TIMELINE_MARGIN_IN + label_w / 2, width - _TIMELINE_MARGIN_IN - label_w / 2
    xs = [x_of(p.when) for p in points]
    texts: list[Text] = []
    for side, sign in ((0, 1), (1, -1)):  # even events above, odd below
        chosen = list(range(side, len(points), 2))
        centres = spread([xs[i] for i in chosen], label_w + gap, low, high)
        for i, centre in zip(chosen, centres):
            texts.extend(_event(ax, points[i], xs[i], centre, sign, label_w, size, ctx))
    return texts


def _month_band(ax: "Axes", ctx: DrawContext, spec: ChartSpec, x_of: Callable) -> None:
    """A tinted cell per month of ``spec.months``, each named inside where it fits (the
    names are the model's: this module formats no date)."""
    from matplotlib.patches import Rectangle

    half = _BAND_IN * ctx.scale
    size = ctx.pt(6.5)
    cells = [(x_of(month.first_day), x_of(_next_month(month.first_day)), month.names) for month in spec.months]

    def fits(name: str, x0: float, x1: float) -> bool:
        return text_width_pt(name, ctx.families, size, "normal") / 72 < (x1 - x0) * 0.9

    # One naming level for every cell (not "1月 Jan" beside "9月"), the longest that fits all.
    level = next((k for k in range(3) if all(fits(names[k], x0, x1) for x0, x1, names in cells)), 2)
    for x0, x1, names in cells:
        ax.add_patch(
            Rectangle(
                (x0, -half), x1 - x0, 2 * half, facecolor=ctx.theme.tint, edgecolor=ctx.theme.paper, linewidth=1.2
            )
        )
        if fits(names[level], x0, x1):  # else blank: years of slivers need no names
            ax.text(
                (x0 + x1) / 2, 0, names[level], ha="center", va="center_baseline", fontsize=size, color=ctx.theme.muted
            )


def _event(
    ax: "Axes", point, x: float, centre: float, sign: int, label_w: float, size: float, ctx: DrawContext
) -> list["Text"]:
    """One event: marker beside the band at ``x``, elbow leader, then date and title at ``centre``.

    ``sign`` is 1 above the band, -1 below; lengths are inches.
    """
    theme = ctx.theme
    marker_pt = _MARKER_PT * ctx.scale
    # The marker sits just outside the band, so it never covers a month name.
    edge = sign * (_BAND_IN * ctx.scale + marker_pt / 2 / 72)
    stub, level = edge + sign * 0.06 * ctx.scale, edge + sign * 0.30 * ctx.scale
    ax.plot(
        [x, x, centre, centre],
        [edge, stub, level - sign * 0.06 * ctx.scale, level],
        color=theme.muted,
        linewidth=0.6,
        solid_joinstyle="round",
        zorder=1,
    )
    ax.plot(
        [x],
        [edge],
        marker="o",
        markersize=marker_pt,
        zorder=3,
        linestyle="none",
        markerfacecolor=theme.paper if point.derived_date else theme.accent,
        markeredgecolor=theme.accent,
        markeredgewidth=1.3 if point.derived_date else 0.8,
    )
    width_pt = label_w * 72
    # Reading order is date, then each language of the title; the second language in muted ink.
    parts = [(ctx.label(point.marked_date, width_pt, size, "bold"), theme.accent, "bold")]
    for k, title in enumerate(unique_texts(point.title)):
        lines = "\n".join(wrap(title, width_pt, ctx.measure(size)))  # in full: an event's title is not cut
        parts.append((lines, theme.ink if k == 0 else theme.muted, "normal"))
    return _stack(ax, parts, centre, level, sign, size)


def _stack(ax: "Axes", parts: list[tuple[str, str, str]], x: float, y: float, sign: int, size: float) -> list["Text"]:
    """Text blocks one under another, centred on ``x``, growing up (sign 1) or down (-1) from ``y``."""
    texts: list[Text] = []
    order = parts if sign < 0 else parts[::-1]
    va = "top" if sign < 0 else "bottom"
    previous = None
    for text, colour, weight in order:
        style = dict(
            ha="center",
            va=va,
            fontsize=size,
            color=colour,
            fontweight=weight,
            multialignment="center",
            linespacing=LINESPACING,
        )
        if previous is None:
            item = ax.text(x, y, text, **style)
        else:
            item = ax.annotate(
                text,
                xy=(0.5, 0.0 if sign < 0 else 1.0),
                xycoords=previous,
                xytext=(0, 2 * sign),
                textcoords="offset points",
                **style,
            )
        texts.append(item)
        previous = item
    return texts


def _inside(extent, box) -> bool:
    return (
        extent.x0 >= box.x0 - 0.5
        and extent.x1 <= box.x1 + 0.5
        and extent.y0 >= box.y0 - 0.5
        and extent.y1 <= box.y1 + 0.5
    )
