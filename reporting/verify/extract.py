"""The text of a built output read back: PDF (pypdf, tagged figures left out), deck (DrawingML and chart XML),
HTML preview; with the manifest each carries."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from ..errors import ReportError, UsageError, display_path
from ..pipeline.manifest import HTML_MANIFEST_ID, MANIFEST_KEY, Manifest


@dataclass
class Extracted:
    """An output's text: ``body`` is what the number rules read; ``figures_text`` is
    searched for figures as well (chart labels, which are graphics, not body text)."""

    body: str
    extra: str = ""
    manifest: Manifest | None = None


def extract(path: Path) -> Extracted:
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return extract_pdf(path)
    if suffix == ".pptx":
        return extract_pptx(path)
    if suffix in (".html", ".htm"):
        return extract_html(path)
    raise UnreadableOutput(f"{display_path(path)}: cannot verify a {suffix or 'extensionless'} file "
                      "(verify reads .pdf, .pptx and .html outputs)")


class VerifyError(ReportError):
    """An output does not match what its dataset and manifest say it is."""


class UnreadableOutput(UsageError):
    """A file verify cannot read, or one that is no report (neither a manifest nor a
    report's name): misuse, exit status 2, like naming a file that does not exist."""


def extract_pdf(path: Path) -> Extracted:
    """Page text by pypdf (layout order) without the figures' own text, and the
    manifest from the document information."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        pages = [_page_text_without_figures(page, reader) for page in reader.pages]
        info = reader.metadata or {}
        raw = info.get("/" + MANIFEST_KEY)
    except (PdfReadError, OSError, ValueError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable PDF ({error})") from None
    return Extracted("\n".join(pages), manifest=Manifest.from_json(str(raw)) if raw else None)


def _page_text_without_figures(page, reader) -> str:
    """The page's text, leaving out the content of its ``/Figure`` marked-content
    sequences (a chart's ticks and labels, drawn as text).

    Screen readers read a tagged figure by its alternative text, not its content; verify
    likewise leaves the content out: the numbers on a chart's axis are not the report's
    figures (the chart's own figures are checked in the deck and the preview). The
    toolkit's briefs are always tagged; in an untagged PDF nothing is marked, so every
    number drawn is read as body text. A sequence left open by a malformed stream
    makes the whole page's text count.
    """
    from pypdf.generic import ContentStream, NameObject

    contents = page.get_contents()
    if contents is None:
        return ""
    stream = ContentStream(contents, reader, "bytes")  # string operands stay raw glyph codes
    kept = []
    figure_depth = 0  # marked-content nesting inside a /Figure
    for operands, operator in stream.operations:
        if operator in (b"BDC", b"BMC"):
            if figure_depth or (operands and operands[0] == "/Figure"):
                figure_depth += 1
                continue
        elif operator == b"EMC" and figure_depth:
            figure_depth -= 1
            continue
        if not figure_depth:
            kept.append((operands, operator))
    if figure_depth:
        return page.extract_text() or ""
    stream.operations = kept
    page[NameObject("/Contents")] = stream  # in memory only; the file is not written
    return page.extract_text() or ""


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _drawing_text(xml: bytes) -> str:
    """Text of every ``a:p`` in a slide or notes part, a line each; fields (slide
    numbers, dates) are left out: they are not written by the report."""
    root = ElementTree.fromstring(xml)
    lines = []
    for paragraph in root.iter(_A + "p"):
        parts = []
        for child in paragraph:
            if child.tag == _A + "r":
                parts.append("".join(t.text or "" for t in child.iter(_A + "t")))
            elif child.tag == _A + "br":
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)


def _chart_text(xml: bytes) -> str:
    root = ElementTree.fromstring(xml)
    texts = [t.text or "" for t in root.iter(_A + "t")]
    texts += [v.text or "" for v in root.iter(_C + "v")]
    return "\n".join(texts)


def _part_number(name: str) -> int:
    match = re.search(r"(\d+)\.xml$", name)
    return int(match.group(1)) if match else 0


def extract_pptx(path: Path) -> Extracted:
    """Slide and notes text (body), chart text (titles, labels, categories) and the
    manifest from ``docProps/custom.xml``."""
    try:
        with zipfile.ZipFile(path) as deck:
            names = deck.namelist()
            slides = sorted((n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=_part_number)
            notes = sorted((n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)),
                           key=_part_number)
            charts = sorted((n for n in names if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)), key=_part_number)
            body = "\n".join(_drawing_text(deck.read(n)) for n in slides + notes)
            extra = "\n".join(_chart_text(deck.read(n)) for n in charts)
            manifest = None
            if "docProps/custom.xml" in names:
                manifest = _custom_manifest(deck.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable PowerPoint file ({error})") from None
    return Extracted(body, extra, manifest)


def _custom_manifest(xml: bytes) -> Manifest | None:
    root = ElementTree.fromstring(xml)
    for prop in root:
        if prop.get("name") == MANIFEST_KEY:
            return Manifest.from_json("".join(prop.itertext()))
    return None


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "dt", "dd", "section", "header",
              "figure", "figcaption", "br", "table", "ul", "ol", "dl"}
    SKIP = {"head", "style", "script", "title", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.manifest: str | None = None
        self._in_manifest = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("id") == HTML_MANIFEST_ID:
            self._in_manifest = True
            self.manifest = ""
        if tag in self.SKIP or attributes.get("aria-hidden") == "true":
            self.skipping.append(tag)
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif not self.skipping:
            self.parts.append(" ")  # inline elements (a language's span) are set apart by CSS

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
        if tag == "script":
            self._in_manifest = False
        if tag in self.BLOCKS:
            self.parts.append("\n")
        elif not self.skipping:
            self.parts.append(" ")

    def handle_data(self, data):
        if self._in_manifest:
            self.manifest += data
        elif not self.skipping:
            self.parts.append(data)


def extract_html(path: Path) -> Extracted:
    """Body text of the HTML preview (head, styles, SVG and aria-hidden elements left out)."""
    parser = _HtmlText()
    try:
        parser.feed(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableOutput(f"{display_path(path)}: not a readable HTML file ({error})") from None
    manifest = Manifest.from_json(parser.manifest) if parser.manifest else None
    return Extracted("".join(parser.parts), manifest=manifest)
