"""Traditional Chinese from Simplified: phrase by phrase with OpenCC's dictionaries.

OpenCC (the ``opencc`` package: the project's own C++ library and data, see README's
Dependencies) converts by the longest phrase its dictionaries know, then character by
character only where no phrase matches, so one-to-many characters come out right
(``发`` is ``發`` in 發展 and ``髮`` in 頭髮; ``干`` is ``乾``, ``幹`` or ``干`` by the words
around it). Each variant uses its own configuration: ``zh-Hant`` OpenCC's ``s2t``,
``zh-HK`` ``s2hk`` (Hong Kong's character forms), ``zh-TW`` ``s2twp`` (Taiwan's forms and
vocabulary: 資訊 for 信息, 軟體 for 软件).

Punctuation follows Traditional usage as well: ``“…”`` becomes ``「…」`` and ``‘…’``
``『…』`` in Chinese text. Text a dataset already gives in Traditional (a ``zh-Hant`` key
beside ``zh``) is used as written (see :func:`reporting.model.planner.plan`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any, Callable

from .cjk import CJK_CLASS

CONFIGS = {"zh-Hant": "s2t", "zh-HK": "s2hk", "zh-TW": "s2twp"}
"""OpenCC's configuration for each Traditional variant (by language tag)."""

_HAN = re.compile(rf"[{CJK_CLASS}]")
_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


@functools.lru_cache(maxsize=None)
def converter(tag: str) -> Callable[[str], str]:
    """A function writing Simplified Chinese text as ``tag`` (``zh-Hant``, ``zh-HK``,
    ``zh-TW``) writes it: characters, vocabulary and quotation marks. Text without Chinese
    characters is returned as it is (English quotation marks stay)."""
    try:
        import opencc
    except ImportError:
        from ..errors import AssetError

        raise AssetError(
            f"the {tag} edition needs OpenCC to write Traditional Chinese: "
            f"pip install opencc (make-report doctor lists what is missing)"
        ) from None
    convert = opencc.OpenCC(CONFIGS[tag]).convert

    def to_traditional(text: str) -> str:
        if not _HAN.search(text):
            return text
        return convert(text).translate(_QUOTES)

    return to_traditional


def map_strings(value: Any, convert: Callable[[str], str], *, rebuilt: Callable[[Any], Any] = lambda node: node) -> Any:
    """``value`` with every string inside it converted: dataclasses rebuilt (each then
    passed to ``rebuilt``, which may change it further), tuples, lists and dicts (their
    values) copied. Objects met twice are converted once (shared objects stay shared)."""
    done: dict[int, Any] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return convert(node)
        key = id(node)
        if key in done:
            return done[key]
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            changes = {f.name: walk(getattr(node, f.name)) for f in dataclasses.fields(node) if f.init}
            result = rebuilt(dataclasses.replace(node, **changes))
        elif isinstance(node, tuple) and not hasattr(node, "_fields"):
            result = tuple(walk(item) for item in node)
        elif isinstance(node, list):
            result = [walk(item) for item in node]
        elif isinstance(node, dict):
            result = {k: walk(v) for k, v in node.items()}
        else:
            return node
        done[key] = result
        return result

    return walk(value)
