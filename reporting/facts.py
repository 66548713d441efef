"""The facts dataset: typed schema (pydantic) and a YAML loader with line numbers.

A dataset holds an organisation's facts once: every figure with its unit,
qualifier, date, bilingual label, source paragraph and, for derived figures, how
it was derived. Narrative text refers to figures by id (``{mau}``), so no number
is typed twice. :func:`load_dataset` validates everything at once and raises a
:class:`~reporting.errors.DataError` naming file, line and field of each problem.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import string
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import DataError, Problem, UsageError, display_path, format_path
from .i18n import DatePart, PartialDate, Qualifier, UnitWords

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


def _date_text(value: Any) -> Any:
    """YAML reads 2020-01-31 as a date and 2020 as an int: accept both, keep ISO text."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        try:
            PartialDate.parse(value)
        except OverflowError:  # pydantic reports ValueError only; a year of 2147483648 overflows
            raise ValueError(f"the year is out of range (got {value!r})") from None
    return value


DateText = Annotated[str, BeforeValidator(_date_text)]


class Strict(BaseModel):
    """Base for every schema model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """The same text in Simplified Chinese and English; both are required."""

    zh: Text
    en: Text

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class Unit(Strict):
    """How a figure's unit is written: ``{zh: 篇, en: notes}``, ``{zh: 元, en_prefix: "RMB "}``."""

    zh: str = Field("", description="Suffix in Chinese, attached to the number (篇, 元, %)")
    en: str = Field("", description="Suffix in English (notes, %)")
    en_singular: str | None = Field(None, description="English suffix for exactly one")
    en_prefix: str = Field("", description="Prefix in English, e.g. 'RMB '")
    attach: bool = Field(False, description="English suffix follows the number with no space (%)")
    signed: bool = Field(False, description="Values may be negative (changes, balances)")
    kind: Literal["count", "currency", "percent", "duration"] = Field(
        "count",
        description="Counts name their noun in the label, so tiles show the bare number; "
        "currencies, percentages and durations always keep their unit",
    )

    def words(self, lang: str) -> UnitWords:
        if lang == "zh":
            return UnitWords(suffix=self.zh, attach=True)
        return UnitWords(
            suffix=self.en, prefix=self.en_prefix, attach=self.attach, singular=self.en_singular
        )


class SourceRef(Strict):
    """Where a figure is stated: a source id and the paragraph number in it (1-based)."""

    ref: Id
    paragraph: int = Field(ge=1)


class Derivation(Strict):
    """How a derived figure is computed from other facts.

    ``sum`` adds ``from``; ``difference`` is the first minus the rest; ``percent_of``
    takes ``from[1]`` percent of ``from[0]``; ``share`` is ``from[0]`` as a percentage
    of ``from[1]``; ``before_growth`` is the value before growth of ``from[1]`` percent
    led to ``from[0]``; ``date_after`` derives only the date: the date of ``from[0]``
    plus ``from[1]`` days (the value is given).
    """

    method: Literal["sum", "difference", "percent_of", "share", "before_growth", "date_after"]
    from_: list[Id] = Field(alias="from", min_length=1)
    note: Localized

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Fact(Strict):
    """One figure: value, unit, qualifier, date, label, source; derived figures say how."""

    id: Id
    value: float | None = Field(None, description="Omitted for derived figures, which are computed")
    unit: Id
    qualifier: Qualifier = Qualifier.EXACT
    date: DateText | None = Field(None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    date_part: DatePart | None = Field(None, description="early, mid or late in the month")
    label: Localized
    source: SourceRef
    derived: Derivation | None = None
    items: list[Localized] = Field(
        [], description="What is counted, when named (brands, partners); the value defaults to their number"
    )
    precision: int = Field(2, ge=0, le=4, description="Most fraction digits shown")

    @model_validator(mode="after")
    def _value_or_derivation(self) -> "Fact":
        if self.value is None and self.derived is None and not self.items:
            raise ValueError("a fact needs a value, a 'derived' rule or named 'items'")
        if self.items and self.value is not None and self.value != len(self.items):
            raise ValueError(f"value {self.value:g} does not match the {len(self.items)} named items")
        return self

    @property
    def partial_date(self) -> PartialDate | None:
        if self.date is None:
            return None
        return PartialDate.parse(self.date).with_part(self.date_part)


class Source(Strict):
    id: Id
    title: Localized
    publisher: Localized
    kind: Localized = Field(description="What the source is, e.g. press article")
    language: Literal["zh", "en"]
    date: DateText | None = None
    url: str | None = None
    paragraphs: int | None = Field(None, ge=1, description="How many paragraphs it has")


class Category(Strict):
    """One point on a chart's category axis: a label, or the label or date of a fact."""

    label: Localized | None = None
    label_of: Id | None = None
    date_of: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Category":
        given = [k for k in ("label", "label_of", "date_of") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of label, label_of, date_of")
        return self


class Series(Strict):
    name: Localized
    facts: list[Id | None] = Field(description="One fact id per category; null for no value")


class Chart(Strict):
    """A chart drawn from facts: one value per category and series."""

    id: Id
    kind: Literal["bar", "column", "stacked_column", "line", "doughnut"]
    title: Localized
    caption: Localized
    categories: list[Category] = []
    series: list[Series] = []
    log_scale: bool = False
    value_axis: Localized | None = None

    @model_validator(mode="after")
    def _shape(self) -> "Chart":
        if not self.categories or not self.series:
            raise ValueError("a chart needs categories and at least one series")
        for number, series in enumerate(self.series):
            if len(series.facts) != len(self.categories):
                raise ValueError(
                    f"series {number} has {len(series.facts)} values for "
                    f"{len(self.categories)} categories"
                )
        if self.kind == "doughnut" and len(self.series) != 1:
            raise ValueError("a doughnut chart has exactly one series")
        if self.log_scale and self.kind in ("stacked_column", "doughnut"):
            raise ValueError(f"a {self.kind.replace('_', ' ')} chart cannot use a log scale "
                             f"(its parts add up, which a log scale hides)")
        return self


class Paragraph(Strict):
    """A paragraph of narrative; ``{fact_id}`` placeholders are filled with formatted figures."""

    text: Localized
    depth: Literal["summary", "full"] = Field(
        "full", description="summary paragraphs appear in every depth; full ones only in full briefs"
    )


class Section(Strict):
    id: Id
    title: Localized
    lead: Localized = Field(description="One or two sentences that open the section")
    paragraphs: list[Paragraph] = Field(min_length=1)
    facts: list[Id] = Field([], description="Figures listed beside the narrative")
    charts: list[Chart] = []
    points: list[Localized] = Field([], description="Three to five talking points for slides")
    tags: list[Id] = Field([], description="Topics, used by audiences to pick sections")


class Event(Strict):
    """A dated event; its date is given, or taken from a fact (``date_of``)."""

    id: Id
    date: DateText | None = None
    date_part: DatePart | None = None
    date_of: Id | None = None
    title: Localized
    facts: list[Id] = []
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _one_date(self) -> "Event":
        if (self.date is None) == (self.date_of is None):
            raise ValueError("give exactly one of date, date_of")
        return self


class Timeline(Strict):
    """Dated events; the brief draws them as a timeline chart with this caption."""

    title: Localized
    lead: Localized | None = None
    caption: Localized
    events: list[Event] = Field(min_length=1)


class ReportInfo(Strict):
    id: Slug = Field(description="Short name used in output file names")
    title: Localized
    subtitle: Localized
    organisation: Localized
    period: Localized
    author: Localized
    date: DateText = Field(description="Publication date (YYYY-MM-DD): the report's date on covers")

    @field_validator("date")
    @classmethod
    def _date_is_day(cls, value: str) -> str:
        if PartialDate.parse(value).precision.value != "day":
            raise ValueError("the report date needs year, month and day")
        return value


class Dataset(Strict):
    """A whole dataset file."""

    schema_version: Literal[1] = 1
    report: ReportInfo
    sources: list[Source] = Field(min_length=1)
    units: dict[Id, Unit]
    facts: list[Fact] = Field(min_length=1)
    key_figures: list[Id] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    timeline: Timeline | None = None
    method: list[Localized] = Field([], description="Paragraphs on how figures were gathered")

    def fact(self, fact_id: str) -> Fact:
        return self._facts_by_id()[fact_id]

    def _facts_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a dataset file, for editors that check YAML as it is typed."""
    schema = Dataset.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Report facts dataset"
    return schema


# --------------------------------------------------------------------------- loading


def load_dataset(path: Path | str) -> "LoadedDataset":
    """Read, validate and resolve a dataset file.

    Raises :class:`DataError` listing every problem (YAML syntax, types, missing or
    unknown fields, missing translations, negative counts, duplicate ids, unknown
    references), each with file, line and field path.
    """
    from .yaml_lines import LineIndex, read_yaml

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"dataset not found: {display_path(path)}")
    shown = display_path(path)
    document, lines = read_yaml(path, shown)
    if not isinstance(document, dict):
        raise DataError([Problem(shown, 1, "", "expected a mapping at the top of the dataset")])
    from .sanitize import check_document

    # Three stages, all run on every load so that every problem is reported at once:
    # text and number hazards, the schema, and references between items (checked on
    # the raw document, so they run even when the schema failed). A later stage does
    # not repeat a field an earlier one already reported.
    problems = check_document(document, shown, lines)
    dataset = None
    try:
        dataset = Dataset.model_validate(document)
    except ValidationError as error:
        _merge(problems, _problems_from_validation(error, shown, lines, document))
    _merge(problems, _check_references(document, shown, lines))
    if problems or dataset is None:
        raise DataError(sorted(problems, key=lambda p: p.line or 0))
    from .derive import resolve_values

    values, dates, problems = resolve_values(dataset, shown, lines)
    problems += _check_magnitudes(dataset, values, shown, lines)
    if not problems:
        problems += _check_charts(dataset, values, shown, lines)
    if problems:
        raise DataError(problems)
    return LoadedDataset(path=path, dataset=dataset, values=values, dates=dates)


def _check_charts(dataset: "Dataset", values: dict[str, float], file: str, lines: "LineIndex") -> list[Problem]:
    """Values a chart cannot draw: zero or less on a log scale; a doughnut's negative
    shares, or no share above zero."""
    problems = []

    def problem(loc: list[Any], message: str) -> None:
        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    for s, section in enumerate(dataset.sections):
        for c, chart in enumerate(section.charts):
            base: list[Any] = ["sections", s, "charts", c]
            charted = [(["series", r, "facts", v], fact_id, values[fact_id])
                       for r, series in enumerate(chart.series)
                       for v, fact_id in enumerate(series.facts) if fact_id is not None]
            for loc, fact_id, value in charted:
                if chart.log_scale and value <= 0:
                    problem(base + loc, f"a log scale cannot show {value:g} (fact {fact_id!r}); "
                            f"every value must be above zero, or leave out log_scale")
                elif chart.kind == "doughnut" and value < 0:
                    problem(base + loc, f"a doughnut cannot show a negative share ({value:g}, fact {fact_id!r})")
            if not charted:
                problem(base + ["series"], "the chart has no values (every fact is null)")
            elif chart.kind == "doughnut" and not any(value > 0 for _, _, value in charted):
                problem(base + ["series"], "a doughnut needs at least one value above zero")
    return problems


def _merge(problems: list[Problem], later: list[Problem]) -> None:
    """Add a later stage's problems, leaving out fields an earlier stage already named."""
    named = {problem.field for problem in problems if problem.field}
    problems.extend(problem for problem in later if problem.field not in named)


LARGEST_FIGURE = 1e15
"""Figures (given or derived) stay below 10^15 (1000 trillion, 1000万亿): larger ones
cannot be written in the press style's words and lose digits as floating point."""


def _check_magnitudes(dataset: "Dataset", values: dict[str, float], file: str, lines: "LineIndex") -> list[Problem]:
    problems = []
    for index, fact in enumerate(dataset.facts):
        value = values.get(fact.id)
        if value is not None and math.isfinite(value) and value != 0 and round(value, fact.precision) == 0:
            loc = ["facts", index, "value" if fact.derived is None else "derived"]
            problems.append(Problem(file, lines.line_of(loc), format_path(loc),
                                    f"the figure {value:g} prints as 0 with precision {fact.precision}; "
                                    f"give it more fraction digits ('precision', at most 4) or check the value"))
            continue
        if fact.derived is None or value is None or (math.isfinite(value) and abs(value) < LARGEST_FIGURE):
            continue  # given values are checked with the references
        loc: list[Any] = ["facts", index, "derived"]
        shown = f"{value:g}" if math.isfinite(value) else "an infinite value"
        problems.append(Problem(file, lines.line_of(loc), format_path(loc),
                                f"the figure is derived as {shown}; figures must stay below 10^15 in size"))
    return problems


class LoadedDataset:
    """A validated dataset with every figure's value (derived ones computed) and date."""

    def __init__(
        self,
        path: Path,
        dataset: Dataset,
        values: dict[str, float],
        dates: dict[str, PartialDate | None],
    ):
        self.path = path
        self.dataset = dataset
        self.values = values
        self.dates = dates

    @property
    def facts(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.dataset.facts}


_PYDANTIC_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not part of the schema)",
}


def _problems_from_validation(error: ValidationError, file: str, lines: "LineIndex",
                              document: Any = None) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if not _is_union_tag(part)]
        field = format_path(loc)
        message = _PYDANTIC_MESSAGES.get(item["type"], item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing" and loc and loc[-1] in ("zh", "en"):
            message = f"missing translation: the {'Chinese' if loc[-1] == 'zh' else 'English'} text is required"
        elif item["type"] == "extra_forbidden" and _split_text(document, loc):
            message = (f"unknown field {loc[-1]!r}: text holding ',' or ': ' inside {{zh: …, en: …}} must be "
                       f"quoted, or YAML reads what follows as another field: "
                       f"en: \"…, {loc[-1]}\"")
        elif ("got " not in message and item["type"] not in _PYDANTIC_MESSAGES and "input" in item
              and not isinstance(item["input"], (dict, list))):
            # (a whole mapping as "input" says nothing the field path does not)
            message = f"{message} (got {_short(item['input'])})"
        problems.append(Problem(file, lines.line_of(loc), field, message))
    return problems


def _split_text(document: Any, loc: list[Any]) -> bool:
    """True when ``loc`` is a key without a value beside ``zh``/``en``: what YAML makes of
    ``{zh: 投资与贸易, en: Investment, trade}``, whose unquoted ',' ends the text."""
    node = document
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, dict) and bool({"zh", "en"} & set(node)) and node.get(loc[-1], "") is None


def _is_union_tag(part: Any) -> bool:
    # pydantic adds a union member's or validator's name to the location
    # ("float", "function-after[...]"); they are not fields the user wrote.
    return isinstance(part, str) and (part in {"float", "int", "str", "bool"} or "[" in part)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_FORMATTER = string.Formatter()
PLACEHOLDER_FORMS = ("", "number", "date", "label")


def placeholders(text: str) -> list[tuple[str, str]]:
    """``(fact_id, form)`` for every ``{fact_id}`` or ``{fact_id:form}`` in ``text``.

    Raises ``ValueError`` for unbalanced braces (``{{`` and ``}}`` are literal).
    """
    found = []
    for _literal, name, spec, _conversion in _FORMATTER.parse(text):
        if name is not None:
            found.append((name, spec or ""))
    return found


def _check_references(document: dict, file: str, lines: "LineIndex") -> list[Problem]:
    """Duplicate ids, references to facts, units and sources that do not exist, negative
    counts and figures too large to print.

    Works on the raw YAML document, tolerating anything the schema refuses (a part of
    the wrong type is skipped, not reported twice), so that these problems are found
    together with the schema's.
    """
    problems: list[Problem] = []

    def problem(loc: list[Any], message: str) -> None:
        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    def unique(items: Any, key: list[Any], what: str) -> set[str]:
        seen: dict[str, int] = {}
        for index, item in enumerate(_seq(items)):
            ident = _str(_map(item).get("id"))
            if ident is None:
                continue
            if ident in seen:
                problem([*key, index, "id"],
                        f"duplicate {what} id {ident!r} (first at {format_path(key)}[{seen[ident]}])")
            else:
                seen[ident] = index
        return set(seen)

    facts = _seq(document.get("facts"))
    sources = _seq(document.get("sources"))
    units = document.get("units")
    timeline = _map(document.get("timeline"))
    fact_ids = unique(facts, ["facts"], "fact")
    source_ids = unique(sources, ["sources"], "source")
    unique(document.get("sections"), ["sections"], "section")
    unique(timeline.get("events"), ["timeline", "events"], "event")
    known_facts = ", ".join(sorted(fact_ids)) if len(fact_ids) <= 12 else f"{len(fact_ids)} facts"
    # References are checked only against a list that is there: a missing or broken
    # list is the schema's problem, not one per reference.
    check_facts = isinstance(document.get("facts"), list)
    check_sources = isinstance(document.get("sources"), list)

    def fact_ref(loc: list[Any], fact_id: Any) -> None:
        fact_id = _str(fact_id)
        if check_facts and fact_id is not None and fact_id not in fact_ids:
            suggestion = _closest(fact_id, fact_ids)
            hint = f"; did you mean {suggestion!r}?" if suggestion else f" (known: {known_facts})"
            problem(loc, f"no fact has the id {fact_id!r}{hint}")

    def source_ref(loc: list[Any], source: Any) -> None:
        ref = _str(_map(source).get("ref"))
        if check_sources and ref is not None and ref not in source_ids:
            problem([*loc, "ref"], f"no source has the id {ref!r}")

    def text_refs(loc: list[Any], text: Any) -> None:
        for lang in ("zh", "en"):
            value = _str(_map(text).get(lang))
            if value is None:
                continue
            try:
                found = placeholders(value)
            except ValueError as error:
                problem(loc + [lang], f"bad placeholder: {error} (write {{{{ and }}}} for literal braces)")
                continue
            for fact_id, form in found:
                fact_ref(loc + [lang], fact_id)
                if form not in PLACEHOLDER_FORMS:
                    problem(loc + [lang], f"unknown placeholder form {form!r} in {{{fact_id}:{form}}}; "
                            f"use one of: number, date, label")

    source_paragraphs = {}
    for source in sources:
        source = _map(source)
        if _str(source.get("id")) is not None and _int(source.get("paragraphs")) is not None:
            source_paragraphs.setdefault(source["id"], source["paragraphs"])
    for index, fact in enumerate(facts):
        fact = _map(fact)
        unit_id, value = _str(fact.get("unit")), _number(fact.get("value"))
        if isinstance(units, dict) and unit_id is not None:
            if unit_id not in units:
                problem(["facts", index, "unit"], f"unknown unit {unit_id!r}; defined units: {', '.join(sorted(map(str, units)))}")
            elif value is not None and value < 0 and _map(units[unit_id]).get("signed") is not True:
                problem(["facts", index, "value"], f"a count cannot be negative (got {value:g}); "
                        f"mark the unit 'signed: true' if negative values are meant")
        if value is not None and not math.isnan(value) and abs(value) >= LARGEST_FIGURE:
            shown = f"{value:g}" if math.isfinite(value) else _short(fact.get("value"))
            problem(["facts", index, "value"], f"the figure is {shown}; figures must stay below 10^15 in size")
        source = _map(fact.get("source"))
        source_ref(["facts", index, "source"], source)
        paragraph, ref = _int(source.get("paragraph")), _str(source.get("ref"))
        if paragraph is not None and ref in source_paragraphs and paragraph > source_paragraphs[ref]:
            problem(["facts", index, "source", "paragraph"],
                    f"source {ref!r} has {source_paragraphs[ref]} paragraphs, not {paragraph}")
        derived = _map(fact.get("derived"))
        for position, ref in enumerate(_seq(derived.get("from"))):
            fact_ref(["facts", index, "derived", "from", position], ref)
        text_refs(["facts", index, "derived", "note"], derived.get("note"))
    for index, fact_id in enumerate(_seq(document.get("key_figures"))):
        fact_ref(["key_figures", index], fact_id)
    for s, section in enumerate(_seq(document.get("sections"))):
        section = _map(section)
        base: list[Any] = ["sections", s]
        text_refs(base + ["lead"], section.get("lead"))
        for p, paragraph in enumerate(_seq(section.get("paragraphs"))):
            text_refs(base + ["paragraphs", p, "text"], _map(paragraph).get("text"))
        for p, point in enumerate(_seq(section.get("points"))):
            text_refs(base + ["points", p], point)
        for f, fact_id in enumerate(_seq(section.get("facts"))):
            fact_ref(base + ["facts", f], fact_id)
        for c, chart in enumerate(_seq(section.get("charts"))):
            chart = _map(chart)
            for k, category in enumerate(_seq(chart.get("categories"))):
                category = _map(category)
                fact_ref(base + ["charts", c, "categories", k, "label_of"], category.get("label_of"))
                fact_ref(base + ["charts", c, "categories", k, "date_of"], category.get("date_of"))
            for r, series in enumerate(_seq(chart.get("series"))):
                for v, fact_id in enumerate(_seq(_map(series).get("facts"))):
                    fact_ref(base + ["charts", c, "series", r, "facts", v], fact_id)
    for e, event in enumerate(_seq(timeline.get("events"))):
        event = _map(event)
        base = ["timeline", "events", e]
        fact_ref(base + ["date_of"], event.get("date_of"))
        for f, fact_id in enumerate(_seq(event.get("facts"))):
            fact_ref(base + ["facts", f], fact_id)
        source_ref(base + ["source"], event.get("source"))
    for m, paragraph in enumerate(_seq(document.get("method"))):
        text_refs(["method", m], paragraph)
    return problems


def _map(node: Any) -> dict:
    return node if isinstance(node, dict) else {}


def _seq(node: Any) -> list:
    return node if isinstance(node, list) else []


def _str(node: Any) -> str | None:
    return node if isinstance(node, str) else None


def _int(node: Any) -> int | None:
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def _number(node: Any) -> float | None:
    if not isinstance(node, (int, float)) or isinstance(node, bool):
        return None
    try:
        return float(node)
    except OverflowError:  # an integer beyond the float range
        return math.inf if node > 0 else -math.inf


def _closest(name: str, choices: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return matches[0] if matches else None


def write_json_schema(path: Path) -> None:
    """Write the dataset JSON Schema (``data/dataset.schema.json``)."""
    path.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

