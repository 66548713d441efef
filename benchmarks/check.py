"""How long ``make-report check`` takes on the shipped project: is it fast enough to run on save?

    python benchmarks/check.py            # 11 runs; prints the Markdown table of benchmarks/check.md

Whole processes started as a user starts them, timed from outside (median, min–max), and the
check alone in a warm process (the part an editor integration would call).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MAKE_REPORT = [str(BIN / "make-report")] if (BIN / "make-report").exists() else [sys.executable, "-m", "reporting"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main(runs: int = 11) -> None:
    sys.path.insert(0, str(ROOT))
    from reporting.project.check import check_project
    from reporting.project.config import load_config
    from reporting.resources import builtin_project_config

    process = [timed([*MAKE_REPORT, "check"]) for _ in range(runs)]
    config = load_config(builtin_project_config())
    check_project(config)  # warm: imports, fontconfig look-ups
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        result = check_project(config)
        warm.append(time.perf_counter() - start)
    assert result.ok, result.problems

    def row(name: str, values: list[float]) -> str:
        return f"| {name} | {statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f}) |"

    print(f"`{result.summary()}`, {runs} runs each\n")
    print("| what | median s (min–max) |\n| --- | --- |")
    print(row("`make-report check` (whole process)", process))
    print(row("`check_project()` again in a warm process", warm))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11)
