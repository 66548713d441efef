"""One error hierarchy for the toolkit.

Everything the toolkit raises on purpose is a :class:`ReportError`. The CLI turns
these into a message and an exit status; any other exception is a bug.

- :class:`DataError` — the dataset or project config is wrong (exit 1). Holds every
  :class:`Problem` found, each naming file, line and field path.
- :class:`TemplateError` — a template is missing or broken (exit 1).
- :class:`AssetError` — a font, image or other resource is missing (exit 1).
- :class:`OutputError` — an output cannot be written (exit 1).
- :class:`UsageError` — the caller asked for something that does not exist
  (unknown format, edition, audience; missing file): exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file.

    ``line`` is 1-based (``None`` when unknown), or a spreadsheet cell (``Facts!C12``);
    ``field`` is a dotted path such as ``facts[3].value``, or a spreadsheet's column.
    """

    file: str
    line: int | str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def format_path(loc: "list | tuple") -> str:
    """A field's place in a document: ``['facts', 3, 'value']`` -> ``facts[3].value``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class ReportError(Exception):
    """Base of every error the toolkit raises deliberately."""

    exit_code = 1


class DataError(ReportError):
    """A dataset or config file failed to load or validate: every problem at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    def __reduce__(self):
        # Rebuild from the problems (not the message) when sent between processes.
        return (type(self), (self.problems,))


class TemplateError(ReportError):
    """A template could not be found, parsed or rendered."""


class AssetError(ReportError):
    """A font, image or other resource the report needs is missing or unusable."""


class OutputError(ReportError):
    """An output file could not be written."""


class UsageError(ReportError):
    """The caller asked for something that does not exist (exit status 2)."""

    exit_code = 2


def display_path(path: Path | str) -> str:
    """A path as the user typed it when relative to the working folder, else absolute."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def utf8_text(data: bytes, shown: str) -> str:
    """``data`` (a text file's bytes) decoded as UTF-8; :class:`DataError` naming the line of
    the first byte that is not, for any text file the toolkit reads (datasets, ``report.toml``)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError(
            [Problem(shown, line, "", f"not UTF-8 text ({error.reason} at byte {error.start}); save the file as UTF-8")]
        ) from None
