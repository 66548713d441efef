"""The report model: one language-resolved document that every renderer reads.

:func:`~reporting.model.planner.plan` turns a validated dataset and the choices of an
audience (edition, sections, depth) into a :class:`Report`. Every number is formatted
then, once per language; templates and slide builders only lay out what the model holds, so the
PDF, the deck and the HTML preview cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from ..lang.editions import Edition
from .chartspec import ChartSpec
from .texts import Phrase, Texts

Depth = Literal["summary", "full"]


@dataclass(frozen=True)
class Provenance:
    """Where a figure is stated: source id, paragraph, and a printable line."""

    source_id: str
    order: tuple
    """Sorts figures by where their source states them (page, then paragraph, ...)."""
    where: Texts
    """``第4段`` / ``paragraph 4``; ``第7项，第21页`` / ``Item 7, p. 21``."""
    text: Texts
    """``来源：新闻报道，第4段`` / ``Source: press article, paragraph 4``."""


@dataclass(frozen=True)
class Figure:
    """A fact as this edition prints it."""

    id: str
    value: float
    label: Texts
    text: Texts
    """With qualifier and unit: ``超过1亿`` / ``over 100 million users``."""
    headline: Texts
    """For a key-figure tile: counts drop their noun (the label names it)."""
    number: Texts
    """With qualifier, no unit: ``超过1亿`` / ``over 100 million``."""
    size: Texts
    """With qualifier and unit, without sign: ``$11.04 billion`` for −11.04 billion
    (``{fact:size}``, for prose that says the direction: "down {fact:size}")."""
    change: Texts
    """The direction in words, then the size: ``下降3.0%`` / ``down 3.0%`` (``{fact:change}``)."""
    date: Texts | None
    provenance: Provenance
    derived: bool
    derivation: Texts | None
    items: tuple[Texts, ...] = ()
    """What the figure counts, when named (brands, partners)."""
    items_text: Texts | None = None
    """The items as one list per language: ``完美日记、花西子`` / ``Perfect Diary, Florasis``."""


@dataclass(frozen=True)
class Section:
    id: str
    title: Texts
    lead: Texts
    paragraphs: tuple[Texts, ...]
    figures: tuple[Figure, ...]
    charts: tuple[ChartSpec, ...]
    points: tuple[Texts, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    date: Texts
    when: dt.date
    title: Texts
    figures: tuple[Figure, ...]
    derived_date: bool
    source_id: str | None = None
    """The source stating the event, when the dataset names one."""
    where: Texts | None = None
    """Where in that source: ``第2段`` / ``paragraph 2``."""


@dataclass(frozen=True)
class Timeline:
    title: Texts
    lead: Texts | None
    events: tuple[Event, ...]
    chart: ChartSpec


@dataclass(frozen=True)
class SourceEntry:
    """A source the edition cites, with what it backs there: the figures shown (and the
    inputs of derived figures shown) and the timeline's events."""

    id: str
    title: Texts
    publisher: Texts
    kind: Texts
    language: str
    url: str | None
    figures: tuple[Figure, ...]
    events: tuple[Event, ...] = ()
    date: Texts | None = None
    """When it was published, with its year."""
    original_title: Phrase | None = None
    """The title in the source's own language, when the edition does not print that
    language (an English filing cited in the Chinese edition)."""


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs, in the edition's languages, numbers formatted."""

    dataset_id: str
    edition: Edition
    audience: str
    depth: Depth
    title: Texts
    subtitle: Texts
    organisation: Texts
    period: Texts
    author: Texts
    date: dt.date
    date_text: Texts
    key_figures: tuple[Figure, ...]
    sections: tuple[Section, ...]
    timeline: Timeline | None
    sources: tuple[SourceEntry, ...]
    method: tuple[Texts, ...]
    labels: dict[str, Texts] = field(repr=False)
    fiscal_periods: tuple[Texts, ...] = ()
    """Each fiscal period the report shows with the days it covers
    (``FY2023: 1 October 2022 – 30 September 2023``)."""
    english: str = "en-GB"
    """The English style the edition was written in (``en-GB`` or ``en-US``)."""
    recipient: Texts | None = None
    """Whom a batch edition is for (``report.recipient`` in templates); None outside a batch."""
    figure_grids: bool = False
    """Print a grid of each section's figures under it (an audience asks for it: each figure is
    otherwise printed where it serves, as a tile, in the text and in a chart)."""
    audit_trail: bool = False
    """Add an appendix listing every figure shown with where its source states it and the
    inputs of each derived one (an audience asks for it); else the sources are one short list."""

    @property
    def langs(self) -> tuple[str, ...]:
        return self.edition.langs

    @property
    def midnight(self) -> dt.datetime:
        """The report's date at 00:00 UTC: when its outputs say they were made, unless
        ``SOURCE_DATE_EPOCH`` says otherwise (never the clock, so builds are reproducible)."""
        return dt.datetime.combine(self.date, dt.time(), tzinfo=dt.timezone.utc)

    @property
    def lang_tag(self) -> str:
        """The document's ``lang``: its first language."""
        return self.edition.tag(self.edition.primary)

    @property
    def charts(self) -> tuple[ChartSpec, ...]:
        """Every chart in reading order, the timeline last."""
        charts = [chart for section in self.sections for chart in section.charts]
        if self.timeline is not None:
            charts.append(self.timeline.chart)
        return tuple(charts)

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure the report shows, each once, in order of first appearance."""
        seen: dict[str, Figure] = {}
        for figure in self.key_figures:
            seen.setdefault(figure.id, figure)
        for section in self.sections:
            for figure in section.figures:
                seen.setdefault(figure.id, figure)
        for source in self.sources:
            for figure in source.figures:
                seen.setdefault(figure.id, figure)
        return tuple(seen.values())

    @property
    def source_numbers(self) -> dict[str, int]:
        """Source id -> its number in the list of sources (1-based), for note markers."""
        return {source.id: number for number, source in enumerate(self.sources, start=1)}

    @property
    def derived_figures(self) -> tuple[Figure, ...]:
        return tuple(figure for figure in self.figures if figure.derived)
