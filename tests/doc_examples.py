"""Runs the Python examples of a Markdown page, as a reader would paste them, and reports.

    python tests/doc_examples.py PAGE.md FOLDER

runs every ```python block of PAGE.md in turn (one namespace, as in one session) in FOLDER,
and prints a JSON object: ``mismatches``, the lines ``print(...)  # expected`` whose output
was not the comment; ``forks``, how many times the interpreter forked (``os.fork`` by any
path: a worker pool, multiprocessing); ``programs``, the helper programs run through
``subprocess`` (fontconfig's ``fc-match``, ``fc-query``), by name; ``blocks``, how many ran.
Run in a process of its own: it hooks this process's forks.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

forks = 0
programs: list[str] = []


def _forked() -> None:
    global forks
    forks += 1


os.register_at_fork(before=_forked)
_popen_init = subprocess.Popen.__init__


def _counting_popen(self, args, *rest, **kwargs):
    programs.append(Path(str(args if isinstance(args, (str, bytes, os.PathLike)) else args[0])).name)
    _popen_init(self, args, *rest, **kwargs)


subprocess.Popen.__init__ = _counting_popen

_PRINT = re.compile(r"^(?P<indent>\s*)print\((?P<args>.*)\)\s+#\s(?P<expected>.*)$")


def checked(source: str) -> str:
    """``print(a, b)  # text`` becomes a call that compares what it would print with ``text``."""
    lines = []
    for number, line in enumerate(source.splitlines(), 1):
        match = _PRINT.match(line)
        if match:
            line = (f"{match['indent']}_expect({number}, {match['expected'].strip()!r}, {match['args']})")
        lines.append(line)
    return "\n".join(lines) + "\n"


def main(page: Path, folder: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    mismatches = []

    def expect(line: int, expected: str, *values) -> None:
        actual = " ".join(str(value) for value in values)
        if actual != expected:
            mismatches.append({"line": line, "expected": expected, "printed": actual})

    os.chdir(folder)
    namespace = {"_expect": expect, "__name__": "__main__"}
    for block in blocks:
        exec(compile(checked(block), str(page), "exec"), namespace)
    print(json.dumps({"mismatches": mismatches, "forks": forks, "programs": sorted(set(programs)), "blocks": len(blocks)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
