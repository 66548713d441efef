"""The toolkit against a well-known peer on the same content: pandoc → Typst for the PDF,
pandoc for the PPTX, timed side by side in one alternating run.

    pip install -e '.[bench]'                       # pypandoc-binary (pandoc 3) and typst
    python benchmarks/vs_pandoc_typst.py            # 5 rounds, bilingual shipped brief
    python benchmarks/vs_pandoc_typst.py --rounds 9 --data DATASET.yaml --lang en-zh

The peer is given the same content, prepared once before any timing: the planned report
written as Markdown (title, key figures, every section's lead and paragraphs in both
languages, a table of the section's figures, the timeline as a table, the sources) with
the toolkit's own charts as SVG files. That is generous to the peer: it draws no chart
and lays out no cover, no running heads, no tagging (PDF/UA), no contents. Each round
runs, in turn and each as a whole process started from a shell:

- ``make-report --format pdf`` (charts from the chart cache, warmed before timing, as on
  a user's second build; ``--no-cache`` is timed as well);
- pandoc (Markdown → Typst) then Typst (→ PDF);
- ``make-report --format all`` against pandoc → Typst plus pandoc → PPTX.

Printed: medians (min–max) of wall seconds, the ratios toolkit/peer of each round's pair
(their median is the figure to quote), the load average and the time of a fixed
reference loop before and after (a machine that slowed down shows in it). The issue's
targets: a cold PDF within 2× the peer, ``--format all`` within 1.5×.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def reference_loop() -> float:
    """Seconds for a fixed amount of pure-Python work: the machine's speed right now."""
    start = time.perf_counter()
    total = 0
    for number in range(3_000_000):
        total += number % 7
    return time.perf_counter() - start


def markdown_of(report, chart_files: dict[str, Path]) -> str:
    """The planned report's content as pandoc Markdown, every text in every language."""

    def texts(value) -> list[str]:
        return [phrase.text for phrase in value.distinct()] if value is not None else []

    def cell(value) -> str:
        return " / ".join(texts(value)).replace("|", "\\|").replace("\n", " ")

    lines = ["---", f"title: \"{' / '.join(texts(report.title))}\"",
             f"subtitle: \"{' / '.join(texts(report.subtitle))}\"",
             f"date: \"{' / '.join(texts(report.date_text))}\"", "---", ""]
    if report.key_figures:
        lines += ["| | |", "|---|---|"]
        lines += [f"| {cell(figure.headline)} | {cell(figure.label)} |" for figure in report.key_figures]
        lines.append("")
    for number, section in enumerate(report.sections, 1):
        lines += [f"# {number:02d} {' · '.join(texts(section.title))}", ""]
        lines += [*texts(section.lead), ""]
        for paragraph in section.paragraphs:
            lines += [*(text + "\n" for text in texts(paragraph))]
        for spec in section.charts:
            lines += [f"![{cell(spec.title)}]({chart_files[spec.id].name})", ""]
        if section.figures:
            lines += ["| | |", "|---|---|"]
            lines += [f"| {cell(figure.label)} | {cell(figure.text)} |" for figure in section.figures]
            lines.append("")
    if report.timeline is not None:
        lines += [f"# {' · '.join(texts(report.timeline.title))}", "", "| | |", "|---|---|"]
        lines += [f"| {cell(event.date)} | {cell(event.title)} |" for event in report.timeline.events]
        lines.append("")
    lines += ["# Sources", ""]
    lines += [f"{number}. {cell(source.publisher)}: {cell(source.title)}" for number, source in
              enumerate(report.sources, 1)]
    return "\n".join(lines) + "\n"


def prepare(dataset: Path, lang: str, work: Path) -> Path:
    """Writes ``brief.md`` and its chart SVGs into ``work``; returns the Markdown file."""
    from reporting.charts.mpl import ChartRenderer
    from reporting.dataset.load import load_dataset
    from reporting.model.planner import plan
    from reporting.model.theme import Theme
    from reporting.pipeline.build import brief_chart_size

    report = plan(load_dataset(dataset), lang)
    renderer = ChartRenderer(Theme())
    charts = [spec for section in report.sections for spec in section.charts]
    files = {}
    for spec in charts:
        files[spec.id] = work / f"{spec.id}.svg"
        files[spec.id].write_text(renderer.svg(spec, **brief_chart_size(spec)), encoding="utf-8")
    markdown = work / "brief.md"
    markdown.write_text(markdown_of(report, files), encoding="utf-8")
    return markdown


def timed(command: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["sh", "-c", command], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "xiaohongshu-2020.yaml")
    parser.add_argument("--lang", default="bilingual")
    args = parser.parse_args(argv)
    try:
        import pypandoc
        import typst  # noqa: F401
    except ImportError:
        sys.exit("needs the bench extra: pip install -e '.[bench]' (pypandoc-binary, typst)")
    pandoc = shlex.quote(pypandoc.get_pandoc_path())
    python = shlex.quote(sys.executable)
    make_report = shlex.quote(str(BIN / "make-report"))

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        prepare(args.data.resolve(), args.lang, work)
        data = shlex.quote(str(args.data.resolve()))
        to_pdf = (f"{pandoc} brief.md -s -t typst -o brief.typ -V mainfont='Noto Serif CJK SC' && "
                  f"{python} -c \"import typst; typst.compile('brief.typ', output='brief.pdf')\"")
        commands = {
            "make-report --format pdf": f"{make_report} --data {data} --lang {args.lang} --format pdf --out ours --jobs 1",
            "make-report --format pdf --no-cache": f"{make_report} --data {data} --lang {args.lang} --format pdf --out ours --no-cache",
            "pandoc → Typst (PDF)": to_pdf,
            "make-report --format all": f"{make_report} --data {data} --lang {args.lang} --format all --out ours",
            "pandoc → Typst (PDF) + pandoc (PPTX)": f"{to_pdf} && {pandoc} brief.md -o brief.pptx",
        }
        for command in commands.values():  # warm-up: the chart cache, the page cache, each binary once
            timed(command, work)
        loads = [os.getloadavg()[0]]
        loops = [reference_loop()]
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():  # alternating, so drift hits every command alike
                times[name].append(timed(command, work))
        loads.append(os.getloadavg()[0])
        loops.append(reference_loop())

    def summary(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    print(f"{args.rounds} rounds, {args.lang}, {args.data.name}; load average {loads[0]:.1f} → {loads[1]:.1f}; "
          f"reference loop {loops[0]:.2f} s → {loops[1]:.2f} s\n")
    print("| command | wall s, median (min–max) |\n| --- | --- |")
    for name, values in times.items():
        print(f"| {name} | {summary(values)} |")
    print("\n| pair | ratio, median of rounds (min–max) | target |\n| --- | --- | --- |")
    pairs = [("make-report --format pdf", "pandoc → Typst (PDF)", 2.0),
             ("make-report --format pdf --no-cache", "pandoc → Typst (PDF)", None),
             ("make-report --format all", "pandoc → Typst (PDF) + pandoc (PPTX)", 1.5)]
    for ours, peer, target in pairs:
        ratios = [a / b for a, b in zip(times[ours], times[peer])]
        verdict = "" if target is None else ("met" if statistics.median(ratios) <= target else "missed") + f" (≤ {target}×)"
        print(f"| {ours} / {peer} | {summary(ratios)} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
