"""Numbers as statistical and financial publications print them, per language.

Every figure is formatted here, once, from its exact decimal value (the value as
typed, never a binary float): rounded half away from zero (the convention of
financial publications: 383.285 billion is ``383.29 billion``), scaled to the
language's words (``126.06万亿`` / ``126.06 trillion``), signed with a true minus
(U+2212) before any currency prefix (``−$11.04 billion`` / ``−110.43亿美元``).

Precision is counted in fraction digits *at the display scale*. Unless the dataset
fixes it, every language shows the same detail: the finest rounding any language
would use is used by all (``9.3267亿`` next to ``932.67 million``), so no edition
shows fewer significant digits than another. Money is the exception, as financial
publications print it: at most two decimals at the display scale in each language
(``$383.29 billion`` next to ``3832.85亿美元``).
Chinese writes numbers below 10万 in full (``39218``) unless 万 states them exactly
(``4.5万``), English below a million with grouped digits (``39,218``).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_decimal

from .editions import BABEL_LOCALE, LANGS

MINUS = "\u2212"
"""The minus sign of a negative figure (not the hyphen-minus ``-``)."""
PLUS = "+"
NO_BREAK_SPACE = "\u00a0"
WORD_JOINER = "\u2060"
"""Invisible; no line break on either side (Unicode line breaking class WJ)."""

SCALE_WORDS: dict[str, tuple[tuple[int, str], ...]] = {
    # (power of ten, word), largest first; a number below the last is written in full.
    "zh": ((12, "万亿"), (8, "亿"), (4, "万")),
    "en": ((12, "trillion"), (9, "billion"), (6, "million")),
}
FULL_BELOW = {"zh": 5, "en": 6}
"""Numbers below 10^n are written in full: 10万 in Chinese, a million in English."""

TYPED_SCALES = {"万": 4, "亿": 8, "万亿": 12, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
"""Scales a unit may declare for the values typed in it (``scale: 亿``: 1260582 is 1260582亿)."""

AUTO_DIGITS = 2
"""Fraction digits at the display scale when the dataset sets none (before equalising)."""
MOST_DIGITS = 4
"""No language shows more fraction digits than this at a scale; it writes a smaller scale instead."""


class Qualifier(str, enum.Enum):
    """How exact a figure is, as the source states it."""

    EXACT = "exact"
    OVER = "over"
    NEARLY = "nearly"
    ABOUT = "about"
    UNDER = "under"
    UP_TO = "up_to"
    """A ceiling, not a figure below it: ``up to HK$3,000`` / ``最多3,000港元``."""
    AT_LEAST = "at_least"
    """A floor the figure may equal: ``at least 20%`` / ``至少20%``."""


QUALIFIER_WORDS = {
    "zh": {
        "exact": "",
        "over": "超过",
        "nearly": "近",
        "about": "约",
        "under": "不到",
        "up_to": "最多",
        "at_least": "至少",
    },
    "en": {
        "exact": "",
        "over": "over ",
        "nearly": "nearly ",
        "about": "about ",
        "under": "under ",
        "up_to": "up to ",
        "at_least": "at least ",
    },
}

RANGE_JOINER_FIGURES = {"zh": "至", "en": "–"}
"""Between the ends of a range figure: ``2.5%至3.5%``, ``2.5%–3.5%``."""

_LOOSENESS = {
    Qualifier.EXACT: 0,
    Qualifier.OVER: 1,
    Qualifier.UNDER: 1,
    Qualifier.NEARLY: 1,
    Qualifier.ABOUT: 2,
    Qualifier.UP_TO: 1,
    Qualifier.AT_LEAST: 1,
}


def loosest(qualifiers) -> Qualifier:
    """The loosest of some qualifiers: ``exact`` only when all are; one kind of bound
    when all inexact ones agree (``over`` and ``over``); ``about`` otherwise.

    >>> loosest(["exact", "about"]).value, loosest(["over", "exact"]).value, loosest(["over", "under"]).value
    ('about', 'over', 'about')
    """
    inexact = {Qualifier(q) for q in qualifiers} - {Qualifier.EXACT}
    if not inexact:
        return Qualifier.EXACT
    if len(inexact) == 1:
        return inexact.pop()
    return Qualifier.ABOUT


CHANGE_WORDS: dict[str, dict[str | None, tuple[str, str, str]]] = {
    # kind -> (rise, fall, no change); the size of the change follows the word.
    "en": {None: ("up ", "down ", "unchanged")},
    "zh": {
        "percent": ("增长", "下降", "持平"),
        "percentage_points": ("提高", "下降", "持平"),
        None: ("增加", "减少", "持平"),
    },
}


def exact(value: float | int | Decimal | str) -> Decimal:
    """The decimal a value was typed as: ``0.1`` is 0.1, not the binary float's
    0.1000000000000000055…; a float's shortest repr is what YAML read."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a figure is a number, not a truth value")
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(repr(float(value)) if not isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


def typed_text(value: float | int | Decimal) -> str:
    """A value as a message shows it: as typed, never in exponent form (``-89498000000``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    number = exact(value)
    text = format(number, "f")
    if "." in text and isinstance(value, (float, Decimal)):  # 1.50 and 2.0 come from YAML as 1.5 and 2
        text = text.rstrip("0").rstrip(".") or "0"
    return text


def round_half_away(value: Decimal, exponent: int) -> Decimal:
    """``value`` rounded to a multiple of 10**exponent, halves away from zero."""
    return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class NumberStyle:
    """How one language writes one figure's number.

    ``digits`` is the most fraction digits at the display scale; with ``fixed`` it is
    exactly that many (trailing zeros kept: ``3.0%``). ``quantum`` (a power of ten)
    overrides ``digits``: the number is rounded to 10**quantum whatever its scale, so
    that every language shows the same detail. ``plus`` prints a rise with ``+``.
    """

    digits: int = AUTO_DIGITS
    fixed: bool = False
    quantum: int | None = None
    plus: bool = False


def _scale(magnitude: Decimal, lang: str, quantum: int | None, digits: int = AUTO_DIGITS) -> tuple[int, str]:
    """The display scale (power of ten, word) of a non-negative number: the largest the
    number reaches that needs at most :data:`MOST_DIGITS` fraction digits for ``quantum``.

    Below 10万 Chinese writes the number in full (``39218``), except a number that is a
    whole number of hundreds, which the 万 form states exactly (``4.5万``, ``9.23万``,
    ``9万``) in at most ``digits`` fraction digits.
    """
    if magnitude < Decimal(10) ** FULL_BELOW[lang]:
        if lang == "zh" and magnitude >= 10_000 and last_digit(magnitude) >= 4 - digits:
            return 4, "万"
        return 0, ""
    for power, word in SCALE_WORDS[lang]:
        if magnitude >= Decimal(10) ** power and (quantum is None or power - quantum <= MOST_DIGITS):
            return power, word
    return 0, ""


def _digits(number: Decimal, lang: str, fraction: int) -> str:
    """``number`` (non-negative, already rounded) with exactly ``fraction`` digits after
    the point, in the language's digit grouping (Chinese press style: none)."""
    pattern = "#,##0" + ("." + "0" * fraction if fraction > 0 else "")
    if lang == "zh":
        return format_decimal(number, format=pattern, locale=BABEL_LOCALE[lang], group_separator=False)
    return format_decimal(number, format=pattern, locale=BABEL_LOCALE[lang])


@dataclass(frozen=True)
class Rounded:
    """A number as one language prints it, in parts."""

    negative: bool
    zero: bool
    digits: str
    """The magnitude's digits (``11.04``), grouped as the language groups them."""
    scale: str
    """The scale word (``亿``, ``billion``) or ``""``."""
    value: Decimal
    """The value printed (rounded, signed), for checks."""


def rounded(value: float | int | Decimal, lang: str, style: NumberStyle = NumberStyle()) -> Rounded:
    """``value`` rounded and scaled as ``lang`` prints it under ``style``."""
    number = exact(value)
    magnitude = abs(number)

    def detail(of: Decimal) -> int | None:
        # Rounding to a detail the number does not have changes nothing; counting only
        # the detail it has lets 99999999 rounded to 10² become 1亿, not 10000万.
        return None if style.quantum is None else max(style.quantum, last_digit(of))

    for _ in range(3):  # rounding may carry into the next scale (9999.999万 → 1亿)
        power, word = _scale(magnitude, lang, detail(magnitude), style.digits)
        quantum = detail(magnitude)
        exponent = quantum if quantum is not None and not style.fixed else power - style.digits
        exponent = max(exponent, power - MOST_DIGITS)
        shown = round_half_away(magnitude, exponent)
        if _scale(shown, lang, detail(shown), style.digits)[0] == power:
            break
        magnitude = shown
    fraction = max(0, power - exponent)
    mantissa = shown.scaleb(-power)
    if not style.fixed:
        # Trailing zeros go (7.68 million, not 7.680000); fixed decimals keep them (3.0%).
        fraction = _significant_fraction(mantissa, fraction)
    else:
        fraction = style.digits
        mantissa = round_half_away(mantissa, -fraction)
    text = _digits(mantissa, lang, fraction)
    zero = shown == 0
    return Rounded(
        negative=number < 0 and not zero, zero=zero, digits=text, scale=word, value=(-shown if number < 0 else shown)
    )


def _significant_fraction(mantissa: Decimal, most: int) -> int:
    text = format(round_half_away(mantissa, -most), "f")
    if "." not in text:
        return 0
    return len(text.split(".")[1].rstrip("0"))


def _sign(parts: Rounded, style: NumberStyle) -> str:
    if parts.negative:
        return MINUS
    return PLUS if style.plus and not parts.zero else ""


def format_number(
    value: float | int | Decimal, lang: str, style: NumberStyle = NumberStyle(), *, signed: bool = True
) -> str:
    """A bare number in a language's press style, without qualifier or unit.

    >>> format_number(7_680_000, "zh"), format_number(7_680_000, "en")
    ('768万', '7.68 million')
    >>> format_number(39_218, "zh"), format_number(39_218, "en")
    ('39218', '39,218')
    >>> format_number(-3, "en", NumberStyle(digits=1, fixed=True))
    '−3.0'
    """
    parts = rounded(value, lang, style)
    sign = _sign(parts, style) if signed else ""
    return sign + _with_scale(parts, lang)


def axis_number(value: float, lang: str, fraction: int) -> str:
    """A number on a chart's value axis: ``value`` (already in the axis' display scale)
    with exactly ``fraction`` digits, in the language's digit grouping, a true minus
    below zero and no scale word (the axis title says the scale once).

    >>> axis_number(1500, "en", 0), axis_number(1500, "zh", 0), axis_number(-2.5, "en", 1)
    ('1,500', '1500', '−2.5')
    """
    number = round_half_away(exact(value), -fraction)
    text = _digits(abs(number), lang, fraction)
    return (MINUS if number < 0 else "") + text


def _with_scale(parts: Rounded, lang: str) -> str:
    if not parts.scale:
        return parts.digits
    return f"{parts.digits}{parts.scale}" if lang == "zh" else f"{parts.digits} {parts.scale}"


@dataclass(frozen=True)
class UnitWords:
    """How a unit is written after (or before) a number in one language."""

    suffix: str = ""
    prefix: str = ""
    attach: bool = False
    """True when the suffix follows the number with no space (``%``); Chinese always attaches."""
    singular: str | None = None


ABOUT_DIGITS = 2
"""Significant digits of an ``about`` figure the toolkit worked out (a derived one): a
person writes ``about 2.5 million`` and ``约250万``, not ``about 2.49 million`` or
``约248.73万``. A figure typed in the dataset keeps the detail it was typed with."""


def about_style(value: float | int | Decimal, lang: str, style: NumberStyle) -> NumberStyle:
    """``style`` for an approximate figure: rounded to :data:`ABOUT_DIGITS` significant
    digits in every language alike (a quantum), never to more detail than ``style`` gives;
    a style with fixed decimals (``3.0%``) is kept.

    >>> style = about_style(2_487_300, "en", NumberStyle())
    >>> format_figure(2_487_300, "about", UnitWords(), "en", style=style)
    'about 2.5\xa0million'
    >>> format_figure(2_487_300, "about", UnitWords(), "zh", style=about_style(2_487_300, "zh", NumberStyle()))
    '约250\u2060万'
    """
    magnitude = abs(exact(value))
    if style.fixed or magnitude == 0:
        return style
    coarse = magnitude.adjusted() - (ABOUT_DIGITS - 1)
    given = style.quantum
    if given is None:
        given = _scale(magnitude, lang, None, style.digits)[0] - style.digits
    return NumberStyle(digits=style.digits, fixed=False, quantum=max(coarse, given), plus=style.plus)


def format_figure(
    value: float | int | Decimal,
    qualifier: Qualifier | str,
    unit: UnitWords,
    lang: str,
    *,
    with_unit: bool = True,
    style: NumberStyle = NumberStyle(),
    signed: bool = True,
) -> str:
    """A number with its qualifier and, optionally, its unit; the sign before a currency
    prefix. ``signed=False`` prints the size alone (``down $11.04 billion``).

    >>> format_figure(100_000_000, "over", UnitWords(), "zh")
    '超过1\u2060亿'
    >>> format_figure(-11_043_000_000, "exact", UnitWords(prefix="$"), "en")
    '−$11.04\xa0billion'
    """
    qualifier = Qualifier(qualifier)
    parts = rounded(value, lang, style)
    number = _with_scale(parts, lang)
    if with_unit:
        suffix = unit.singular if (unit.singular and parts.value == 1 and not parts.scale) else unit.suffix
        if suffix:
            joiner = "" if (lang == "zh" or unit.attach) else " "
            number = f"{number}{joiner}{suffix}"
        number = f"{unit.prefix}{number}"
    sign = _sign(parts, style) if signed else ""
    return QUALIFIER_WORDS[lang][qualifier.value] + keep_together(sign + number, lang)


def keep_together(text: str, lang: str) -> str:
    """``text`` (a number with its scale word and unit) that no renderer breaks across
    lines: English spaces become no-break spaces (``7.68 million users``); in Chinese,
    which may break between any two characters, a word joiner (U+2060, invisible) goes
    between characters where a break could fall (``23.77万亿元``).

    >>> keep_together("23.77万亿元", "zh") == "23.77\u2060万\u2060亿\u2060元"
    True
    """
    if lang != "zh":
        return text.replace(" ", NO_BREAK_SPACE)
    out: list[str] = []
    for char in text:
        if out and (_breaks_around(char) or _breaks_around(out[-1])):
            out.append(WORD_JOINER)
        out.append(char)
    return "".join(out).replace(" ", NO_BREAK_SPACE)


def plain(text: str) -> str:
    """``text`` without what :func:`keep_together` added (word joiners gone, no-break
    spaces as spaces): for comparing with text as typed."""
    return text.replace(WORD_JOINER, "").replace(NO_BREAK_SPACE, " ")


def _breaks_around(char: str) -> bool:
    """True for characters a line may break before or after (ideographs, kana, full-width forms)."""
    import unicodedata

    return unicodedata.east_asian_width(char) in ("W", "F")


def format_change(
    value: float | int | Decimal,
    qualifier: Qualifier | str,
    unit: UnitWords,
    lang: str,
    *,
    kind: str | None = None,
    style: NumberStyle = NumberStyle(),
) -> str:
    """A change with its direction in words: ``down 3.0%`` / ``下降3.0%``, ``up 0.3
    percentage points`` / ``提高0.3个百分点``; ``unchanged`` / ``持平`` when it rounds to zero.

    >>> format_change(-3, "exact", UnitWords(suffix="%", attach=True), "en", style=NumberStyle(1, fixed=True))
    'down 3.0%'
    """
    words = CHANGE_WORDS[lang]
    rise, fall, flat = words.get(kind, words[None])
    parts = rounded(value, lang, style)
    if parts.zero:
        return flat
    size = format_figure(
        value, qualifier, unit, lang, style=NumberStyle(style.digits, style.fixed, style.quantum), signed=False
    )
    return (fall if parts.negative else rise) + size


def equal_detail(
    value: float | int | Decimal,
    digits: dict[str, int | None],
    decimals: dict[str, int | None],
    plus: bool = False,
    kind: str = "count",
) -> dict[str, NumberStyle]:
    """Each language's style for one figure.

    A language with fixed ``decimals`` or an explicit ``digits`` (most fraction digits)
    keeps them: the dataset asked for it. The others show the finest detail any
    language shows (rounded to the smallest power of ten any would round to), so no
    edition has fewer significant digits than another, except money (``kind``
    ``"currency"``): financial publications round an amount to at most two decimals
    of the scale it is shown in, whatever another language shows (``$383.29 billion``
    beside ``3832.85亿美元``, ``−$11.04 billion`` beside ``−110.43亿美元``).
    """
    magnitude = abs(exact(value))
    quanta = {}
    for lang in LANGS:
        power = _scale(magnitude, lang, None)[0]
        if decimals.get(lang) is not None:
            quanta[lang] = power - decimals[lang]  # type: ignore[operator]
        else:
            quanta[lang] = power - (digits.get(lang) if digits.get(lang) is not None else AUTO_DIGITS)  # type: ignore[operator]
    # No finer than the value's own last digit: 150000 is 15万, not 150000 for the sake
    # of a detail it does not have.
    finest = max(min(quanta.values()), last_digit(magnitude))
    styles = {}
    for lang in LANGS:
        if decimals.get(lang) is not None:
            styles[lang] = NumberStyle(decimals[lang], fixed=True, plus=plus)  # type: ignore[arg-type]
        elif digits.get(lang) is not None:
            styles[lang] = NumberStyle(digits[lang], plus=plus)  # type: ignore[arg-type]
        elif kind == "currency":
            styles[lang] = NumberStyle(AUTO_DIGITS, plus=plus)
        else:
            styles[lang] = NumberStyle(AUTO_DIGITS, quantum=finest, plus=plus)
    return styles


def last_digit(magnitude: Decimal) -> int:
    """The power of ten of a number's last non-zero digit (0 for zero)."""
    if magnitude == 0:
        return 0
    return int(magnitude.normalize().as_tuple().exponent)


def share_text(part: float, total: float, lang: str) -> str:
    """A part of a whole as a percentage with one decimal, rounded as every figure is
    (``54.6%``); ``<0.1%`` rather than ``0.0%`` for a sliver. For doughnut labels in
    the brief and the deck alike."""
    if not total:
        return "0%"
    percent = exact(part) * 100 / exact(total)
    if 0 < percent < Decimal("0.05"):
        return "<0.1%"
    return format_number(percent, lang, NumberStyle(1, fixed=True)) + "%"
