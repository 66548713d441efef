"""Facts as spreadsheet rows: ``facts_from: figures.xlsx`` in a dataset, and the export back.

One row a fact, one column a field of the fact model (:class:`reporting.dataset.facts.Fact`),
named from the model so that a field added to it is a column at once:

- a plain field is a column of its name (``id``, ``value``, ``unit``, ``qualifier``,
  ``date``, ``date_part``, ``precision``);
- text in both languages is two columns, ``label_zh`` and ``label_en``;
- a nested field is ``<field>_<part>``, except the common ones, named as people say them:
  ``source`` (the source id) and ``paragraph``; ``derived`` (the method), ``from`` (fact
  ids, separated by commas) and ``note_zh``/``note_en``;
- a list of bilingual texts (``items``) is ``items_zh``/``items_en``, one item a line.

Problems name the cell: ``figures.xlsx:Facts!C12: value: …``, ``figures.csv:12: value: …``.
"""

from __future__ import annotations

import re
import typing
from typing import TYPE_CHECKING
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem, display_path
from ..zips import retimed, zip_time
from .facts import Fact, Localized, _date_text
from ..cells import as_text_cell, safe_cell
from ..limits import DEFAULT_LIMITS, Limits
from .sheets import Cell, Table, read_table

if TYPE_CHECKING:
    import datetime as dt

KEY = "id"

_NAMES = {
    ("source", "ref"): "source",
    ("source", "paragraph"): "paragraph",
    ("derived", "method"): "derived",
    ("derived", "from"): "from",
    ("derived", "note", "zh"): "note_zh",
    ("derived", "note", "en"): "note_en",
    ("derived", "note", "zh-Hant"): "note_zh_hant",
}
"""Columns named as people say them; any other nested field is ``<field>_<part>``."""


@dataclass(frozen=True)
class Column:
    """A column of the facts table: its header, the field path it fills and how its
    cells are read (``text``, ``number``, ``integer``, ``bool``, ``date``, ``ids`` — a list
    of ids separated by commas — or ``lines`` — one bilingual item a line)."""

    name: str
    path: tuple[str, ...]
    kind: str
    required: bool = False


def fact_columns() -> list[Column]:
    """The columns of a facts table, in the order of the model's fields."""
    return _columns(Fact, (), True)


def _columns(model: type[BaseModel], prefix: tuple[str, ...], required: bool) -> list[Column]:
    columns = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = prefix + (key,)
        needed = required and info.is_required()
        annotation, optional = _unwrap(info.annotation)
        origin = typing.get_origin(annotation)
        if annotation is Localized:
            columns += [Column(_name(path + (lang,)), path + (lang,), "text", needed) for lang in ("zh", "en")]
            columns.append(Column(_name(path + ("zh-Hant",)), path + ("zh-Hant",), "text", False))  # optional
        elif origin is list and _unwrap(typing.get_args(annotation)[0])[0] is Localized:
            columns += [Column(_name(path + (lang,)), path + (lang,), "lines") for lang in ("zh", "en")]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            columns += _columns(annotation, path, needed and not optional)
        elif origin is list:
            columns.append(Column(_name(path), path, "ids", needed))
        elif _models_in(annotation):
            # A value or a model (``precision: 2`` or ``{zh: 2, en: 1}``): a column for the
            # value and one for each of the model's fields; a row fills one or the other.
            plain = [arg for arg in typing.get_args(annotation) if arg not in _models_in(annotation)]
            if plain:
                columns.append(Column(_name(path), path, _kind(plain[0], info, key), needed))
            for model_type in _models_in(annotation):
                columns += _columns(model_type, path, False)
        else:
            columns.append(Column(_name(path), path, _kind(annotation, info, key), needed))
    return columns


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models among the members of a union (``int | PerLanguage``)."""
    if typing.get_origin(annotation) not in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return []
    return [arg for arg in typing.get_args(annotation) if isinstance(arg, type) and issubclass(arg, BaseModel)]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); an ``Annotated`` stays (its metadata says what it is)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        kept = [arg for arg in args if arg is not type(None)]
        if len(kept) == 1:
            return kept[0], True
    return annotation, False


def _kind(annotation: Any, info: Any, key: str) -> str:
    metadata = list(getattr(info, "metadata", []))
    if typing.get_origin(annotation) is typing.Annotated:
        metadata += list(typing.get_args(annotation)[1:])
        annotation = typing.get_args(annotation)[0]
    if any(getattr(item, "func", None) is _date_text for item in metadata):
        return "date"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    return "text"


def _name(path: tuple[str, ...]) -> str:
    return _NAMES.get(path, "_".join(path))


# --------------------------------------------------------------------------- reading


@dataclass
class SheetFacts:
    """Facts read from a table, ready for the schema, and where each came from."""

    table: Table
    facts: list[dict[str, Any]]
    rows: list[int]
    """The row (CSV line) of each fact, by index."""
    columns: dict[tuple[str, ...], str]
    """Field path (list indices left out) -> column name."""
    problems: list[Problem] = field(default_factory=list)

    def locate(self, problem: Problem) -> Problem:
        """A problem found in ``facts[i]…`` of the dataset, moved to its cell; others as they are."""
        match = re.match(r"^facts\[(\d+)\](?:\.(.*))?$", problem.field)
        if not match or int(match.group(1)) >= len(self.rows):
            return problem
        index, rest = int(match.group(1)), match.group(2) or ""
        parts = tuple(part for part in re.split(r"\.|\[\d+\]", rest) if part)
        column = None
        for length in range(len(parts), 0, -1):
            candidates = [name for path, name in self.columns.items() if path[:length] == parts[:length]]
            if candidates:
                column = candidates[0]
                break
        message = self._rows_named(problem.message)
        if column is not None and column not in self.table.columns:
            header = self.table.where(self.table.header_row, None)
            return Problem(
                self.table.shown,
                header
                if isinstance(header, int)
                else header.rsplit("!", 1)[0] + f"!{self.table.header_row}:{self.table.header_row}",
                column,
                f"no {column!r} column (row {self.rows[index]}: {message})",
            )
        return Problem(self.table.shown, self.table.where(self.rows[index], column or KEY), column or "", message)

    def _rows_named(self, message: str) -> str:
        return re.sub(
            r"facts\[(\d+)\]",
            lambda m: f"row {self.rows[int(m.group(1))]}" if int(m.group(1)) < len(self.rows) else m.group(0),
            message,
        )


def read_facts(path: Path, *, shown: str | None = None, limits: Limits = DEFAULT_LIMITS) -> SheetFacts:
    """The facts of the spreadsheet ``path`` as dataset mappings. Cells that cannot be
    read are problems in :attr:`SheetFacts.problems` (every one, each naming its cell);
    :class:`DataError` when the file is not a table at all."""
    shown = shown or display_path(path)
    table = read_table(path, shown=shown, key=KEY, limits=limits)
    columns = fact_columns()
    by_name = {column.name: column for column in columns}
    problems = list(table.problems)
    unknown = [name for name in table.columns if name not in by_name]
    for name in unknown:
        problems.append(
            table.problem(
                table.header_row,
                name,
                f"unknown column {name!r}; the columns are: "
                f"{', '.join(by_name)} (start a header with # for a column of notes)",
            )
        )
    facts, rows = [], []
    for row in table.rows:
        fact: dict[str, Any] = {}
        lines: dict[tuple[str, ...], dict[str, list[str]]] = {}
        for name, cell in row.cells.items():
            column = by_name.get(name)
            if column is None:
                continue
            try:
                value = _read(column, cell)
            except ValueError as error:
                problems.append(table.problem(row.number, name, str(error)))
                value = cell.text()  # as written, so that no rule complains of it as missing
                if column.kind in ("ids", "lines"):
                    continue
            if column.kind == "lines":
                lines.setdefault(column.path[:-1], {})[column.path[-1]] = value
            elif not _put(fact, column.path, value):
                given = _name(column.path[:-1])
                problems.append(table.problem(row.number, name, f"give {given} or {name}, not both"))
        for place, langs in lines.items():
            zh, en = langs.get("zh", []), langs.get("en", [])
            if len(zh) != len(en):
                name = _name(place + ("en",))
                problems.append(
                    table.problem(
                        row.number,
                        name,
                        f"{len(en)} line(s) in {name}, {len(zh)} in "
                        f"{_name(place + ('zh',))}: one item a line, in both languages",
                    )
                )
                continue
            _put(fact, place, [{"zh": z, "en": e} for z, e in zip(zh, en)])
        facts.append(fact)
        rows.append(row.number)
    if not table.rows:
        problems.append(table.problem(table.header_row, None, "the table has a header but no rows of facts", ""))
    paths = {column.path[:-1] if column.kind == "lines" else column.path: column.name for column in columns}
    return SheetFacts(table, facts, rows, paths, problems)


def _read(column: Column, cell: Cell) -> Any:
    if column.kind == "number":
        return cell.number()
    if column.kind == "integer":
        return cell.integer()
    if column.kind == "date":
        return cell.date()
    if column.kind == "bool":
        if isinstance(cell.value, bool):
            return cell.value
        text = cell.text().strip().lower()
        if text in ("true", "yes", "1", "是"):
            return True
        if text in ("false", "no", "0", "否"):
            return False
        raise ValueError(f"expected true or false, got {cell.text()!r}")
    if column.kind == "ids":
        return [part for part in re.split(r"[,，、;\s]+", cell.text()) if part]
    if column.kind == "lines":
        return [line.strip() for line in cell.text().splitlines() if line.strip()]
    return cell.text()


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> bool:
    """Set ``value`` at ``path``; False where a value already stands for the whole of a
    part (``precision`` given, and ``precision_zh`` too)."""
    for part in path[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            return False
    if isinstance(target.get(path[-1]), dict):
        return False
    target[path[-1]] = value
    return True


# --------------------------------------------------------------------------- writing


def fact_rows(facts: list[BaseModel]) -> tuple[list[Column], list[dict[str, Any]]]:
    """The columns used by ``facts`` (the required ones always) and a row of cell values
    per fact: numbers as numbers (whole ones as ``int``), everything else as text."""
    columns = fact_columns()
    rows = []
    for fact in facts:
        data = fact.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        row: dict[str, Any] = {}
        value: Any
        for column in columns:
            if column.kind == "lines":
                items = _get(data, column.path[:-1]) or []
                value = "\n".join(item[column.path[-1]] for item in items) or None
            else:
                value = _get(data, column.path)
                if isinstance(value, dict):
                    value = None  # given per part: in the part's columns
                elif column.kind == "ids" and value is not None:
                    value = ", ".join(value)
                elif isinstance(value, bool):
                    value = "true" if value else "false"
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
            if value is not None and value != "":
                row[column.name] = value
        rows.append(row)
    used = [column for column in columns if column.required or any(column.name in row for row in rows)]
    return used, rows


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def write_facts(facts: list[BaseModel], path: Path, *, kind: str, timestamp: int | None = None) -> None:
    """Write ``facts`` to ``path`` as ``kind`` (``xlsx``: a sheet named Facts; ``csv``: UTF-8
    with a byte-order mark, which Excel needs to read Chinese), one fact a row.

    ``timestamp`` (seconds since 1970, e.g. ``SOURCE_DATE_EPOCH``) is the workbook's
    creation and modification time and its parts' dates, so that the same facts give the
    same bytes; without it, the time of writing. Writes ``path`` directly: callers that
    must not leave a half-written file write to a temporary one
    (:func:`reporting.pipeline.exports.export_facts`)."""
    columns, rows = fact_rows(facts)
    if kind == "csv":
        _write_csv(path, columns, rows)
    elif kind == "xlsx":
        _write_xlsx(path, columns, rows, timestamp)
    else:
        raise ValueError(f"unknown spreadsheet kind {kind!r}")


def _write_csv(path: Path, columns: list[Column], rows: list[dict[str, Any]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in columns])
        for row in rows:
            writer.writerow(["" if row.get(column.name) is None else safe_cell(row[column.name]) for column in columns])


def _write_xlsx(path: Path, columns: list[Column], rows: list[dict[str, Any]], timestamp: int | None) -> None:
    import datetime as dt

    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Facts"
    sheet.append([column.name for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column.name) for column in columns])
        for cell in sheet[sheet.max_row]:
            as_text_cell(cell)  # text starting with '=' is text, never a formula
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        widest = max(
            [len(column.name)] + [max(map(len, str(row.get(column.name, "")).splitlines() or [""])) for row in rows]
        )
        sheet.column_dimensions[letter].width = min(max(widest + 2, 8), 60)
        if column.kind in ("date", "text", "ids", "lines"):
            # Text stays text: Excel would read 2020-01 as a date and 0012 as 12.
            for cells in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cells[0].number_format = "@"
                if column.kind == "lines":
                    cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    book.save(path)
    if timestamp is not None:
        _set_times(path, dt.datetime.fromtimestamp(timestamp, dt.timezone.utc))


def _set_times(path: Path, when: "dt.datetime") -> None:
    """Give the workbook's properties and its zip entries the time ``when`` (openpyxl
    stamps the time of saving, which would make every export differ)."""
    path.write_bytes(retimed(path.read_bytes(), zip_time(when), core_time=when))
