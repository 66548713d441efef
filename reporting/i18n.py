"""Editions, number and date formatting per language.

Numbers are formatted here once, in code, so the brief, the deck and the HTML
preview cannot disagree. Chinese uses 万/亿 (``768万``), English press style uses
grouped digits under a million and words above (``150,000``, ``7.68 million``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

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
