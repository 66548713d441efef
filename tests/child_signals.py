"""For tests that interrupt a command they start: the child gets Python's default SIGINT."""

from __future__ import annotations

import signal


def default_sigint() -> None:
    """``preexec_fn`` of a command the test will interrupt with SIGINT: a shell without job
    control starts background jobs (``cmd &``, CI runners, ``nohup … &``) with SIGINT
    ignored, and the child inherits that; make-report rightly keeps a signal it was given
    ignored, so Ctrl-C would not reach it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
