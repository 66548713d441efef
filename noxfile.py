"""The test suite on the oldest and the newest Python that pyproject.toml declares.

``make test`` runs the whole suite on the venv's Python, then ``nox`` (this file): each
session makes a virtualenv in ``.nox/`` with that Python (kept for the next run), installs
the package with its test extras and runs the quick subset in it. Run one by hand with
``.venv/bin/nox -s tests-3.10``; pytest arguments after ``--`` replace ``-m 'not slow'``
(``.venv/bin/nox -s tests-3.13 -- -k deck``; ``-- -x`` runs the whole suite, to the first failure).

Interpreters are looked up as ``python3.10`` and ``python3.13`` on PATH, pyenv's own
installs first (its shims answer only for the versions ``pyenv global`` enables). A
missing one is skipped with a message, except under CI (``CI`` set), where it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

PYTHONS = ["3.10", "3.13"]  # keep in step with requires-python and the classifiers

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"  # kept between runs, installed into again only when the requirements change
nox.options.download_python = "never"  # an interpreter is looked for, never fetched
nox.options.error_on_missing_interpreters = bool(os.environ.get("CI"))  # CI must test both

_pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))


def _newest_pyenv_bin(version: str) -> str | None:
    """``bin`` of pyenv's newest install of ``version`` (e.g. 3.10.13 for 3.10), if any."""
    installs = (_pyenv_root / "versions").glob(f"{version}.*/bin")
    newest = max(installs, default=None,
                 key=lambda path: tuple(int(part) for part in path.parent.name.split(".") if part.isdigit()))
    return str(newest) if newest else None


_pyenv_bins = [_newest_pyenv_bin(version) for version in PYTHONS]
os.environ["PATH"] = os.pathsep.join([*filter(None, _pyenv_bins), os.environ.get("PATH", "")])


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The quick subset (``-m 'not slow'``) on this Python, as scripts/test-suite runs it
    (spread over the cores, then the tests that fork); arguments after ``--`` replace
    ``-m 'not slow'``: ``nox -s tests-3.13 -- -x`` runs the whole suite there."""
    _install(session)
    session.run("python", "scripts/test-suite", "-p", "no:cacheprovider", *(session.posargs or ["-m", "not slow"]),
                env={"OPENBLAS_NUM_THREADS": "1"})


def _install(session: nox.Session) -> None:
    """The package (editable: later edits need nothing) with its test extras and the cluster
    extra (make-report batch --scheduler, tested against a real scheduler), again only
    when pyproject.toml or this file changed since: pip's own check that nothing is missing takes ~10 s."""
    stamp = Path(session.virtualenv.location) / ".stamp-install-test"
    inputs = max(Path(name).stat().st_mtime for name in ("pyproject.toml", "noxfile.py"))  # extras named in both
    if stamp.exists() and stamp.stat().st_mtime >= inputs:
        return
    session.install("-e", ".[test,cluster]")
    stamp.touch()
