"""Budgets for every input: how large a file, a decompressed part, a table or a text may be.

Every reader checks its input against a :class:`Limits` before (or while) it reads, so a
hostile or mistaken file (a YAML alias bomb, a zip bomb passed off as a workbook or a
master, a million-row table) ends with one line naming the file and what was too large,
not with hours of work or gigabytes of memory. The defaults are far above any real
report's needs; a project raises one in the ``[limits]`` table of ``report.toml``::

    [limits]
    table_rows = 500000

Every limit, its default and the message a user sees are in ``docs/reference/limits.md``. The
limits are passed explicitly (a :class:`Limits` value), never read from global state.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The budgets in force; every field is a positive whole number. Units are in the names:
    ``_bytes`` are bytes, ``_chars`` characters (code points), ``_nodes`` YAML nodes,
    ``_rows`` table rows, ``_pixels`` width × height. ``report.toml``'s ``[limits]`` is
    validated by :class:`reporting.project.audiences.ProjectFile` (no other part of the
    toolkit needs pydantic to read a budget)."""

    yaml_nodes: int = 1_000_000
    """Lists, mappings and values in a YAML file, each alias counted as everything it stands for."""
    yaml_text_chars: int = 20_000_000
    """Characters of text in a YAML file, each alias counted as everything it stands for."""
    text_chars: int = 200_000
    """Characters in one text field of a dataset."""
    table_rows: int = 200_000
    """Rows of a table read from a spreadsheet or CSV file (facts_from, recipients)."""
    file_bytes: int = 64 * MB
    """Size of an input file read whole: dataset, CSV table."""
    package_bytes: int = 256 * MB
    """Uncompressed size of all parts of a .xlsx workbook or a .pptx master or deck."""
    package_part_bytes: int = 64 * MB
    """Uncompressed size of one XML part of a .xlsx workbook or a .pptx master or deck."""
    image_pixels: int = 64_000_000
    """Pixels (width × height) of a picture in a .pptx master."""
    template_steps: int = 1_000_000
    """Loop iterations and calls the brief's templates may take in one render."""


DEFAULT_LIMITS = Limits()
"""The budgets of a project whose ``report.toml`` has no ``[limits]`` table."""


def raise_hint(name: str) -> str:
    """How to raise limit ``name`` (for messages): ``raise it with [limits] table_rows = … in report.toml``."""
    return f"raise [limits] {name} in report.toml if it is meant"


def read_bounded(path: Path, shown: str, limits: Limits) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limits.file_bytes``; else
    :class:`DataError` naming ``shown`` (a FIFO or a device would never end, a file of
    gigabytes would fill the memory)."""
    info = Path(path).stat()
    if not stat.S_ISREG(info.st_mode):
        raise DataError([Problem(shown, None, "", "not a regular file (a device, a pipe or a folder); name a file")])
    if info.st_size > limits.file_bytes:
        raise DataError(
            [
                Problem(
                    shown,
                    None,
                    "",
                    f"the file is {info.st_size:,} bytes, more than its budget of "
                    f"{limits.file_bytes:,}; {raise_hint('file_bytes')}",
                )
            ]
        )
    with open(path, "rb") as file:
        return file.read(limits.file_bytes + 1)


def check_image_pixels(blob: bytes, shown: str, limits: Limits) -> None:
    """Refuse the picture ``blob`` (PNG, JPEG, …) when it has more than
    ``limits.image_pixels`` pixels, reading only its header (Pillow decodes nothing until
    asked): a small file can hold a picture of billions of pixels. A blob Pillow cannot
    read is left to the caller. Raises :class:`~reporting.errors.AssetError` naming ``shown``."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    from .errors import AssetError

    size = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(blob)) as image:
                size = image.size
    except Image.DecompressionBombError:
        pass  # more than twice Pillow's own limit: far past any budget
    except (UnidentifiedImageError, OSError, ValueError):
        return
    if size is None or size[0] * size[1] > limits.image_pixels:
        has = f"{size[0]} × {size[1]} pixels" if size else "more pixels than Pillow will open"
        raise AssetError(
            f"{shown} has {has}, more than its budget of {limits.image_pixels:,}; {raise_hint('image_pixels')}"
        )
