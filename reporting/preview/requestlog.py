"""aiohttp's own log of requests it could not handle, as one line each in the preview's log.

aiohttp logs a request that is no HTTP (a port scanner, TLS spoken to the plain port, a
header over 8 KB) with its traceback, some at debug level; the preview's terminal is for
the report's problems. While :func:`request_errors_in_one_line` is in force, each such
request is one line (``malformed request from 127.0.0.1 refused: Invalid method …``),
and an exception in a handler one line naming it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Callable, Iterator

from aiohttp.http_exceptions import HttpProcessingError

LOGGER = "aiohttp.server"


class _OneLine(logging.Handler):
    def __init__(self, log: Callable[[str], None]) -> None:
        super().__init__(logging.DEBUG)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        peer = record.args[0] if isinstance(record.args, tuple) and record.args else "a client"
        if isinstance(error, HttpProcessingError):
            said = " ".join(str(error.message).split())[:120]
            self._log(f"malformed request from {peer} refused ({error.code}): {said}")
        elif error is not None:
            self._log(f"a request from {peer} failed: {type(error).__name__}: {error}")
        elif record.levelno >= logging.WARNING:
            self._log(record.getMessage())
        # the rest (a client that went away, at debug level) is not the user's concern


@contextlib.contextmanager
def request_errors_in_one_line(log: Callable[[str], None]) -> Iterator[None]:
    """Route aiohttp's server log to ``log``, one line a record, for the block's duration.

    Side effect: the ``aiohttp.server`` logger's level, handlers and propagation are set
    for the block (debug: aiohttp logs a request in another protocol at that level) and
    restored after it.
    """
    logger = logging.getLogger(LOGGER)
    saved = logger.level, logger.propagate
    handler = _OneLine(log)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = saved
