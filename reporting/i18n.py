"""Editions, number and date formatting per language.

Numbers are formatted here once, in code, so the brief, the deck and the HTML
preview cannot disagree. Chinese uses 万/亿 (``768万``), English press style uses
grouped digits under a million and words above (``150,000``, ``7.68 million``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

from babel.dates import get_month_names
from babel.numbers import format_compact_decimal, format_decimal

LANGS = ("zh", "en")
"""Languages a dataset is written in, in bilingual reading order."""

BCP47 = {"zh": "zh-Hans", "en": "en"}
"""``lang`` attribute values for HTML and PDF."""

BABEL_LOCALE = {"zh": "zh_Hans_CN", "en": "en_GB"}


class Edition(str, enum.Enum):
    """Which languages a report is printed in."""

    BILINGUAL = "bilingual"
    ZH = "zh"
    EN = "en"

    @property
    def langs(self) -> tuple[str, ...]:
        return LANGS if self is Edition.BILINGUAL else (self.value,)

    @property
    def primary(self) -> str:
        """The language of the document as a whole (the first one read)."""
        return self.langs[0]


class Qualifier(str, enum.Enum):
    """How exact a figure is, as the source states it."""

    EXACT = "exact"
    OVER = "over"
    NEARLY = "nearly"
    ABOUT = "about"
    UNDER = "under"


QUALIFIER_WORDS = {
    "zh": {"exact": "", "over": "超过", "nearly": "近", "about": "约", "under": "不到"},
    "en": {"exact": "", "over": "over ", "nearly": "nearly ", "about": "about ", "under": "under "},
}


def format_number(value: float, lang: str, *, max_fraction_digits: int = 2) -> str:
    """A bare number in a language's press style, without qualifier or unit.

    >>> format_number(7_680_000, "zh"), format_number(7_680_000, "en")
    ('768万', '7.68 million')
    >>> format_number(150_000, "zh"), format_number(150_000, "en")
    ('15万', '150,000')
    """
    if lang == "zh":
        if abs(value) >= 10_000:
            return format_compact_decimal(
                value, locale=BABEL_LOCALE[lang], fraction_digits=max_fraction_digits
            )
        # Chinese press style writes 3000, not 3,000.
        return format_decimal(
            _rounded(value, max_fraction_digits), locale=BABEL_LOCALE[lang], group_separator=False
        )
    if abs(value) >= 1_000_000:
        return format_compact_decimal(
            value, format_type="long", locale=BABEL_LOCALE[lang], fraction_digits=max_fraction_digits
        )
    return format_decimal(_rounded(value, max_fraction_digits), locale=BABEL_LOCALE[lang])


def _rounded(value: float, digits: int) -> float | int:
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


@dataclass(frozen=True)
class UnitWords:
    """How a unit is written after (or before) a number in one language."""

    suffix: str = ""
    prefix: str = ""
    attach: bool = False
    """True when the suffix follows the number with no space (``%``); Chinese always attaches."""
    singular: str | None = None


def format_figure(
    value: float,
    qualifier: Qualifier | str,
    unit: UnitWords,
    lang: str,
    *,
    with_unit: bool = True,
    max_fraction_digits: int = 2,
) -> str:
    """A number with its qualifier and, optionally, its unit.

    >>> format_figure(100_000_000, "over", UnitWords(), "zh")
    '超过1亿'
    >>> format_figure(10_000_000, "exact", UnitWords(prefix="RMB "), "en")
    'RMB 10 million'
    """
    qualifier = Qualifier(qualifier)
    number = format_number(value, lang, max_fraction_digits=max_fraction_digits)
    if with_unit:
        suffix = unit.singular if (unit.singular and value == 1) else unit.suffix
        if suffix:
            joiner = "" if (lang == "zh" or unit.attach) else " "
            number = f"{number}{joiner}{suffix}"
        number = f"{unit.prefix}{number}"
    return QUALIFIER_WORDS[lang][qualifier.value] + number


class DatePrecision(str, enum.Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DatePart(str, enum.Enum):
    """Where in a month (or year) an approximate date falls."""

    EARLY = "early"
    MID = "mid"
    LATE = "late"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year (``2020-01-31``, ``2020-08``, ``2020``)."""

    year: int
    month: int = 1
    day: int = 1
    precision: DatePrecision = DatePrecision.DAY
    part: DatePart | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; raise ``ValueError`` otherwise."""
        pieces = str(text).strip().split("-")
        if not 1 <= len(pieces) <= 3 or not all(p.isdigit() for p in pieces):
            raise ValueError(f"expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {text!r}")
        numbers = [int(p) for p in pieces]
        precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][len(pieces) - 1]
        year, month, day = (numbers + [1, 1])[:3]
        dt.date(year, month, day)  # raises ValueError for 2020-02-30
        return cls(year, month, day, precision)

    def with_part(self, part: DatePart | None) -> "PartialDate":
        return PartialDate(self.year, self.month, self.day, self.precision, part)

    def plus_days(self, days: int) -> "PartialDate":
        if self.precision is not DatePrecision.DAY:
            raise ValueError("only a date known to the day can be offset by days")
        moved = self.as_date() + dt.timedelta(days=days)
        return PartialDate(moved.year, moved.month, moved.day)

    def as_date(self) -> dt.date:
        """The earliest day the date can mean (mid-month for ``mid``, the 25th for ``late``)."""
        day = self.day
        if self.precision is DatePrecision.MONTH and self.part is DatePart.MID:
            day = 15
        elif self.precision is DatePrecision.MONTH and self.part is DatePart.LATE:
            day = min(25, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, day)

    def iso(self) -> str:
        if self.precision is DatePrecision.YEAR:
            return f"{self.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_ZH_PART = {DatePart.EARLY: "初", DatePart.MID: "中旬", DatePart.LATE: "底"}
_EN_PART = {DatePart.EARLY: "early ", DatePart.MID: "mid-", DatePart.LATE: "late "}


def format_date(date: PartialDate, lang: str, *, with_year: bool = False) -> str:
    """A date in a language's style: ``1月31日`` / ``31 January``; ``2020年8月`` / ``August 2020``.

    >>> format_date(PartialDate.parse("2020-01-31"), "zh")
    '1月31日'
    >>> format_date(PartialDate.parse("2020-01").with_part(DatePart.LATE), "en")
    'late January'
    """
    # Babel, not calendar.month_name: the latter follows the process locale.
    month_name = get_month_names("wide", locale=BABEL_LOCALE["en"])[date.month]
    if date.precision is DatePrecision.YEAR:
        return f"{date.year}年" if lang == "zh" else str(date.year)
    if lang == "zh":
        year = f"{date.year}年" if with_year else ""
        if date.precision is DatePrecision.MONTH:
            return f"{year}{date.month}月{_ZH_PART.get(date.part, '')}"
        return f"{year}{date.month}月{date.day}日"
    year = f" {date.year}" if with_year else ""
    if date.precision is DatePrecision.MONTH:
        return f"{_EN_PART.get(date.part, '')}{month_name}{year}"
    return f"{date.day} {month_name}{year}"
