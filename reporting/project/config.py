"""The project config (``report.toml``): which dataset a folder builds.

Looked up as ``--config FILE``, else ``report.toml`` in the project folder (the
working folder unless ``--project DIR``), else the toolkit's own built-in config.
Paths in a config are relative to the config file.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dataset.sanitize import check_document
from ..errors import DataError, Problem, UsageError, display_path, utf8_text
from ..resources import builtin_project_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, published separately before it joined the standard library
    import tomli as tomllib

CONFIG_NAME = "report.toml"


@dataclass(frozen=True)
class ProjectConfig:
    """A parsed ``report.toml``. ``raw`` keeps the whole table for later sections."""

    path: Path
    dataset: Path
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def audience_names(self) -> list[str]:
        """The audiences the config defines, in order (names only: their settings are
        validated by :class:`~reporting.project.audiences.AudienceBook`)."""
        audiences = self.raw.get("audiences")
        return list(audiences) if isinstance(audiences, dict) else []

    def require_audience(self, name: str) -> None:
        """Raise :class:`UsageError` listing the audiences that exist when ``name`` is not one."""
        if name not in self.audience_names:
            known = ", ".join(self.audience_names) or "none defined"
            raise UsageError(f"unknown audience {name!r}; {display_path(self.path)} defines: {known}")


def find_config(config: Path | None = None, project: Path | None = None) -> Path:
    """The config file in force (see module docstring); raise :class:`UsageError` if named but absent."""
    if config is not None:
        if not Path(config).is_file():
            raise UsageError(f"config file not found: {display_path(config)}")
        return Path(config)
    folder = Path(project) if project is not None else Path.cwd()
    if project is not None and not folder.is_dir():
        raise UsageError(f"project folder not found: {display_path(folder)}")
    candidate = folder / CONFIG_NAME
    return candidate if candidate.is_file() else builtin_project_config()


def load_config(path: Path) -> ProjectConfig:
    """Parse a ``report.toml``; raise :class:`DataError` naming the file and line of a syntax error."""
    shown = display_path(path)
    try:
        raw = tomllib.loads(utf8_text(Path(path).read_bytes(), shown))
    except tomllib.TOMLDecodeError as error:
        raise DataError([Problem(shown, toml_error_line(error), "", f"TOML syntax error: {error}")]) from None
    hazards = check_document(raw, shown)  # the same text rules as datasets (cover titles reach the deck)
    if hazards:
        raise DataError(hazards)
    project = raw.get("project", {})
    dataset = project.get("dataset")
    if not isinstance(dataset, str) or not dataset:
        raise DataError(
            [Problem(shown, None, "project.dataset", "required: the path of the dataset file (relative to this file)")]
        )
    return ProjectConfig(path=Path(path), dataset=(Path(path).parent / dataset), raw=raw)


def toml_error_line(error: "tomllib.TOMLDecodeError") -> int | None:
    """The line of a TOML syntax error: its ``lineno`` (Python 3.14), else the line its
    message names ("... (at line 3, column 7)", Python 3.11 to 3.13)."""
    line = getattr(error, "lineno", None)
    if line is None:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else None
    return line
