"""The package's layout stays true: each layer imports only the layers below it, no import
cycle among the modules of any package (import-linter's contracts in pyproject.toml), and
every module at the top of ``reporting`` has its place in a layer."""

import pkgutil
from pathlib import Path

import pytest

import reporting

importlinter_cli = pytest.importorskip("importlinter.cli")

PYPROJECT = Path(reporting.__file__).resolve().parent.parent / "pyproject.toml"


def _contracts() -> list[dict]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def it_keeps_every_import_contract(capsys):
    code = importlinter_cli.lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def it_places_every_module_of_the_package_in_a_layer():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    top = {f"reporting.{info.name}" for info in pkgutil.iter_modules(reporting.__path__)} - {"reporting.__main__"}
    assert top - placed == set(), "add these to a layer in pyproject.toml [tool.importlinter]"
