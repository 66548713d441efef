"""Language-resolved text: the same words in each language of an edition."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..lang.editions import BCP47


@dataclass(frozen=True)
class Phrase:
    """Text in one language. ``tag`` is its BCP 47 ``lang`` value."""

    lang: str
    text: str
    script: str = ""
    """The language tag of Chinese written otherwise than in Simplified characters
    (``zh-Hant``, ``zh-HK``, ``zh-TW``); empty for the language's own tag (:data:`BCP47`)."""

    @property
    def tag(self) -> str:
        return self.script or BCP47[self.lang]

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

    def distinct(self) -> tuple[Phrase, ...]:
        """The phrases a layout prints: a text that reads the same in every language
        (``5.2%``, ``2023``, ``FY2023`` in both) once, in the first language."""
        shown: list[Phrase] = []
        for phrase in self.phrases:
            if all(phrase.text != other.text for other in shown):
                shown.append(phrase)
        return tuple(shown)

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


def phrases_in(value: object) -> Iterator[Phrase]:
    """Every :class:`Phrase` inside ``value`` (dataclasses, tuples, lists and dicts, walked
    depth first; a dataclass met twice is walked once)."""
    from dataclasses import fields, is_dataclass

    seen: set[int] = set()

    def walk(node: object) -> Iterator[Phrase]:
        if isinstance(node, Phrase):
            yield node
        elif is_dataclass(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            for item in fields(node):
                yield from walk(getattr(node, item.name))
        elif isinstance(node, (tuple, list)):
            for item in node:
                yield from walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                yield from walk(item)

    return walk(value)
