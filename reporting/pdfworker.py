"""The second process that writes PDF briefs while the build goes on.

Light to import (no pydantic, no WeasyPrint here), so the CLI can start the worker
before it imports the rest of the toolkit: the worker then spends the half second
that importing WeasyPrint takes while this process imports, reads the project
config and loads the dataset.
"""

from __future__ import annotations

import time
from typing import Callable

from .forked import ForkedWorker, fork_available


class PdfWorker:
    """At most one :class:`~reporting.forked.ForkedWorker` writing PDF briefs, started
    on demand and kept, WeasyPrint imported and fonts loaded, from build to build.

    ``parallel=False`` never starts one (the caller then writes briefs itself). Use as
    a context manager, or call :meth:`close`, to end the process.
    """

    def __init__(self, *, parallel: bool = True) -> None:
        self.parallel = parallel
        self._worker: ForkedWorker | None = None

    def start(self) -> ForkedWorker | None:
        """The running worker, forked now if there is none; None when not parallel,
        where forking is not safe (see :func:`~reporting.forked.fork_available`) or
        when no process can be started."""
        if self._worker is not None and not self._worker.alive:
            self.close()  # died, or was ended with a build that stopped: start afresh
        if self._worker is None and self.parallel and fork_available():
            try:
                self._worker = ForkedWorker(_brief_writer, doing="writing the PDF brief")
            except OSError:  # no process to spare (EAGAIN, ENOMEM)
                return None
        return self._worker

    @property
    def running(self) -> ForkedWorker | None:
        """The worker if one is running, without starting one."""
        return self._worker if self._worker is not None and self._worker.alive else None

    def close(self) -> None:
        """End the worker, if one was started; idempotent."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

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
    from .outputs import naming_target
    from .render.pdf import PdfWriter

    writer = PdfWriter()

    def write(brief: dict) -> tuple[int, float]:
        start = time.perf_counter()
        target = brief.pop("publishes_to")
        with naming_target(target, brief["target"]):  # a write error names the user's file
            pages = writer.write(**brief)
        return pages, time.perf_counter() - start

    return write
