"""The examples in the toolkit's docstrings run: a docstring that shows a call shows what it returns."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import reporting

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(reporting.__path__, "reporting.")
    if not info.name.startswith(("reporting.preview", "reporting.pipeline.cluster"))  # optional extras
    and info.name != "reporting.__main__"  # runs the command line when imported
)


def with_examples() -> list[str]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        if any(test.examples for test in doctest.DocTestFinder().find(module)):
            found.append(name)
    return found


@pytest.mark.parametrize("name", with_examples())
def it_returns_what_each_docstring_example_shows(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (run it with -s)"
