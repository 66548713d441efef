"""Does ``reporting.gctuning.collect_less`` still pay? The bilingual brief written by WeasyPrint
with the collector as the toolkit sets it, and with CPython's defaults, in fresh processes.

    python benchmarks/gctuning.py            # 5 processes per variant, alternating
    python benchmarks/gctuning.py --runs 9

Each process loads and plans the shipped dataset, draws its charts and renders the brief's
HTML, then times two PDF writes of it (the first, as a single build's worker does; the
second, as a warm worker does for the next audience) in CPU seconds of the process (less
sensitive than wall time to a machine shared with other work). Prints a Markdown table
of medians (min–max); results go to ``benchmarks/gctuning.md`` by hand.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import contextlib, sys, tempfile, time
from pathlib import Path
from reporting.charts.mpl import ChartRenderer
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.pipeline.build import brief_chart_size
from reporting.render import pdf
from reporting.render.html import render_brief_html
from reporting.resources import assets_dir, templates_dir

report = plan(load_dataset(sys.argv[1]), "bilingual")
renderer = ChartRenderer(Theme())
svgs = {spec.id: renderer.svg(spec, **brief_chart_size(spec)) for spec in report.charts}
html = render_brief_html(report, Theme(), svgs)
if sys.argv[2] == "defaults":
    pdf.collect_less = contextlib.nullcontext
writer = pdf.PdfWriter()
times = []
with tempfile.TemporaryDirectory() as folder:
    for n in range(2):
        start = time.process_time()
        writer.write(html, Path(folder) / f"{n}.pdf", allowed_roots=(templates_dir(), assets_dir()))
        times.append(time.process_time() - start)
print(*times)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dataset = str(ROOT / "data" / "xiaohongshu-2020.yaml")
    results: dict[str, list[tuple[float, float]]] = {"collect_less": [], "defaults": []}
    for _ in range(args.runs):
        for variant in results:
            out = subprocess.run([sys.executable, "-c", CHILD, dataset, variant], capture_output=True, text=True,
                                 check=True, cwd=ROOT).stdout.split()
            results[variant].append((float(out[0]), float(out[1])))

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    print("| collector | first PDF write (CPU s) | second PDF write (CPU s) |")
    print("| --- | --- | --- |")
    for variant, runs in results.items():
        print(f"| {variant} | {cell([r[0] for r in runs])} | {cell([r[1] for r in runs])} |")


if __name__ == "__main__":
    main()
