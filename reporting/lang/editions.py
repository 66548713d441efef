"""Editions and the languages of a report.

Numbers are formatted in :mod:`reporting.lang.numbers`, dates and periods in
:mod:`reporting.lang.periods`: once, in code, so the brief, the deck and the HTML preview
cannot disagree.
"""

from __future__ import annotations

import enum

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

