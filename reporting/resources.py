"""Where the built-in templates, assets and default dataset live.

In a source checkout they sit at the top of the repository; in an installed wheel
they are copied to ``reporting/_resources/`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_root() -> Path:
    """The folder holding ``templates/``, ``assets/`` and ``data/``."""
    installed = _PACKAGE / "_resources"
    return installed if installed.is_dir() else _PACKAGE.parent


def templates_dir() -> Path:
    return resource_root() / "templates"


def assets_dir() -> Path:
    return resource_root() / "assets"


def data_dir() -> Path:
    return resource_root() / "data"


def builtin_project_config() -> Path:
    """The project config shipped with the toolkit: names the default dataset and audiences."""
    return resource_root() / "report.toml"
