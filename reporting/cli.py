"""``make-report``: options in, library calls out.

The CLI holds no logic of its own: it turns options into a
:class:`~reporting.pipeline.build.BuildOptions`, calls the library and turns a
:class:`~reporting.errors.ReportError` into a message and an exit status
(1 for bad input, 2 for misuse). Heavy libraries are imported only when a
command runs, so ``--help`` is instant.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import click

EDITIONS = ("bilingual", "zh", "en")
FORMAT_CHOICES = ("pdf", "html", "pptx", "all")


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP), raised like Ctrl-C so that every ``finally`` runs: an output
    being written is removed, not left half-written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum, _frame):
    raise Terminated(signum)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` while a command runs.

    Python's default for these signals ends the process at once, leaving a
    temporary ``.part`` file behind; SIGINT already raises ``KeyboardInterrupt``.
    Only the main thread can set handlers; elsewhere (an embedding program) this
    does nothing.

    A signal that arrives while Python runs a finalizer (a weak reference's callback,
    ``__del__``, during garbage collection) raises there, where Python cannot pass the
    exception on: it would print "Exception ignored … Traceback" and the build would
    go on. Such an interruption is raised again a moment later instead, in the code
    that runs then (:class:`_Redelivery`).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise_terminated)
    redelivery = None
    if hasattr(signal, "setitimer") and signal.getsignal(signal.SIGALRM) is signal.SIG_DFL:
        redelivery = _Redelivery(sys.unraisablehook)
        previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, redelivery.on_alarm)
        sys.unraisablehook = redelivery.hook
    try:
        yield
    finally:
        if redelivery is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.unraisablehook = redelivery.fallback
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Redelivery:
    """Raises again an interruption (Ctrl-C, :class:`Terminated`) that Python could not
    pass on because it was raised inside a finalizer: :meth:`hook` (the
    ``sys.unraisablehook``) keeps it and sets a timer of a millisecond, whose SIGALRM
    (:meth:`on_alarm`) raises it in whatever runs then; should that be a finalizer
    again, the same happens once more. Anything else goes to ``fallback``."""

    def __init__(self, fallback) -> None:
        self.fallback = fallback
        self.pending: KeyboardInterrupt | None = None

    def hook(self, unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            self.pending = unraisable.exc_value
            signal.setitimer(signal.ITIMER_REAL, 0.001)
            return
        self.fallback(unraisable)

    def on_alarm(self, _signum, _frame) -> None:
        error, self.pending = self.pending, None
        if error is not None:
            raise error.with_traceback(None)


def _print_traceback() -> None:
    """The traceback of the error being handled, with its notes (where a forked worker
    raised it) on stderr."""
    traceback.print_exc(file=sys.stderr)
    if sys.version_info < (3, 11):  # later versions print the notes in the traceback
        for note in getattr(sys.exc_info()[1], "__notes__", ()):
            print(note, file=sys.stderr)


class ReportGroup(click.Group):
    """Runs the build when no subcommand is named; maps errors to exit statuses.

    A :class:`~reporting.errors.ReportError` prints one message (and with ``--debug``
    its traceback first) and exits with its status: 1 for bad input, 2 for misuse.
    SIGINT and SIGTERM stop the build without leaving a partial file and exit with
    128 + the signal number (130, 143).
    """

    def invoke(self, ctx: click.Context):
        from .errors import ReportError

        try:
            with _interruptible():
                return super().invoke(ctx)
        except ReportError as error:
            if ctx.obj and ctx.obj.get("debug"):
                _print_traceback()
            click.echo(f"make-report: error: {error}", err=True)
            if error.exit_code == 2:
                click.echo("Try 'make-report --help' for help.", err=True)
            ctx.exit(error.exit_code)
        except OSError as error:
            # A system error no part of the toolkit named (an output's is an OutputError):
            # still one line, naming the file when the system names one.
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc(file=sys.stderr)
            from .errors import display_path

            where = f"{display_path(error.filename)}: " if error.filename else ""
            click.echo(f"make-report: error: {where}{error.strerror or error}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt as error:
            signum = getattr(error, "signum", signal.SIGINT)
            if ctx.obj and ctx.obj.get("debug"):
                _print_traceback()
            click.echo(f"make-report: interrupted ({signal.Signals(signum).name}); "
                       f"files being written were removed, earlier outputs are unchanged", err=True)
            ctx.exit(128 + signum)


@click.group(cls=ReportGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--format", "formats", type=click.Choice(FORMAT_CHOICES), multiple=True,
              help="Output format; repeat for several. 'all' writes PDF, HTML and PPTX. "
                   "[default: pdf; every format with --audience all]")
@click.option("--lang", "edition", type=click.Choice(EDITIONS),
              help="Edition: Chinese and English together, or one language. [default: bilingual, or the audience's]")
@click.option("--audience", "audience",
              help="Build for one audience of the project config, or 'all' of them in parallel.")
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Dataset YAML file. [default: the project's dataset]")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write into (created if missing). [default: out/ in the project folder]")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Project config file. [default: report.toml in the project folder]")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False),
              help="Project folder holding report.toml. [default: the working folder]")
@click.option("--templates", "template_dirs", type=click.Path(path_type=Path, file_okay=False), multiple=True,
              help="Folder of template overrides, searched before the built-in templates; repeatable.")
@click.option("--pptx-template", "pptx_template", type=click.Path(path_type=Path, dir_okay=False),
              help="A corporate .pptx master whose layouts the deck uses (found by name).")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]),
              help="Paper size of the PDF brief. [default: A4, or the audience's]")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Processes writing PDF briefs while this one plans and writes the decks and previews: "
                   "up to N for --audience all, one for a single audience; 1 writes everything in this "
                   "process, in turn. [default: CPU cores]")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Draw every chart afresh instead of reusing those drawn by earlier runs.")
@click.option("--verify", "verify_after", is_flag=True,
              help="Verify the outputs against the dataset once written (see 'make-report verify'); exit 1 on a mismatch.")
@click.option("--timings", is_flag=True, help="Print the time each stage took.")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.pass_context
def main(ctx: click.Context, formats, edition, audience, data, out_dir, config, project, template_dirs,
         pptx_template, page_size, jobs, no_cache, verify_after, timings, debug):
    """Build a bilingual report — PDF brief, PowerPoint deck, HTML preview — from one facts dataset.

    \b
    Examples:
      make-report                          # bilingual PDF of the project's dataset into out/
      make-report --format all --lang en   # English PDF, HTML preview and deck
      make-report --audience executive     # the executive audience of report.toml
      make-report --audience all           # every audience, in parallel
      make-report --data my.yaml --out build --format pptx

    Prints the path of every file it writes. With SOURCE_DATE_EPOCH set, the outputs
    carry that time (else the report's date): the same inputs give the same bytes.
    """
    ctx.ensure_object(dict)["debug"] = debug
    if ctx.invoked_subcommand is not None:
        return
    from .pipeline.forked import usable_cpus
    from .pipeline.pdfworker import PdfWorker

    # Misuse is found before any process starts: the files named, the project config,
    # the audience asked for (these checks import nothing heavy).
    if out_dir is None:
        out_dir = (Path(project) if project else Path.cwd()) / "out"
    project_config = _check_build_inputs(data, pptx_template, template_dirs, config, project, audience, out_dir)
    chosen = _formats(formats, audience)
    # One process writes a single audience's brief; --audience all at most one per core
    # and one per audience.
    processes = min(jobs or usable_cpus(), len(project_config.audience_names)) if audience == "all" else 1
    with PdfWorker(parallel=jobs != 1, processes=processes) as pdf_worker:
        if "pdf" in chosen:
            pdf_worker.start_all()  # WeasyPrint loads on the other cores while the toolkit and dataset do here
        request = BuildRequest(formats=chosen, edition=edition, audience=audience, data=data, out_dir=out_dir,
                               project_config=project_config, template_dirs=tuple(template_dirs),
                               pptx_template=pptx_template, page_size=page_size, jobs=jobs, no_cache=no_cache,
                               verify=verify_after, timings=timings)
        _build(request, pdf_worker)


def _formats(formats: tuple[str, ...], audience: str | None) -> tuple[str, ...]:
    """The formats to write, each once, in the order ``all`` writes them: as asked; else PDF,
    or every format for ``--audience all`` (as ``--help`` says)."""
    from .pipeline.build import FORMATS

    if not formats:
        return FORMATS if audience == "all" else ("pdf",)
    return FORMATS if "all" in formats else tuple(dict.fromkeys(formats))


@dataclass(frozen=True)
class BuildRequest:
    """What the build options asked for, as given (``None``: not given, the project's or
    the audience's setting applies)."""

    formats: tuple[str, ...]
    edition: str | None
    audience: str | None
    """An audience of the project config, ``"all"``, or ``None`` for the default."""
    data: Path | None
    out_dir: Path
    project_config: object
    """The :class:`~reporting.project.config.ProjectConfig` already found and read."""
    template_dirs: tuple[Path, ...]
    pptx_template: Path | None
    page_size: str | None
    jobs: int | None
    no_cache: bool
    verify: bool
    timings: bool


def _build(request: BuildRequest, pdf_worker) -> None:
    import os

    from .lang.editions import Edition
    from .pipeline.build import BuildOptions, Builder, chart_cache_dir, source_date_epoch
    from .project.audiences import AudienceBook

    project_config = request.project_config
    book = AudienceBook(project_config)
    dataset = request.data or project_config.dataset
    base = BuildOptions(
        formats=request.formats,
        edition=Edition(request.edition or "bilingual"),
        out_dir=request.out_dir,
        template_dirs=request.template_dirs,
        pptx_template=request.pptx_template,
        page_size=request.page_size or "A4",
        chart_cache=None if request.no_cache else chart_cache_dir(os.environ),
        source_date_epoch=source_date_epoch(os.environ),
    )
    if request.audience == "all":
        chosen = [book.get(name, base) for name in book.names]
        outputs = _build_all(dataset, [_command_line_wins(one, request.edition, request.page_size) for one in chosen],
                             request.jobs, pdf_worker)
        if request.verify:
            _verify(outputs, dataset, project_config, err=True)
        return
    audience = book.get(request.audience, base) if request.audience else book.default(base)
    chosen = _command_line_wins(audience, request.edition, request.page_size)
    with Builder(pdf_worker=pdf_worker) as builder:
        result = builder.build(dataset, chosen.options, on_output=lambda path: click.echo(str(path)))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if request.timings:
        for stage, seconds in result.timings.items():
            alongside = " (in a second process, alongside the others)" if stage in result.parallel_stages else ""
            click.echo(f"{stage:>8}: {seconds:6.3f} s{alongside}", err=True)
    if request.verify:
        _verify(result.outputs, dataset, project_config, err=True)


def _command_line_wins(audience, edition: str | None, page_size: str | None):
    """``audience`` with the options given on the command line (``--lang``,
    ``--page-size``) in place of its own settings, for one audience as for all."""
    from dataclasses import replace

    from .lang.editions import Edition

    options = audience.options
    if edition:
        options = replace(options, edition=Edition(edition))
    if page_size:
        options = replace(options, page_size=page_size)
    return replace(audience, options=options)


def _verify(outputs, dataset: Path, project_config, *, err: bool = False) -> None:
    """Print the verification table; exit 1 on any mismatch."""
    from .verify.check import verify_outputs

    result = verify_outputs(outputs, dataset, config=project_config)
    click.echo(result.table(), err=err)
    if not result.ok:
        click.echo(f"make-report: verify: {len(result.mismatches)} mismatch(es)", err=True)
        raise click.exceptions.Exit(1)


def _build_all(dataset: Path, audiences, jobs: int | None, pdf_worker) -> list[Path]:
    """Every audience in parallel; progress on stderr, paths on stdout; exit 1 if any failed.
    Returns the files written."""
    from .pipeline.batch import build_audiences
    from .errors import UsageError

    if not audiences:
        raise UsageError("the project config defines no audiences")

    width = max(len(audience.name) for audience in audiences)

    def progress(done: int, total: int, outcome) -> None:
        click.echo(progress_line(done, total, outcome, width), err=True)
        if outcome.result:
            for path in outcome.result.outputs:
                click.echo(str(path))

    click.echo(f"Building {len(audiences)} audiences: {', '.join(a.name for a in audiences)} "
               f"(each line: time since the start when it was done)", err=True)
    outcomes = build_audiences(dataset, audiences, jobs=jobs, on_done=progress, pdf_worker=pdf_worker)
    for warning in next((o.result.warnings for o in outcomes if o.result), []):  # one dataset: once
        click.echo(str(warning), err=True)
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    for outcome in failed:
        click.echo(f"make-report: error: audience {outcome.audience}: {outcome.error}", err=True)
    if failed:
        raise click.exceptions.Exit(1)
    return [path for outcome in outcomes if outcome.result for path in outcome.result.outputs]


def progress_line(done: int, total: int, outcome, width: int) -> str:
    """``[2/4]   5.8 s  press      ok``: the time since the batch began, so the lines read in
    order (each audience's own time overlaps the others')."""
    status = "ok" if outcome.error is None else "FAILED"
    counter = f"[{done}/{total}]"
    return f"{counter:>{2 * len(str(total)) + 3}} {outcome.finished_at:6.1f} s  {outcome.audience:<{width}}  {status}"


def _check_inputs(data: Path | None, pptx_template: Path | None, template_dirs) -> None:
    """Misuse (exit 2) is found before any work starts."""
    from .errors import UsageError, display_path

    if data is not None and not data.is_file():
        raise UsageError(f"dataset not found: {display_path(data)}")
    if pptx_template is not None and not pptx_template.is_file():
        raise UsageError(f"pptx template not found: {display_path(pptx_template)}")
    for folder in template_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"template folder not found: {display_path(folder)}")


def _check_build_inputs(data: Path | None, pptx_template: Path | None, template_dirs, config: Path | None,
                        project: Path | None, audience: str | None, out_dir: Path):
    """Before a build starts any process: the files and folders named, the output folder
    (writable, or possible to make), the project config (read, not yet validated:
    :class:`~reporting.project.audiences.AudienceBook` does that), its dataset and the
    audience asked for; each a :class:`UsageError` (exit 2). Imports nothing heavy.
    Returns the project config."""
    from .errors import UsageError, display_path
    from .pipeline.outputs import check_out_dir
    from .project.config import find_config, load_config

    _check_inputs(data, pptx_template, template_dirs)
    check_out_dir(out_dir)
    project_config = load_config(find_config(config, project))
    if data is None and not project_config.dataset.is_file():
        raise UsageError(f"dataset not found: {display_path(project_config.dataset)} "
                         f"(project.dataset in {display_path(project_config.path)})")
    if audience == "all" and not project_config.audience_names:
        raise UsageError("the project config defines no audiences")
    if audience and audience != "all":
        project_config.require_audience(audience)
    return project_config


@main.command()
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Project config file.")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
def audiences(config, project):
    """List the audiences of the project config, one line each.

    \b
    Example:
      make-report audiences
    """
    from .project.audiences import AudienceBook
    from .pipeline.build import BuildOptions
    from .project.config import find_config, load_config

    book = AudienceBook(load_config(find_config(config, project)))
    if not book.names:
        click.echo("(no audiences defined in the project config)")
        return
    rows = [("audience", "edition", "depth", "description")]
    for name in book.names:
        audience = book.get(name, BuildOptions())
        rows.append((name, audience.options.edition.value, audience.options.depth, audience.description))
    for line in columns(rows):
        click.echo(line)


def columns(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart; the first row is a header,
    underlined. Widths count characters (the names and values here are ASCII)."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]

    def line(cells) -> str:
        return "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths)).rstrip()

    return [line(rows[0]), line("-" * width for width in widths), *(line(row) for row in rows[1:])]


@main.command("deck-layouts")
@click.argument("master", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--audience", "audience", help="Use the layout names this audience of the project config gives.")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Project config file.")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
def deck_layouts(master, audience, config, project):
    """List MASTER's slide layouts with their placeholders, the slide role each would serve, and the roles that fall back.

    Layouts are found by their placeholders; names given per role in report.toml
    (deck_layouts, for the project or --audience) win.

    \b
    Example:
      make-report deck-layouts corporate.pptx
    """
    from .pipeline.build import BuildOptions
    from .project.audiences import AudienceBook
    from .project.config import find_config, load_config
    from .render.deck.builder import describe_template

    book = AudienceBook(load_config(find_config(config, project)))
    chosen = book.get(audience, BuildOptions()) if audience else book.default(BuildOptions())
    click.echo(describe_template(master, dict(chosen.options.deck_layouts)))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Start from this project config and its dataset. [default: the one in force]")
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Build the project around this dataset: audiences made from its own sections and figures.")
@click.option("--blank", is_flag=True, help="Start from a small commented dataset that builds as it is.")
def init(folder, config, data, blank):
    """Create a report project in FOLDER: a dataset, report.toml, templates to override, a README.

    With --data FILE the project is made around your dataset: a two-page summary, the
    full bilingual brief, a Chinese and an English edition, each from the dataset's own
    sections. With --blank, around a small commented dataset to start from. Otherwise
    it copies the project config in force and its dataset. Then run make-report inside
    FOLDER (or with --project FOLDER).

    \b
    Examples:
      make-report init my-brief --data figures.yaml && cd my-brief && make-report --audience all
      make-report init my-brief --blank
    """
    _init(folder, config, data, blank)


def _init(folder: Path, config: Path | None, data: Path | None, blank: bool) -> None:
    from .errors import UsageError
    from .project.config import find_config, load_config
    from .project.scaffold import init_own_project, init_project

    if sum(bool(given) for given in (config, data, blank)) > 1:
        raise UsageError("give one of --config, --data and --blank")
    _check_inputs(data, None, ())
    command = _installed_command()
    if data is not None or blank:
        paths = init_own_project(folder, data, command=command)
    else:
        paths = init_project(folder, load_config(find_config(config)), command=command)
    for path in paths:
        click.echo(str(path))


def _installed_command() -> str:
    """How this toolkit's command is run on this machine, for a project's README:
    ``make-report`` when the one on PATH is this one, else the virtualenv's by its path."""
    import shutil

    beside = Path(sys.executable).parent / "make-report"
    found = shutil.which("make-report")
    if beside.is_file():
        return "make-report" if found and Path(found).resolve() == beside.resolve() else str(beside)
    return "make-report" if found else f"{sys.executable} -m reporting"


@main.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Dataset YAML file to check against. [default: the project's dataset]")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Project config (for outputs without a manifest). [default: the one in force]")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
def verify(outputs, data, config, project):
    """Check built PDFs, decks and HTML previews against the dataset.

    Every figure the report placed in an output must be in its text as the dataset
    formats it now, and every number in the body text must be a value of the
    dataset (years, dates, page and paragraph numbers and the like are excepted by
    rule). Prints a table; exits 1 on any mismatch.

    \b
    Example:
      make-report verify out/*.pdf out/*.pptx
    """
    from .project.config import find_config, load_config

    project_config = load_config(find_config(config, project))
    _verify(outputs, data or project_config.dataset, project_config)


@main.command()
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Also check that this machine's fonts draw this dataset's characters "
                   "(the dataset itself: make-report check).")
def doctor(data):
    """Check that this machine can build the default report correctly.

    About the machine, not a dataset: 'make-report check' checks datasets,
    project configs and templates.

    Reports Python and library versions, the system libraries WeasyPrint needs,
    the font file each font family resolves to, and whether HarfBuzz subsetting is
    available. Exits 1 when the default report cannot be built correctly.

    \b
    Example:
      make-report doctor
    """
    from .doctor import run_checks

    checks = run_checks(data)
    width = max(len(check.name) for check in checks)
    for check in checks:
        mark = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}[check.status]
        click.echo(f"[{mark}] {check.name:<{width}}  {check.detail}")
    failed = [check for check in checks if check.status == "fail"]
    if failed:
        click.echo(f"\n{len(failed)} check(s) failed: the default report cannot be built correctly.", err=True)
        sys.exit(1)
    click.echo("\nAll required checks passed.")


@main.command()
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Dataset to check. [default: the project's dataset]")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False),
              help="Project config file. [default: report.toml in the project folder]")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
def check(data, config, project):
    """Check the dataset, the project config and the user templates without building.

    The dataset (schema, references, placeholders, derivations, glyphs), the
    audiences of report.toml (sections, facts, themes, templates and masters that
    exist) and the syntax of every user template. Prints every problem as
    FILE:LINE: field: message and exits 1; else one 'ok:' line, exit 0.

    \b
    Example:
      make-report check
      make-report check --data data/new.yaml
    """
    _check(data, config, project)


def _check(data, config, project) -> None:
    from .project.check import check_project
    from .project.config import find_config, load_config

    _check_inputs(data, None, ())
    result = check_project(load_config(find_config(config, project)), data)
    for warning in result.warnings:
        click.echo(str(warning))
    if result.ok:
        click.echo(result.summary())
        return
    for problem in result.problems:
        click.echo(str(problem))
    count = len(result.problems)
    click.echo(f"make-report: check: {count} problem{'s' if count != 1 else ''}", err=True)
    raise click.exceptions.Exit(1)


@main.command()
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--markdown", is_flag=True,
              help="The dataset format's reference in Markdown (docs/dataset.md) instead of the JSON Schema.")
def schema(target, markdown):
    """Print (or write to TARGET) the JSON Schema of a dataset file, or with --markdown its reference.

    \b
    Examples:
      make-report schema data/dataset.schema.json
      make-report schema --markdown docs/dataset.md
    """
    text = _schema_text(markdown)
    if target is None:
        click.echo(text, nl=False)
    else:
        from .pipeline.outputs import write_text

        write_text(Path(target), text)
        click.echo(str(target))


@main.group()
def facts():
    """The dataset's facts as a spreadsheet, for the people who own the numbers.

    \b
    Example:
      make-report facts export figures.xlsx
    """


@facts.command("export")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Dataset whose facts to export. [default: the project's dataset]")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Project config file.")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
def facts_export(target, data, config, project):
    """Write the dataset's facts to TARGET (.xlsx or .csv), one fact a row.

    A dataset reads such a sheet back with 'facts_from: TARGET' in place of its facts
    list, and builds the same report. Derived figures keep their rule, not a value.

    \b
    Examples:
      make-report facts export figures.xlsx
      make-report facts export --data data/acme.yaml figures.csv
    """
    _facts_export(target, data, config, project)


def _facts_export(target: Path, data: Path | None, config: Path | None, project: Path | None) -> None:
    import os

    from .dataset.load import load_dataset
    from .pipeline.build import source_date_epoch
    from .pipeline.exports import export_facts
    from .project.config import find_config, load_config

    _check_inputs(data, None, ())
    dataset = data or load_config(find_config(config, project)).dataset
    timestamp = source_date_epoch(os.environ)
    click.echo(str(export_facts(load_dataset(dataset).dataset.facts, target, timestamp=timestamp)))


def _schema_text(markdown: bool) -> str:
    import json

    from .dataset.facts import json_schema

    if markdown:
        from .dataset.docs import render_markdown

        return render_markdown(json_schema())
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


@main.command()
@click.option("--audience", "audience", help="Audience of the project config to show first. [default: every section]")
@click.option("--lang", "edition", type=click.Choice(EDITIONS),
              help="Edition to show first. [default: the audience's]")
@click.option("--data", "data", type=click.Path(path_type=Path, dir_okay=False),
              help="Dataset YAML file. [default: the project's dataset]")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Project config file.")
@click.option("--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder.")
@click.option("--templates", "template_dirs", type=click.Path(path_type=Path, file_okay=False), multiple=True,
              help="Folder of template overrides, searched before the built-in templates; repeatable.")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), help="Paper size of the PDF brief.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on; 0 takes any free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine's own lets others on the network read the report.")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True,
              help="Open the page in the web browser.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Keep drawn charts in memory only, not on disk.")
def preview(audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser, no_cache):
    """Serve the HTML preview at http://127.0.0.1:PORT/ and refresh it on every save.

    Watches the dataset, report.toml and the template and asset folders; a change
    renders the page again (charts from the cache) and open pages refresh in place,
    keeping their scroll position. A bad edit shows its problems, one
    FILE:LINE: field: message each, over the last good page. The toolbar switches
    audience and edition and builds brief.pdf and deck.pptx on request. Ctrl-C stops.

    \b
    Example:
      make-report preview --audience executive
    """
    _preview(audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser, no_cache)


def _preview(audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser,
             no_cache) -> None:
    import os

    from .pipeline.build import chart_cache_dir, source_date_epoch
    from .errors import UsageError
    from .preview import PortInUse, Selection, Settings, serve

    _check_inputs(data, None, template_dirs)
    settings = Settings(config=config, project=project, data=data, template_dirs=tuple(template_dirs),
                        page_size=page_size, chart_cache=None if no_cache else chart_cache_dir(os.environ),
                        source_date_epoch=source_date_epoch(os.environ))
    try:
        initial = Selection.parse(audience, edition)
    except UsageError as error:
        raise UsageError(f"--audience: {error}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"make-report: warning: listening on {host}: anyone who can reach this machine "
                   f"on port {port} can read the report", err=True)

    def ready(url: str) -> None:
        click.echo(url)
        click.echo("make-report: preview: watching the dataset, report.toml, templates and assets; "
                   "Ctrl-C stops", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(settings, initial, host=host, port=port, on_ready=ready,
              log=lambda line: click.echo(f"make-report: preview: {line}", err=True))
    except PortInUse as error:
        click.echo(f"make-report: error: {error}", err=True)  # one line: nothing to add
        raise click.exceptions.Exit(2)
    click.echo("make-report: preview stopped", err=True)


@main.group(invoke_without_command=True)
@click.pass_context
def cache(ctx):
    """Show the chart cache: its folder, how many charts it holds, their size and the limit.

    Charts drawn by earlier runs are kept in $XDG_CACHE_HOME/reporting/charts
    (~/.cache/reporting/charts), keyed on everything that shapes them, and the folder
    is kept under its limit (least recently used first). 'make-report cache clear'
    empties it; --no-cache on a build neither reads nor writes it.

    \b
    Examples:
      make-report cache
      make-report cache clear
    """
    if ctx.invoked_subcommand is not None:
        return
    import os

    from .pipeline.build import chart_cache_dir
    from .charts.cache import DEFAULT_MAX_BYTES, usage

    held = usage(chart_cache_dir(os.environ))
    click.echo(f"{held.folder}: {held.files} chart{'s' if held.files != 1 else ''}, "
               f"{_megabytes(held.bytes)} of at most {_megabytes(DEFAULT_MAX_BYTES)}")


@cache.command("clear")
def cache_clear():
    """Remove every chart of the chart cache (the next build draws them afresh)."""
    import os

    from .pipeline.build import chart_cache_dir
    from .charts.cache import clear

    removed = clear(chart_cache_dir(os.environ))
    click.echo(f"{removed.folder}: removed {removed.files} chart{'s' if removed.files != 1 else ''}, "
               f"{_megabytes(removed.bytes)}")


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def run() -> None:
    """The ``make-report`` program: :func:`main`, then exit without a last garbage
    collection. The process ends here, so nothing it allocated needs collecting, and
    the collector's pass over every object at interpreter exit is a measurable part of a
    short build (README, Benchmarks). Not for embedding: callers use :func:`main`."""
    import gc

    try:
        main(prog_name="make-report")
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
