"""Write a dataset FACTOR times the size of another: every fact, source, section, chart
and timeline event copied with unique ids, every reference and {placeholder} pointing
at its own copy. The size test of the "bad input" work: 100 times the default builds.

    python benchmarks/make_big_dataset.py data/xiaohongshu-2020.yaml 100 /tmp/x100.yaml
    /usr/bin/time -v make-report --data /tmp/x100.yaml --format all --out /tmp/x100 --timings

Unlike ``scale_dataset.py`` (more sections over the same facts), the loader here
checks, derives and cross-references FACTOR times as many facts. Key figures and the
method paragraphs stay as they are (they name the first copy); units are shared.
"""

from __future__ import annotations

import copy
import string
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_FORMATTER = string.Formatter()


def _renamed(text: str, suffix: str) -> str:
    """``text`` with every ``{fact}`` / ``{fact:form}`` renamed to ``{fact<suffix>}``."""
    out = []
    for literal, name, spec, conversion in _FORMATTER.parse(text):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is not None:
            out.append("{" + name + suffix + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def _localized(value: dict, suffix: str) -> dict:
    return {lang: _renamed(text, suffix) if isinstance(text, str) else text for lang, text in value.items()}


def _fact(fact: dict, suffix: str) -> dict:
    twin = copy.deepcopy(fact)
    twin["id"] = fact["id"] + suffix
    twin["source"]["ref"] = fact["source"]["ref"] + suffix
    if "derived" in twin:
        twin["derived"]["from"] = [ref + suffix for ref in fact["derived"]["from"]]
        twin["derived"]["note"] = _localized(fact["derived"]["note"], suffix)
    return twin


def _section(section: dict, suffix: str, number: int) -> dict:
    twin = copy.deepcopy(section)
    twin["id"] = section["id"] + suffix
    twin["title"] = {"zh": f"{section['title']['zh']}（{number}）", "en": f"{section['title']['en']} ({number})"}
    twin["lead"] = _localized(section["lead"], suffix)
    for paragraph in twin["paragraphs"]:
        paragraph["text"] = _localized(paragraph["text"], suffix)
    twin["points"] = [_localized(point, suffix) for point in section.get("points", [])]
    twin["facts"] = [ref + suffix for ref in section.get("facts", [])]
    for chart in twin.get("charts", []):
        chart["id"] += suffix
        for category in chart["categories"]:
            for key in ("label_of", "date_of"):
                if key in category:
                    category[key] += suffix
        for series in chart["series"]:
            series["facts"] = [ref + suffix if ref is not None else None for ref in series["facts"]]
    return twin


def _event(event: dict, suffix: str) -> dict:
    twin = copy.deepcopy(event)
    twin["id"] = event["id"] + suffix
    if "date_of" in twin:
        twin["date_of"] += suffix
    twin["facts"] = [ref + suffix for ref in event.get("facts", [])]
    if "source" in twin:
        twin["source"]["ref"] += suffix
    return twin


def enlarge(data: dict[str, Any], factor: int) -> dict[str, Any]:
    """``data`` with ``factor`` copies of its facts, sources, sections and events (the first unchanged)."""
    big = copy.deepcopy(data)
    suffixes = [""] + [f"_x{number}" for number in range(2, factor + 1)]
    big["sources"] = [dict(copy.deepcopy(source), id=source["id"] + suffix)
                      for suffix in suffixes for source in data["sources"]]
    big["facts"] = [_fact(fact, suffix) for suffix in suffixes for fact in data["facts"]]
    big["sections"] = [section if not suffix else _section(section, suffix, number)
                       for number, suffix in enumerate(suffixes, 1) for section in data["sections"]]
    if data.get("timeline"):
        big["timeline"]["events"] = [_event(event, suffix) for suffix in suffixes for event in data["timeline"]["events"]]
    big["report"]["title"] = {"zh": f"{data['report']['title']['zh']}（×{factor}）",
                              "en": f"{data['report']['title']['en']} (×{factor})"}
    return big


def main(argv: list[str]) -> Path:
    if len(argv) != 3:
        sys.exit("usage: make_big_dataset.py SOURCE.yaml FACTOR TARGET.yaml")
    source, factor, target = Path(argv[0]), int(argv[1]), Path(argv[2])
    yaml = YAML(typ="safe")
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    data = yaml.load(source.read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as handle:
        yaml.dump(enlarge(data, factor), handle)
    return target


if __name__ == "__main__":
    print(main(sys.argv[1:]))
