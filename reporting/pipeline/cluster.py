"""Recipient editions built on a Dask distributed cluster (``make-report batch --scheduler``).

One task per recipient. A worker builds it with a :class:`~reporting.pipeline.build.Builder`
kept for as long as the worker process lives (WeasyPrint, fonts, compiled templates and
drawn charts reused from task to task), into a scratch folder of its own, and returns the
files' bytes; this process writes them beside each other and publishes them together
(:class:`~reporting.pipeline.outputs.StagedOutputs`), as a local build does.

Workers need the toolkit installed (``pip install 'reporting[cluster]'``) and the
project (dataset, templates, assets) at the same paths as here: a shared volume, or an
image with the project in it. A worker whose dataset differs from this one's refuses the
task. Dask is imported only here, and only when a scheduler is named.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from ..dataset.recipients import Recipient
from ..errors import OutputError, ReportError, UsageError
from .build import BuildOptions

_BUILDERS: dict[int, tuple] = {}
"""One builder per worker process (by pid), with a lock: a worker started with several
threads runs one recipient at a time in each process (the renderers are not thread-safe).
This is the worker's cache, not configuration: each task still gets its options."""
_BUILDERS_LOCK = threading.Lock()


def build_on_cluster(
    address: str,
    dataset: Path,
    todo: Sequence[Recipient],
    options: BuildOptions,
    done: Callable,
    *,
    timeout: float = 30.0,
) -> None:
    """Build ``todo`` on the cluster whose scheduler is at ``address``; call ``done`` with
    ``(recipient, files written, pages, None)`` as each comes back, or ``(recipient, (), None,
    error)``.
    Raises :class:`UsageError` when Dask is not installed or no scheduler answers within
    ``timeout`` seconds. An interruption cancels the tasks not yet done."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask distributed: pip install 'reporting[cluster]'") from None
    if not todo:
        return
    dataset = Path(dataset).resolve()
    digest = _file_digest(dataset)
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        # ValueError/TypeError: an address Dask cannot parse (``--scheduler garbage``).
        raise UsageError(f"no Dask scheduler answers at {address}: {error}") from None
    with client:
        futures: dict[Any, Any] = {}  # Dask future -> the recipient it builds
        for recipient in todo:
            future = client.submit(
                build_remote,
                str(dataset),
                digest,
                options,
                recipient,
                pure=False,
                key=f"make-report-{recipient.id}-{os.getpid()}-{id(futures)}",
            )
            futures[future] = recipient
        try:
            for future in as_completed(list(futures), loop=client.loop):
                recipient = futures[future]
                try:
                    files, pages = future.result()
                except ReportError as error:
                    done(recipient, (), None, error)
                    continue
                except Exception as error:  # a worker that died, a task the cluster lost
                    done(
                        recipient,
                        (),
                        None,
                        OutputError(f"the cluster could not build it: {type(error).__name__}: {error}"),
                    )
                    continue
                finally:
                    future.release()
                try:
                    written = _publish(Path(options.out_dir), files)
                except ReportError as error:
                    done(recipient, (), None, error)
                    continue
                done(recipient, written, pages, None)
        finally:
            client.cancel(list(futures), force=True)


def _publish(out_dir: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    from .outputs import StagedOutputs

    targets = [out_dir / name for name, _ in files]
    with StagedOutputs() as staged:
        for target, (_, content) in zip(targets, files):
            with staged.writing(target) as temp:
                temp.write_bytes(content)
        return staged.publish_all(targets)


def _file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_remote(
    dataset: str, digest: str, options: BuildOptions, recipient: Recipient
) -> tuple[list[tuple[str, bytes]], int | None]:
    """On a worker: build one recipient into a scratch folder; return ``[(file name,
    bytes)]`` in the order of the formats, and the brief's pages. Raises
    :class:`ReportError` as a local build would (sent back to the client by Dask)."""
    from dataclasses import replace

    path = Path(dataset)
    try:
        here = _file_digest(path)
    except OSError as error:
        raise UsageError(
            f"worker {os.uname().nodename}: cannot read the dataset {dataset}: {error.strerror}; "
            f"workers need the project at the same path"
        ) from None
    if here != digest:
        raise UsageError(f"worker {os.uname().nodename}: the dataset {dataset} differs from the client's")
    builder, lock = _builder()
    with lock, tempfile.TemporaryDirectory(prefix="make-report-") as folder:
        loaded = recipient.load(path, options.limits)
        own = replace(options, recipient=recipient.id, out_dir=Path(folder))
        result = builder.start(path, own, loaded=loaded).finish()
        return [(output.name, output.read_bytes()) for output in result.outputs], result.pages


def _builder():
    from .build import Builder

    with _BUILDERS_LOCK:
        pid = os.getpid()
        if pid not in _BUILDERS:
            # Within a Dask worker (threads running) forking a PDF worker is not safe:
            # the brief is written in this process.
            _BUILDERS[pid] = (Builder(parallel=False), threading.Lock())
        return _BUILDERS[pid]
