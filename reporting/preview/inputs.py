"""What the preview reads: the project config, its audiences, the dataset and the
folders a build takes templates and assets from; which of them a changed file touches.

One :class:`ProjectInputs` per thread that builds (it caches the parsed config);
nothing here is shared between threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..project.audiences import AudienceBook
from ..pipeline.build import BuildOptions
from ..errors import ReportError, UsageError
from ..project.config import ProjectConfig, find_config, load_config
from ..project.job import Job, Project
from ..resources import assets_dir, templates_dir

from ..lang.editions import EDITION_NAMES as EDITIONS

_AUDIENCE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")  # the names report.toml allows


@dataclass(frozen=True)
class Selection:
    """Which report a page shows: an audience of ``report.toml`` (``None``: every section,
    as the command line says) and an edition (``None``: the audience's own)."""

    audience: str | None = None
    edition: str | None = None

    @classmethod
    def parse(cls, audience: str | None, edition: str | None) -> "Selection":
        """From query parameters; raise :class:`UsageError` for a value no config could
        hold, so a page is never made for arbitrary text (``""`` means unset)."""
        audience = audience or None
        edition = edition or None
        if audience is not None and audience != "default" and not _AUDIENCE_NAME.match(audience):
            raise UsageError(f"not an audience name: {audience[:60]!r}")
        if edition is not None and edition not in EDITIONS:
            raise UsageError(f"unknown edition {edition[:20]!r}; choose from {', '.join(EDITIONS)}")
        return cls(None if audience == "default" else audience, edition)

    def query(self) -> dict[str, str]:
        """The query parameters that select this report (empty ones left out)."""
        return {key: value for key, value in (("audience", self.audience), ("lang", self.edition)) if value}


@dataclass(frozen=True)
class Settings:
    """The command line's part: where the project is and what it overrides. Paths as given."""

    config: Path | None = None
    project: Path | None = None
    data: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    page_size: str | None = None
    chart_cache: Path | None = None
    source_date_epoch: int | None = None


@dataclass(frozen=True)
class WatchPlan:
    """What to watch: ``files`` by name (their folders watched, not recursively), every
    file of ``folders`` (not recursively: a dataset's folder, where a spreadsheet it
    takes facts from sits) and every file under ``trees`` (templates and assets)."""

    files: frozenset[Path]
    folders: frozenset[Path]
    trees: frozenset[Path]

    def flat_dirs(self) -> set[Path]:
        return {path.parent for path in self.files} | set(self.folders)


class ProjectInputs:
    """The project's config, audiences and dataset, as :class:`Settings` finds them.

    The parsed config is kept until :meth:`forget_config`; a config that fails to parse
    raises its :class:`~reporting.errors.DataError` (file, line, field) on every use
    until it is fixed.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.config_path = find_config(settings.config, settings.project).resolve()
        self._project: Project | None = None
        self._dataset_dir: Path | None = None  # the last one known, for when the config breaks

    def forget_config(self) -> None:
        self._project = None

    def project(self) -> Project:
        if self._project is None:
            # validated now: a bad config raises here, every time until it is fixed
            self._project = Project(load_config(self.config_path)).validated()
        return self._project

    def book(self) -> AudienceBook:
        return self.project().book

    @property
    def project_config(self) -> ProjectConfig:
        return self.book().config

    def dataset_path(self) -> Path:
        return Path(self.settings.data) if self.settings.data else self.book().config.dataset

    def audience_names(self) -> list[str]:
        return self.book().names

    def job(self, selection: Selection, formats: tuple[str, ...] = ("html",), out_dir: Path = Path("out")) -> Job:
        """The build of ``selection``, as ``make-report --audience A --lang L`` decides it
        (:meth:`~reporting.project.job.Project.job`)."""
        settings = self.settings
        return self.project().job(
            selection.audience,
            edition=selection.edition,
            page_size=settings.page_size,
            data=settings.data,
            formats=formats,
            out_dir=out_dir,
            template_dirs=settings.template_dirs,
            chart_cache=settings.chart_cache,
            source_date_epoch=settings.source_date_epoch,
        )

    def options(
        self, selection: Selection, formats: tuple[str, ...] = ("html",), out_dir: Path = Path("out")
    ) -> BuildOptions:
        """The build options of :meth:`job`."""
        return self.job(selection, formats, out_dir).options

    def watch_plan(self) -> WatchPlan:
        """Every input of every audience: the config, the dataset's folder, the template
        folders (command line, project, audiences, built-in), the assets and deck masters.
        A config that does not parse still has itself and the dataset watched."""
        files = {self.config_path}
        folders: set[Path] = set()
        trees = {
            templates_dir().resolve(),
            assets_dir().resolve(),
            *(Path(d).resolve() for d in self.settings.template_dirs),
        }
        if self.settings.data:
            folders.add(Path(self.settings.data).resolve().parent)
        try:
            book = self.book()
            folders.add(self.dataset_path().resolve().parent)
            for name in [None, *book.names]:
                try:
                    options = self.options(Selection(name))
                except UsageError:
                    continue  # a folder it names is missing: nothing there to watch yet
                trees.update(Path(folder).resolve() for folder in options.template_dirs)
                if options.pptx_template:
                    files.add(Path(options.pptx_template).resolve())
        except (ReportError, OSError):  # the config does not parse or cannot be read: watch it until it does
            pass
        return WatchPlan(frozenset(files), frozenset(folders), frozenset(path for path in trees if path.is_dir()))

    def touched(self, paths: set[Path]) -> set[str]:
        """Which inputs ``paths`` (changed files) belong to: ``config``, ``dataset``,
        ``templates`` (anything else watched: templates, CSS, assets, masters)."""
        kinds = set()
        try:
            self._dataset_dir = self.dataset_path().resolve().parent
        except (ReportError, OSError):  # a config that does not parse: keep the dataset's last folder
            pass
        for path in paths:
            path = Path(path)
            if path == self.config_path:
                kinds.add("config")
            elif self._dataset_dir is None or path.parent == self._dataset_dir:
                kinds.add("dataset")
            else:
                kinds.add("templates")
        return kinds
