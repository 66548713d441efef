"""Fewer garbage collections while WeasyPrint allocates, and the collector as it was after."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from reporting.gctuning import YOUNG_THRESHOLD, collect_less

ROOT = Path(__file__).resolve().parent.parent


class _Node:
    pass


def it_spaces_collections_out_inside_and_restores_the_collector_after():
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    with collect_less():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD > before[0]
        assert gc.get_freeze_count() > frozen  # what was alive on entry is no longer walked
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


def it_still_collects_cycles_made_inside():
    with collect_less():
        node = _Node()
        node.self = node  # a cycle: only the collector frees it
        alive = weakref.ref(node)
        del node
        kept = [[] for _ in range(YOUNG_THRESHOLD * 3)]  # net allocations: the collector runs by itself
        assert alive() is None
        del kept


def it_frees_the_cycles_a_block_left_behind_as_it_ends():
    """Fewer than YOUNG_THRESHOLD allocations: no collection runs inside, so only the one at
    the block's end frees the cycle (without it, the next block froze it: a warm process grew)."""
    gc.collect()
    with collect_less():
        node = _Node()
        node.self = node
        alive = weakref.ref(node)
        del node
    assert alive() is None


def it_restores_the_collector_when_the_block_fails():
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    try:
        with collect_less():
            raise ValueError("a failed render")
    except ValueError:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def it_leaves_what_the_caller_froze_frozen():
    """A server that froze its preloaded objects keeps them out of every collection."""
    kept = [{"preloaded": n} for n in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collect_less():
            with collect_less():  # nested: only the outermost block restores
                assert gc.get_threshold()[0] == YOUNG_THRESHOLD
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > frozen - 1000  # still frozen (some died meanwhile); unfrozen: 0
    finally:
        gc.unfreeze()
    del kept


@pytest.mark.slow
def it_keeps_a_warm_process_flat_over_fifty_briefs(tmp_path):
    """A process that keeps its builder (the preview, batch workers) does not grow by a
    brief's layout on every brief: memory from brief 10 to 50 grows by under 3 MiB a brief,
    and no pile of garbage left for a late collection. Before the collection at the end of
    ``collect_less`` this grew 10-20 MiB a brief here and a last collection found ~200,000
    objects after eight briefs. Run in its own process, whose memory is the test's alone."""
    project = tmp_path / "project"
    subprocess.run([sys.executable, "-m", "reporting", "init", str(project), "--blank"],
                   check=True, capture_output=True)
    dataset = next((project / "data").glob("*.yaml"))

    def warm(briefs: int) -> dict:
        run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "warm_memory.py"), "--briefs", str(briefs),
                              "--data", str(dataset), "--json"], check=True, capture_output=True, text=True,
                             cwd=tmp_path)
        return json.loads(run.stdout)

    measured = warm(50)
    resident = measured["resident_mib"]
    assert len(resident) == 50
    # Not by a brief's layout (10-20 MiB a brief before collect_less collected it): what is
    # left is native memory WeasyPrint's renders keep, 0.4-1.3 MiB a brief (2026-12-08: 235
    # -> 250 MiB over 30 briefs on Python 3.11, 248 -> 298 over 40 on 3.13), with Python's
    # heap flat (tracemalloc: a few KiB); benchmarks/warm_memory.py measures it.
    per_brief_mib = (resident[-1] - resident[9]) / 40
    assert per_brief_mib < 3, f"grew from {resident[9]:.0f} MiB after 10 briefs to {resident[-1]:.0f}"
    # Garbage left for CPython's rare full collections: the renderer's block leaves none (it
    # left some 25,000 objects a brief), the rest of a build (planning, charts) about 1,000
    # a brief (4,460 objects after two briefs, 50,550 after fifty, on 2026-12-08), which
    # the next full collection frees. Measured as growth from two briefs to fifty.
    after_two = warm(2)["last_collection_objects"]
    per_brief = (measured["last_collection_objects"] - after_two) / 48
    assert per_brief < 2_500, (measured["last_collection_objects"], after_two)
