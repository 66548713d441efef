"""Fewer garbage collections while a renderer allocates in bulk.

Laying out and writing a brief, WeasyPrint creates about half a million Python objects,
most of them alive until the document is written. Under CPython's default thresholds
(a collection every 700 net allocations) that is some 280 collections, each walking
every young object, and the full ones walking every object the process holds: the
imported modules, the dataset, the templates. What spacing them out buys is measured in
``benchmarks/gctuning.md`` (``benchmarks/gctuning.py``); keep this only while it pays.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from typing import Callable, Iterator

YOUNG_THRESHOLD = 10_000
"""Net allocations between two collections of the youngest generation (CPython: 700)."""


def _heap_trimmer() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, from the symbols already loaded in the process (no library
    search); None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_trim_heap = _heap_trimmer()
_lock = threading.Lock()
_depth = 0  # blocks open, in any thread: the outermost one sets the collector and restores it
_saved: tuple[tuple[int, int, int], bool] | None = None


@contextlib.contextmanager
def collect_less() -> Iterator[None]:
    """Within the block, collect garbage after every ``YOUNG_THRESHOLD`` net allocations,
    and never look again at the objects alive on entry (``gc.freeze``).

    Side effects, undone when the outermost such block (in any thread) ends: the
    collector's thresholds, and the objects frozen here (they go back to the oldest
    generation). A process that froze objects itself keeps them frozen: then nothing
    is frozen or unfrozen here. Cycles still get collected: this spaces collections
    out, it does not turn them off.

    When the outermost block ends, a full collection runs *before* the objects alive on
    entry are unfrozen, so it walks only what the block allocated (a brief's layout:
    some tenths of a second) and frees the cycles the block left behind. Without it, a
    warm process (the preview, a batch worker) grew by a brief's layout on every brief:
    each block froze the previous one's garbage, and CPython's rare full collections
    of the oldest generation came too late or never (``benchmarks/warm_memory.py``).
    Drop the block's last references to what it built before it ends, so they are freed.
    Then glibc is asked to hand the freed heap back to the system (``malloc_trim``): it
    otherwise keeps a brief's worth of freed pages (about 90 MiB here) for good once a
    fragment stays in use above them, and a warm process's resident memory steps up.
    """
    global _depth, _saved
    with _lock:
        if _depth == 0:
            thresholds = gc.get_threshold()
            freezing = gc.get_freeze_count() == 0
            _saved = (thresholds, freezing)
            if freezing:
                gc.freeze()
            gc.set_threshold(YOUNG_THRESHOLD, thresholds[1], thresholds[2])
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                thresholds, froze = _saved
                gc.set_threshold(*thresholds)
                gc.collect()  # the block's garbage only: what was alive on entry is still frozen
                if froze:
                    gc.unfreeze()
                if _trim_heap is not None:
                    _trim_heap(0)
