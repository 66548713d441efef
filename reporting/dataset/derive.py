"""Compute derived figures from the facts they are derived from.

A derived figure is never typed: its value (or date) follows from other facts by a
named method, so it cannot drift from them. Values are exact decimals (a typed
value times its unit's scale); a derived figure is as loose as the loosest of its
inputs (``about`` in, ``about`` out) unless it states its own bound, and its result must fit its unit's kind: a
share or a growth is a percentage, the difference of two percentages is percentage
points, money stays money.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Any

from ..errors import Problem, format_path
from ..lang.numbers import Qualifier, exact, loosest, typed_text
from ..lang.periods import Period
from .facts import KIND_NAMES, Dataset, Fact
from .yaml_lines import LineIndex

PRECISION = 34
"""Significant digits of derived values (ratios, growth): far beyond any printed figure."""


@dataclass
class Resolved:
    """Every fact's exact value, date and qualifier (derived ones computed)."""

    exact: dict[str, Decimal]
    dates: dict[str, Period | None]
    qualifiers: dict[str, Qualifier]
    problems: list[Problem]

    @property
    def values(self) -> dict[str, float]:
        return {fact_id: float(value) for fact_id, value in self.exact.items()}


def typed_value(fact: "Fact", dataset: "Dataset") -> Decimal:
    """A fact's value as typed, times its unit's scale (``1260582`` in 亿元 is 1.260582×10¹⁴)."""
    unit = dataset.units.get(fact.unit)
    multiplier = unit.multiplier if unit is not None else 1
    return exact(fact.value) * multiplier  # type: ignore[arg-type]


def typed_high(fact: "Fact", dataset: "Dataset") -> Decimal | None:
    """The high end of a range fact, times its unit's scale; None for a single figure."""
    if fact.high is None:
        return None
    unit = dataset.units.get(fact.unit)
    return exact(fact.high) * (unit.multiplier if unit is not None else 1)


def resolve_values(dataset: "Dataset", file: str, lines: "LineIndex") -> Resolved:
    """Every fact's value, date and qualifier, derived ones computed in dependency order."""
    facts = {fact.id: fact for fact in dataset.facts}
    index_of = {fact.id: i for i, fact in enumerate(dataset.facts)}
    result = Resolved({}, {}, {}, [])
    values, dates = result.exact, result.dates
    visiting: set[str] = set()
    fiscal_ends = dataset.report.fiscal_ends

    def fail(fact_id: str, field: list[Any], message: str) -> None:
        loc = ["facts", index_of[fact_id], *field]
        result.problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    def kind(fact_id: str) -> str:
        return dataset.units[facts[fact_id].unit].kind

    def resolve(fact_id: str) -> bool:
        if fact_id in values:
            return True
        fact = facts[fact_id]
        if fact.derived is None:
            values[fact_id] = typed_value(fact, dataset) if fact.value is not None else Decimal(len(fact.items))
            dates[fact_id] = fact.period(fiscal_ends)
            result.qualifiers[fact_id] = fact.qualifier
            return True
        if fact_id in visiting:
            fail(fact_id, ["derived", "from"], "derivation refers back to itself (a cycle)")
            return False
        visiting.add(fact_id)
        ok = all(resolve(ref) for ref in fact.derived.from_)
        visiting.discard(fact_id)
        if not ok:
            return False
        ranges = [ref for ref in fact.derived.from_ if facts[ref].high is not None]
        if ranges:
            fail(
                fact_id,
                ["derived", "from"],
                f"{ranges[0]!r} is a range (it has a high end): a figure is not derived from a range",
            )
            return False
        try:
            value, date = _apply(fact, values, dates)
            if fact.derived.method == "date_after":
                value = typed_value(fact, dataset)  # the value is given; only the date is derived
            if fact.derived.method != "date_after":
                _check_kind(fact, [kind(ref) for ref in fact.derived.from_], dataset.units[fact.unit].kind, fact.unit)
        except (ValueError, OverflowError) as error:  # OverflowError: a date beyond year 9999
            fail(fact_id, ["derived"], str(error))
            return False
        unit = dataset.units[fact.unit]
        if fact.derived.method != "date_after":
            if fact.value is not None:
                given = typed_value(fact, dataset)
                if abs(given - value) > Decimal("1e-9") * max(Decimal(1), abs(value)):
                    typed = lines.text_of(["facts", index_of[fact_id], "value"]) or typed_text(fact.value)
                    fail(
                        fact_id,
                        ["value"],
                        f"given as {typed} but its derivation gives "
                        f"{typed_text(_plain(value / unit.multiplier))}; leave the value out of derived facts",
                    )
                    return False
            if value < 0 and not unit.signed:
                fail(
                    fact_id,
                    ["derived"],
                    f"the figure is derived as {typed_text(_plain(value))}, but "
                    f"{KIND_NAMES[unit.kind]} in unit {fact.unit!r} cannot be negative; "
                    f"mark the unit 'signed: true' if negative values are meant",
                )
                return False
            # A bound the author states stands (growth of over 10% makes the earlier value
            # 'under'); otherwise the figure is as loose as its loosest input.
            result.qualifiers[fact_id] = (
                fact.qualifier
                if fact.qualifier is not Qualifier.EXACT
                else loosest(result.qualifiers[ref] for ref in fact.derived.from_)
            )
        else:
            result.qualifiers[fact_id] = fact.qualifier
        values[fact_id] = value
        dates[fact_id] = date if date is not None else fact.period(fiscal_ends)
        return True

    for fact in dataset.facts:
        resolve(fact.id)
    return result


def _plain(value: Decimal) -> Decimal:
    """A derived value cut to 12 significant digits for a message (1/3 is 0.333333333333)."""
    with localcontext() as context:
        context.prec = 12
        return +value


RESULT_KINDS = {
    # method -> the kind its result has, given the kinds of its inputs (None: refused)
    "share": lambda kinds: "percent",
    "growth": lambda kinds: "percent",
    "percent_of": lambda kinds: kinds[0],
    "before_growth": lambda kinds: kinds[0],
    "sum": lambda kinds: kinds[0],
    "difference": lambda kinds: "percentage_points" if kinds[0] == "percent" else kinds[0],
    # Like over like is a plain number (times, per person); otherwise the numerator's
    # kind: money per employee or per share is money.
    "ratio": lambda kinds: "count" if kinds[0] == kinds[1] else kinds[0],
}


def _check_kind(fact: "Fact", inputs: list[str], kind: str, unit_id: str) -> None:
    """Raise ``ValueError`` when a derivation's result does not fit the fact's unit."""
    method = fact.derived.method  # type: ignore[union-attr]
    refs = fact.derived.from_  # type: ignore[union-attr]
    result = RESULT_KINDS[method](inputs)
    fits = result == kind or (method == "ratio" and result == "count" and kind in ("count", "duration"))
    if not fits:
        raise ValueError(
            f"method {method!r} gives {KIND_NAMES[result]}, but unit {unit_id!r} is "
            f"{KIND_NAMES[kind]}; use a unit of kind {result!r}"
            + (", or method 'ratio' for an amount per item" if method == "share" else "")
        )
    if method in ("sum", "difference", "share", "growth") and len(set(inputs)) > 1:
        listed = ", ".join(f"{ref!r} ({KIND_NAMES[k]})" for ref, k in zip(refs, inputs))
        raise ValueError(f"method {method!r} needs facts of one kind, got {listed}")
    if method in ("percent_of", "before_growth") and inputs[1] != "percent":
        raise ValueError(
            f"method {method!r} needs a percentage as its second fact; {refs[1]!r} is {KIND_NAMES[inputs[1]]}"
        )


def _apply(fact: "Fact", values: dict[str, Decimal], dates: dict[str, Period | None]) -> tuple[Decimal, Period | None]:
    method = fact.derived.method  # type: ignore[union-attr]
    refs = fact.derived.from_  # type: ignore[union-attr]
    inputs = [values[ref] for ref in refs]

    def need(count: int) -> None:
        if len(inputs) != count:
            raise ValueError(f"method {method!r} takes {count} facts, got {len(inputs)}")

    with localcontext() as context:
        context.prec = PRECISION
        try:
            return _compute(method, refs, inputs, need, fact, dates)
        except (DivisionByZero, InvalidOperation):
            raise ValueError(f"method {method!r} divides by zero") from None


def _compute(method, refs, inputs, need, fact, dates):
    if method == "sum":
        return sum(inputs, Decimal(0)), None
    if method == "difference":
        return inputs[0] - sum(inputs[1:], Decimal(0)), None
    if method == "percent_of":
        need(2)
        return inputs[0] * inputs[1] / 100, None
    if method == "share":
        need(2)
        if inputs[1] == 0:
            raise ValueError("share of zero is undefined")
        return 100 * inputs[0] / inputs[1], None
    if method == "ratio":
        need(2)
        if inputs[1] == 0:
            raise ValueError(f"a ratio to zero is undefined ({refs[1]!r} is 0)")
        return inputs[0] / inputs[1], None
    if method == "growth":
        need(2)
        if inputs[1] == 0:
            raise ValueError(f"growth from zero is undefined ({refs[1]!r} is 0)")
        return 100 * (inputs[0] - inputs[1]) / abs(inputs[1]), None
    if method == "before_growth":
        need(2)
        if inputs[1] <= -100:
            raise ValueError("growth of -100% or less leaves no earlier value")
        return inputs[0] / (1 + inputs[1] / 100), None
    if method == "date_after":
        need(2)
        start = dates[refs[0]]
        if start is None:
            raise ValueError(f"fact {refs[0]!r} has no date to count from")
        if inputs[1] != inputs[1].to_integral_value():
            raise ValueError("date_after needs a whole number of days")
        if fact.value is None:
            raise ValueError("date_after derives the date only: give the value")
        return exact(fact.value), start.plus_days(int(inputs[1]))
    raise ValueError(f"unknown method {method!r}")
