"""Compute derived figures from the facts they are derived from.

A derived figure is never typed: its value (or date) follows from other facts by a
named method, so it cannot drift from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import Problem
from .periods import Period

if TYPE_CHECKING:
    from .facts import Dataset, Fact
    from .yaml_lines import LineIndex


def resolve_values(
    dataset: "Dataset", file: str, lines: "LineIndex"
) -> tuple[dict[str, float], dict[str, Period | None], list[Problem]]:
    """Every fact's value and date, derived ones computed in dependency order."""
    facts = {fact.id: fact for fact in dataset.facts}
    index_of = {fact.id: i for i, fact in enumerate(dataset.facts)}
    values: dict[str, float] = {}
    dates: dict[str, Period | None] = {}
    problems: list[Problem] = []
    visiting: set[str] = set()
    fiscal_ends = dataset.report.fiscal_ends

    def fail(fact_id: str, field: list[Any], message: str) -> None:
        loc = ["facts", index_of[fact_id], *field]
        from .errors import format_path

        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    def resolve(fact_id: str) -> bool:
        if fact_id in values:
            return True
        fact = facts[fact_id]
        if fact.derived is None:
            values[fact_id] = float(fact.value if fact.value is not None else len(fact.items))
            dates[fact_id] = fact.period(fiscal_ends)
            return True
        if fact_id in visiting:
            fail(fact_id, ["derived", "from"], "derivation refers back to itself (a cycle)")
            return False
        visiting.add(fact_id)
        ok = all(resolve(ref) for ref in fact.derived.from_)
        visiting.discard(fact_id)
        if not ok:
            return False
        try:
            value, date = _apply(fact, values, dates)
        except (ValueError, OverflowError) as error:  # OverflowError: a date beyond year 9999
            fail(fact_id, ["derived"], str(error))
            return False
        if fact.derived.method != "date_after" and fact.value is not None and abs(fact.value - value) > 1e-9 * max(1.0, abs(value)):
            fail(fact_id, ["value"], f"given as {fact.value:g} but its derivation gives {value:g}; "
                 f"leave the value out of derived facts")
            return False
        values[fact_id] = value
        dates[fact_id] = date if date is not None else fact.period(fiscal_ends)
        return True

    for fact in dataset.facts:
        resolve(fact.id)
    return values, dates, problems


def _apply(
    fact: "Fact", values: dict[str, float], dates: dict[str, Period | None]
) -> tuple[float, Period | None]:
    method = fact.derived.method  # type: ignore[union-attr]
    refs = fact.derived.from_  # type: ignore[union-attr]
    inputs = [values[ref] for ref in refs]

    def need(count: int) -> None:
        if len(inputs) != count:
            raise ValueError(f"method {method!r} takes {count} facts, got {len(inputs)}")

    if method == "sum":
        return sum(inputs), None
    if method == "difference":
        return inputs[0] - sum(inputs[1:]), None
    if method == "percent_of":
        need(2)
        return inputs[0] * inputs[1] / 100, None
    if method == "share":
        need(2)
        if inputs[1] == 0:
            raise ValueError("share of zero is undefined")
        return 100 * inputs[0] / inputs[1], None
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
        if not float(inputs[1]).is_integer():
            raise ValueError("date_after needs a whole number of days")
        if fact.value is None:
            raise ValueError("date_after derives the date only: give the value")
        return fact.value, start.plus_days(int(inputs[1]))
    raise ValueError(f"unknown method {method!r}")
