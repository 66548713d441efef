"""What a build records in each output for ``make-report verify``: the figures placed and the plan options.

The brief's templates and the deck builder report every phrase they print to a
:class:`PlacementRecorder`, which knows which phrases are figures and which are text with
``{fact}`` placeholders filled in. The result is embedded in the output as a small JSON
:class:`Manifest` (PDF: document information entry ``/ReportingManifest``; deck: custom
document property ``ReportingManifest``; HTML: ``<script type="application/json"
id="reporting-manifest">``), read back by :mod:`reporting.verify`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ..dataset.facts import Localized, placeholders

from ..dataset.load import LoadedDataset
from ..model.report import Figure, Report
from ..lang.periods import DEFAULT_ENGLISH
from ..render.html import TemplateSet
from ..model.texts import Phrase, Texts


MANIFEST_VERSION = 1


MANIFEST_KEY = "ReportingManifest"
"""PDF document information key and deck custom property holding the manifest."""


HTML_MANIFEST_ID = "reporting-manifest"


FIGURE_FORMS = ("text", "headline", "number", "size", "change", "date", "label", "items_text")
"""The attributes of a :class:`~reporting.model.report.Figure` a renderer can print."""


@dataclass(frozen=True, order=True)
class Placement:
    """A figure printed in one form and language: ``users:text:zh``."""

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
        return json.dumps(
            {
                "version": MANIFEST_VERSION,
                "dataset": self.dataset,
                "audience": self.audience,
                "edition": self.edition,
                "depth": self.depth,
                "sections": list(self.sections) if self.sections is not None else None,
                "key_figures": list(self.key_figures) if self.key_figures is not None else None,
                "placements": [str(p) for p in self.placements],
                "english": self.english,
            },
            ensure_ascii=True,
            separators=(",", ":"),
        )

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


def html_manifest(manifest: Manifest) -> str:
    """The manifest as a ``<script>`` element for the HTML preview's head."""
    body = manifest.to_json().replace("</", "<\\/")
    return f'<script type="application/json" id="{HTML_MANIFEST_ID}">{body}</script>\n'


def embed_in_html(html: str, manifest: Manifest) -> str:
    """``html`` with the manifest before ``</head>`` (unchanged if it has no head end)."""
    return html.replace("</head>", html_manifest(manifest) + "</head>", 1)


def filled_texts(report: Report, loaded: LoadedDataset) -> Iterator[tuple[Texts, Localized]]:
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
