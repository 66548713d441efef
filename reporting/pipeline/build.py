"""Build a report: load → plan → charts → HTML → PDF / deck, each output written atomically.

The renderers (Jinja2, WeasyPrint, python-pptx) are imported where a build first needs
them, so a deck-only build never loads WeasyPrint and the PDF worker forks before any of them.

:class:`Builder` is what the commands call (through
:class:`~reporting.project.job.Project`'s jobs); :func:`build_report` is one build for a
library caller. Options are one explicit :class:`BuildOptions` value; nothing is read from
global state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..charts.mpl import ChartRenderer, render_svg
from ..dataset.facts import Localized
from ..dataset.load import load_dataset
from ..dataset.sanitize import locate
from ..errors import AssetError, ReportError, UsageError, display_path
from ..fonts import missing_characters, require_fonts
from ..lang.chars import describe
from ..lang.editions import Edition
from ..lang.periods import DEFAULT_ENGLISH
from ..limits import DEFAULT_LIMITS, Limits
from ..model.report import Depth, Report
from ..model.planner import plan
from ..model.texts import phrases_in
from ..model.theme import Theme
from ..resources import assets_dir, templates_dir
from .outputs import StagedOutputs, prepare_out_dir
from .pdfworker import PdfWorker

FORMATS = ("pdf", "html", "pptx")
"""Every output format, in the order ``--format all`` writes them."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how. Paths are used as given (relative to the working folder)."""

    formats: tuple[str, ...] = ("pdf",)
    edition: Edition | None = None
    """None: the dataset's own edition (``report.edition``, bilingual unless it says)."""
    out_dir: Path = Path("out")
    theme: Theme = field(default_factory=Theme)
    audience: str = "default"
    sections: tuple[str, ...] | None = None
    depth: Depth = "full"
    key_figures: tuple[str, ...] | None = None
    page_size: str = "A4"
    template_dirs: tuple[Path, ...] = ()
    asset_dirs: tuple[Path, ...] = ()
    """Folders whose files the templates may use (images, fonts, CSS), as the project config
    names them; with the template folders and the built-in assets, all they may read."""
    """User template folders searched before the built-in templates."""
    pptx_template: Path | None = None
    deck_layouts: tuple[tuple[str, str], ...] = ()
    """Slide role → layout name of the pptx template (the others found by their placeholders)."""
    keep_template_slides: bool = False
    """Keep the pptx template's own slides (by default they are dropped)."""
    theme_chosen: bool = False
    """The audience names a theme: it wins over a user pptx template's own colours and fonts."""
    max_slides: int | None = None
    """Most slides the deck may have (an executive deck keeps to a handful)."""
    cover_title: Localized | None = None
    cover_subtitle: Localized | None = None
    english: str = DEFAULT_ENGLISH
    """The English style: ``en-GB`` (31 January) or ``en-US`` (January 31), for dates and
    everything else written by locale."""
    chart_cache: Path | None = None
    """Folder where drawn charts are kept between runs (keyed by spec, theme and code); None: none."""
    recipient: str | None = None
    """The id of the batch recipient the edition is for (:mod:`reporting.pipeline.recipients`),
    added to the file names (``<dataset>_<audience>_<edition>_<recipient>.pdf``); None: none."""
    limits: Limits = DEFAULT_LIMITS
    """The budgets of every input read (the project's ``[limits]``, :mod:`reporting.limits`)."""
    figure_grids: bool = False
    """Print a grid of each section's figures under it (:attr:`Report.figure_grids`)."""
    audit_trail: bool = False
    """Add the appendix of where each figure is stated (:attr:`Report.audit_trail`)."""
    source_date_epoch: int | None = None
    """Build time written into the outputs (seconds since 1970, UTC), as ``SOURCE_DATE_EPOCH``
    gives it; None: the report's date. Either way two builds of the same inputs are identical."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "formats", tuple(dict.fromkeys(self.formats)))  # each format once
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown:
            raise UsageError(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)} or all")

    def plan(self, loaded) -> Report:
        """The report these options ask for, planned from ``loaded`` (a
        :class:`~reporting.dataset.load.LoadedDataset`): the one place options become
        :func:`~reporting.model.planner.plan`'s arguments."""
        return plan(
            loaded,
            self.edition,
            sections=self.sections,
            depth=self.depth,
            audience=self.audience,
            key_figures=self.key_figures,
            title=self.cover_title,
            subtitle=self.cover_subtitle,
            english=self.english,
            figure_grids=self.figure_grids,
            audit_trail=self.audit_trail,
        )


def edition_theme(theme: Theme, report: Report) -> Theme:
    """``theme`` with the fonts for the Chinese of ``report``'s edition: Noto CJK's
    Traditional faces for a Traditional edition (:meth:`Fonts.for_chinese`)."""
    if not report.edition.traditional:
        return theme
    return replace(theme, fonts=theme.fonts.for_chinese(report.edition.chinese))


@dataclass
class BuildResult:
    """The files written and how long each stage took (seconds)."""

    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    pages: int | None = None
    """Pages of the PDF brief, when one was written."""
    parallel_stages: tuple[str, ...] = ()
    """Stages that ran in a forked process alongside the others (their time overlaps)."""
    warnings: list = field(default_factory=list)
    """The dataset's warnings (:attr:`~reporting.dataset.load.LoadedDataset.warnings`): built anyway."""
    left_out: list[str] = field(default_factory=list)
    """What an output leaves out that the report has (slides a deck's ``max_slides`` had no
    room for), or draws cramped (a chart whose labels left its plot no room), one line each
    naming the output or dataset: said on stderr, never dropped silently."""


class Stopwatch:
    """Adds the wall time of named stages into ``timings`` (seconds)."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def brief_chart_size(spec) -> dict[str, float]:
    """Chart size in the brief, in inches: the A4 text column wide, short enough that a
    chart and its caption share a page with text; timelines need more height for labels."""
    height = {"timeline": 3.0, "doughnut": 2.7}.get(spec.kind, 2.5)
    if spec.kind in ("bar", "column") and len(spec.categories) <= 2:
        height = 2.1
    if spec.kind == "bar":
        # A bar chart as tall as its bars need (a row of two-line bilingual labels: some
        # 0.42 in), never taller than the default: three bars do not fill a third of a page.
        rows = len(spec.categories) * max(1, len(spec.series))
        height = min(height, max(1.6, 0.8 + 0.42 * rows))
    return {"width_in": 6.5, "height_in": height}


def build_time(report: Report, options: BuildOptions) -> dt.datetime:
    """When the outputs say they were made (UTC): ``SOURCE_DATE_EPOCH`` if given, else
    the report's date at midnight. Never the clock, so builds are reproducible."""
    if options.source_date_epoch is not None:
        return dt.datetime.fromtimestamp(options.source_date_epoch, tz=dt.timezone.utc)
    return report.midnight


def source_date_epoch(environ) -> int | None:
    """``SOURCE_DATE_EPOCH`` from ``environ`` (https://reproducible-builds.org/specs/source-date-epoch/);
    raise :class:`UsageError` when it is set but not a whole number of seconds."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {value!r}")
    return int(value)


def chart_cache_dir(environ) -> Path:
    """Where drawn charts are kept between runs: ``$XDG_CACHE_HOME/reporting/charts``
    (``~/.cache/reporting/charts`` when ``XDG_CACHE_HOME`` is unset in ``environ``)."""
    base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "reporting" / "charts"


def output_name(report: Report, extension: str, recipient: str | None = None) -> str:
    """``<dataset>_<audience>_<edition>.<ext>``, with ``_<recipient>`` before the extension
    for a batch recipient's edition: the file name says what it holds."""
    own = f"_{recipient}" if recipient else ""
    return f"{report.dataset_id}_{report.audience}_{report.edition.value}{own}.{extension}"


class Builder:
    """Builds reports, sharing fonts and rendered charts between them in one process.

    ``parallel``: PDF briefs are written by a second process (:mod:`reporting.pipeline.pdfworker`),
    started by the first build that asks for a PDF, or earlier by the caller through
    ``pdf_worker``: it sets WeasyPrint up (the import alone takes half a second) while
    this process loads and plans, writes each brief while this process writes the HTML
    preview and the deck, and keeps its fonts loaded for the next build. Only where
    forking is safe (see :mod:`reporting.pipeline.forked`); else everything is done here, one
    after the other: the same bytes either way.

    ``pdf_worker``: one the caller made (and may have started), whose own ``parallel``
    then applies; else the builder makes its own. Use the builder as a context manager,
    or call :meth:`close`, to end it.
    """

    def __init__(self, *, parallel: bool = True, pdf_worker: PdfWorker | None = None) -> None:
        self._charts: dict[tuple[Theme, Path | None], object] = {}
        self._pdf = None
        self.pdf_worker = pdf_worker or PdfWorker(parallel=parallel)
        self._datasets: dict[Path, tuple[bytes, object, Limits]] = {}
        """Loaded datasets by resolved path, with the hash of the bytes they were loaded from."""
        self._compiled = None  # compiled templates, made with the first HTML (render.html.CompiledTemplates)

    @property
    def parallel(self) -> bool:
        """Whether PDF briefs may be written by a second process."""
        return self.pdf_worker.parallel

    def close(self) -> None:
        """End the process writing PDF briefs, if one was started; idempotent."""
        self.pdf_worker.close()

    def __enter__(self) -> "Builder":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def load(self, dataset_path: Path, limits: Limits = DEFAULT_LIMITS):
        """The dataset at ``dataset_path``, loaded once for as long as the content of every
        file it was read from stays the same (the dataset and its ``facts_from``
        spreadsheet): one changed since, even within the same second or back to an older
        modification time, is loaded again. Reads those files each time (a hash of their
        bytes; about a millisecond for a 100 KB dataset). ``limits``: the budgets of the
        files read (:mod:`reporting.limits`)."""
        key = Path(dataset_path).resolve()
        cached = self._datasets.get(key)
        files = cached[1].files if cached is not None else (key,)
        before = _content_digest(files)  # taken before reading: a change while loading is seen next time
        if before is None:  # missing or unreadable: the loader says so
            return load_dataset(dataset_path, limits=limits)
        if cached is not None and cached[0] == before and cached[2] == limits:
            return cached[1]
        loaded = load_dataset(dataset_path, limits=limits)
        digest = before if tuple(loaded.files) == tuple(files) else _content_digest(loaded.files)
        self._datasets[key] = (digest, loaded, limits)
        return loaded

    def forget(self, dataset_path: Path | None = None) -> None:
        """Drop the dataset kept for ``dataset_path`` (every dataset when None), so the
        next build loads it again: for a caller that knows an input changed that the
        dataset file's own bytes do not show (a file it takes facts from)."""
        if dataset_path is None:
            self._datasets.clear()
        else:
            self._datasets.pop(Path(dataset_path).resolve(), None)

    def render_html(self, dataset_path: Path, options: BuildOptions) -> str:
        """The HTML preview of ``options`` as a string (CSS and charts inline, manifest in
        its head), the same text a build writes to the ``.html`` output; writes nothing.

        Charts come from this builder's chart cache; the dataset is the one kept by
        :meth:`load`. Raises :class:`~reporting.errors.ReportError` on bad input.
        """
        watch = Stopwatch({})
        with watch.stage("load"):
            loaded = self.load(dataset_path, options.limits)
        report = self._plan(loaded, options, dataset_path)
        options = replace(options, theme=edition_theme(options.theme, report))
        html, _manifest = self._brief_html(loaded, report, options, watch)
        return html

    def warm_up(self, dataset_path: Path, options: BuildOptions) -> None:
        """Make chart drawing ready (matplotlib imported, the theme's fonts registered) by
        drawing the first chart of ``options``' report past the cache; writes nothing.
        For a caller that keeps running, such as the preview, so that the first edit
        that changes a chart does not also wait a second or more for that."""
        report = self._plan(self.load(dataset_path, options.limits), options, dataset_path)
        if report.charts:
            spec = report.charts[0]
            render_svg(spec, options.theme, **brief_chart_size(spec))

    def _plan(self, loaded, options: BuildOptions, dataset_path: Path) -> Report:
        report = options.plan(loaded)
        check_fonts(report, edition_theme(options.theme, report), dataset_path)
        return report

    def _brief_html(
        self,
        loaded,
        report: Report,
        options: BuildOptions,
        watch: Stopwatch,
        on_note: Callable[[str], None] | None = None,
    ):
        """Charts and the brief's HTML with its manifest embedded; returns (html, manifest).
        ``on_note`` hears of each chart drawn cramped (:func:`reporting.charts.mpl.cramped_note`)."""
        from .manifest import (
            Manifest,
            PlacementRecorder,
            RecordingTemplates,
            embed_in_html,
        )  # Jinja2: when a brief is made

        with watch.stage("charts"):
            renderer = self._chart_renderer(options.theme, options.chart_cache)
            svgs = {spec.id: renderer.svg(spec, **brief_chart_size(spec)) for spec in report.charts}
            for note in renderer.notes:
                if on_note is not None:
                    on_note(note)
            renderer.notes.clear()
        with watch.stage("html"):
            from ..render.html import CompiledTemplates, TemplateSet, render_brief_html

            if self._compiled is None:
                self._compiled = CompiledTemplates()
            recorder = PlacementRecorder(report, loaded)
            html = render_brief_html(
                report,
                options.theme,
                svgs,
                templates=RecordingTemplates.of(TemplateSet.builtin(options.template_dirs, self._compiled), recorder),
                page_size=options.page_size,
                limits=options.limits,
            )
            # What verify needs to re-plan this report and find its figures (see reporting.verify.check).
            brief_manifest = Manifest.of(report, options.sections, options.key_figures, recorder.placements)
            return embed_in_html(html, brief_manifest), brief_manifest

    def build(
        self,
        dataset_path: Path,
        options: BuildOptions,
        *,
        on_output: Callable[[Path], None] | None = None,
    ) -> BuildResult:
        """Build every format in ``options`` from ``dataset_path``; return what was written.

        Side effects: writes files into ``options.out_dir``, all renamed into place
        together once every one is complete. Raises :class:`~reporting.errors.ReportError`
        on bad input; the previous outputs then stay as they were.
        """
        return self.start(dataset_path, options).finish(on_output=on_output)

    def start(self, dataset_path: Path, options: BuildOptions, *, defer: bool = False, loaded=None) -> "PendingBuild":
        """Do all of a build but wait for its PDF brief, which a worker process may still
        be writing: the caller may start other builds meanwhile, then calls
        :meth:`PendingBuild.finish` to publish the outputs, or :meth:`PendingBuild.cancel`.

        ``defer``: plan and render the brief's HTML only; hand the brief to an idle
        worker if there is one, else keep it for :meth:`PendingBuild.send_brief` (when
        every worker is busy); leave the other outputs to
        :meth:`PendingBuild.write_outputs`. :mod:`reporting.pipeline.batch` so keeps the workers
        fed first and writes the decks while they work.

        ``loaded``: the dataset already loaded from ``dataset_path`` (with a recipient's own
        figures, see :func:`~reporting.dataset.facts.load_dataset`) instead of this builder's.

        Raises :class:`~reporting.errors.ReportError` on bad input (nothing is published).
        """
        pending = PendingBuild()
        with contextlib.ExitStack() as failing:
            failing.callback(pending.cancel)
            self._prepare(dataset_path, options, pending, defer=defer, loaded=loaded)
            if not defer:
                pending.write_outputs()
            failing.pop_all()
        return pending

    def _prepare(
        self, dataset_path: Path, options: BuildOptions, pending: "PendingBuild", *, defer: bool, loaded=None
    ) -> None:
        """Plan, render the brief's HTML and send the brief to a worker (or keep it);
        leave in ``pending`` how to write every other output."""
        result = pending.result
        watch = pending.watch
        roots = self._allowed_roots(options)
        if "pdf" in options.formats:
            self.pdf_worker.start_all()  # forked now, it sets WeasyPrint up while this process plans
        with watch.stage("load"):
            loaded = loaded if loaded is not None else self.load(dataset_path, options.limits)
        result.warnings = list(loaded.warnings)
        with watch.stage("plan"):
            report = self._plan(loaded, options, dataset_path)
        options = replace(options, theme=edition_theme(options.theme, report))
        out_dir = prepare_out_dir(options.out_dir)
        pending.staged = pending.cleanup.enter_context(StagedOutputs())
        pending.targets = {fmt: out_dir / output_name(report, fmt, options.recipient) for fmt in options.formats}

        when = build_time(report, options)

        html = brief = None
        if "pdf" in options.formats or "html" in options.formats:
            html, brief_manifest = self._brief_html(
                loaded,
                report,
                options,
                watch,
                on_note=lambda note: result.left_out.append(f"{display_path(dataset_path)}: {note}"),
            )
            brief = self._brief_request(report, options, html, brief_manifest, when, roots)

        def write_html(temp: Path) -> None:
            with watch.stage("html"):
                temp.write_text(html, encoding="utf-8")

        def write_pdf_here(temp: Path) -> None:
            with watch.stage("pdf"):
                result.pages = self._pdf_writer().write(target=temp, **brief)

        def write_pptx(temp: Path) -> None:
            with watch.stage("pptx"):
                from ..render.deck.builder import write_deck

                write_deck(
                    report,
                    options.theme,
                    temp,
                    **self._deck_options(
                        report,
                        loaded,
                        options,
                        when,
                        on_left_out=lambda what: result.left_out.append(
                            f"{display_path(pending.targets['pptx'])}: {what}"
                        ),
                    ),
                )

        pending.formats = options.formats
        pending.writers = {"html": write_html, "pptx": write_pptx}
        if "pdf" in options.formats:
            worker = self.pdf_worker.start()
            pending.brief_request, pending.pdf_writer_here = brief, write_pdf_here
            if worker is not None:
                pending.send_brief(worker)
            elif not (defer and self.pdf_worker.alive):  # else every worker is busy: sent when one is free
                pending.write_brief_here()

    def render(self, dataset_path: Path, options: BuildOptions, fmt: str) -> bytes:
        """One output of ``options`` — ``fmt`` ``pdf``, ``html`` or ``pptx`` — as the bytes of
        its file: the same bytes :meth:`build` writes, rendered in this process (no worker is
        started) and written nowhere. Files are read (the dataset, templates, assets, the
        master); charts are kept in this builder's memory, and in ``options.chart_cache`` on
        disk when that is set. Raises :class:`~reporting.errors.ReportError` on bad input."""
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        loaded = self.load(dataset_path)
        report = self._plan(loaded, options, dataset_path)
        options = replace(options, theme=edition_theme(options.theme, report))
        when = build_time(report, options)
        if fmt == "pptx":
            from ..render.deck.builder import deck_bytes

            return deck_bytes(report, options.theme, **self._deck_options(report, loaded, options, when))
        html, brief_manifest = self._brief_html(loaded, report, options, Stopwatch({}))
        if fmt == "html":
            return html.encode("utf-8")
        roots = self._allowed_roots(options)
        data, _pages = self._pdf_writer().render(
            **self._brief_request(report, options, html, brief_manifest, when, roots)
        )
        return data

    @staticmethod
    def _brief_request(
        report: Report, options: BuildOptions, html: str, brief_manifest, when: dt.datetime, roots: tuple[Path, ...]
    ) -> dict:
        """What the PDF writer takes for the brief (:meth:`reporting.render.pdf.PdfWriter.render`)."""
        from .manifest import MANIFEST_KEY

        return dict(
            html=html,
            allowed_roots=roots,
            base_url=roots[0],
            when=when,
            metadata={MANIFEST_KEY: brief_manifest.to_json()},
            identifier="/".join(
                filter(None, (report.dataset_id, report.audience, report.edition.value, options.recipient))
            ),
        )

    @staticmethod
    def _deck_options(
        report: Report,
        loaded,
        options: BuildOptions,
        when: dt.datetime,
        on_left_out: Callable[[str], None] | None = None,
    ) -> dict:
        """What :func:`reporting.render.deck.builder.deck_bytes` takes for ``options``' deck,
        its manifest (what verify reads back) among them."""
        from .manifest import MANIFEST_KEY, Manifest, PlacementRecorder

        recorder = PlacementRecorder(report, loaded)

        def properties() -> dict[str, str]:
            # What verify needs to re-plan this report and find its figures (see reporting.verify.check).
            manifest = Manifest.of(report, options.sections, options.key_figures, recorder.placements)
            return {MANIFEST_KEY: manifest.to_json()}

        return dict(
            template=options.pptx_template,
            max_slides=options.max_slides,
            when=when,
            on_phrase=recorder,
            properties=properties,
            layout_names=dict(options.deck_layouts) if options.pptx_template else None,
            keep_template_slides=options.keep_template_slides,
            master_look=not options.theme_chosen,
            on_left_out=on_left_out,
            limits=options.limits,
        )

    def _chart_renderer(self, theme: Theme, cache_dir: Path | None):
        """One renderer (and so one in-memory chart cache) per theme and cache folder."""
        key = (theme, cache_dir)
        if key not in self._charts:
            self._charts[key] = ChartRenderer(theme, cache_dir=cache_dir)
        return self._charts[key]

    def _pdf_writer(self):
        from ..render.pdf import PdfWriter

        if self._pdf is None:
            self._pdf = PdfWriter()
        return self._pdf

    @staticmethod
    def _allowed_roots(options: BuildOptions) -> tuple[Path, ...]:
        """What the brief may read: the template folders, the built-in assets, the asset
        folders the project config names and the theme's logo (that file, not its folder).
        Not the dataset's folder: a dataset in the home folder would open all of it to the
        templates of another team."""
        allowed = [*options.template_dirs, templates_dir(), assets_dir(), *options.asset_dirs]
        if options.theme.logo:
            allowed.append(Path(options.theme.logo))
        return tuple(Path(path).resolve() for path in allowed)


def _content_digest(files) -> bytes | None:
    """A hash of the bytes of ``files``, in order; None when one cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        for path in files:
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    except OSError:
        return None
    return digest.digest()


def cancel_all(builds: "Iterable[PendingBuild]") -> None:
    """Cancel each of ``builds`` (an interrupted batch: the workers stop what they started)."""
    for build in builds:
        build.cancel()


class PendingBuild:
    """A build under way (see :meth:`Builder.start`): its outputs are staged, complete or
    being written, and published only by :meth:`finish`, all together. A PDF brief
    goes to a worker process (:meth:`send_brief`); the other outputs are written here
    (:meth:`write_outputs`). :meth:`cancel` (also on any error) ends a worker still
    writing the brief and removes every scratch file. Finishing or cancelling is final.
    """

    def __init__(self) -> None:
        self.result = BuildResult()
        self.watch = Stopwatch(self.result.timings)
        self.cleanup = contextlib.ExitStack()
        self.staged: StagedOutputs | None = None
        self.targets: dict[str, Path] = {}
        self.formats: tuple[str, ...] = ()
        self.writers: dict[str, Callable[[Path], None]] = {}
        """The outputs this process writes, by format: each writes its scratch file."""
        self.brief_request: dict | None = None
        """The brief for a worker (keywords of :meth:`~reporting.render.pdf.PdfWriter.write`)."""
        self.brief_writer = None
        """The :class:`~reporting.pipeline.forked.ForkedWorker` the brief was sent to."""
        self.pdf_writer_here: Callable[[Path], None] | None = None
        """Writes the brief in this process instead (see :meth:`write_brief_here`)."""
        self._brief_answer: tuple[int, float] | None = None
        self._brief_error: ReportError | None = None
        self._written = False
        self._finished = False

    def write_brief_here(self) -> None:
        """Write the brief in this process, with the other outputs, instead of sending it."""
        if self.brief_writer is not None or self.pdf_writer_here is None:
            raise RuntimeError("no brief to write here: none asked for, or sent already")
        self.brief_request = None
        self.writers["pdf"] = self.pdf_writer_here
        self.result.parallel_stages = ()

    @property
    def brief_waiting(self) -> bool:
        """True while the brief still needs a worker (:meth:`send_brief`)."""
        return self.brief_request is not None and self.brief_writer is None

    def send_brief(self, worker) -> None:
        """Hand the brief to the idle ``worker``, which writes it into its scratch file."""
        target = self.targets["pdf"]
        scratch = self.staged.scratch_for(target)
        # Should the build stop while the worker writes, end it before its scratch file
        # goes (exit callbacks run last-in first-out), so it writes nothing afterwards;
        # once its answer is taken, the worker may be writing another build's brief.
        self.cleanup.push(lambda *exc_info: worker.close() if worker.busy and not self.brief_collected else None)
        worker.submit({**self.brief_request, "target": scratch, "publishes_to": target})
        self.brief_writer = worker
        self.result.parallel_stages = ("pdf",)

    def write_outputs(self) -> None:
        """Write every output but the brief a worker writes, in the order of the formats,
        into staging. A brief that failed already stops the build here."""
        if self._written:
            return
        self._written = True
        with contextlib.ExitStack() as failing:
            failing.callback(self.cancel)
            for fmt in self.formats:
                if fmt not in self.writers:
                    continue
                self._raise_brief_error()
                with self.staged.writing(self.targets[fmt]) as temp:
                    self.writers[fmt](temp)
            failing.pop_all()

    def collect_brief(self) -> None:
        """Wait for the worker writing the brief to answer and take its answer, so it is
        free for another brief; an error it raised is raised by :meth:`finish`."""
        if self.brief_writer is not None and not self.brief_collected:
            try:
                self._brief_answer = self.brief_writer.result()
            except ReportError as error:
                self._brief_error = error

    @property
    def brief_collected(self) -> bool:
        """True once the worker's answer about the brief was taken (see :meth:`collect_brief`)."""
        return self._brief_answer is not None or self._brief_error is not None

    def _raise_brief_error(self) -> None:
        if self.brief_writer is not None and self._brief_error is None:
            try:
                self.brief_writer.failed()  # never waits
            except ReportError as error:
                self._brief_error = error
        if self._brief_error is not None:
            raise self._brief_error

    def finish(self, *, on_output: Callable[[Path], None] | None = None) -> BuildResult:
        """Write what is left to write here, wait for the brief a worker writes, rename
        every output into place, all or none (see
        :meth:`~reporting.pipeline.outputs.StagedOutputs.publish_all`); then tell ``on_output``
        each path. Raises :class:`~reporting.errors.ReportError` when anything failed:
        no output is changed."""
        if self._finished:
            raise RuntimeError("this build was finished or cancelled already")
        if self.brief_waiting:
            raise RuntimeError("the brief was never sent to a worker (see send_brief)")
        self.write_outputs()
        self._finished = True
        result = self.result
        with self.cleanup:
            if self.brief_writer is not None:
                self.collect_brief()
                self._raise_brief_error()
                result.pages, result.timings["pdf"] = self._brief_answer  # the worker's own time
            result.outputs = self.staged.publish_all(self.targets[fmt] for fmt in self.formats)
        for target in result.outputs if on_output else ():
            on_output(target)
        return result

    def cancel(self) -> None:
        """Give the build up: nothing is published; idempotent."""
        self._finished = True
        self.cleanup.close()


def report_texts(report: Report) -> Iterable[str]:
    """Every string a report prints, for glyph coverage checks."""
    return (phrase.text for phrase in phrases_in(report))


def check_fonts(report: Report, theme: Theme, dataset_path: Path | None = None) -> None:
    """Raise :class:`AssetError` when a font is missing or a character has no glyph in any
    of the theme's fonts, before anything is rendered (a missing glyph prints as a box).

    With ``dataset_path`` the message also names the field and line where each such
    character is first used in the dataset.
    """
    fonts = require_fonts(theme.fonts.families)
    missing = missing_characters(report_texts(report), fonts)
    if missing:
        where = locate(dataset_path, missing[:10]) if dataset_path is not None else {}
        shown = ", ".join(
            f"{char!r} {describe(char)}" + (f" (in {where[char]})" if char in where else "") for char in missing[:10]
        )
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        families = ", ".join(theme.fonts.families)
        raise AssetError(f"no font in the theme ({families}) can draw: {shown}{more}")


def build_report(dataset_path: Path, options: BuildOptions, *, parallel: bool = False, **kwargs) -> BuildResult:
    """Build one report with a fresh :class:`Builder` (see :meth:`Builder.build`), in this
    process unless ``parallel`` (then a forked worker writes the PDF brief)."""
    with Builder(parallel=parallel) as builder:
        return builder.build(dataset_path, options, **kwargs)
