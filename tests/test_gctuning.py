"""Fewer garbage collections while WeasyPrint allocates, and the collector as it was after."""

from __future__ import annotations

import gc
import weakref

from reporting.gctuning import YOUNG_THRESHOLD, collect_less


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
