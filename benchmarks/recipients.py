"""Recipient batches: briefs per minute here and on a local two-worker Dask cluster,
against one warm Builder building the same briefs in turn.

    python benchmarks/recipients.py                      # 50 recipients, the default brief
    python benchmarks/recipients.py --recipients 20 --audience executive

Three runs over the same recipients (each its own monthly active users), each into a
fresh folder, the chart cache warm (so every run draws what the others draw):

- ``warm builder``: one :class:`~reporting.pipeline.build.Builder`, everything in this
  process (``parallel=False``), warmed by one brief first; then the recipients in turn.
  Its briefs per minute per core is the yardstick.
- ``batch here``: :func:`~reporting.pipeline.recipients.build_recipients` with the PDF
  workers (one per core).
- ``Dask, 2 workers``: the same on a ``LocalCluster`` of two worker processes, one thread
  each, started (and warmed by one recipient) before the clock starts.

Prints a Markdown table: seconds, briefs per minute, per core, and the per-core figure
against the warm builder's. Wall-clock times on a shared machine are noisy: run it on
an idle machine for figures to quote, and more than once.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"


def recipients(count: int):
    from reporting.dataset.facts import Localized
    from reporting.dataset.recipients import Recipient

    return [Recipient(f"r{index:05d}", f"bench:{index + 2}", Localized(zh=f"品牌{index}", en=f"Brand {index}"),
                      (("mau", 100_000_000 + 1_234_567 * index),)) for index in range(count)]


def options(audience: str, out: Path):
    from reporting.pipeline.build import BuildOptions, chart_cache_dir
    from reporting.project.audiences import AudienceBook
    from reporting.project.config import find_config, load_config

    book = AudienceBook(load_config(find_config(None, ROOT)))
    base = BuildOptions(out_dir=out, chart_cache=chart_cache_dir(os.environ), source_date_epoch=1_600_000_000)
    chosen = book.default(base) if audience == "default" else book.get(audience, base)
    return chosen.options


def warm_builder(rows, audience: str, folder: Path) -> float:
    from reporting.pipeline.build import Builder

    with Builder(parallel=False) as builder:
        first = options(audience, folder / "warm-up")
        builder.start(DATASET, replace(first, recipient=rows[0].id), loaded=rows[0].load(DATASET)).finish()
        base = options(audience, folder / "warm")
        start = time.perf_counter()
        for row in rows:
            builder.start(DATASET, replace(base, recipient=row.id), loaded=row.load(DATASET)).finish()
        return time.perf_counter() - start


def batch_here(rows, audience: str, folder: Path, jobs: int) -> float:
    from reporting.pipeline.recipients import build_recipients

    start = time.perf_counter()
    result = build_recipients(DATASET, rows, options(audience, folder / "here"), jobs=jobs)
    seconds = time.perf_counter() - start
    assert not result.failed, result.failed[0].error
    return seconds


def on_dask(rows, audience: str, folder: Path, workers: int) -> float:
    from distributed import LocalCluster

    from reporting.pipeline.recipients import build_recipients

    env = {"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      env=env) as cluster:
        # Each worker imports the toolkit and WeasyPrint once; a real cluster does that at
        # start-up too, not per brief.
        warm = [replace(row, id=f"warm{n}") for n, row in enumerate(rows[:workers])]
        build_recipients(DATASET, warm, options(audience, folder / "dask-warm"), scheduler=cluster.scheduler_address)
        start = time.perf_counter()
        result = build_recipients(DATASET, rows, options(audience, folder / "dask"),
                                  scheduler=cluster.scheduler_address)
        seconds = time.perf_counter() - start
    assert not result.failed, result.failed[0].error
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=50)
    parser.add_argument("--audience", default="default")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    from reporting.pipeline.forked import usable_cpus

    cores = usable_cpus()
    rows = recipients(args.recipients)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-recipients-") as folder:
        folder = Path(folder)
        measured = [("warm builder, in turn", 1, warm_builder(rows, args.audience, folder))]
        measured.append((f"batch here ({cores} PDF workers)", cores, batch_here(rows, args.audience, folder, cores)))
        if not args.skip_dask:
            measured.append(("Dask LocalCluster, 2 workers", 2, on_dask(rows, args.audience, folder, 2)))
    base = args.recipients / measured[0][2] * 60
    print(f"{args.recipients} recipients, audience {args.audience}, {cores} cores, load average {load:.1f} "
          f"at the start\n")
    print("| run | seconds | briefs/min | per core | per core vs warm builder | s per brief |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, used, seconds in measured:
        rate = args.recipients / seconds * 60
        print(f"| {name} | {seconds:.1f} | {rate:.1f} | {rate / used:.1f} | {rate / used / base:.0%} | "
              f"{seconds / args.recipients:.2f} |")


if __name__ == "__main__":
    main()
