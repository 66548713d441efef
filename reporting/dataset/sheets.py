"""Tables from spreadsheets: one header row, then one record a row, each cell with its place.

Reads ``.xlsx`` workbooks (openpyxl) and ``.csv`` files into a :class:`Table` whose cells
keep where they are (``Facts!C12`` in a workbook, line 12 of a CSV file), so every
problem found later can name its sheet, row and column. What spreadsheets really hold is
dealt with here, once, for every table the toolkit reads (facts; recipients later):

- rows above the header (a title, notes), empty rows and comment rows (first filled
  cell starting with ``#``) are skipped; columns whose header starts with ``#`` are notes;
- a formula gives the value the file saved for it; a formula without a saved value (a
  file written by a program that does not calculate) is a problem, never a blank;
- a cell merged down a column gives its value to every row of the merge; a merge across
  columns is a problem (which column would the value belong to?);
- error cells (``#DIV/0!``) are problems;
- a CSV file may start with a byte-order mark (Excel's "CSV UTF-8"); one in GBK/GB18030
  (Chinese Excel's plain "CSV") is refused with how to save it as UTF-8.

Cells keep their type (text, number, date, true/false) and whether they are formatted as a
percentage or a date; :class:`Cell` converts them (``1,234`` as text is a number; a
percent cell's 0.052 is 5.2; an Excel serial number in a date column is a date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from ..cells import restored_cell
from ..errors import DataError, Problem
from ..limits import DEFAULT_LIMITS, Limits, raise_hint, read_bounded
from ..zips import check_package, only_sheet, sheet_names

SUFFIXES = (".xlsx", ".csv")
"""The spreadsheet files a table can be read from."""


@dataclass(frozen=True)
class Cell:
    """One filled cell: its value (text stripped; numbers, dates and booleans as the
    workbook typed them) and where it is (``Facts!C12``, or the CSV line)."""

    value: str | int | float | bool | dt.datetime
    where: str | int
    percent: bool = False
    """Formatted as a percentage: the workbook stores 5.2% as 0.052."""
    date_precision: str | None = None
    """``day``, ``month`` or ``year`` for a cell formatted as a date (from its number format)."""
    workbook: bool = False
    """From a workbook (its numbers are typed), not a CSV file (everything is text)."""

    def text(self) -> str:
        """The value as text; a whole number typed in a workbook without ``.0``."""
        value = self.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime):
            return _date_text(value, self.date_precision or "day")
        return str(value)

    def number(self) -> float | int:
        """The value as a number: typed numbers as they are (a percentage cell's 0.052 as
        5.2); text with thousands separators (``1,234``, ``1 234``), full-width digits or
        a trailing ``%`` (``5.2%`` is 5.2). Raises ``ValueError`` saying what the text is."""
        value = self.value
        if isinstance(value, bool) or isinstance(value, dt.datetime):
            raise ValueError(
                f"expected a number, got {'a date' if isinstance(value, dt.datetime) else 'true/false'} ({self.text()})"
            )
        if isinstance(value, (int, float)):
            return _whole(round(value * 100, 10)) if self.percent else value
        return parse_number(value)

    def integer(self) -> int:
        """The value as a whole number (``12``, ``12.0``, ``"12"``); ``ValueError`` otherwise."""
        number = self.number() if not isinstance(self.value, str) else parse_number(self.value)
        if isinstance(number, float) and not number.is_integer():
            raise ValueError(f"expected a whole number, got {self.text()}")
        return int(number)

    def date(self) -> str:
        """The value as ISO date text (``2020-01-31``, ``2020-08``, ``2020``): a date cell by
        its format's precision; in a workbook, a whole number 1000–9999 is a year and a
        larger one an Excel serial date (days since 1899-12-30); text as written."""
        value = self.value
        if isinstance(value, dt.datetime):
            return _date_text(value, self.date_precision or "day")
        if self.workbook and isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and 1000 <= value <= 9999:
                return str(int(value))
            if 0 < value < 2958466:  # Excel's last day, 9999-12-31
                return _date_text(dt.datetime(1899, 12, 30) + dt.timedelta(days=int(value)), "day")
        return self.text()


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _date_text(value: dt.datetime, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.date().isoformat()


_SEPARATORS = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009' ](?=\d{3}(\D|$))")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str) -> float | int:
    """A number written as text: ``1,234`` (thousands separators: comma, space, no-break
    or thin space, apostrophe), ``１２３`` (full-width), ``5.2%`` (the number as written,
    the ``%`` being the unit's). Raises ``ValueError`` for anything else."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    percent = cleaned.endswith("%")
    cleaned = cleaned.removesuffix("%").strip()
    cleaned = _SEPARATORS.sub("", cleaned)
    if not _NUMBER.match(cleaned):
        raise ValueError(
            f"expected a number, got {text!r}"
            + (" (write the decimal point as '.', thousands as ',')" if re.fullmatch(r"[\d.,\s]+", cleaned) else "")
        )
    number = float(cleaned)
    if percent or "." in cleaned or "e" in cleaned.lower():
        return number
    return int(cleaned)


@dataclass
class Table:
    """A header and its rows. ``shown`` names the file in messages; ``sheet`` is the
    worksheet's name (``None`` for CSV). ``problems`` holds what was wrong in cells the
    table could not give a value for (formulas without a saved value, error cells, merges
    across columns): the reader reports them with its own."""

    shown: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]
    """Column name (the header as written, stripped, lower case) -> its letter (``C``), or
    its 1-based number as text in a CSV file."""
    rows: list["Row"] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def where(self, row: int, column: str | None) -> str | int:
        """The place of a cell (``Facts!C12``; the line for CSV); a row's first column when
        ``column`` is ``None`` or not in the table."""
        if self.sheet is None:
            return row
        letter = self.columns.get(column or "", "A") if column else next(iter(self.columns.values()), "A")
        return f"{_sheet_ref(self.sheet)}!{letter}{row}"

    def problem(self, row: int, column: str | None, message: str, field_name: str | None = None) -> Problem:
        return Problem(
            self.shown, self.where(row, column), field_name if field_name is not None else (column or ""), message
        )


@dataclass(frozen=True)
class Row:
    """One record: its row number (the CSV line) and its filled cells by column name."""

    number: int
    cells: dict[str, Cell]


def _sheet_ref(name: str) -> str:
    # As a formula names it: 'My sheet'!A1 when the name is not a plain word.
    return name if re.fullmatch(r"\w+", name) else "'" + name.replace("'", "''") + "'"


def read_table(path: Path, *, shown: str, key: str, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read the table in ``path`` (``.xlsx`` or ``.csv``) whose header row is the first
    to have a cell ``key`` (e.g. ``id``), from worksheet ``sheet`` (default: the one named
    like ``key``'s table, else the first). Raises :class:`DataError` when the file cannot
    be read as a table at all; cell problems are in :attr:`Table.problems`."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path, shown, key, sheet, limits)
    if suffix == ".csv":
        return _read_csv(path, shown, key, limits)
    raise DataError(
        [
            Problem(
                shown,
                None,
                "",
                f"not a spreadsheet the toolkit reads ({', '.join(SUFFIXES)}); save it as .xlsx or as CSV UTF-8",
            )
        ]
    )


def _header(values: list[tuple[str, Any]], shown: str, where: str | int) -> dict[str, str]:
    """Column name -> letter from a header row's ``(letter, value)`` pairs."""
    columns: dict[str, str] = {}
    problems = []
    for letter, value in values:
        if value is None or str(value).strip() == "":
            continue
        name = str(value).strip().lower()
        if name.startswith("#"):
            continue  # a column of notes for people
        if name in columns:
            problems.append(
                Problem(shown, where, name, f"the column {name!r} appears twice (columns {columns[name]} and {letter})")
            )
        columns.setdefault(name, letter)
    if problems:
        raise DataError(problems)
    return columns


def _skip(values: list[Any]) -> bool:
    """An empty row, or a comment row (first filled cell starting with ``#``)."""
    filled = [value for value in values if value is not None and str(value).strip() != ""]
    return not filled or (isinstance(filled[0], str) and filled[0].lstrip().startswith("#"))


def _too_many_rows(limits: Limits) -> str:
    return f"the table has more than {limits.table_rows:,} rows, past its budget; {raise_hint('table_rows')}"


def _count_rows(table: "Table", shown: str, line: int | str, limits: Limits) -> None:
    """Refuse the table once it holds more rows than ``limits.table_rows``."""
    if len(table.rows) > limits.table_rows:
        raise DataError([Problem(shown, line, "", _too_many_rows(limits))])


# --------------------------------------------------------------------------- CSV


def _read_csv(path: Path, shown: str, key: str, limits: Limits) -> Table:
    data = read_bounded(path, shown, limits)
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        hint = "save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)'), or save it as .xlsx"
        try:
            data.decode("gb18030")
            what = (
                "not UTF-8: it reads as GBK/GB18030, the encoding Chinese Excel uses for plain "
                "'CSV (Comma delimited)'; "
            )
        except UnicodeDecodeError:
            what = f"not UTF-8 text ({error.reason} at byte {error.start}); "
        raise DataError([Problem(shown, line, "", what + hint)]) from None
    # Python before 3.11 refuses a NUL anywhere in the file (csv.Error): it stands in for a
    # character the text lacks while parsing, so the row checks name the cell, as on 3.11+.
    nul = next((chr(c) for c in range(0xFDD0, 0xFDF0) if chr(c) not in text), None) if "\x00" in text else ""
    if nul is None:
        raise DataError(
            [
                Problem(
                    shown,
                    text.count("\n", 0, text.index("\x00")) + 1,
                    "",
                    "a NUL character (U+0000) in the file: save it again as CSV UTF-8",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text.replace("\x00", nul) if nul else text, newline=""))
    table: Table | None = None
    line = 1
    for values in reader:
        if nul:
            values = [value.replace(nul, "\x00") for value in values]
        start, line = line, reader.line_num + 1  # a quoted cell may hold line breaks
        if table is None:
            if any(str(value).strip().lower() == key for value in values):
                columns = _header([(str(index + 1), value) for index, value in enumerate(values)], shown, start)
                table = Table(shown, None, start, columns)
            continue
        if _skip(values):
            continue
        cells = {}
        for name, number in table.columns.items():
            index = int(number) - 1
            value = restored_cell(values[index].strip()) if index < len(values) else ""
            if value:
                cells[name] = Cell(value, start)
        table.rows.append(Row(start, cells))
        _count_rows(table, shown, start, limits)
    if table is None:
        raise DataError(
            [
                Problem(
                    shown, None, "", f"no header row: the first row of the table names the columns, one of them {key!r}"
                )
            ]
        )
    return table


# --------------------------------------------------------------------------- xlsx


def _read_xlsx(path: Path, shown: str, key: str, sheet: str | None, limits: Limits) -> Table:
    """The table on worksheet ``sheet`` (else the one named ``Facts``/``<key>s``, else the
    first). The workbook's declared part sizes are checked against ``limits`` first, and
    only that worksheet is parsed (the others are emptied in a copy held in memory)."""
    import zipfile

    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    def cannot_read(error: BaseException) -> DataError:
        return DataError(
            [Problem(shown, None, "", f"cannot read the workbook: {error}; save it again as .xlsx (Excel Workbook)")]
        )

    check_package(path, shown, limits, "workbook")
    names = sheet_names(path)
    if names is None:  # openpyxl says why
        try:
            names = openpyxl.load_workbook(path, read_only=True).sheetnames
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as error:
            raise cannot_read(error) from None
    wanted = sheet or next((name for name in names if name.lower() in ("facts", f"{key}s")), names[0])
    if wanted not in names:
        raise DataError([Problem(shown, None, "", f"no worksheet {wanted!r}; the workbook has: {', '.join(names)}")])
    source = only_sheet(path, wanted) or path
    try:
        # Formulas as written (to tell a formula from a typed value), with number formats
        # and merged ranges; the saved values are read below only when there are formulas.
        book = openpyxl.load_workbook(source, data_only=False)
        worksheet = book[wanted]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as error:
        raise cannot_read(error) from None
    if worksheet.max_row > limits.table_rows + worksheet.min_row:
        raise DataError([Problem(shown, f"{_sheet_ref(wanted)}!A{worksheet.max_row}", "", _too_many_rows(limits))])
    formulas = any(cell.data_type == "f" for row in worksheet.iter_rows() for cell in row)
    if formulas and hasattr(source, "seek"):
        source.seek(0)
    saved = openpyxl.load_workbook(source, data_only=True)[wanted] if formulas else None
    grid = list(worksheet.iter_rows())
    header_index = next(
        (
            index
            for index, row in enumerate(grid)
            if any(isinstance(c.value, str) and c.value.strip().lower() == key for c in row)
        ),
        None,
    )
    if header_index is None:
        raise DataError(
            [
                Problem(
                    shown,
                    None,
                    "",
                    f"worksheet {wanted!r} has no header row: a row naming the columns, one of them {key!r}",
                )
            ]
        )
    header = grid[header_index]
    header_row = header[0].row
    columns = _header(
        [(cell.column_letter, cell.value) for cell in header], shown, f"{_sheet_ref(wanted)}!{header_row}"
    )
    table = Table(shown, wanted, header_row, columns)
    by_letter = {letter: name for name, letter in columns.items()}
    filled_down: dict[str, Any] = {}  # "C12" -> the value of the merge it is part of
    for merged in worksheet.merged_cells.ranges:
        if merged.max_row <= header_row:
            continue  # a title above the table
        if merged.min_col != merged.max_col:
            first = str(table.where(merged.min_row, None)).split("!")[0]
            table.problems.append(
                Problem(
                    shown,
                    f"{first}!{merged.coord}",
                    "",
                    f"cells {merged.coord} are merged across columns; unmerge them and give each column its own value",
                )
            )
            continue
        top = worksheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            filled_down[f"{top.column_letter}{row}"] = top
    for row in grid[header_index + 1 :]:
        values = []
        cells: dict[str, Cell] = {}
        for cell in row:
            source = filled_down.get(cell.coordinate, cell)
            name = by_letter.get(get_column_letter(cell.column))  # (a merged cell has no letter of its own)
            value = source.value
            where = f"{_sheet_ref(wanted)}!{cell.coordinate}"
            if source.data_type == "f":
                value = saved[source.coordinate].value if saved is not None else None
                if value is None:
                    if name is not None:
                        table.problems.append(
                            Problem(
                                shown,
                                where,
                                name,
                                f"the formula {source.value} has no saved "
                                f"value (the file was written by a program that does not calculate): "
                                f"open and save it in Excel or LibreOffice, or type the value",
                            )
                        )
                        cells[name] = Cell(str(source.value), where, workbook=True)  # so it is not "missing" too
                    values.append(source.value)
                    continue
            if source.data_type == "e" or (isinstance(value, str) and value in _EXCEL_ERRORS):
                if name is not None:
                    table.problems.append(Problem(shown, where, name, f"the cell holds the error {value}"))
                    cells[name] = Cell(str(value), where, workbook=True)
                values.append(value)
                continue
            if isinstance(value, str):
                value = value.strip()
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                value = dt.datetime(value.year, value.month, value.day)
            if isinstance(value, dt.time):
                value = value.isoformat()
            values.append(value)
            if name is None or value is None or value == "":
                continue
            fmt = source.number_format or ""
            cells[name] = Cell(
                value,
                where,
                percent="%" in fmt and isinstance(value, (int, float)),
                date_precision=_date_precision(fmt) if isinstance(value, dt.datetime) else None,
                workbook=True,
            )
        if _skip(values):
            continue
        table.rows.append(Row(row[0].row, cells))
    return table


_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}


def _date_precision(number_format: str) -> str:
    """How much of a date its cell shows: ``yyyy-mm-dd`` a day, ``mmm yyyy`` a month, ``yyyy`` a year."""
    fmt = re.sub(r'"[^"]*"|\[[^]]*\]', "", number_format.lower())  # quoted text, colours, locales
    if "d" in fmt:
        return "day"
    if "m" in fmt:
        return "month"
    return "year" if "y" in fmt else "day"
