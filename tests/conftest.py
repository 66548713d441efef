"""Shared test set-up: a private chart cache, one build of the shipped outputs for the
whole run, one Builder for the tests that only need a build.

Markers (pyproject.toml): ``slow`` marks every test that renders a PDF or a deck, or
reads one (``-m 'not slow'`` is the quick subset); ``forks`` marks the tests that fork
worker processes from the test process itself, which must then run a single thread: a
pytest-xdist worker runs two, so scripts/test-suite runs those tests in a second,
plain pytest run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import cli_batches
from once_per_run import once_per_run

ROOT = Path(__file__).resolve().parent.parent

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


def pytest_collection_modifyitems(items):
    """A test that reads the shipped outputs renders them (once per run): slow. In a
    pytest-xdist worker a ``forks`` test cannot do what it checks: skipped, saying why.

    Under pytest-xdist the slow tests run first (each module's in their order): the cores
    then finish on short tests, where a long one last would leave all cores but one idle.
    (The ``forks`` run keeps the order of collection: the LocalCluster batch test leaves
    distributed's offload thread in its process, after which no test there can fork, so
    it must come after the others, as test_recipients.py does alphabetically.)"""
    in_xdist_worker = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    for item in items:
        if "shipped" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
        if in_xdist_worker and item.get_closest_marker("forks"):
            item.add_marker(pytest.mark.skip(reason="forks from the test process: run without pytest-xdist "
                                                    "(scripts/test-suite does)"))
    if in_xdist_worker:
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: order kept within each


@dataclass(frozen=True)
class Shipped:
    """The shipped dataset's outputs, by suffix (``.pdf``, ``.html``, ``.pptx``):
    ``audiences[name]`` for every audience of report.toml, ``editions[edition]`` for
    the default report in each edition."""

    audiences: dict[str, dict[str, Path]]
    editions: dict[str, dict[str, Path]]


def _build_shipped(folder: Path) -> dict:
    """make-report itself, as a user runs it: every audience, and each edition of the
    default report, in every format; in two processes at once, the commands of each in
    turn (:mod:`cli_batches`)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    from reporting.lang.editions import Edition

    commands = {"audiences": ["--audience", "all"], **{edition.value: ["--lang", edition.value] for edition in Edition}}
    arguments = {name: ["--project", str(ROOT), "--format", "all", "--out", str(folder / name), *args]
                 for name, args in commands.items()}
    names = list(arguments)
    groups = [names[0::2], names[1::2]]  # the audiences (the longest) with two editions, the others
    running = [(group, cli_batches.start([arguments[name] for name in group], env=env, cwd=ROOT)) for group in groups]
    built: dict = {"audiences": {}, "editions": {}}
    for group, process in running:
        for name, stdout in zip(group, cli_batches.finish(process)):
            for line in stdout.splitlines():
                path = Path(line)
                if name == "audiences":  # <dataset>_<audience>_<edition>.<ext>
                    audience = path.stem.split("_", 1)[1].rsplit("_", 1)[0]
                    built["audiences"].setdefault(audience, {})[path.suffix] = str(path)
                else:
                    built["editions"].setdefault(name, {})[path.suffix] = str(path)
    return built


@pytest.fixture(scope="session")
def shipped(tmp_path_factory, _private_cache) -> Shipped:
    """The shipped outputs (see :class:`Shipped`), built once for the whole run: under
    pytest-xdist the first worker to ask builds them while the others wait for them."""
    built = once_per_run(tmp_path_factory, "shipped", _build_shipped)
    as_paths = {kind: {name: {suffix: Path(path) for suffix, path in files.items()} for name, files in group.items()}
                for kind, group in built.items()}
    return Shipped(**as_paths)


@pytest.fixture(scope="session")
def builder():
    """One Builder for the tests that only need a build: its PDF worker (where the test
    process may fork) keeps WeasyPrint's fonts loaded from test to test, and is ended
    with the run."""
    from reporting.pipeline.build import Builder

    with Builder() as shared:
        yield shared
