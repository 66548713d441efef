"""Numbers in text: where they are, what they are worth, and which are not quantities.

Read by the loader (a number typed into narrative that no fact has is warned about at
load time) and by ``make-report verify`` (every number in a built output must be a
figure of the dataset). Numbers are read as values (万 = 10⁴, 亿 = 10⁸, million,
billion; ``%`` stays as written); dates, years, references, names (:data:`NAME_RULE`) and web
addresses are excepted by rule (:data:`RULES`, :func:`name_spans`), and the dataset's own wording by
:func:`wording_pattern`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from ..lang.cjk import CJK_CLASS

_TRANSLATE = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\u00ad": "",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\uff05": "%",
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "\u2060": "",
        "\u2212": "-",
        # Traditional Chinese read as Simplified where the rules and scales name a character:
        # 萬 and 億 are scales, 頁, 節, 條, 項 and 註 references, 財年 and 後 dates.
        **dict(zip("萬億頁節條項註財後號", "万亿页节条项注财后号")),
    }
)


def squeezed(text: str) -> str:
    """Text for finding figures: no whitespace, case folded, ligatures and full-width
    digits spelled out."""
    return re.sub(r"\s+", "", text.translate(_TRANSLATE)).casefold()


_CJK = CJK_CLASS
_L = r"(?<![A-Za-z0-9])"  # a word starts here (\b does not separate 段 from paragraph)
_R = r"(?![A-Za-z0-9])"  # a word ends here
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_SCALE_AFTER = r"(?:[万亿%]|\s*(?:%|thousand|million|billion|trillion)" + _R + ")"

RULES: dict[str, str] = {
    # name: text whose digits are not quantities (matched once line breaks are joined).
    "url": r"(?:https?://|www\.)\S+",
    "date": (
        r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"  # 2020年1月31日, 1月, 8月
        r"|\d{4}\s*年(?![代])"  # 2020年
        r"|\d{4}\s*财年"  # 2023财年
        r"|至\s*\d{1,2}\s*[日号]"  # 1月21日至27日
        rf"|{_L}\d{{1,2}}\s*[–-]\s*\d{{1,2}}\s+{_MONTHS}{_R}"  # 21–27 January
        rf"|{_L}{_MONTHS}\s+\d{{1,2}}\s*[–-]\s*\d{{1,2}}{_R}"  # January 21–27
        rf"|{_L}\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}{_R}(?:\s+\d{{4}}{_R})?"  # 31 January 2020
        rf"|{_L}{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?{_R}(?:,?\s+\d{{4}}{_R})?"  # January 31, 2020
        rf"|{_L}{_MONTHS}\s+\d{{4}}{_R}"  # December 2020
        rf"|{_L}\d{{4}}-\d{{2}}(?:-\d{{2}})?{_R}"  # 2020-12-31
        rf"|{_L}\d{{1,2}}:\d{{2}}{_R}"  # 10:30
    ),
    "year": rf"(?<![\d.,])(?:1[89]|20)\d\d(?![\d.,]\d)(?![{_CJK}])(?!{_SCALE_AFTER})",  # 1990, 2020
    "cohort": rf"(?<![\d.,])\d0\s*后|(?<![\d.,])(?:19|20)?\d0s{_R}",  # 90后, 1990s
    "paragraph": (
        r"第\s*\d+(?:\.\d+)*\s*[段页章节条项]"  # 第4段, 第7项, 第2.1节
        r"|附注\s*\d+"  # 附注3
        rf"|{_L}(?i:paragraphs?|paras?\.?|pages?|pp?\.|slides?|items?|notes?|sections?)"
        rf"\s*\d+[A-Z]?(?:\.\d+)*(?:\s*[-–]\s*\d+)?"  # p. 21, Item 7A, Note 3
        rf"(?![\d,]*\d)(?!{_SCALE_AFTER})"
    ),  # not 'home page 200 million views', 'items 295,900
    "page": (
        r"(?<![\d.,])\d+\s+/\s+\d+(?![\d.,])"  # 3 / 17
        r"|[.·…]{3,}\s*\d+(?![\d.,])"
    ),  # a contents entry's page: ..... 5
    "ordinal": (
        r"(?<![\d.,])0\d+(?![\d.,])|(?m:^[ \t]*\d{1,2}[.)](?=\s|$))"  # 01, a "1." list marker
        r"|第\s*\d+(?![\d.,])"
    ),  # 第14届, 第3季度
}
"""Numbers excepted from the number check, by rule, not by list. Matched on the text
once line breaks are joined; a number that starts inside a match is not a quantity."""


RULE_EXAMPLES: dict[str, str] = {
    "date": "a number next to a month or day marker, or naming a fiscal year: `1月31日`, `2020年8月`, "
    "`31 January 2020`, `January 31`, `21–27 January`, `2023财年`, `2020-12-31`, `10:30`",
    "year": "a four-digit 18xx–20xx not followed by a Chinese character, scale word or `%`: `in 2020` "
    "(but `2000件` is a quantity)",
    "cohort": "a decade generation: `90后`, `the 90s`",
    "paragraph": "a reference into a source or the document: `第4段`, `paragraph 4`, `p. 21`, `Item 7A`, "
    "`Note 3`, `第7项`, `附注3`, `slide 5`",
    "page": "a page counter: `3 / 17`, a contents entry's page after its leader: `Sources ....... 12`",
    "ordinal": "an ordinal or section number: `01`, a `1.` list marker, `14th`, `第14届`",
    "name": "a number joined to letters (below): `Form 10-K`, `COVID-19`, `5G`, `G20`, `A4`",
    "url": "a web address: `https://…/2020/…`",
    "wording": "the dataset's labels and names, and `{=…}` marks, matched whole: `Top 100 brands`, `{=Fortune 500}`",
}
"""Each rule and what it excepts, as the dataset reference lists them."""


# -- names: a number joined to letters ---------------------------------------------------

NAME_RULE = (
    "A number joined to Latin letters, directly or by a hyphen, is part of a name, not a figure: "
    "`10-K`, `20-F`, `8-K`, `COVID-19`, `5G`, `G20`, `A4`, `Item 7A`, `B2B`, `FY2023`, `under-18`; "
    "so are all the numbers of a word so joined (`FY2024-25`). An ordinal is no figure either: "
    "a number followed by st, nd, rd or th (`14th`), or after 第 (`第14届`). The number is still "
    "a quantity when the letters it touches are a scale (`5bn`, `650-billion`, `3k`, `10m`), a "
    "multiplier or points (`10x`, `50bp`, `2pp`), a currency code (`USD650`, `650HKD`) or a "
    "word of one of the dataset's units (`RMB650` with a unit whose `en_prefix` is `RMB `), and "
    "when it has a decimal point or a thousands separator (`3.5G`). A number set apart by a "
    "space is a quantity (`Windows 11`, `Microsoft 365`, `Top 100`): write such words as "
    "`{=Windows 11}`."
)
"""The rule :func:`name_spans` applies, as the dataset reference states it."""

# Letters that make a number joined to them a quantity: written straight after it (5bn,
# 10x, 50bp) ...
_QUANTITY_SUFFIXES = frozenset(
    {
        "k",
        "m",
        "mm",
        "mn",
        "b",
        "bn",
        "t",
        "tn",
        "tr",
        "x",
        "bp",
        "bps",
        "pp",
        "ppt",
        "ppts",
        "pt",
        "pts",
        "thousand",
        "million",
        "billion",
        "trillion",
    }
)
# ... or after a hyphen (650-billion; but 10-K is a form's name).
_QUANTITY_AFTER_HYPHEN = frozenset({"thousand", "million", "billion", "trillion"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_HYPHENS = "-\u2010\u2011"
# A word of Latin letters and digits, its parts joined by hyphens; a number's decimal part
# and thousands groups stay inside it.
_JOINED = re.compile(
    rf"(?<![A-Za-z0-9{_HYPHENS}])(?<!\d[.,])"
    rf"[A-Za-z0-9]+(?:[.,]\d+)*(?:[{_HYPHENS}][A-Za-z0-9]+(?:[.,]\d+)*)*"
)
_PIECE = re.compile(rf"(?P<sep>[{_HYPHENS}]?)(?:(?P<letters>[A-Za-z]+)|(?P<number>\d+(?:[.,]\d+)*))")


@functools.cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 currency codes (Babel's CLDR data), case folded."""
    from babel.numbers import list_currencies

    return frozenset(code.casefold() for code in list_currencies())


def unit_letter_words(words: Iterable[str]) -> frozenset[str]:
    """The runs of Latin letters in a dataset's unit words (``RMB `` gives ``rmb``), case
    folded: a number joined to one of them is a quantity, not a name."""
    return frozenset(run.casefold() for word in words for run in re.findall(r"[A-Za-z]+", word))


def _names_number(letters: str | None, hyphen: bool, after: bool, units: frozenset[str]) -> bool:
    """Whether ``letters`` joined to a number (``hyphen``: across a hyphen; ``after``:
    following it) make it part of a name."""
    if letters is None:
        return False
    folded = letters.casefold()
    if folded in currency_codes() or folded in units:
        return False
    return not (after and folded in (_QUANTITY_AFTER_HYPHEN if hyphen else _QUANTITY_SUFFIXES))


def name_spans(text: str, units: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """``(start, end, rule)`` of every name holding a number in ``text`` (rule ``name``)
    and every ordinal written with Latin letters (rule ``ordinal``), by :data:`NAME_RULE`.

    ``units``: the dataset's unit words (:func:`unit_letter_words`); a number joined to
    one of them is a quantity. Reads nothing but its arguments and Babel's currency codes."""
    units = frozenset(word.casefold() for word in units)
    spans: list[tuple[int, int, str]] = []
    for word in _JOINED.finditer(text):
        pieces = list(_PIECE.finditer(word.group(0)))
        if not any(p.group("number") for p in pieces) or not any(p.group("letters") for p in pieces):
            continue
        rule = None
        for i, piece in enumerate(pieces):
            number = piece.group("number")
            if number is None or not number.isdigit():
                continue  # letters, or a number with a decimal point or thousands separator
            before = pieces[i - 1].group("letters") if i > 0 else None
            following = pieces[i + 1] if i + 1 < len(pieces) else None
            after = following.group("letters") if following is not None else None
            hyphen_after = following is not None and bool(following.group("sep"))
            if after is not None and not hyphen_after and after.casefold() in _ORDINAL_SUFFIXES:
                rule = rule or "ordinal"
            elif _names_number(before, bool(piece.group("sep")), False, units) or _names_number(
                after, hyphen_after, True, units
            ):
                rule = "name"
        if rule is not None:
            spans.append((word.start(), word.end(), rule))
    return spans


# Each rule wrapped in a lookahead finds overlapping matches: in "paragraph 1 January 17,
# 2024", "1 January" must not hide "January 17".
_RULES = {name: re.compile(rf"(?=(?P<match>{pattern}))") for name, pattern in RULES.items()}

_SCALES = {
    "万": 10**4,
    "亿": 10**8,
    "万亿": 10**12,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_NUMBER = re.compile(
    r"(?<![\d.,])(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<frac>\d+))?"
    # No word end after the scale: PDF text extraction may run a tile's value into its label.
    r"(?:(?P<zh>\s*(?:万亿|万|亿))|\s*(?P<en>thousand|million|billion|trillion))?"
)


def _is_chinese(line: str) -> bool:
    return len(re.findall(rf"[{_CJK}]", line)) >= len(re.findall(r"[A-Za-z]", line))


ITEM_BREAK = "\x1f"
"""Put between two pieces of extracted text that are apart in the output, not one text
wrapped (an HTML block's and the next, a deck paragraph's, a native chart label's):
:func:`joined_lines` never runs one into the other. A series name ``讨论量`` then a
category ``2019`` is not the year run into a Chinese line."""


def joined_lines(text: str) -> str:
    """Text with line breaks joined, the way it reads: a Chinese line runs on into the
    next without a space (Chinese wraps anywhere, even between a number and its unit),
    other lines with a space. Lines that are only a list marker (``1.``) stay apart, and
    so do pieces set apart by :data:`ITEM_BREAK`."""
    if ITEM_BREAK in text:
        return "\n".join(filter(None, (joined_lines(piece) for piece in text.split(ITEM_BREAK))))
    lines = [line.strip() for line in text.translate(_TRANSLATE).splitlines()]
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if not out or re.fullmatch(r"\d{1,2}[.)]", line) or re.fullmatch(r"\d{1,2}[.)]", out[-1]):
            out.append(line)
            continue
        previous = out[-1]
        after_chinese = re.search(rf"[{_CJK}]$", previous) and re.match(rf"[{_CJK}\d]", line)
        # A number and its unit split by a wrap (768 / 万次); never two runs of digits.
        unit_wrapped = (
            re.search(r"\d%?$", previous)
            and re.search(rf"[{_CJK}]", previous)
            and _is_chinese(previous)
            and re.match(rf"[{_CJK}]", line)
        )
        if after_chinese or unit_wrapped:
            out[-1] = previous + line
        else:
            out[-1] = previous + " " + line
    return "\n".join(out)


def number_value(match: re.Match) -> Decimal:
    value = Decimal(match.group("int").replace(",", "") + ("." + match.group("frac") if match.group("frac") else ""))
    scale = (match.group("zh") or "").strip() or match.group("en")
    if scale:
        value *= _SCALES[scale]
    return value.normalize()


@dataclass(frozen=True)
class NumberToken:
    text: str
    value: Decimal
    context: str
    rule: str | None
    """The rule that excepts it, or ``None`` for a quantity."""
    form: str = ""
    """The whole form the number is written in (``2024至25``, ``2023/24``, ``3-5``): the
    number with the numbers joined to it by a range or fraction sign, as typed."""
    form_at: int = 0
    """Where :attr:`form` starts in the text (line breaks joined): numbers of one form share it."""


_CJK_PUNCT = "（）()：:；;、，。—–-"


def wording_pattern(wording: Iterable[str]) -> "re.Pattern[str] | None":
    """One pattern finding any of ``wording`` in extracted text: case folded, and any
    whitespace (or none) between characters, since a wrap may fall anywhere."""
    alternatives = []
    for text in wording:
        text = re.sub(r"\s+", "", text.translate(_TRANSLATE))
        if not text:
            continue
        pattern = r"\s*".join(re.escape(c) for c in text)
        # Whole words only where the wording starts or ends in one: Top 100 is not in Top 1000.
        if re.match(r"[A-Za-z0-9]", text):
            pattern = r"(?<![A-Za-z0-9])" + pattern
        if re.search(r"[A-Za-z0-9]$", text):
            pattern += r"(?![A-Za-z0-9])"
        alternatives.append(pattern)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


_YEAR_RANGE = re.compile(
    r"(?<![\d.,])((?:1[89]|20)\d\d)\s*[-–—~～]\s*((?:1[89]|20)\d\d)(?![\d.,]?\d)"
    r"(?!\s*[万亿萬億%])"
)


def year_range_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of two whole years joined by a dash as a period (``2023—2024学年``,
    ``2021-2025年``), the later within ten of the first: years even where a Chinese word
    follows, which the ``year`` rule leaves to quantities (``2000件``). A range of
    quantities (``2000-3000件``) is no period; short forms (``2024至25``, ``2023/24``)
    are fiscal years, read by the dataset's own style (:func:`dataset_dates`), so
    another style's forms still need marking."""
    spans = []
    for match in _YEAR_RANGE.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if 0 < last - first <= 10:
            spans.append((match.start(), match.end(), "year"))
    return spans


def number_tokens(
    text: str,
    wording: "re.Pattern[str] | None" = None,
    dates: "re.Pattern[str] | None" = None,
    units: Iterable[str] = (),
) -> list[NumberToken]:
    """Every number in ``text`` (line breaks joined), with the rule excepting it, if any;
    ``wording`` (from :func:`wording_pattern`) excepts numbers inside the dataset's words,
    ``dates`` (from :func:`dataset_dates`) the dataset's own date forms (its fiscal years);
    ``units`` (from :func:`unit_letter_words`) are the dataset's unit words, which keep a
    number joined to them a quantity (:func:`name_spans`)."""
    joined = joined_lines(text)
    if not any(char.isdigit() for char in joined):
        return []
    excepted = [
        (m.start("match"), m.end("match"), name)
        for name, rule in _RULES.items()
        for m in rule.finditer(joined)
        if m.end("match") > m.start("match")
    ]
    excepted += name_spans(joined, units)
    excepted += year_range_spans(joined)
    if wording is not None:
        excepted += [(m.start(), m.end(), "wording") for m in wording.finditer(joined)]
    if dates is not None:
        excepted += [(m.start(), m.end(), "date") for m in dates.finditer(joined)]
    tokens = []
    for match in _NUMBER.finditer(joined):
        start, end = match.start(), match.end()
        rule = next((name for a, b, name in excepted if a <= match.start("int") < b), None)
        context = joined[max(0, start - 18) : end + 18].replace("\n", " ")
        form_at, form = whole_form(joined, match.start(), match.end())
        tokens.append(NumberToken(match.group(0), number_value(match), context, rule, form, form_at))
    return tokens


_FORM_JOINER = r"\s*(?:至|到|/|–|—|-|~|～)\s*"
_FORM_NUMBER = r"\d+(?:[.,]\d+)*"


def whole_form(text: str, start: int, end: int) -> tuple[int, str]:
    """The form around the number at ``text[start:end]``: it and the numbers joined to it
    by a range or fraction sign (``至``, ``/``, a dash), as written: ``2024至25`` for the
    ``25`` in ``2024至25年度``, with where it starts. A suggestion to mark words as
    ``{=…}`` wraps all of it."""
    before = re.search(rf"(?:{_FORM_NUMBER}{_FORM_JOINER})+$", text[:start])
    after = re.match(rf"(?:{_FORM_JOINER}{_FORM_NUMBER})+", text[end:])
    first = start - len(before.group(0)) if before else start
    return first, text[first : end + (after.end() if after else 0)]


def dataset_dates(fiscal_year_style: str) -> "re.Pattern[str]":
    """The date forms a dataset writes besides the common ones (:data:`RULES`): its
    fiscal years as its style writes them (``2024至25年度``, ``2023/24``, ``FY2025``), in
    either language, case folded (extracted text may be)."""
    from ..lang.periods import fiscal_year_pattern

    return re.compile(fiscal_year_pattern(fiscal_year_style), re.IGNORECASE)
