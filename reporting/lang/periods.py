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
import dataclasses
import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from typing import Final, Literal

ENGLISH_STYLES = ("en-GB", "en-US")
"""English conventions a project or audience may choose (dates, and everything Babel
formats by locale)."""

DEFAULT_ENGLISH: Final = "en-GB"


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


FORMS = ("YYYY-MM-DD", "YYYY-MM", "YYYY-Qn", "YYYY-Hn", "YYYY", "FYYYYY", "FYYYYY-Qn", "FYYYYY-Hn", "START/END")
"""The forms a period may take, for messages and the schema."""

FORMS_TEXT = (
    "a date or period: YYYY-MM-DD, YYYY-MM, YYYY, a quarter YYYY-Q1, a half year "
    "YYYY-H1, a fiscal year FY2023 (or FY2023-Q1, FY2023-H1) or a range "
    "YYYY-MM-DD/YYYY-MM-DD"
)

_PATTERN = re.compile(
    r"^(?P<fy>FY)?(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)


FISCAL_YEAR_STYLES: dict[str, tuple[str, str, str]] = {
    # style: (English, Chinese, who writes it) for the fiscal year 1 April 2024 – 31 March 2025
    "FY2025": ("FY2025", "2025财年", "named by the year it ends in: US federal and most US companies"),
    "2024-25": ("2024-25", "2024-25年度", "both years: Hong Kong, the UK, Australia, India"),
    "2024至25": ("2024-25", "2024至25年度", "both years, in Chinese with 至: the Hong Kong government"),
    "2024/25": ("2024/25", "2024/25年度", "both years with a slash: the UK government"),
    "2024年度": ("FY2024", "2024年度", "named by the year it starts in: Japan (the dataset still writes FY2025)"),
}
"""How fiscal years are written, by style name (the form of the example year), with the
English and Chinese of the fiscal year that ends on 31 March 2025."""

FiscalYearStyle = Literal["FY2025", "2024-25", "2024至25", "2024/25", "2024年度"]
"""A name of :data:`FISCAL_YEAR_STYLES` (the dataset's ``report.fiscal_year_style``)."""

DEFAULT_FISCAL_STYLE: FiscalYearStyle = "FY2025"


@dataclass(frozen=True, order=True)
class FiscalYearEnd:
    """The last day of an organisation's fiscal year (``09-30``: FY2023 runs from
    1 October 2022 to 30 September 2023; a fiscal year is named by the year it ends in)
    and how its outputs write a fiscal year (``style``, one of :data:`FISCAL_YEAR_STYLES`)."""

    month: int = 12
    day: int = 31
    style: str = field(default=DEFAULT_FISCAL_STYLE, compare=False)

    @classmethod
    def parse(cls, text: str, style: str | None = None) -> "FiscalYearEnd":
        match = re.fullmatch(r"(\d{2})-(\d{2})", str(text).strip())
        if not match:
            raise ValueError(f"expected the last day of the fiscal year as MM-DD, e.g. 09-30, got {text!r}")
        month, day = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
            raise ValueError(f"{text!r} is not a day of the year (MM-DD)")
        style = style or DEFAULT_FISCAL_STYLE
        if style not in FISCAL_YEAR_STYLES:
            raise ValueError(f"unknown fiscal year style {style!r}; use one of: {', '.join(FISCAL_YEAR_STYLES)}")
        return cls(month, day, style)

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
    """A range's two ends, each a day or a month, or both fiscal years."""
    style: str = field(default=DEFAULT_FISCAL_STYLE, compare=False)
    """How a fiscal period is written (:data:`FISCAL_YEAR_STYLES`)."""
    fiscal_starts: int | None = field(default=None, compare=False)
    """The calendar year a fiscal period's fiscal year starts in."""

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
                raise ValueError(
                    "a fiscal period needs the last day of the fiscal year: set report.fiscal_year_end (e.g. 09-30)"
                )
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
                raise ValueError(
                    f"no such day: {year:04d}-{month:02d} has no day {day}"
                    if 1 <= month <= 12
                    else f"month {month} does not exist"
                )
            on = dt.date(year, month, day)
            return cls(on, on, DatePrecision.DAY)
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
            return cls(
                start,
                last,
                DatePrecision.YEAR,
                fiscal=True,
                fiscal_year=year,
                style=ends.style,
                fiscal_starts=start.year,
            )
        # Parts of a fiscal year are counted in months from its first day; a year that
        # ends mid-month has no whole quarters, and the parts then end on that day.
        size, number = (3, int(quarter)) if quarter else (6, int(half))  # type: ignore[arg-type]
        first = _add_months(start, size * (number - 1))
        end = min(_add_months(start, size * number) - dt.timedelta(days=1), last)
        precision = DatePrecision.QUARTER if quarter else DatePrecision.HALF
        return cls(
            first,
            end,
            precision,
            fiscal=True,
            number=number,
            fiscal_year=year,
            style=ends.style,
            fiscal_starts=start.year,
        )

    @classmethod
    def _parse_range(cls, text: str, fiscal_year_end: FiscalYearEnd | None) -> "Period":
        pieces = text.split("/")
        if len(pieces) != 2:
            raise ValueError("a range has one '/' between its first and last date (2020-01-26/2020-02-29)")
        ends = [cls.parse(piece, fiscal_year_end) for piece in pieces]
        fiscal_years = [end.fiscal and end.precision is DatePrecision.YEAR for end in ends]
        if not all(fiscal_years) and any(end.precision not in (DatePrecision.DAY, DatePrecision.MONTH) for end in ends):
            raise ValueError(
                "a range runs from a day to a day, a month to a month or a fiscal year to a "
                "fiscal year (2020-01-26/2020-02-29, 2020-01/2020-03, FY2025/FY2029)"
            )
        first, last = ends
        if first.precision is not last.precision or any(fiscal_years) != all(fiscal_years):
            raise ValueError("both ends of a range are days, both months or both fiscal years")
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
        return Period(
            self.start,
            self.end,
            self.precision,
            part,
            self.fiscal,
            self.number,
            self.fiscal_year,
            self.first,
            self.last,
            self.style,
            self.fiscal_starts,
        )

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


def format_period(
    period: Period, lang: str, *, with_year: bool = False, prose: bool = False, english: str = DEFAULT_ENGLISH
) -> str:
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
        name = fiscal_year_name(period.fiscal_year, lang, period.style, starts=period.fiscal_starts)
        if precision is DatePrecision.YEAR:
            return name
        if lang == "zh":
            part = (
                _ZH_FISCAL_QUARTER[period.number - 1]
                if precision is DatePrecision.QUARTER
                else _ZH_HALF[period.number - 1]
            )
            return f"{name}{part}"
        return f"{'Q' if precision is DatePrecision.QUARTER else 'H'}{period.number} {name}"
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


_FISCAL_TEMPLATES: dict[str, tuple[str, str]] = {
    "FY2025": ("FY{end}", "{end}财年"),
    "2024-25": ("{start}-{end2}", "{start}-{end2}年度"),
    "2024至25": ("{start}-{end2}", "{start}至{end2}年度"),
    "2024/25": ("{start}/{end2}", "{start}/{end2}年度"),
    "2024年度": ("FY{start}", "{start}年度"),
}
"""Each style's English and Chinese: ``start`` and ``end`` are the calendar years the
fiscal year starts and ends in, ``end2`` the last two digits of ``end``."""


def fiscal_year_name(year: int, lang: str, style: str = DEFAULT_FISCAL_STYLE, *, starts: int | None = None) -> str:
    """The fiscal year ending in ``year`` (and starting in ``starts``, by default the
    year before) as ``style`` writes it in ``lang``: ``FY2025`` / ``2025财年``, ``2024-25`` /
    ``2024-25年度``, ``2024-25`` / ``2024至25年度``, ``2024/25`` / ``2024/25年度``, ``FY2024`` /
    ``2024年度`` (:data:`FISCAL_YEAR_STYLES`). A fiscal year that is a calendar year is
    named by that year alone in the styles naming both (``2025`` / ``2025年度``)."""
    starts = year - 1 if starts is None else starts
    template = _FISCAL_TEMPLATES[style][0 if lang == "en" else 1]
    if starts == year and "{end2}" in template:
        template = template.replace("{start}", "").replace("{end2}", "{end}").lstrip("-/至")
    return template.format(start=f"{starts:04d}", end=f"{year:04d}", end2=f"{year % 100:02d}")


def fiscal_year_pattern(style: str = DEFAULT_FISCAL_STYLE) -> str:
    """A regular expression matching fiscal years (and ranges of them) as ``style``
    writes them in either language, in text: ``2024至25年度``, ``2024/25``, ``FY2025``,
    ``2024-25至2028-29年度``, so that the numbers in them count as dates, not quantities.
    Whitespace may fall between parts (a wrap, a PDF's extracted text)."""
    parts = {
        "{start}": r"\d{4}",
        "{end}": r"\d{4}",
        "{end2}": r"\d{2}",
        "-": r"\s*[-–]\s*",
        "/": r"\s*/\s*",
        "至": r"\s*至\s*",
        "年度": r"\s*年度",
        "财年": r"\s*财年",
        "FY": r"FY\s*",
    }
    names = []
    for template in _FISCAL_TEMPLATES[style]:
        names.append(
            "".join(
                parts.get(piece, re.escape(piece))
                for piece in re.split(r"(\{\w+\}|年度|财年|FY|[-/至])", template)
                if piece
            )
        )
    one = "|".join(dict.fromkeys(names))
    bare = "|".join(dict.fromkeys(re.sub(r"\\s\*(?:年度|财年)$", "", name) for name in names))
    # A form ending in 年度 or 财年 ends there, even when a number follows (a chart's
    # bilingual label read as one line: 2021至22年度2021-22).
    return rf"(?<![\d.,])(?:(?:{bare})\s*(?:至|–|-|to)\s*)?(?:{one})(?:(?<=年度)|(?<=财年)|(?!\d))"


def _format_range(period: Period, lang: str, with_year: bool, english: str) -> str:
    first, last = period.first, period.last
    assert first is not None and last is not None
    if first.fiscal:  # FY2025 – FY2029, 2025至2029财年, 2024-25至2028-29年度
        if first.style == "2024至25":  # not 2024至25至2028至29年度
            first, last = (dataclasses.replace(end, style="2024-25") for end in (first, last))
        name, last_name = format_period(first, lang), format_period(last, lang)
        suffix = next((end for end in ("年度", "财年") if name.endswith(end) and not name.startswith("FY")), "")
        return name.removesuffix(suffix) + RANGE_JOINER[lang] + last_name
    if first.year != last.year:
        with_year = True
    if first.precision is DatePrecision.DAY and (first.year, first.month) == (last.year, last.month):
        return _days_of_a_month(first.start, last.start, lang, with_year, english)
    if not with_year:
        return (
            format_period(first, lang, english=english)
            + RANGE_JOINER[lang]
            + format_period(last, lang, english=english)
        )
    same_year = first.year == last.year
    if lang == "zh":
        # 2020年1月26日至2月29日: the year once, at the start
        return (
            format_period(first, lang, with_year=True)
            + RANGE_JOINER[lang]
            + format_period(last, lang, with_year=not same_year)
        )
    # 26 January – 29 February 2020 / January 26 – February 29, 2020: the year once, at the end
    return (
        format_period(first, lang, with_year=not same_year, english=english)
        + RANGE_JOINER[lang]
        + format_period(last, lang, with_year=True, english=english)
    )


def _days_of_a_month(first: dt.date, last: dt.date, lang: str, with_year: bool, english: str) -> str:
    """Days of one month, the month once: ``1月21日至27日``, ``21–27 January``,
    ``January 21–27, 2023``."""
    from babel.dates import format_skeleton

    if lang == "zh":
        return (
            format_skeleton("yMMMMd" if with_year else "MMMMd", first, locale=babel_locale(lang))
            + f"{RANGE_JOINER[lang]}{last.day}日"
        )
    # The locale's own pattern for the first day, its day number widened to the span.
    text = format_skeleton("yMMMMd" if with_year else "MMMMd", first, locale=babel_locale(lang, english))
    return re.sub(rf"(?<!\d){first.day}(?!\d)", f"{first.day}–{last.day}", text, count=1)


def month_cell_names(
    month: dt.date, langs: tuple[str, ...], *, years: bool, first: bool, english: str = DEFAULT_ENGLISH
) -> tuple[str, str, str]:
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
