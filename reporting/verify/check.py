"""Check built outputs against the dataset: ``make-report verify`` and ``--verify``.

Two checks per output (PDF brief, PowerPoint deck, HTML preview):

1. **Figures placed.** Every figure the renderer placed in the output is in its
   extracted text exactly as the dataset formats it *now* (each form and language
   it was placed in: ``768万次`` / ``7.68 million interactions``). Text is compared
   with whitespace removed and case folded (Chinese wraps anywhere; an English
   sentence capitalises its first figure).
2. **Numbers known.** Every number in the body text maps to a value of some fact of
   the dataset, in any of its forms (``768万`` = ``7.68 million`` = 7,680,000), or
   is excepted by one of the :data:`RULES` (years, dates, page counters, paragraph
   references, ordinals, identifiers such as KN95 ...). There is no list of
   allowed numbers.

Which figures an output holds is recorded while it is rendered: the brief's
templates and the deck builder report every phrase they print to a
:class:`PlacementRecorder`, which knows which phrases are figures (a tile's
headline, a provenance entry, a chart label) and which are text with ``{fact}``
placeholders filled in (leads, paragraphs, talking points, method, derivations).
The result is embedded in the output as a small JSON :class:`Manifest` (PDF:
document information entry ``/ReportingManifest``; deck: custom document property
``ReportingManifest``; HTML: ``<script type="application/json"
id="reporting-manifest">``) together with the plan options (audience, edition,
depth, sections, key figures). Verification re-plans the report from the current
dataset with those options and compares. An output without a manifest is
identified by its name, ``<dataset>_<audience>_<edition>.<ext>``, and the
audience's options in the project config; its placements are then recorded by
rendering the brief's HTML or the deck again.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence
from xml.etree import ElementTree

from ..errors import ReportError, UsageError, display_path
from ..dataset.facts import LoadedDataset, placeholders
from ..dataset.textnumbers import (_CJK_PUNCT, _NUMBER, RULES, number_tokens, number_value,  # noqa: F401 (RULES: re-exported)
                                   squeezed, wording_pattern)
from ..model.report import Figure, Report, plan
from ..model.periods import DEFAULT_ENGLISH
from ..render.html import TemplateSet
from ..model.texts import Phrase, Texts
from ..model.numbers import plain

MANIFEST_VERSION = 1
MANIFEST_KEY = "ReportingManifest"
"""PDF document information key and deck custom property holding the manifest."""
HTML_MANIFEST_ID = "reporting-manifest"

FIGURE_FORMS = ("text", "headline", "number", "size", "change", "date", "label", "items_text")
"""The attributes of a :class:`~reporting.model.report.Figure` a renderer can print."""


# -- what an output holds ---------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Placement:
    """A figure printed in one form and language: ``mau:text:zh``."""

    fact: str
    form: str
    lang: str

    def __str__(self) -> str:
        return f"{self.fact}:{self.form}:{self.lang}"

    @classmethod
    def parse(cls, text: str) -> "Placement":
        fact, form, lang = text.rsplit(":", 2)
        return cls(fact, form, lang)


@dataclass(frozen=True)
class Manifest:
    """What an output was planned from and which figures it shows."""

    dataset: str
    audience: str
    edition: str
    depth: str
    sections: tuple[str, ...] | None
    key_figures: tuple[str, ...] | None
    placements: tuple[Placement, ...]
    english: str = DEFAULT_ENGLISH

    @classmethod
    def of(cls, report: Report, sections, key_figures, placements: Iterable[Placement]) -> "Manifest":
        return cls(
            dataset=report.dataset_id,
            audience=report.audience,
            edition=report.edition.value,
            depth=report.depth,
            sections=tuple(sections) if sections is not None else None,
            key_figures=tuple(key_figures) if key_figures is not None else None,
            placements=tuple(sorted(set(placements))),
            english=report.english,
        )

    def to_json(self) -> str:
        return json.dumps({
            "version": MANIFEST_VERSION,
            "dataset": self.dataset,
            "audience": self.audience,
            "edition": self.edition,
            "depth": self.depth,
            "sections": list(self.sections) if self.sections is not None else None,
            "key_figures": list(self.key_figures) if self.key_figures is not None else None,
            "placements": [str(p) for p in self.placements],
            "english": self.english,
        }, ensure_ascii=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Manifest | None":
        """The manifest in ``text``; ``None`` when it is not one this version reads."""
        try:
            data = json.loads(text)
            if data.get("version") != MANIFEST_VERSION:
                return None
            return cls(
                dataset=str(data["dataset"]),
                audience=str(data["audience"]),
                edition=str(data["edition"]),
                depth=str(data["depth"]),
                sections=tuple(data["sections"]) if data["sections"] is not None else None,
                key_figures=tuple(data["key_figures"]) if data["key_figures"] is not None else None,
                placements=tuple(Placement.parse(p) for p in data["placements"]),
                english=str(data.get("english", DEFAULT_ENGLISH)),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def plan(self, loaded: LoadedDataset) -> Report:
        return plan(loaded, self.edition, sections=self.sections, depth=self.depth,  # type: ignore[arg-type]
                    audience=self.audience, key_figures=self.key_figures, english=self.english)


def html_manifest(manifest: Manifest) -> str:
    """The manifest as a ``<script>`` element for the HTML preview's head."""
    body = manifest.to_json().replace("</", "<\\/")
    return f'<script type="application/json" id="{HTML_MANIFEST_ID}">{body}</script>\n'


def embed_in_html(html: str, manifest: Manifest) -> str:
    """``html`` with the manifest before ``</head>`` (unchanged if it has no head end)."""
    return html.replace("</head>", html_manifest(manifest) + "</head>", 1)


# -- recording what a renderer prints -----------------------------------------------------


def filled_texts(report: Report, loaded: LoadedDataset) -> Iterator[tuple[Texts, object]]:
    """``(texts, raw)`` for every report text the model filled from dataset text with
    ``{fact}`` placeholders: section leads, paragraphs and points, method, derivations.

    Pairs follow the model's choices (a summary keeps the summary paragraphs); where
    the counts disagree nothing is paired, so a build never fails on bookkeeping
    (``tests/test_verify.py`` checks that every filled text is paired)."""
    dataset = loaded.dataset
    by_id = {section.id: section for section in dataset.sections}

    def paired(texts, raws):
        texts, raws = list(texts), list(raws)
        return zip(texts, raws) if len(texts) == len(raws) else ()

    for section in report.sections:
        raw = by_id.get(section.id)
        if raw is None:
            continue
        yield section.lead, raw.lead
        paragraphs = [p.text for p in raw.paragraphs if report.depth == "full" or p.depth == "summary"]
        yield from paired(section.paragraphs, paragraphs)
        yield from paired(section.points, raw.points)
    yield from paired(report.method, dataset.method)
    facts = loaded.facts
    for figure in report.figures:
        fact = facts.get(figure.id)
        if figure.derivation is not None and fact is not None and fact.derived is not None:
            yield figure.derivation, fact.derived.note


def report_figures(report: Report) -> dict[str, Figure]:
    """Every figure object the report holds, by fact id (timeline events included)."""
    figures = {figure.id: figure for figure in report.figures}
    if report.timeline is not None:
        for event in report.timeline.events:
            for figure in event.figures:
                figures.setdefault(figure.id, figure)
    return figures


def figure_form(figure: Figure, form: str) -> Texts | None:
    return getattr(figure, form, None)


class PlacementRecorder:
    """Called with each phrase a renderer prints (and the text it printed of it, which
    may be a shortened or longer string): collects the figures that phrase shows.

    A figure's own phrases (``figure.text`` and the other :data:`FIGURE_FORMS`) place
    that figure. A phrase filled from placeholders places the figures whose values
    appear, in order, in the printed text: all of them when printed whole, the first
    ones when a renderer keeps only its first sentences.
    """

    def __init__(self, report: Report, loaded: LoadedDataset):
        self.report = report  # keeps the phrases (and so their ids) alive
        self.placed: set[Placement] = set()
        self._forms: dict[int, Placement] = {}
        self._filled: dict[int, list[tuple[Placement, str]]] = {}
        figures = report_figures(report)
        for figure in figures.values():
            for form in FIGURE_FORMS:
                for phrase in figure_form(figure, form) or ():
                    self._forms.setdefault(id(phrase), Placement(figure.id, form, phrase.lang))
        for texts, raw in filled_texts(report, loaded):
            for phrase in texts:
                entries = []
                for fact_id, form in placeholders(raw.get(phrase.lang)):
                    form = form or "text"
                    values = figure_form(figures[fact_id], form) if fact_id in figures else None
                    if values is not None:
                        entries.append((Placement(fact_id, form, phrase.lang), values.get(phrase.lang)))
                if entries:
                    self._filled[id(phrase)] = entries

    def __call__(self, phrase: Phrase, shown: str | None = None) -> None:
        key = id(phrase)
        if key in self._forms:
            self.placed.add(self._forms[key])
            return
        entries = self._filled.get(key)
        if not entries:
            return
        text = (phrase.text if shown is None else shown).casefold()
        position = 0
        for placement, value in entries:
            at = text.find(value.casefold(), position)
            if at < 0:
                break
            self.placed.add(placement)
            position = at + len(value)

    @property
    def placements(self) -> tuple[Placement, ...]:
        return tuple(sorted(self.placed))


@dataclass(frozen=True)
class RecordingTemplates(TemplateSet):
    """A :class:`TemplateSet` whose templates report every ``phrase.text`` they print."""

    on_text: Callable[[Phrase, str], None] | None = None

    @classmethod
    def of(cls, templates: TemplateSet, on_text: Callable[[Phrase, str], None]) -> "RecordingTemplates":
        return cls(templates.folders, templates.compiled, on_text)

    def environment(self):
        env = super().environment()
        if self.on_text is not None:
            plain, on_text = env.getattr, self.on_text

            def getattr_(obj, attribute):
                value = plain(obj, attribute)
                if attribute == "text" and isinstance(obj, Phrase):
                    on_text(obj, value)
                return value

            # Templates look attributes up through environment.getattr (``phrase.text``).
            env.getattr = getattr_
        return env


# -- text out of outputs ------------------------------------------------------------------


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


# -- comparing ----------------------------------------------------------------------------

def known_values(loaded: LoadedDataset) -> set[Decimal]:
    """Every value of the dataset's facts, as stored and as each language prints it,
    without its sign: a number is read without the minus, plus or direction word
    before it (``−3.0%``, ``+5.2%``, ``down 3.0%``), which the figure check compares."""
    from ..model.report import number_styles
    from ..model.numbers import LANGS, format_number

    known: set[Decimal] = set()
    for fact in loaded.dataset.facts:
        value = loaded.exact.get(fact.id)
        if value is None:
            continue
        known.add(abs(value).normalize())
        styles = number_styles(loaded, fact)
        for lang in LANGS:
            shown = format_number(value, lang, styles[lang], signed=False)
            for match in _NUMBER.finditer(shown):
                known.add(number_value(match))
    return known


def dataset_wording(loaded: LoadedDataset) -> list[str]:
    """The dataset's own words that hold a number: labels, titles, names, unit words,
    chart categories and series, event titles, the cover, and ``{=...}`` literals in
    narrative. A number inside them is wording (``Top 100 brands``, ``Form 10-K``), not a
    figure. Narrative itself (leads, paragraphs, points, method, notes) is not wording:
    its numbers must be figures."""
    from ..dataset.facts import Localized, marked_literals

    dataset = loaded.dataset
    texts: list[str] = []

    def add(*items: "Localized | str | None") -> None:
        for item in items:
            if isinstance(item, Localized):
                texts.extend((item.zh, item.en))
            elif item:
                texts.append(item)

    def narrative(*items: "Localized | None") -> None:
        for item in items:
            if item is not None:
                texts.extend(marked_literals(item.zh) + marked_literals(item.en))

    info = dataset.report
    add(info.title, info.subtitle, info.organisation, info.period, info.author)
    for source in dataset.sources:
        add(source.title, source.publisher, source.kind)
    for unit in dataset.units.values():
        add(unit.zh, unit.en, unit.en_singular, unit.en_prefix)
    for fact in dataset.facts:
        add(fact.label, *fact.items)
        narrative(fact.derived.note if fact.derived else None)
    for section in dataset.sections:
        add(section.title)
        narrative(section.lead, *(p.text for p in section.paragraphs), *section.points)
        for chart in section.charts:
            add(chart.title, chart.caption, chart.value_axis, *(c.label for c in chart.categories),
                *(s.name for s in chart.series))
    if dataset.timeline is not None:
        add(dataset.timeline.title, dataset.timeline.lead, dataset.timeline.caption)
        for event in dataset.timeline.events:
            add(event.title)
    narrative(*dataset.method)
    # Only words with a number and something else: a bare number is never wording.
    return sorted({text.strip() for text in texts
                   if re.search(r"\d", text) and re.search(rf"[^\d\s.,%{_CJK_PUNCT}]", text)}, key=len, reverse=True)



# -- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    output: Path
    kind: str
    """``figure`` (a placed figure is missing or changed), ``number`` (a number unknown to
    the dataset), ``output`` (the output cannot be matched to a report)."""
    item: str
    lang: str
    expected: str
    detail: str


@dataclass
class OutputCheck:
    output: Path
    identified_by: str = ""
    """``manifest`` or ``name``."""
    figures: int = 0
    numbers: int = 0
    excepted: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


@dataclass
class VerifyResult:
    checks: list[OutputCheck]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def mismatches(self) -> list[Mismatch]:
        return [m for check in self.checks for m in check.mismatches]

    def table(self) -> str:
        """One row per output, then one row per mismatch."""
        rows = [("output", "by", "figures", "numbers", "excepted", "result")]
        for check in self.checks:
            rows.append((check.output.name, check.identified_by or "-", str(check.figures), str(check.numbers),
                         str(check.excepted), "ok" if check.ok else f"{len(check.mismatches)} mismatch(es)"))
        out = _format_rows(rows, right={2, 3, 4})
        if self.mismatches:
            problems = [("output", "check", "item", "lang", "expected", "found")]
            problems += [(m.output.name, m.kind, m.item, m.lang or "-", m.expected, m.detail)
                         for m in self.mismatches]
            out += "\n\n" + _format_rows(problems)
        return out


def _format_rows(rows: Sequence[Sequence[str]], right: set[int] = frozenset()) -> str:
    from unicodedata import east_asian_width

    def width(text: str) -> int:
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Verifier:
    """Verifies outputs against one dataset (and the project config, for outputs
    without a manifest)."""

    def __init__(self, loaded: LoadedDataset, book=None):
        self.loaded = loaded
        self.book = book
        self.known = known_values(loaded)
        self.wording = wording_pattern(dataset_wording(loaded))

    def verify(self, outputs: Iterable[Path]) -> VerifyResult:
        return VerifyResult([self.check(Path(path)) for path in outputs])

    def check(self, path: Path) -> OutputCheck:
        check = OutputCheck(path)
        extracted = extract(path)  # UnreadableOutput: misuse, not a mismatch
        dataset_id = self.loaded.dataset.report.id
        try:
            if extracted.manifest is not None:
                manifest = extracted.manifest
                check.identified_by = "manifest"
                if manifest.dataset != dataset_id:
                    raise VerifyError(f"built from dataset {manifest.dataset!r}, not {dataset_id!r}")
                report = manifest.plan(self.loaded)
                placements = manifest.placements
            else:
                check.identified_by = "name"
                report, placements = self._from_name(path)
        except UsageError:
            raise
        except ReportError as error:
            check.mismatches.append(Mismatch(path, "output", path.name, "", "a report of this dataset",
                                             str(error).splitlines()[0]))
            return check
        self._check_figures(check, report, placements, squeezed(extracted.body + "\n" + extracted.extra))
        self._check_numbers(check, extracted.body)
        return check

    def _check_figures(self, check: OutputCheck, report: Report, placements, text: str) -> None:
        figures = report_figures(report)
        for placement in placements:
            check.figures += 1
            item = f"{placement.fact} ({placement.form})"
            figure = figures.get(placement.fact)
            values = figure_form(figure, placement.form) if figure is not None else None
            if figure is None:
                check.mismatches.append(Mismatch(check.output, "figure", item, placement.lang, "-",
                                                 "no such figure in the dataset any more"))
                continue
            try:
                expected = values.get(placement.lang) if values is not None else None
            except KeyError:
                expected = None
            if not expected:
                check.mismatches.append(Mismatch(check.output, "figure", item, placement.lang, "-",
                                                 f"the figure has no {placement.form} in {placement.lang}"))
            elif squeezed(expected) not in text:
                # Shown as typed: without the word joiners and no-break spaces that keep it on one line.
                check.mismatches.append(Mismatch(check.output, "figure", item, placement.lang, plain(expected),
                                                 "not in the output"))

    def _check_numbers(self, check: OutputCheck, body: str) -> None:
        for token in number_tokens(body, self.wording):
            if token.rule is not None:
                check.excepted += 1
                continue
            check.numbers += 1
            if token.value not in self.known:
                check.mismatches.append(Mismatch(check.output, "number", token.text, "", "a value of the dataset",
                                                 f"unknown: …{token.context}…"))

    def _from_name(self, path: Path) -> tuple[Report, tuple[Placement, ...]]:
        """Re-plan an output without a manifest from its name and the project config,
        and record its placements by rendering it again (HTML only, or the deck)."""
        from dataclasses import replace

        from ..pipeline.build import BuildOptions
        from ..model.i18n import Edition

        dataset_id = self.loaded.dataset.report.id
        stem, suffix = path.stem, path.suffix.lower()
        match = re.fullmatch(re.escape(dataset_id) + r"_(?P<audience>.+)_(?P<edition>bilingual|zh|en)", stem)
        if match is None:
            raise UnreadableOutput(f"{display_path(path)}: not a report: it has no manifest and its name is not "
                                   f"{dataset_id}_<audience>_<edition>{suffix}")
        audience, edition = match.group("audience"), Edition(match.group("edition"))
        if self.book is None:
            raise VerifyError("has no manifest, and no project config was given to look its audience up")
        base = BuildOptions(edition=edition)
        options = self.book.default(base).options if audience == "default" else self.book.get(audience, base).options
        options = replace(options, edition=edition)
        report = plan(self.loaded, options.edition, sections=options.sections, depth=options.depth,
                      audience=options.audience, key_figures=options.key_figures, title=options.cover_title,
                      subtitle=options.cover_subtitle, english=options.english)
        recorder = PlacementRecorder(report, self.loaded)
        if suffix == ".pptx":
            import tempfile

            from ..render.deck.builder import write_deck

            with tempfile.TemporaryDirectory() as folder:
                write_deck(report, options.theme, Path(folder) / "deck.pptx", template=options.pptx_template,
                           max_slides=options.max_slides, on_phrase=recorder)
        else:
            from collections import defaultdict

            from ..render.html import render_brief_html

            render_brief_html(report, options.theme, defaultdict(str),
                              templates=RecordingTemplates.of(TemplateSet.builtin(options.template_dirs), recorder),
                              page_size=options.page_size)
        return report, recorder.placements


def verify_outputs(outputs: Iterable[Path], dataset: Path, *, config=None) -> VerifyResult:
    """Verify ``outputs`` against the dataset file ``dataset``; ``config`` (a
    :class:`~reporting.project.config.ProjectConfig`) identifies outputs without a manifest."""
    from ..dataset.facts import load_dataset

    book = None
    if config is not None:
        from ..project.audiences import AudienceBook

        book = AudienceBook(config)
    return Verifier(load_dataset(dataset), book).verify(outputs)
