"""Importing WeasyPrint without searching for its C libraries the slow way.

WeasyPrint's import opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying
each under Linux, macOS and Windows names in turn. For every name cffi cannot open
directly it calls ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and,
when that finds nothing (16 of the 22 names here), compiles an empty program with ``gcc``
to ask the linker: about 0.2 s of every cold build, before anything is drawn.

:func:`import_weasyprint` imports it with ``find_library`` answered from one reading of
the dynamic linker's cache (``ldconfig -p``) and the folders of ``LD_LIBRARY_PATH``, as
``dlopen`` would find them. Should that import fail (a library only the linker's own
search finds), it imports again with ctypes' own search, so nothing that worked before
stops working.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Iterator

# The ABI tag ``ldconfig -p`` prints for this machine's libraries (as ctypes.util reads it).
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}.get(f"{platform.machine()}-{ctypes.sizeof(ctypes.c_void_p) * 8}", "libc6")


@functools.lru_cache(maxsize=1)
def _linker_cache() -> dict[str, str]:
    """Library file name → path, for this machine's ABI, in the order ``ldconfig -p`` lists
    them (which ctypes keeps too), from one run of it; empty where there is none (macOS)."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            listing = subprocess.run(
                [ldconfig, "-p"],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "LC_ALL": "C", "LANG": "C"},
            ).stdout
            found: dict[str, str] = {}
            for match in re.finditer(r"^\s+(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)$", listing, re.MULTILINE):
                name, abi, path = match.groups()
                if abi.split(",")[0:2] == _ABI.split(",")[0:2] or abi == _ABI:
                    found.setdefault(name, path)
            return found
    return {}


def find_library(name: str) -> str | None:
    """The file ``dlopen`` would load for ``-l<name>`` (``lib<name>.so.N``), from the linker's
    cache or ``LD_LIBRARY_PATH``; None when neither has it. Runs no compiler."""
    prefix = f"lib{name}."  # ctypes.util's own pattern: lib<name>.<anything>
    for file in _linker_cache():
        if file.startswith(prefix):
            return file
    for folder in filter(None, os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep)):
        with contextlib.suppress(OSError):
            matches = sorted(path.name for path in Path(folder).glob(f"{prefix}so*"))
            if matches:
                return matches[0]
    return None


@contextlib.contextmanager
def _fast_find_library() -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process; later calls return at once). Side effect: while
    it imports, ``ctypes.util.find_library`` is :func:`find_library` (restored after)."""
    import sys

    if "weasyprint" in sys.modules:
        return
    try:
        with _fast_find_library():
            import weasyprint  # noqa: F401
    except OSError:
        for module in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[module]
        import weasyprint  # noqa: F401,F811  (ctypes' own search: the linker's too)
