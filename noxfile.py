"""The test suite at both ends of what pyproject.toml declares: the whole suite on the
newest Python (``full``), the quick subset on the oldest (``quick``).

``make test`` runs both sessions (``nox``). Each makes a virtualenv in ``.nox/`` with its
Python (kept for the next run), installs the package with its test extras and runs the
tests as scripts/test-suite runs them (spread over the cores, beside the tests that fork).
Pythons between the two ends are covered by them. Run one by hand with
``.venv/bin/nox -s full``; pytest arguments after ``--`` are added
(``.venv/bin/nox -s quick -- -k deck``; ``-- -m ''`` runs the whole suite on the oldest).

Interpreters are looked up as ``python3.10`` and ``python3.13`` on PATH, pyenv's own
installs first (its shims answer only for the versions ``pyenv global`` enables). Where
the newest is missing (a machine without pyenv), the whole suite runs in the environment
nox runs in (``.venv``, the Python the report is made with) instead; a missing oldest is
skipped with a message. Under CI (``CI`` set) a missing interpreter fails the run.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

OLDEST, NEWEST = "3.10", "3.13"  # keep in step with requires-python and the classifiers

nox.options.sessions = ["full", "quick"]
nox.options.reuse_venv = "yes"  # kept between runs, installed into again only when the requirements change
nox.options.download_python = "never"  # an interpreter is looked for, never fetched
nox.options.error_on_missing_interpreters = bool(os.environ.get("CI"))  # CI must test both ends

_pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))


def _newest_pyenv_bin(version: str) -> str | None:
    """``bin`` of pyenv's newest install of ``version`` (e.g. 3.10.13 for 3.10), if any."""
    installs = (_pyenv_root / "versions").glob(f"{version}.*/bin")
    newest = max(installs, default=None,
                 key=lambda path: tuple(int(part) for part in path.parent.name.split(".") if part.isdigit()))
    return str(newest) if newest else None


_pyenv_bins = [_newest_pyenv_bin(version) for version in (OLDEST, NEWEST)]
os.environ["PATH"] = os.pathsep.join([*filter(None, _pyenv_bins), os.environ.get("PATH", "")])
_newest_found = shutil.which(f"python{NEWEST}") is not None
_ENV = {"OPENBLAS_NUM_THREADS": "1"}


@nox.session(python=NEWEST if _newest_found or os.environ.get("CI") else False)
def full(session: nox.Session) -> None:
    """The whole suite on the newest Python (else, without it, on nox's own: ``.venv``)."""
    if session.python is False:
        session.log(f"Python {NEWEST} not found: the whole suite runs on this environment's "
                    f"Python {sys.version.split()[0]} instead")
        session.run(sys.executable, "scripts/test-suite", "-p", "no:cacheprovider", *session.posargs,
                    env=_ENV, external=True)
        return
    _install(session)
    session.run("python", "scripts/test-suite", "-p", "no:cacheprovider", *session.posargs, env=_ENV)


@nox.session(python=OLDEST)
def quick(session: nox.Session) -> None:
    """The quick subset (``-m 'not slow'``) on the oldest Python; a ``-m`` after ``--``
    replaces it."""
    _install(session)
    session.run("python", "scripts/test-suite", "-p", "no:cacheprovider", "-m", "not slow", *session.posargs,
                env=_ENV)


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
