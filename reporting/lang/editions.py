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
    """Which languages a report is printed in, in reading order: the first leads (the
    document's language, the larger type, the number forms of charts), a second one
    follows it, smaller.

    ``bilingual`` is Chinese first with English under it (also called ``zh-en``);
    ``en-zh`` is English first with Chinese under it; ``zh`` and ``en`` are one language.
    """

    BILINGUAL = "bilingual"
    EN_ZH = "en-zh"
    ZH = "zh"
    EN = "en"

    @classmethod
    def _missing_(cls, value: object) -> "Edition | None":
        name = ALIASES.get(value) if isinstance(value, str) else None
        return cls(name) if name else None

    @property
    def langs(self) -> tuple[str, ...]:
        return _LANGS[self.value]

    @property
    def bilingual(self) -> bool:
        """Two languages, one under the other."""
        return len(self.langs) > 1

    @property
    def primary(self) -> str:
        """The language of the document as a whole (the first one read)."""
        return self.langs[0]



_LANGS = {"bilingual": LANGS, "en-zh": ("en", "zh"), "zh": ("zh",), "en": ("en",)}
"""The languages of each edition, in reading order: the one table renderers follow."""

ALIASES = {"zh-en": "bilingual"}
"""Other names of an edition (``zh-en``: Chinese first, the same as ``bilingual``)."""

EDITION_NAMES = (*(edition.value for edition in Edition), *ALIASES)
"""Every name an edition may be given by (``--lang``, ``report.toml``, the dataset)."""
