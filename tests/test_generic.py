"""The toolkit serves any organisation's facts: nothing of the shipped dataset in its code or default templates."""

import re
from pathlib import Path

import reporting
from reporting.dataset.yaml_lines import read_yaml
from reporting.resources import data_dir, templates_dir

SHIPPED = data_dir() / "xiaohongshu-2020.yaml"


def _shipped_words() -> set[str]:
    """The shipped dataset's names and the ids of its facts, sections, charts and events that
    no other dataset would use by chance (an id with a digit or an underscore, or of up to four letters)."""
    document, _lines = read_yaml(SHIPPED, SHIPPED.name)
    ids: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    distinctive = {i for i in ids if re.search(r"[\d_]", i) or len(i) <= 4}
    return distinctive | {"xiaohongshu", "小红书", "rednote", document["report"]["organisation"]["en"],
                          document["report"]["organisation"]["zh"]}


def test_code_and_default_templates_name_nothing_of_the_shipped_dataset():
    words = _shipped_words()
    assert {"mau", "batch3_suits", "wuhan_views"} <= words
    pattern = re.compile("|".join(rf"(?<![\w]){re.escape(w)}(?![\w])" for w in sorted(words, key=len, reverse=True)),
                         re.IGNORECASE)
    files = [p for p in Path(reporting.__file__).parent.rglob("*") if p.suffix in {".py", ".js"}]
    files += [p for p in templates_dir().rglob("*") if p.suffix in {".html", ".css"}]
    found = [f"{p}:{n}: {m.group(0)}" for p in files
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             for m in [pattern.search(line)] if m]
    assert found == []
