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


def _build_one(dataset: Path, audience: Audience) -> Outcome:
    start = time.perf_counter()
    try:
        result = Builder().build(dataset, audience.options)
        return Outcome(audience.name, result, None, time.perf_counter() - start)
    except ReportError as error:
        return Outcome(audience.name, None, error, time.perf_counter() - start)


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
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(audiences)))
    outcomes: dict[str, Outcome] = {}
    if jobs == 1:
        for audience in audiences:
            outcomes[audience.name] = outcome = _build_one(dataset, audience)
            if on_done:
                on_done(len(outcomes), len(audiences), outcome)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_build_one, dataset, audience) for audience in audiences]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.audience] = outcome
                if on_done:
                    on_done(len(outcomes), len(audiences), outcome)
    return [outcomes[audience.name] for audience in audiences]
