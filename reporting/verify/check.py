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
   references, ordinals, identifiers such as A320 ...). There is no list of
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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence, cast

from ..dataset.derive import typed_high
from ..dataset.load import LoadedDataset, load_dataset, printed_values
from ..dataset.readertext import RANGE, literals, reader_texts, typed_langs, unmarked
from ..dataset.textnumbers import (
    _CJK_PUNCT,
    _NUMBER,
    dataset_dates,
    joined_lines,
    number_tokens,
    number_value,
    squeezed,
    unit_letter_words,
    wording_pattern,
)
from ..errors import ReportError, UsageError, display_path
from ..lang.editions import Edition
from ..lang.numbers import TYPED_SCALES, plain
from ..limits import DEFAULT_LIMITS
from ..model.report import Depth, Report
from ..pipeline.build import BuildOptions
from ..pipeline.manifest import Manifest, Placement, PlacementRecorder, RecordingTemplates, figure_form, report_figures
from ..project.job import Job, Project
from ..render.html import TemplateSet, render_brief_html
from .extract import UnreadableOutput, VerifyError, extract


# -- comparing ----------------------------------------------------------------------------


def known_values(loaded: LoadedDataset) -> set[Decimal]:
    """Every value of the dataset's facts, as stored and as each language prints it,
    without its sign: a number is read without the minus, plus or direction word
    before it (``−3.0%``, ``+5.2%``, ``down 3.0%``), which the figure check compares."""
    known: set[Decimal] = set()
    for fact in loaded.dataset.facts:
        value = loaded.exact.get(fact.id)
        if value is None:
            continue
        high = typed_high(fact, loaded.dataset)  # a range's high end is a value too
        for end in (value,) if high is None else (value, high):
            known |= printed_values(end, loaded.dataset, fact, loaded.qualifiers.get(fact.id))
    return known


def with_traditional(wording: list[str]) -> list[str]:
    """``wording`` and each text's Traditional forms (as the Traditional editions convert
    it: :mod:`reporting.lang.traditional`), so an output of any edition finds its words."""
    from ..lang.traditional import CONFIGS, converter

    converted = [converter(tag)(text) for tag in CONFIGS for text in wording]
    return list(dict.fromkeys(wording + converted))


def dataset_wording(loaded: LoadedDataset) -> list[str]:
    """The dataset's own words that hold a number: names (sources' titles, publishers and
    kinds, the organisation, the author, named items, unit words, a batch's recipient),
    labels (a fact's, a category's, a series': ``people aged 60 and over``, ``0–15``) and
    the ``{=...}`` marks of every text. A number inside them is wording (``Form 10-K``, ``Fortune 500``), not a
    figure. Titles, captions, labels and narrative are not wording: their numbers must be
    figures (:mod:`reporting.dataset.readertext`)."""
    dataset = loaded.dataset
    texts: list[str] = []
    if loaded.recipient is not None:  # a batch edition's recipient: a name, whatever digits it has
        texts += [loaded.recipient.get(lang) for lang in typed_langs(loaded.recipient)]
    for unit in dataset.units.values():
        texts += [unit.zh, unit.en, unit.en_singular or "", unit.en_prefix]
    for place in reader_texts(dataset):
        for lang in typed_langs(place.text):
            text = place.text.get(lang)
            if place.kind in ("name", "label"):
                texts.append(unmarked(text))
            else:
                texts += literals(text, place.kind)
    # Only words with a number and something else: a bare number is never wording, while a
    # range of two (an age group's `0–15`, `16—59`) is a label as the dataset wrote it.
    return sorted(
        {
            text.strip()
            for text in texts
            if re.search(r"\d", text) and (re.search(rf"[^\d\s.,%{_CJK_PUNCT}]", text) or RANGE.fullmatch(text.strip()))
        },
        key=len,
        reverse=True,
    )


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
            rows.append(
                (
                    check.output.name,
                    check.identified_by or "-",
                    str(check.figures),
                    str(check.numbers),
                    str(check.excepted),
                    "ok" if check.ok else f"{len(check.mismatches)} mismatch(es)",
                )
            )
        out = _format_rows(rows, right={2, 3, 4})
        if self.mismatches:
            problems = [("output", "check", "item", "lang", "expected", "found")]
            problems += [(m.output.name, m.kind, m.item, m.lang or "-", m.expected, m.detail) for m in self.mismatches]
            out += "\n\n" + _format_rows(problems)
        return out


def _format_rows(rows: Sequence[Sequence[str]], right: frozenset[int] | set[int] = frozenset()) -> str:
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


def _options(manifest: Manifest) -> BuildOptions:
    """The build options an output's manifest records. It does not record a cover title or
    subtitle: the report is re-planned with the dataset's own."""
    return BuildOptions(
        edition=Edition(manifest.edition),
        sections=manifest.sections,
        depth=cast("Depth", manifest.depth),
        audience=manifest.audience,
        key_figures=manifest.key_figures,
        english=manifest.english,
    )


class Verifier:
    """Verifies outputs against one dataset (and the project, a
    :class:`~reporting.project.job.Project`, for outputs without a manifest)."""

    def __init__(self, loaded: LoadedDataset, project: Project | None = None):
        self.loaded = loaded
        self.project = project
        self.known = known_values(loaded)
        self.wording = wording_pattern(with_traditional(dataset_wording(loaded)))
        self.dates = dataset_dates(loaded.dataset.report.fiscal_year_style)
        self.units = unit_letter_words(
            word
            for unit in loaded.dataset.units.values()
            for word in (unit.zh, unit.en, unit.en_prefix, unit.en_singular or "")
        )

    def verify(self, outputs: Iterable[Path]) -> VerifyResult:
        return VerifyResult([self.check(Path(path)) for path in outputs])

    def check(self, path: Path) -> OutputCheck:
        check = OutputCheck(path)
        limits = self.project.book.limits if self.project is not None else DEFAULT_LIMITS
        extracted = extract(path, limits)  # UnreadableOutput: misuse, not a mismatch
        dataset_id = self.loaded.dataset.report.id
        try:
            if extracted.manifest is not None:
                manifest = extracted.manifest
                check.identified_by = "manifest"
                if manifest.dataset != dataset_id:
                    raise VerifyError(f"built from dataset {manifest.dataset!r}, not {dataset_id!r}")
                report = _options(manifest).plan(self.loaded)
                placements = manifest.placements
            else:
                check.identified_by = "name"
                report, placements = self._from_name(path)
        except UsageError:
            raise
        except ReportError as error:
            check.mismatches.append(
                Mismatch(path, "output", path.name, "", "a report of this dataset", str(error).splitlines()[0])
            )
            return check
        self._check_figures(check, report, placements, squeezed(extracted.body + "\n" + extracted.extra))
        known = self.known | shares_shown(report)
        self._check_numbers(check, extracted.body, known)
        for chart in extracted.charts:
            self._check_numbers(check, chart, known, chart=True)
        self._check_values(check, extracted.values)
        return check

    def _check_figures(self, check: OutputCheck, report: Report, placements, text: str) -> None:
        figures = report_figures(report)
        for placement in placements:
            check.figures += 1
            item = f"{placement.fact} ({placement.form})"
            figure = figures.get(placement.fact)
            values = figure_form(figure, placement.form) if figure is not None else None
            if figure is None:
                check.mismatches.append(
                    Mismatch(
                        check.output, "figure", item, placement.lang, "-", "no such figure in the dataset any more"
                    )
                )
                continue
            try:
                expected = values.get(placement.lang) if values is not None else None
            except KeyError:
                expected = None
            if not expected:
                check.mismatches.append(
                    Mismatch(
                        check.output,
                        "figure",
                        item,
                        placement.lang,
                        "-",
                        f"the figure has no {placement.form} in {placement.lang}",
                    )
                )
            elif squeezed(expected) not in text:
                # Shown as typed: without the word joiners and no-break spaces that keep it on one line.
                check.mismatches.append(
                    Mismatch(check.output, "figure", item, placement.lang, plain(expected), "not in the output")
                )

    def _check_numbers(self, check: OutputCheck, body: str, known: set[Decimal], chart: bool = False) -> None:
        """Every number of ``body`` is one of ``known`` or excepted; ``chart``: the text
        drawn in one chart, whose axis ticks (:func:`axis_ticks`) and zero are no figures."""
        tokens = number_tokens(body, self.wording, self.dates, self.units)
        ticks = {abs(tick) for tick in axis_ticks(_signed_numbers(body))} if chart else set()
        for token in tokens:
            if token.rule is not None or token.value in ticks or (chart and token.value == 0):
                check.excepted += 1
                continue
            check.numbers += 1
            if token.value not in known:
                check.mismatches.append(
                    Mismatch(
                        check.output, "number", token.text, "", "a value of the dataset", f"unknown: …{token.context}…"
                    )
                )

    def _check_values(self, check: OutputCheck, charts: list[list[str]]) -> None:
        """The numbers each of a deck's native charts holds: each a value of the dataset,
        compared to 12 significant digits (a chart stores a float: 6.882352941176471), as
        stored or in the display scale its value axis counts in (87.91 for 87.91 billion, the
        scale said in the axis title: :meth:`reporting.model.chartspec.ChartSpec.on_axis_scale`).
        One scale a chart: a value known only in another scale than the chart's others is
        no value of it (200 among 70 and 30 million is not 200 thousand)."""
        known_at = {power: {_approx(value.scaleb(-power)) for value in self.known} for power in AXIS_POWERS}
        for values in charts:
            numbers: list[tuple[str, Decimal]] = []
            for text in values:
                try:
                    value = Decimal(text.strip())
                except ArithmeticError:
                    value = None
                if value is None or not value.is_finite():
                    check.mismatches.append(Mismatch(check.output, "number", text, "", "a chart value", "not a number"))
                    continue
                check.numbers += 1
                numbers.append((text, abs(value)))
            # The chart's scale: the one in which most of its values are the dataset's.
            power = max(AXIS_POWERS, key=lambda p: sum(_approx(value) in known_at[p] for _, value in numbers))
            for text, value in numbers:
                if _approx(value) not in known_at[power]:
                    scale = f"; its other values count in 10^{power}" if power else ""
                    check.mismatches.append(
                        Mismatch(
                            check.output,
                            "number",
                            text,
                            "",
                            "a value of the dataset",
                            f"unknown: a value of a native chart{scale}",
                        )
                    )

    def job_for_name(self, path: Path) -> Job:
        """The build an output without a manifest came from, by its name
        (``<dataset>_<audience>_<edition>.<ext>``) and the project, decided as the build
        decides it (:meth:`~reporting.project.job.Project.job`)."""
        dataset_id = self.loaded.dataset.report.id
        stem, suffix = path.stem, path.suffix.lower()
        match = re.fullmatch(
            re.escape(dataset_id)
            + r"_(?P<audience>.+)_(?P<edition>"
            + "|".join(re.escape(edition.value) for edition in Edition)
            + ")",
            stem,
        )
        if match is None:
            raise UnreadableOutput(
                f"{display_path(path)}: not a report: it has no manifest and its name is not "
                f"{dataset_id}_<audience>_<edition>{suffix}"
            )
        audience, edition = match.group("audience"), Edition(match.group("edition"))
        if self.project is None:
            raise VerifyError("has no manifest, and no project config was given to look its audience up")
        return self.project.job(None if audience == "default" else audience, edition=edition)

    def _from_name(self, path: Path) -> tuple[Report, tuple[Placement, ...]]:
        """Re-plan an output without a manifest from its name and the project config,
        and record its placements by rendering it again (HTML only, or the deck)."""
        suffix = path.suffix.lower()
        options = self.job_for_name(path).options
        report = options.plan(self.loaded)
        recorder = PlacementRecorder(report, self.loaded)
        if suffix == ".pptx":
            from ..render.deck.builder import deck_bytes  # python-pptx: only when a deck is read back

            deck_bytes(
                report, options.theme, template=options.pptx_template, max_slides=options.max_slides, on_phrase=recorder
            )  # rendered again for what it places, in memory
        else:
            render_brief_html(
                report,
                options.theme,
                defaultdict(str),
                templates=RecordingTemplates.of(TemplateSet.builtin(options.template_dirs), recorder),
                page_size=options.page_size,
                limits=options.limits,
            )
        return report, recorder.placements


def shares_shown(report: Report) -> set[Decimal]:
    """The shares a doughnut chart of ``report`` prints for its slices (``67.6%``): worked
    out from the dataset's figures as the chart does, so known as they are."""
    shares: set[Decimal] = set()
    for chart in report.charts:
        if chart.kind != "doughnut":
            continue
        for series in chart.series:
            for texts in series.shares:
                for phrase in texts or ():
                    shares |= {token.value for token in number_tokens(phrase.text)}
    return shares


def _signed_numbers(text: str) -> list[Decimal]:
    """The numbers of ``text`` as values, with their minus sign (an axis runs -10, 0, 10)."""
    joined = joined_lines(text)
    return [
        number_value(m) * (-1 if joined[max(m.start() - 1, 0) : m.start()] in ("-", "\u2212") else 1)
        for m in _NUMBER.finditer(joined)
    ]


AXIS_POWERS = (0, *sorted(set(TYPED_SCALES.values())))
"""Powers of ten a native chart's values may be stored in: none, or a scale word's."""


def _approx(value: Decimal) -> str:
    return f"{float(value):.12g}"


def _nice(step: Decimal) -> bool:
    """Whether ``step`` is 1, 2, 2.5 or 5 times a power of ten: the steps an axis takes."""
    if step <= 0:
        return False
    mantissa = step.scaleb(-step.adjusted()).normalize()
    return mantissa in (1, 2, Decimal("2.5"), 5)


def axis_ticks(values: Sequence[Decimal]) -> set[Decimal]:
    """The values among ``values`` (the numbers drawn in one chart that are no figures)
    that are an axis' ticks: three or more in steps of 1, 2, 2.5 or 5 times a power of ten
    (0, 50, 100, 150), or in powers of ten on a log axis (10, 1000, 100000). A PDF keeps no
    trace of which text is a tick; a data label changed to a value that happens to
    continue such a run would pass."""
    present = set(values)
    ordered = sorted(present)
    ticks: set[Decimal] = set()
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            for step in (second - first,) + ((second / first,) if first > 0 else ()):
                geometric = step != second - first
                if (
                    geometric and not (step > 1 and _nice(step) and step.normalize().scaleb(-step.adjusted()) == 1)
                ) or (not geometric and not _nice(step)):
                    continue
                run = [first, second]
                while (following := run[-1] * step if geometric else run[-1] + step) in present:
                    run.append(following)
                if len(run) >= 3:
                    ticks.update(run)
    return ticks


def verify_outputs(outputs: Iterable[Path], dataset: Path, *, config=None) -> VerifyResult:
    """Verify ``outputs`` against the dataset file ``dataset``; ``config`` (a
    :class:`~reporting.project.config.ProjectConfig`) identifies outputs without a manifest."""
    # a config that does not validate is the caller's error, raised before any output
    project = Project(config).validated() if config is not None else None
    limits = project.book.limits if project is not None else DEFAULT_LIMITS
    return Verifier(load_dataset(dataset, limits=limits), project).verify(outputs)


def verify_batch(manifest: Path, dataset: Path) -> VerifyResult:
    """Verify the outputs a recipient batch made (``batch-manifest.csv``), each against the
    dataset ``dataset`` with its own recipient's figures and name, as the manifest lists
    them. An output changed since the batch wrote it (its sha256 differs) or gone is a
    mismatch; recipients that failed or were refused have no outputs to check."""
    from ..dataset.facts import Localized
    from ..dataset.load import load_dataset
    from ..dataset.sheets import parse_number
    from ..pipeline.batch_manifest import file_sha256, read_manifest

    entries = read_manifest(manifest)
    if not entries:
        raise UnreadableOutput(f"{display_path(manifest)}: not a batch manifest this version of the toolkit wrote")
    folder = manifest.parent
    checks: list[OutputCheck] = []
    for entry in entries.values():
        if entry.status != "ok":
            continue
        loaded = load_dataset(
            dataset,
            overrides={k: parse_number(v) for k, v in entry.figures},
            recipient=Localized(zh=entry.name_zh or entry.recipient, en=entry.name_en or entry.recipient),
        )
        verifier = Verifier(loaded)
        for path, digest in zip(entry.paths(folder), entry.sha256):
            if not path.is_file() or file_sha256(path) != digest:
                check = OutputCheck(path, "batch manifest")
                found = "missing" if not path.is_file() else "changed since the batch wrote it (sha256)"
                check.mismatches.append(
                    Mismatch(path, "output", path.name, "", f"as built for {entry.recipient}", found)
                )
                checks.append(check)
                continue
            checks.append(verifier.check(path))
    return VerifyResult(checks)
