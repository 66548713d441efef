"""The processes that write PDF briefs while the build goes on.

Light to import (no pydantic, no WeasyPrint here), so the CLI can start the workers
before it imports the rest of the toolkit: they then spend the half second that
importing WeasyPrint takes while this process imports, reads the project config and
loads the dataset.
"""

from __future__ import annotations

import os
import time
from typing import Callable, Sequence

from .forked import ForkedWorker, first_answered, fork_available
from .outputs import naming_target


class PdfWorker:
    """Up to ``processes`` :class:`~reporting.pipeline.forked.ForkedWorker` processes writing PDF
    briefs, started on demand and kept, WeasyPrint imported and fonts loaded, from
    build to build. One is enough for builds one after another (each waits for its
    brief); :mod:`reporting.pipeline.batch` keeps several busy, one brief each.

    ``parallel=False`` never starts one (the caller then writes briefs itself).
    ``temp_dir``: where a brief's HTML waits for its worker, in a file removed once the
    brief is written (default: the system's temporary folder, ``$TMPDIR`` or ``/tmp``).
    Use as a context manager, or call :meth:`close`, to end the processes.
    """

    def __init__(self, *, parallel: bool = True, processes: int = 1, temp_dir: str | os.PathLike | None = None) -> None:
        self.parallel = parallel
        self.processes = max(1, processes)
        self.temp_dir = temp_dir
        self._workers: list[ForkedWorker] = []

    def start(self) -> ForkedWorker | None:
        """An idle worker: one running, else one forked now if fewer than ``processes``
        run. None when not parallel, where forking is not safe (see
        :func:`~reporting.pipeline.forked.fork_available`), when no process can be started, or
        when every one is busy (the caller then writes the brief itself)."""
        self._drop_dead()
        idle = next((worker for worker in self._workers if not worker.busy), None)
        return idle if idle is not None else self._fork()

    def start_all(self) -> None:
        """Fork every process now (so all of them set WeasyPrint up at once, early)."""
        self._drop_dead()
        while len(self._workers) < self.processes and self._fork() is not None:
            pass

    def _fork(self) -> ForkedWorker | None:
        """A new worker if fewer than ``processes`` run and forking is possible, else None."""
        if len(self._workers) >= self.processes or not self.parallel or not fork_available():
            return None
        try:
            worker = ForkedWorker(_brief_writer, doing="writing the PDF brief", temp_dir=self.temp_dir)
        except OSError:  # no process to spare (EAGAIN, ENOMEM)
            return None
        self._workers.append(worker)
        return worker

    @property
    def running(self) -> ForkedWorker | None:
        """The first worker running (the only one with ``processes=1``), without starting one."""
        return next(iter(self.alive), None)

    @property
    def alive(self) -> Sequence[ForkedWorker]:
        """Every worker that can take a brief, busy or not."""
        return [worker for worker in self._workers if worker.alive]

    def wait(self, timeout: float | None = None) -> list[ForkedWorker]:
        """Wait until a busy worker has answered (or died); return those that have."""
        return first_answered([worker for worker in self._workers if worker.busy], timeout)

    def _drop_dead(self) -> None:
        for worker in [worker for worker in self._workers if not worker.alive and not worker.busy]:
            worker.close()  # died, or was ended with a build that stopped: start afresh
            self._workers.remove(worker)

    def close(self) -> None:
        """End every worker; idempotent."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def __enter__(self) -> "PdfWorker":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _brief_writer() -> Callable[[dict], tuple[int, float]]:
    """In the forked worker: import WeasyPrint and set its fonts up now, while the
    parent goes on; return the handler that writes each brief the parent sends (the
    keyword arguments of :meth:`~reporting.render.pdf.PdfWriter.write`, and
    ``publishes_to``, the output its ``target`` will become) and answers its pages and
    the seconds the writing took."""
    from ..render.pdf import PdfWriter  # WeasyPrint: in the worker only

    writer = PdfWriter()

    def write(brief: dict) -> tuple[int, float]:
        start = time.perf_counter()
        target = brief.pop("publishes_to")
        with naming_target(target, brief["target"]):  # a write error names the user's file
            pages = writer.write(**brief)
        return pages, time.perf_counter() - start

    return write
