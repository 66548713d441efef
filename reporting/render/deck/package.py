"""The saved file: fixed zip times, pinned workbook dates, document properties."""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import Mapping

from ...zips import ZipTime, retimed, zip_time


def normalise_zip(data: bytes, when: ZipTime = (1980, 1, 1, 0, 0, 0)) -> bytes:
    """Rewrite a saved deck with one fixed timestamp on every entry, so the same content
    gives the same bytes. Entry order is kept ([Content_Types].xml first)."""
    return retimed(data, when, external_attr=0o644 << 16)


def pin_workbook(blob: bytes, when: dt.datetime) -> bytes:
    """An embedded chart workbook with its creation time set to ``when`` (XlsxWriter
    stamps the current time otherwise) and fixed zip timestamps; its entries stored
    uncompressed, as before (the deck's own compression covers them)."""
    return retimed(blob, zip_time(when), compress_type=zipfile.ZIP_STORED, core_time=when)


def core_text(text: str) -> str:
    """A document property: python-pptx refuses more than 255 characters (a long title)."""
    return text if len(text) <= 255 else text[:254] + "…"


_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_custom_properties(prs, properties: Mapping[str, str]) -> None:
    """Write ``properties`` as text-valued custom document properties
    (``docProps/custom.xml``), replacing any the template had."""
    from xml.sax.saxutils import escape, quoteattr

    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'
    ).encode("utf-8")
    package = prs.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/custom.xml":
            part.blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, package, blob)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
