"""Run one call in a forked child process while this process goes on.

The build uses it to write the deck on the second core while this process lays out
the PDF: the child inherits the planned report (nothing is pickled on the way in)
and sends back only the call's small result. Forking is used only where it is safe:
a system with ``fork`` and a process with a single thread (a thread pool started by
a native library would not survive the fork); elsewhere the caller runs the call
itself (:func:`fork_available`).
"""

from __future__ import annotations

import os
import signal
import traceback
from typing import Any, Callable

from .errors import ReportError


def fork_available() -> bool:
    """True when this process may fork a worker: ``fork`` exists, more than one CPU
    is ours, this process runs a single thread (Linux: read from ``/proc``) and is not
    itself a daemonic worker (a ``multiprocessing.Pool``'s, which may have no children)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return cpus > 1 and _thread_count() == 1


def _thread_count() -> int:
    """OS threads of this process (native libraries' included); 2 when unknown, so
    that an unknown count never leads to a fork."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 2


class ForkedCall:
    """``function(*args)`` running in a forked child; :meth:`result` waits for it.

    A :class:`~reporting.errors.ReportError` raised in the child is raised again by
    :meth:`result`; any other exception (a bug) becomes a :class:`RuntimeError`
    carrying the child's traceback. Use as a context manager: leaving the block
    before :meth:`result` (an error elsewhere, Ctrl-C) ends the child.
    """

    def __init__(self, function: Callable[..., Any], *args: Any):
        import multiprocessing

        import sys

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # else the child would write this process's buffered output again
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_child, args=(send, function, args), daemon=True)
        self._process.start()
        send.close()  # the child holds the sending end; EOF here when it dies
        self._done = False

    def result(self) -> Any:
        """Wait for the child; return the call's value or raise its error."""
        try:
            status, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the forked worker ended without a result "
                               f"(exit status {self._process.exitcode})") from None
        finally:
            self._done = True
            self._receive.close()
        self._process.join()
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise RuntimeError(f"the forked worker failed:\n{value}")

    def cancel(self) -> None:
        """End the child if it is still running (its partial output is the caller's to remove)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        if not self._done:
            self._receive.close()
            self._done = True

    def __enter__(self) -> "ForkedCall":
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._done:
            self.cancel()


def _run_child(send, function: Callable[..., Any], args: tuple) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and ends this
    # child, which must not print a second traceback. SIGTERM (the parent's cancel)
    # ends it at once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        message = ("ok", function(*args))
    except ReportError as error:
        message = ("error", error)
    except BaseException:  # a bug: send its traceback, the parent raises it
        message = ("crash", traceback.format_exc())
    try:
        send.send(message)
    except Exception:  # an error that cannot be pickled: keep its message
        send.send(("error", ReportError(str(message[1]))) if message[0] == "error" else
                  ("crash", traceback.format_exc()))
    send.close()
