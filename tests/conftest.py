"""Shared test set-up."""

import os

import pytest

# numpy's BLAS thread pool would make this long-lived process multi-threaded once a chart
# is drawn, and a multi-threaded process never forks the deck writer (reporting.pipeline.forked):
# tests after the chart tests would not see the parallel build. (make-report builds once
# per process and forks before any chart is drawn, so it needs no such setting.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the chart cache of CLI runs out of the user's ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()
