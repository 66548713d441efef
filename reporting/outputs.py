"""Writing outputs without ever leaving a half-written file.

Every output is written to a temporary file beside its target and renamed into
place only when complete, so a failed or interrupted build leaves the previous
file byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import OutputError, UsageError, display_path


def prepare_out_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and check it is writable.

    An output folder that cannot be made or written is misuse (a wrong ``--out``):
    raises :class:`UsageError`.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create output folder {display_path(out_dir)}: {error.strerror}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {display_path(out_dir)} is not writable")
    return out_dir


@contextlib.contextmanager
def scratch_file(folder: Path, name: str) -> Iterator[Path]:
    """Yield a new empty file ``.<name>.*.part`` in ``folder``; remove it on exit unless
    it was moved away. Raises :class:`OutputError` when the folder takes no new file."""
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write beside {display_path(Path(folder) / name)}: {error.strerror}") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it onto ``target``.

    On any exception (including KeyboardInterrupt) the temporary file is removed
    and ``target`` is left as it was.
    """
    with scratch_file(target.parent, target.name) as temp:
        with naming_target(target, temp):
            yield temp
        publish(temp, target)


@contextlib.contextmanager
def naming_target(target: Path, temp: Path) -> Iterator[None]:
    """An OSError on ``temp`` (disk full, say), or on ``target``, becomes an
    :class:`OutputError` naming ``target``."""
    try:
        yield
    except OSError as error:
        if error.filename in (str(temp), str(target), temp, target):
            raise OutputError(f"cannot write {display_path(target)}: {error.strerror}") from None
        raise


class StagedOutputs:
    """Outputs written complete into scratch files beside their targets, then renamed
    into place together by :meth:`publish`: a build that fails half-way changes none
    of its targets. Use as a context manager; on exit every scratch file not
    published is removed."""

    def __init__(self) -> None:
        self._cleanup = contextlib.ExitStack()
        self._scratch: dict[Path, Path] = {}

    def scratch_for(self, target: Path) -> Path:
        """A new empty file to write ``target``'s content into (perhaps from another process)."""
        temp = self._cleanup.enter_context(scratch_file(target.parent, target.name))
        self._scratch[target] = temp
        return temp

    @contextlib.contextmanager
    def writing(self, target: Path) -> Iterator[Path]:
        """Yield :meth:`scratch_for` ``target``; an OSError writing it names ``target``."""
        temp = self.scratch_for(target)
        with naming_target(target, temp):
            yield temp

    def publish(self, target: Path) -> Path:
        """Rename ``target``'s complete scratch file onto it; return ``target``."""
        return publish(self._scratch.pop(target), target)

    def __enter__(self) -> "StagedOutputs":
        return self

    def __exit__(self, *exc_info) -> None:
        self._cleanup.close()


def publish(finished: Path, target: Path) -> Path:
    """Rename the complete file ``finished`` onto ``target`` (same folder), readable by all.
    Raises :class:`OutputError` naming ``target`` when that fails."""
    try:
        os.chmod(finished, 0o644)
        os.replace(finished, target)
    except OSError as error:
        raise OutputError(f"cannot write {display_path(target)}: {error.strerror}") from None
    return target


def write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_target(target) as temp:
        temp.write_text(text, encoding="utf-8")
    return target
