"""One edition per recipient: the same report with each recipient's own figures.

:func:`build_recipients` builds every recipient of a table
(:mod:`reporting.dataset.recipients`) over one dataset, each loaded with the recipient's
values in place of the shared ones (derived figures computed again), and writes
``batch-manifest.csv`` (:mod:`reporting.pipeline.batch_manifest`) beside the outputs.

Where it runs:

- here (the default): this process plans each recipient and writes its deck and preview
  while the PDF workers (:class:`~reporting.pipeline.pdfworker.PdfWorker`, WeasyPrint
  loaded once) write the briefs, a few recipients ahead so that no worker waits;
- on a Dask cluster (``scheduler``, :mod:`reporting.pipeline.cluster`): a task per
  recipient, its files sent back and written here.

Either way each recipient's outputs are published together once complete; a recipient
that fails changes none of its files and stops no other; a recipient whose outputs are
current (same inputs, same files, see :meth:`Entry.current`) is skipped. An
interruption (Ctrl-C) cancels what is under way and writes the manifest of what finished.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from ..dataset.recipients import Recipient, exact_text
from ..errors import Problem, ReportError
from .batch_manifest import NAME, Entry, file_sha256, read_manifest, write_manifest
from .build import BuildOptions, Builder, PendingBuild, cancel_all

MANIFEST_EVERY = 20.0
"""Seconds between writes of the manifest while a batch runs, so that a process killed
outright (no chance to write it at the end) loses at most this much of the record."""


@dataclass(frozen=True)
class Outcome:
    """One recipient: ``ok``, ``current`` (skipped: its outputs were up to date), ``failed``."""

    recipient: Recipient
    status: str
    files: tuple[Path, ...] = ()
    pages: int | None = None
    error: ReportError | None = None


@dataclass
class Progress:
    """Counts so far, for a progress line: ``rate`` is recipients built per minute since the
    first started (skipped ones not counted), ``left`` the seconds the rest should take."""

    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def rate(self) -> float:
        built = self.done + self.failed - self.skipped
        elapsed = time.perf_counter() - self.started
        return 60.0 * built / elapsed if built and elapsed > 0 else 0.0

    @property
    def left(self) -> float | None:
        remaining = self.total - self.done - self.failed
        return 60.0 * remaining / self.rate if self.rate else None


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    invalid: list[Problem]
    manifest: Path
    interrupted: bool = False

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.invalid and not self.interrupted


def inputs_digest(dataset: Path, options: BuildOptions, recipient: Recipient) -> str:
    """A digest of everything one recipient's outputs are made from: the toolkit's
    version, the dataset file and the spreadsheet its ``facts_from`` names, every file in
    the template and asset folders, the master deck, the build options and the
    recipient's row. Two runs with the same digest make the same files."""
    return _digest(_shared_digest(dataset, options), recipient)


def _digest(shared: str, recipient: Recipient) -> str:
    text = repr(
        (
            shared,
            recipient.id,
            recipient.name.zh,
            recipient.name.en,
            tuple((k, exact_text(v)) for k, v in recipient.overrides),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _shared_digest(dataset: Path, options: BuildOptions) -> str:
    from importlib import metadata

    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("reporting").encode())
    except metadata.PackageNotFoundError:
        pass
    from ..dataset.load import load_dataset

    try:
        files = list(load_dataset(dataset).files)  # the dataset and its facts_from spreadsheet
    except ReportError:  # each recipient's build says what is wrong
        files = [Path(dataset)]
    for folder in (*options.template_dirs, *options.asset_dirs):
        files += sorted(path for path in Path(folder).rglob("*") if path.is_file())
    if options.pptx_template is not None:
        files.append(Path(options.pptx_template))
    for path in files:
        digest.update(str(path).encode())
        with contextlib.suppress(OSError):
            digest.update(file_sha256(path).encode())
    digest.update(repr(replace(options, out_dir=Path("."), recipient=None)).encode())
    return digest.hexdigest()


def build_recipients(
    dataset: Path,
    recipients: Sequence[Recipient],
    options: BuildOptions,
    *,
    invalid: Sequence[tuple[str, str, Sequence[Problem]]] = (),
    jobs: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[Progress, Outcome], None] | None = None,
    pdf_worker=None,
) -> BatchResult:
    """Build one edition of ``options`` per recipient into ``options.out_dir``; write the
    manifest there (also on an interruption, which is then raised again).

    ``invalid``: ``(recipient id, row, problems)`` of rows refused before building, listed
    in the manifest. ``jobs``: processes writing PDF briefs here (default: CPU cores).
    ``scheduler``: a Dask scheduler's address (``tcp://HOST:PORT``) to build on instead.
    ``pdf_worker``: workers the caller started (it then owns them).
    ``on_done(progress, outcome)`` is called as each recipient is done or skipped.
    """
    from .outputs import prepare_out_dir

    out_dir = prepare_out_dir(options.out_dir)
    manifest_path = out_dir / NAME
    previous = read_manifest(manifest_path)
    shared = _shared_digest(dataset, options)
    digests = {recipient.id: _digest(shared, recipient) for recipient in recipients}
    progress = Progress(total=len(recipients))
    outcomes: dict[str, Outcome] = {}
    last_written = [time.perf_counter()]

    def entries() -> list[Entry]:
        rows = []
        for recipient in recipients:
            outcome = outcomes.get(recipient.id)
            figures = tuple((k, exact_text(v)) for k, v in recipient.overrides)
            base = Entry(
                recipient.id,
                recipient.where,
                "not built",
                inputs="",
                name_zh=recipient.name.zh,
                name_en=recipient.name.en,
                figures=figures,
            )
            if outcome is None:
                rows.append(base)
            elif outcome.status == "current":
                rows.append(previous[recipient.id])
            elif outcome.status == "ok":
                rows.append(
                    replace(
                        base,
                        status="ok",
                        files=tuple(path.name for path in outcome.files),
                        pages=outcome.pages,
                        sha256=tuple(file_sha256(path) for path in outcome.files),
                        inputs=digests[recipient.id],
                    )
                )
            else:
                rows.append(replace(base, status="failed", message=_one_line(outcome.error)))
        for recipient_id, row, problems in invalid:
            rows.append(
                Entry(
                    recipient_id,
                    row,
                    "invalid",
                    message="; ".join(f"{problem.field}: {problem.message}" for problem in problems),
                )
            )
        # Records of an earlier batch into this folder for recipients this one does not
        # have stay listed, after this batch's own: their files are still here.
        listed = {row.recipient for row in rows}
        rows += [entry for recipient_id, entry in previous.items() if recipient_id not in listed]
        return rows

    def done(outcome: Outcome) -> None:
        outcomes[outcome.recipient.id] = outcome
        progress.done += outcome.status in ("ok", "current")
        progress.failed += outcome.status == "failed"
        progress.skipped += outcome.status == "current"
        if on_done:
            on_done(progress, outcome)
        if time.perf_counter() - last_written[0] > MANIFEST_EVERY:
            write_manifest(manifest_path, entries())
            last_written[0] = time.perf_counter()

    todo = []
    for recipient in recipients:
        entry = previous.get(recipient.id)
        if entry is not None and entry.current(out_dir, digests[recipient.id]):
            done(Outcome(recipient, "current", tuple(entry.paths(out_dir)), entry.pages))
        else:
            todo.append(recipient)
    progress.started = time.perf_counter()  # the rate counts building only
    interrupted = False
    try:
        if scheduler is not None:
            from .cluster import build_on_cluster

            def done_remotely(recipient: Recipient, files, pages, error) -> None:
                status = "failed" if error is not None else "ok"
                done(Outcome(recipient, status, tuple(files), pages, error))

            build_on_cluster(scheduler, dataset, todo, options, done_remotely)
        else:
            _build_here(dataset, todo, options, done, jobs=jobs, pdf_worker=pdf_worker)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        write_manifest(manifest_path, entries())
    return BatchResult(
        [outcomes[r.id] for r in recipients if r.id in outcomes],
        [problem for *_, problems in invalid for problem in problems],
        manifest_path,
        interrupted,
    )


def _one_line(error: ReportError | None) -> str:
    return " ".join(str(error).split()) if error is not None else ""


def _build_here(
    dataset: Path,
    todo: Sequence[Recipient],
    options: BuildOptions,
    done: Callable[[Outcome], None],
    *,
    jobs: int | None,
    pdf_worker,
) -> None:
    """Build ``todo`` in this process, the briefs written by PDF worker processes.

    At most one recipient more than there are workers is under way at once (planned,
    its brief sent or waiting): enough that a worker finishing a brief finds the next one
    ready, few enough that memory stays flat however many recipients there are."""
    from .forked import usable_cpus
    from .pdfworker import PdfWorker

    if not todo:
        return
    count = max(1, min(jobs or usable_cpus(), len(todo)))
    with contextlib.ExitStack() as stack:
        if pdf_worker is None:
            pdf_worker = stack.enter_context(PdfWorker(parallel=jobs != 1, processes=count))
        builder = Builder(pdf_worker=pdf_worker)  # not closed here: the workers are the caller's or the stack's
        pending: deque[tuple[Recipient, PendingBuild]] = deque()
        stack.callback(lambda: cancel_all(build for _, build in pending))  # on an interruption

        def finish(recipient: Recipient, build: PendingBuild) -> None:
            try:
                result = build.finish()
            except ReportError as error:
                done(Outcome(recipient, "failed", error=error))
                return
            done(Outcome(recipient, "ok", tuple(result.outputs), result.pages))

        def send_waiting() -> None:
            for _, build in pending:
                if build.brief_waiting:
                    worker = pdf_worker.start()
                    if worker is None and not any(w.busy for w in pdf_worker.alive):
                        build.write_brief_here()  # no worker left to wait for: written here
                    elif worker is None:
                        return
                    else:
                        build.send_brief(worker)

        def publish_answered(wait: bool) -> None:
            answered = pdf_worker.wait(None if wait and any(w.busy for w in pdf_worker.alive) else 0)
            ready = [
                (r, b)
                for r, b in pending
                if b.brief_writer is not None
                and not b.brief_collected
                and (b.brief_writer in answered or not b.brief_writer.busy)
            ]
            for _, build in ready:
                build.collect_brief()
            send_waiting()
            for item in ready:
                pending.remove(item)
                finish(*item)

        for recipient in todo:
            while len(pending) > count:
                publish_answered(wait=True)
                if len(pending) > count and not any(w.busy for w in pdf_worker.alive):
                    recipient_done, build = pending.popleft()  # briefs written here: finish in order
                    finish(recipient_done, build)
            try:
                loaded = recipient.load(dataset, options.limits)
                build = builder.start(dataset, replace(options, recipient=recipient.id), defer=True, loaded=loaded)
            except ReportError as error:
                done(Outcome(recipient, "failed", error=error))
                continue
            pending.append((recipient, build))
            try:
                build.write_outputs()
            except ReportError as error:
                pending.remove((recipient, build))
                done(Outcome(recipient, "failed", error=error))
                continue
            if build.brief_writer is None and not build.brief_waiting:
                pending.remove((recipient, build))
                finish(recipient, build)  # nothing written elsewhere: published now
            publish_answered(wait=False)
        while pending:
            send_waiting()
            before = len(pending)
            publish_answered(wait=True)
            if len(pending) == before and not any(w.busy for w in pdf_worker.alive):
                recipient_done, build = pending.popleft()
                if build.brief_waiting:
                    build.write_brief_here()
                finish(recipient_done, build)
