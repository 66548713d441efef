"""The deck written in a forked process alongside the brief: same bytes, errors carried
back, nothing left behind, and no fork where it would not be safe."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reporting.build import BuildOptions, Builder
from reporting.errors import OutputError, TemplateError, UsageError
from reporting.forked import ForkedCall, fork_available, usable_cpus

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
ALL = ("pdf", "html", "pptx")



HAS_FORK = "fork" in multiprocessing.get_all_start_methods()
forking = pytest.mark.skipif(not HAS_FORK, reason="needs the fork start method")


@pytest.fixture
def parallel_build():
    """Skips where the deck can never go alongside (no fork, one CPU); elsewhere insists
    it can, so a thread started by some import fails here instead of silently turning
    the parallel build off."""
    if not HAS_FORK or usable_cpus() < 2:
        pytest.skip("needs fork and two CPUs")
    assert fork_available(), "this process runs threads: the deck would be written in turn"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.slow
def it_writes_the_same_files_alongside_as_one_after_the_other(parallel_build, tmp_path):
    alongside = Builder().build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "alongside"))
    in_turn = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "in_turn"))
    assert alongside.parallel_stages == ("pptx",) and in_turn.parallel_stages == ()
    assert [path.name for path in alongside.outputs] == [path.name for path in in_turn.outputs]
    assert files(tmp_path / "alongside") == files(tmp_path / "in_turn")
    assert len(files(tmp_path / "alongside")) == 3  # no temporary file left
    assert alongside.timings["pptx"] > 0


def it_builds_a_deck_alone_in_this_process(parallel_build, tmp_path):
    result = Builder().build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=tmp_path))
    assert result.parallel_stages == ()
    assert [path.suffix for path in result.outputs] == [".pptx"]


@pytest.mark.slow
def it_raises_the_decks_error_and_leaves_the_previous_deck(parallel_build, tmp_path):
    out = tmp_path / "out"
    Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=out))
    deck = next(out.iterdir())
    before = deck.read_bytes()
    bogus = tmp_path / "corporate.pptx"
    bogus.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a PowerPoint"):
        Builder().build(MINIMAL, BuildOptions(formats=ALL, out_dir=out, pptx_template=bogus))
    assert deck.read_bytes() == before
    assert not [path for path in out.iterdir() if path.name.endswith(".part")]


@forking
def it_carries_a_value_back():
    with ForkedCall(sum, (1, 2, 3)) as call:
        assert call.result() == 6


@forking
def it_turns_a_bug_in_the_child_into_an_error_with_its_traceback():
    with ForkedCall(divmod, 1, 0) as call:
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            call.result()


@forking
def it_ends_a_child_left_before_its_result():
    started = time.perf_counter()
    with ForkedCall(time.sleep, 60) as call:
        process = call._process
    assert not process.is_alive()
    assert time.perf_counter() - started < 10


def it_does_not_fork_a_process_running_threads(parallel_build, tmp_path):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_available()
        result = Builder().build(MINIMAL, BuildOptions(formats=("html", "pptx"), out_dir=tmp_path))
        assert result.parallel_stages == ()
        assert {path.suffix for path in result.outputs} == {".html", ".pptx"}
    finally:
        stop.set()
        thread.join()


def _fork_available_in_a_pool_worker(_):
    return fork_available()


@forking
def it_does_not_fork_inside_a_daemonic_pool_worker():
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_fork_available_in_a_pool_worker, [0]) == [False]


def it_writes_the_deck_itself_when_no_process_can_be_started(parallel_build, tmp_path, monkeypatch):
    import reporting.forked

    def no_fork(*args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(reporting.forked.ForkedCall, "__init__", no_fork)
    result = Builder().build(MINIMAL, BuildOptions(formats=("html", "pptx"), out_dir=tmp_path))
    assert result.parallel_stages == ()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in result.outputs)


@pytest.mark.slow
def it_takes_the_deck_last_when_it_is_written_alongside(parallel_build, tmp_path):
    result = Builder().build(MINIMAL, BuildOptions(formats=("pptx", "pdf"), out_dir=tmp_path))
    assert result.parallel_stages == ("pptx",)
    assert [path.suffix for path in result.outputs] == [".pdf", ".pptx"]
    in_turn = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pptx", "pdf"), out_dir=tmp_path / "b"))
    assert [path.suffix for path in in_turn.outputs] == [".pptx", ".pdf"]


@forking
def it_ends_the_child_when_waiting_for_it_is_interrupted():
    """Ctrl-C while the parent waits: the child (which ignores SIGINT) is ended too, so
    it writes nothing after the build gave up."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            with ForkedCall(time.sleep, 60) as call:
                process = call._process
                signal.setitimer(signal.ITIMER_REAL, 0.3)
                call.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not process.is_alive()


def _refuse(message):
    raise UsageError(message)


class _UnpicklableError(UsageError):
    def __init__(self, message):
        super().__init__(message)
        self.callback = lambda: None  # a lambda does not pickle


def _refuse_unpicklably(message):
    raise _UnpicklableError(message)


@forking
@pytest.mark.parametrize("raise_", [_refuse, _refuse_unpicklably], ids=["picklable", "unpicklable"])
def it_raises_the_childs_report_error_with_its_exit_status(raise_):
    with ForkedCall(raise_, "no such audience: x", doing="writing the deck") as call:
        with pytest.raises(UsageError if raise_ is _refuse else Exception) as caught:
            call.result()
    assert str(caught.value) == "no such audience: x"
    assert caught.value.exit_code == 2
    if sys.version_info >= (3, 11):
        assert "raised in the forked process writing the deck" in "".join(caught.value.__notes__)


def _killed():
    os.kill(os.getpid(), signal.SIGKILL)


@forking
def it_names_a_child_that_died_without_answering():
    with ForkedCall(_killed) as call:
        with pytest.raises(OutputError, match=r"ended without finishing \(exit status -9\).*--jobs 1"):
            call.result()


@forking
def it_raises_an_error_that_came_early_before_waiting():
    with ForkedCall(_refuse, "bad template") as call:
        deadline = time.monotonic() + 30
        with pytest.raises(UsageError, match="bad template"):
            while time.monotonic() < deadline:
                call.failed()  # never blocks; raises once the child has answered
                time.sleep(0.01)


@pytest.mark.slow
def it_says_the_deck_went_alongside_in_the_timings(parallel_build, tmp_path):
    """The whole command, as a user runs it: the deck is written in the second process."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    result = subprocess.run([sys.executable, "-m", "reporting", "--data", str(MINIMAL), "--format", "all",
                             "--out", str(tmp_path), "--timings"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "pptx:" in result.stderr and "alongside" in result.stderr
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".html", ".pdf", ".pptx"]
