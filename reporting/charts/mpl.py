"""Matplotlib builders: draw a :class:`ChartSpec` as SVG (brief, HTML preview) or PNG (deck).

Every chart is drawn on its own :class:`matplotlib.figure.Figure` with an explicit
canvas (no pyplot, no global figure state) inside :func:`matplotlib.rc_context`.
Text is set in the theme's body font, found through fontconfig like WeasyPrint
finds it, so Chinese never falls back to boxes. SVG output stores text as text in
those families and carries no timestamp: the same spec always gives the same bytes.

Sizes are in inches (figure) and points (text, offsets); a chart is drawn for an
A4 text column, 6.3 in wide. Matplotlib is imported inside functions so that
importing this module stays cheap for commands that draw no chart.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import io
import math
import os
import unicodedata
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from ..fonts import resolve_font
from ..model.numbers import NumberStyle, format_number
from ..model.texts import Texts
from ..model.chartspec import ChartSpec, SeriesSpec
from ..model.theme import Theme

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure
    from matplotlib.text import Text

WIDTH_IN = 6.3
"""Default figure width in inches: the text column of an A4 page."""
HEIGHT_IN = 3.2
"""Default figure height in inches."""
PNG_DPI = 200
"""Default PNG resolution in dots per inch."""

KINDS = ("bar", "column", "stacked_column", "line", "doughnut", "timeline")

# Text sizes in points, chosen to read at 100 % on an A4 page.
TEXT_PT = 8.0
SMALL_PT = 7.5
TITLE_PT = 11.0
LINESPACING = 1.4
"""Between lines of one label, in multiples of matplotlib's line height (the height of
"lp"): its default of 1.2 lets a Chinese line touch the English line under it."""
FALLBACK_FAMILY = "DejaVu Sans"
"""Ships with matplotlib: draws any symbol the theme's font lacks."""

_SETTLE_PASSES = 6
"""Layout passes before giving up on making room (each pass changes limits or labels)."""


# -- public API ----------------------------------------------------------------


def render_svg(
    spec: ChartSpec,
    theme: Theme,
    *,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    with_title: bool = False,
) -> str:
    """Draw ``spec`` and return standalone SVG text (``width_in`` × ``height_in`` inches).

    Text is stored as SVG ``<text>`` in the theme's font families, drawn by whoever
    renders the SVG (WeasyPrint uses the same fontconfig fonts matplotlib measured
    with). As glyph paths each chart held hundreds of ``<use>`` nodes that WeasyPrint
    walks in Python: text halves the brief's PDF writing time and makes chart labels
    searchable. The output is byte-identical for the same spec, theme and size: no
    date, fixed id salt.
    """
    salt = spec.digest(_extra(theme, "svg", width_in, height_in, 72, with_title))
    buffer = io.BytesIO()
    with _style(theme, salt=salt, svg_id=f"chart-{spec.id}-svg"):
        figure = _draw(spec, theme, width_in=width_in, height_in=height_in, dpi=72, with_title=with_title)
        figure.savefig(buffer, format="svg", bbox_inches=None, metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")


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
    with _style(theme):
        figure = _draw(spec, theme, width_in=width_in, height_in=height_in, dpi=dpi, with_title=with_title)
        figure.savefig(
            buffer, format="png", dpi=dpi, bbox_inches=None, metadata={"Software": None}
        )
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

    def __init__(self, theme: Theme | None = None, cache_dir: "os.PathLike[str] | str | None" = None,
                 *, cache_max_bytes: int | None = None):
        from .cache import DEFAULT_MAX_BYTES, ChartCache

        self.theme = theme or Theme()
        self.draws = 0
        self.cache_dir = cache_dir
        self._disk = None if cache_dir is None else ChartCache(cache_dir, max_bytes=cache_max_bytes or DEFAULT_MAX_BYTES)
        self._environment: str | None = None
        self._cache: dict[str, bytes] = {}
        self._svg_text: dict[str, str] = {}

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
            data = self._cached(key, "svg", lambda: render_svg(
                spec, self.theme, width_in=width_in, height_in=height_in, with_title=with_title
            ).encode("utf-8"))
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
        return self._cached(key, "png", lambda: render_png(
            spec, self.theme, dpi=dpi, width_in=width_in, height_in=height_in, with_title=with_title
        ))

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
            from .cache import environment_key

            fonts = [resolve_font(family, weight) for family in self.theme.fonts.body for weight in ("regular", "bold")]
            self._environment = environment_key(__name__, [(font.path, font.index) for font in fonts])
        return self._environment


def _extra(theme: Theme, fmt: str, width_in: float, height_in: float, dpi: int, with_title: bool) -> str:
    """The part of a cache key that is not the spec: theme, format and size."""
    return f"|{theme!r}|{fmt}|{width_in:g}x{height_in:g}in|{dpi}dpi|title={with_title}"


# -- style and fonts -------------------------------------------------------------


def font_families(theme: Theme) -> list[str]:
    """Matplotlib family names for the theme's body fonts, then a Latin fallback.

    Side effect: registers each font file fontconfig resolves (regular and bold)
    with matplotlib's font manager, once per file and face.
    """
    names: list[str] = []
    for family in theme.fonts.body:
        for weight in ("regular", "bold"):
            name = _register(resolve_font(family, weight))
            if weight == "regular" and name not in names:
                names.append(name)
    names.append(FALLBACK_FAMILY)
    return names


def _register(font) -> str:
    """Make a fontconfig-resolved face known to matplotlib; return the family name it reads."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    path = str(font.path.resolve())

    def known():
        return [
            entry for entry in manager.ttflist
            if entry.index == font.index and _same_file(entry.fname, path)
        ]

    entries = known()
    if not entries:
        manager.addfont(path)  # registers every face of a .ttc collection
        entries = known()
    if not entries:  # pragma: no cover - addfont always lists the face it read
        return font.family
    return entries[0].name


@functools.lru_cache(maxsize=256)
def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@contextlib.contextmanager
def _style(theme: Theme, *, salt: str = "reporting", svg_id: str | None = None) -> Iterator[None]:
    """rc settings for one chart: fonts, colours, clean axes, deterministic SVG."""
    import matplotlib
    from cycler import cycler

    rc = {
        "font.family": font_families(theme),
        "font.size": TEXT_PT,
        "text.color": theme.ink,
        "text.parse_math": False,  # "$" and "_" in labels are text, never mathtext
        "axes.edgecolor": theme.rule,
        "axes.labelcolor": theme.muted,
        "axes.titlecolor": theme.muted,
        "axes.facecolor": theme.paper,
        "axes.linewidth": 0.8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(theme.palette)),
        "axes.unicode_minus": False,
        "xtick.color": theme.rule,
        "ytick.color": theme.rule,
        "xtick.labelcolor": theme.muted,
        "ytick.labelcolor": theme.muted,
        "xtick.labelsize": TEXT_PT,
        "ytick.labelsize": TEXT_PT,
        "grid.color": theme.rule,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "legend.fontsize": TEXT_PT,
        "figure.facecolor": theme.paper,
        "savefig.facecolor": theme.paper,
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "svg.id": svg_id,
    }
    with matplotlib.rc_context(rc):
        yield


# -- text: measuring, wrapping, bilingual labels ---------------------------------


@functools.lru_cache(maxsize=8192)
def _width_pt(text: str, families: tuple[str, ...], size: float, weight: str) -> float:
    """Advance width of one line of ``text`` in points (no hinting: any dpi)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=list(families), size=size, weight=weight)
    width, _height, _descent = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
    return width


_OPENERS = set("（《「『【“‘([{")
_CLOSERS = set("，。、；：？！）》」』】”’,.;:?!)]}%…·")


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _can_break(before: str, after: str) -> bool:
    """Chinese may break between any two characters, except before closing or after opening punctuation."""
    if after in _CLOSERS or before in _OPENERS:
        return False
    return _is_wide(before) or _is_wide(after)


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of ``text``, each with whether a space precedes it."""
    pieces: list[tuple[str, bool]] = []
    word, space = "", False
    for char in text:
        if char.isspace():
            if word:
                pieces.append((word, space))
                word = ""
            space = bool(pieces)
            continue
        if word and _can_break(word[-1], char):
            pieces.append((word, space))
            word, space = "", False
        word += char
    if word:
        pieces.append((word, space))
    return pieces


_LONG_WORD = 20


def _split_wide(pieces: list[tuple[str, bool]], width_pt: float, measure: Callable[[str], float]) -> list[tuple[str, bool]]:
    """Long pieces wider than a whole line (a URL, an identifier) broken between characters,
    as the brief and the deck break them; otherwise one label could squeeze the plot to
    nothing. An ordinary word (up to ``_LONG_WORD`` characters) stays whole."""
    out: list[tuple[str, bool]] = []
    for piece, space in pieces:
        if len(piece) <= _LONG_WORD or measure(piece) <= width_pt:
            out.append((piece, space))
            continue
        part = ""
        for char in piece:
            if part and measure(part + char) > width_pt:
                out.append((part, space))
                part, space = "", False
            part += char
        out.append((part, space))
    return out


def _greedy(pieces: list[tuple[str, bool]], width_pt: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece, space in _split_wide(pieces, width_pt, measure):
        candidate = f"{line}{' ' if space else ''}{piece}" if line else piece
        if line and measure(candidate) > width_pt:
            lines.append(line)
            line = piece
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def wrap(text: str, width_pt: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of ``text`` no wider than ``width_pt`` points, balanced in length.

    Breaks at spaces, and between Chinese characters (never before closing or
    after opening punctuation). Balanced: the narrowest width giving the same
    number of lines, so a title does not end on one orphaned word.
    """
    pieces = _pieces(text)
    lines = _greedy(pieces, width_pt, measure)
    if len(lines) < 2:
        return lines
    low, high = width_pt / len(lines), width_pt
    for _ in range(12):
        middle = (low + high) / 2
        if len(_greedy(pieces, middle, measure)) == len(lines):
            high = middle
        else:
            low = middle
    return _greedy(pieces, high, measure)


MAX_LABEL_LINES = 3
"""Lines a label may take in each language: a longer one ends in "…" (a label is not a
paragraph, and a tall one would squeeze the plot to nothing)."""


def _clip(lines: list[str], limit: int = MAX_LABEL_LINES) -> list[str]:
    if len(lines) <= limit:
        return lines
    return lines[:limit - 1] + [lines[limit - 1][:-1].rstrip() + "…"]


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _latin_quotes(text: str) -> str:
    """Straight quotes in text without Chinese characters.

    Noto Sans CJK draws “ ” ‘ ’ full-width, which leaves holes in English; its
    proportional forms need the ``pwid`` feature, which matplotlib applies to
    single-line text only. Chinese text keeps its full-width quotes.
    """
    if any(_is_wide(char) for char in text):
        return text
    return text.translate(_STRAIGHT)


def _unique(texts: Texts) -> list[str]:
    """Each language's text once (a number such as ``600`` reads the same in both), quotes fixed."""
    out: list[str] = []
    for phrase in texts:
        text = _latin_quotes(phrase.text)
        if text not in out:
            out.append(text)
    return out


@dataclasses.dataclass(frozen=True)
class _Ctx:
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
        return lambda text: _width_pt(text, self.families, size, weight)

    def label(self, texts: Texts, width_pt: float, size: float | None = None, weight: str = "normal") -> str:
        """Every language of ``texts``, each wrapped to ``width_pt``, one under the other."""
        measure = self.measure(size, weight)
        return "\n".join(line for text in _unique(texts) for line in _clip(wrap(text, width_pt, measure)))

    def color(self, index: int) -> str:
        """The series colour: the theme's palette in order, repeating."""
        palette = self.theme.palette
        return palette[index % len(palette)]

    def text_color(self, index: int) -> str:
        """The series colour, darkened where needed so small text on paper reads (WCAG 4.5:1)."""
        return _legible(self.color(index), self.theme.paper)

    def number(self, value: float) -> str:
        """A tick number in the first language's compact press style (``1亿``, ``100 million``)."""
        if value == 0:
            return "0"
        return format_number(value, self.lang, NumberStyle(2))


def _luminance(colour: str) -> float:
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _legible(colour: str, paper: str, ratio: float = 4.5) -> str:
    """``colour`` darkened in small steps until its contrast with ``paper`` reaches ``ratio``."""
    from matplotlib.colors import to_hex, to_rgb

    background = _luminance(paper)
    rgb = to_rgb(colour)
    for _ in range(30):  # 0.92 ** 30 is near black: always enough on light paper
        own = _luminance(to_hex(rgb))
        if (max(own, background) + 0.05) / (min(own, background) + 0.05) >= ratio:
            break
        rgb = tuple(c * 0.92 for c in rgb)
    return to_hex(rgb)


def _first(texts: Texts | None) -> str:
    """The first language's text: value labels follow the edition's first language."""
    return "" if texts is None else _latin_quotes(texts.first.text)


# -- drawing ---------------------------------------------------------------------


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

    Call inside :func:`_style` when saving, so rc settings apply at save time too.
    """
    if spec.kind not in _BUILDERS:
        raise ValueError(f"chart {spec.id!r}: unknown kind {spec.kind!r} (known: {', '.join(KINDS)})")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _style(theme):
        import matplotlib

        langs = tuple(phrase.lang for phrase in spec.title)
        scale = max(1.0, min(width_in / WIDTH_IN, height_in / HEIGHT_IN))
        ctx = _Ctx(theme, langs, tuple(matplotlib.rcParams["font.family"]), scale)
        figure = Figure(figsize=(width_in, height_in), dpi=dpi)
        FigureCanvasAgg(figure)  # measuring text needs a renderer
        if with_title:
            ctx = dataclasses.replace(ctx, title=_title(figure, spec, ctx, width_in))
        _BUILDERS[spec.kind](figure, spec, ctx)
    return figure


def _title(figure: "Figure", spec: ChartSpec, ctx: _Ctx, width_in: float) -> "Text":
    """A left-aligned title above the chart, for pictures shown without a caption."""
    text = ctx.label(spec.title, width_in * 72 * 0.9, ctx.pt(TITLE_PT), "bold")
    return figure.suptitle(
        text, x=0.015, ha="left", va="top", fontsize=ctx.pt(TITLE_PT), fontweight="bold",
        color=ctx.theme.ink, linespacing=LINESPACING,
    )


def _constrained(figure: "Figure") -> None:
    """Constrained layout: tick labels, legends and titles get room, figure size stays fixed."""
    figure.set_layout_engine("constrained", w_pad=4 / 72, h_pad=4 / 72, wspace=0.02, hspace=0.02)


def _settle(figure: "Figure", steps: Sequence[Callable[["RendererBase"], bool]]) -> None:
    """Lay out, then let each step adjust (wrap, thin ticks, make room) until none changes anything."""
    for _ in range(_SETTLE_PASSES):
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        changed = [step(renderer) for step in steps]
        if not any(changed):
            return


# -- value axis --------------------------------------------------------------------


def _value_axis(ax: "Axes", which: str, spec: ChartSpec, ctx: _Ctx, low: float, high: float) -> None:
    """Scale, limits, compact localised tick numbers and light gridlines on the value axis."""
    from matplotlib.ticker import FuncFormatter, NullLocator

    axis = ax.xaxis if which == "x" else ax.yaxis
    if spec.log_scale:
        (ax.set_xscale if which == "x" else ax.set_yscale)("log")
        axis.set_minor_locator(NullLocator())
    _set_locator(axis, spec, 6)
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: ctx.number(value)))
    (ax.set_xlim if which == "x" else ax.set_ylim)(low, high)
    ax.grid(True, axis=which, which="major")
    ax.set_axisbelow(True)
    ax.tick_params(axis=which, length=0, pad=4, labelsize=ctx.pt(TEXT_PT))
    for side in (("bottom", "top") if which == "x" else ("left", "right")):
        ax.spines[side].set_visible(False)
    if spec.value_axis is not None:
        label = " / ".join(_unique(spec.value_axis))
        if which == "x":
            ax.set_xlabel(label, loc="right", fontsize=ctx.pt(SMALL_PT), labelpad=4)
        else:
            # Horizontal, above the numbers: rotated Chinese reads sideways.
            ax.set_title(label, loc="left", fontsize=ctx.pt(SMALL_PT), pad=8)


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
        values = _positive(spec)
        decades = math.log10(max(values) / _log_floor(values)) if values else 0.0
        subs = (1.0, 2.0, 5.0) if decades < 3 else (1.0,)
        axis.set_major_locator(LogLocator(base=10, subs=subs, numticks=count))
    else:
        axis.set_major_locator(
            MaxNLocator(nbins=count, steps=[1, 2, 2.5, 5, 10], integer=_integers(spec), min_n_ticks=2)
        )


def _log_floor(values: Sequence[float]) -> float:
    """Where log bars start: a power of ten clearly below the smallest value."""
    smallest = min(v for v in values if v > 0)
    floor = 10 ** math.floor(math.log10(smallest))
    return floor / 10 if smallest / floor < 2 else floor


def _positive(spec: ChartSpec) -> list[float]:
    """The values drawn: all present ones, only those above zero on a log scale."""
    return [v for s in spec.series for v in s.values if v is not None and (v > 0 or not spec.log_scale)]


def _top(values: Sequence[float]) -> float:
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


def _thin_ticks(ax: "Axes", which: str, spec: ChartSpec, state: dict) -> Callable[["RendererBase"], bool]:
    """A settle step: fewer value ticks while any two tick labels touch."""

    def step(renderer) -> bool:
        axis = ax.xaxis if which == "x" else ax.yaxis
        boxes = [label.get_window_extent(renderer) for label in _drawn_tick_labels(axis, renderer)]
        gap = 6 * renderer.points_to_pixels(1)
        crowded = any(_overlap(a, b, gap) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        if not crowded or state["ticks"] <= 2:
            return False
        state["ticks"] -= 1
        _set_locator(axis, spec, state["ticks"])
        return True

    return step


def _overlap(a, b, gap: float = 0.0) -> bool:
    return a.x0 < b.x1 + gap and b.x0 < a.x1 + gap and a.y0 < b.y1 + gap and b.y0 < a.y1 + gap


def _make_room(ax: "Axes", which: str, anchored: list[tuple[float, list["Text"]]]) -> Callable[["RendererBase"], bool]:
    """A settle step: extend the value axis so every value label ends inside the axes.

    ``anchored`` pairs the value a label sits at with the label's texts. In the
    axis' scale (linear or log) a label at ``v`` reaching ``e`` pixels past its
    anchor fits when ``(s(v) - s(lo)) / (s(hi) - s(lo)) * A + e <= A``.
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
        low, high = (ax.get_xlim() if which == "x" else ax.get_ylim())
        s_low, s_high = to_scale(low), to_scale(high)
        pad = 3 * renderer.points_to_pixels(1)
        needed = s_high
        for value, texts in anchored:
            s_value = to_scale(value)
            anchor = (s_value - s_low) / (s_high - s_low) * length
            reach = max(_far_edge(t.get_window_extent(renderer), which, box) for t in texts) - anchor + pad
            share = min(reach / length, 0.8)  # never squash the bars to nothing
            needed = max(needed, s_low + (s_value - s_low) / (1 - share))
        if needed <= s_high * (1 + 1e-6) + 1e-9:
            return False
        new_high = float(scale.inverted().transform(np.array([[needed]]))[0, 0])
        (ax.set_xlim if which == "x" else ax.set_ylim)(low, new_high)
        return True

    return step


def _far_edge(extent, which: str, axes_box) -> float:
    """How far a label reaches along the value axis, in pixels from the axes' start."""
    return extent.x1 - axes_box.x0 if which == "x" else extent.y1 - axes_box.y0


# -- bar, column, stacked column, line ------------------------------------------------


def _series_label(ctx: _Ctx, series: SeriesSpec, width_pt: float = 130) -> str:
    return ctx.label(series.name, width_pt * ctx.scale)


def _legend(ax: "Axes", ctx: _Ctx, handles, labels, *, right: bool) -> None:
    """A frameless legend: to the right of the plot, or in one row above it."""
    if right:
        legend = ax.legend(
            handles, labels, loc="center left", bbox_to_anchor=(1.02, 0.5), handlelength=1.0,
            handleheight=1.0, labelspacing=0.9, borderaxespad=0.0, fontsize=ctx.pt(TEXT_PT),
        )
    else:
        legend = ax.legend(
            handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.02), ncols=len(labels),
            handlelength=1.0, handleheight=1.0, columnspacing=1.4, borderaxespad=0.0, fontsize=ctx.pt(TEXT_PT),
        )
    for text in legend.get_texts():
        text.set_color(ctx.theme.ink)
        text.set_linespacing(LINESPACING)


def _grouped_bars(
    ax: "Axes", spec: ChartSpec, ctx: _Ctx, band: float, low: float, *, horizontal: bool
) -> tuple[list, list[tuple[float, list["Text"]]]]:
    """Bars for every series side by side in each category slot (``band`` wide each, in
    slot units), starting at ``low``, with the formatted value at each bar's end.

    Returns the bar containers (for a legend) and each value label with the value it
    marks (for :func:`_make_room`). Values that are missing, or not positive on a log
    scale, draw no bar.
    """
    count = max(len(spec.series), 1)
    anchored: list[tuple[float, list[Text]]] = []
    handles = []
    for index, series in enumerate(spec.series):
        offset = (index - (count - 1) / 2) * band
        rows = [(i + offset, v, lab) for i, (v, lab) in enumerate(zip(series.values, series.value_labels))
                if v is not None and (v > 0 or not spec.log_scale)]
        slots, lengths = [r[0] for r in rows], [r[1] - low for r in rows]
        if horizontal:
            bars = ax.barh(slots, lengths, left=low, height=band * 0.9, color=ctx.color(index), linewidth=0)
        else:
            bars = ax.bar(slots, lengths, bottom=low, width=band * 0.9, color=ctx.color(index), linewidth=0)
        handles.append(bars)
        for slot, value, label in rows:
            text = ax.annotate(
                _first(label),
                xy=(value, slot) if horizontal else (slot, value),
                xytext=(4, 0) if horizontal else (0, 3), textcoords="offset points",
                ha="left" if horizontal else "center", va="center" if horizontal else "bottom",
                fontsize=ctx.pt(TEXT_PT), color=ctx.theme.ink,
            )
            anchored.append((value, [text]))
    return handles, anchored


def _draw_bar(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """Horizontal bars, categories top to bottom in the given order, value at each bar's end."""
    _constrained(figure)
    ax = figure.add_subplot()
    values = _positive(spec)
    low = _log_floor(values) if spec.log_scale else 0.0
    count = max(len(spec.series), 1)
    band = 0.64 if count == 1 else 0.8 / count
    handles, anchored = _grouped_bars(ax, spec, ctx, band, low, horizontal=True)
    width_pt = figure.get_figwidth() * 72 * (0.3 if len(ctx.langs) > 1 else 0.26)
    ax.set_yticks(range(len(spec.categories)), [ctx.label(c, width_pt) for c in spec.categories],
                  linespacing=LINESPACING)
    ax.tick_params(axis="y", length=0, pad=6, labelcolor=ctx.theme.ink, labelsize=ctx.pt(TEXT_PT))
    height_in = figure.get_figheight() - 0.6 * ctx.scale  # roughly the plot's height
    spare = _spare_slots(len(spec.categories), band * count, height_in, 0.42 * ctx.scale * count ** 0.5)
    ax.set_ylim(len(spec.categories) - 0.5 + spare, -0.5 - spare)  # first category on top
    ax.spines["left"].set_color(ctx.theme.muted)
    _value_axis(ax, "x", spec, ctx, low, _top(values))
    if len(spec.series) > 1:
        _legend(ax, ctx, handles, [_series_label(ctx, s) for s in spec.series], right=False)
    state = {"ticks": 6 if not spec.log_scale else 10}
    _settle(figure, [_thin_ticks(ax, "x", spec, state), _make_room(ax, "x", anchored)])


def _category_labels(ax: "Axes", spec: ChartSpec, ctx: _Ctx) -> Callable[["RendererBase"], bool]:
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


def _column_axes(figure: "Figure", spec: ChartSpec, ctx: _Ctx, fill: float, legend: bool) -> "Axes":
    """Axes with the categories along the bottom; ``fill`` is the share of a slot the columns take."""
    _constrained(figure)
    ax = figure.add_subplot()
    count = len(spec.categories)
    # A first guess, wrapped to an even share of the width: one very long label must not
    # squeeze the plot to nothing before _category_labels wraps them to their slots.
    share_pt, measure = 72 * figure.get_figwidth() / max(count, 1), ctx.measure()
    ax.set_xticks(range(count), ["\n".join(_clip(wrap(_first(c), share_pt, measure))) for c in spec.categories])
    ax.tick_params(axis="x", length=0, pad=6, labelcolor=ctx.theme.ink, labelsize=ctx.pt(TEXT_PT))
    ax.spines["bottom"].set_color(ctx.theme.muted)
    # Roughly the plot's width: less the value labels and, if any, the legend.
    width_in = figure.get_figwidth() - ctx.scale * (0.9 + (1.7 if legend else 0.0))
    spare = _spare_slots(count, fill, width_in, 0.8 * ctx.scale * max(len(spec.series), 1) ** 0.5)
    ax.set_xlim(-0.5 - spare, count - 0.5 + spare)
    return ax


def _draw_column(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """Vertical columns, grouped side by side when there are several series."""
    count = max(len(spec.series), 1)
    band = 0.6 if count == 1 else 0.8 / count
    ax = _column_axes(figure, spec, ctx, band * count, legend=count > 1)
    values = _positive(spec)
    low = _log_floor(values) if spec.log_scale else 0.0
    handles, anchored = _grouped_bars(ax, spec, ctx, band, low, horizontal=False)
    _value_axis(ax, "y", spec, ctx, low, _top(values))
    if len(spec.series) > 1:
        _legend(ax, ctx, handles, [_series_label(ctx, s) for s in spec.series], right=True)
    state = {"ticks": 6 if not spec.log_scale else 10}
    _settle(figure, [_category_labels(ax, spec, ctx), _thin_ticks(ax, "y", spec, state),
                     _make_room(ax, "y", anchored)])


def _draw_stacked_column(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """Columns stacked by series (missing values skipped), each stack's values listed above it.

    The values above a stack read top-down in the order of its segments, each in
    its series' colour, so a segment too thin to hold a label still gets one.
    """
    ax = _column_axes(figure, spec, ctx, 0.6, legend=True)
    count = len(spec.categories)
    totals = [0.0] * count
    handles = []
    stacks: list[list[tuple[int, str]]] = [[] for _ in range(count)]
    for index, series in enumerate(spec.series):
        xs, heights, bottoms = [], [], []
        for i, (value, label) in enumerate(zip(series.values, series.value_labels)):
            if value is None:
                continue
            xs.append(i)
            heights.append(value)
            bottoms.append(totals[i])
            totals[i] += value
            stacks[i].append((index, _first(label)))
        handles.append(ax.bar(
            xs, heights, bottom=bottoms, width=0.6, color=ctx.color(index),
            edgecolor=ctx.theme.paper, linewidth=0.6,
        ))
    anchored: list[tuple[float, list[Text]]] = []
    for i, stack in enumerate(stacks):
        texts: list[Text] = []
        # Draw labels bottom-up so the top label belongs to the top segment.
        for row, (index, label) in enumerate(stack):
            texts.append(ax.annotate(
                label, xy=(i, totals[i]), xytext=(0, 3 + row * ctx.pt(TEXT_PT) * 1.35), textcoords="offset points",
                ha="center", va="bottom", fontsize=ctx.pt(TEXT_PT),
                color=ctx.text_color(index) if len(stack) > 1 else ctx.theme.ink,
            ))
        if texts:
            anchored.append((totals[i], texts))
    _value_axis(ax, "y", spec, ctx, 0.0, _top(totals))
    # Legend top-down like the segments.
    _legend(ax, ctx, handles[::-1], [_series_label(ctx, s) for s in spec.series][::-1], right=True)
    state = {"ticks": 6}
    _settle(figure, [_category_labels(ax, spec, ctx), _thin_ticks(ax, "y", spec, state),
                     _make_room(ax, "y", anchored)])


def _draw_line(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """One line per series across the categories, each point labelled with its value."""
    ax = _column_axes(figure, spec, ctx, 1.0, legend=len(spec.series) > 1)
    count = len(spec.categories)
    ax.set_xlim(-0.4, count - 0.6)
    values = _positive(spec)
    low = _log_floor(values) if spec.log_scale else 0.0
    anchored: list[tuple[float, list[Text]]] = []
    handles = []
    for index, series in enumerate(spec.series):
        rows = [(i, v, lab) for i, (v, lab) in enumerate(zip(series.values, series.value_labels))
                if v is not None and (v > 0 or not spec.log_scale)]
        (line,) = ax.plot(
            [r[0] for r in rows], [r[1] for r in rows], color=ctx.color(index), linewidth=2,
            marker="o", markersize=4.5, markeredgecolor=ctx.theme.paper, markeredgewidth=0.8,
        )
        handles.append(line)
        for x, value, label in rows:
            text = ax.annotate(
                _first(label), xy=(x, value), xytext=(0, 6), textcoords="offset points",
                ha="center", va="bottom", fontsize=ctx.pt(SMALL_PT), color=ctx.text_color(index),
            )
            anchored.append((value, [text]))
    _value_axis(ax, "y", spec, ctx, low, _top(values))
    if len(spec.series) > 1:
        _legend(ax, ctx, handles, [_series_label(ctx, s) for s in spec.series], right=True)
    state = {"ticks": 6 if not spec.log_scale else 10}
    _settle(figure, [_category_labels(ax, spec, ctx), _thin_ticks(ax, "y", spec, state),
                     _make_room(ax, "y", anchored)])


# -- doughnut -----------------------------------------------------------------------


def _share(value: float, total: float) -> str:
    """A share of the whole as a percentage, one decimal; ``<0.1%`` rather than ``0.0%``."""
    percent = 100 * value / total if total else 0.0
    if 0 < percent < 0.1:
        return "<0.1%"
    return f"{percent:.1f}%"


_PARENS = {"zh": "{}（{}）", "en": "{} ({})"}


def _draw_doughnut(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """A ring of the first series' shares, clockwise from twelve o'clock, and a legend naming
    each slice with its share and its value as the edition prints it.

    Laid out by hand: ring and legend are centred together in the figure (an
    equal-aspect axes under constrained layout would leave the ring adrift).
    """
    series = spec.series[0]
    rows = [(i, v, lab) for i, (v, lab) in enumerate(zip(series.values, series.value_labels))
            if v is not None and v > 0]
    total = sum(v for _i, v, _l in rows)
    width, height = figure.get_figwidth(), figure.get_figheight()
    top = _top_fraction(figure, ctx) * height  # inches left under a title
    diameter = max(min(top - 0.2, width * 0.45), 0.5)
    ax = figure.add_axes((0.0, 0.0, diameter / width, diameter / height))
    wedges, _texts = ax.pie(
        [v for _i, v, _l in rows], colors=[ctx.color(i) for i, _v, _l in rows], startangle=90,
        counterclock=False, radius=1.0,
        wedgeprops={"width": 0.36, "edgecolor": ctx.theme.paper, "linewidth": 1.2},
    )
    ax.set(xlim=(-1.02, 1.02), ylim=(-1.02, 1.02), aspect="equal")
    labels = [
        ctx.label(spec.categories[i], 150 * ctx.scale) + "\n" + _PARENS.get(ctx.lang, "{} ({})").format(_share(v, total), _first(label))
        for i, v, label in rows
    ]
    gap = 0.3 * ctx.scale
    for columns in (1, 2, 3):  # more columns only when one column would be taller than the ring's room
        legend = ax.legend(
            wedges, labels, loc="center left", bbox_to_anchor=(1 + gap / diameter, 0.5), handlelength=1.0,
            handleheight=1.0, labelspacing=0.8, borderaxespad=0.0, borderpad=0.0, ncols=columns,
            columnspacing=1.2, fontsize=ctx.pt(TEXT_PT),
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


def _top_fraction(figure: "Figure", ctx: _Ctx) -> float:
    """The share of the figure's height below its title (1.0 without one); for hand-made layouts."""
    if ctx.title is None:
        return 1.0
    figure.draw_without_rendering()
    return ctx.title.get_window_extent(figure.canvas.get_renderer()).y0 / figure.bbox.height - 0.02


# -- timeline ---------------------------------------------------------------------------


_TIMELINE_MARGIN_IN = 0.06
_TIMELINE_GAP_IN = 0.14
_BAND_IN = 0.085
"""Half the height of the month band, in inches."""
_MARKER_PT = 5.5
"""Diameter of an event marker, in points."""


def _month_names(month: "dt.date", langs: tuple[str, ...], years: bool, first: bool) -> list[str]:
    """Names for a month's cell, longest first: ``1月 Jan``, ``1月``, ``1``.

    Over several years (``years``) January cells name the year instead, and the
    ``first`` cell names its year too (``2019年11月 Nov 2019``).
    """
    from babel.dates import get_month_names

    from ..model.i18n import BABEL_LOCALE

    if years and month.month == 1:
        return [str(month.year)] * 3
    abbreviated = get_month_names("abbreviated", locale=BABEL_LOCALE["en"])[month.month]
    if years and first:
        forms = {"zh": f"{month.year}年{month.month}月", "en": f"{abbreviated} {month.year}"}
        names = [forms.get(lang, forms["en"]) for lang in langs]
        return [" ".join(names), names[0], str(month.year)]
    names = [{"zh": f"{month.month}月", "en": abbreviated}.get(lang, abbreviated) for lang in langs]
    return [" ".join(names), names[0], str(month.month)]


def _spread(desired: list[float], spacing: float, low: float, high: float) -> list[float]:
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
            centre = sum(desired[first:first + size]) / size
            start = centre - (size - 1) * spacing / 2
            start = min(max(start, low), high - (size - 1) * spacing)
            groups[-2:] = [[first, size, start]]
    positions: list[float] = []
    for _first_index, size, start in groups:
        positions.extend(start + k * spacing for k in range(size))
    return positions


def _draw_timeline(figure: "Figure", spec: ChartSpec, ctx: _Ctx) -> None:
    """Dated events on a month band; titles alternate above and below and fan out so none collide.

    Coordinates are inches from the axes' bottom-left. Events sit on the band at
    their dates; derived dates get a hollow marker and say so in their date label.
    Text shrinks from 7.5 pt towards 6.5 pt (times the figure's scale) only if the
    labels would not fit.
    """
    sizes = [ctx.pt(size) for size in (SMALL_PT, 7.0, 6.5)]
    for size in sizes:
        ax = figure.add_axes((0.0, 0.0, 1.0, _top_fraction(figure, ctx)))
        ax.set_axis_off()
        texts = _timeline(ax, spec, ctx, size)
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        box = ax.get_window_extent(renderer)
        if size == sizes[-1] or all(_inside(t.get_window_extent(renderer), box) for t in texts):
            return
        figure.delaxes(ax)


def _next_month(day: "dt.date") -> "dt.date":
    return day.replace(year=day.year + (day.month == 12), month=day.month % 12 + 1, day=1)


def _timeline(ax: "Axes", spec: ChartSpec, ctx: _Ctx, size: float) -> list["Text"]:
    """Draw the timeline into ``ax`` with ``size``-point labels; return the event label texts."""
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

    _month_band(ax, ctx, start, end, x_of)
    gap = _TIMELINE_GAP_IN * ctx.scale
    per_side = math.ceil(len(points) / 2)
    label_w = min(1.9 * ctx.scale, (width - 2 * _TIMELINE_MARGIN_IN) / per_side - gap)
    low, high = _TIMELINE_MARGIN_IN + label_w / 2, width - _TIMELINE_MARGIN_IN - label_w / 2
    xs = [x_of(p.when) for p in points]
    texts: list[Text] = []
    for side, sign in ((0, 1), (1, -1)):  # even events above, odd below
        chosen = list(range(side, len(points), 2))
        centres = _spread([xs[i] for i in chosen], label_w + gap, low, high)
        for i, centre in zip(chosen, centres):
            texts.extend(_event(ax, points[i], xs[i], centre, sign, label_w, size, ctx))
    return texts


def _month_band(ax: "Axes", ctx: _Ctx, start, end, x_of: Callable) -> None:
    """A tinted cell per month from ``start`` up to ``end``, each named inside where it fits."""
    from matplotlib.patches import Rectangle

    half = _BAND_IN * ctx.scale
    size = ctx.pt(6.5)
    years = start.year != (end - dt.timedelta(days=1)).year
    cells = []
    month = start
    while month < end:
        following = _next_month(month)
        cells.append((x_of(month), x_of(following), _month_names(month, ctx.langs, years, month == start)))
        month = following

    def fits(name: str, x0: float, x1: float) -> bool:
        return _width_pt(name, ctx.families, size, "normal") / 72 < (x1 - x0) * 0.9

    # One naming level for every cell (not "1月 Jan" beside "9月"), the longest that fits all.
    level = next((k for k in range(3) if all(fits(names[k], x0, x1) for x0, x1, names in cells)), 2)
    for x0, x1, names in cells:
        ax.add_patch(Rectangle((x0, -half), x1 - x0, 2 * half, facecolor=ctx.theme.tint,
                               edgecolor=ctx.theme.paper, linewidth=1.2))
        if fits(names[level], x0, x1):  # else blank: years of slivers need no names
            ax.text((x0 + x1) / 2, 0, names[level], ha="center", va="center_baseline", fontsize=size,
                    color=ctx.theme.muted)


def _event(ax: "Axes", point, x: float, centre: float, sign: int, label_w: float, size: float,
           ctx: _Ctx) -> list["Text"]:
    """One event: marker beside the band at ``x``, elbow leader, then date and title at ``centre``.

    ``sign`` is 1 above the band, -1 below; lengths are inches.
    """
    theme = ctx.theme
    marker_pt = _MARKER_PT * ctx.scale
    # The marker sits just outside the band, so it never covers a month name.
    edge = sign * (_BAND_IN * ctx.scale + marker_pt / 2 / 72)
    stub, level = edge + sign * 0.06 * ctx.scale, edge + sign * 0.30 * ctx.scale
    ax.plot([x, x, centre, centre], [edge, stub, level - sign * 0.06 * ctx.scale, level], color=theme.muted,
            linewidth=0.6, solid_joinstyle="round", zorder=1)
    ax.plot([x], [edge], marker="o", markersize=marker_pt, zorder=3, linestyle="none",
            markerfacecolor=theme.paper if point.derived_date else theme.accent,
            markeredgecolor=theme.accent, markeredgewidth=1.3 if point.derived_date else 0.8)
    width_pt = label_w * 72
    # Reading order is date, then each language of the title; the second language in muted ink.
    parts = [(ctx.label(point.marked_date, width_pt, size, "bold"), theme.accent, "bold")]
    for k, title in enumerate(_unique(point.title)):
        lines = "\n".join(_clip(wrap(title, width_pt, ctx.measure(size))))
        parts.append((lines, theme.ink if k == 0 else theme.muted, "normal"))
    return _stack(ax, parts, centre, level, sign, size)


def _stack(ax: "Axes", parts: list[tuple[str, str, str]], x: float, y: float, sign: int, size: float) -> list["Text"]:
    """Text blocks one under another, centred on ``x``, growing up (sign 1) or down (-1) from ``y``."""
    texts: list[Text] = []
    order = parts if sign < 0 else parts[::-1]
    va = "top" if sign < 0 else "bottom"
    previous = None
    for text, colour, weight in order:
        style = dict(ha="center", va=va, fontsize=size, color=colour, fontweight=weight,
                     multialignment="center", linespacing=LINESPACING)
        if previous is None:
            item = ax.text(x, y, text, **style)
        else:
            item = ax.annotate(text, xy=(0.5, 0.0 if sign < 0 else 1.0), xycoords=previous,
                               xytext=(0, 2 * sign), textcoords="offset points", **style)
        texts.append(item)
        previous = item
    return texts


def _inside(extent, box) -> bool:
    return extent.x0 >= box.x0 - 0.5 and extent.x1 <= box.x1 + 0.5 and extent.y0 >= box.y0 - 0.5 and extent.y1 <= box.y1 + 0.5


_BUILDERS: dict[str, Callable[["Figure", ChartSpec, _Ctx], None]] = {
    "bar": _draw_bar,
    "column": _draw_column,
    "stacked_column": _draw_stacked_column,
    "line": _draw_line,
    "doughnut": _draw_doughnut,
    "timeline": _draw_timeline,
}
