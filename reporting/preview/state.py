"""What the preview shows: per selection, the last good page, the problems of the last
render, and the pages open on it. Lives in the server's event loop (not thread-safe).

Every batch of changed files raises the input ``generation``; a view rendered at an
older generation is stale and is rendered again before it is served. Its ``version``
counts the distinct results it has had (a good page, or a set of problems); open pages
are told each new version and fetch the page again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..errors import DataError, ReportError
from .inputs import Selection

MAX_VIEWS = 24
"""Selections kept at once (audiences x editions); the least recently used without open pages go first."""


def problem_lines(error: BaseException) -> list[str]:
    """One line per problem: ``FILE:LINE: field: message`` for a dataset or config,
    the message's lines for any other error of the toolkit, the type and message of a bug."""
    if isinstance(error, DataError):
        return [str(problem) for problem in error.problems]
    if isinstance(error, ReportError):
        return [line.strip() for line in str(error).splitlines() if line.strip()]
    return [f"internal error (a bug; the terminal shows its traceback): {type(error).__name__}: {error}"]


@dataclass(eq=False)
class View:
    """One selection's page."""

    selection: Selection
    good_html: str | None = None
    """The report's HTML from the last render that succeeded."""
    problems: list[str] = field(default_factory=list)
    """What the last render found wrong; empty when it succeeded."""
    generation: int = -1
    """The input generation last rendered."""
    version: int = 0
    subscribers: set[asyncio.Queue] = field(default_factory=set)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def record(self, generation: int, html: str | None, problems: list[str]) -> bool:
        """Take a render's result; True when the page changed (the version then rises
        and every open page is told)."""
        self.generation = generation
        changed = problems != self.problems or (html is not None and html != self.good_html)
        if html is not None:
            self.good_html = html
        self.problems = problems
        if changed:
            self.version += 1
            for queue in self.subscribers:
                queue.put_nowait(self.version)
        return changed

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self.subscribers.discard(queue)


class Views:
    """The views by selection, at most :data:`MAX_VIEWS`, and the current input generation."""

    def __init__(self) -> None:
        self.generation = 0
        self._views: dict[Selection, View] = {}

    def get(self, selection: Selection) -> View:
        view = self._views.pop(selection, None) or View(selection)
        self._views[selection] = view  # most recently used last
        while len(self._views) > MAX_VIEWS:
            idle = next((key for key, other in self._views.items() if not other.subscribers), None)
            if idle is None:
                break
            del self._views[idle]
        return view

    def watched(self) -> list[View]:
        """Views with open pages, most watched first: rendered first after a change."""
        return sorted(
            (view for view in self._views.values() if view.subscribers), key=lambda view: -len(view.subscribers)
        )

    def all(self) -> list[View]:
        return list(self._views.values())

    def stale(self, view: View) -> bool:
        return view.generation < self.generation
