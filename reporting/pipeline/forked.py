"""A forked worker process that sets itself up once, then answers requests one at a time.

The build uses one to write PDF briefs on the second core: forked at the start of
the first build, it imports WeasyPrint while this process loads and plans, writes
each brief it is sent while this process writes the HTML preview and the deck, and
keeps its fonts loaded for the next build. Requests cross by pipe, or by temporary file
when bigger than a pipe holds (a brief's HTML), so sending never waits; answers are small
(a page count). Forking is used only where it is safe: a
system with ``fork`` and a process with a single thread (a thread pool started by a
native library would not survive the fork); elsewhere the caller does the work
itself (:func:`fork_available`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from typing import Any, Callable, Sequence

from ..errors import OutputError, ReportError
from ..scratch import interruptions_held

_CHILD_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
"""Signals that end or interrupt a build, held back from a new child until it has its own handlers."""

_PIPE_MESSAGE_BYTES = 32 * 1024
"""Requests up to this size go through the pipe (whose buffer holds 64 KiB on Linux), so
sending never waits for a child still setting itself up; bigger ones through a file."""


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


class ForkedWorker:
    """A forked child that runs ``setup(*args)`` at once, which returns a handler; then
    for each :meth:`submit` it calls ``handler(request)`` and :meth:`result` waits for
    the answer.

    A :class:`~reporting.errors.ReportError` raised in the child (by ``setup`` or a
    handler) is raised again by :meth:`result` with its traceback in the child attached
    as a note (for ``--debug``), and the worker goes on serving. A child that dies
    without answering (killed, out of memory) is an :class:`~reporting.errors.OutputError`;
    any other exception (a bug) becomes a :class:`RuntimeError` carrying the child's
    traceback; either way the worker is then closed. Use as a context manager, or call
    :meth:`close`: the child is ended, so it writes nothing after the caller gave up.
    """

    def __init__(
        self,
        setup: Callable[..., Callable[[Any], Any]],
        *args: Any,
        doing: str = "running a forked worker",
        temp_dir: str | os.PathLike | None = None,
    ):
        """``doing`` names the work in messages: ``"writing the PDF brief"``. ``temp_dir``
        is the folder for requests too big for the pipe (each file removed once answered;
        default: the system's temporary folder, ``$TMPDIR`` or ``/tmp``). Raises OSError
        when no process can be started."""
        import multiprocessing

        self.doing = doing
        self.temp_dir = temp_dir
        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # else the child would write this process's buffered output again
        self._answers, answer_end = context.Pipe(duplex=False)
        request_end, self._requests = context.Pipe(duplex=False)
        # The child inherits this process's signal handlers (the CLI's turns SIGTERM into an
        # exception): one arriving before the child has reset them would be raised in the
        # child (which then exits 1 with a traceback) or lost (the child would then never
        # end). So the signals are blocked across the fork; the child unblocks them once reset.
        ignored = {signum for signum in _CHILD_SIGNALS if signal.getsignal(signum) == signal.SIG_IGN}
        blocked = None
        try:
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _CHILD_SIGNALS)
            self._process = context.Process(
                target=_serve,
                args=(setup, args, request_end, answer_end, self._requests, blocked, ignored),
                daemon=True,
            )
            self._process.start()
        except BaseException:
            self._answers.close()
            self._requests.close()
            raise
        finally:
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            answer_end.close()  # the child's ends: EOF here when it dies
            request_end.close()
        self._pending = False
        self._request_file: str | None = None
        self._answer: tuple | None = None  # read early by failed(), not yet taken by result()

    @property
    def alive(self) -> bool:
        """True while the child can take requests (it was not closed and did not die)."""
        return not self._requests.closed and self._process.is_alive()

    @property
    def busy(self) -> bool:
        """True from :meth:`submit` until :meth:`result` has taken the answer."""
        return self._pending

    def submit(self, request: Any) -> None:
        """Send ``request`` (picklable) to the handler; one at a time; never waits for
        the child (a request bigger than a pipe holds goes through a temporary file). A
        child that is gone already is reported as :meth:`result` reports it; an
        interruption while sending ends the worker (the pipe may hold half a request)."""
        if self._pending:
            raise RuntimeError(f"the process {self.doing} is still busy with the previous request")
        import pickle

        self._pending = True
        try:
            payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
            message = self._through_file(payload) if len(payload) > _PIPE_MESSAGE_BYTES else None
            self._requests.send_bytes(message or pickle.dumps(("inline", payload)))
        except OSError:  # a broken pipe: the child is gone; its last word says why
            self.result()
        except BaseException:
            self.close()
            raise

    def _through_file(self, payload: bytes) -> bytes | None:
        """Put ``payload`` in a temporary file; return the message naming it. None when the
        temporary folder takes no file (full, read-only): the request then goes through the
        pipe, which waits until the child reads it, instead of failing the build."""
        import pickle
        import tempfile

        try:
            with interruptions_held():  # close() removes the file once its name is known
                handle, self._request_file = tempfile.mkstemp(prefix="reporting-request-", dir=self.temp_dir)
            with os.fdopen(handle, "wb") as file:
                file.write(payload)
        except OSError:
            self._remove_request_file()
            return None
        return pickle.dumps(("file", self._request_file))

    def failed(self) -> None:
        """Raise the pending request's error now if it has failed already; never waits."""
        if self._pending and self._answer is None and self._answers.poll():
            self._answer = self._read()
        if self._answer is not None and self._answer[0] != "ok":
            self.result()

    def result(self) -> Any:
        """Wait for the answer to the request submitted; return it or raise its error."""
        answer, self._answer = self._answer or self._read(), None
        self._remove_request_file()
        return self._raise(answer)

    def _remove_request_file(self) -> None:
        if self._request_file is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._request_file)
            self._request_file = None

    def _raise(self, answer: tuple) -> Any:
        self._pending = False
        status, value, child_traceback = answer
        if status == "ok":
            return value
        if status == "error":
            note = f"raised in the forked process {self.doing}:\n{child_traceback}"
            if hasattr(value, "add_note"):
                value.add_note(note)
            else:  # Python 3.10: the same attribute, printed by the CLI's --debug
                value.__notes__ = [*getattr(value, "__notes__", ()), note]
            raise value
        self.close()
        if status == "died":
            raise OutputError(
                f"the process {self.doing} ended without finishing ({value}); '--jobs 1' does it in the main process"
            )
        raise RuntimeError(f"the forked process {self.doing} failed:\n{value}")

    def _read(self) -> tuple:
        try:
            return self._answers.recv()
        except (EOFError, OSError):
            self._process.join()
            return ("died", f"exit status {self._process.exitcode}", "")
        except Exception as error:  # an answer that cannot be read back: a bug
            return ("crash", f"{type(error).__name__}: {error}", "")

    def close(self) -> None:
        """End the child (at once, even mid-request: its partial output is the caller's
        to remove); idempotent. Closing the request pipe ends an idle child even where
        SIGTERM cannot reach it; one that neither signal nor pipe ends is killed."""
        self._requests.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._answers.close()
        self._remove_request_file()
        self._pending, self._answer = False, None

    def __del__(self) -> None:
        # A worker dropped without close() (its Builder never closed) must not outlive it.
        if hasattr(self, "_requests"):
            try:
                self.close()
            except Exception:  # at interpreter exit, multiprocessing may have ended it already
                pass

    def __enter__(self) -> "ForkedWorker":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def first_answered(workers: Sequence["ForkedWorker"], timeout: float | None = None) -> list["ForkedWorker"]:
    """Wait until one of the busy ``workers`` has its answer ready (or has died), at most
    ``timeout`` seconds (None: no limit); return those that have, in the given order.
    Their :meth:`ForkedWorker.result` then returns without waiting."""
    from multiprocessing.connection import wait

    busy = [worker for worker in workers if worker.busy]
    ready = [worker for worker in busy if worker._answer is not None]
    if ready or not busy:
        return ready
    readable = wait([worker._answers for worker in busy], timeout)
    return [worker for worker in busy if worker._answers in readable]


def _serve(
    setup: Callable[..., Callable[[Any], Any]],
    args: tuple,
    requests,
    answers,
    parents_end,
    signal_mask: set,
    ignored: set,
) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and ends this
    # child, which must not print a second traceback. SIGTERM (the parent's close)
    # and SIGHUP end it at once, not through the parent's handlers it inherited,
    # unless the parent ignores them (nohup): then so does the child. They were
    # blocked across the fork (see ForkedWorker); one sent meanwhile is delivered
    # when unblocked, under these dispositions.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN if signum in ignored else signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, set(signal_mask) - _CHILD_SIGNALS)
    parents_end.close()  # so that a parent gone for good reads as EOF below
    handler: Callable[[Any], Any] | None = None
    answer: tuple | None = _call(lambda: setup(*args))
    if answer is not None and answer[0] == "ok":
        handler, answer = answer[1], None
    while True:
        if answer is not None:
            if not _send(answers, answer) or answer[0] == "crash" or handler is None:
                return
        assert handler is not None  # set by a setup that answered ok (else returned above)
        serve = handler
        try:
            request = _receive(requests)
        except (EOFError, OSError):
            return
        answer = _call(lambda: serve(request))  # noqa: B023 (called at once, in this turn of the loop)


def _receive(requests) -> Any:
    """The next request: sent whole, or the name of the file holding it (see submit)."""
    import pickle

    how, content = pickle.loads(requests.recv_bytes())
    if how == "file":
        with open(content, "rb") as file:
            content = file.read()
    return pickle.loads(content)


def _call(function: Callable[[], Any]) -> tuple:
    try:
        return ("ok", function(), "")
    except ReportError as error:
        return ("error", error, traceback.format_exc())
    except BaseException:  # a bug: send its traceback, the parent raises it
        return ("crash", traceback.format_exc(), "")


def _send(answers, answer: tuple) -> bool:
    """Send ``answer`` to the parent; False when the parent is gone (killed while this
    child worked): nobody is left to answer, and the child ends quietly."""
    try:
        answers.send(answer)
    except OSError:  # a broken pipe
        return False
    except Exception:  # an error that cannot be pickled: keep its message and exit status
        if answer[0] == "error":
            error = ReportError(str(answer[1]))
            error.exit_code = answer[1].exit_code
            answer = ("error", error, answer[2])
        else:
            answer = ("crash", traceback.format_exc(), "")
        try:
            answers.send(answer)
        except OSError:
            return False
    return True
