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


SCRIPT_NAMES = {"zh-Hans": "中文", "zh-Hant": "繁體中文", "zh-HK": "繁體中文（香港）", "zh-TW": "繁體中文（台灣）"}
"""Each Chinese script's name for a reader of it (the preview's edition menu)."""


class Edition(str, enum.Enum):
    """Which languages a report is printed in, in reading order: the first leads (the
    document's language, the larger type, the number forms of charts), a second one
    follows it, smaller.

    ``bilingual`` is Chinese first with English under it (also called ``zh-en``);
    ``en-zh`` is English first with Chinese under it; ``zh`` and ``en`` are one language.
    Each Chinese edition has Traditional Chinese ones beside it, named by the language tag
    of their Chinese: ``zh-Hant``, ``zh-Hant-en``, ``en-zh-Hant``, and the
    Hong Kong and Taiwan ones (``zh-HK``…, ``zh-TW``…) with their own vocabulary.
    """

    BILINGUAL = "bilingual"
    EN_ZH = "en-zh"
    ZH = "zh"
    EN = "en"
    ZH_HANT = "zh-Hant"
    ZH_HANT_EN = "zh-Hant-en"
    EN_ZH_HANT = "en-zh-Hant"
    ZH_HK = "zh-HK"
    ZH_HK_EN = "zh-HK-en"
    EN_ZH_HK = "en-zh-HK"
    ZH_TW = "zh-TW"
    ZH_TW_EN = "zh-TW-en"
    EN_ZH_TW = "en-zh-TW"

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

    @property
    def chinese(self) -> str:
        """The language tag of the edition's Chinese: ``zh-Hans`` (Simplified), ``zh-Hant``
        (Traditional), ``zh-HK`` or ``zh-TW`` (Traditional with Hong Kong's or Taiwan's
        vocabulary)."""
        return next((tag for tag in ("zh-Hant", "zh-HK", "zh-TW") if tag in self.value), "zh-Hans")

    @property
    def display_name(self) -> str:
        """The edition as a menu names it, its languages in reading order, each in its own
        script: ``中文 + English``, ``English + 繁體中文（香港）``."""
        return " + ".join("English" if lang == "en" else SCRIPT_NAMES[self.chinese] for lang in self.langs)

    @property
    def traditional(self) -> bool:
        """The Chinese is written in Traditional characters."""
        return self.chinese != "zh-Hans"

    def tag(self, lang: str) -> str:
        """The BCP 47 tag of ``lang`` (``zh`` or ``en``) in this edition: ``zh-Hant`` for
        the Chinese of a Traditional edition."""
        return self.chinese if lang == "zh" else BCP47[lang]


CHINESE = {
    "zh-Hans": "Simplified Chinese",
    "zh-Hant": "Traditional Chinese",
    "zh-HK": "Traditional Chinese as written in Hong Kong",
    "zh-TW": "Traditional Chinese as written in Taiwan",
}
"""The Chinese an edition may be written in, by language tag."""

_LANGS = {"bilingual": LANGS, "en-zh": ("en", "zh"), "zh": ("zh",), "en": ("en",)}
for _tag in ("zh-Hant", "zh-HK", "zh-TW"):
    _LANGS.update({_tag: ("zh",), f"{_tag}-en": LANGS, f"en-{_tag}": ("en", "zh")})
"""The languages of each edition, in reading order: the one table renderers follow."""

ALIASES = {"zh-en": "bilingual"}
"""Other names of an edition (``zh-en``: Chinese first, the same as ``bilingual``)."""

EDITION_NAMES = (*(edition.value for edition in Edition), *ALIASES)
"""Every name an edition may be given by (``--lang``, ``report.toml``, the dataset)."""
