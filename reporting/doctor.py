"""``make-report doctor``: can this machine build the default report correctly?"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Status = Literal["ok", "warn", "fail"]

REQUIRED_PACKAGES = ("weasyprint", "python-pptx", "matplotlib", "jinja2", "pydantic", "babel",
                     "fonttools", "ruamel.yaml", "click")


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def run_checks(dataset: Path | None = None) -> list[Check]:
    """Every check, in order; ``fail`` means the default report cannot be built correctly."""
    checks = [_python()]
    checks += [_package(name) for name in REQUIRED_PACKAGES]
    checks.append(_weasyprint_libraries())
    checks.append(_harfbuzz_subset())
    checks += _fonts()
    checks.append(_dataset(dataset))
    checks.append(_tool("soffice", "LibreOffice, to preview decks and run the deck round-trip test"))
    checks.append(_tool("pdftoppm", "poppler-utils, to look at PDF pages as images"))
    return checks


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 10)
    return Check("python", "ok" if ok else "fail", f"{version} at {sys.executable}" + ("" if ok else " (need 3.10+)"))


def _package(name: str) -> Check:
    try:
        return Check(name, "ok", importlib.metadata.version(name))
    except importlib.metadata.PackageNotFoundError:
        return Check(name, "fail", "not installed (pip install .)")


def _weasyprint_libraries() -> Check:
    try:
        from weasyprint.text.ffi import pango

        number = pango.pango_version()  # e.g. 15012 for 1.50.12
        return Check("pango", "ok", f"{number // 10000}.{number // 100 % 100}.{number % 100}")
    except (OSError, ImportError) as error:
        return Check("pango", "fail", f"WeasyPrint cannot load Pango: {error} (apt-get install libpango-1.0-0 libpangoft2-1.0-0)")


def _harfbuzz_subset() -> Check:
    try:
        from .render.pdf import harfbuzz_subset_available

        available = harfbuzz_subset_available()
    except (OSError, ImportError):
        available = False
    if available:
        return Check("harfbuzz-subset", "ok", "fonts are subset with HarfBuzz")
    return Check("harfbuzz-subset", "warn",
                 "missing: fonts are subset with fontTools, about 40 times slower on CJK fonts "
                 "(apt-get install libharfbuzz-subset0)")


def _fonts() -> list[Check]:
    from .charts.theme import Theme
    from .errors import AssetError
    from .fonts import resolve_font

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
            checks.append(Check(f"font {family}", "fail",
                                f"not installed; fontconfig would use {font.matched_family} ({font.path}): "
                                "apt-get install fonts-noto-cjk"))
    return checks


def _dataset(dataset: Path | None) -> Check:
    from .errors import ReportError

    try:
        from .build import check_fonts
        from .charts.theme import Theme
        from .facts import load_dataset
        from .model import plan
        from .project import find_config, load_config

        path = dataset or load_config(find_config()).dataset
        loaded = load_dataset(path)
        check_fonts(plan(loaded), Theme())
        return Check("dataset", "ok", f"{path}: {len(loaded.dataset.facts)} facts, every character has a glyph")
    except ReportError as error:
        return Check("dataset", "fail", str(error).replace("\n", " "))


def _tool(name: str, why: str) -> Check:
    path = shutil.which(name)
    return Check(name, "ok" if path else "warn", path or f"not found (optional: {why})")
