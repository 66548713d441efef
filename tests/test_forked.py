"""PDF briefs written by a forked worker alongside the rest of the build: same bytes,
outputs published together, errors carried back, nothing left behind, and no fork
where it would not be safe."""

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
from pypdf import PdfReader

from reporting.pipeline.build import BuildOptions, Builder
from reporting.errors import AssetError, OutputError, TemplateError, UsageError
from reporting.pipeline.forked import ForkedWorker, first_answered, fork_available, usable_cpus

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
ALL = ("pdf", "html", "pptx")


pytestmark = pytest.mark.forks  # forks workers from this process: see conftest.py

HAS_FORK = "fork" in multiprocessing.get_all_start_methods()
forking = pytest.mark.skipif(not HAS_FORK, reason="needs the fork start method")


@pytest.fixture
def parallel_build():
    """Skips where the brief can never go alongside (no fork, one CPU); elsewhere insists
    it can, so a thread started by some import fails here instead of silently turning
    the parallel build off."""
    if not HAS_FORK or usable_cpus() < 2:
        pytest.skip("needs fork and two CPUs")
    assert fork_available(), "this process runs threads: the brief would be written in turn"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- the build ------------------------------------------------------------------------------

@pytest.mark.slow
def it_writes_the_same_files_alongside_as_one_after_the_other(parallel_build, tmp_path):
    with Builder() as builder:
        alongside = builder.build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "alongside"))
    in_turn = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "in_turn"))
    assert alongside.parallel_stages == ("pdf",) and in_turn.parallel_stages == ()
    assert [path.suffix for path in alongside.outputs] == [path.suffix for path in in_turn.outputs] == [
        ".pdf", ".html", ".pptx"]  # the order asked, either way
    assert files(tmp_path / "alongside") == files(tmp_path / "in_turn")
    assert len(files(tmp_path / "alongside")) == 3  # no temporary file left
    assert alongside.pages == in_turn.pages == len(PdfReader(tmp_path / "in_turn" / alongside.outputs[0].name).pages)
    assert alongside.timings["pdf"] > 0 and alongside.timings["pptx"] > 0


@pytest.mark.slow
def it_starts_no_worker_for_a_deck_alone(parallel_build, tmp_path):
    with Builder() as builder:
        result = builder.build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=tmp_path))
        assert builder.pdf_worker.running is None
    assert result.parallel_stages == ()
    assert [path.suffix for path in result.outputs] == [".pptx"]


@pytest.mark.slow
def it_keeps_one_worker_for_every_build_of_a_builder(parallel_build, tmp_path):
    """The second build finds WeasyPrint imported and its fonts loaded in the same worker."""
    with Builder() as builder:
        first = builder.build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path / "a"))
        worker = builder.pdf_worker.running
        second = builder.build(MINIMAL, BuildOptions(formats=("pdf", "html"), out_dir=tmp_path / "b"))
        assert builder.pdf_worker.running is worker and worker.alive
    assert not worker.alive  # closed with the builder
    assert first.parallel_stages == second.parallel_stages == ("pdf",)
    assert files(tmp_path / "a").keys() < files(tmp_path / "b").keys()


@pytest.mark.slow
def it_changes_no_output_when_the_deck_fails(parallel_build, tmp_path):
    """Nothing is published until every output is complete: the PDF, preview and deck
    of the last good build stay."""
    out = tmp_path / "out"
    Builder(parallel=False).build(MINIMAL, BuildOptions(formats=ALL, out_dir=out, source_date_epoch=0))
    before = files(out)
    bogus = tmp_path / "corporate.pptx"
    bogus.write_text("not a zip")
    with Builder() as builder:
        with pytest.raises(TemplateError, match="not a PowerPoint"):
            # Another date: a brief or preview published early would differ from the one before.
            builder.build(MINIMAL, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=out, pptx_template=bogus,
                                                source_date_epoch=86400 * 365))
        worker = builder.pdf_worker.running
        assert worker is None  # it had a brief in hand: ended with the build that stopped
    assert files(out) == before  # and no .part file


@pytest.mark.slow
def it_raises_the_briefs_error_from_the_worker_and_changes_no_output(parallel_build, tmp_path):
    out = tmp_path / "out"
    Builder(parallel=False).build(MINIMAL, BuildOptions(formats=ALL, out_dir=out))
    before = files(out)
    templates = tmp_path / "templates"
    (templates / "brief").mkdir(parents=True)
    (templates / "brief" / "brief.html").write_text(  # a user template linking out: refused by the brief
        '{% extends "brief/base.html" %}{% block cover_note %}<img src="https://example.com/x.png" alt="">'
        "{% endblock %}", encoding="utf-8")
    with Builder() as builder:
        with pytest.raises(AssetError, match="https://example.com/x.png") as caught:
            builder.build(MINIMAL, BuildOptions(formats=ALL, out_dir=out, template_dirs=(templates,)))
        worker = builder.pdf_worker.running
        assert worker is not None and not worker.busy  # it answered: kept for the next build
        assert builder.build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path / "next")).pages
        assert builder.pdf_worker.running is worker
    assert caught.value.exit_code == AssetError.exit_code
    assert "raised in the forked process writing the PDF brief" in "".join(caught.value.__notes__)
    assert files(out) == before


@pytest.mark.slow
def it_shows_where_the_worker_raised_with_debug(parallel_build, tmp_path):
    """--debug prints the traceback in the worker too (Python 3.10 has no exception notes
    in its tracebacks: the CLI prints them)."""
    templates = tmp_path / "templates"
    (templates / "brief").mkdir(parents=True)
    (templates / "brief" / "brief.html").write_text(
        '{% extends "brief/base.html" %}{% block cover_note %}<img src="https://example.com/x.png" alt="">'
        "{% endblock %}", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    result = subprocess.run([sys.executable, "-m", "reporting", "--data", str(MINIMAL), "--format", "all",
                             "--templates", str(templates), "--out", str(tmp_path / "out"), "--debug"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "raised in the forked process writing the PDF brief" in result.stderr
    assert "in _brief_writer" in result.stderr or "in write" in result.stderr  # the child's frames
    assert result.stderr.rstrip().splitlines()[-1].startswith("make-report: error: the brief refers to a resource")


@pytest.mark.slow
def it_does_not_fork_a_process_running_threads(parallel_build, tmp_path):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_available()
        with Builder() as builder:
            result = builder.build(MINIMAL, BuildOptions(formats=("pdf", "html"), out_dir=tmp_path))
        assert result.parallel_stages == ()
        assert [path.suffix for path in result.outputs] == [".pdf", ".html"]
    finally:
        stop.set()
        thread.join()


def _fork_available_in_a_pool_worker(_):
    return fork_available()


@forking
def it_does_not_fork_inside_a_daemonic_pool_worker():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_fork_available_in_a_pool_worker, [0]) == [False]


@pytest.mark.slow
def it_writes_the_brief_itself_when_no_process_can_be_started(parallel_build, tmp_path, monkeypatch):
    import reporting.pipeline.forked

    def no_fork(*args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(reporting.pipeline.forked.ForkedWorker, "__init__", no_fork)
    monkeypatch.setattr(reporting.pipeline.forked.ForkedWorker, "__del__", lambda self: None)
    with Builder() as builder:
        result = builder.build(MINIMAL, BuildOptions(formats=("pdf", "html"), out_dir=tmp_path))
    assert result.parallel_stages == () and result.pages
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in result.outputs)


@pytest.mark.slow
def it_says_the_brief_went_alongside_in_the_timings(parallel_build, tmp_path):
    """The whole command, as a user runs it: the brief is written in the second process."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    result = subprocess.run([sys.executable, "-m", "reporting", "--data", str(MINIMAL), "--format", "all",
                             "--out", str(tmp_path), "--timings"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    pdf_line = next(line for line in result.stderr.splitlines() if line.strip().startswith("pdf:"))
    assert "alongside" in pdf_line
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".html", ".pdf", ".pptx"]


# -- the worker -----------------------------------------------------------------------------

def _adder():
    return sum


def _counter():
    calls = []

    def count(request):
        calls.append(request)
        return len(calls)

    return count


def _sleeper():
    return time.sleep


def _dividing():
    return lambda pair: divmod(*pair)


def _refuse(message):
    raise UsageError(message)


class _UnpicklableError(UsageError):
    def __init__(self, message):
        super().__init__(message)
        self.callback = lambda: None  # a lambda does not pickle


def _refuse_unpicklably(message):
    raise _UnpicklableError(message)


def _refusing(raise_):
    return lambda message: raise_(message)


def _refusing_at_setup():
    raise UsageError("no fonts here")


def _killer():
    return lambda _: os.kill(os.getpid(), signal.SIGKILL)


@forking
def it_carries_a_value_back():
    with ForkedWorker(_adder) as worker:
        worker.submit((1, 2, 3))
        assert worker.result() == 6


@forking
def it_sets_up_once_and_serves_request_after_request():
    with ForkedWorker(_counter) as worker:
        for expected in (1, 2, 3):
            worker.submit("x")
            assert worker.result() == expected  # the handler's state survives between requests
        with pytest.raises(RuntimeError, match="still busy"):
            worker.submit("y")
            worker.submit("z")


@forking
def it_turns_a_bug_in_the_child_into_an_error_with_its_traceback():
    with ForkedWorker(_dividing) as worker:
        worker.submit((1, 0))
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            worker.result()
        assert not worker.alive  # a bug ends the worker


@forking
@pytest.mark.parametrize("raise_", [_refuse, _refuse_unpicklably], ids=["picklable", "unpicklable"])
def it_raises_the_childs_report_error_with_its_exit_status_and_goes_on(raise_):
    with ForkedWorker(_refusing, raise_, doing="writing the PDF brief") as worker:
        worker.submit("no such audience: x")
        with pytest.raises(UsageError if raise_ is _refuse else Exception) as caught:
            worker.result()
        assert str(caught.value) == "no such audience: x"
        assert caught.value.exit_code == 2
        assert "raised in the forked process writing the PDF brief" in "".join(caught.value.__notes__)
        assert worker.alive  # bad input is not a reason to end the worker
        worker.submit("again")
        with pytest.raises(Exception, match="again"):
            worker.result()


@forking
def it_raises_an_error_in_the_setup_at_the_first_result():
    with ForkedWorker(_refusing_at_setup) as worker:
        worker.submit("anything")
        with pytest.raises(UsageError, match="no fonts here"):
            worker.result()


@forking
def it_names_a_child_that_died_without_answering():
    with ForkedWorker(_killer) as worker:
        worker.submit(None)
        with pytest.raises(OutputError, match=r"ended without finishing \(exit status -9\).*--jobs 1"):
            worker.result()
        assert not worker.alive


def _gated(gate, then):
    """Set up only once the parent opens ``gate`` (a multiprocessing Event), so the test
    decides what the child has done when; the handler answers whether the gate was opened
    (False: it waited a minute in vain, i.e. the parent was stuck) and what ``then`` gives."""
    opened = gate.wait(timeout=60)
    handler = then()
    return lambda request: (opened, handler(request))


@forking
def it_raises_an_error_that_came_early_before_waiting():
    gate = multiprocessing.get_context("fork").Event()
    with ForkedWorker(_gated, gate, lambda: _refusing(_refuse)) as worker:
        worker.submit("bad template")
        worker.failed()  # the child has not answered: returns at once, raises nothing
        gate.set()
        assert first_answered([worker]) == [worker]  # waits until the answer is there
        with pytest.raises(UsageError, match="bad template"):
            worker.failed()  # raises it now, before anyone waits for the result


@forking
def it_keeps_an_answer_read_early_for_the_result():
    with ForkedWorker(_adder) as worker:
        worker.submit((2, 3))
        assert first_answered([worker]) == [worker]
        worker.failed()  # reads the answer: not an error
        assert worker._answer is not None  # read early, and kept
        assert worker.result() == 5


@forking
def it_ends_a_busy_child_on_close():
    with ForkedWorker(_sleeper) as worker:
        worker.submit(60)
        process = worker._process
    assert not process.is_alive()
    assert process.exitcode == -signal.SIGTERM  # ended, not waited for


@forking
def it_ends_a_worker_nobody_closed_once_it_is_dropped():
    worker = ForkedWorker(_sleeper)
    process = worker._process
    del worker
    process.join(timeout=10)
    assert not process.is_alive()


@forking
def it_ends_the_child_when_waiting_for_it_is_interrupted():
    """Ctrl-C while the parent waits: the child (which ignores SIGINT) is ended too, so
    it writes nothing after the build gave up."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            with ForkedWorker(_sleeper) as worker:
                process = worker._process
                worker.submit(60)
                signal.setitimer(signal.ITIMER_REAL, 0.3)
                worker.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not process.is_alive()


@forking
def it_holds_signals_back_from_a_new_child_until_it_has_its_own_handlers():
    """A SIGTERM right after the fork ends the child. Under the parent's handler (the
    CLI raises on SIGTERM) it would raise in the child instead, unwinding it through
    the caller's code, which it would then go on running as a second copy."""
    parent = os.getpid()

    def raising(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, raising)
    codes = []
    try:
        for _ in range(10):
            try:
                worker = ForkedWorker(_sleeper)
                worker._process.terminate()  # at once: before the child could reset anything
                worker._process.join(timeout=60)  # a lost signal would leave it running: exit code None
                codes.append(worker._process.exitcode)
                worker.close()
            finally:
                if os.getpid() != parent:
                    os._exit(99)  # an escaped child: it must not run the rest of the tests
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert codes == [-signal.SIGTERM] * 10


def _signal_state():
    return lambda _: (signal.pthread_sigmask(signal.SIG_BLOCK, []), signal.getsignal(signal.SIGTERM),
                      signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGHUP))


@pytest.fixture
def signal_handlers():
    """Sets signal dispositions for one test and puts back those it found, so a test
    never depends on how it was started (``nohup`` ignores SIGHUP, a CI runner may
    ignore SIGINT)."""
    found = {}

    def set_(signum, handler):
        found.setdefault(signum, signal.getsignal(signum))
        signal.signal(signum, handler)

    yield set_
    for signum, handler in found.items():
        signal.signal(signum, handler)


def _noted(signum, frame):
    """A handler of this process, as the CLI's (which raises): never the child's."""


@forking
def it_blocks_the_signals_while_forking_and_the_child_unblocks_them_under_its_own_handlers(monkeypatch,
                                                                                           signal_handlers):
    """The mechanism behind the test above, without its race: SIGTERM is blocked in
    this process while the child is forked, and the child serves with it unblocked,
    at its default action instead of this process's handler (SIGINT ignored: the
    parent handles Ctrl-C)."""
    import multiprocessing.process

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal_handlers(signum, _noted)
    mask_before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    seen = []
    start = multiprocessing.process.BaseProcess.start

    def recording_start(self):
        seen.append(signal.pthread_sigmask(signal.SIG_BLOCK, []))
        return start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", recording_start)
    with ForkedWorker(_signal_state) as worker:
        worker.submit(None)
        mask, on_term, on_int, on_hup = worker.result()
    assert {signal.SIGTERM, signal.SIGHUP, signal.SIGINT} <= seen[0]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask_before  # unblocked here again
    assert not {signal.SIGTERM, signal.SIGHUP, signal.SIGINT} & mask
    assert on_term == signal.SIG_DFL and on_hup == signal.SIG_DFL and on_int == signal.SIG_IGN


@forking
@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def it_keeps_a_signal_the_parent_ignores_ignored(signal_handlers, signum):
    """Under nohup, a hang-up must not end the worker the parent survives."""
    signal_handlers(signal.SIGHUP, _noted)
    signal_handlers(signal.SIGTERM, _noted)
    signal_handlers(signum, signal.SIG_IGN)
    with ForkedWorker(_signal_state) as worker:
        worker.submit(None)
        _, on_term, _, on_hup = worker.result()
    assert (on_hup, on_term) == ((signal.SIG_IGN, signal.SIG_DFL) if signum == signal.SIGHUP
                                 else (signal.SIG_DFL, signal.SIG_IGN))


@forking
def it_sends_a_request_bigger_than_a_pipe_without_waiting_for_the_child(tmp_path):
    gate = multiprocessing.get_context("fork").Event()
    with ForkedWorker(_gated, gate, lambda: len, temp_dir=tmp_path) as worker:
        worker.submit("x" * 1_000_000)  # the child reads nothing before the gate opens
        assert [path.name.startswith("reporting-request-") for path in tmp_path.iterdir()] == [True]
        gate.set()
        assert worker.result() == (True, 1_000_000)  # True: submit returned while the child waited
        assert not any(tmp_path.iterdir())  # its file removed once answered


def _deaf():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as if SIGTERM could not reach it
    return len


@forking
def it_ends_an_idle_child_that_ignores_sigterm_by_closing_its_pipe():
    with ForkedWorker(_deaf) as worker:
        worker.submit("ready")
        assert worker.result() == 5
        process = worker._process
    assert not process.is_alive() and process.exitcode == 0  # ended on the closed pipe, not killed


def it_names_the_output_when_the_worker_cannot_write_it(tmp_path):
    from reporting.pipeline.pdfworker import _brief_writer

    write = _brief_writer()
    target = tmp_path / "brief.pdf"
    with pytest.raises(OutputError, match="cannot write .*brief.pdf"):
        write({"html": "<p>x</p>", "target": tmp_path / "no such folder" / ".brief.pdf.part",
               "publishes_to": target})
