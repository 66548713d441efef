"""Zip files (decks, workbooks): rewritten so the same content gives the same bytes, and
checked against their budgets before a library decompresses them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .limits import Limits


ZipTime = tuple[int, int, int, int, int, int]
"""A zip entry's time: year, month, day, hour, minute, second."""


def zip_time(when: dt.datetime) -> ZipTime:
    """``when`` as a zip entry time (zip cannot store times before 1980 or after 2107)."""
    earliest, latest = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
    kept = min(max(when.replace(tzinfo=None), earliest), latest)
    return (kept.year, kept.month, kept.day, kept.hour, kept.minute, kept.second)


def retimed(
    data: bytes,
    when: ZipTime,
    *,
    compress_type: int = zipfile.ZIP_DEFLATED,
    external_attr: int = 0,
    core_time: dt.datetime | None = None,
) -> bytes:
    """``data`` (a zip) rewritten with every entry dated ``when`` (see :func:`zip_time`),
    in the same order, compressed with ``compress_type`` and given ``external_attr``. With
    ``core_time``, the document's created and modified times in ``docProps/core.xml`` are
    set to it too (a library that stamps the time of saving would make every file differ)."""
    stamp = core_time.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if core_time is not None else None
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if stamp is not None and info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = compress_type
            entry.external_attr = external_attr
            dst.writestr(entry, content)
    return out.getvalue()


def check_package(source: "str | Path | io.BytesIO", shown: str, limits: "Limits", what: str) -> None:
    """Refuse a zip package (a ``.xlsx`` workbook, a ``.pptx`` master or deck) whose parts
    would decompress past ``limits`` (``package_part_bytes`` for one XML part,
    ``package_bytes`` for them all), reading only its directory: nothing is decompressed.

    The sizes checked are the ones the zip declares; Python's :mod:`zipfile`, which
    openpyxl and python-pptx read through, stops a part at its declared size (and fails
    its checksum), so a part cannot decompress to more than it declares. Raises
    :class:`~reporting.errors.DataError` naming ``shown``, the part and the budget; a file
    that is no zip at all is left to the reader, which says so in its own words."""
    from .errors import DataError, Problem
    from .limits import raise_hint

    try:
        with zipfile.ZipFile(source) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    total = 0
    for member in members:
        total += member.file_size
        xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
        if xml and member.file_size > limits.package_part_bytes:
            raise DataError(
                [
                    Problem(
                        shown,
                        None,
                        "",
                        f"the {what}'s part {member.filename} would decompress to "
                        f"{member.file_size:,} bytes, more than its budget of "
                        f"{limits.package_part_bytes:,}; {raise_hint('package_part_bytes')}",
                    )
                ]
            )
    if total > limits.package_bytes:
        raise DataError(
            [
                Problem(
                    shown,
                    None,
                    "",
                    f"the {what} would decompress to {total:,} bytes, more than its "
                    f"budget of {limits.package_bytes:,}; {raise_hint('package_bytes')}",
                )
            ]
        )


def _sheets(package: zipfile.ZipFile) -> tuple[dict[str, str | None], str]:
    """The worksheets of an open workbook package, in order: name -> the part holding its
    XML; and the spreadsheet namespace. Reads only the small parts that say so
    (``_rels/.rels``, the workbook and its relationships); raises ``KeyError``,
    ``ValueError`` or lxml's ``XMLSyntaxError`` when they are not there or not XML."""
    import posixpath

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    rel_ns = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    doc_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

    def targets(rels: str, base: str) -> dict[str, str]:
        root = etree.fromstring(package.read(rels), parser)
        out = {}
        for rel in root.iter(f"{rel_ns}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            out[rel.get("Id")] = part
            out[f"type:{rel.get('Type', '').rsplit('/', 1)[-1]}"] = part
        return out

    workbook = targets("_rels/.rels", "")["type:officeDocument"]
    folder = posixpath.dirname(workbook)
    rels = targets(posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels"), folder)
    root = etree.fromstring(package.read(workbook), parser)
    main = root.nsmap.get(None, "")
    return {sheet.get("name"): rels.get(sheet.get(f"{doc_ns}id")) for sheet in root.iter(f"{{{main}}}sheet")}, main


def sheet_names(path: "str | Path") -> list[str] | None:
    """The worksheets' names of the workbook at ``path``, in order, without parsing any
    worksheet; ``None`` when they cannot be found (the reader then says what is wrong)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            return list(_sheets(package)[0])
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError):
        return None


def only_sheet(path: "str | Path", wanted: str) -> "io.BytesIO | None":
    """A copy of the workbook at ``path`` in which every worksheet but the one named
    ``wanted`` is empty (its XML replaced by an empty sheet), so a reader that parses every
    sheet (openpyxl's full mode, which keeps merged cells and number formats) parses only
    the one used; ``None`` when there is no other sheet or the workbook's parts cannot be
    found (the reader then says what is wrong). Decompresses only the parts kept."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            sheets, main = _sheets(package)
            drop = {part for name, part in sheets.items() if name != wanted and part}
            if not drop:
                return None
            out = io.BytesIO()
            empty = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<worksheet xmlns="{main}"><sheetData/></worksheet>'
            ).encode()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in package.infolist():
                    copy.writestr(info, empty if info.filename in drop else package.read(info.filename))
            out.seek(0)
            return out
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError):
        return None
