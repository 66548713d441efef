"""Shared test set-up."""

import os

import pytest

# As make-report does (reporting.cli): numpy's BLAS thread pool would make this process
# multi-threaded once a chart is drawn, and a multi-threaded process never forks the
# deck writer, so tests after the chart tests would not see the parallel build.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the chart cache of CLI runs out of the user's ~/.cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()
