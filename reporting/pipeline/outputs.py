"""Writing outputs without ever leaving a half-written file.

Every output is written to a temporary file beside its target and renamed into
place only when complete, so a failed or interrupted build leaves the previous
file byte-identical. The outputs of one build are published together
(:meth:`StagedOutputs.publish_all`): when one cannot be renamed into place, those
already renamed are put back as they were, so a build changes all of its outputs or
none. Published files get the mode a new file gets under the user's umask.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterable, Iterator

from .. import scratch
from ..errors import OutputError, UsageError, display_path


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


def check_out_dir(out_dir: Path) -> None:
    """Raise :class:`UsageError` now, without creating anything, when ``out_dir`` could
    not be made or written (what :func:`prepare_out_dir` would find later): a part of
    the path that is a file, or a folder this process may not write."""
    existing = Path(out_dir)
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(
            f"cannot create output folder {display_path(out_dir)}: {display_path(existing)} is not a folder"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        if existing == Path(out_dir):
            raise UsageError(f"output folder {display_path(out_dir)} is not writable")
        raise UsageError(
            f"cannot create output folder {display_path(out_dir)}: {display_path(existing)} is not writable"
        )


@contextlib.contextmanager
def scratch_file(folder: Path, name: str) -> Iterator[Path]:
    """Yield a new empty file ``.<name>.<pid>-*.part`` in ``folder``; remove it on exit
    unless it was moved away. Raises :class:`OutputError` when the folder takes no new file.

    Scratch files of ``name`` left by a process that no longer runs (killed outright,
    SIGKILL or a power cut, so it could not remove them) are removed first."""
    _remove_abandoned(Path(folder), name)
    created = False
    try:
        with scratch.scratch_file(folder, prefix=f".{name}.{os.getpid()}-") as temp:
            created = True
            yield temp
    except OSError as error:
        if created:  # raised by the block, not by the file's creation
            raise
        raise OutputError(f"cannot write beside {display_path(Path(folder) / name)}: {error.strerror}") from None


def _remove_abandoned(folder: Path, name: str) -> None:
    """Remove ``.<name>.<pid>-*.part`` files of ``folder`` whose process is gone (best
    effort: a pid in use again keeps its file, harmless)."""
    prefix = f".{name}."
    try:
        with os.scandir(folder) as entries:
            found = [entry.name for entry in entries if entry.name.startswith(prefix) and entry.name.endswith(".part")]
    except OSError:
        return
    for name in found:
        pid = name[len(prefix) :].partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # another user's: it runs
        return True
    return True


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
    """Any OSError while ``temp`` is written becomes an :class:`OutputError` naming
    ``target`` and the cause: a full disk (whose error names no file: it arises in a
    ``write`` call), a lost permission, or a file the writer was reading (named too)."""
    try:
        yield
    except OSError as error:
        raise OutputError(f"cannot write {display_path(target)}: {_cause(error, target, temp)}") from None


def _cause(error: OSError, target: Path, temp: Path) -> str:
    """The reason an output could not be written; a file other than the output is named."""
    reason = error.strerror or str(error)
    named = error.filename
    if named is None or str(named) in (str(temp), str(target)):
        return reason
    return f"{display_path(named)}: {reason}"


class StagedOutputs:
    """Outputs written complete into scratch files beside their targets, then renamed
    into place together by :meth:`publish_all`: a build that fails half-way changes none
    of its targets. Use as a context manager; on exit every scratch file not
    published is removed."""

    def __init__(self) -> None:
        self._cleanup = contextlib.ExitStack()
        self._scratch: dict[Path, Path] = {}

    def scratch_for(self, target: Path) -> Path:
        """A new empty file to write ``target``'s content into (perhaps from another process)."""
        with scratch.interruptions_held():  # else an interruption could fall between the file and its removal
            temp = self._cleanup.enter_context(scratch_file(target.parent, target.name))
        self._scratch[target] = temp
        return temp

    @contextlib.contextmanager
    def writing(self, target: Path) -> Iterator[Path]:
        """Yield :meth:`scratch_for` ``target``; an OSError writing it names ``target``."""
        temp = self.scratch_for(target)
        with naming_target(target, temp):
            yield temp

    def publish_all(self, targets: Iterable[Path]) -> list[Path]:
        """Rename the complete scratch file of every one of ``targets`` onto it; return them.

        All or none: the previous file of each target is kept (a hard link, or a copy
        where the file system has none) until every rename is done; should one fail
        (:class:`OutputError`) or the process be interrupted, the targets already
        replaced get their previous content back (or are removed, if they had none).
        Builds publishing into the same folder take turns (a lock on the folder), so
        two builds of the same outputs at once never mix their files.
        """
        targets = list(targets)
        if not targets:
            return []
        folder = targets[0].parent
        with _folder_lock(folder), contextlib.ExitStack() as keep:
            with scratch.interruptions_held():  # each kept file with its removal, or neither
                previous = {target: keep.enter_context(_kept_previous(target)) for target in targets}
            replaced: list[Path] = []
            try:
                # An interruption during the renames waits until they are done and is
                # raised here, in the try: the targets then get their previous files back.
                with scratch.interruptions_held():
                    for target in targets:
                        publish(self._scratch.pop(target), target)
                        replaced.append(target)
            except BaseException:
                with scratch.interruptions_held():
                    for target in reversed(replaced):
                        _restore(target, previous[target])
                raise
        return targets

    def publish(self, target: Path) -> Path:
        """Rename ``target``'s complete scratch file onto it; return ``target``."""
        return self.publish_all([target])[0]

    def __enter__(self) -> "StagedOutputs":
        return self

    def __exit__(self, *exc_info) -> None:
        self._cleanup.close()


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (``flock`` on the folder itself, so no lock
    file is left behind). Where locks are not available it does nothing: publishing
    is then still all-or-none for each build, but two builds may interleave."""
    try:
        import fcntl

        descriptor = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextlib.contextmanager
def _kept_previous(target: Path) -> Iterator[Path | None]:
    """Keep ``target``'s current file under a scratch name while the outputs are published;
    yield that name (None when ``target`` does not exist yet); remove it on exit.
    Raises :class:`OutputError` when it cannot be kept (a full disk where hard links are
    not available): nothing has been published then."""
    if not target.is_file():
        yield None
        return
    with scratch_file(target.parent, target.name) as kept:
        try:
            os.unlink(kept)
            try:
                os.link(target, kept)
            except OSError:  # a file system without hard links: a copy does
                import shutil

                shutil.copy2(target, kept)
        except OSError as error:
            raise OutputError(
                f"cannot write {display_path(target)}: cannot keep its previous "
                f"version while publishing: {error.strerror}"
            ) from None
        yield kept


def _restore(target: Path, kept: Path | None) -> None:
    """Put ``target`` back as it was before publishing (best effort: the error that
    stopped publishing is the one reported)."""
    with contextlib.suppress(OSError):
        if kept is None:
            os.unlink(target)
        else:
            os.replace(kept, target)


def new_file_mode() -> int:
    """The mode a new file gets under this process's umask (``0o666 & ~umask``): what
    :func:`publish` gives an output, like any file the user's tools create."""
    return 0o666 & ~_umask()


def _umask() -> int:
    # Linux tells the umask without changing it; elsewhere it is set and put back at once.
    with contextlib.suppress(OSError, ValueError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def publish(finished: Path, target: Path) -> Path:
    """Rename the complete file ``finished`` onto ``target`` (same folder), with the mode
    a new file gets under the user's umask. Raises :class:`OutputError` naming
    ``target`` when that fails."""
    try:
        os.chmod(finished, new_file_mode())
        os.replace(finished, target)
    except OSError as error:
        raise OutputError(f"cannot write {display_path(target)}: {error.strerror}") from None
    return target


def write_text(target: Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_target(target) as temp:
        temp.write_text(text, encoding="utf-8")
    return target
