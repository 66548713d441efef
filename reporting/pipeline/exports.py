"""A dataset's facts written out for people: ``make-report facts export``."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pydantic import BaseModel

from ..dataset.facts_sheet import write_facts
from ..errors import UsageError
from .outputs import atomic_target

KINDS = {".xlsx": "xlsx", ".csv": "csv"}


def export_facts(facts: Sequence[BaseModel], target: Path, *, timestamp: int | None = None) -> Path:
    """Write ``facts`` to ``target`` (``.xlsx`` or ``.csv``, see
    :func:`~reporting.dataset.facts_sheet.write_facts`) through a temporary file beside it,
    so a failed export leaves an earlier file as it was. Returns ``target``; raises
    :class:`UsageError` for any other suffix."""
    target = Path(target)
    kind = KINDS.get(target.suffix.lower())
    if kind is None:
        raise UsageError(f"export to .xlsx or .csv, not {target.name!r}")
    with atomic_target(target) as temp:
        write_facts(list(facts), temp, kind=kind, timestamp=timestamp)
    return target
