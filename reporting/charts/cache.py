"""Charts kept on disk between runs, keyed on everything that shapes them, bounded in size.

A stale chart is a wrong report, so a cached file is used only when its name holds
the chart's own key (spec, theme, format, size: :meth:`ChartSpec.digest`) and the key
of the environment that drew it (:func:`environment_key`): the source of the drawing
module and of every toolkit module it imports, directly or inside a function (number
and date formatting among them); the versions of matplotlib, numpy, Pillow and Babel
and Babel's locale data files; the font files the theme's families resolve to. A
change to any of them draws afresh. The folder is kept under a size limit (least
recently used files removed first) and can be emptied (:func:`clear`,
``make-report cache clear``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..lang.editions import LANGS
from ..scratch import scratch_file

DEFAULT_MAX_BYTES = 50_000_000
"""The size the cache folder is kept under, in bytes (a chart is 20–200 KB: hundreds fit)."""

LIBRARIES = ("matplotlib", "numpy", "pillow", "babel")
"""Libraries whose version changes how a chart is drawn, formatted or encoded."""

_OWN_NAME = re.compile(r"[0-9a-f]{16}-[0-9a-f]{12}\.(?:svg|png)")
"""The name of a chart this cache stored (:meth:`ChartCache.path`: spec key, environment
key); nothing else in the folder is counted, pruned or cleared."""

_OWN_SCRATCH = re.compile(r"\.[A-Za-z0-9_]{8}\.part")
"""A temporary file :meth:`ChartCache.put` left behind (``tempfile``'s eight characters)."""


@dataclass(frozen=True)
class Usage:
    """What a cache folder holds: ``files`` charts taking ``bytes`` bytes."""

    folder: Path
    files: int
    bytes: int


class ChartCache:
    """One folder of cached charts (created on first use), kept under ``max_bytes``.

    Not shared state: each renderer holds its own; several processes may use one folder
    at once (files are written whole under a temporary name, then renamed). A cache that
    cannot be read or written is skipped, never fatal.
    """

    def __init__(self, folder: os.PathLike[str] | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._size: int | None = None  # bytes in the folder, counted at the first store

    def path(self, key: str, environment: str, suffix: str) -> Path:
        return self.folder / f"{key}-{environment}.{suffix}"

    def get(self, key: str, environment: str, suffix: str) -> bytes | None:
        """The chart stored under these keys, or None; a hit counts as a use (its time is
        updated, so the least recently used go first)."""
        path = self.path(key, environment, suffix)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return data

    def put(self, key: str, environment: str, suffix: str, data: bytes) -> None:
        """Store ``data``; then, if the folder has grown past ``max_bytes``, remove the
        least recently used charts until it holds at most three quarters of it."""
        path = self.path(key, environment, suffix)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with scratch_file(self.folder, prefix=".") as temp:  # removed if the write fails or is interrupted
                temp.write_bytes(data)
                os.replace(temp, path)
        except OSError:
            return
        if self._size is None:
            self._size = usage(self.folder).bytes
        else:
            self._size += len(data)
        if self._size > self.max_bytes:
            self._size = prune(self.folder, self.max_bytes * 3 // 4)


def _owned(folder: Path, name: re.Pattern[str]) -> list[os.DirEntry]:
    """The regular files of ``folder`` (links not followed) whose names match ``name``."""
    try:
        with os.scandir(folder) as entries:
            return [entry for entry in entries if name.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _charts(folder: Path) -> list[os.DirEntry]:
    return _owned(folder, _OWN_NAME)


def usage(folder: os.PathLike[str] | str) -> Usage:
    """How many charts ``folder`` holds and their size in bytes (0 and 0 if it does not exist)."""
    sizes = []
    for entry in _charts(Path(folder)):
        with contextlib.suppress(OSError):
            sizes.append(entry.stat().st_size)
    return Usage(Path(folder), len(sizes), sum(sizes))


def prune(folder: os.PathLike[str] | str, keep_bytes: int) -> int:
    """Remove the least recently used charts of ``folder`` until at most ``keep_bytes``
    remain; return the bytes left."""
    stats = []
    for entry in _charts(Path(folder)):
        with contextlib.suppress(OSError):
            stat = entry.stat()
            stats.append((stat.st_mtime_ns, entry.path, stat.st_size))
    total = sum(size for _, _, size in stats)
    for _, path, size in sorted(stats):
        if total <= keep_bytes:
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        total -= size
    return total


def clear(folder: os.PathLike[str] | str) -> Usage:
    """Remove every cached chart (and leftover temporary file) of ``folder``; return what
    was removed. Only files the cache wrote are touched, by their names: a user's own
    images, links and folders in it are left alone."""
    removed = usage(folder)
    for entry in [*_charts(Path(folder)), *_owned(Path(folder), _OWN_SCRATCH)]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry.path)
    return removed


def environment_key(drawing_module: str, font_files: Iterable[tuple[Path, int]]) -> str:
    """A short hash of everything outside a chart's spec that shapes it: the source of
    ``drawing_module`` and of the toolkit modules it imports (see :func:`toolkit_sources`),
    the versions in :data:`LIBRARIES`, Babel's locale data files, and ``font_files``
    (path and face index of each font the drawing uses: its size and modification time
    are read, a changed font file draws afresh)."""
    digest = hashlib.sha256(_code_and_libraries(drawing_module).encode())
    for path, index in sorted(set(font_files)):
        try:
            stat = Path(path).stat()
            digest.update(f"|{Path(path).resolve()}#{index}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"|{path}#{index}:missing".encode())
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=4)
def _code_and_libraries(drawing_module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for name, source in sorted(toolkit_sources(drawing_module).items()):
        digest.update(name.encode() + b"\0" + source + b"\0")
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=none\n".encode())
    digest.update(_babel_data_signature().encode())
    return digest.hexdigest()


def _babel_data_signature() -> str:
    """Name, size and modification time of the Babel data files the toolkit's languages
    read (``global.dat``, ``root.dat`` and every locale of those languages: ``zh*.dat``,
    ``en*.dat``), found without importing Babel."""
    from importlib.util import find_spec

    spec = find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return "babel:none"
    root = Path(next(iter(spec.submodule_search_locations)))
    wanted = ("global.dat", "root.dat", *(f"{lang}.dat" for lang in LANGS))
    prefixes = tuple(f"{lang}_" for lang in LANGS)
    parts = []
    for folder in (root, root / "locale-data"):
        for entry in _scandir(folder):
            if entry.name in wanted or (entry.name.startswith(prefixes) and entry.name.endswith(".dat")):
                with contextlib.suppress(OSError):
                    stat = entry.stat()
                    parts.append(f"{entry.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(sorted(parts))


def _scandir(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def toolkit_sources(module_name: str) -> dict[str, bytes]:
    """The source of ``module_name`` and of every module of the same top-level package
    it imports, at the top or inside a function, and so on transitively, by module name.
    Read from the files: nothing is imported but the package's own ``__init__`` modules."""
    package = module_name.partition(".")[0]
    sources: dict[str, bytes] = {}
    waiting = [module_name]
    while waiting:
        name = waiting.pop()
        if name in sources:
            continue
        origin = _module_file(name)
        if origin is None:
            continue
        source = origin.read_bytes()
        sources[name] = source
        for imported in _imports(source, name, origin.name == "__init__.py"):
            if imported.partition(".")[0] == package and imported not in sources:
                waiting.append(imported)
    return sources


@functools.lru_cache(maxsize=256)
def _module_file(name: str) -> Path | None:
    """The ``.py`` file of module ``name`` (a package's ``__init__.py``), or None."""
    from importlib.util import find_spec

    parent, _, last = name.rpartition(".")
    if parent:
        folder = _module_file(parent)
        if folder is None or folder.name != "__init__.py":
            return None
        for candidate in (folder.parent / f"{last}.py", folder.parent / last / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None
    try:
        spec = find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)|import[ \t]+([^\n#]+))", re.MULTILINE
)


def _imports(source: bytes, name: str, is_package: bool) -> list[str]:
    """Absolute names of the modules ``source`` imports, at the top or inside a function
    (relative imports resolved; ``from X import y`` gives X and X.y: a name that is no
    module is skipped later). Read with a regular expression, not a parser: a tenth of
    the time, and an import written some other way (``importlib``) is not used here."""
    here = name.split(".") if is_package else name.split(".")[:-1]
    found = []
    for dots, module, names, plain in _IMPORT.findall(source):
        if plain:
            found += [part.split()[0].decode() for part in plain.split(b",") if part.strip()]
            continue
        level = len(dots)
        if level:
            base = here[: len(here) - (level - 1)]
            origin = ".".join(base + ([module.decode()] if module else []))
        else:
            origin = module.decode()
        found.append(origin)
        for part in names.strip(b"()").replace(b"\\\n", b" ").split(b","):
            if part.strip():
                found.append(f"{origin}.{part.split()[0].decode()}")
    return found
