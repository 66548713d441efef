"""Recipients of a batch: one row a recipient, its own figures beside the shared dataset.

The table (``.csv`` or ``.xlsx``, read by :mod:`reporting.dataset.sheets`) has a column
``recipient`` (an id, used in file names), optional ``name_zh`` / ``name_en`` (the name
``{recipient:name}`` prints; the id when none is given) and one column per fact whose
value the recipient has its own of, named by the fact's id. Columns whose header starts
with ``#`` are notes; so are comment rows.

Problems name the cell (``brands.csv:7: users: expected a number, got 'n/a'``); a row with a
problem is left out and the others kept, so a batch builds every good row and reports
every bad one at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..errors import DataError, Problem, display_path
from .facts import Localized
from .load import LoadedDataset, load_dataset
from ..limits import DEFAULT_LIMITS, Limits
from .sanitize import text_hazard
from .sheets import Table, read_table

KEY = "recipient"
NAME_COLUMNS = ("name_zh", "name_en")

_ID = re.compile(r"[\w][\w.-]*")
"""A recipient id: letters (any script), digits, ``_``, ``.`` and ``-``, not starting with a
dot or dash, so it is a safe part of a file name on every system."""


@dataclass(frozen=True)
class Recipient:
    """One row: the id, where it is (``brands.csv:7``), its name and its own figures."""

    id: str
    where: str
    name: Localized
    overrides: tuple[tuple[str, int | float], ...]
    """``(fact id, value)`` in column order."""
    file: str = ""
    places: tuple[tuple[str, str | int], ...] = ()
    """``(fact id, cell)`` of each override (``Recipients!C5``, or the CSV line)."""

    def place(self, problem: Problem, fact_ids: list[str]) -> Problem:
        """``problem`` of the dataset loaded with this recipient's figures, moved to the
        recipient's cell when it is about a value the recipient gave (``facts[3].value``):
        the dataset's line would show the shared value, not the one that is wrong."""
        match = re.match(r"facts\[(\d+)\]\.value$", problem.field or "")
        if match is None or int(match.group(1)) >= len(fact_ids):
            return problem
        fact_id = fact_ids[int(match.group(1))]
        places = dict(self.places)
        if fact_id not in places:
            return problem
        shown = exact_text(self.figures[fact_id])
        message = re.sub(r"\(got [^)]*\)", f"(got {shown})", problem.message)
        return Problem(self.file, places[fact_id], fact_id, message)

    @property
    def figures(self) -> dict[str, int | float]:
        return dict(self.overrides)

    def load(self, dataset: Path, limits: Limits = DEFAULT_LIMITS) -> LoadedDataset:
        """``dataset`` loaded with this recipient's own figures and name, within ``limits``.
        Raises :class:`DataError` with the problems of the recipient's values at its cells."""
        try:
            return load_dataset(dataset, overrides=self.figures, recipient=self.name, limits=limits)
        except DataError as error:
            fact_ids = list(
                load_dataset(dataset, limits=limits).facts
            )  # without the recipient's figures: they were the fault
            raise DataError([self.place(problem, fact_ids) for problem in error.problems]) from None


@dataclass
class Recipients:
    """The good rows, and a problem for each cell of the bad ones."""

    rows: list[Recipient] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    invalid: list[tuple[str, str, list[Problem]]] = field(default_factory=list)
    """Each bad row: its recipient id (as typed; may be empty), where it is, its problems."""

    @property
    def bad_rows(self) -> int:
        return len(self.invalid)


def read_recipients(path: Path, base: LoadedDataset, limits: Limits = DEFAULT_LIMITS) -> Recipients:
    """Read the recipients in ``path`` against the facts of ``base`` (the shared dataset).

    A column naming no fact, or a derived one (computed, never given), is a problem of the
    whole table: :class:`DataError`, since no row could be built as meant. So is a file
    that is no table. Problems of single rows (a value that is no number, an id missing,
    repeated or unusable in a file name) are returned in :attr:`Recipients.problems`, the
    row left out."""
    shown = display_path(path)
    table = read_table(path, shown=shown, key=KEY, sheet=None, limits=limits)
    facts = base.facts
    fact_columns = [name for name in table.columns if name != KEY and name not in NAME_COLUMNS]
    header_problems = []
    for name in fact_columns:
        fact = facts.get(name)
        where = table.where(table.header_row, name)
        if fact is None:
            known = ", ".join(list(facts)[:8]) + (", …" if len(facts) > 8 else "")
            header_problems.append(
                Problem(
                    shown,
                    where,
                    name,
                    f"no fact has the id {name!r} (a column is recipient, name_zh, name_en or a fact id: {known})",
                )
            )
        elif fact.derived is not None:
            inputs = ", ".join(fact.derived.from_)
            header_problems.append(
                Problem(
                    shown,
                    where,
                    name,
                    f"{name!r} is derived ({fact.derived.method} of {inputs}): give the figures it is computed from",
                )
            )
    if header_problems or table.problems and not table.rows:
        raise DataError(header_problems + table.problems)
    result = Recipients()
    bad_cells: dict[int, list[Problem]] = {}
    for problem in table.problems:  # formula without a value, error cells: their row is bad
        row = _row_of(problem, table)
        bad_cells.setdefault(row, []).append(problem)
    seen: dict[str, str] = {}
    for row in table.rows:
        problems = bad_cells.pop(row.number, [])
        cell = row.cells.get(KEY)
        recipient_id = cell.text().strip() if cell is not None else ""
        if not recipient_id:
            problems.append(table.problem(row.number, KEY, "every row needs a recipient id"))
        elif not _ID.fullmatch(recipient_id):
            problems.append(
                table.problem(
                    row.number,
                    KEY,
                    f"{recipient_id!r} cannot be part of a file name: use letters, digits, '_', '.' and '-'",
                )
            )
        elif recipient_id in seen:
            problems.append(
                table.problem(row.number, KEY, f"{recipient_id!r} appears twice: first at {seen[recipient_id]}")
            )
        overrides, places = [], []
        for name in fact_columns:
            value_cell = row.cells.get(name)
            if value_cell is None:
                continue  # an empty cell: the shared figure
            try:
                value = value_cell.number()
            except ValueError as error:
                problems.append(table.problem(row.number, name, str(error)))
                continue
            if isinstance(value, float) and not value == value or value in (float("inf"), float("-inf")):
                problems.append(table.problem(row.number, name, f"expected a number, got {value_cell.text()}"))
                continue
            overrides.append((name, value))
            places.append((name, value_cell.where))
        names = {
            lang: (row.cells[f"name_{lang}"].text() if f"name_{lang}" in row.cells else "") for lang in ("zh", "en")
        }
        for lang, name in names.items():
            why = text_hazard(name)  # a control character would reach the outputs and the manifest
            if why:
                problems.append(table.problem(row.number, f"name_{lang}", why))
        if problems:
            result.problems += problems
            result.invalid.append((recipient_id, f"{shown}:{table.where(row.number, KEY)}", problems))
            continue
        where = f"{shown}:{table.where(row.number, KEY)}"
        seen[recipient_id] = where
        zh, en = names["zh"] or names["en"] or recipient_id, names["en"] or names["zh"] or recipient_id
        result.rows.append(
            Recipient(recipient_id, where, Localized(zh=zh, en=en), tuple(overrides), shown, tuple(places))
        )
    for number, problems in bad_cells.items():  # rows the table skipped
        result.problems += problems
        result.invalid.append(("", f"{shown}:{table.where(number, KEY)}", problems))
    return result


def _row_of(problem: Problem, table: Table) -> int:
    """The row number of a cell problem (``Sheet!C12`` or a CSV line)."""
    if isinstance(problem.line, int):
        return problem.line
    match = re.search(r"(\d+)$", str(problem.line or ""))
    return int(match.group(1)) if match else 0


def exact_text(value: int | float) -> str:
    """A figure as the manifest keeps it: exactly, without float noise (``123456789``, ``5.2``)."""
    return format(Decimal(repr(value)).normalize(), "f") if isinstance(value, float) else str(value)
