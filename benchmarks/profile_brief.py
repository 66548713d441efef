"""Where a cold brief's time goes, stage by stage, in CPU seconds of one fresh process.

    python benchmarks/profile_brief.py                    # 5 processes, the shipped bilingual brief
    python benchmarks/profile_brief.py --runs 9 --data DATASET.yaml --lang en-zh
    PYTHONPATH=/path/to/older/checkout python benchmarks/profile_brief.py   # the same for another revision

Each process does what a single ``make-report --format pdf --jobs 1 --no-cache`` does, in
turn, and reads its own CPU clock (``time.process_time``: user + system of this process,
less sensitive than wall time to a machine shared with other work) and the wall clock
around each stage (the wall time also counts programs a stage starts, which the CPU clock
of this process does not: WeasyPrint's import used to run ``gcc`` 16 times):

- ``import toolkit``: the toolkit's modules and the libraries they import (pydantic,
  Babel, Jinja, matplotlib);
- ``import WeasyPrint``: WeasyPrint and its C libraries (Pango, HarfBuzz, fontconfig);
- ``load + plan``: the dataset read, validated and planned;
- ``charts``: every chart of the brief drawn as SVG (no cache);
- ``html``: the brief's HTML;
- ``layout``: WeasyPrint's layout of that HTML into pages;
- ``fonts``: subsetting and embedding the fonts (WeasyPrint's ``build_fonts_dictionary``);
- ``writing``: the rest of ``write_pdf`` (drawing the pages, tagging, compressing).

Prints a Markdown table of medians (min–max) per stage and their total; the page count and
PDF size are printed too. Results go into docs/contributing/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
clock = time.process_time
stages, walls = {}, {}
wall = [time.perf_counter()]
def stage(name, start):
    stages[name] = stages.get(name, 0.0) + clock() - start
    now = time.perf_counter()
    walls[name] = now - wall[0]
    wall[0] = now
    return clock()

start = clock()
from reporting.charts.mpl import ChartRenderer
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.pipeline.build import brief_chart_size
from reporting.render.html import render_brief_html
from reporting.resources import assets_dir, templates_dir
start = stage("import toolkit", start)
try:  # as the toolkit imports it, where it has its own library search (render/libsearch.py)
    from reporting.render.libsearch import import_weasyprint
except ImportError:
    import_weasyprint = lambda: None
import_weasyprint()
import weasyprint
import weasyprint.pdf.fonts as pdf_fonts
import weasyprint.pdf as weasy_pdf
start = stage("import WeasyPrint", start)
report = plan(load_dataset(sys.argv[1]), sys.argv[2])
start = stage("load + plan", start)
renderer = ChartRenderer(Theme())
svgs = {spec.id: renderer.svg(spec, **brief_chart_size(spec)) for spec in report.charts}
start = stage("charts", start)
html = render_brief_html(report, Theme(), svgs)
start = stage("html", start)

fonts_seconds = [0.0]
build_fonts = pdf_fonts.build_fonts_dictionary
def timed_fonts(*args, **kwargs):
    begun = clock()
    try:
        return build_fonts(*args, **kwargs)
    finally:
        fonts_seconds[0] += clock() - begun
weasy_pdf.build_fonts_dictionary = timed_fonts

from reporting.gctuning import collect_less  # as PdfWriter lays out and writes
with collect_less():
    document = weasyprint.HTML(string=html, base_url=str(templates_dir())).render(pdf_variant="pdf/ua-1")
    start = stage("layout", start)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "brief.pdf"
        document.write_pdf(str(target), pdf_variant="pdf/ua-1")
        size = target.stat().st_size
    pages = len(document.pages)
    del document
stage("writing", start)
stages["writing"] -= fonts_seconds[0]
stages["fonts"] = fonts_seconds[0]
print(json.dumps({"stages": stages, "walls": walls, "pages": pages, "bytes": size}))
"""

ORDER = ["import toolkit", "import WeasyPrint", "load + plan", "charts", "html", "layout", "fonts", "writing"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "xiaohongshu-2020.yaml")
    parser.add_argument("--lang", default="bilingual")
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", CHILD, str(args.data.resolve()), args.lang],
                             capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))

    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"

    print(f"{args.runs} processes; {runs[0]['pages']} pages, {runs[0]['bytes'] / 1024:.0f} KiB\n")
    print("| stage | CPU s, median (min–max) | wall s, median |\n| --- | --- | --- |")
    for name in ORDER:
        walls = [run["walls"].get(name, 0.0) for run in runs] if name != "fonts" else [0.0]
        wall = f"{statistics.median(walls):.3f}" if name not in ("fonts", "writing") else "(with writing)" if name == "fonts" else f"{statistics.median(walls):.3f}"
        print(f"| {name} | {cell([run['stages'].get(name, 0.0) for run in runs])} | {wall} |")
    print(f"| total | {cell([sum(run['stages'].values()) for run in runs])} | "
          f"{statistics.median([sum(run['walls'].values()) for run in runs]):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
