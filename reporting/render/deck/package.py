"""The saved file: fixed zip times, pinned workbook dates, document properties."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Mapping


def normalise_zip(data: bytes, when: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)) -> bytes:
    """Rewrite a zip (pptx, xlsx) with one fixed timestamp on every entry, so the same
    content gives the same bytes. Entry order is kept ([Content_Types].xml first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def pin_workbook(blob: bytes, when: dt.datetime) -> bytes:
    """An embedded chart workbook with its creation time set to ``when`` (XlsxWriter
    stamps the current time otherwise) and fixed zip timestamps."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=zip_time(when)), data)
    return out.getvalue()


def zip_time(when: dt.datetime) -> tuple[int, ...]:
    """``when`` as a zip entry time (zip cannot store times before 1980 or after 2107)."""
    earliest, latest = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
    return min(max(when, earliest), latest).timetuple()[:6]


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
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>').encode("utf-8")
    package = prs.part.package
    for part in package.iter_parts():
        if part.partname == "/docProps/custom.xml":
            part.blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, package, blob)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
