"""Watching the inputs with watchfiles (Rust ``notify``: inotify on Linux, FSEvents on
macOS), one batch of changed paths per save.

Template and asset folders are watched with everything under them; the dataset's and
the config's folders only at their top, so a project folder holding ``out/`` or a
virtualenv costs nothing. Editors' scratch files (``.swp``, ``~``, ``.git/``) are left out.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Awaitable, Callable

from watchfiles import DefaultFilter, awatch

from .inputs import WatchPlan

DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".toml", ".csv", ".tsv", ".xlsx", ".xlsm", ".ods"})
"""Files of a dataset's folder that may be inputs (the dataset, a spreadsheet it reads);
others there (an editor's or ``sed -i``'s scratch file) are not."""

STEP_MS = 30
"""How long a change waits for more (a save is often several events) before the batch goes."""


def path_filter(plan_now: Callable[[], WatchPlan]) -> Callable[[object, str], bool]:
    """Keeps a changed path that is an input of the plan in force."""
    default = DefaultFilter()

    def keep(change, raw: str) -> bool:
        if not default(change, raw):
            return False
        plan = plan_now()
        path = Path(raw)
        if path in plan.files or (path.parent in plan.folders and path.suffix.lower() in DATA_SUFFIXES):
            return True
        return any(path.is_relative_to(tree) for tree in plan.trees)

    return keep


def watch_points(plan: WatchPlan) -> set[tuple[Path, bool]]:
    """The folders to watch, each with whether to watch it recursively: the trees, and
    the flat folders not inside one (so no change is reported twice).

    A recursive watch follows links to folders (``notify`` does, and watchfiles has no
    option against it): a link in a template folder to ``/etc`` would watch all of it.
    A tree holding such a link is watched one real folder at a time instead, links not
    followed (:func:`real_folders`); the watcher looks again after each batch, so a
    folder made later is watched too.
    """
    trees = {
        tree for tree in plan.trees if not any(tree != other and tree.is_relative_to(other) for other in plan.trees)
    }
    flat = {folder for folder in plan.flat_dirs() if not any(folder.is_relative_to(tree) for tree in trees)}
    points = {(folder, False) for folder in flat}
    for tree in trees:
        folders, linked = real_folders(tree)
        points |= {(folder, False) for folder in folders} if linked else {(tree, True)}
    return points


def real_folders(tree: Path) -> tuple[list[Path], bool]:
    """The folders under ``tree`` (itself included) reached without following a link, and
    whether any link to a folder was met on the way."""
    folders: list[Path] = []
    linked = False
    for root, names, _files in os.walk(tree, followlinks=False):
        folders.append(Path(root))
        linked = linked or any(os.path.islink(os.path.join(root, name)) for name in names)
        names[:] = [name for name in names if name not in DefaultFilter.ignore_dirs]  # .git, .venv: never inputs
    return folders, linked


async def watch(
    plan_of: Callable[[], WatchPlan],
    on_change: Callable[[set[Path]], Awaitable[None]],
    stop: asyncio.Event,
    log: Callable[[str], None] = lambda line: None,
    *,
    replan: asyncio.Event | None = None,
) -> None:
    """Call ``on_change`` with each batch of changed inputs until ``stop`` is set.

    ``plan_of`` says what to watch; it is asked again when a batch touches one of the
    plan's files (the config): folders it adds are watched from then on, while the
    watches already running go on (restarting them could miss a save). Changes are
    filtered by the plan in force, so a folder no longer named is ignored. A folder that
    cannot be watched (removed, the system's limit of watches reached) is named to ``log``.
    Setting ``replan`` asks for the plan again too (the dataset named a spreadsheet).
    """
    current = {"plan": plan_of()}
    keep = path_filter(lambda: current["plan"])
    running: dict[tuple[Path, bool], asyncio.Task] = {}

    async def batch(changes: set[Path]) -> None:
        await on_change(changes)
        if changes & current["plan"].files:
            current["plan"] = plan_of()
            start_missing()
        elif any(path.is_dir() for path in changes):
            start_missing()  # a folder (or a link to one) made in a tree: watched flat if need be

    def forget(point: tuple[Path, bool]) -> Callable[[asyncio.Future], None]:
        # A closure, not functools.partial(..., running, ...): a task's repr shows its
        # callbacks' arguments, and the dict of tasks in them would be shown recursively.
        def done(_task: asyncio.Future) -> None:
            running.pop(point, None)  # the watch has ended (its folder gone, or stopped)

        return done

    def start_missing() -> None:
        points = watch_points(current["plan"])
        for point, task in list(running.items()):
            if point[1] and point not in points and point[0] in current["plan"].trees:
                task.cancel()  # a link to a folder appeared in the tree: watched flat from now on
        for point in points:
            if point not in running and point[0].is_dir():
                running[point] = asyncio.ensure_future(_watch_folder(*point, keep, batch, stop, log))
                running[point].add_done_callback(forget(point))

    async def replanning() -> None:
        while replan is not None:
            await replan.wait()
            replan.clear()
            current["plan"] = plan_of()
            start_missing()

    start_missing()
    replanner = asyncio.ensure_future(replanning())
    await stop.wait()
    replanner.cancel()
    if running:
        await asyncio.gather(*running.values(), return_exceptions=True)


async def _watch_folder(
    folder: Path, recursive: bool, keep, batch, stop: asyncio.Event, log: Callable[[str], None]
) -> None:
    """Watch one folder until ``stop``, or until it cannot be watched: then it is watched
    again once the config names it anew."""
    try:
        async for changes in awatch(
            folder,
            watch_filter=keep,
            stop_event=stop,
            step=STEP_MS,
            recursive=recursive,
            rust_timeout=500,
            ignore_permission_denied=True,
        ):
            await batch({Path(raw) for _change, raw in changes})
    except (OSError, RuntimeError) as error:  # watchfiles' errors for a folder gone or too many watches
        log(f"cannot watch {folder} ({error}); changes there are not seen")
