"""Scratch files that no interruption leaves behind.

A file created to be filled and renamed (an output's ``.part``, a cached chart, a
request for a worker) must be removed when the work stops half-way, Ctrl-C and
SIGTERM included. The removal is a ``finally``; but an interruption raised after the
file exists and before that ``finally`` is in force would leave it behind. The
signals that interrupt are therefore held back from the moment the file is created
until its removal is in place (:func:`interruptions_held`), and handled right after.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator

INTERRUPTIONS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM})
"""Signals whose handlers may raise in the middle of a build: Ctrl-C, SIGTERM and SIGHUP
(the CLI turns both into an exception), and SIGALRM (the CLI's redelivery of an
interruption that arrived inside a finalizer)."""


@contextlib.contextmanager
def interruptions_held() -> Iterator[None]:
    """Hold :data:`INTERRUPTIONS` back while the block runs: one that arrives meanwhile is
    handled (its exception raised) as soon as the block ends. Keep the block short: a
    file's creation and the registration of its removal.

    The signals' Python handlers are swapped for one that notes the signal, and put back
    afterwards. (Blocking the signals with ``pthread_sigmask`` would not do: in a process
    with other threads the kernel hands the signal to one of them, and Python still runs
    the handler in the main thread.) Signals at their default or ignored are left alone:
    no exception comes from them. Only the main thread can set handlers; elsewhere this
    does nothing, as no handler runs there."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []

    def note(signum, _frame):
        noted.append(signum)

    swapped: dict[int, Callable] = {}
    try:
        for signum in INTERRUPTIONS:
            handler = signal.getsignal(signum)
            if callable(handler):
                swapped[signum] = handler
                signal.signal(signum, note)
        yield
    finally:
        _put_back(list(swapped.items()))
        for arrived in noted:
            swapped[arrived](arrived, None)


def _put_back(handlers: list[tuple[int, Callable]]) -> None:
    """Set each ``(signum, handler)``; every one of them is set even when a handler put
    back raises on the way (an interruption arriving right then)."""
    if handlers:
        (signum, handler), rest = handlers[0], handlers[1:]
        try:
            signal.signal(signum, handler)
        finally:
            _put_back(rest)


@contextlib.contextmanager
def scratch_file(folder: os.PathLike[str] | str, prefix: str, suffix: str = ".part") -> Iterator[Path]:
    """Yield a new empty file ``<prefix>*<suffix>`` in ``folder`` (mode 0600); remove it on
    exit, whatever ends the block, unless it was moved away (renamed into place).
    Raises OSError when the folder takes no new file."""
    temp: Path | None = None
    try:
        with interruptions_held():  # the file and the knowledge of its name, or neither
            handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
            os.close(handle)
            temp = Path(name)
        yield temp
    finally:
        if temp is not None:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
