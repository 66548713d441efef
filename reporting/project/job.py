"""The one decision point: what a build makes, from a project, an audience and the options given.

:meth:`Project.open` finds and reads a project (its ``report.toml``, else the toolkit's
built-in one); :meth:`Project.job` reconciles what the caller asks for with the audience's
settings and the dataset's, by one rule:

    the caller's options (the command line's ``--lang``, ``--page-size`` ...) win over the
    audience's settings in ``report.toml``, which win over the dataset's own
    (``report.edition``).

``make-report``, ``make-report batch``, ``preview``, ``verify`` and ``check`` all ask here,
so they cannot disagree about an edition, a theme or a page size.

A :class:`Job` is immutable and split in three: :class:`Content` (what the report says),
:class:`Look` (how it looks) and :class:`Output` (where and in which formats it is
written). :attr:`Job.options` flattens it into the
:class:`~reporting.pipeline.build.BuildOptions` the pipeline takes.

Reading a project reads ``report.toml`` only; nothing is written, nothing heavy imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..dataset.facts import Localized
from ..errors import UsageError
from ..lang.editions import Edition
from ..lang.periods import DEFAULT_ENGLISH
from ..limits import DEFAULT_LIMITS, Limits
from ..model.report import Depth
from ..model.theme import Theme
from ..pipeline.build import FORMATS, Builder, BuildOptions, BuildResult
from .audiences import DEFAULT_AUDIENCE, AudienceBook
from .config import CONFIG_NAME, ProjectConfig, find_config, load_config


@dataclass(frozen=True)
class Content:
    """What the report says."""

    audience: str = DEFAULT_AUDIENCE
    edition: Edition | None = None
    """None: the dataset's own edition (``report.edition``, bilingual unless it says)."""
    sections: tuple[str, ...] | None = None
    """Section ids in order; None: every section of the dataset."""
    depth: Depth = "full"
    key_figures: tuple[str, ...] | None = None
    cover_title: Localized | None = None
    cover_subtitle: Localized | None = None
    english: str = DEFAULT_ENGLISH
    """``en-GB`` or ``en-US``: how dates and locale-written text read in English."""
    recipient: str | None = None
    """A batch recipient's id (its figures come with the recipients table); None: none."""
    figure_grids: bool = False
    """The brief prints a grid of each section's figures under it."""
    audit_trail: bool = False
    """The brief ends with an appendix of where each figure is stated."""


@dataclass(frozen=True)
class Look:
    """How the report looks: theme, page size, templates and the deck's master."""

    theme: Theme = field(default_factory=Theme)
    theme_chosen: bool = False
    """The audience names a theme: it wins over a user master's own colours and fonts."""
    page_size: str = "A4"
    """``A4`` or ``Letter``, the PDF brief's paper."""
    template_dirs: tuple[Path, ...] = ()
    asset_dirs: tuple[Path, ...] = ()
    pptx_template: Path | None = None
    deck_layouts: tuple[tuple[str, str], ...] = ()
    keep_template_slides: bool = False
    max_slides: int | None = None


@dataclass(frozen=True)
class Output:
    """Where and how the outputs are written."""

    out_dir: Path = Path("out")
    formats: tuple[str, ...] = ("pdf",)
    chart_cache: Path | None = None
    """Folder of charts drawn by earlier runs; None: every chart drawn afresh."""
    source_date_epoch: int | None = None
    """Build time written into the outputs, seconds since 1970 UTC; None: the report's date."""


@dataclass(frozen=True)
class Job:
    """One build, decided: the dataset file, and the report's content, look and output."""

    dataset: Path
    name: str
    """The audience's name (``default`` when none was named)."""
    description: str
    content: Content
    look: Look
    output: Output
    limits: Limits = DEFAULT_LIMITS
    """The budgets of every input the build reads (the config's ``[limits]``, :mod:`reporting.limits`)."""

    @property
    def options(self) -> BuildOptions:
        """The job as the flat :class:`~reporting.pipeline.build.BuildOptions` the pipeline takes."""
        content, look, output = self.content, self.look, self.output
        return BuildOptions(
            formats=output.formats,
            edition=content.edition,
            out_dir=output.out_dir,
            theme=look.theme,
            audience=content.audience,
            sections=content.sections,
            depth=content.depth,
            key_figures=content.key_figures,
            page_size=look.page_size,
            template_dirs=look.template_dirs,
            asset_dirs=look.asset_dirs,
            pptx_template=look.pptx_template,
            deck_layouts=look.deck_layouts,
            keep_template_slides=look.keep_template_slides,
            theme_chosen=look.theme_chosen,
            max_slides=look.max_slides,
            cover_title=content.cover_title,
            cover_subtitle=content.cover_subtitle,
            english=content.english,
            chart_cache=output.chart_cache,
            recipient=content.recipient,
            source_date_epoch=output.source_date_epoch,
            limits=self.limits,
            figure_grids=content.figure_grids,
            audit_trail=content.audit_trail,
        )

    @classmethod
    def of(cls, dataset: Path, name: str, description: str, options: BuildOptions) -> "Job":
        """The job whose :attr:`options` are ``options``."""
        return cls(
            dataset=Path(dataset),
            name=name,
            description=description,
            content=Content(
                audience=options.audience,
                edition=options.edition,
                sections=options.sections,
                depth=options.depth,
                key_figures=options.key_figures,
                cover_title=options.cover_title,
                cover_subtitle=options.cover_subtitle,
                english=options.english,
                recipient=options.recipient,
                figure_grids=options.figure_grids,
                audit_trail=options.audit_trail,
            ),
            look=Look(
                theme=options.theme,
                theme_chosen=options.theme_chosen,
                page_size=options.page_size,
                template_dirs=options.template_dirs,
                asset_dirs=options.asset_dirs,
                pptx_template=options.pptx_template,
                deck_layouts=options.deck_layouts,
                keep_template_slides=options.keep_template_slides,
                max_slides=options.max_slides,
            ),
            output=Output(
                out_dir=options.out_dir,
                formats=options.formats,
                chart_cache=options.chart_cache,
                source_date_epoch=options.source_date_epoch,
            ),
            limits=options.limits,
        )

    def build(self, *, parallel: bool = False, on_output=None) -> BuildResult:
        """Write this job's outputs into :attr:`Output.out_dir` (created if missing), each
        published atomically, and return what was written
        (:class:`~reporting.pipeline.build.BuildResult`).

        Everything is done in the calling process, one output after the other: no process
        is forked. ``parallel=True`` lets a forked worker write the PDF brief while this
        process writes the rest, as ``make-report`` does (the same bytes either way).
        ``on_output(path)`` is called as each file is published. Raises
        :class:`~reporting.errors.ReportError` for bad input; the last good outputs stay.
        """
        with Builder(parallel=parallel) as builder:
            return builder.build(self.dataset, self.options, on_output=on_output)

    def render(self, fmt: str, *, builder: Builder | None = None) -> bytes:
        """This job's output in ``fmt`` (``pdf``, ``html`` or ``pptx``) as the bytes of its
        file: the bytes :meth:`build` would write, rendered in the calling process and
        written nowhere (to publish them is the caller's step). ``builder`` keeps charts,
        the dataset and WeasyPrint's fonts between calls; else a fresh one is used.
        Raises :class:`~reporting.errors.ReportError` for bad input."""
        if builder is not None:
            return builder.render(self.dataset, self.options, fmt)
        with Builder(parallel=False) as fresh:
            return fresh.render(self.dataset, self.options, fmt)

    def but(
        self, *, formats: tuple[str, ...] | None = None, out_dir: Path | None = None, recipient: str | None = None
    ) -> "Job":
        """This job written elsewhere, in other formats, or for a batch recipient."""
        output = self.output
        if formats is not None:
            output = replace(output, formats=_formats(formats))
        if out_dir is not None:
            output = replace(output, out_dir=Path(out_dir))
        content = self.content if recipient is None else replace(self.content, recipient=recipient)
        return replace(self, content=content, output=output)


def _formats(formats) -> tuple[str, ...]:
    """Each format once, ``all`` for every one; :class:`UsageError` for an unknown one."""
    formats = tuple(formats)
    if "all" in formats:
        return FORMATS
    return BuildOptions(formats=formats).formats


class Project:
    """A report project: its config (``report.toml``) and the audiences it defines.

    For example:

        project = Project.open("my-brief")
        job = project.job("executive", edition="en")
        job.content.edition, job.look.theme.name, job.look.page_size
    """

    def __init__(self, config: ProjectConfig, *, builtin: bool = False):
        self.config = config
        self.builtin = builtin
        """True when no ``report.toml`` was found and the toolkit's sample project is in force."""
        self._book: AudienceBook | None = None

    @classmethod
    def open(cls, path: str | Path | None = None, *, config: str | Path | None = None) -> "Project":
        """The project in folder ``path`` (or the config file ``path``), else the working
        folder; ``config`` names its ``report.toml`` elsewhere. A folder without
        ``report.toml`` builds the toolkit's built-in sample project. Raises
        :class:`~reporting.errors.UsageError` for a folder or file that is not there,
        :class:`~reporting.errors.DataError` for a config that does not parse."""
        if path is not None and config is None and Path(path).is_file():
            config, path = Path(path), None
        folder = Path(path) if path is not None else None
        found = find_config(Path(config) if config is not None else None, folder)
        builtin = config is None and not ((folder or Path.cwd()) / CONFIG_NAME).is_file()
        return cls(load_config(found), builtin=builtin)

    @property
    def folder(self) -> Path:
        return self.config.folder

    @property
    def dataset(self) -> Path:
        """The dataset file the config names (``project.dataset``)."""
        return self.config.dataset

    @property
    def book(self) -> AudienceBook:
        """The audiences, validated on first use (:class:`~reporting.errors.DataError` naming
        each bad setting)."""
        if self._book is None:
            self._book = AudienceBook(self.config)
        return self._book

    def validated(self) -> "Project":
        """This project, its audiences validated now (:class:`~reporting.errors.DataError`
        naming each bad setting) rather than on first use."""
        _ = self.book
        return self

    @property
    def audience_names(self) -> list[str]:
        return self.book.names

    def job(
        self,
        audience: str | None = None,
        *,
        edition: str | Edition | None = None,
        page_size: str | None = None,
        recipient: str | None = None,
        data: str | Path | None = None,
        formats=("pdf",),
        out_dir: str | Path = Path("out"),
        template_dirs=(),
        pptx_template: str | Path | None = None,
        chart_cache: Path | None = None,
        source_date_epoch: int | None = None,
    ) -> Job:
        """The build of ``audience`` (None: every section, as the options say).

        ``edition`` and ``page_size`` given here win over the audience's; the audience's
        win over the dataset's (an edition left None is the dataset's ``report.edition``,
        resolved when the report is planned). ``template_dirs`` are searched before the
        audience's and the project's; ``pptx_template`` replaces the audience's master.
        ``data`` replaces the project's dataset. Raises :class:`UsageError` for an
        audience the config does not define (naming those it does) or a file it names
        that is not there.
        """
        base = BuildOptions(
            formats=_formats(formats),
            edition=Edition(edition) if edition else None,
            out_dir=Path(out_dir),
            template_dirs=tuple(Path(folder) for folder in template_dirs),
            pptx_template=Path(pptx_template) if pptx_template is not None else None,
            page_size=page_size or "A4",
            chart_cache=chart_cache,
            source_date_epoch=source_date_epoch,
        )
        book = self.book
        chosen = book.get(audience, base) if audience else book.default(base)
        options = chosen.options
        if edition:
            options = replace(options, edition=Edition(edition))
        if page_size:
            options = replace(options, page_size=page_size)
        if recipient is not None:
            options = replace(options, recipient=recipient)
        dataset = Path(data) if data is not None else self.dataset
        return Job.of(dataset, chosen.name, chosen.description, options)

    def jobs(self, **options) -> list[Job]:
        """A job for every audience the config defines, in order, with the same ``options``
        as :meth:`job` takes; :class:`UsageError` when it defines none."""
        if not self.audience_names:
            raise UsageError("the project config defines no audiences")
        return [self.job(name, **options) for name in self.audience_names]
