"""Hostile inputs run under a memory and CPU cap, in a process of their own.

``python hostile_child.py MEMORY_MB CPU_SECONDS exec PROGRAM ARGS...`` sets the caps
(``RLIMIT_AS``, ``RLIMIT_CPU``) and becomes ``PROGRAM`` (a ``make-report`` command).

``python hostile_child.py MEMORY_MB CPU_SECONDS cases`` reads a JSON list of cases on
stdin (``[kind, path, limits]``: ``dataset`` loads a dataset, ``table`` reads a table,
``deck`` opens a master, ``template`` renders a template file) and prints one JSON
outcome per case: ``["ok", ""]``, ``["refused", message]`` for a
:class:`~reporting.errors.ReportError`, ``["crash", what]`` for anything else. A case
that goes past a cap ends the process (killed by SIGXCPU, or a ``MemoryError``
reported as a crash), which the test sees.

Caps, not timings: nothing here measures how long a case took.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path


def cap(memory_mb: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def run_case(kind: str, path: str, limits: dict) -> None:
    from reporting.limits import Limits

    budget = Limits(**limits)
    if kind == "dataset":
        from reporting.dataset.load import load_dataset

        load_dataset(path, limits=budget)
    elif kind == "table":
        from reporting.dataset.sheets import read_table

        read_table(Path(path), shown=path, key="id", limits=budget)
    elif kind == "deck":
        from reporting.render.deck.layouts import open_template

        open_template(Path(path), budget)
    elif kind == "template":
        from reporting.render.html import TemplateSet

        env = TemplateSet.builtin([Path(path).parent]).environment()
        render_template(env, Path(path).name, budget.template_steps)
    else:
        raise SystemExit(f"unknown case kind {kind!r}")


def render_template(env, name: str, steps: int) -> str:
    """Render template ``name`` as the brief's renderer would (within a budget of ``steps``),
    turning its errors into :class:`~reporting.errors.TemplateError` the same way."""
    from reporting.render import html
    from reporting.render.template_steps import step_budget

    class Report:  # what a template given nothing else can reach
        pass

    template = None
    try:
        template = env.get_template(name)
        with step_budget(steps):
            return template.render(report=Report())
    except Exception as error:  # the brief's renderer's translation, see render_brief_html
        from reporting.errors import ReportError, TemplateError

        if isinstance(error, ReportError):
            raise
        import jinja2

        if isinstance(error, (jinja2.TemplateError, html.SecurityError)):
            raise TemplateError(f"{name}: {error}") from None
        where = html._template_line(error, [Path(template.filename).parent] if template else [])
        if where is None:
            raise
        raise TemplateError(f"{where}: {type(error).__name__}: {error}") from None


def main(argv: list[str]) -> None:
    memory_mb, cpu_seconds, mode = int(argv[1]), int(argv[2]), argv[3]
    if mode == "exec":
        cap(memory_mb, cpu_seconds)
        os.execv(argv[4], argv[4:])
    cases = json.load(sys.stdin)
    from reporting.errors import ReportError  # imported before the cap: libraries are not the case

    import reporting.dataset.load  # noqa: F401
    import reporting.render.html  # noqa: F401
    cap(memory_mb, cpu_seconds)
    outcomes = []
    for kind, path, limits in cases:
        try:
            run_case(kind, path, limits)
            outcomes.append(["ok", ""])
        except ReportError as error:
            outcomes.append(["refused", str(error)])
        except BaseException as error:  # noqa: BLE001 (what the test reports)
            outcomes.append(["crash", f"{type(error).__name__}: {str(error)[:300]}"])
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main(sys.argv)
