"""Small datasets for tests: the minimal fixture with facts, units or text changed."""

from __future__ import annotations

import copy
from pathlib import Path

from ruamel.yaml import YAML

from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.lang.numbers import plain

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


def write(tmp_path: Path, change) -> Path:
    """The minimal fixture with ``change(document)`` applied, written to ``tmp_path``."""
    yaml = YAML(typ="safe")
    document = yaml.load(MINIMAL.read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    change(document)
    path = tmp_path / "dataset.yaml"
    with path.open("w", encoding="utf-8") as out:
        YAML().dump(document, out)
    return path


def with_facts(units: dict, facts: list[dict], text: dict | None = None):
    def change(document):
        document["units"].update(units)
        for fact in facts:
            fact.setdefault("label", {"zh": fact["id"], "en": fact["id"]})
            fact.setdefault("source", {"ref": "report", "paragraph": 1})
        document["facts"].extend(facts)
        if text is not None:
            document["sections"][0]["paragraphs"][0]["text"] = text
    return change


def filled(tmp_path, units, facts, text) -> dict[str, str]:
    loaded = load_dataset(write(tmp_path, with_facts(units, facts, text)))
    paragraph = plan(loaded, "bilingual").sections[0].paragraphs[0]
    return {phrase.lang: plain(phrase.text) for phrase in paragraph}
