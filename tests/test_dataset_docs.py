"""docs/dataset.md is the dataset format's reference, written from the models: it cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from reporting.cli import main
from reporting.dataset.docs import render_markdown
from reporting.dataset.facts import json_schema
from reporting.resources import data_dir

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "dataset.md"
SCHEMA = json.loads((data_dir() / "dataset.schema.json").read_text(encoding="utf-8"))


def models(schema: dict) -> dict[str, dict]:
    return {"Dataset": schema, **schema["$defs"]}


def it_is_written_from_the_models_as_they_are_now():
    assert DOC.read_text(encoding="utf-8") == render_markdown(json_schema()), \
        "the models changed: run make-report schema --markdown docs/dataset.md"


def it_names_every_property_of_the_published_schema_under_its_model():
    doc = DOC.read_text(encoding="utf-8")
    for name, model in models(SCHEMA).items():
        start = doc.index(f"\n## {name}\n")
        end = doc.find("\n## ", start + 1)
        part = doc[start:end if end > 0 else None]
        for field in model.get("properties", {}):
            assert re.search(rf"^\| `{re.escape(field)}` \|", part, re.M), f"{name}.{field} is not documented"


def it_has_a_description_and_an_example_for_every_field():
    """A field added without them fails here: whoever adds a field documents it."""
    for name, model in models(json_schema()).items():
        assert model.get("description"), f"{name} has no docstring"
        for field, prop in model.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{field} has no description"
            names_a_model = any(ref in json.dumps(prop) for ref in ('"$ref": "#/$defs/',))
            refers_to_enum = all(
                "enum" in SCHEMA["$defs"].get(ref, {}) for ref in re.findall(r'#/\$defs/(\w+)', json.dumps(prop)))
            if not names_a_model or refers_to_enum:
                assert prop.get("examples"), f"{name}.{field} has no example"


def it_gives_type_default_and_allowed_values():
    doc = DOC.read_text(encoding="utf-8")
    assert re.search(r"^\| `qualifier` \| text \| default exact \| one of `exact`, `over`, `nearly`, `about`, "
                     r"`under`, `up_to`, `at_least` \|", doc, re.M)
    assert re.search(r"^\| `precision` \| whole number or \[PerLanguage\]\(#perlanguage\) or null \| optional \| "
                     r"0 to 4 \|", doc, re.M)
    assert re.search(r"^\| `kind` \| text \| required \| one of `bar`, `column`, `stacked_column`, `line`, "
                     r"`doughnut` \|", doc, re.M)
    assert re.search(r"^\| `en` \| text \| required \| not empty \| The English text \| `Annual brief` \|", doc, re.M)
    assert "Where: `sections[].charts[]`" in doc


def it_keeps_the_order_examples_are_written_in():
    label = json_schema()["$defs"]["Fact"]["properties"]["label"]
    assert list(label["examples"][0]) == ["zh", "en"]


def it_prints_the_reference_from_the_command_line():
    result = CliRunner().invoke(main, ["schema", "--markdown"])
    assert result.exit_code == 0
    assert result.output == DOC.read_text(encoding="utf-8")


def it_is_linked_from_the_readme():
    assert "(docs/dataset.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def it_names_every_placeholder_form_and_when_to_quote():
    """A new user writing narrative from the reference alone finds every placeholder form
    the loader takes, and that text opening with a placeholder must be quoted in YAML."""
    text = render_markdown(json_schema())
    for form in ("{id:number}", "{id:size}", "{id:change}", "{id:date}", "{id:label}", "{=Fortune 500}"):
        assert form in text, form
    assert "quote text that starts with a" in text
    paragraph = json_schema()["$defs"]["Paragraph"]["properties"]["text"]["description"]
    assert "{id:change}" in paragraph and "{id:size}" in paragraph
