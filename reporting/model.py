"""The report model: one language-resolved document that every renderer reads.

:func:`plan` turns a validated dataset and the choices of an audience (edition,
sections, depth) into a :class:`Report`. Every number is formatted here, once per
language; templates and slide builders only lay out what the model holds, so the
PDF, the deck and the HTML preview cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from typing import Iterable, Literal

from .charts.specs import ChartSpec, SeriesSpec, TimelinePoint
from .errors import UsageError
from .facts import Chart, Dataset, Fact, LoadedDataset, Localized
from .i18n import Edition, PartialDate, format_date, format_figure
from .labels import CHART_KIND_NAMES, ENUM_SEPARATOR, LABELS, LIST_SEPARATOR, PATTERNS
from .texts import Phrase, Texts

Depth = Literal["summary", "full"]


@dataclass(frozen=True)
class Provenance:
    """Where a figure is stated: source id, paragraph, and a printable line."""

    source_id: str
    paragraph: int
    where: Texts
    """``第4段`` / ``paragraph 4``."""
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


@dataclass(frozen=True)
class Timeline:
    title: Texts
    lead: Texts | None
    events: tuple[Event, ...]
    chart: ChartSpec


@dataclass(frozen=True)
class SourceEntry:
    id: str
    title: Texts
    publisher: Texts
    kind: Texts
    language: str
    url: str | None
    figures: tuple[Figure, ...]


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

    @property
    def langs(self) -> tuple[str, ...]:
        return self.edition.langs

    @property
    def lang_tag(self) -> str:
        """The document's ``lang``: its first language."""
        return Phrase(self.edition.primary, "").tag

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
    def derived_figures(self) -> tuple[Figure, ...]:
        return tuple(figure for figure in self.figures if figure.derived)


def plan(
    loaded: LoadedDataset,
    edition: Edition | str = Edition.BILINGUAL,
    *,
    sections: Iterable[str] | None = None,
    depth: Depth = "full",
    audience: str = "default",
    key_figures: Iterable[str] | None = None,
    title: Localized | None = None,
    subtitle: Localized | None = None,
) -> Report:
    """Resolve a dataset into the :class:`Report` one audience receives.

    ``sections`` picks and orders section ids (default: all, dataset order);
    ``depth="summary"`` keeps only summary paragraphs; ``key_figures`` overrides
    the dataset's key-figure list; ``title`` and ``subtitle`` replace the cover's.
    Raises :class:`UsageError` for unknown ids.
    """
    edition = Edition(edition)
    planner = _Planner(loaded, edition.langs)
    dataset = loaded.dataset
    by_id = {section.id: section for section in dataset.sections}
    chosen = list(sections) if sections is not None else list(by_id)
    unknown = [name for name in chosen if name not in by_id]
    if unknown:
        raise UsageError(
            f"unknown section(s) {', '.join(unknown)}; the dataset has: {', '.join(by_id)}"
        )
    key_ids = list(key_figures) if key_figures is not None else list(dataset.key_figures)
    missing = [name for name in key_ids if name not in loaded.values]
    if missing:
        raise UsageError(f"unknown key figure(s) {', '.join(missing)}")
    info = dataset.report
    date = PartialDate.parse(info.date)
    texts = planner.texts
    return Report(
        dataset_id=info.id,
        edition=edition,
        audience=audience,
        depth=depth,
        title=texts(title or info.title),
        subtitle=texts(subtitle or info.subtitle),
        organisation=texts(info.organisation),
        period=texts(info.period),
        author=texts(info.author),
        date=date.as_date(),
        date_text=planner.date_texts(date, with_year=True),
        key_figures=tuple(planner.figure(fact_id) for fact_id in key_ids),
        sections=tuple(planner.section(by_id[name], depth) for name in chosen),
        timeline=planner.timeline(),
        sources=planner.sources(),
        method=tuple(planner.fill(paragraph) for paragraph in dataset.method),
        labels={key: Texts.of(words, edition.langs) for key, words in LABELS.items()},
    )


def _opens_sentence(before: str) -> bool:
    """True when text placed after ``before`` starts a sentence."""
    before = before.rstrip()
    return not before or before.endswith((".", "!", "?", ":\n"))


class _Planner:
    """Formats one dataset's facts and text for a fixed tuple of languages."""

    def __init__(self, loaded: LoadedDataset, langs: tuple[str, ...]):
        self.loaded = loaded
        self.dataset: Dataset = loaded.dataset
        self.langs = langs
        self.facts = loaded.facts
        self._figures: dict[str, Figure] = {}

    # -- text ---------------------------------------------------------------

    def texts(self, localized: Localized) -> Texts:
        return Texts.of({"zh": localized.zh, "en": localized.en}, self.langs)

    def per_lang(self, make) -> Texts:
        return Texts(tuple(Phrase(lang, make(lang)) for lang in self.langs))

    def fill(self, localized: Localized) -> Texts:
        """Text with every ``{fact}`` placeholder replaced by the formatted figure.

        A figure that opens an English sentence gets a capital (``Over 70% of users``).
        """
        return self.per_lang(lambda lang: self._fill(localized.get(lang), lang))

    def _fill(self, text: str, lang: str) -> str:
        out: list[str] = []
        for literal, name, form, _conversion in string.Formatter().parse(text):
            out.append(literal)
            if name is not None:
                value = self.placeholder(name, form or "", lang)
                if lang == "en" and _opens_sentence("".join(out)):
                    value = value[:1].upper() + value[1:]
                out.append(value)
        return "".join(out)

    def placeholder(self, fact_id: str, form: str, lang: str) -> str:
        figure = self.figure(fact_id)
        if form == "number":
            return figure.number.get(lang)
        if form == "date":
            if figure.date is None:
                raise UsageError(f"fact {fact_id!r} has no date for {{{fact_id}:date}}")
            return figure.date.get(lang)
        if form == "label":
            return figure.label.get(lang)
        return figure.text.get(lang)

    def date_texts(self, date: PartialDate, *, with_year: bool = False) -> Texts:
        return self.per_lang(lambda lang: format_date(date, lang, with_year=with_year))

    # -- figures ------------------------------------------------------------

    def figure(self, fact_id: str) -> Figure:
        if fact_id not in self._figures:
            self._figures[fact_id] = self._make_figure(self.facts[fact_id])
        return self._figures[fact_id]

    def _make_figure(self, fact: Fact) -> Figure:
        value = self.loaded.values[fact.id]
        unit = self.dataset.units[fact.unit]
        date = self.loaded.dates[fact.id]

        def formatted(lang: str, with_unit: bool) -> str:
            return format_figure(
                value, fact.qualifier, unit.words(lang), lang,
                with_unit=with_unit, max_fraction_digits=fact.precision,
            )

        items = tuple(self.texts(item) for item in fact.items)
        source = next(s for s in self.dataset.sources if s.id == fact.source.ref)
        where = self.per_lang(lambda lang: PATTERNS["paragraph"][lang].format(n=fact.source.paragraph))
        provenance = self.per_lang(
            lambda lang: PATTERNS["source_of"][lang].format(source=source.kind.get(lang), where=where.get(lang))
        )
        return Figure(
            id=fact.id,
            value=value,
            label=self.texts(fact.label),
            text=self.per_lang(lambda lang: formatted(lang, True)),
            headline=self.per_lang(lambda lang: formatted(lang, unit.kind != "count")),
            number=self.per_lang(lambda lang: formatted(lang, False)),
            date=self.date_texts(date) if date is not None else None,
            provenance=Provenance(source.id, fact.source.paragraph, where, provenance),
            derived=fact.derived is not None,
            derivation=self.fill(fact.derived.note) if fact.derived else None,
            items=items,
            items_text=self.per_lang(lambda lang: ENUM_SEPARATOR[lang].join(i.get(lang) for i in items)) if items else None,
        )

    # -- sections and charts ------------------------------------------------

    def section(self, section, depth: Depth) -> Section:
        paragraphs = [p for p in section.paragraphs if depth == "full" or p.depth == "summary"]
        return Section(
            id=section.id,
            title=self.texts(section.title),
            lead=self.fill(section.lead),
            paragraphs=tuple(self.fill(p.text) for p in paragraphs),
            figures=tuple(self.figure(fact_id) for fact_id in section.facts),
            charts=tuple(self.chart(chart) for chart in section.charts),
            points=tuple(self.fill(point) for point in section.points),
            tags=tuple(section.tags),
        )

    def category(self, category) -> Texts:
        if category.label is not None:
            return self.texts(category.label)
        if category.label_of is not None:
            return self.figure(category.label_of).label
        figure = self.figure(category.date_of)
        if figure.date is None:
            raise UsageError(f"chart category date_of {category.date_of!r}: that fact has no date")
        return figure.date

    def chart(self, chart: Chart) -> ChartSpec:
        categories = tuple(self.category(c) for c in chart.categories)
        series = tuple(
            SeriesSpec(
                name=self.texts(s.name),
                values=tuple(self.loaded.values[f] if f else None for f in s.facts),
                value_labels=tuple(self.figure(f).number if f else None for f in s.facts),
                fact_ids=tuple(s.facts),
            )
            for s in chart.series
        )
        title = self.texts(chart.title)
        return ChartSpec(
            id=chart.id,
            kind=chart.kind,
            title=title,
            caption=self.texts(chart.caption),
            alt=self._alt(chart.kind, title, categories, series, chart.log_scale),
            categories=categories,
            series=series,
            log_scale=chart.log_scale,
            value_axis=self.texts(chart.value_axis) if chart.value_axis else None,
        )

    def _alt(self, kind, title, categories, series, log_scale) -> Texts:
        def describe(lang: str) -> str:
            parts = []
            for s in series:
                values = [
                    f"{categories[i].get(lang)} {label.get(lang)}"
                    for i, label in enumerate(s.value_labels)
                    if label is not None
                ]
                prefix = f"{s.name.get(lang)}: " if len(series) > 1 else ""
                parts.append(prefix + ENUM_SEPARATOR[lang].join(values))
            scale = LABELS["log_scale"][lang] if log_scale else ""
            return PATTERNS["chart_alt"][lang].format(
                kind=CHART_KIND_NAMES[kind][lang],
                title=title.get(lang) + scale,
                points=LIST_SEPARATOR[lang].join(parts),
            )

        return self.per_lang(describe)

    # -- timeline and sources -----------------------------------------------

    def timeline(self) -> Timeline | None:
        timeline = self.dataset.timeline
        if timeline is None:
            return None
        events = []
        for event in timeline.events:
            if event.date_of is not None:
                date = self.loaded.dates[event.date_of]
                if date is None:
                    raise UsageError(f"timeline event {event.id!r}: fact {event.date_of!r} has no date")
                derived = self.facts[event.date_of].derived is not None
            else:
                date = PartialDate.parse(event.date).with_part(event.date_part)  # type: ignore[arg-type]
                derived = False
            events.append(
                Event(
                    date=self.date_texts(date),
                    when=date.as_date(),
                    title=self.texts(event.title),
                    figures=tuple(self.figure(f) for f in event.facts),
                    derived_date=derived,
                )
            )
        events.sort(key=lambda e: e.when)
        title = self.texts(timeline.title)
        points = tuple(TimelinePoint(e.when, e.date, e.title, e.derived_date) for e in events)
        alt = self.per_lang(
            lambda lang: PATTERNS["chart_alt"][lang].format(
                kind=CHART_KIND_NAMES["timeline"][lang],
                title=title.get(lang),
                points=LIST_SEPARATOR[lang].join(f"{p.marked_date.get(lang)} {p.title.get(lang)}" for p in points),
            )
        )
        chart = ChartSpec(
            id="timeline", kind="timeline", title=title, caption=self.texts(timeline.caption),
            alt=alt, points=points,
        )
        return Timeline(
            title=title,
            lead=self.texts(timeline.lead) if timeline.lead else None,
            events=tuple(events),
            chart=chart,
        )

    def sources(self) -> tuple[SourceEntry, ...]:
        entries = []
        for source in self.dataset.sources:
            figures = tuple(
                self.figure(fact.id) for fact in self.dataset.facts if fact.source.ref == source.id
            )
            entries.append(
                SourceEntry(
                    id=source.id,
                    title=self.texts(source.title),
                    publisher=self.texts(source.publisher),
                    kind=self.texts(source.kind),
                    language=source.language,
                    url=source.url,
                    figures=tuple(sorted(figures, key=lambda f: f.provenance.paragraph)),
                )
            )
        return tuple(entries)
