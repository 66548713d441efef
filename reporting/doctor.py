"""``make-report doctor``: can this machine build the default report correctly?"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ruamel.yaml.error import YAMLError

from .dataset.yaml_lines import libyaml_available, scalars
from .errors import AssetError, ReportError
from .fonts import missing_characters, require_fonts, resolve_font
from .lang.chars import describe
from .model.labels import LABELS
from .model.theme import Theme
from .project.config import find_config, load_config

Status = Literal["ok", "warn", "fail"]

REQUIRED_PACKAGES = (
    "weasyprint",
    "python-pptx",
    "matplotlib",
    "jinja2",
    "pydantic",
    "babel",
    "fonttools",
    "pillow",
    "ruamel.yaml",
    "click",
    "pypdf",
    "openpyxl",
)
"""Every dependency of ``pyproject.toml`` that every platform needs (a test keeps the two
the same): Pillow measures deck text, pypdf reads briefs back for ``verify``. Those with
a marker are checked where they apply (the C YAML parser below)."""

FEATURE_PACKAGES = {
    "aiohttp": "make-report preview",
    "watchfiles": "make-report preview",
    "opencc": "Traditional Chinese editions (--lang zh-Hant, zh-HK, zh-TW…)",
}
"""Dependencies of one command only, by the command: missing, only it cannot run (a warning)."""


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def run_checks(dataset: Path | None = None) -> list[Check]:
    """Every check, in order; ``fail`` means the default report cannot be built correctly."""
    checks = [_python()]
    checks += [_package(name) for name in REQUIRED_PACKAGES]
    checks += [_package(name, needed_by) for name, needed_by in FEATURE_PACKAGES.items()]
    checks.append(_weasyprint_libraries())
    checks.append(_harfbuzz_subset())
    checks.append(_libyaml())
    checks += _fonts()
    checks.append(_dataset(dataset))
    if dataset is not None:
        checks.append(
            Check(
                "about",
                "ok",
                "doctor checks this machine, and of a dataset only whether its "
                f"characters have glyphs here; 'make-report check --data {dataset}' "
                "checks the dataset itself",
            )
        )
    checks.append(_tool("soffice", "LibreOffice, to preview decks and run the deck round-trip test"))
    checks.append(_tool("pdftoppm", "poppler-utils, to look at PDF pages as images"))
    return checks


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Check("python", "ok" if ok else "fail", f"{version} at {sys.executable}" + ("" if ok else " (need 3.10+)"))


def _package(name: str, needed_by: str | None = None) -> Check:
    """The installed version of ``name``; missing, a failure, or a warning when only
    ``needed_by`` (one command) needs it."""
    try:
        return Check(name, "ok", importlib.metadata.version(name))
    except importlib.metadata.PackageNotFoundError:
        if needed_by:
            return Check(name, "warn", f"not installed: {needed_by} needs it (pip install .)")
        return Check(name, "fail", "not installed (pip install .)")


def _load_library(*names: str):
    """The first shared library of ``names`` that loads (the names WeasyPrint tries), or None.

    ctypes, not an import of WeasyPrint: the doctor answers in a fraction of a second.
    """
    import ctypes
    import ctypes.util

    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    # Last resort: ask the linker's cache (slower: runs ldconfig).
    for name in names:
        found = ctypes.util.find_library(name.removeprefix("lib").split(".so")[0])
        if found:
            try:
                return ctypes.CDLL(found)
            except OSError:
                continue
    return None


def _weasyprint_libraries() -> Check:
    pango = _load_library("libpango-1.0.so.0", "pango-1.0")
    pangoft2 = _load_library("libpangoft2-1.0.so.0", "pangoft2-1.0")
    if pango is None or pangoft2 is None:
        return Check("pango", "fail", "WeasyPrint cannot load Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")
    number = pango.pango_version()  # e.g. 15012 for 1.50.12
    version = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    if number < 14400:
        return Check("pango", "fail", f"{version}: WeasyPrint needs Pango 1.44 or newer")
    return Check("pango", "ok", version)


def _harfbuzz_subset() -> Check:
    if _load_library("libharfbuzz-subset.so.0", "harfbuzz-subset") is not None:
        return Check("harfbuzz-subset", "ok", "fonts are subset with HarfBuzz")
    return Check(
        "harfbuzz-subset",
        "warn",
        "missing: fonts are subset with fontTools, about 40 times slower on CJK fonts "
        "(apt-get install libharfbuzz-subset0)",
    )


def _libyaml() -> Check:
    if libyaml_available():
        return Check("libyaml", "ok", "datasets are parsed by ruamel.yaml's C parser")
    return Check(
        "libyaml",
        "warn",
        "missing: datasets are parsed in pure Python, about 6 times slower (pip install ruamel.yaml.clib)",
    )


def _fonts() -> list[Check]:
    checks = []
    for family in Theme().fonts.families:
        try:
            font = resolve_font(family)
        except AssetError as error:
            checks.append(Check(f"font {family}", "fail", str(error)))
            continue
        if font.exact:
            checks.append(Check(f"font {family}", "ok", f"{font.path} (face {font.index})"))
        else:
            checks.append(
                Check(
                    f"font {family}",
                    "fail",
                    f"not installed; fontconfig would use {font.matched_family} ({font.path}): "
                    "apt-get install fonts-noto-cjk",
                )
            )
    return checks


def _dataset(dataset: Path | None) -> Check:
    """Every character of the dataset's text has a glyph in the default theme's fonts.

    The doctor reads the YAML's strings without validating the schema (a build does
    that, naming each problem), which keeps it well under a second.
    """
    try:
        path = dataset or load_config(find_config()).dataset
        # Keys too: they are names, drawn nowhere, and ASCII.
        texts = scalars(Path(path).read_text(encoding="utf-8"))
        texts += [text for words in LABELS.values() for text in words.values()]
        missing = missing_characters(texts, require_fonts(Theme().fonts.families))
    except ReportError as error:
        return Check("dataset", "fail", str(error).replace("\n", " "))
    except (OSError, UnicodeDecodeError, YAMLError) as error:
        return Check("dataset", "fail", f"cannot read {path}: {error}")
    if missing:
        shown = ", ".join(f"{char!r} {describe(char)}" for char in missing[:8])
        return Check("dataset", "fail", f"{path}: no font in the default theme draws {shown}")
    return Check("dataset", "ok", f"{path}: every character has a glyph")


def _tool(name: str, why: str) -> Check:
    path = shutil.which(name)
    return Check(name, "ok" if path else "warn", path or f"not found (optional: {why})")
