"""Zip files (decks, workbooks) rewritten so the same content gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def zip_time(when: dt.datetime) -> tuple[int, ...]:
    """``when`` as a zip entry time (zip cannot store times before 1980 or after 2107)."""
    earliest, latest = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
    return min(max(when.replace(tzinfo=None), earliest), latest).timetuple()[:6]


def retimed(data: bytes, when: tuple[int, ...], *, compress_type: int = zipfile.ZIP_DEFLATED,
            external_attr: int = 0, core_time: dt.datetime | None = None) -> bytes:
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
