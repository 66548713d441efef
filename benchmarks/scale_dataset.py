"""Write a dataset with N times the sections of another: the scaling benchmark's input.

Each copy of a section gets new section and chart ids and a numbered title; the facts
are shared, so every copy charts and cites the same figures.

    python benchmarks/scale_dataset.py data/xiaohongshu-2020.yaml 10 /tmp/x10.yaml
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from ruamel.yaml import YAML


def scale(source: Path, factor: int, target: Path) -> Path:
    yaml = YAML(typ="safe")
    data = yaml.load(source.read_text(encoding="utf-8"))
    sections = data["sections"]
    scaled = []
    for copy_number in range(1, factor + 1):
        for section in sections:
            twin = copy.deepcopy(section)
            if copy_number > 1:
                twin["id"] = f"{section['id']}_{copy_number}"
                twin["title"] = {lang: f"{text} ({copy_number})" for lang, text in section["title"].items()}
                for chart in twin.get("charts", []):
                    chart["id"] = f"{chart['id']}_{copy_number}"
            scaled.append(twin)
    data["sections"] = scaled
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: scale_dataset.py SOURCE.yaml FACTOR TARGET.yaml")
    print(scale(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
