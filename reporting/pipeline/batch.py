"""Build several audiences at once.

This process plans each audience, writes its HTML preview and deck, and hands its
brief to one of several worker processes that write PDF briefs
(:class:`~reporting.pipeline.pdfworker.PdfWorker`, one per CPU core by default); it goes on to
the next audience while they write. So the dataset is loaded, the toolkit imported
and the templates compiled once, and the cores are busy from the start: the briefs,
most of the work, are shared between the workers, and the decks fill this process's
time. Each audience's outputs are published together when its brief is done; an
audience that fails changes none of its files and stops no other.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

from ..errors import ReportError
from .build import Builder, BuildOptions, BuildResult, PendingBuild, cancel_all
from .forked import usable_cpus
from .pdfworker import PdfWorker


class Audience(Protocol):
    """What a build needs of an audience (:class:`reporting.project.audiences.Audience` is one)."""

    @property
    def name(self) -> str: ...

    @property
    def options(self) -> BuildOptions: ...


@dataclass(frozen=True)
class Outcome:
    """One audience's build: its result, or the error that stopped it."""

    audience: str
    result: BuildResult | None
    error: ReportError | None
    seconds: float
    """From the start of this audience's planning to its publication (audiences overlap)."""
    finished_at: float = 0.0
    """When it was published, in seconds since :func:`build_audiences` began: these follow
    the order in which audiences finish."""


def _expected_cost(audience: Audience) -> float:
    """A rough relative cost of the brief: sections × languages × depth."""
    options = audience.options
    sections = len(options.sections) if options.sections is not None else 6
    langs = len(options.edition.langs) if options.edition else 2  # the dataset's: at most two
    return sections * langs * (0.3 if options.depth == "summary" else 1.0)


def build_audiences(
    dataset: Path,
    audiences: Sequence[Audience],
    *,
    jobs: int | None = None,
    on_done: Callable[[int, int, Outcome], None] | None = None,
    pdf_worker: PdfWorker | None = None,
) -> list[Outcome]:
    """Build every audience; ``jobs`` processes write PDF briefs at once (default: one
    per CPU core, at most one per audience; 1: everything in this process, one audience
    after the other).

    ``pdf_worker``: workers the caller started early (it then owns them; their own
    ``processes`` applies); else they are made here and ended on return.
    ``on_done(finished, total, outcome)`` is called as each audience is published, for
    a progress display. Outcomes come back in the order of ``audiences``.
    """
    begun = time.perf_counter()
    count = max(1, min(jobs or usable_cpus(), len(audiences)))
    outcomes: dict[str, Outcome] = {}
    with contextlib.ExitStack() as stack:
        if pdf_worker is None:
            pdf_worker = stack.enter_context(PdfWorker(parallel=jobs != 1, processes=count))
        builder = Builder(pdf_worker=pdf_worker)  # not closed here: the workers are the caller's or the stack's
        pending: dict[str, tuple[PendingBuild, float]] = {}
        stack.callback(lambda: cancel_all(build for build, _ in pending.values()))  # on an interruption

        def done(name: str, result: BuildResult | None, error: ReportError | None, started: float) -> None:
            now = time.perf_counter()
            outcomes[name] = Outcome(name, result, error, now - started, now - begun)
            if on_done:
                on_done(len(outcomes), len(audiences), outcomes[name])

        def finish(name: str) -> None:
            build, started = pending.pop(name)
            try:
                done(name, build.finish(), None, started)
            except ReportError as error:
                done(name, None, error, started)

        def send_waiting_briefs() -> None:
            """Give each idle worker the next brief waiting for one (in the order planned).
            Should no worker be left to wait for (they died and no other can start), the
            briefs are written here."""
            for build, _ in pending.values():
                if build.brief_waiting:
                    worker = pdf_worker.start()
                    if worker is None and not any(worker.busy for worker in pdf_worker.alive):
                        build.write_brief_here()
                    elif worker is None:
                        return
                    else:
                        build.send_brief(worker)

        def publish_answered(wait: bool) -> int:
            """Take the answers of the workers that have written their brief (waiting for
            one if ``wait``), hand the freed workers the briefs waiting, then publish
            those audiences (writing first whatever of theirs is not written yet); return
            how many were published."""
            answered = pdf_worker.wait(None if wait else 0)
            # A worker no longer busy without having answered this build was ended: its
            # answer (that it died) is there to take too, so no build waits for ever.
            ready = [
                name
                for name, (build, _) in pending.items()
                if build.brief_writer is not None
                and not build.brief_collected
                and (build.brief_writer in answered or not build.brief_writer.busy)
            ]
            for name in ready:
                pending[name][0].collect_brief()
            send_waiting_briefs()
            for name in ready:
                finish(name)
            return len(ready)

        # First every brief, longest first, so the workers start at once and the short
        # ones fill in at the end; then the decks and previews here while they write.
        for audience in sorted(audiences, key=_expected_cost, reverse=True):
            started = time.perf_counter()
            try:
                pending[audience.name] = (builder.start(dataset, audience.options, defer=True), started)
            except ReportError as error:
                done(audience.name, None, error, started)
        for name in list(pending):
            if name not in pending:
                continue  # published already: its brief was done before its turn here
            build, started = pending[name]
            try:
                build.write_outputs()
            except ReportError as error:
                pending.pop(name)
                done(name, None, error, started)
                continue
            if build.brief_writer is None and not build.brief_waiting:
                finish(name)  # nothing written elsewhere: published now
            publish_answered(wait=False)
        while pending:
            send_waiting_briefs()
            if not publish_answered(wait=True) and not any(worker.busy for worker in pdf_worker.alive):
                raise RuntimeError(f"no worker is writing the briefs of {', '.join(pending)}")  # a bug
    return [outcomes[audience.name] for audience in audiences]
