"""Where WeasyPrint's work on the brief goes: each part of the page taken out in turn.

    python benchmarks/brief_costs.py                 # the default brief (builds its HTML)
    python benchmarks/brief_costs.py --html OUT.html # any brief made with the built-in templates

Counts instructions with ``valgrind --tool=callgrind`` (apt-get install valgrind), which
do not depend on what else the machine is doing: the same HTML gives the same count
run after run, where wall-clock times on a shared machine drift by half. Each row is
the brief's HTML with one part removed (or one style turned off), rendered to a tagged
PDF in a fresh process; its cost is the difference from the whole brief. The parts
are found by the class names of the built-in templates, so a custom template may have
none of them (that row then reads 0). Runs two processes at a time: about ten minutes
on two cores.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAKE_REPORT = [str(BIN / "make-report")] if (BIN / "make-report").exists() else [sys.executable, "-m", "reporting"]

RENDER = """
import sys
from pathlib import Path
import weasyprint
from weasyprint.text.fonts import FontConfiguration
html = Path(sys.argv[1]).read_text(encoding="utf-8")
if html:
    document = weasyprint.HTML(string=html, base_url=sys.argv[2]).render(
        font_config=FontConfiguration(), pdf_variant="pdf/ua-1")
    document.write_pdf(sys.argv[3], pdf_variant="pdf/ua-1")
"""


def _with_css(html: str, css: str) -> str:
    return html.replace("</style>", css + "\n</style>", 1)


def _map_charts(html: str, change) -> str:
    """``html`` with ``change`` applied to the SVG of every chart (base64 data URIs)."""
    def one(match: re.Match) -> str:
        svg = change(base64.b64decode(match.group(1)).decode("utf-8"))
        return 'src="data:image/svg+xml;base64,' + base64.b64encode(svg.encode("utf-8")).decode("ascii") + '"'

    return re.sub(r'src="data:image/svg\+xml;base64,([^"]+)"', one, html)


# (what is taken out, how): each returns the brief's HTML without that part.
PARTS = [
    ("source entries (the table of every figure and where it comes from)",
     lambda h: re.sub(r'<table class="provenance">.*?</table>', "", h, flags=re.S)),
    ("figure grids under the sections",
     lambda h: re.sub(r'<div class="figures">.*?</div>\s*</div>\s*</div>', "", h, flags=re.S)),
    ("charts, whole (SVG)",
     lambda h: _map_charts(h, lambda svg: re.search(r"<svg[^>]*>", svg).group(0) + "</svg>")),
    ("the text in the charts (SVG text, laid out a letter at a time)",
     lambda h: _map_charts(h, lambda svg: re.sub(r"<text.*?</text>", "", svg, flags=re.S))),
    ("timeline table", lambda h: re.sub(r'<table class="events">.*?</table>', "", h, flags=re.S)),
    ("key-figure tiles", lambda h: re.sub(r'<div class="tiles">.*?</div>\s*</div>\s*(?=<)', "", h, count=1, flags=re.S)),
    ("' · ' separators (::before)", lambda h: _with_css(h, "*::before{content:none !important}")),
    ("floated source locations", lambda h: _with_css(h, ".entry-where{float:none}")),
    ("running headers and page numbers",
     lambda h: _with_css(h, "@page{@top-left{content:none}@top-right{content:none}"
                            "@bottom-left{content:none}@bottom-right{content:none}}")),
    ("overflow-wrap: anywhere", lambda h: _with_css(h, "body{overflow-wrap:normal}")),
]


def instructions(html: str, work: Path, name: str, base_url: str) -> int:
    """Instructions to start Python, import WeasyPrint and render ``html`` (empty: none)."""
    source = work / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work / name}.out",
         sys.executable, "-c", RENDER, str(source), base_url, str(work / f"{name}.pdf")],
        capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="a brief's HTML (default: build the default brief's)")
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("brief_costs.py needs valgrind (apt-get install valgrind)")
    work = Path(tempfile.mkdtemp(prefix="reporting-costs-"))
    try:
        html_path = args.html
        if html_path is None:
            subprocess.run(MAKE_REPORT + ["--format", "html", "--out", str(work / "out")], check=True,
                           cwd=ROOT, capture_output=True)
            html_path = next((work / "out").glob("*.html"))
        html = html_path.read_text(encoding="utf-8")
        base_url = str(html_path.resolve().parent)
        jobs = {"start": "", "whole": html, **{f"part{i}": change(html) for i, (_, change) in enumerate(PARTS)}}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            counts = dict(zip(jobs, pool.map(lambda item: instructions(item[1], work, item[0], base_url),
                                             jobs.items())))
        whole = counts["whole"] - counts["start"]
        print(f"WeasyPrint on {html_path.name}: {whole / 1e9:.2f} billion instructions to lay out and write "
              f"the PDF (starting Python and importing WeasyPrint take {counts['start'] / 1e9:.2f} billion more)\n")
        print("| taken out | billion instructions saved | share of the brief's |")
        print("| --- | --- | --- |")
        for i, (what, _) in enumerate(PARTS):
            saved = counts["whole"] - counts[f"part{i}"]
            print(f"| {what} | {saved / 1e9:.2f} | {saved / whole:.1%} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
