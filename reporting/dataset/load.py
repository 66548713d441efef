"""Loading a dataset: YAML read with line numbers, validated against the schema (:mod:`.facts`), its text
checked for hazards, references and periods checked, derived figures computed.

:func:`load_dataset` validates everything at once and raises a :class:`~reporting.errors.DataError`
naming file, line and field of each problem."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from ..errors import DataError, Problem, UsageError, display_path, format_path
from ..lang.numbers import (
    LANGS,
    TYPED_SCALES,
    NumberStyle,
    Qualifier,
    about_style,
    equal_detail,
    format_number,
    last_digit,
    rounded,
    typed_text,
)
from ..lang.numbers import exact as to_decimal
from ..lang.periods import DatePart, FiscalYearEnd, Period
from ..limits import DEFAULT_LIMITS, Limits
from .derive import resolve_values, typed_high
from .facts import (
    KIND_NAMES,
    PLACEHOLDER_FORMS,
    RECIPIENT_PLACEHOLDER,
    Dataset,
    Fact,
    Localized,
    Unit,
    digits_by_lang,
    placeholders,
)
from .facts_sheet import read_facts
from .references import references
from .sanitize import check_document
from .sheets import SUFFIXES
from .readertext import reader_texts, typed, typed_langs
from .textnumbers import dataset_dates, number_tokens, unit_letter_words
from .yaml_lines import LineIndex, read_yaml


def load_dataset(
    path: Path | str,
    *,
    overrides: Mapping[str, Any] | None = None,
    recipient: Localized | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> "LoadedDataset":
    """Read, validate and resolve a dataset file.

    ``overrides``: fact id -> value to use instead of the file's (one recipient's own
    figures, see :mod:`reporting.dataset.recipients`); derived figures are computed from
    them as from typed values, and the whole dataset is validated again with them.
    ``recipient``: the name ``{recipient:name}`` fills in narrative (kept on the result).
    ``limits``: the budgets of the files read (:mod:`reporting.limits`; the project's
    ``[limits]``), past which the file is refused before it is expanded or parsed whole.

    Raises :class:`DataError` listing every problem (YAML syntax, types, missing or
    unknown fields, missing translations, negative counts, duplicate ids, unknown
    references), each with file, line and field path.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"dataset not found: {display_path(path)}")
    shown = display_path(path)
    document, lines = read_yaml(path, shown, limits)
    if not isinstance(document, dict):
        raise DataError([Problem(shown, 1, "", "expected a mapping at the top of the dataset")])
    sheet, sheet_problems = None, []
    files = [path]
    if "facts_from" in document:
        if isinstance(document["facts_from"], str):
            files.append(path.parent / document["facts_from"])
        document, sheet, sheet_problems = _facts_from(document, path, shown, lines, limits)
    if overrides:
        document = _with_overrides(document, overrides)
    # Three stages, all run on every load so that every problem is reported at once:
    # text and number hazards, the schema, and references between items (checked on
    # the raw document, so they run even when the schema failed). A later stage does
    # not repeat a field an earlier one already reported.
    problems = check_document(document, shown, lines, limits)
    dataset = None
    try:
        dataset = Dataset.model_validate(document)
    except ValidationError as error:
        _merge(problems, _problems_from_validation(error, shown, lines, document))
    _merge(problems, _check_references(document, shown, lines))
    _merge(problems, _check_periods(document, shown, lines))
    if sheet_problems and sheet is None:  # the sheet was not read: no facts, for the reason given
        problems = [problem for problem in problems if problem.field != "facts"]
    if sheet_problems or problems or dataset is None:
        raise DataError(_located(sheet_problems + sorted(problems, key=lambda p: p.line or 0), sheet))
    resolved = resolve_values(dataset, shown, lines)
    problems = resolved.problems
    values = resolved.values
    problems += _check_magnitudes(dataset, resolved.exact, shown, lines)
    if not problems:
        problems += _check_charts(dataset, values, resolved.exact, shown, lines)
    if problems:
        raise DataError(_located(problems, sheet))
    loaded = LoadedDataset(
        path=path,
        dataset=dataset,
        values=values,
        dates=resolved.dates,
        exact=resolved.exact,
        qualifiers=resolved.qualifiers,
    )
    loaded.files = tuple(files)
    loaded.warnings = _located(_narrative_numbers(dataset, resolved.exact, resolved.qualifiers, shown, lines), sheet)
    loaded.recipient = recipient
    return loaded


def _with_overrides(document: dict, overrides: Mapping[str, Any]) -> dict:
    """``document`` with the ``value`` of each fact in ``overrides`` replaced (a copy:
    the caller's document is unchanged). Ids that are no fact are left for the caller
    to have refused (:mod:`reporting.dataset.recipients` checks them against the dataset)."""
    facts = document.get("facts")
    if not isinstance(facts, list):
        return document
    replaced = [
        ({**fact, "value": overrides[fact["id"]]} if isinstance(fact, dict) and fact.get("id") in overrides else fact)
        for fact in facts
    ]
    return {**document, "facts": replaced}


def _narrative_numbers(
    dataset: "Dataset", exact: dict[str, Decimal], qualifiers: dict[str, Qualifier], file: str, lines: "LineIndex"
) -> list[Problem]:
    """Numbers typed into any text a reader sees (:func:`~.readertext.reader_texts`:
    narrative, titles, captions, labels, legend entries, event titles ...) that are no
    figure of the dataset, no date, year, reference or name (:data:`~.textnumbers.NAME_RULE`):
    each is a warning, since verify would refuse the built output. A figure belongs in a
    ``{fact}`` placeholder (narrative) or is typed as the dataset has it; words with a
    number in them are marked ``{=Fortune 500}``."""
    known = {abs(value).normalize() for value in exact.values()}
    known |= {abs(high).normalize() for fact in dataset.facts if (high := typed_high(fact, dataset)) is not None}
    dates = dataset_dates(dataset.report.fiscal_year_style)
    printed: set[Decimal] = set()

    def is_figure(value: Decimal) -> bool:
        # As printed, too (211.92 billion is the figure 211,915 million): worked out once,
        # only when a number is no value as stored.
        if abs(value).normalize() in known:
            return True
        if not printed:
            printed.add(Decimal("NaN"))
            for fact in dataset.facts:
                if exact.get(fact.id) is not None:
                    printed.update(printed_values(exact[fact.id], dataset, fact, qualifiers.get(fact.id)))
        return abs(value).normalize() in printed

    units = unit_letter_words(
        word for unit in dataset.units.values() for word in (unit.zh, unit.en, unit.en_prefix, unit.en_singular or "")
    )
    warnings: list[Problem] = []
    for place in reader_texts(dataset):
        for lang in typed_langs(place.text):
            loc = list(place.loc) + ["zh-Hant" if lang == "zh_hant" else lang]
            try:
                text = typed(place.text.get(lang), place.kind)
            except ValueError:
                continue  # bad braces are reported as errors
            forms = set()  # one warning for each form (2024至25 holds two numbers)
            for token in number_tokens(text, dates=dates, units=units):
                if token.rule is None and not is_figure(token.value):
                    if token.form_at in forms:
                        continue
                    forms.add(token.form_at)
                    hint = (
                        "give the figure as a {fact} placeholder"
                        if place.kind == "narrative"
                        else "type a figure of the dataset as it prints"
                    )
                    form = token.form or token.text
                    # A number alone in a mark would let that number pass anywhere in an output:
                    # verify takes only words with a number as wording, so the hint says so.
                    mark = (
                        f"mark the words around it with it, as {{=… {form} …}} (a number alone is never words)"
                        if re.fullmatch(r"[\d.,%\s]+", form)
                        else f"mark words holding a number as {{={form}}}"
                    )
                    warnings.append(
                        Problem(
                            file,
                            lines.line_of(loc),
                            format_path(loc),
                            f"warning: {token.text!r} is typed into the text but is no figure of the dataset; "
                            f"{hint}, or {mark}",
                        )
                    )
    return warnings


def _check_periods(document: dict, file: str, lines: "LineIndex") -> list[Problem]:
    """Dates whose days depend on the dataset: a fiscal period (``FY2023``) needs
    ``report.fiscal_year_end``. Works on the raw document, beside the schema, so these
    are reported with the schema's problems (a date the schema refused is not repeated)."""
    problems: list[Problem] = []
    try:
        ends = FiscalYearEnd.parse(_map(document.get("report"))["fiscal_year_end"])
    except (KeyError, ValueError, TypeError):
        ends = None  # none given, or a bad one the schema reports
    dated: list[tuple[list[Any], Any]] = []
    for key in ("facts", "sources"):
        dated += [([key, i, "date"], _map(item).get("date")) for i, item in enumerate(_seq(document.get(key)))]
    events = _seq(_map(document.get("timeline")).get("events"))
    dated += [(["timeline", "events", i, "date"], _map(event).get("date")) for i, event in enumerate(events)]
    for loc, text in dated:
        if not isinstance(text, str) or "FY" not in text:
            continue  # other forms need nothing from the rest of the dataset
        try:
            Period.parse(text, ends)
        except (ValueError, OverflowError) as error:
            problems.append(Problem(file, lines.line_of(loc), format_path(loc), f"{error} (got {text!r})"))
    return problems


def _facts_from(document: dict, path: Path, shown: str, lines: "LineIndex", limits: Limits):
    """The document with the facts of its ``facts_from`` spreadsheet as its ``facts``, the
    sheet read (to place later problems in its cells) and the problems found reading it.
    A sheet that cannot be read leaves the document without facts: the problems say why
    (not once more as a missing ``facts``)."""
    value = document.get("facts_from")

    def problem(message: str) -> list[Problem]:
        return [Problem(shown, lines.line_of(["facts_from"]), "facts_from", message)]

    if "facts" in document:
        return document, None, problem("give either facts or facts_from, not both")
    if not isinstance(value, str) or not value.strip():
        return document, None, problem("the path of a spreadsheet (.xlsx or .csv), relative to this file")
    sheet_path = path.parent / value
    if sheet_path.suffix.lower() not in SUFFIXES:
        return document, None, problem(f"a spreadsheet is a .xlsx or .csv file, not {value!r}")
    if not sheet_path.is_file():
        return document, None, problem(f"file not found: {display_path(sheet_path)}")
    try:
        sheet = read_facts(sheet_path, limits=limits)
    except DataError as error:
        return document, None, error.problems
    return {**document, "facts": sheet.facts}, sheet, sheet.problems


def _located(problems: list[Problem], sheet: Any) -> list[Problem]:
    """Problems in the facts of a ``facts_from`` dataset, moved to their cells (once each)."""
    if sheet is None:
        return problems
    located: dict[tuple, Problem] = {}
    for problem in problems:
        problem = sheet.locate(problem)
        # A cell the sheet reader could not read went on as written: the schema's word on
        # it would say the same again.
        located.setdefault((problem.file, problem.line, problem.field), problem)
    return list(located.values())


def _check_charts(
    dataset: "Dataset", values: dict[str, float], exact: dict[str, Decimal], file: str, lines: "LineIndex"
) -> list[Problem]:
    """Values a chart cannot draw: zero or less on a log scale; a doughnut's negative
    shares, or no share above zero; a stacked column's total that is not its sum."""
    problems = []

    def problem(loc: list[Any], message: str) -> None:
        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    for s, section in enumerate(dataset.sections):
        for c, chart in enumerate(section.charts):
            base: list[Any] = ["sections", s, "charts", c]
            charted = [
                (["series", r, "facts", v], fact_id, values[fact_id])
                for r, series in enumerate(chart.series)
                for v, fact_id in enumerate(series.facts)
                if fact_id is not None
            ]
            for loc, fact_id, value in charted:
                if dataset.fact(fact_id).high is not None:
                    problem(
                        base + loc,
                        f"fact {fact_id!r} is a range (it has a high end), which a chart "
                        f"cannot draw as one value; chart its ends as two facts",
                    )
                elif chart.log_scale and value <= 0:
                    problem(
                        base + loc,
                        f"a log scale cannot show {value:g} (fact {fact_id!r}); "
                        f"every value must be above zero, or leave out log_scale",
                    )
                elif chart.kind == "doughnut" and value < 0:
                    problem(base + loc, f"a doughnut cannot show a negative share ({value:g}, fact {fact_id!r})")
            if chart.axis_min is not None and chart.kind != "line":
                problem(
                    base + ["axis_min"],
                    f"only a line chart sets axis_min: a {chart.kind.replace('_', ' ')} "
                    f"chart starts at zero, as the length of a bar is its value",
                )
            elif chart.axis_min is not None and charted:
                low = axis_min_value(dataset, chart)
                smallest = min(charted, key=lambda item: item[2])
                if chart.log_scale and low <= 0:
                    problem(
                        base + ["axis_min"], f"a log scale cannot start at {chart.axis_min:g}; give a value above zero"
                    )
                elif low > smallest[2]:
                    problem(
                        base + ["axis_min"],
                        f"axis_min {chart.axis_min:g} is above the chart's smallest "
                        f"value (fact {smallest[1]!r}), which would be drawn outside the chart",
                    )
            for t, total_id in enumerate(chart.totals):
                if total_id is not None:
                    mismatch = _total_mismatch(chart, t, total_id, exact)
                    if mismatch:
                        problem(base + ["totals", t], mismatch)
            if not charted:
                problem(base + ["series"], "the chart has no values (every fact is null)")
            elif chart.kind == "doughnut" and not any(value > 0 for _, _, value in charted):
                problem(base + ["series"], "a doughnut needs at least one value above zero")
    return problems


def _total_mismatch(chart, column: int, total_id: str, exact: dict[str, Decimal]) -> str | None:
    """Why fact ``total_id`` cannot be the total of ``chart``'s column ``column``, or None.

    A published total and its parts are often rounded separately (segments of 1.24 and
    2.24 under a total of 3.5): they agree when they differ by no more than half a unit
    of the last digit typed of each of them, added up."""
    parts = [series.facts[column] for series in chart.series if series.facts[column] is not None]
    total = exact[total_id]
    summed = sum((exact[part] for part in parts), Decimal(0))
    slack = sum((Decimal(5).scaleb(last_digit(exact[f]) - 1) for f in [total_id, *parts]), Decimal(0))
    if abs(total - summed) <= slack:
        return None
    return (
        f"the total {typed_text(total)} (fact {total_id!r}) is not the sum of its column's "
        f"{len(parts)} segment{'s' if len(parts) != 1 else ''}, {typed_text(summed)}: "
        f"give the fact that is their total, or correct a segment"
    )


def axis_min_value(dataset: "Dataset", chart) -> float:
    """A chart's ``axis_min`` as a value (typed in the scale of its first fact's unit:
    ``1`` in a unit of scale 亿 is 10^8)."""
    units = {fact.id: fact.unit for fact in dataset.facts}
    first = next(f for series in chart.series for f in series.facts if f is not None)
    unit = dataset.units.get(units.get(first, ""))
    return chart.axis_min * (unit.multiplier if unit is not None else 1)


def _merge(problems: list[Problem], later: list[Problem]) -> None:
    """Add a later stage's problems, leaving out fields an earlier stage already named."""
    named = {problem.field for problem in problems if problem.field}
    problems.extend(problem for problem in later if problem.field not in named)


LARGEST_FIGURE = 1e15
"""Figures (given or derived) stay below 10^15 (1000 trillion, 1000万亿): larger ones
cannot be written in the press style's words and lose digits as floating point."""


def _check_magnitudes(dataset: "Dataset", values: dict[str, Decimal], file: str, lines: "LineIndex") -> list[Problem]:
    problems = []
    for index, fact in enumerate(dataset.facts):
        value = values.get(fact.id)
        if value is None:
            continue
        loc: list[Any] = ["facts", index, "value" if fact.derived is None else "derived"]
        if abs(value) >= LARGEST_FIGURE:
            if fact.derived is not None:  # given values are checked with the references
                problems.append(
                    Problem(
                        file,
                        lines.line_of(loc),
                        format_path(loc),
                        f"the figure is derived as {typed_text(value)}; figures must stay below 10^15 in size",
                    )
                )
            continue
        unit = dataset.units[fact.unit]
        styles = equal_detail(
            value, fact_digits(fact, unit, "precision"), fact_digits(fact, unit, "decimals"), kind=unit.kind
        )
        zero = [lang for lang, style in styles.items() if value != 0 and rounded(value, lang, style).zero]
        if zero:
            problems.append(
                Problem(
                    file,
                    lines.line_of(loc),
                    format_path(loc),
                    f"the figure {typed_text(value)} prints as 0 with the precision set; "
                    f"give it more fraction digits ('precision', at most 4) or check the value",
                )
            )
    return problems


def fact_digits(fact: "Fact", unit: Unit, setting: str) -> dict[str, int | None]:
    """A fact's ``precision`` or ``decimals`` per language: the fact's, else its unit's."""
    own, inherited = digits_by_lang(getattr(fact, setting)), digits_by_lang(getattr(unit, setting))
    return {lang: own[lang] if own[lang] is not None else inherited[lang] for lang in own}


def figure_styles(
    value: Decimal, dataset: "Dataset", fact: "Fact", qualifier: Qualifier | None = None
) -> dict[str, NumberStyle]:
    """How each language writes ``fact``'s number ``value``, the one decision every output
    and ``verify`` share: its own or its unit's precision and decimals, else the same
    detail in every language (money: two decimals at most in each); a change with ``+`` on
    a rise. A derived figure that is ``about`` (``qualifier``, worked out from approximate
    inputs) is rounded as a person would say it (:func:`~reporting.lang.numbers.about_style`)."""
    unit = dataset.units[fact.unit]
    plus = fact.change if fact.change is not None else unit.change
    styles = equal_detail(
        value, fact_digits(fact, unit, "precision"), fact_digits(fact, unit, "decimals"), plus=plus, kind=unit.kind
    )
    if fact.derived is not None and (qualifier or fact.qualifier) is Qualifier.ABOUT:
        styles = {lang: about_style(value, lang, style) for lang, style in styles.items()}
    return styles


def printed_values(
    value: Decimal, dataset: "Dataset", fact: "Fact", qualifier: Qualifier | None = None
) -> set[Decimal]:
    """The values ``fact`` (of ``value``) reads as once printed, in every language, without
    its sign: 211,915 million prints as 211.92 billion and 2119.15亿, in the styles of
    :func:`figure_styles`."""
    styles = figure_styles(value, dataset, fact, qualifier)
    values = {abs(value).normalize()}
    for lang in LANGS:
        shown = format_number(value, lang, styles[lang], signed=False)
        values |= {token.value for token in number_tokens(shown)}
    return values


class LoadedDataset:
    """A validated dataset with every figure's value (derived ones computed) and date."""

    def __init__(
        self,
        path: Path,
        dataset: Dataset,
        values: dict[str, float],
        dates: dict[str, Period | None],
        exact: dict[str, Decimal] | None = None,
        qualifiers: dict[str, Qualifier] | None = None,
    ):
        self.path = path
        self.dataset = dataset
        self.values = values
        """Every figure's value as a float (for charts)."""
        self.dates = dates
        self.exact = exact if exact is not None else {k: to_decimal(v) for k, v in values.items()}
        """Every figure's exact value: what is formatted and rounded."""
        self.qualifiers = qualifiers if qualifiers is not None else {f.id: f.qualifier for f in dataset.facts}
        """Every figure's qualifier; a derived one as loose as its loosest input."""
        self.recipient: Localized | None = None
        """Whom this dataset was loaded for (a batch's recipient): the name
        ``{recipient:name}`` gives; None outside a batch."""
        self.files: tuple[Path, ...] = (path,)
        """Every file the dataset was read from: its own, and its ``facts_from`` spreadsheet."""
        self.warnings: list[Problem] = []
        """What the loader warns about without refusing the dataset (a number typed into
        narrative that no fact has), each as ``FILE:LINE: field: warning: ...``."""

    def period(self, text: str, part: DatePart | None = None) -> Period:
        """A date of this dataset (an event's, a source's) as a period; fiscal periods
        follow the dataset's ``report.fiscal_year_end``."""
        return Period.parse(text, self.dataset.report.fiscal_ends).with_part(part)

    @property
    def facts(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.dataset.facts}


_PYDANTIC_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not part of the schema)",
}


def _problems_from_validation(
    error: ValidationError, file: str, lines: "LineIndex", document: Any = None
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if not _is_union_tag(part)]
        field = format_path(loc)
        message = _PYDANTIC_MESSAGES.get(item["type"], item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing" and loc and loc[-1] in ("zh", "en"):
            message = f"missing translation: the {'Chinese' if loc[-1] == 'zh' else 'English'} text is required"
        elif item["type"] == "extra_forbidden" and _split_text(document, loc):
            message = (
                f"unknown field {loc[-1]!r}: text holding ',' or ': ' inside {{zh: …, en: …}} must be "
                f"quoted, or YAML reads what follows as another field: "
                f'en: "…, {loc[-1]}"'
            )
        elif (
            "got " not in message
            and item["type"] not in _PYDANTIC_MESSAGES
            and "input" in item
            and not isinstance(item["input"], (dict, list))
        ):
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

    def typed(loc: list[Any]) -> str:
        """The value at ``loc`` as the file has it."""
        return lines.text_of(loc) or _typed(_map(_seq(document.get("facts"))[loc[1]]).get(loc[2]))

    def unique(items: Any, key: list[Any], what: str) -> set[str]:
        seen: dict[str, int] = {}
        for index, item in enumerate(_seq(items)):
            ident = _str(_map(item).get("id"))
            if ident is None:
                continue
            if ident in seen:
                problem(
                    [*key, index, "id"], f"duplicate {what} id {ident!r} (first at {format_path(key)}[{seen[ident]}])"
                )
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

    def source_ref(loc: list[Any], ref: Any) -> None:
        ref = _str(ref)
        if check_sources and ref is not None and ref not in source_ids:
            problem(loc, f"no source has the id {ref!r}")

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
                if (fact_id, form) == RECIPIENT_PLACEHOLDER:
                    continue  # filled per recipient by make-report batch
                fact_ref(loc + [lang], fact_id)
                if form not in PLACEHOLDER_FORMS:
                    problem(
                        loc + [lang],
                        f"unknown placeholder form {form!r} in {{{fact_id}:{form}}}; "
                        f"use one of: {', '.join(f for f in PLACEHOLDER_FORMS if f)}",
                    )

    source_paragraphs: dict[str, int] = {}
    for source in sources:
        source = _map(source)
        if _str(source.get("id")) is not None and _int(source.get("paragraphs")) is not None:
            source_paragraphs.setdefault(source["id"], source["paragraphs"])
    for index, fact in enumerate(facts):
        fact = _map(fact)
        unit_id, value = _str(fact.get("unit")), _number(fact.get("value"))
        if isinstance(units, dict) and unit_id is not None:
            if unit_id not in units:
                problem(
                    ["facts", index, "unit"],
                    f"unknown unit {unit_id!r}; defined units: {', '.join(sorted(map(str, units)))}",
                )
            elif value is not None and value < 0 and _map(units[unit_id]).get("signed") is not True:
                kind = _map(units[unit_id]).get("kind", "count")
                problem(
                    ["facts", index, "value"],
                    f"{KIND_NAMES.get(kind, 'a count') if isinstance(kind, str) else 'a count'} cannot be "
                    f"negative (got {typed(['facts', index, 'value'])}); "
                    f"mark the unit 'signed: true' if negative values are meant",
                )
        scale = _map(units[unit_id]).get("scale") if isinstance(units, dict) and unit_id in units else None
        scaled = value * 10 ** TYPED_SCALES[scale] if value is not None and scale in TYPED_SCALES else value
        if scaled is not None and not math.isnan(scaled) and abs(scaled) >= LARGEST_FIGURE:
            shown = typed(["facts", index, "value"]) + (str(scale) if scaled != value else "")
            problem(["facts", index, "value"], f"the figure is {shown}; figures must stay below 10^15 in size")
        source = _map(fact.get("source"))
        paragraph, ref = _int(source.get("paragraph")), _str(source.get("ref"))
        if paragraph is not None and ref in source_paragraphs and paragraph > source_paragraphs[ref]:
            problem(
                ["facts", index, "source", "paragraph"],
                f"source {ref!r} has {source_paragraphs[ref]} paragraphs, not {paragraph}",
            )
    # Every reference the schema declares (FactId, SourceId, FilledText: .references).
    check = {"fact": fact_ref, "source": source_ref, "text": text_refs}
    for reference in references(Dataset, document):
        check[reference.kind](list(reference.loc), reference.value)
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


def _typed(node: Any) -> str:
    """A value as the message shows it: as typed, not in exponent form."""
    try:
        return typed_text(node)
    except (TypeError, ValueError, OverflowError):
        return _short(node)


def _closest(name: str, choices: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return matches[0] if matches else None
