"""Matplotlib builders: draw a :class:`ChartSpec` as SVG (brief, HTML preview) or PNG (deck).

Every chart is drawn on its own :class:`matplotlib.figure.Figure` with an explicit
canvas (no pyplot, no global figure state) inside :func:`matplotlib.rc_context`.
Text is set in the theme's body font, found through fontconfig like WeasyPrint
finds it, so Chinese never falls back to boxes. SVG output stores text as text in
those families and carries no timestamp: the same spec always gives the same bytes.

Sizes are in inches (figure) and points (text, offsets); a chart is drawn for an
A4 text column, 6.3 in wide. Matplotlib is imported inside functions so that
importing this package stays cheap for commands that draw no chart.

The parts: :mod:`.style` (fonts, rc settings), :mod:`.wrap` (label wrapping),
:mod:`.colour` (legible text colours), :mod:`.layout` (what every family shares), one
module per chart family (:mod:`.bars`, :mod:`.line`, :mod:`.doughnut`,
:mod:`.timeline`); :class:`ChartRenderer` draws each chart once, keeping it on disk
through :mod:`.cache`.
"""

from __future__ import annotations

import dataclasses
import io
import os
from typing import TYPE_CHECKING, Callable

from ..fonts import resolve_font
from ..model.chartspec import ChartSpec
from ..model.theme import Theme
from .bars import draw_bar, draw_column, draw_stacked_column
from .cache import DEFAULT_MAX_BYTES, ChartCache, environment_key
from .doughnut import draw_doughnut
from .layout import DrawContext, draw_title
from .line import draw_line
from .style import chart_style
from .timeline import draw_timeline

if TYPE_CHECKING:
    from matplotlib.figure import Figure


WIDTH_IN = 6.3
"""Default figure width in inches: the text column of an A4 page."""


HEIGHT_IN = 3.2
"""Default figure height in inches."""


PNG_DPI = 200
"""Default PNG resolution in dots per inch."""


KINDS = ("bar", "column", "stacked_column", "line", "doughnut", "timeline")


def render_svg(
    spec: ChartSpec,
    theme: Theme,
    *,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    with_title: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> str:
    """Draw ``spec`` and return standalone SVG text (``width_in`` × ``height_in`` inches);
    ``on_note`` is called with a sentence when the chart had to be drawn cramped.

    Text is stored as SVG ``<text>`` in the theme's font families, drawn by whoever
    renders the SVG (WeasyPrint uses the same fontconfig fonts matplotlib measured
    with). As glyph paths each chart held hundreds of ``<use>`` nodes that WeasyPrint
    walks in Python: text halves the brief's PDF writing time and makes chart labels
    searchable. The output is byte-identical for the same spec, theme and size: no
    date, fixed id salt.
    """
    salt = spec.digest(_extra(theme, "svg", width_in, height_in, 72, with_title))
    buffer = io.BytesIO()
    with chart_style(theme, salt=salt, svg_id=f"chart-{spec.id}-svg"):
        figure = _draw(spec, theme, width_in=width_in, height_in=height_in, dpi=72, with_title=with_title)
        figure.savefig(buffer, format="svg", bbox_inches=None, metadata={"Date": None})
    if on_note is not None and getattr(figure, "cramped", False):
        on_note(cramped_note(spec, width_in, height_in))
    return buffer.getvalue().decode("utf-8")


def cramped_note(spec: ChartSpec, width_in: float, height_in: float) -> str:
    """What to say of a chart whose labels and legend left its plot no room (see
    :func:`reporting.charts.layout.settle_layout`): which chart, and what to change."""
    title = " / ".join(dict.fromkeys(phrase.text for phrase in spec.title))
    return (
        f"chart {spec.id!r} ({title}): its labels, value-axis title and legend leave the plot no room at "
        f"{width_in:g} × {height_in:g} in, so it is drawn with fixed margins; shorten the series names or "
        f"category labels, or use fewer series"
    )


def render_png(
    spec: ChartSpec,
    theme: Theme,
    *,
    dpi: int = PNG_DPI,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    with_title: bool = False,
) -> bytes:
    """Draw ``spec`` and return PNG bytes of ``width_in`` × ``height_in`` inches at ``dpi``.

    The deck uses this only where no native PowerPoint chart fits (the timeline).
    """
    buffer = io.BytesIO()
    with chart_style(theme):
        figure = _draw(spec, theme, width_in=width_in, height_in=height_in, dpi=dpi, with_title=with_title)
        figure.savefig(buffer, format="png", dpi=dpi, bbox_inches=None, metadata={"Software": None})
    return buffer.getvalue()


class ChartRenderer:
    """Renders each chart once: an in-memory cache, and optionally a folder on disk,
    keyed by :meth:`ChartSpec.digest` with the theme, format and size.

    The HTML preview and the PDF ask for the same SVG; the second request returns
    the cached string. With ``cache_dir`` a chart drawn by an earlier process is read
    back instead of drawn, when nothing else that shapes it changed either (this
    module's code and what it imports, number and date formatting, the library
    versions, the font files: see :mod:`reporting.charts.cache`); the folder is kept
    under ``cache_max_bytes``. ``draws`` counts charts actually drawn. Not thread-safe
    (neither is matplotlib's rc state).
    """

    def __init__(
        self,
        theme: Theme | None = None,
        cache_dir: "os.PathLike[str] | str | None" = None,
        *,
        cache_max_bytes: int | None = None,
    ):
        self.theme = theme or Theme()
        self.draws = 0
        self.cache_dir = cache_dir
        self._disk = (
            None if cache_dir is None else ChartCache(cache_dir, max_bytes=cache_max_bytes or DEFAULT_MAX_BYTES)
        )
        self._environment: str | None = None
        self._cache: dict[str, bytes] = {}
        self._svg_text: dict[str, str] = {}
        self.notes: list[str] = []
        """Sentences about charts drawn cramped (:func:`cramped_note`), for the caller to say
        and clear; a chart read from a cache says nothing again."""

    def svg(
        self,
        spec: ChartSpec,
        *,
        width_in: float = WIDTH_IN,
        height_in: float = HEIGHT_IN,
        with_title: bool = False,
    ) -> str:
        """SVG text for ``spec``; see :func:`render_svg`."""
        key = spec.digest(_extra(self.theme, "svg", width_in, height_in, 72, with_title))
        if key not in self._svg_text:
            data = self._cached(
                key,
                "svg",
                lambda: render_svg(
                    spec,
                    self.theme,
                    width_in=width_in,
                    height_in=height_in,
                    with_title=with_title,
                    on_note=self.notes.append,
                ).encode("utf-8"),
            )
            self._svg_text[key] = data.decode("utf-8")
        return self._svg_text[key]

    def png(
        self,
        spec: ChartSpec,
        *,
        dpi: int = PNG_DPI,
        width_in: float = WIDTH_IN,
        height_in: float = HEIGHT_IN,
        with_title: bool = False,
    ) -> bytes:
        """PNG bytes for ``spec``; see :func:`render_png`."""
        key = spec.digest(_extra(self.theme, "png", width_in, height_in, dpi, with_title))
        return self._cached(
            key,
            "png",
            lambda: render_png(
                spec, self.theme, dpi=dpi, width_in=width_in, height_in=height_in, with_title=with_title
            ),
        )

    def _cached(self, key: str, suffix: str, draw: Callable[[], bytes]) -> bytes:
        if key in self._cache:
            return self._cache[key]
        if self._disk is not None:
            data = self._disk.get(key, self.environment, suffix)
            if data is not None:
                self._cache[key] = data
                return data
        data = draw()
        self.draws += 1
        self._cache[key] = data
        if self._disk is not None:
            self._disk.put(key, self.environment, suffix, data)
        return data

    @property
    def environment(self) -> str:
        """The disk cache's key for what shapes a chart besides its spec (see
        :func:`reporting.charts.cache.environment_key`), with the font files this
        theme's families resolve to; worked out once per renderer."""
        if self._environment is None:
            fonts = [resolve_font(family, weight) for family in self.theme.fonts.body for weight in ("regular", "bold")]
            self._environment = environment_key(__name__, [(font.path, font.index) for font in fonts])
        return self._environment


def _extra(theme: Theme, fmt: str, width_in: float, height_in: float, dpi: int, with_title: bool) -> str:
    """The part of a cache key that is not the spec: theme, format and size."""
    return f"|{theme!r}|{fmt}|{width_in:g}x{height_in:g}in|{dpi}dpi|title={with_title}"


def _draw(
    spec: ChartSpec,
    theme: Theme,
    *,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    dpi: float = 100,
    with_title: bool = False,
) -> "Figure":
    """Build the figure for ``spec`` (laid out, not saved). Raises ``ValueError`` for an unknown kind.

    Call inside :func:`chart_style` when saving, so rc settings apply at save time too.
    """
    if spec.kind not in _BUILDERS:
        raise ValueError(f"chart {spec.id!r}: unknown kind {spec.kind!r} (known: {', '.join(KINDS)})")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with chart_style(theme):
        import matplotlib

        langs = tuple(phrase.lang for phrase in spec.title)
        scale = max(1.0, min(width_in / WIDTH_IN, height_in / HEIGHT_IN))
        ctx = DrawContext(theme, langs, tuple(matplotlib.rcParams["font.family"]), scale)
        figure = Figure(figsize=(width_in, height_in), dpi=dpi)
        FigureCanvasAgg(figure)  # measuring text needs a renderer
        if with_title:
            ctx = dataclasses.replace(ctx, title=draw_title(figure, spec, ctx, width_in))
        _BUILDERS[spec.kind](figure, spec, ctx)
    return figure


_BUILDERS: dict[str, Callable[["Figure", ChartSpec, DrawContext], None]] = {
    "bar": draw_bar,
    "column": draw_column,
    "stacked_column": draw_stacked_column,
    "line": draw_line,
    "doughnut": draw_doughnut,
    "timeline": draw_timeline,
}
