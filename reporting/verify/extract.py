"""The text of a built output read back: PDF (pypdf, tagged figures left out), deck (DrawingML and chart XML),
HTML preview; with the manifest each carries."""

from __future__ import annotations

import os
import re
import stat
import zipfile
import base64
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Mapping
from xml.etree import ElementTree

from ..dataset.textnumbers import ITEM_BREAK
from ..errors import DataError, ReportError, UsageError, display_path
from ..limits import DEFAULT_LIMITS, Limits
from ..zips import check_package
from ..pipeline.manifest import HTML_MANIFEST_ID, MANIFEST_KEY, Manifest

_APART = "\n" + ITEM_BREAK + "\n"
"""Between two texts an output keeps apart (two paragraphs of a deck, two blocks of HTML,
a bookmark and the next): never one text wrapped."""


@dataclass
class Extracted:
    """An output's text, all of it read by the number rules: ``body`` (the pages', slides'
    and notes' text, alternative text, bookmarks, the document's metadata, a deck's charts' text);
    ``charts``: the text drawn in each chart (PDF, HTML), whose axis ticks the checker
    leaves out (:func:`reporting.verify.check.axis_ticks`); ``values``: the numbers each of a deck's
    native charts holds, a list a chart (``63364000000.0``), compared to the dataset's values as numbers.
    ``extra`` is searched for placed figures only."""

    body: str
    extra: str = ""
    manifest: Manifest | None = None
    charts: list[str] = field(default_factory=list)
    values: list[list[str]] = field(default_factory=list)


def extract(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The text of the output at ``path``, a regular file (a device, a pipe or a link to
    one is refused before it is opened: it could be endless); a deck's parts are checked
    against ``limits`` before any is decompressed."""
    suffix = Path(path).suffix.lower()
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = True  # the reader below says what is wrong
    if not regular:
        raise UnreadableOutput(
            f"{display_path(path)}: not a regular file (a device, a pipe or a folder); verify reads only files"
        )
    if suffix == ".pdf":
        return extract_pdf(path)
    if suffix == ".pptx":
        try:
            check_package(path, display_path(path), limits, "deck")
        except DataError as error:
            raise UnreadableOutput(str(error.problems[0])) from None
        return extract_pptx(path)
    if suffix in (".html", ".htm"):
        return extract_html(path)
    raise UnreadableOutput(
        f"{display_path(path)}: cannot verify a {suffix or 'extensionless'} file "
        "(verify reads .pdf, .pptx and .html outputs)"
    )


class VerifyError(ReportError):
    """An output does not match what its dataset and manifest say it is."""


class UnreadableOutput(UsageError):
    """A file verify cannot read, or one that is no report (neither a manifest nor a
    report's name): misuse, exit status 2, like naming a file that does not exist."""


def extract_pdf(path: Path) -> Extracted:
    """Page text by pypdf (layout order) without the figures' own text, the text of each
    figure apart, the figures' alternative text, the bookmarks, the document information
    and the manifest."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        pages, charts = [], []
        for page in reader.pages:
            text, figures = _page_text_and_figures(page, reader)
            pages.append(text)
            charts += figures
        info: Mapping[str, Any] = reader.metadata or {}
        raw = info.get("/" + MANIFEST_KEY)
        described = [str(info[key]) for key in ("/Title", "/Subject", "/Keywords", "/Author") if info.get(key)]
        described += _outline_titles(reader.outline)
        described += _alternative_texts(reader)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable PDF ({error})") from None
    # Pages run on (a paragraph may go on over the page); metadata, bookmarks and
    # alternative texts are each a text of their own.
    return Extracted(
        _APART.join(["\n".join(pages), *described]),
        manifest=Manifest.from_json(str(raw)) if raw else None,
        charts=charts,
    )


def _outline_titles(outline) -> list[str]:
    """The title of every bookmark, nested ones too."""
    titles = []
    for entry in outline:
        if isinstance(entry, list):
            titles += _outline_titles(entry)
        elif getattr(entry, "title", None):
            titles.append(str(entry.title))
    return titles


def _alternative_texts(reader) -> list[str]:
    """The ``/Alt`` of every element of the structure tree (a chart's text alternative)."""
    root = reader.trailer["/Root"].get("/StructTreeRoot")
    texts: list[str] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Alt" in node:
                texts.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                stack += list(reversed(kids)) if isinstance(kids, list) else [kids]
        elif isinstance(node, list):
            stack += list(reversed(node))
    return texts


def _page_text_and_figures(page, reader) -> tuple[str, list[str]]:
    """The page's text, leaving out the content of its ``/Figure`` marked-content
    sequences (a chart, drawn as text), and the text of each figure apart.

    Screen readers read a tagged figure by its alternative text, not its content; the
    body likewise leaves the content out, and the checker reads each chart's own text
    without its axis ticks (which are no figures). The toolkit's briefs are always
    tagged; in an untagged PDF nothing is marked, so every number drawn is read as body
    text. A sequence left open by a malformed stream makes the whole page's text count.
    """
    from pypdf.generic import ContentStream, NameObject

    contents = page.get_contents()
    if contents is None:
        return "", []
    stream = ContentStream(contents, reader, "bytes")  # string operands stay raw glyph codes
    operations = list(stream.operations)
    kept: list[tuple[Any, bytes]] = []  # (operands, operator) outside any figure
    figures: list[list[tuple[Any, bytes]]] = []  # the same, one list per figure
    figure_depth = 0  # marked-content nesting inside a /Figure
    for operands, operator in operations:
        if operator in (b"BDC", b"BMC"):
            if figure_depth or (operands and operands[0] == "/Figure"):
                if not figure_depth:
                    figures.append([])
                figure_depth += 1
                continue
        elif operator == b"EMC" and figure_depth:
            figure_depth -= 1
            continue
        if figure_depth:
            figures[-1].append((operands, operator))
        else:
            kept.append((operands, operator))
    if figure_depth:
        return page.extract_text() or "", []
    texts = []
    for operations_of in [kept] + figures:
        stream.operations = operations_of
        page[NameObject("/Contents")] = stream  # in memory only; the file is not written
        texts.append(page.extract_text() or "")
    return texts[0], texts[1:]


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _paragraphs(root: ElementTree.Element) -> list[str]:
    """The text of every ``a:p`` under ``root``; fields (slide numbers, dates) are left
    out: they are not written by the report."""
    lines = []
    for paragraph in root.iter(_A + "p"):
        parts = []
        for child in paragraph:
            if child.tag == _A + "r":
                parts.append("".join(t.text or "" for t in child.iter(_A + "t")))
            elif child.tag == _A + "br":
                parts.append("\n")
        lines.append("".join(parts))
    return lines


def _drawing_text(xml: bytes) -> str:
    """Text of every ``a:p`` in a slide or notes part, a line each, set apart
    (:data:`~reporting.dataset.textnumbers.ITEM_BREAK`): a paragraph never wraps into the next."""
    return _APART.join(_paragraphs(ElementTree.fromstring(xml)))


def _chart_text(xml: bytes) -> tuple[str, list[str]]:
    """A native chart's text (title, axis titles, data labels, legend entries, category
    names: a line each, set apart) and the numbers its series hold (``c:numCache``)."""
    root = ElementTree.fromstring(xml)
    texts = _paragraphs(root)
    numbers = {id(v) for cache in root.iter(_C + "numCache") for v in cache.iter(_C + "v")}
    values = [v.text or "" for v in root.iter(_C + "v") if id(v) in numbers]
    texts += [v.text or "" for v in root.iter(_C + "v") if id(v) not in numbers]
    return _APART.join(texts), values


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_CORE = (
    "{http://purl.org/dc/elements/1.1/}title",
    "{http://purl.org/dc/elements/1.1/}subject",
    "{http://purl.org/dc/elements/1.1/}description",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
)


def _alternative_text(xml: bytes) -> list[str]:
    """The alternative text (``descr``) and title of every shape of a slide."""
    root = ElementTree.fromstring(xml)
    return [value for element in root.iter(_P + "cNvPr") for key in ("descr", "title") if (value := element.get(key))]


def _core_text(xml: bytes) -> list[str]:
    """The deck's title, subject, description and keywords (``docProps/core.xml``)."""
    root = ElementTree.fromstring(xml)
    return [element.text for element in root if element.tag in _CORE and element.text]


def _part_number(name: str) -> int:
    match = re.search(r"(\d+)\.xml$", name)
    return int(match.group(1)) if match else 0


def extract_pptx(path: Path) -> Extracted:
    """Slide and notes text, the shapes' alternative text, the document properties and
    each native chart's text (titles, labels, categories, legend entries) as body; the
    charts' numbers as values; the manifest from ``docProps/custom.xml``."""
    try:
        with zipfile.ZipFile(path) as deck:
            names = deck.namelist()
            slides = sorted((n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_part_number)
            notes = sorted(
                (n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)), key=_part_number
            )
            charts = sorted((n for n in names if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)), key=_part_number)
            texts = [_drawing_text(deck.read(n)) for n in slides + notes]
            texts += [alt for n in slides for alt in _alternative_text(deck.read(n))]
            if "docProps/core.xml" in names:
                texts += _core_text(deck.read("docProps/core.xml"))
            values: list[list[str]] = []
            for name in charts:
                chart_text, chart_values = _chart_text(deck.read(name))
                texts.append(chart_text)
                values.append(chart_values)
            manifest = None
            if "docProps/custom.xml" in names:
                manifest = _custom_manifest(deck.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable PowerPoint file ({error})") from None
    return Extracted(_APART.join(texts), "", manifest, values=values)  # parts, notes, alt texts: each apart


def _custom_manifest(xml: bytes) -> Manifest | None:
    root = ElementTree.fromstring(xml)
    for prop in root:
        if prop.get("name") == MANIFEST_KEY:
            return Manifest.from_json("".join(prop.itertext()))
    return None


class _HtmlText(HTMLParser):
    BLOCKS = {
        "p",
        "div",
        "li",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "dt",
        "dd",
        "section",
        "header",
        "figure",
        "figcaption",
        "br",
        "table",
        "ul",
        "ol",
        "dl",
    }
    SKIP = {"head", "style", "script", "title", "svg"}

    META = {"description", "keywords", "author"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.manifest: str | None = None
        self.described: list[str] = []
        """The document's title and meta description, keywords and author, each image's
        alternative text."""
        self.charts: list[str] = []
        """The text of each chart image (SVG), without the ticks matplotlib groups as such."""
        self._in_manifest = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("id") == HTML_MANIFEST_ID:
            self._in_manifest = True
            self.manifest = ""
        if tag == "title":
            self._in_title = True
            self.described.append("")
        if tag == "meta" and attributes.get("name") in self.META and attributes.get("content"):
            self.described.append(attributes["content"])
        if tag == "img" and not self.skipping:
            if attributes.get("alt"):
                self.described.append(attributes["alt"])
            source = attributes.get("src") or ""
            if source.startswith(_SVG_DATA):
                self.charts.append(svg_text(base64.b64decode(source[len(_SVG_DATA) :])))
        if tag in self.SKIP or attributes.get("aria-hidden") == "true":
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append(_APART)  # a block's text never wraps into the next block's
        elif not self.skipping:
            self.parts.append(" ")  # inline elements (a language's span) are set apart by CSS

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag == "script":
            self._in_manifest = False
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS:
            self.parts.append(_APART)
        elif not self.skipping:
            self.parts.append(" ")

    def handle_data(self, data):
        if self._in_manifest:
            self.manifest += data
        elif self._in_title:
            self.described[-1] += data
        elif not self.skipping:
            self.parts.append(data)


_SVG_DATA = "data:image/svg+xml;base64,"
_SVG = "{http://www.w3.org/2000/svg}"
_TICK_GROUP = re.compile(r"[xy]tick_\d+")


def svg_text(svg: bytes) -> str:
    """The text of a chart drawn as SVG (title, axis titles, legend entries, data labels,
    timeline events), a line each, without its axis ticks: matplotlib draws each tick in
    a group ``xtick_N`` / ``ytick_N``, and a tick's number is no figure."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return ""
    lines: list[str] = []

    def walk(element, in_tick: bool) -> None:
        in_tick = in_tick or bool(element.tag == _SVG + "g" and _TICK_GROUP.fullmatch(element.get("id") or ""))
        if element.tag == _SVG + "text" and not in_tick:
            lines.append("".join(element.itertext()))
            return
        for child in element:
            walk(child, in_tick)

    walk(root, False)
    return "\n".join(lines)


def extract_html(path: Path) -> Extracted:
    """Body text of the HTML preview (head, styles, inline SVG and aria-hidden elements
    left out), with the document's title and meta description, keywords and author, every
    image's alternative text and the text of each chart image (without axis ticks)."""
    parser = _HtmlText()
    try:
        parser.feed(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable HTML file ({error})") from None
    manifest = Manifest.from_json(parser.manifest) if parser.manifest else None
    return Extracted(_APART.join(["".join(parser.parts), *parser.described]), manifest=manifest, charts=parser.charts)
