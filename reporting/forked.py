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
import sys
import traceback
from typing import Any, Callable

from .errors import OutputError, ReportError


def fork_available() -> bool:
    """True when this process may fork a worker: ``fork`` exists, more than one CPU
    is ours, this process runs a single thread (Linux: read from ``/proc``) and is not
    itself a daemonic worker (a ``multiprocessing.Pool``'s, which may have no children)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return False
    return usable_cpus() > 1 and _thread_count() == 1


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity where the system tells, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


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
    :meth:`result` (its traceback in the child attached as a note, for ``--debug``); a
    child that dies without answering (killed, out of memory) is an
    :class:`~reporting.errors.OutputError`; any other exception (a bug) becomes a
    :class:`RuntimeError` carrying the child's traceback. Use as a context manager:
    leaving the block for any reason ends a child still running, so no output is
    written after the caller gave up (Ctrl-C, an error elsewhere).
    """

    def __init__(self, function: Callable[..., Any], *args: Any, doing: str = "running a forked call"):
        """``doing`` names the work in messages: ``"writing the deck"``."""
        import multiprocessing

        self.doing = doing

        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # else the child would write this process's buffered output again
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_child, args=(send, function, args), daemon=True)
        try:
            self._process.start()
        except BaseException:
            self._receive.close()
            raise
        finally:
            send.close()  # the child holds the sending end; EOF here when it dies
        self._message: tuple | None = None

    def failed(self) -> None:
        """Raise the child's error now if it has already failed; never waits."""
        if self._message is None and self._receive.poll():
            self._message = self._read()
        if self._message is not None and self._message[0] != "ok":
            self.result()

    def result(self) -> Any:
        """Wait for the child; return the call's value or raise its error."""
        if self._message is None:
            self._message = self._read()
        self._process.join(timeout=10)  # it has answered (or died): let it exit on its own
        self.cancel()
        status, value, child_traceback = self._message
        if status == "ok":
            return value
        if status == "error":
            if hasattr(value, "add_note"):  # Python 3.11+
                value.add_note(f"raised in the forked process {self.doing}:\n{child_traceback}")
            raise value
        if status == "died":
            raise OutputError(f"the process {self.doing} ended without finishing ({value}); "
                              f"'--jobs 1' does it in the main process")
        raise RuntimeError(f"the forked process {self.doing} failed:\n{value}")

    def _read(self) -> tuple:
        try:
            return self._receive.recv()
        except EOFError:
            self._process.join()
            return ("died", f"exit status {self._process.exitcode}", "")
        except Exception as error:  # a message that cannot be read back: a bug
            return ("crash", f"{type(error).__name__}: {error}", "")

    def cancel(self) -> None:
        """End the child if it is still running (its partial output is the caller's to
        remove); idempotent."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()

    def __enter__(self) -> "ForkedCall":
        return self

    def __exit__(self, *exc_info) -> None:
        self.cancel()


def _run_child(send, function: Callable[..., Any], args: tuple) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and ends this
    # child, which must not print a second traceback. SIGTERM (the parent's cancel)
    # and SIGHUP end it at once, not through the parent's handlers it inherited.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        message = ("ok", function(*args), "")
    except ReportError as error:
        message = ("error", error, traceback.format_exc())
    except BaseException:  # a bug: send its traceback, the parent raises it
        message = ("crash", traceback.format_exc(), "")
    try:
        send.send(message)
    except Exception:  # an error that cannot be pickled: keep its message and exit status
        if message[0] == "error":
            error = ReportError(str(message[1]))
            error.exit_code = message[1].exit_code
            send.send(("error", error, message[2]))
        else:
            send.send(("crash", traceback.format_exc(), ""))
    send.close()
