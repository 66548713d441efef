"""Languages in the PDF's structure tree: each structure element made from an HTML element
with a ``lang`` attribute carries that language as its ``/Lang``.

WeasyPrint writes the document's language (the catalog's ``/Lang``, from ``<html lang>``)
and nothing below it, so a screen reader reads every English passage of a Chinese-first
brief with a Chinese voice. WeasyPrint builds the structure tree in one function that
makes one structure element per box, walking its boxes with the HTML element each came
from; :func:`tagging_languages` wraps that function for the time of one ``write_pdf`` and
adds the box's element's ``lang`` to each structure element it returns. Descendants
without a language of their own inherit their parent's, as PDF's ``/Lang`` does.

Side effects: while the context is open, ``weasyprint.pdf.tags._build_box_tree`` is the
wrapper (process-wide; the PDF writer renders one document at a time per process).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

_LOCK = threading.Lock()


def _lang_of(box) -> str | None:
    """The ``lang`` attribute of the HTML element ``box`` was made from, if it has one of
    its own (the ``<html>`` element's is the catalog's ``/Lang`` already)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in (None, "html", "body"):
        return None
    get = getattr(element, "get", None)
    lang = get("lang") if get else None
    return lang.strip() or None if isinstance(lang, str) else None


@contextlib.contextmanager
def tagging_languages() -> Iterator[None]:
    """While open, every structure element WeasyPrint makes from an element with a ``lang``
    attribute gets ``/Lang`` (a PDF text string, BCP 47). Raises :class:`RuntimeError` when
    the installed WeasyPrint builds its structure tree some other way (nothing would be
    tagged: better said than silently missing)."""
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        raise RuntimeError(
            "this WeasyPrint builds its PDF structure tree without _build_box_tree: "
            "reporting.render.pdf_lang cannot mark the languages of passages"
        )

    def build_box_tree(box, parent, *args, **kwargs):
        lang = _lang_of(box)
        for element in original(box, parent, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    with _LOCK:
        tags._build_box_tree = build_box_tree
        try:
            yield
        finally:
            tags._build_box_tree = original
