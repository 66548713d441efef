"""A thread that builds: its own :class:`~reporting.pipeline.build.Builder` and project inputs,
one job at a time, told of changed files by the watcher from any thread.

The preview has two: one renders HTML pages (no PDF worker: nothing slow in its way),
one writes the PDF brief and the deck on request (with the warm PDF worker), so a
brief being written never delays the page refresh after a save.

The thread is a daemon: a job that never ends (a template that loops for hours) cannot
keep the process alive once the preview is stopped (a pool's worker thread would be
joined at exit, and Ctrl-C would print "preview stopped" and leave the process running).
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from ..pipeline.build import Builder
from .inputs import ProjectInputs, Selection, Settings

T = TypeVar("T")


class Bench:
    """Runs jobs one after another in its own thread. Before each job, the files noted as
    changed since the last one are applied: a changed config is parsed again, a changed
    dataset (or config) is read again; templates and assets are read by every render anyway.
    Charts stay in the builder's cache, keyed by their data, so only changed ones are drawn.
    """

    def __init__(self, settings: Settings, builder: Builder, name: str):
        self.inputs = ProjectInputs(settings)  # raises UsageError for a --config that is not there
        self.builder = builder
        self._jobs: "queue.SimpleQueue[tuple[Future, Callable, tuple] | None]" = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._closed = False
        threading.Thread(target=self._serve, name=f"preview-{name}", daemon=True).start()

    def _serve(self) -> None:
        """The bench's thread: run queued jobs in turn until :meth:`close` (or the process) ends."""
        while True:
            item = self._jobs.get()
            if item is None:
                return
            future, job, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._run(job, args))
            except BaseException as error:  # noqa: BLE001 (handed to whoever waits on the future)
                future.set_exception(error)

    def note(self, paths: set[Path]) -> None:
        """Files that changed; applied before the next job. Any thread."""
        with self._lock:
            self._changed |= set(paths)

    def submit(self, job: Callable[..., T], *args) -> "Future[T]":
        """Run ``job(self, *args)`` in this bench's thread."""
        future: Future = Future()
        if self._closed:
            future.cancel()
            return future
        self._jobs.put((future, job, args))
        return future

    def _run(self, job: Callable[..., T], args: tuple) -> T:
        with self._lock:
            changed, self._changed = self._changed, set()
        if changed:
            kinds = self.inputs.touched(changed)
            if "config" in kinds:
                self.inputs.forget_config()
            if kinds & {"config", "dataset"}:
                self.builder.forget()
        return job(self, *args)

    def close(self) -> None:
        """Drop queued jobs, end the builder's PDF worker; a job under way finishes in its thread."""
        self._closed = True
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].cancel()
        self._jobs.put(None)
        self.builder.close()


@dataclass(frozen=True)
class Page:
    """A render: the report's HTML, the audiences the config defines and the edition of
    the audience's own (the toolbar shows them), and the files the dataset was read from
    (itself, a spreadsheet it takes facts from: the watcher watches them)."""

    html: str
    audiences: tuple[str, ...]
    own_edition: str
    dataset_files: frozenset[Path]


def render_page(bench: Bench, selection: Selection) -> Page:
    """Render ``selection``'s page."""
    inputs = bench.inputs
    dataset = inputs.dataset_path()
    html = bench.builder.render_html(dataset, inputs.options(selection))
    loaded = bench.builder.load(dataset)  # kept: no second read
    files = frozenset(Path(path).resolve() for path in loaded.files)
    own = (inputs.options(Selection(selection.audience)).edition or loaded.dataset.report.edition).value
    return Page(html, tuple(inputs.audience_names()), own, files)


def build_output(bench: Bench, selection: Selection, fmt: str, out_dir: Path) -> tuple[Path, dict[str, float]]:
    """Write the ``fmt`` output (``pdf`` or ``pptx``) of ``selection`` into ``out_dir``;
    its path and the seconds each stage took."""
    inputs = bench.inputs
    options = inputs.options(selection, formats=(fmt,), out_dir=out_dir)
    result = bench.builder.build(inputs.dataset_path(), options)
    return result.outputs[0], result.timings


def warm_up(bench: Bench, selection: Selection) -> None:
    """Get chart drawing ready in this bench's thread (see :meth:`~reporting.pipeline.build.Builder.warm_up`)."""
    inputs = bench.inputs
    bench.builder.warm_up(inputs.dataset_path(), inputs.options(selection))
