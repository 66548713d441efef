"""Memory of a warm process over many briefs: does it stay flat?

    python benchmarks/warm_memory.py                       # 50 briefs of the shipped dataset
    python benchmarks/warm_memory.py --briefs 200 --data DATASET.yaml
    python benchmarks/warm_memory.py --json                # one JSON object, for tests/test_gctuning.py

One process keeps a :class:`reporting.Builder` (as the preview, ``--audience all`` and the
batch workers do) and builds the PDF brief again and again, in this process (no worker),
without the chart cache. After each brief it prints the resident memory (RSS, MiB, from
``/proc/self/statm``: Linux only) and the seconds the brief took; at the end, how many
objects one last full collection still found (garbage a warm process was carrying) and how
long it took. Results are written into ``benchmarks/warm_memory.md`` by hand.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def resident_mib() -> float:
    """This process's resident memory now (not its peak), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=50, help="how many briefs to build (default 50)")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "xiaohongshu-2020.yaml",
                        help="the dataset (default: the shipped one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)

    from reporting import Builder, BuildOptions

    resident: list[float] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as out, Builder(parallel=False) as builder:
        options = BuildOptions(formats=("pdf",), out_dir=Path(out), chart_cache=None)
        for number in range(1, args.briefs + 1):
            start = time.perf_counter()
            builder.build(args.data, options)
            seconds.append(time.perf_counter() - start)
            resident.append(resident_mib())
            if not args.json:
                print(f"{number:4d}  {resident[-1]:8.1f} MiB  {seconds[-1]:6.2f} s", flush=True)
    start = time.perf_counter()
    leftover = gc.collect()
    last_collection = time.perf_counter() - start
    if args.json:
        print(json.dumps({"resident_mib": resident, "seconds": seconds,
                          "last_collection_objects": leftover, "last_collection_s": last_collection}))
    else:
        print(f"last full collection: {leftover} objects in {last_collection:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
