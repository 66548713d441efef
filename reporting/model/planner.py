"""Planning a report: :func:`plan` turns a validated dataset and the choices of an audience (edition,
sections, depth) into a :class:`~reporting.model.report.Report`, formatting every number once per language."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from .chartspec import ChartSpec, SeriesSpec, TimelinePoint, timeline_months
from ..errors import UsageError
from ..dataset.facts import RECIPIENT_PLACEHOLDER, Chart, Dataset, Fact, Localized, SourceRef, narrative_parts
from ..dataset.load import LoadedDataset, axis_min_value, figure_styles
from ..dataset.readertext import unmarked
from ..lang.editions import Edition
from ..dataset.derive import typed_high
from ..lang.numbers import (
    MINUS,
    PLUS,
    RANGE_JOINER_FIGURES,
    SCALE_WORDS,
    TYPED_SCALES,
    NumberStyle,
    format_change,
    format_figure,
    last_digit,
    rounded,
)
from ..lang.periods import DEFAULT_ENGLISH, ENGLISH_STYLES, Period, format_coverage, format_period
from .labels import CHART_KIND_NAMES, ENUM_SEPARATOR, LABELS, LIST_SEPARATOR, PATTERNS
from .texts import Phrase, Texts
from .report import Depth, Event, Figure, Provenance, Report, Section, SourceEntry, Timeline


def plan(
    loaded: LoadedDataset,
    edition: Edition | str | None = None,
    **options,
) -> Report:
    """Resolve a dataset into the :class:`Report` one audience receives (see
    :func:`plan_simplified` for the options). A Traditional Chinese edition
    (:attr:`Edition.traditional`) is planned from the dataset's Traditional text where it
    gives one (``zh-Hant`` beside ``zh``), and everything else Chinese in it (the dataset's
    Simplified text, labels, numbers' 万 and 亿, dates) is converted phrase by phrase
    (:mod:`reporting.lang.traditional`); its Chinese phrases carry the edition's tag."""
    edition = Edition(edition) if edition else loaded.dataset.report.edition
    if not edition.traditional:
        return plan_simplified(loaded, edition, **options)
    import dataclasses

    from ..lang.traditional import converter, map_strings
    from .texts import Phrase

    report = plan_simplified(_with_traditional_text(loaded), edition, **options)

    def tagged(node):
        return (
            dataclasses.replace(node, script=edition.chinese)
            if isinstance(node, Phrase) and node.lang == "zh"
            else node
        )

    return map_strings(report, converter(edition.chinese), rebuilt=tagged)


def _with_traditional_text(loaded: LoadedDataset) -> LoadedDataset:
    """``loaded`` (a shallow copy) whose dataset has its Traditional text (``zh-Hant``) as
    its Chinese, where it gives one."""
    import copy

    from pydantic import BaseModel

    def swap(node):
        if isinstance(node, Localized):
            return node.model_copy(update={"zh": node.zh_hant}) if node.zh_hant else node
        if isinstance(node, BaseModel):
            changes = {name: swap(getattr(node, name)) for name in type(node).model_fields}
            changed = {name: value for name, value in changes.items() if value is not getattr(node, name)}
            return node.model_copy(update=changed) if changed else node
        if isinstance(node, list):
            items = [swap(item) for item in node]
            return items if any(a is not b for a, b in zip(items, node)) else node
        if isinstance(node, dict):
            items = {key: swap(value) for key, value in node.items()}
            return items if any(items[key] is not node[key] for key in node) else node
        return node

    dataset = swap(loaded.dataset)
    if dataset is loaded.dataset:
        return loaded
    copied = copy.copy(loaded)
    copied.dataset = dataset
    return copied


def plan_simplified(
    loaded: LoadedDataset,
    edition: Edition | str | None = None,
    *,
    sections: Iterable[str] | None = None,
    depth: Depth = "full",
    audience: str = "default",
    key_figures: Iterable[str] | None = None,
    title: Localized | None = None,
    subtitle: Localized | None = None,
    english: str = DEFAULT_ENGLISH,
    figure_grids: bool = False,
    audit_trail: bool = False,
) -> Report:
    """Resolve a dataset into the :class:`Report` one audience receives.

    ``sections`` picks and orders section ids (default: all, dataset order);
    ``depth="summary"`` keeps only summary paragraphs; ``key_figures`` overrides
    the dataset's key-figure list; ``title`` and ``subtitle`` replace the cover's;
    ``english`` is the English style, ``en-GB`` (``31 January``) or ``en-US``
    (``January 31``); ``edition`` None is the dataset's own (``report.edition``);
    ``figure_grids`` and ``audit_trail`` ask for the grid of figures under each section and
    the appendix of where each figure is stated (:class:`Report`).
    Raises :class:`UsageError` for unknown ids or styles.
    """
    edition = Edition(edition) if edition else loaded.dataset.report.edition
    if english not in ENGLISH_STYLES:
        raise UsageError(f"unknown English style {english!r}; use one of: {', '.join(ENGLISH_STYLES)}")
    planner = _Planner(loaded, edition.langs, english)
    dataset = loaded.dataset
    by_id = {section.id: section for section in dataset.sections}
    chosen = list(sections) if sections is not None else list(by_id)
    unknown = [name for name in chosen if name not in by_id]
    if unknown:
        raise UsageError(f"unknown section(s) {', '.join(unknown)}; the dataset has: {', '.join(by_id)}")
    key_ids = list(key_figures) if key_figures is not None else list(dataset.key_figures)
    missing = [name for name in key_ids if name not in loaded.values]
    if missing:
        raise UsageError(f"unknown key figure(s) {', '.join(missing)}")
    info = dataset.report
    date = Period.parse(info.date)
    texts = planner.texts
    key = tuple(planner.figure(fact_id) for fact_id in key_ids)
    planned_sections = tuple(planner.section(by_id[name], depth) for name in chosen)
    timeline = planner.timeline()
    method = tuple(planner.fill(paragraph) for paragraph in dataset.method)
    # Every figure the edition shows has been formatted by now; the sources list those.
    sources = planner.sources(timeline)
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
        key_figures=key,
        sections=planned_sections,
        timeline=timeline,
        sources=sources,
        method=method,
        labels={key: Texts.of(words, edition.langs) for key, words in LABELS.items()},
        fiscal_periods=planner.fiscal_periods(),
        english=english,
        recipient=texts(loaded.recipient) if loaded.recipient is not None else None,
        figure_grids=figure_grids,
        audit_trail=audit_trail,
    )


def _location_order(ref: SourceRef) -> tuple:
    """A sort key: page first (where a reader turns to), then the other locations, numbers
    in numeric order (Item 7 before Item 10)."""

    def natural(value: object) -> tuple:
        return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", str(value)))

    keys = ("page", "item", "note", "section", "paragraph")
    return tuple(natural(getattr(ref, key)) if getattr(ref, key) is not None else ((2, 0, ""),) for key in keys)


def _spans_years(dates: list[Period]) -> bool:
    """True when the dates within a year (days, months, quarters, halves, ranges) fall in
    more than one calendar year: their text must then name the year."""
    years: set[int] = set()
    for date in dates:
        if date.within_year:
            years |= date.years
    return len(years) > 1


def capitalised(text: str) -> str:
    """``text`` with a capital first letter, unless its first word is written with a
    capital after its first letter (iPhone, eBay, macOS, COVID): a name as written.

    >>> capitalised("over 70% of users"), capitalised("iPhone sales"), capitalised("eBay")
    ('Over 70% of users', 'iPhone sales', 'eBay')
    """
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if any(char.isupper() for char in first[1:]):
        return text
    return text[:1].upper() + text[1:]


def _quantum(style: NumberStyle) -> int:
    """The power of ten a style rounds to, or one far below any figure's where it sets none."""
    return style.quantum if style.quantum is not None else -99


def number_styles(loaded: LoadedDataset, fact: Fact) -> dict[str, NumberStyle]:
    """How each language writes ``fact``'s number (:func:`~reporting.dataset.load.figure_styles`)."""
    return figure_styles(loaded.exact[fact.id], loaded.dataset, fact, loaded.qualifiers[fact.id])


def _opens_sentence(before: str) -> bool:
    """True when text placed after ``before`` starts a sentence."""
    before = before.rstrip()
    return not before or before.endswith((".", "!", "?", ":\n"))


class _Planner:
    """Formats one dataset's facts and text for a fixed tuple of languages."""

    def __init__(self, loaded: LoadedDataset, langs: tuple[str, ...], english: str = DEFAULT_ENGLISH):
        self.loaded = loaded
        self.dataset: Dataset = loaded.dataset
        self.langs = langs
        self.english = english
        self.facts = loaded.facts
        self._figures: dict[str, Figure] = {}
        self._fiscal: dict[str, Period] = {}
        self.needs_year = _spans_years(
            [date for date in loaded.dates.values() if date is not None] + self._event_periods()
        )
        """Dates within a year show their year when the dataset's run over more than one."""

    def _event_periods(self) -> list[Period]:
        timeline = self.dataset.timeline
        if timeline is None:
            return []
        return [self.loaded.period(event.date, event.date_part) for event in timeline.events if event.date]

    def texts(self, localized: Localized) -> Texts:
        """Text printed as written, but for its ``{=...}`` marks (printed without braces)."""
        return Texts.of({"zh": unmarked(localized.zh), "en": unmarked(localized.en)}, self.langs)

    def per_lang(self, make) -> Texts:
        return Texts(tuple(Phrase(lang, make(lang)) for lang in self.langs))

    def fill(self, localized: Localized) -> Texts:
        """Text with every ``{fact}`` placeholder replaced by the formatted figure.

        A figure that opens an English sentence gets a capital (``Over 70% of users``).
        """
        return self.per_lang(lambda lang: self._fill(localized.get(lang), lang))

    def _fill(self, text: str, lang: str) -> str:
        out: list[str] = []
        for literal, name, form, marked in narrative_parts(text):
            out.append(literal)
            if marked is not None:
                out.append(marked)
            elif (name, form) == RECIPIENT_PLACEHOLDER:
                out.append(self.recipient_name(lang))
            elif name is not None:
                value = self.placeholder(name, form, lang)
                if lang == "en" and _opens_sentence("".join(out)):
                    is_name = form == "label" and self.facts[name].label.name
                    value = value if is_name else capitalised(value)
                out.append(value)
        return "".join(out)

    def recipient_name(self, lang: str) -> str:
        """The recipient's name in ``lang`` for ``{recipient:name}``; only a batch has one."""
        if self.loaded.recipient is None:
            raise UsageError(
                "{recipient:name} names the recipient of a batch edition: build this dataset with "
                "'make-report batch --recipients FILE', or take the placeholder out"
            )
        return self.loaded.recipient.get(lang)

    def placeholder(self, fact_id: str, form: str, lang: str) -> str:
        figure = self.figure(fact_id)
        if form in ("number", "size", "change"):
            return getattr(figure, form).get(lang)
        if form == "date":
            date = self.loaded.dates[fact_id]
            if date is None:
                raise UsageError(f"fact {fact_id!r} has no date for {{{fact_id}:date}}")
            # Running text writes a year as a year (2023年), not as the bare label 2023.
            return self.format_date(date, lang, with_year=self.needs_year, prose=True)
        if form == "label":
            return figure.label.get(lang)
        return figure.text.get(lang)

    def format_date(self, date: Period, lang: str, *, with_year: bool = False, prose: bool = False) -> str:
        if date.fiscal:
            self._fiscal.setdefault(date.iso(), date)
        return format_period(date, lang, with_year=with_year, prose=prose, english=self.english)

    def date_texts(self, date: Period, *, with_year: bool | None = None) -> Texts:
        """A date as a label in each language; with its year when asked, by default when
        the dataset's dates run over more than one calendar year."""
        with_year = self.needs_year if with_year is None else with_year
        return self.per_lang(lambda lang: self.format_date(date, lang, with_year=with_year))

    def fiscal_periods(self) -> tuple[Texts, ...]:
        """The fiscal periods printed so far, each with the days it covers, in date order."""
        return tuple(
            self.per_lang(
                lambda lang, p=period: PATTERNS["coverage"][lang].format(
                    period=format_period(p, lang, english=self.english),
                    days=format_coverage(p, lang, english=self.english),
                )
            )
            for period in sorted(self._fiscal.values())
        )

    def where(self, ref: SourceRef) -> Texts:
        """A location in a source as it is cited: ``第7项，第21页`` / ``Item 7, p. 21``."""
        return self.per_lang(
            lambda lang: PATTERNS["location_separator"][lang].join(
                PATTERNS[kind][lang].format(n=value) for kind, value in ref.locations
            )
        )

    def figure(self, fact_id: str) -> Figure:
        if fact_id not in self._figures:
            self._figures[fact_id] = self._make_figure(self.facts[fact_id])
        return self._figures[fact_id]

    def _make_figure(self, fact: Fact) -> Figure:
        value = self.loaded.exact[fact.id]
        unit = self.dataset.units[fact.unit]
        date = self.loaded.dates[fact.id]
        qualifier = self.loaded.qualifiers[fact.id]
        styles = number_styles(self.loaded, fact)

        high = typed_high(fact, self.dataset)

        def formatted(lang: str, with_unit: bool, signed: bool = True) -> str:
            text = format_figure(
                value, qualifier, unit.words(lang), lang, with_unit=with_unit, style=styles[lang], signed=signed
            )
            if high is None:
                return text
            # A range: both ends with their unit, the qualifier once before it (2.5%–3.5%, 2.5%至3.5%).
            return (
                text
                + RANGE_JOINER_FIGURES[lang]
                + format_figure(
                    high, "exact", unit.words(lang), lang, with_unit=with_unit, style=styles[lang], signed=signed
                )
            )

        items = tuple(self.texts(item) for item in fact.items)
        source = next(s for s in self.dataset.sources if s.id == fact.source.ref)
        where = self.where(fact.source)
        provenance = self.per_lang(
            lambda lang: PATTERNS["source_of"][lang].format(source=source.kind.get(lang), where=where.get(lang))
        )
        return Figure(
            id=fact.id,
            value=float(value),
            label=self.texts(fact.label),
            text=self.per_lang(lambda lang: formatted(lang, True)),
            headline=self.per_lang(lambda lang: formatted(lang, unit.kind != "count")),
            number=self.per_lang(lambda lang: formatted(lang, False)),
            size=self.per_lang(lambda lang: formatted(lang, True, signed=False)),
            change=self.per_lang(
                lambda lang: format_change(value, qualifier, unit.words(lang), lang, kind=unit.kind, style=styles[lang])
            ),
            date=self.date_texts(date) if date is not None else None,
            provenance=Provenance(source.id, _location_order(fact.source), where, provenance),
            derived=fact.derived is not None,
            derivation=self.fill(fact.derived.note) if fact.derived else None,
            items=items,
            items_text=self.per_lang(lambda lang: ENUM_SEPARATOR[lang].join(i.get(lang) for i in items))
            if items
            else None,
        )

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
                # Labels carry the unit as the text does ($200.58 billion, 54.6%); counts
                # leave their noun to the axis and legend, as a tile does.
                value_labels=self._series_labels(s.facts),
                fact_ids=tuple(s.facts),
            )
            for s in chart.series
        )
        totals = None
        if chart.totals:
            totals = SeriesSpec(
                name=self.per_lang(lambda lang: LABELS["total"][lang]),
                values=tuple(self.loaded.values[f] if f else None for f in chart.totals),
                value_labels=tuple(self.figure(f).headline if f else None for f in chart.totals),
                fact_ids=tuple(chart.totals),
            )
        title = self.texts(chart.title)
        number_format, scaled = self._number_format(chart)
        axis_power, tick_affixes = self._axis(chart, scaled)
        spec = ChartSpec(
            id=chart.id,
            kind=chart.kind,
            title=title,
            caption=self.texts(chart.caption),
            alt=self._alt(chart.kind, title, categories, series + ((totals,) if totals else ()), chart.log_scale),
            categories=categories,
            series=series,
            log_scale=chart.log_scale,
            value_axis=self.texts(chart.value_axis) if chart.value_axis else None,
            axis_min=axis_min_value(self.dataset, chart) if chart.axis_min is not None else None,
            number_format=number_format,
            scaled=scaled,
            totals=totals,
            axis_power=axis_power,
            tick_affixes=tick_affixes,
            takeaway=self.fill(chart.takeaway) if chart.takeaway is not None else None,
            sources=self._chart_sources(chart),
        )
        return replace(spec, axis_label=spec.axis_title())  # written once, converted with the other texts

    def _chart_sources(self, chart: Chart) -> Texts | None:
        """``Source: …`` / ``资料来源：…``: the sources of the chart's figures, each once, in
        the order the chart first uses them."""
        refs: list[str] = []
        for fact_id in [f for s in chart.series for f in s.facts if f] + [f for f in (chart.totals or ()) if f]:
            ref = self.facts[fact_id].source.ref
            if ref not in refs:
                refs.append(ref)
        if not refs:
            return None
        sources = [next(s for s in self.dataset.sources if s.id == ref) for ref in refs]
        return self.per_lang(
            lambda lang: PATTERNS["chart_sources"][lang].format(
                sources=LIST_SEPARATOR[lang].join(self.texts(s.title).get(lang) for s in sources)
            )
        )

    def _series_labels(self, fact_ids) -> tuple[Texts | None, ...]:
        """A series' value labels, each fact's headline, with one number of decimals in
        each language among the values at one display scale: the most any of them has
        (``$18.30 billion`` beside ``$17.56 billion``), where every one of them is known
        to that detail; else each keeps its own (a value typed to one decimal is never
        printed with two, nor ``7.68 million`` cut to ``8 million``)."""
        labels = [self.figure(f).headline if f else None for f in fact_ids]
        present = [f for f in fact_ids if f]
        if len(present) < 2:
            return tuple(labels)
        per_lang: dict[str, list[str]] = {}
        for lang in self.langs:
            styles = {f: number_styles(self.loaded, self.facts[f])[lang] for f in present}
            parts = {f: rounded(self.loaded.exact[f], lang, styles[f]) for f in present}
            texts = [self.figure(f).headline.get(lang) for f in present]
            for scale in {parts[f].scale for f in present}:
                group = [f for f in present if parts[f].scale == scale]  # values at one display scale
                fractions = {f: len(parts[f].digits.partition(".")[2]) for f in group}
                most = max(fractions.values())
                power = TYPED_SCALES.get(scale, 0)
                known = min(power - max(last_digit(abs(self.loaded.exact[f])), _quantum(styles[f])) for f in group)
                if len(set(fractions.values())) == 1 or known < most:
                    continue  # alike already, or a value not known to that detail: each keeps its own
                for f in group:
                    unit = self.dataset.units[self.facts[f].unit]
                    texts[present.index(f)] = format_figure(
                        self.loaded.exact[f],
                        self.loaded.qualifiers[f],
                        unit.words(lang),
                        lang,
                        with_unit=unit.kind != "count",
                        style=replace(styles[f], digits=most, fixed=True, quantum=None),
                    )
            if texts != [self.figure(f).headline.get(lang) for f in present]:
                per_lang[lang] = texts
        if not per_lang:
            return tuple(labels)
        order = iter(range(len(present)))
        out: list[Texts | None] = []
        for label in labels:
            if label is None:
                out.append(None)
                continue
            index = next(order)
            out.append(
                Texts(tuple(Phrase(p.lang, per_lang[p.lang][index]) if p.lang in per_lang else p for p in label))
            )
        return tuple(out)

    def _axis(self, chart: Chart, scaled: bool) -> tuple[int, tuple[str, str]]:
        """The value axis' display scale (a power of ten: that of the largest value as the
        edition's first language prints it, where labels use scale words) and the text
        around each tick number: the unit's prefix and suffix where the dataset gives the
        axis no title, nothing where its title names the unit (said once)."""
        lang = self.langs[0]
        ids = [f for s in chart.series for f in s.facts if f] + [f for f in (chart.totals or ()) if f]
        power = 0
        if chart.log_scale and ids:
            # Decades apart: the smallest scale that keeps the largest tick under a million.
            largest = max(abs(self.loaded.values[f]) for f in ids)
            power = next((p for p in (0, *sorted(p for p, _w in SCALE_WORDS[lang])) if largest < 10.0 ** (p + 6)), 0)
        elif scaled and ids:
            biggest = max(ids, key=lambda f: abs(self.loaded.values[f]))
            style = number_styles(self.loaded, self.facts[biggest])[lang]
            power = TYPED_SCALES.get(rounded(self.loaded.exact[biggest], lang, style).scale, 0)
        units = {self.facts[f].unit for f in ids}
        if len(units) != 1:
            return power, ("", "")
        unit = self.dataset.units[next(iter(units))]
        words = unit.words(lang)
        suffix = ""
        if unit.kind != "count" and words.suffix:
            suffix = ("" if (lang == "zh" or words.attach) else " ") + words.suffix
        title = self.texts(chart.value_axis).get(lang) if chart.value_axis else ""
        if all(part.strip() in title for part in (words.prefix, suffix)):
            return power, ("", "")  # the axis title names the unit: said once
        return power, (words.prefix, suffix)

    def _number_format(self, chart: Chart) -> tuple[str, bool]:
        """The Excel number format of the chart's values in the edition's first language,
        and whether its labels use scale words (万, million), which a format cannot.

        The format has its unit's prefix and, for units that never leave the number (%,
        money, durations), its suffix; the fraction digits of the most detailed label;
        a true minus before the currency and ``+`` on a rise where the unit is a change:
        ``0.0"%"``, ``"+"0.0"%";"−"0.0"%";0.0"%"``, ``"$"#,##0.00;"−$"#,##0.00``.
        """
        lang = self.langs[0]
        ids = [f for s in chart.series for f in s.facts if f]
        styles = {f: number_styles(self.loaded, self.facts[f])[lang] for f in ids}
        parts = [rounded(self.loaded.exact[f], lang, styles[f]) for f in ids]
        scaled = any(p.scale for p in parts)
        # A scaled label (7.68 million) says more than 7,680,000: whole numbers then.
        digits = 0 if scaled else max((len(p.digits.partition(".")[2]) for p in parts), default=0)
        body = ("#,##0" if lang == "en" else "0") + ("." + "0" * digits if digits else "")
        units = {self.facts[f].unit for f in ids}
        prefix = suffix = ""
        if len(units) == 1:
            unit = self.dataset.units[next(iter(units))]
            words = unit.words(lang)
            prefix = words.prefix
            if unit.kind != "count" and words.suffix:
                suffix = ("" if (lang == "zh" or words.attach) else " ") + words.suffix

        def literal(text: str) -> str:
            return '"' + text.replace('"', "") + '"' if text else ""

        number = literal(prefix) + body + literal(suffix)
        negative = literal(MINUS + prefix) + body + literal(suffix)
        plus = any(style.plus for style in styles.values())
        if plus:
            return f"{literal(PLUS + prefix)}{body}{literal(suffix)};{negative};{number}", scaled
        if any(p.negative for p in parts):
            return f"{number};{negative}", scaled
        return number, scaled

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

    def timeline(self) -> Timeline | None:
        timeline = self.dataset.timeline
        if timeline is None:
            return None
        events = []
        dated = []
        for event in timeline.events:
            if event.date_of is not None:
                date = self.loaded.dates[event.date_of]
                if date is None:
                    raise UsageError(f"timeline event {event.id!r}: fact {event.date_of!r} has no date")
                derived = self.facts[event.date_of].derived is not None
            else:
                date = self.loaded.period(event.date, event.date_part)  # type: ignore[arg-type]
                derived = False
            dated.append((date, event, derived))
        dated.sort(key=lambda item: item[0].as_date())
        # A timeline over more than one calendar year names the year of the first
        # date in each year (and of every date that is not within one year).
        crosses = _spans_years([date for date, _, _ in dated])
        years_named: set[int] = set()
        for date, event, derived in dated:
            with_year = crosses and date.year not in years_named
            years_named.add(date.year)
            events.append(
                Event(
                    date=self.date_texts(date, with_year=with_year),
                    when=date.as_date(),
                    title=self.texts(event.title),
                    figures=tuple(self.figure(f) for f in event.facts),
                    derived_date=derived,
                    source_id=event.source.ref if event.source else None,
                    where=self.where(event.source) if event.source else None,
                )
            )
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
            id="timeline",
            kind="timeline",
            title=title,
            caption=self.texts(timeline.caption),
            alt=alt,
            points=points,
            months=timeline_months([p.when for p in points], self.langs, english=self.english),
        )
        return Timeline(
            title=title,
            lead=self.texts(timeline.lead) if timeline.lead else None,
            events=tuple(events),
            chart=chart,
        )

    def sources(self, timeline: Timeline | None) -> tuple[SourceEntry, ...]:
        """The sources of what the edition shows: every figure formatted so far (key
        figures, sections, charts, text, the timeline, the method), the inputs of the
        derived ones, and the timeline's events. A source backing none of them is left out."""
        shown = list(self._figures)
        for fact_id in shown:  # grows as inputs are added, so inputs of inputs come too
            derived = self.facts[fact_id].derived
            for ref in derived.from_ if derived is not None else ():
                if ref not in self._figures:
                    self.figure(ref)
                    shown.append(ref)
        events = timeline.events if timeline is not None else ()
        entries = []
        for source in self.dataset.sources:
            figures = tuple(
                sorted(
                    (self._figures[fact_id] for fact_id in shown if self.facts[fact_id].source.ref == source.id),
                    key=lambda f: f.provenance.order,
                )
            )
            backed = tuple(event for event in events if event.source_id == source.id)
            if not figures and not backed:
                continue
            original = None
            if source.language not in self.langs:
                original = Phrase(source.language, source.title.get(source.language))
            entries.append(
                SourceEntry(
                    id=source.id,
                    title=self.texts(source.title),
                    publisher=self.texts(source.publisher),
                    kind=self.texts(source.kind),
                    language=source.language,
                    url=source.url,
                    figures=figures,
                    events=backed,
                    date=self.date_texts(self.loaded.period(source.date), with_year=True) if source.date else None,
                    original_title=original,
                )
            )
        return tuple(entries)
