"""``batch-manifest.csv``: what a recipient batch made, one row a recipient.

Columns: ``recipient``, ``row`` (where it is in the recipients table), ``status`` (``ok``,
``failed``, ``invalid`` for a row refused before building, ``not built`` for one an
interruption left), ``files`` and ``sha256`` (``;`` between the outputs, in the same
order), ``pages`` (of the PDF brief), ``inputs`` (a digest of everything the outputs were
made from: a later run with the same digest and the same files skips the recipient),
``name_zh``, ``name_en``, ``figures`` (the recipient's own values, ``users=123456789;…``, so
that ``make-report verify`` checks each output against them) and ``message``.

Cells a spreadsheet would run as a formula (a name starting with ``=``, ``+``, ``-`` or
``@``) are written after a quote (:mod:`reporting.cells`) and read back as they were.
Paths in ``files`` are relative to the manifest's folder. The file is written whole, to a
scratch file renamed into place (:func:`~reporting.pipeline.outputs.scratch_file`), so a
stop never leaves half a manifest.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..cells import restored_cell, safe_cell

NAME = "batch-manifest.csv"
COLUMNS = (
    "recipient",
    "row",
    "status",
    "files",
    "pages",
    "sha256",
    "inputs",
    "name_zh",
    "name_en",
    "figures",
    "message",
)


@dataclass(frozen=True)
class Entry:
    """One recipient's row of the manifest."""

    recipient: str
    row: str
    status: str
    files: tuple[str, ...] = ()
    pages: int | None = None
    sha256: tuple[str, ...] = ()
    inputs: str = ""
    name_zh: str = ""
    name_en: str = ""
    figures: tuple[tuple[str, str], ...] = ()
    message: str = ""

    def paths(self, folder: Path) -> list[Path]:
        return [folder / name for name in self.files]

    def current(self, folder: Path, inputs: str) -> bool:
        """True when this entry was built from ``inputs`` and each of its files is still
        there with the content it had (so the recipient need not be built again)."""
        if self.status != "ok" or self.inputs != inputs or not self.files or len(self.files) != len(self.sha256):
            return False
        return all(
            path.is_file() and file_sha256(path) == digest for path, digest in zip(self.paths(folder), self.sha256)
        )


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(path: Path) -> dict[str, Entry]:
    """The entries of the manifest at ``path`` by recipient id; none when there is no such
    file, or when it is not one this version wrote (then every recipient is built again).
    Raises ``OSError`` only for a file that is there but cannot be read."""
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8-sig", newline="") as file:  # a line break inside a cell stays as written
        text = file.read()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        return {}
    entries: dict[str, Entry] = {}
    for row in reader:
        row = {key: restored_cell(value or "") for key, value in row.items()}
        if row["recipient"] in entries:
            continue  # a row refused as a repeat of an id listed above: the first is the one built
        figures = tuple(tuple(part.split("=", 1)) for part in row["figures"].split(";") if "=" in part)
        entries[row["recipient"]] = Entry(
            recipient=row["recipient"],
            row=row["row"],
            status=row["status"],
            files=tuple(filter(None, row["files"].split(";"))),
            pages=int(row["pages"]) if row["pages"].isdigit() else None,
            sha256=tuple(filter(None, row["sha256"].split(";"))),
            inputs=row["inputs"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            figures=figures,
            message=row["message"],
        )  # type: ignore[arg-type]
    return entries


def manifest_text(entries: Iterable[Entry]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    entry.recipient,
                    entry.row,
                    entry.status,
                    ";".join(entry.files),
                    "" if entry.pages is None else entry.pages,
                    ";".join(entry.sha256),
                    entry.inputs,
                    entry.name_zh,
                    entry.name_en,
                    ";".join(f"{k}={v}" for k, v in entry.figures),
                    entry.message,
                )
            ]
        )
    return out.getvalue()


def write_manifest(path: Path, entries: Iterable[Entry]) -> None:
    """Write the manifest whole, replacing the previous one only once complete."""
    from .outputs import StagedOutputs

    with StagedOutputs() as staged:
        with staged.writing(path) as temp:
            temp.write_text(manifest_text(entries), encoding="utf-8")
        staged.publish(path)
