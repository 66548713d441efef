"""Chart specs: what a chart shows, resolved to one edition's languages.

Both the matplotlib builder (PDF, HTML) and the native PowerPoint builder read the
same :class:`ChartSpec`, so the brief and the deck chart the same numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from decimal import Decimal
from dataclasses import asdict, dataclass, field, replace

from ..lang.numbers import MINUS, NumberStyle, exact, format_number, share_text
from ..lang.periods import DEFAULT_ENGLISH, month_cell_names
from .labels import LABELS
from .texts import Phrase, Texts


@dataclass(frozen=True)
class SeriesSpec:
    """One series: a value per category (``None`` where the series has no value)."""

    name: Texts
    values: tuple[float | None, ...]
    value_labels: tuple[Texts | None, ...]
    """Each value formatted as the edition prints it (``768万`` / ``7.68 million``, ``54.6%``)."""
    fact_ids: tuple[str | None, ...]

    @property
    def shares(self) -> tuple[Texts | None, ...]:
        """Each value as a share of the series' total (``54.6%``, one decimal), in the
        languages of its name, rounded so that the shares add up to 100.0% (largest
        remainder: the tenths the rounding left go to the shares rounded down the most);
        ``<0.1%`` for a sliver that gets none. A doughnut's slices in the brief and the
        deck read alike."""
        values = [exact(v) if v is not None else None for v in self.values]
        total = sum((v for v in values if v is not None), exact(0))
        langs = [phrase.lang for phrase in self.name]
        if not total:
            return tuple(
                Texts(tuple(Phrase(lang, share_text(0, 0, lang)) for lang in langs)) if v is not None else None
                for v in self.values
            )
        raw = {i: v * 1000 / total for i, v in enumerate(values) if v is not None}
        tenths = {i: int(r) for i, r in raw.items()}
        left = 1000 - sum(tenths.values())
        for i in sorted(raw, key=lambda i: (-(raw[i] - tenths[i]), i))[: max(left, 0)]:
            tenths[i] += 1

        def text(i: int, lang: str) -> str:
            if tenths[i] == 0 and raw[i] > 0:
                return "<0.1%"
            return format_number(Decimal(tenths[i]) / 10, lang, NumberStyle(1, fixed=True)) + "%"

        return tuple(
            Texts(tuple(Phrase(lang, text(i, lang)) for lang in langs)) if v is not None else None
            for i, v in enumerate(values)
        )


@dataclass(frozen=True)
class TimelinePoint:
    when: dt.date
    date_label: Texts
    title: Texts
    derived_date: bool = False

    @property
    def marked_date(self) -> Texts:
        """The date label, marked ``（推算）`` / ``(derived)`` where the date was worked out
        rather than stated: what the chart prints, and what its text alternative says."""
        if not self.derived_date:
            return self.date_label
        note = {"zh": "（{}）", "en": " ({})"}
        return Texts(
            tuple(
                Phrase(p.lang, p.text + note.get(p.lang, " ({})").format(LABELS["derived"].get(p.lang, "")))
                for p in self.date_label
            )
        )


@dataclass(frozen=True)
class TimelineMonth:
    """A month cell of a timeline's band: its first day and its names, longest first
    (``1月 Jan``, ``1月``, ``1``), as the model wrote them for the edition."""

    first_day: dt.date
    names: tuple[str, ...]


def timeline_months(days, langs: tuple[str, ...], *, english: str = DEFAULT_ENGLISH) -> tuple[TimelineMonth, ...]:
    """The month band under a timeline: every month from the earliest of ``days`` to the
    latest, named for ``langs`` (the year on the first cell and on each January when the
    band crosses a year)."""
    days = sorted(days)
    if not days:
        return ()
    start, end = days[0].replace(day=1), days[-1].replace(day=1)
    cells = []
    month = start
    while month <= end:
        names = month_cell_names(month, langs, years=start.year != end.year, first=month == start, english=english)
        cells.append(TimelineMonth(month, names))
        month = month.replace(year=month.year + (month.month == 12), month=month.month % 12 + 1)
    return tuple(cells)


@dataclass(frozen=True)
class ChartSpec:
    """A chart in one edition. ``kind`` is bar, column, stacked_column, line, doughnut or timeline."""

    id: str
    kind: str
    title: Texts
    caption: Texts
    alt: Texts
    """A text alternative generated from the data: every category with its value."""
    categories: tuple[Texts, ...] = ()
    series: tuple[SeriesSpec, ...] = ()
    log_scale: bool = False
    value_axis: Texts | None = None
    axis_min: float | None = None
    """Where a line chart's value axis starts, as the dataset sets it (a value, scaled);
    ``None`` lets :meth:`value_floor` fit it to the values."""
    points: tuple[TimelinePoint, ...] = field(default=())
    months: tuple[TimelineMonth, ...] = field(default=())
    """A timeline's month band, from the month of its first event to that of its last."""
    number_format: str = "General"
    """Excel number format of the values in the edition's first language, with the unit
    where the unit never leaves the number (``0.0"%"``, ``"$"#,##0``): native deck
    charts give it to their data, labels and axis."""
    scaled: bool = False
    """The value labels use scale words (``768万``, ``7.68 million``): an axis printing the
    raw values through :attr:`number_format` would not read like them."""
    totals: SeriesSpec | None = None
    """A stacked column chart's totals, printed once on top of each column: a fact per
    category (``None`` where there is none), each checked against the sum of its
    column's segments when the dataset was loaded. Not a series of the stack."""
    takeaway: Texts | None = None
    """The point the chart makes (the dataset's ``takeaway``, placeholders filled): the
    brief's heading above the chart and the deck slide's title; ``None`` where the
    dataset gives none (the chart's title heads it)."""
    sources: Texts | None = None
    """Where the chart's figures come from (``Source: …`` / ``资料来源：…``), printed under it."""
    axis_power: int = 0
    """The value axis' display scale, a power of ten (9: billions, 8: 亿): the largest
    value's scale in the edition's first language, where the labels use scale words.
    Tick numbers are the values divided by it; :meth:`axis_title` says it once."""
    tick_affixes: tuple[str, str] = ("", "")
    """Text before and after each tick number (``$``, ``%``): empty where the value axis'
    title names the unit, which is then said once, not on every tick."""

    axis_label: Texts | None = None
    """The value axis' title as the planner wrote it for the edition (:meth:`axis_title`,
    then converted with every other text, into Traditional Chinese for instance)."""

    def axis_title(self) -> Texts | None:
        """The value axis' title: the dataset's, with the display scale where the ticks
        are scaled (``Revenue (US$), in billions`` / ``营业收入（美元），单位：亿``)."""
        if self.axis_label is not None:
            return self.axis_label
        scale = AXIS_SCALE_WORDS.get(self.axis_power)
        if scale is None:
            return self.value_axis
        langs = [p.lang for p in (self.value_axis or self.title)]
        phrases = []
        for lang in langs:
            words = scale.get(lang, scale["en"])
            axis = self.value_axis.get(lang) if self.value_axis is not None else ""
            form = AXIS_SCALE_FORMS[lang if lang in AXIS_SCALE_FORMS else "en"]
            phrases.append(Phrase(lang, (form[0] if axis else form[1]).format(axis=axis, scale=words)))
        return Texts(tuple(phrases))

    def on_axis_scale(self) -> "ChartSpec":
        """This chart with its values in the axis' display scale (148 for 148 billion),
        its value axis titled with the scale and no scale left to apply: what a native
        chart stores, so its axis reads like the labels and stays editable."""
        if not self.axis_power:
            return self
        factor = 10.0**self.axis_power

        def scale(series: SeriesSpec) -> SeriesSpec:
            return replace(series, values=tuple(None if v is None else v / factor for v in series.values))

        return replace(
            self,
            series=tuple(scale(s) for s in self.series),
            totals=scale(self.totals) if self.totals else None,
            axis_min=None if self.axis_min is None else self.axis_min / factor,
            value_axis=self.axis_title(),
            axis_power=0,
            axis_label=None,
        )

    def tick_format(self, fraction: int) -> str:
        """The Excel number format of the value axis' ticks: ``fraction`` digits, the
        edition's grouping, :attr:`tick_affixes`, a true minus below zero."""
        lang = self.title.first.lang if self.title else "en"
        body = ("#,##0" if lang == "en" else "0") + ("." + "0" * fraction if fraction else "")
        before, after = (f'"{t}"' if t else "" for t in self.tick_affixes)
        return f'{before}{body}{after};"{MINUS}"{before}{body}{after}'

    @property
    def fact_ids(self) -> tuple[str, ...]:
        ids: list[str] = []
        for series in (*self.series, *((self.totals,) if self.totals else ())):
            ids.extend(fact_id for fact_id in series.fact_ids if fact_id and fact_id not in ids)
        return tuple(ids)

    def column_tops(self) -> tuple[float, ...]:
        """Where each column of a stacked chart ends: the sum of its segments."""
        return tuple(sum(s.values[i] or 0.0 for s in self.series) for i in range(len(self.categories)))

    def value_floor(self) -> float:
        """Where the value axis starts (linear scale): the dataset's ``axis_min`` for a
        line chart, else a round number fitted below the values for a line chart whose
        values sit far from zero (a margin of 43 to 45.2 drawn from 0 looks flat), else
        zero, or a round number below the lowest negative value: bars and columns keep
        zero, as a bar's length is its value."""
        values = [v for s in self.series for v in s.values if v is not None]
        if not values:
            return 0.0
        low, high = min(values), max(values)
        if self.kind == "line":
            if self.axis_min is not None:
                return self.axis_min
            span = high - low or abs(high) * 0.2 or 1.0
            if low >= 0 and low <= span:
                return 0.0  # near zero: the axis from zero shows the values as they are
            step = nice_step(span / 4)
            floor = math.floor((low - span * 0.1) / step) * step
            return 0.0 if low >= 0 and floor <= 0 else floor
        if low >= 0:
            return 0.0
        span = max(high, 0.0) - low
        return math.floor((low - span * 0.05) / nice_step(span / 5)) * nice_step(span / 5)

    def digest(self, extra: str = "") -> str:
        """A stable hash of everything drawn, for caching rendered charts."""
        payload = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False) + extra
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


AXIS_SCALE_WORDS: dict[int, dict[str, str]] = {
    3: {"zh": "千", "en": "thousands"},
    4: {"zh": "万", "en": "ten thousands"},
    6: {"zh": "百万", "en": "millions"},
    8: {"zh": "亿", "en": "hundred millions"},
    9: {"zh": "十亿", "en": "billions"},
    12: {"zh": "万亿", "en": "trillions"},
}
"""How a value axis names its display scale (a power of ten), per language."""

AXIS_SCALE_FORMS = {"zh": ("{axis}，单位：{scale}", "单位：{scale}"), "en": ("{axis}, in {scale}", "In {scale}")}
"""The value axis' title with its scale (with the dataset's title, without one)."""


def axis_extent(low: float, high: float, *, headroom: float = 0.0) -> tuple[float, float, float]:
    """A value axis for values from ``low`` (the axis' start, already chosen) to ``high``:
    (minimum, maximum, step between ticks). The maximum is the next round step above
    ``high``, or further where labels need ``headroom`` (a share of the axis above the
    highest value), but never past 1.25 times ``high`` unless that is the next step: an
    axis stretched further makes the values look smaller than they are."""
    top = max(high, low)
    span = (top - low) or abs(top) or 1.0
    step = nice_step(span / 5)
    rounded_top = math.ceil(top / step - 1e-9) * step
    if top <= 0:
        return low, max(rounded_top, 0.0), step
    wanted = low + (top - low) / (1 - min(max(headroom, 0.0), 0.8))
    if wanted <= rounded_top:
        return low, rounded_top, step
    return low, max(rounded_top, min(wanted, top * 1.25)), step


def step_fraction(step: float) -> int:
    """Fraction digits every tick of an axis stepping by ``step`` needs (2.5: 1, 20: 0)."""
    for digits in range(0, 7):
        if abs(round(step, digits) - step) <= abs(step) * 1e-9:
            return digits
    return 6


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 and 10 times a power of ten at least ``raw`` (> 0)."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
