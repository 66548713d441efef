"""Language-resolved text: the same words in each language of an edition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .i18n import BCP47


@dataclass(frozen=True)
class Phrase:
    """Text in one language. ``tag`` is its BCP 47 ``lang`` value."""

    lang: str
    text: str

    @property
    def tag(self) -> str:
        return BCP47[self.lang]

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Texts:
    """One :class:`Phrase` per language of the edition, in reading order."""

    phrases: tuple[Phrase, ...]

    @classmethod
    def of(cls, by_lang: dict[str, str], langs: tuple[str, ...]) -> "Texts":
        return cls(tuple(Phrase(lang, by_lang[lang]) for lang in langs))

    def __iter__(self) -> Iterator[Phrase]:
        return iter(self.phrases)

    def __len__(self) -> int:
        return len(self.phrases)

    def get(self, lang: str) -> str:
        for phrase in self.phrases:
            if phrase.lang == lang:
                return phrase.text
        raise KeyError(lang)

    @property
    def first(self) -> Phrase:
        return self.phrases[0]

    def joined(self, separator: str = " / ") -> str:
        """All languages in one string, for places that hold a single line (alt text, chart labels)."""
        texts: list[str] = []
        for phrase in self.phrases:
            if phrase.text not in texts:
                texts.append(phrase.text)
        return separator.join(texts)

    def __str__(self) -> str:
        return self.joined()
