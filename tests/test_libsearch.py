"""WeasyPrint's C libraries found from the linker's cache, as ctypes finds them, without a compiler."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from reporting.render.libsearch import find_library

# What WeasyPrint asks for (its Linux, macOS and Windows names), and a few everyday libraries.
NAMES = ["libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz",
         "harfbuzz-subset", "harfbuzz-vector", "fontconfig", "fontconfig-1", "c", "m", "z", "no-such-library-at-all"]


@pytest.mark.parametrize("name", NAMES)
def it_finds_what_ctypes_finds(name):
    assert find_library(name) == ctypes.util.find_library(name)


def it_imports_weasyprint_without_running_a_compiler():
    """In a fresh process (the import happens once per process): every command started while
    WeasyPrint imports is recorded; ``ldconfig`` once, no ``gcc``/``cc``/``ld``."""
    child = r"""
import json, subprocess, ctypes.util
started = []
original = subprocess.Popen.__init__
def recording(self, args, *rest, **options):
    started.append(args if isinstance(args, str) else list(map(str, args)))
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = recording
before = ctypes.util.find_library
from reporting.render.libsearch import import_weasyprint
import_weasyprint()
import sys
print(json.dumps({"started": started, "imported": "weasyprint.text.ffi" in sys.modules,
                  "restored": ctypes.util.find_library is before}))
"""
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["imported"] and report["restored"]
    programs = [args[0] if isinstance(args, list) else args.split()[0] for args in report["started"]]
    assert [program for program in programs if program.endswith("ldconfig")] != []
    assert not [program for program in programs if program.rsplit("/", 1)[-1] in ("gcc", "cc", "ld", "x86_64-linux-gnu-gcc")]
    assert len(programs) == 1, report["started"]
