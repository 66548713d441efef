"""Work done once for a whole test run and shared by every pytest-xdist worker."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any, Callable


def run_root(tmp_path_factory) -> Path:
    """This run's own temporary folder, shared by its pytest-xdist workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """``make(folder)``'s result (anything JSON can hold), computed by the first worker to
    ask, in ``folder`` (this run's ``<name>`` folder), while the others wait for it; the
    others read it back."""
    folder = run_root(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        index = folder / ".result.json"
        if not index.exists():
            index.write_text(json.dumps(make(folder)), encoding="utf-8")
        return json.loads(index.read_text(encoding="utf-8"))
