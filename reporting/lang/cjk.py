"""Chinese (CJK) text: which characters are CJK, and where a line may break.

One home for the rules the deck's text fitting (:mod:`reporting.render.deck.textfit`), the
charts' label wrapping (:mod:`reporting.charts.wrap`) and the number rules of
:mod:`reporting.dataset.textnumbers` share.
"""

from __future__ import annotations

CJK_RANGES = (
    (0x2E80, 0x9FFF),  # radicals, CJK symbols and punctuation, kana, unified ideographs
    (0xAC00, 0xD7AF),  # Hangul
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # extension B and later
)

CJK_CLASS = "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in CJK_RANGES)
"""The ranges as the inside of a regular expression's character class (``[{CJK_CLASS}]``)."""

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·,.;:?!)]}%")
"""Closing punctuation: a line never starts with one (it stays with the character before)."""

NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
"""Opening punctuation: a line never ends with one (it goes with the character after)."""


def is_cjk(char: str) -> bool:
    """True for a CJK character: drawn with the East Asian typeface (``a:ea``), and a line
    may break before or after it."""
    code = ord(char)
    # Written out rather than looped over CJK_RANGES: the deck measures every character of its text.
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(char) for char in text)


def can_break(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after`` without a space: next to a
    CJK character, except before closing or after opening punctuation."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return is_cjk(before) or is_cjk(after)


WORD_JOINER = "\u2060"
"""No line break here (UAX #14 class WJ): WeasyPrint, PowerPoint and the deck's fitting obey it."""

LAST_LINE_CJK = 4
"""CJK characters a title's last line holds at least (never ``要点`` alone)."""


def keep_last_line(text: str, cjk_chars: int = LAST_LINE_CJK) -> str:
    """``text`` whose last line, however it wraps, is never one word or a short CJK run
    alone: the last two words are joined by a no-break space, or the last ``cjk_chars``
    CJK characters by word joiners. For titles (a heading's orphan word reads as a mistake).

    >>> keep_last_line("Acme: 2024 in Review")
    'Acme: 2024 in\\xa0Review'
    >>> keep_last_line("示例公司年度回顾要点") == "示例公司年度" + "\\u2060".join("回顾要点")
    True
    """
    body = text.rstrip()
    end = text[len(body) :]
    # The last character that is not closing punctuation decides the script of the last line.
    core = body.rstrip("".join(NO_LINE_START))
    if not core:
        return text
    if is_cjk(core[-1]):
        start, count = len(core), 0
        while start > 0 and count < cjk_chars:
            start -= 1
            count += not core[start].isspace()
        if start == 0:
            return text  # the whole title is short: nothing to keep together
        run = body[start:]
        joined = (
            "".join(
                ("\u00a0" if char == " " else char) + (WORD_JOINER if can_break(char, after) else "")
                for char, after in zip(run, run[1:])
            )
            + run[-1]
        )
        return body[:start] + joined + end
    space = body.rfind(" ")
    if space <= 0 or not body[:space].strip():
        return text
    return body[:space] + "\u00a0" + body[space + 1 :] + end
