"""Build several audiences at once, one process per CPU core.

Each worker process has its own :class:`~reporting.build.Builder` (fonts and
chart cache are per process); results and errors come back to the caller.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .audiences import Audience
from .build import Builder, BuildResult
from .errors import ReportError


@dataclass(frozen=True)
class Outcome:
    """One audience's build: its result, or the error that stopped it."""

    audience: str
    result: BuildResult | None
    error: ReportError | None
    seconds: float


# One Builder per worker process, made by the pool's initializer: the audiences a
# worker builds share its font configuration, parsed dataset and chart cache.
_worker_builder: Builder | None = None


def _start_worker() -> None:
    global _worker_builder
    _worker_builder = Builder(parallel=False)  # the pool already has a process per core


def _build_one(dataset: Path, audience: Audience, builder: Builder | None = None) -> Outcome:
    """Build ``audience`` with ``builder``, else this pool worker's builder."""
    start = time.perf_counter()
    builder = builder or _worker_builder or Builder(parallel=False)
    try:
        result = builder.build(dataset, audience.options)
        return Outcome(audience.name, result, None, time.perf_counter() - start)
    except ReportError as error:
        return Outcome(audience.name, None, error, time.perf_counter() - start)


def _expected_cost(audience: Audience) -> float:
    """A rough relative cost: sections × languages × depth × formats."""
    options = audience.options
    sections = len(options.sections) if options.sections is not None else 6
    return sections * len(options.edition.langs) * (0.3 if options.depth == "summary" else 1.0) * len(options.formats)


def build_audiences(
    dataset: Path,
    audiences: Sequence[Audience],
    *,
    jobs: int | None = None,
    on_done: Callable[[int, int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Build every audience; ``jobs`` processes (default: one per CPU core, at most one per audience).

    ``on_done(finished, total, outcome)`` is called in this process as each one ends,
    for a progress display. Outcomes come back in the order of ``audiences``.
    """
    cores = jobs or os.cpu_count() or 1
    jobs = max(1, min(cores, len(audiences)))
    outcomes: dict[str, Outcome] = {}
    if jobs == 1:
        # One process at a time: its briefs may still be written on a second core.
        with Builder(parallel=cores > 1) as builder:
            for audience in audiences:
                outcomes[audience.name] = outcome = _build_one(dataset, audience, builder)
                if on_done:
                    on_done(len(outcomes), len(audiences), outcome)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker) as pool:
            # Longest first, so the short ones fill in at the end (better use of the cores).
            ordered = sorted(audiences, key=_expected_cost, reverse=True)
            futures = [pool.submit(_build_one, dataset, audience) for audience in ordered]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.audience] = outcome
                if on_done:
                    on_done(len(outcomes), len(audiences), outcome)
    return [outcomes[audience.name] for audience in audiences]
