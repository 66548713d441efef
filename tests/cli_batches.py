"""make-report's command line run for several commands in turn in one process, as a user
runs them one after another, without starting Python and importing WeasyPrint,
matplotlib and python-pptx again for each: the fixtures that build many outputs start
one such process per group and run the groups at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import contextlib, io, json, sys
from reporting.cli import main
printed = []
for args in json.loads(sys.argv[1]):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            main(args=args, prog_name="make-report")
    except SystemExit as end:
        if end.code:
            sys.exit(f"make-report {' '.join(args)} exited {end.code}")
    printed.append(out.getvalue())
print(json.dumps(printed))
"""


def start(commands: list[list[str]], *, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    """Start one process running make-report with each of ``commands`` (argument lists) in turn."""
    return subprocess.Popen([sys.executable, "-c", _SCRIPT, json.dumps(commands)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)


def finish(process: subprocess.Popen) -> list[str]:
    """Wait for ``process``; what each of its commands printed. A command that failed
    stops the process: AssertionError with its standard error."""
    stdout, stderr = process.communicate()
    assert process.returncode == 0, stderr
    return json.loads(stdout.splitlines()[-1])
