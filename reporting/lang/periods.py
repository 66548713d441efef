"""Dates and periods: parsing the dataset's forms and writing them per language.

A fact or event is dated by a :class:`Period`: a day (``2020-01-31``), a month
(``2020-08``, optionally early, mid or late in it), a quarter (``2023-Q1``), a half
year (``2023-H1``), a year (``2023``), a fiscal year or a part of one (``FY2023``,
``FY2023-Q1``, ``FY2023-H2``) or a range of days or months (``2020-01-26/2020-02-29``,
ISO 8601's interval). Every period knows the days it covers, so timelines sort and
fiscal years say what they cover.

Periods are written here once, through Babel's CLDR patterns, so every output prints
the same words: ``1月31日`` / ``31 January`` (``January 31`` in ``en-US``), ``一季度`` /
``Q1``, ``2023财年`` / ``FY2023``, ``1月26日至2月29日`` / ``26 January – 29 February``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

ENGLISH_STYLES = ("en-GB", "en-US")
"""English conventions a project or audience may choose (dates, and everything Babel
formats by locale)."""

DEFAULT_ENGLISH = "en-GB"


def babel_locale(lang: str, english: str = DEFAULT_ENGLISH) -> str:
    """The Babel locale of a language (``zh_Hans_CN``; ``en_GB`` or ``en_US``)."""
    if lang == "zh":
        return "zh_Hans_CN"
    if english not in ENGLISH_STYLES:
        raise ValueError(f"unknown English style {english!r}; use one of: {', '.join(ENGLISH_STYLES)}")
    return english.replace("-", "_")


class DatePrecision(str, enum.Enum):
    """How much of the calendar a period names."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"


class DatePart(str, enum.Enum):
    """Where in a month an approximate date falls."""

    EARLY = "early"
    MID = "mid"
    LATE = "late"


FORMS = ("YYYY-MM-DD", "YYYY-MM", "YYYY-Qn", "YYYY-Hn", "YYYY", "FYYYYY", "FYYYYY-Qn",
         "FYYYYY-Hn", "START/END")
"""The forms a period may take, for messages and the schema."""

FORMS_TEXT = ("a date or period: YYYY-MM-DD, YYYY-MM, YYYY, a quarter YYYY-Q1, a half year "
              "YYYY-H1, a fiscal year FY2023 (or FY2023-Q1, FY2023-H1) or a range "
              "YYYY-MM-DD/YYYY-MM-DD")

_PATTERN = re.compile(
    r"^(?P<fy>FY)?(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)


@dataclass(frozen=True, order=True)
class FiscalYearEnd:
    """The last day of an organisation's fiscal year (``09-30``: FY2023 runs from
    1 October 2022 to 30 September 2023; a fiscal year is named by the year it ends in)."""

    month: int = 12
    day: int = 31

    @classmethod
    def parse(cls, text: str) -> "FiscalYearEnd":
        match = re.fullmatch(r"(\d{2})-(\d{2})", str(text).strip())
        if not match:
            raise ValueError(f"expected the last day of the fiscal year as MM-DD, e.g. 09-30, got {text!r}")
        month, day = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
            raise ValueError(f"{text!r} is not a day of the year (MM-DD)")
        return cls(month, day)

    def last_day(self, year: int) -> dt.date:
        return dt.date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))


CALENDAR_YEAR = FiscalYearEnd(12, 31)


@dataclass(frozen=True, order=True)
class Period:
    """A date or period from a dataset. ``start`` orders periods; ``end`` is the last day
    covered. ``year``, ``month``, ``day`` are the first day named (the start of a range)."""

    start: dt.date
    end: dt.date
    precision: DatePrecision = DatePrecision.DAY
    part: DatePart | None = None
    fiscal: bool = False
    """Named as a fiscal year or a part of one (``FY2023``, ``FY2023-Q1``)."""
    number: int = 0
    """The quarter (1–4) or half (1–2), for quarters and halves."""
    fiscal_year: int = 0
    """The fiscal year's name (``2023`` of ``FY2023``)."""
    first: "Period | None" = None
    last: "Period | None" = None
    """A range's two ends, each a day or a month."""

    # -- reading ------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, fiscal_year_end: FiscalYearEnd | None = CALENDAR_YEAR) -> "Period":
        """Read a period in one of :data:`FORMS`; raise ``ValueError`` (the message does not
        repeat the text: the caller shows it). A fiscal period needs ``fiscal_year_end``
        (``None`` refuses one)."""
        text = str(text).strip()
        if "/" in text:
            return cls._parse_range(text, fiscal_year_end)
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"expected {FORMS_TEXT}")
        year = int(match["year"])
        if match["fy"]:
            if match["month"]:
                raise ValueError("a fiscal period is a year, a quarter or a half: FY2023, FY2023-Q1, FY2023-H1")
            if fiscal_year_end is None:
                raise ValueError("a fiscal period needs the last day of the fiscal year: "
                                 "set report.fiscal_year_end (e.g. 09-30)")
            return cls._fiscal(year, fiscal_year_end, match["quarter"], match["half"])
        if match["quarter"]:
            number = int(match["quarter"])
            return cls._months(dt.date(year, 3 * number - 2, 1), 3, DatePrecision.QUARTER, number=number)
        if match["half"]:
            number = int(match["half"])
            return cls._months(dt.date(year, 6 * number - 5, 1), 6, DatePrecision.HALF, number=number)
        if match["day"]:
            month, day = int(match["month"]), int(match["day"])
            if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError(f"no such day: {year:04d}-{month:02d} has no day {day}"
                                 if 1 <= month <= 12 else f"month {month} does not exist")
            day = dt.date(year, month, day)
            return cls(day, day, DatePrecision.DAY)
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} does not exist")
            return cls._months(dt.date(year, month, 1), 1, DatePrecision.MONTH)
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.YEAR)

    @classmethod
    def _months(cls, first: dt.date, count: int, precision: DatePrecision, **more) -> "Period":
        last_month = first.month + count - 1
        year = first.year + (last_month - 1) // 12
        month = (last_month - 1) % 12 + 1
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        return cls(first, end, precision, **more)

    @classmethod
    def _fiscal(cls, year: int, ends: FiscalYearEnd, quarter: str | None, half: str | None) -> "Period":
        last = ends.last_day(year)
        start = ends.last_day(year - 1) + dt.timedelta(days=1)
        if quarter is None and half is None:
            return cls(start, last, DatePrecision.YEAR, fiscal=True, fiscal_year=year)
        # Parts of a fiscal year are counted in months from its first day; a year that
        # ends mid-month has no whole quarters, and the parts then end on that day.
        size, number = (3, int(quarter)) if quarter else (6, int(half))  # type: ignore[arg-type]
        first = _add_months(start, size * (number - 1))
        end = min(_add_months(start, size * number) - dt.timedelta(days=1), last)
        precision = DatePrecision.QUARTER if quarter else DatePrecision.HALF
        return cls(first, end, precision, fiscal=True, number=number, fiscal_year=year)

    @classmethod
    def _parse_range(cls, text: str, fiscal_year_end: FiscalYearEnd | None) -> "Period":
        pieces = text.split("/")
        if len(pieces) != 2:
            raise ValueError("a range has one '/' between its first and last date (2020-01-26/2020-02-29)")
        ends = [cls.parse(piece, fiscal_year_end) for piece in pieces]
        if any(end.precision not in (DatePrecision.DAY, DatePrecision.MONTH) for end in ends):
            raise ValueError("a range runs from a day to a day or a month to a month "
                             "(2020-01-26/2020-02-29, 2020-01/2020-03)")
        first, last = ends
        if first.precision is not last.precision:
            raise ValueError("both ends of a range are days, or both are months")
        if last.start <= first.start:
            raise ValueError("a range ends after it starts")
        return cls(first.start, last.end, DatePrecision.RANGE, first=first, last=last)

    # -- properties ----------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def month(self) -> int:
        return self.start.month

    @property
    def day(self) -> int:
        return self.start.day

    @property
    def years(self) -> set[int]:
        """The calendar years a period touches."""
        return set(range(self.start.year, self.end.year + 1))

    @property
    def within_year(self) -> bool:
        """True when the period is part of a calendar year (its text may leave the year out)."""
        return not self.fiscal and self.precision is not DatePrecision.YEAR

    def with_part(self, part: DatePart | None) -> "Period":
        """The period marked early, mid or late (meaningful for a month)."""
        return Period(self.start, self.end, self.precision, part, self.fiscal, self.number,
                      self.fiscal_year, self.first, self.last)

    def plus_days(self, days: int) -> "Period":
        if self.precision is not DatePrecision.DAY:
            raise ValueError("only a date known to the day can be offset by days")
        moved = self.start + dt.timedelta(days=days)
        return Period(moved, moved, DatePrecision.DAY)

    def as_date(self) -> dt.date:
        """The earliest day the period can mean (mid-month for ``mid``, the 25th for ``late``)."""
        if self.precision is DatePrecision.MONTH and self.part is DatePart.MID:
            return self.start.replace(day=15)
        if self.precision is DatePrecision.MONTH and self.part is DatePart.LATE:
            return self.start.replace(day=min(25, self.end.day))
        return self.start

    def iso(self) -> str:
        """The period as the dataset writes it."""
        if self.precision is DatePrecision.RANGE:
            return f"{self.first.iso()}/{self.last.iso()}"  # type: ignore[union-attr]
        prefix = f"FY{self.fiscal_year:04d}" if self.fiscal else f"{self.year:04d}"
        if self.precision is DatePrecision.QUARTER:
            return f"{prefix}-Q{self.number}"
        if self.precision is DatePrecision.HALF:
            return f"{prefix}-H{self.number}"
        if self.precision is DatePrecision.YEAR:
            return prefix
        if self.precision is DatePrecision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return self.start.isoformat()


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- writing

_ZH_PART = {DatePart.EARLY: "初", DatePart.MID: "中旬", DatePart.LATE: "底"}
_EN_PART = {DatePart.EARLY: "early ", DatePart.MID: "mid-", DatePart.LATE: "late "}
_ZH_QUARTER = ("一季度", "二季度", "三季度", "四季度")
_ZH_FISCAL_QUARTER = ("第一季度", "第二季度", "第三季度", "第四季度")
_ZH_HALF = ("上半年", "下半年")
RANGE_JOINER = {"zh": "至", "en": " – "}
"""Between a range's ends: ``1月26日至2月29日``, ``26 January – 29 February``."""


def format_period(period: Period, lang: str, *, with_year: bool = False, prose: bool = False,
                  english: str = DEFAULT_ENGLISH) -> str:
    """A period in a language's style.

    ``with_year`` adds the year to a period within a year (a day, month, quarter, half or
    range; fiscal periods and years always name theirs). A year alone is written ``2023``
    in both languages where it stands as a label (a chart category, a timeline date), so
    a bilingual layout shows it once; ``prose=True`` gives the form for running text
    (``2023年``). ``english`` is ``en-GB`` (``31 January``) or ``en-US`` (``January 31``).

    >>> format_period(Period.parse("2020-01-31"), "zh"), format_period(Period.parse("2020-01-31"), "en")
    ('1月31日', '31 January')
    >>> format_period(Period.parse("2023-Q1"), "zh"), format_period(Period.parse("2023-Q1"), "en", with_year=True)
    ('一季度', 'Q1 2023')
    """
    from babel.dates import format_skeleton, get_month_names

    locale = babel_locale(lang, english)
    precision = period.precision
    if precision is DatePrecision.RANGE:
        return _format_range(period, lang, with_year, english)
    if period.fiscal:
        year = period.fiscal_year
        if precision is DatePrecision.YEAR:
            return f"{year}财年" if lang == "zh" else f"FY{year}"
        if lang == "zh":
            part = _ZH_FISCAL_QUARTER[period.number - 1] if precision is DatePrecision.QUARTER else _ZH_HALF[period.number - 1]
            return f"{year}财年{part}"
        return f"{'Q' if precision is DatePrecision.QUARTER else 'H'}{period.number} FY{year}"
    if precision is DatePrecision.YEAR:
        return f"{period.year}年" if (lang == "zh" and prose) else str(period.year)
    if precision is DatePrecision.QUARTER or precision is DatePrecision.HALF:
        if lang == "zh":
            name = (_ZH_QUARTER if precision is DatePrecision.QUARTER else _ZH_HALF)[period.number - 1]
            return f"{period.year}年{name}" if with_year else name
        name = f"{'Q' if precision is DatePrecision.QUARTER else 'H'}{period.number}"
        return f"{name} {period.year}" if with_year else name
    if precision is DatePrecision.MONTH:
        if lang == "zh":
            text = format_skeleton("yMMMM", period.start, locale=locale) if with_year else f"{period.month}月"
            return text + _ZH_PART.get(period.part, "")  # type: ignore[arg-type]
        if with_year:
            text = format_skeleton("yMMMM", period.start, locale=locale)
        else:
            text = get_month_names("wide", context="stand-alone", locale=locale)[period.month]
        return _EN_PART.get(period.part, "") + text  # type: ignore[arg-type]
    return format_skeleton("yMMMMd" if with_year else "MMMMd", period.start, locale=locale)


def _format_range(period: Period, lang: str, with_year: bool, english: str) -> str:
    first, last = period.first, period.last
    assert first is not None and last is not None
    if first.year != last.year:
        with_year = True
    if first.precision is DatePrecision.DAY and (first.year, first.month) == (last.year, last.month):
        return _days_of_a_month(first.start, last.start, lang, with_year, english)
    if not with_year:
        return format_period(first, lang, english=english) + RANGE_JOINER[lang] + format_period(last, lang, english=english)
    same_year = first.year == last.year
    if lang == "zh":
        # 2020年1月26日至2月29日: the year once, at the start
        return (format_period(first, lang, with_year=True) + RANGE_JOINER[lang]
                + format_period(last, lang, with_year=not same_year))
    # 26 January – 29 February 2020 / January 26 – February 29, 2020: the year once, at the end
    return (format_period(first, lang, with_year=not same_year, english=english) + RANGE_JOINER[lang]
            + format_period(last, lang, with_year=True, english=english))


def _days_of_a_month(first: dt.date, last: dt.date, lang: str, with_year: bool, english: str) -> str:
    """Days of one month, the month once: ``1月21日至27日``, ``21–27 January``,
    ``January 21–27, 2023``."""
    from babel.dates import format_skeleton

    if lang == "zh":
        return format_skeleton("yMMMMd" if with_year else "MMMMd", first, locale=babel_locale(lang)) \
            + f"{RANGE_JOINER[lang]}{last.day}日"
    # The locale's own pattern for the first day, its day number widened to the span.
    text = format_skeleton("yMMMMd" if with_year else "MMMMd", first, locale=babel_locale(lang, english))
    return re.sub(rf"(?<!\d){first.day}(?!\d)", f"{first.day}–{last.day}", text, count=1)


def month_cell_names(month: dt.date, langs: tuple[str, ...], *, years: bool, first: bool,
                     english: str = DEFAULT_ENGLISH) -> tuple[str, str, str]:
    """Names for a timeline's month cell, longest first: ``1月 Jan``, ``1月``, ``1``.

    Over several years (``years``) January cells name the year instead, and the
    ``first`` cell names its year too (``2019年11月 Nov 2019``). English month
    abbreviations follow the English style (``Sept`` in en-GB, ``Sep`` in en-US).
    """
    from babel.dates import get_month_names

    if years and month.month == 1:
        return (str(month.year),) * 3
    abbreviated = get_month_names("abbreviated", locale=babel_locale("en", english))[month.month]
    if years and first:
        forms = {"zh": f"{month.year}年{month.month}月", "en": f"{abbreviated} {month.year}"}
        names = [forms[lang] for lang in langs]
        return " ".join(names), names[0], str(month.year)
    names = [{"zh": f"{month.month}月", "en": abbreviated}[lang] for lang in langs]
    return " ".join(names), names[0], str(month.month)


def format_coverage(period: Period, lang: str, *, english: str = DEFAULT_ENGLISH) -> str:
    """The days a period covers, first and last, each with its year:
    ``2022年10月1日至2023年9月30日`` / ``1 October 2022 – 30 September 2023``."""
    first = format_period(Period(period.start, period.start), lang, with_year=True, english=english)
    last = format_period(Period(period.end, period.end), lang, with_year=True, english=english)
    return first + RANGE_JOINER[lang] + last
