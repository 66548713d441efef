"""``make-report``: options in, library calls out.

The CLI holds no logic of its own: it turns options into a
:class:`~reporting.pipeline.build.BuildOptions`, calls the library and turns a
:class:`~reporting.errors.ReportError` into a message and an exit status
(1 for bad input, 2 for misuse). Heavy libraries are imported only when a
command runs, so ``--help`` is instant.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import click

from .commands import (
    COMMANDS,
    EDITIONS,
    check_inputs,
    config_option,
    dataset_option,
    project_option,
    report_verification,
    templates_option,
)

if TYPE_CHECKING:  # a type only: the project module loads when a command runs
    from .project.job import Project

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
        except BrokenPipeError:
            # The reader of our output went away (`make-report audiences | head -1`): it
            # has all it wanted, so end quietly, with stdout pointed at /dev/null so the
            # interpreter's last flush at exit cannot fail a second time.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
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
            click.echo(
                f"make-report: interrupted ({signal.Signals(signum).name}); "
                f"files being written were removed, no output is half-written",
                err=True,
            )
            ctx.exit(128 + signum)


@click.group(cls=ReportGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_CHOICES),
    multiple=True,
    help="Output format; repeat for several. 'all' writes PDF, HTML and PPTX. "
    "[default: pdf; every format with --audience all]",
)
@click.option(
    "--lang",
    "edition",
    type=click.Choice(EDITIONS),
    help="Edition: 'bilingual' (also 'zh-en'): Chinese first, English under it; 'en-zh': English "
    "first, Chinese under it (document language en, English number forms in charts); 'zh' or "
    "'en': one language. [default: the audience's, else the dataset's report.edition, else bilingual]",
)
@click.option(
    "--audience", "audience", help="Build for one audience of the project config, or 'all' of them in parallel."
)
@dataset_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write into (created if missing). [default: out/ in the project folder]",
)
@click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Project config file. [default: report.toml in the project folder]",
)
@click.option(
    "--project",
    "project",
    type=click.Path(path_type=Path, file_okay=False),
    help="Project folder holding report.toml. [default: the working folder]",
)
@templates_option
@click.option(
    "--pptx-template",
    "pptx_template",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A corporate .pptx master: the deck uses its layouts (found by role from their placeholders) and keeps its look.",
)
@click.option(
    "--page-size",
    type=click.Choice(["A4", "Letter"]),
    help="Paper size of the PDF brief. [default: A4, or the audience's]",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes writing PDF briefs while this one plans and writes the decks and previews: "
    "up to N for --audience all, one for a single audience; 1 writes everything in this "
    "process, in turn. [default: CPU cores]",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Draw every chart afresh instead of reusing those drawn by earlier runs.",
)
@click.option(
    "--verify",
    "verify_after",
    is_flag=True,
    help="Verify the outputs against the dataset once written (see 'make-report verify'); exit 1 on a mismatch.",
)
@click.option("--timings", is_flag=True, help="Print the time each stage took.")
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(
    package_name="reporting",
    prog_name="make-report",
    message="%(prog)s %(version)s (Python " + sys.version.split()[0] + ")",
)
@click.pass_context
def main(
    ctx: click.Context,
    formats,
    edition,
    audience,
    data,
    out_dir,
    config,
    project,
    template_dirs,
    pptx_template,
    page_size,
    jobs,
    no_cache,
    verify_after,
    timings,
    debug,
):
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
    chosen_project = _check_build_inputs(data, pptx_template, template_dirs, config, project, audience, out_dir)
    chosen = _formats(formats, audience)
    # One process writes a single audience's brief; --audience all at most one per core
    # and one per audience.
    processes = min(jobs or usable_cpus(), len(chosen_project.config.audience_names)) if audience == "all" else 1
    with PdfWorker(parallel=jobs != 1, processes=processes) as pdf_worker:
        if "pdf" in chosen:
            pdf_worker.start_all()  # WeasyPrint loads on the other cores while the toolkit and dataset do here
        request = BuildRequest(
            formats=chosen,
            edition=edition,
            audience=audience,
            data=data,
            out_dir=out_dir,
            project=chosen_project,
            template_dirs=tuple(template_dirs),
            pptx_template=pptx_template,
            page_size=page_size,
            jobs=jobs,
            no_cache=no_cache,
            verify=verify_after,
            timings=timings,
        )
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
    project: Project
    """The :class:`~reporting.project.job.Project` already found and read."""
    template_dirs: tuple[Path, ...]
    pptx_template: Path | None
    page_size: str | None
    jobs: int | None
    no_cache: bool
    verify: bool
    timings: bool


def _build(request: BuildRequest, pdf_worker) -> None:
    import os

    from .pipeline.build import Builder, chart_cache_dir, source_date_epoch

    project = request.project
    asked: dict[str, Any] = dict(
        edition=request.edition,
        page_size=request.page_size,
        data=request.data,
        formats=request.formats,
        out_dir=request.out_dir,
        template_dirs=request.template_dirs,
        pptx_template=request.pptx_template,
        chart_cache=None if request.no_cache else chart_cache_dir(os.environ),
        source_date_epoch=source_date_epoch(os.environ),
    )
    if request.audience == "all":
        jobs = project.jobs(**asked)
        outputs = _build_all(jobs[0].dataset, jobs, request.jobs, pdf_worker)
        if request.verify:
            report_verification(outputs, jobs[0].dataset, project.config, err=True)
        return
    job = project.job(request.audience, **asked)
    with Builder(pdf_worker=pdf_worker) as builder:
        result = builder.build(job.dataset, job.options, on_output=lambda path: click.echo(str(path)))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    for line in result.left_out:
        click.echo(f"make-report: warning: {line}", err=True)
    if request.timings:
        for stage, seconds in result.timings.items():
            alongside = " (in a second process, alongside the others)" if stage in result.parallel_stages else ""
            click.echo(f"{stage:>8}: {seconds:6.3f} s{alongside}", err=True)
    if request.verify:
        report_verification(result.outputs, job.dataset, project.config, err=True)


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

    click.echo(
        f"Building {len(audiences)} audiences: {', '.join(a.name for a in audiences)} "
        f"(each line: time since the start when it was done)",
        err=True,
    )
    outcomes = build_audiences(dataset, audiences, jobs=jobs, on_done=progress, pdf_worker=pdf_worker)
    for warning in next((o.result.warnings for o in outcomes if o.result), []):  # one dataset: once
        click.echo(str(warning), err=True)
    for line in (line for o in outcomes if o.result for line in o.result.left_out):
        click.echo(f"make-report: warning: {line}", err=True)
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


def _check_build_inputs(
    data: Path | None,
    pptx_template: Path | None,
    template_dirs,
    config: Path | None,
    project: Path | None,
    audience: str | None,
    out_dir: Path,
):
    """Before a build starts any process: the files and folders named, the output folder
    (writable, or possible to make), the project config (read, not yet validated:
    :class:`~reporting.project.audiences.AudienceBook` does that), its dataset and the
    audience asked for; each a :class:`UsageError` (exit 2). Imports nothing heavy.
    Returns the :class:`~reporting.project.job.Project`."""
    from .errors import UsageError, display_path
    from .pipeline.outputs import check_out_dir
    from .project.job import Project

    check_inputs(data, pptx_template, template_dirs)
    check_out_dir(out_dir)
    opened = Project.open(project, config=config)
    project_config = opened.config
    if data is None and not project_config.dataset.is_file():
        raise UsageError(
            f"dataset not found: {display_path(project_config.dataset)} "
            f"(project.dataset in {display_path(project_config.path)})"
        )
    if audience == "all" and not project_config.audience_names:
        raise UsageError("the project config defines no audiences")
    if audience and audience != "all":
        project_config.require_audience(audience)
    return opened


@main.command()
@click.option(
    "--recipients",
    "recipients",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Recipients table (.csv or .xlsx): a column recipient (an id), optional name_zh and name_en, "
    "and a column per fact id holding that recipient's own value.",
)
@click.option("--audience", "audience", help="Audience of the project config. [default: the default report]")
@click.option("--lang", "edition", type=click.Choice(EDITIONS), help="Edition. [default: the audience's]")
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_CHOICES),
    multiple=True,
    help="Output format; repeatable. [default: pdf]",
)
@dataset_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder; batch-manifest.csv is written there too. [default: out/ in the project folder]",
)
@config_option
@project_option
@templates_option
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), help="Paper size of the PDF brief.")
@click.option("--jobs", type=click.IntRange(min=1), help="Processes writing PDF briefs here. [default: CPU cores]")
@click.option(
    "--scheduler",
    "scheduler",
    metavar="tcp://HOST:PORT",
    help="Build on the Dask cluster of this scheduler instead of here (pip install 'reporting[cluster]').",
)
@click.option("--no-cache", "no_cache", is_flag=True, help="Draw every chart afresh.")
def batch(
    recipients,
    audience,
    edition,
    formats,
    data,
    out_dir,
    config,
    project,
    template_dirs,
    page_size,
    jobs,
    scheduler,
    no_cache,
):
    """Build one edition per recipient, each with its own figures.

    Every row of the recipients table is an edition of the report (files named
    <dataset>_<audience>_<edition>_<recipient>.<ext>) with that row's values in place
    of the shared ones; derived figures are computed from them. {recipient:name} in
    narrative, and report.recipient in templates, give the recipient's name.

    Bad rows are reported first, all at once (FILE:ROW: column: message), and the
    others built; a recipient that fails stops no other. batch-manifest.csv lists every
    recipient with its files, pages, sha256 and status; a second run skips the recipients
    whose outputs are current; Ctrl-C stops, keeping what finished. Progress on stderr.
    Exit 1 when any row or recipient failed.

    \b
    Examples:
      make-report batch --recipients brands.csv --out briefs
      make-report batch --recipients brands.xlsx --scheduler tcp://10.0.0.5:8786
      make-report verify briefs/batch-manifest.csv
    """
    if out_dir is None:
        out_dir = (Path(project) if project else Path.cwd()) / "out"
    if not Path(recipients).is_file():
        from .errors import UsageError, display_path

        raise UsageError(f"recipients table not found: {display_path(recipients)}")
    if scheduler is not None and not scheduler.strip():
        from .errors import UsageError

        raise UsageError("--scheduler: give the scheduler's address, e.g. tcp://127.0.0.1:8786")
    chosen_project = _check_build_inputs(data, None, template_dirs, config, project, audience, out_dir)
    if audience == "all":
        from .errors import UsageError

        raise UsageError("--audience all: a batch builds one audience; run it once per audience")
    import os

    from .pipeline.build import chart_cache_dir, source_date_epoch

    job = chosen_project.job(
        audience,
        edition=edition,
        page_size=page_size,
        data=data,
        formats=_formats(formats, audience),
        out_dir=out_dir,
        template_dirs=template_dirs,
        chart_cache=None if no_cache else chart_cache_dir(os.environ),
        source_date_epoch=source_date_epoch(os.environ),
    )
    _batch(recipients, job, jobs, scheduler)


def _batch(recipients, job, jobs, scheduler) -> None:
    from .dataset.load import load_dataset
    from .dataset.recipients import read_recipients
    from .pipeline.recipients import build_recipients

    dataset, out_dir = job.dataset, job.output.out_dir
    shared = load_dataset(dataset, limits=job.limits)
    for warning in shared.warnings:
        click.echo(str(warning), err=True)
    table = read_recipients(Path(recipients), shared, job.limits)
    for problem in table.problems:
        click.echo(str(problem), err=True)
    if table.problems:
        click.echo(
            f"make-report: batch: {table.bad_rows} bad row(s) left out; building the other {len(table.rows)}", err=True
        )

    def progress(state, outcome) -> None:
        click.echo(batch_progress_line(state, outcome), err=True)
        if outcome.status == "ok":
            for path in outcome.files:
                click.echo(str(path))
        elif outcome.status == "failed":
            click.echo(
                f"make-report: error: recipient {outcome.recipient.id} ({outcome.recipient.where}): {outcome.error}",
                err=True,
            )

    where = f" on {scheduler}" if scheduler else ""
    click.echo(f"Building {len(table.rows)} recipient(s){where} into {out_dir}", err=True)
    result = build_recipients(
        dataset, table.rows, job.options, invalid=table.invalid, jobs=jobs, scheduler=scheduler, on_done=progress
    )
    click.echo(
        f"make-report: batch: {sum(o.status == 'ok' for o in result.outcomes)} built, "
        f"{sum(o.status == 'current' for o in result.outcomes)} current (skipped), "
        f"{len(result.failed)} failed, {len(result.invalid)} bad row(s); manifest: {result.manifest}",
        err=True,
    )
    if not result.ok:
        raise click.exceptions.Exit(1)


def batch_progress_line(state, outcome) -> str:
    """``[12/50] done 11 failed 1  4.2/min  left 9m05s  brand-x ok``."""
    counter = f"[{state.done + state.failed}/{state.total}]"
    rate = f"{state.rate:.1f}/min" if state.rate else "-/min"
    left = state.left
    left_text = "-" if left is None else (f"{int(left // 60)}m{int(left % 60):02d}s" if left >= 60 else f"{left:.0f}s")
    status = {"ok": "ok", "current": "current (skipped)", "failed": "FAILED"}[outcome.status]
    return (
        f"{counter:>{2 * len(str(state.total)) + 3}} done {state.done} failed {state.failed}  {rate}  "
        f"left {left_text}  {outcome.recipient.id} {status}"
    )


for _command in COMMANDS:
    main.add_command(_command)


def run() -> None:
    """The ``make-report`` program: :func:`main`, then exit without a last garbage
    collection. The process ends here, so nothing it allocated needs collecting, and
    the collector's pass over every object at interpreter exit is a measurable part of a
    short build (docs/contributing/benchmarks.md). Not for embedding: callers use :func:`main`."""
    import gc

    try:
        main(prog_name="make-report")
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
