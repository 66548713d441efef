"""References between a dataset's parts, declared once: in the schema's field types.

A field that names a fact is typed :data:`~.facts.FactId`, one that names a source
:data:`~.facts.SourceId`, and a text whose ``{fact}`` placeholders name facts
:data:`~.facts.FilledText`. :func:`references` walks a dataset document (as read, before or without
validation: a reference is checked even when another part of the file is wrong) along the
models' fields and yields every such place, so the loader's checks follow the schema and a
new field typed as a reference is checked without a second list to keep in step.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Iterator, Literal, Union

from pydantic import BaseModel

Kind = Literal["fact", "source", "text"]


@dataclass(frozen=True)
class Refers:
    """Field metadata: the value is the id of an item of another list (``fact``, ``source``),
    or (``text``) a localized text whose placeholders name facts."""

    to: Kind


@dataclass(frozen=True)
class Reference:
    """One place of a document that refers: its location (keys and indexes), its kind, and
    the value found there (anything: the document may not have passed the schema)."""

    loc: tuple[Any, ...]
    kind: Kind
    value: Any


def references(model: type[BaseModel], node: Any, loc: tuple[Any, ...] = ()) -> Iterator[Reference]:
    """Every reference in ``node`` (a mapping read for ``model``), in field order."""
    if not isinstance(node, dict):
        return
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in node:
            yield from _walk(field.annotation, tuple(field.metadata), node[key], (*loc, key))


def _walk(annotation: Any, metadata: tuple[Any, ...], value: Any, loc: tuple[Any, ...]) -> Iterator[Reference]:
    for meta in metadata:
        if isinstance(meta, Refers):
            yield Reference(loc, meta.to, value)
            return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        yield from _walk(base, (*metadata, *more), value, loc)
    elif origin in (Union, types.UnionType):
        for option in typing.get_args(annotation):
            if option is not type(None):
                yield from _walk(option, (), value, loc)
                return  # a reference field is one type or None; the first option says it
    elif origin in (list, tuple) and isinstance(value, list):
        item = typing.get_args(annotation)[0]
        for index, element in enumerate(value):
            yield from _walk(item, (), element, (*loc, index))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from references(annotation, value, loc)
