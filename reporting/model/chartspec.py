"""Chart specs: what a chart shows, resolved to one edition's languages.

Both the matplotlib builder (PDF, HTML) and the native PowerPoint builder read the
same :class:`ChartSpec`, so the brief and the deck chart the same numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import asdict, dataclass, field

from ..lang.numbers import exact, share_text
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
        """Each value as a share of the series' total (``54.6%``, one decimal, rounded as
        every figure is), in the languages of its name: a doughnut's slices in the brief
        and the deck read alike."""
        total = sum((exact(v) for v in self.values if v is not None), exact(0))
        langs = [phrase.lang for phrase in self.name]
        return tuple(
            Texts(tuple(Phrase(lang, share_text(value, total, lang)) for lang in langs)) if value is not None else None
            for value in self.values
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
        return Texts(tuple(
            Phrase(p.lang, p.text + note.get(p.lang, " ({})").format(LABELS["derived"].get(p.lang, "")))
            for p in self.date_label
        ))


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


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 and 10 times a power of ten at least ``raw`` (> 0)."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
