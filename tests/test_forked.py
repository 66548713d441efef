"""The deck written in a forked process alongside the brief: same bytes, errors carried
back, nothing left behind, and no fork where it would not be safe."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from reporting.build import BuildOptions, Builder
from reporting.errors import TemplateError
from reporting.forked import ForkedCall, fork_available

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
ALL = ("pdf", "html", "pptx")



@pytest.fixture(autouse=True)
def _can_fork():
    if not fork_available():
        pytest.skip("needs fork, two CPUs and a single-threaded test process")


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.slow
def it_writes_the_same_files_alongside_as_one_after_the_other(tmp_path):
    alongside = Builder().build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "alongside"))
    in_turn = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=ALL, out_dir=tmp_path / "in_turn"))
    assert alongside.parallel_stages == ("pptx",) and in_turn.parallel_stages == ()
    assert [path.name for path in alongside.outputs] == [path.name for path in in_turn.outputs]
    assert files(tmp_path / "alongside") == files(tmp_path / "in_turn")
    assert len(files(tmp_path / "alongside")) == 3  # no temporary file left
    assert alongside.timings["pptx"] > 0


def it_builds_a_deck_alone_in_this_process(tmp_path):
    result = Builder().build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=tmp_path))
    assert result.parallel_stages == ()
    assert [path.suffix for path in result.outputs] == [".pptx"]


@pytest.mark.slow
def it_raises_the_decks_error_and_leaves_the_previous_deck(tmp_path):
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


def it_carries_a_value_back():
    with ForkedCall(sum, (1, 2, 3)) as call:
        assert call.result() == 6


def it_turns_a_bug_in_the_child_into_an_error_with_its_traceback():
    with ForkedCall(divmod, 1, 0) as call:
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            call.result()


def it_ends_a_child_left_before_its_result():
    started = time.perf_counter()
    with ForkedCall(time.sleep, 60) as call:
        process = call._process
    assert not process.is_alive()
    assert time.perf_counter() - started < 10


def it_does_not_fork_a_process_running_threads(tmp_path):
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


def it_does_not_fork_inside_a_daemonic_pool_worker():
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_fork_available_in_a_pool_worker, [0]) == [False]


def it_writes_the_deck_itself_when_no_process_can_be_started(tmp_path, monkeypatch):
    import reporting.forked

    def no_fork(*args):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(reporting.forked.ForkedCall, "__init__", no_fork)
    result = Builder().build(MINIMAL, BuildOptions(formats=("html", "pptx"), out_dir=tmp_path))
    assert result.parallel_stages == ()
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(path.name for path in result.outputs)


@pytest.mark.slow
def it_takes_the_deck_last_when_it_is_written_alongside(tmp_path):
    result = Builder().build(MINIMAL, BuildOptions(formats=("pptx", "pdf"), out_dir=tmp_path))
    assert result.parallel_stages == ("pptx",)
    assert [path.suffix for path in result.outputs] == [".pdf", ".pptx"]
    in_turn = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pptx", "pdf"), out_dir=tmp_path / "b"))
    assert [path.suffix for path in in_turn.outputs] == [".pptx", ".pdf"]
