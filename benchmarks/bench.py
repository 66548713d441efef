"""Benchmarks: whole-process times of the toolkit against the floor, stage times, scaling.

    python benchmarks/bench.py              # everything, 5 runs each (a few minutes)
    python benchmarks/bench.py --runs 7 --skip-scaling
    python benchmarks/bench.py --only variants    # one table

Every figure is a whole process started the way a user starts it (``make-report ...``),
timed from outside; medians are quoted, min–max show the noise. Peak memory is the
largest resident set of the process (``wait4``). Prints Markdown tables for docs/contributing/benchmarks.md,
then the speed targets met or missed by what this run measured.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "data" / "xiaohongshu-2020.yaml"
BIN = Path(sys.executable).parent
MAKE_REPORT = [str(BIN / "make-report")] if (BIN / "make-report").exists() else [sys.executable, "-m", "reporting"]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stderr: str


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """One whole process: wall time (s), peak resident memory (MB), its stderr."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})}, cwd=ROOT)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return Run(seconds, usage.ru_maxrss / 1024, stderr)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def stages(stderr: str) -> dict[str, float]:
    """``--timings`` lines; a stage run in a second process is named ``<stage> (alongside)``."""
    return {name + (" (alongside)" if note.strip() else ""): float(value)
            for name, value, note in re.findall(r"^\s*(\w+):\s+([\d.]+) s(.*)$", stderr, flags=re.M)}


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def bench_default(runs: int, work: Path, env: dict[str, str]) -> tuple[list[str], dict]:
    """The default full build against the floor, run in turn (A B A B ...) so drift hits both."""
    out = work / "default"
    build = MAKE_REPORT + ["--format", "all", "--out", str(out), "--timings"]
    cold = run(build + ["--no-cache"], env)  # also the warm-up, and it fills the chart cache
    html = next(out.glob("*.html"))
    deck = next(out.glob("*.pptx"))
    floor = [sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(html), str(deck), str(work)]
    run(floor, env)
    ours, base = [], []
    for _ in range(runs):
        ours.append(run(build, env))
        base.append(run(floor, env))
    ratios = [a.seconds / b.seconds for a, b in zip(ours, base)]
    stage_rows = {}
    for result in ours:
        for name, seconds in stages(result.stderr).items():
            stage_rows.setdefault(name, []).append(seconds)
    lines = [
        "| what | median s (min–max) | peak MB |",
        "| --- | --- | --- |",
        f"| `make-report --format all` (bilingual PDF, HTML, deck), charts cached | {summary([r.seconds for r in ours])} | {max(r.peak_mb for r in ours):.0f} |",
        f"| the same, first run (`--no-cache`: every chart drawn) | {cold.seconds:.2f} | {cold.peak_mb:.0f} |",
        f"| floor: same imports, our HTML → PDF, our deck loaded and saved | {summary([r.seconds for r in base])} | {max(r.peak_mb for r in base):.0f} |",
        f"| ours ÷ floor, pair by pair | {summary(ratios)} | |",
        "",
        "| stage (`--timings`) | median s |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {statistics.median(values):.3f} |" for name, values in stage_rows.items()]
    metrics = {"default_s": statistics.median(r.seconds for r in ours), "floor_ratio": statistics.median(ratios)}
    return lines, metrics


def bench_variants(runs: int, work: Path, env: dict[str, str]) -> tuple[list[str], dict]:
    """Each further audience in the same process, after the first build warmed it up.

    Charts come from the cache (the process runs twice; the first run draws what the
    audiences' themes and editions need). Beside each build: WeasyPrint alone turning
    the same HTML into PDF in the same warm process, the least that variant can cost.
    """
    code = f"""
import time, json, os
from pathlib import Path
from reporting.project.audiences import AudienceBook
from reporting.pipeline.build import BuildOptions, Builder, chart_cache_dir
from reporting.project.config import find_config, load_config
book = AudienceBook(load_config(find_config(project=Path({str(ROOT)!r}))))
builder = Builder()
out = Path({str(work / 'variants')!r})
base = BuildOptions(formats=("pdf", "html", "pptx"), out_dir=out, chart_cache=chart_cache_dir(os.environ))
times = {{}}
for name in ["default"] + book.names:
    audience = book.default(base) if name == "default" else book.get(name, base)
    start = time.perf_counter()
    result = builder.build(book.config.dataset, audience.options)
    times[name] = [time.perf_counter() - start, result.pages]
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
font_config = FontConfiguration()
def weasyprint_alone(name):
    html = next(p for p in out.glob("*.html") if f"_{{name}}_" in p.name)
    start = time.perf_counter()
    HTML(string=html.read_text(encoding="utf-8"), base_url=str(html.parent)).render(
        font_config=font_config, pdf_variant="pdf/ua-1").write_pdf(out / "floor.pdf", pdf_variant="pdf/ua-1")
    return time.perf_counter() - start
weasyprint_alone("default")  # warms the fonts, as the first build did for the toolkit
for name in times:
    times[name].append(weasyprint_alone(name))
print(json.dumps(times))
"""
    import json

    # The first process fills the chart cache for every audience; the others are measured.
    samples = []
    for index in range(runs + 1):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                env={**os.environ, **env}, cwd=ROOT, check=True)
        if index:
            samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    times = {name: [statistics.median(sample[name][0] for sample in samples), samples[0][name][1],
                    statistics.median(sample[name][2] for sample in samples)] for name in samples[0]}
    lines = [f"| build in one process (PDF, HTML, deck), median of {runs} processes | s | PDF pages | "
             "WeasyPrint alone on its HTML, s |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {name}{' (first: imports, fonts)' if name == 'default' else ''} | {seconds:.2f} | {pages_} | "
              f"{floor:.2f} |" for name, (seconds, pages_, floor) in times.items()]
    further = {name: seconds for name, (seconds, _, _) in times.items() if name != "default"}
    return lines, {"variants_s": further}


def bench_audiences(runs: int, work: Path, env: dict[str, str]) -> tuple[list[str], dict]:
    from reporting.project.audiences import AudienceBook
    from reporting.project.config import find_config, load_config

    names = AudienceBook(load_config(find_config(project=ROOT))).names
    parallel, serial = [], []
    run(MAKE_REPORT + ["--audience", "all", "--out", str(work / "all")], env)  # warm-up: draws the charts once
    for _ in range(runs):
        parallel.append(run(MAKE_REPORT + ["--audience", "all", "--out", str(work / "all")], env).seconds)
        serial.append(sum(run(MAKE_REPORT + ["--audience", name, "--format", "all", "--out", str(work / "one")],
                              env).seconds for name in names))
    speedup = [s / p for s, p in zip(serial, parallel)]
    return [
        "| what | median s (min–max) |",
        "| --- | --- |",
        f"| `make-report --audience all` ({len(names)} audiences, PDF + HTML + deck each, {os.cpu_count()} cores) | {summary(parallel)} |",
        f"| the same audiences one process after another | {summary(serial)} |",
        f"| speed-up | {summary(speedup)} |",
    ], {"audiences_speedup": statistics.median(speedup)}


def bench_scaling(work: Path, env: dict[str, str], factors: list[int]) -> tuple[list[str], dict]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scale_dataset import scale

    lines = ["| sections | PDF pages | slides | s (whole build, charts cached) | s per PDF page | peak MB |",
             "| --- | --- | --- | --- | --- | --- |"]
    base_per_page = None
    per_page_ratio = {}
    for factor in factors:
        data = scale(DATASET, factor, work / f"x{factor}.yaml")
        out = work / f"x{factor}"
        build = MAKE_REPORT + ["--data", str(data), "--format", "all", "--out", str(out)]
        run(build, env)  # draws the charts once
        result = run(build, env)
        count = pages(next(out.glob("*.pdf")))
        from pptx import Presentation

        slides = len(Presentation(str(next(out.glob("*.pptx")))).slides)
        per_page = result.seconds / count
        base_per_page = base_per_page or per_page
        lines.append(f"| {factor}× | {count} | {slides} | {result.seconds:.1f} | {per_page:.3f} "
                     f"({per_page / base_per_page:.2f}× the 1× build's) | {result.peak_mb:.0f} |")
        per_page_ratio[factor] = per_page / base_per_page
    return lines, {"scaling_per_page": per_page_ratio}


def bench_commands(runs: int, env: dict[str, str]) -> tuple[list[str], dict]:
    lines = ["| command | median s (min–max) |", "| --- | --- |"]
    metrics = {}
    for args in (["--help"], ["doctor"]):
        times = [run(MAKE_REPORT + args, env).seconds for _ in range(runs)]
        lines.append(f"| `make-report {' '.join(args)}` | {summary(times)} |")
        metrics[f"{args[0].lstrip('-')}_s"] = statistics.median(times)
    return lines, metrics


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop takes here (median of three processes): the same
    work on every machine and day, so tables measured at different times can be compared
    (this workplace's shared machine drifted by a factor of 1.8 in one afternoon)."""
    loop = "n = 0\nfor i in range(10_000_000):\n    n += i"
    return statistics.median(run([sys.executable, "-c", loop]).seconds for _ in range(3))


# The speed issue's targets: (what, metric, test, shown).
TARGETS = [
    ("default full build within 1.3× the floor", "floor_ratio", lambda v: v <= 1.3, lambda v: f"{v:.2f}×"),
    ("default full build under 2 s median", "default_s", lambda v: v < 2.0, lambda v: f"{v:.2f} s"),
    ("each further audience variant in the same process at most 0.4 s", "variants_s",
     lambda v: max(v.values()) <= 0.4, lambda v: f"{min(v.values()):.2f}–{max(v.values()):.2f} s"),
    ("`--audience all` at least 1.6× faster than one after another", "audiences_speedup",
     lambda v: v >= 1.6, lambda v: f"{v:.2f}×"),
    ("the largest dataset's time per page within 30% of the 1× build's", "scaling_per_page",
     lambda v: v[max(v)] <= 1.3, lambda v: f"{v[max(v)]:.2f}× at {max(v)}×"),
    ("`make-report --help` under 0.3 s", "help_s", lambda v: v < 0.3, lambda v: f"{v:.2f} s"),
    ("`make-report doctor` under 0.3 s", "doctor_s", lambda v: v < 0.3, lambda v: f"{v:.2f} s"),
]


def target_lines(metrics: dict) -> list[str]:
    """The targets table for what was measured in this run."""
    lines = ["| target | measured | met |", "| --- | --- | --- |"]
    for what, key, test, shown in TARGETS:
        if key in metrics:
            lines.append(f"| {what} | {shown(metrics[key])} | {'yes' if test(metrics[key]) else 'no'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--factors", default="1,10,50", help="section multipliers for scaling")
    parser.add_argument("--only", choices=("default", "variants", "audiences", "startup", "scaling"),
                        help="run one table only")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reporting-bench-"))
    env = {"XDG_CACHE_HOME": str(work / "cache")}
    try:
        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.runs} runs each; "
              f"reference loop {machine_speed():.2f} s (see machine_speed).\n")
        tables = {
            "default": ("Default full build against the floor", lambda: bench_default(args.runs, work, env)),
            "variants": ("Audience variants in one process", lambda: bench_variants(max(3, args.runs // 2), work, env)),
            "audiences": ("All audiences", lambda: bench_audiences(max(2, args.runs // 2), work, env)),
            "startup": ("Start-up", lambda: bench_commands(args.runs, env)),
            "scaling": ("Scaling with the number of sections",
                        lambda: bench_scaling(work, env, [int(f) for f in args.factors.split(",")])),
        }
        metrics: dict = {}
        for key, (title, measure) in tables.items():
            if (args.only or key) != key or (key == "scaling" and args.skip_scaling and not args.only):
                continue
            lines, measured = measure()
            metrics.update(measured)
            print(f"### {title}\n")
            print("\n".join(lines), "\n", flush=True)
        print("### Targets\n")
        print("\n".join(target_lines(metrics)), "\n", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
