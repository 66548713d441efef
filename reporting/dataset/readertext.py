"""Every text of a dataset that a reader sees, where it is in the file, and how its numbers
are checked.

Three kinds of text:

- ``narrative`` (leads, paragraphs, talking points, method, derivation notes, the
  timeline's lead): ``{fact}`` placeholders are filled with figures; a number typed
  around them must be a figure of the dataset or excepted by a rule;
- ``text`` (titles, subtitles, captions, axis titles, event titles, the period): printed as written; a number in it must be a
  figure of the dataset or excepted by a rule;
- ``label`` (a fact's label, a category label, a series name: what a figure counts):
  printed as written; a whole number in it is part of the definition (``people aged 60
  and over``, ``Top 100 brands``, ``0–15``), but an amount (a number with a decimal
  point, a thousands separator, a scale word, ``%`` or a currency) must be a figure;
- ``name`` (sources' titles, publishers and kinds, the organisation, the author, a
  fact's named items): names of documents, people and things, printed as written; a
  number in them is wording.

In narrative and text, words holding a number are marked ``{=Fortune 500}``: printed
without the braces, and taken as wording by the loader's warnings and by verify.

Read by the loader (its warnings, :func:`reporting.dataset.load.load_dataset`), by
``make-report verify`` (the dataset's wording) and by the dataset reference
(:data:`PLACES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Literal

from .facts import Dataset, Localized, marked_literals, narrative_parts

Kind = Literal["narrative", "text", "label", "name"]

PLACES: tuple[tuple[str, Kind, str], ...] = (
    ("report.title, report.subtitle", "text", "the cover, running heads, the PDF's and HTML's title, bookmarks"),
    ("report.period", "text", "the cover"),
    ("report.organisation, report.author", "name", "the cover, the document's metadata"),
    ("sources[].title, publisher, kind", "name", "the sources page and slide"),
    ("facts[].label", "label", "key-figure tiles and their labels, figure lists, tables, chart categories"),
    ("facts[].items[]", "name", "the named items of a figure"),
    ("facts[].derived.note", "narrative", "the sources page (how a figure was derived)"),
    ("sections[].title", "text", "section headings, slide titles, bookmarks, the contents"),
    ("sections[].lead", "narrative", "section leads"),
    ("sections[].paragraphs[].text", "narrative", "paragraphs, speaker notes"),
    ("sections[].points[]", "narrative", "slide bullets"),
    ("sections[].charts[].title", "text", "chart titles (brief, deck, alt text)"),
    ("sections[].charts[].caption", "text", "chart captions and subtitles"),
    ("sections[].charts[].value_axis", "text", "axis titles"),
    ("sections[].charts[].categories[].label", "label", "category labels"),
    ("sections[].charts[].series[].name", "label", "legend entries"),
    ("timeline.title, timeline.caption", "text", "the timeline's heading and caption"),
    ("timeline.lead", "narrative", "the timeline's lead"),
    ("timeline.events[].title", "text", "timeline event titles and descriptions"),
    ("method[]", "narrative", "the method paragraphs"),
)
"""The dataset's places a reader sees (path, kind, where it is printed): the dataset
reference's table."""


KINDS: dict[str, str] = {
    "narrative": "`{fact}` placeholders are filled with figures; a number typed around them must be a "
    "figure of the dataset or excepted by a rule.",
    "text": "printed as written; a number in it must be a figure of the dataset or excepted by a rule.",
    "label": "printed as written; it says what a figure counts, so a whole number in it is part of that "
    "definition (`people aged 60 and over`, `Top 100 brands`, `0–15`), while an amount (a number "
    "with a decimal point, a thousands separator, a scale word, `%` or a currency) must be a figure. "
    "In the outputs a label is matched whole: a number changed inside it is caught.",
    "name": "the name of a document, an organisation, a person or a thing, printed as written; a number in "
    "it is wording (`Form 10-K 2023`), matched whole in the outputs.",
}
"""How each kind of text is checked (the dataset reference's list)."""

OUTPUT_PLACES: tuple[tuple[str, str], ...] = (
    (
        "PDF brief",
        "the text of every page (cover, running heads and footers, headings, paragraphs, key "
        "figures, tables, captions, the sources page); the text drawn in each chart (titles, axis "
        "titles, legend entries, data labels, timeline events) but for its axis ticks (three or more "
        "numbers in even steps, 0, 50, 100, or in powers of ten on a log axis), which are no figures; "
        "each chart's alternative text; the bookmarks; the document information (title, subject, "
        "keywords, author)",
    ),
    (
        "PowerPoint deck",
        "every text of the slides and speaker notes (titles, bullets, tiles, tables, captions, "
        "the timeline); every text of each native chart (title, axis titles, legend entries, "
        "categories, data labels) and the numbers it holds; the alternative text of every shape; "
        "the document properties (title, subject, description, keywords)",
    ),
    (
        "HTML edition",
        "the body's text; each chart image's text (as in the PDF; matplotlib's tick groups are "
        "left out) and alternative text; the document's title and its meta description, keywords "
        "and author",
    ),
)
"""Where ``make-report verify`` reads numbers in each output kind (:mod:`reporting.verify.extract`)."""


@dataclass(frozen=True)
class ReaderText:
    """One text of the dataset: its field path, kind and both languages."""

    loc: tuple[Any, ...]
    kind: Kind
    text: Localized


_MARK = re.compile(r"\{=([^{}]*)\}")
RANGE = re.compile(r"\d+(?:\.\d+)?\s*[–—~-]\s*\d+(?:\.\d+)?")


# An amount in a label: a number with a decimal point or thousands separator, or with a
# scale, a percent sign or a currency before or after it.
_AMOUNT = re.compile(
    r"(?:(?:[$¥€£]|\b[A-Z]{2,3}\$?)\s*)?\d[\d,]*(?:\.\d+)?\s*(?:[万亿%％]|(?:thousand|million|billion|trillion)\b)"
    r"|(?:[$¥€£]|\b[A-Z]{2,3}\$?)\s*\d[\d,]*(?:\.\d+)?"
    r"|(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+\.\d+"
)


def typed_langs(text: Localized) -> tuple[str, ...]:
    """The languages ``text`` is typed in, as attribute names: ``zh``, ``en`` and
    ``zh_hant`` when given."""
    return ("zh", "en", "zh_hant") if text.zh_hant is not None else ("zh", "en")


def unmarked(text: str) -> str:
    """``text`` with each ``{=words}`` mark replaced by its words: how a title, label or
    caption prints."""
    return _MARK.sub(lambda m: m.group(1), text)


def literals(text: str, kind: Kind) -> list[str]:
    """The words of the ``{=...}`` marks in ``text``."""
    return marked_literals(text) if kind == "narrative" else _MARK.findall(text)


def typed(text: str, kind: Kind) -> str:
    """The part of ``text`` whose numbers must be figures: narrative without its
    placeholders and marks (a placeholder's figure is the dataset's); text without its
    marks; a label only its amounts (:data:`PLACES`, kind ``label``).
    Raises ``ValueError`` for narrative with unbalanced braces."""
    if kind == "name":
        return ""
    if kind == "narrative":
        return "\n".join(literal for literal, *_ in narrative_parts(text))
    text = _MARK.sub(" ", text)
    if kind == "label":
        return " ".join(m.group(0) for m in _AMOUNT.finditer(text))
    return text


def reader_texts(dataset: Dataset) -> Iterator[ReaderText]:
    """Every text a reader of the dataset's outputs sees, in file order."""

    def item(loc: tuple[Any, ...], kind: Kind, text: Localized | None) -> Iterator[ReaderText]:
        if text is not None:
            yield ReaderText(loc, kind, text)

    info = dataset.report
    for key in ("title", "subtitle", "period"):
        yield from item(("report", key), "text", getattr(info, key))
    for key in ("organisation", "author"):
        yield from item(("report", key), "name", getattr(info, key))
    for s, source in enumerate(dataset.sources):
        for key in ("title", "publisher", "kind"):
            yield from item(("sources", s, key), "name", getattr(source, key))
    for f, fact in enumerate(dataset.facts):
        yield from item(("facts", f, "label"), "label", fact.label)
        for i, named in enumerate(fact.items):
            yield from item(("facts", f, "items", i), "name", named)
        if fact.derived is not None:
            yield from item(("facts", f, "derived", "note"), "narrative", fact.derived.note)
    for s, section in enumerate(dataset.sections):
        base = ("sections", s)
        yield from item(base + ("title",), "text", section.title)
        yield from item(base + ("lead",), "narrative", section.lead)
        for p, paragraph in enumerate(section.paragraphs):
            yield from item(base + ("paragraphs", p, "text"), "narrative", paragraph.text)
        for c, chart in enumerate(section.charts):
            at = base + ("charts", c)
            yield from item(at + ("title",), "text", chart.title)
            yield from item(at + ("takeaway",), "narrative", chart.takeaway)
            yield from item(at + ("caption",), "text", chart.caption)
            yield from item(at + ("value_axis",), "text", chart.value_axis)
            for k, category in enumerate(chart.categories):
                yield from item(at + ("categories", k, "label"), "label", category.label)
            for k, series in enumerate(chart.series):
                yield from item(at + ("series", k, "name"), "label", series.name)
        for p, point in enumerate(section.points):
            yield from item(base + ("points", p), "narrative", point)
    if dataset.timeline is not None:
        timeline = dataset.timeline
        yield from item(("timeline", "title"), "text", timeline.title)
        yield from item(("timeline", "lead"), "narrative", timeline.lead)
        yield from item(("timeline", "caption"), "text", timeline.caption)
        for e, event in enumerate(timeline.events):
            yield from item(("timeline", "events", e, "title"), "text", event.title)
    for m, method in enumerate(dataset.method):
        yield from item(("method", m), "narrative", method)
