"""A budget of steps for one render of the brief's templates: loop iterations and calls.

Templates come from other teams and run in Jinja's sandbox, which bounds what they may
touch but not how long they run: ``{% for a in range(99999) %}{% for b in range(99999) %}``
is ten billion steps, and a macro calling itself twice grows as fast. Every ``for`` loop
of a template is compiled to count its items (:class:`StepCountingCodeGenerator`), and the
sandbox counts every call (``_BoundedSandbox.call`` in :mod:`reporting.render.html`)
against the budget of the render in force (:func:`step_budget`). Past it the render ends
with :class:`OverBudget`, named by template file and line. The shipped brief takes about
a thousand steps; the default budget (:attr:`reporting.limits.Limits.template_steps`, a
million: a few seconds at most) is far above any real template's.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any, Iterable, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SecurityError

from ..limits import raise_hint

COUNTED = "_counted_steps"
"""The filter every ``for`` loop's sequence is passed through (registered by the environment)."""

_remaining: ContextVar[list[int] | None] = ContextVar("template_steps", default=None)
"""The steps left to the render running in this thread (a one-item list, shared by the
templates it includes); ``None`` outside a budgeted render."""


class OverBudget(SecurityError):
    """A template took more steps than the render's budget."""


@contextlib.contextmanager
def step_budget(steps: int) -> Iterator[list[int]]:
    """Let the templates rendered in this block take at most ``steps`` loop iterations and
    calls together; yields the one-item list of steps left (to measure a render by)."""
    left = [steps]
    token = _remaining.set(left)
    try:
        yield left
    finally:
        _remaining.reset(token)


def step() -> None:
    """Count one step; :class:`OverBudget` when the render's budget is spent."""
    left = _remaining.get()
    if left is None:
        return
    left[0] -= 1
    if left[0] < 0:
        raise OverBudget(_message())


def _message() -> str:
    return (
        "the templates took more loop steps and calls than the render's budget (an endless or "
        f"nested loop?); {raise_hint('template_steps')}"
    )


def counted_steps(items: Iterable[Any]) -> Iterator[Any]:
    """``items``, one step counted for each (the filter :data:`COUNTED`)."""
    for item in items:
        step()
        yield item


class StepCountingCodeGenerator(CodeGenerator):
    """Jinja's code generator, passing every ``for`` loop's sequence through the filter
    :data:`COUNTED`, so each item a loop takes is a step of the render's budget."""

    def visit_Template(self, node: nodes.Template, frame=None) -> None:  # noqa: N802 (Jinja's visitor name)
        # Before any code is written: the generator looks up the filters a body uses first.
        for loop in node.find_all(nodes.For):
            if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == COUNTED):
                loop.iter = nodes.Filter(loop.iter, COUNTED, [], [], None, None, lineno=loop.lineno)
        super().visit_Template(node, frame)
