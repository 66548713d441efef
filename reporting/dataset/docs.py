"""``docs/dataset.md``: the dataset format's reference, written from the JSON Schema.

The schema is made from the pydantic models (:func:`reporting.dataset.facts.json_schema`), so
every field's type, default, allowed values, description and example here are the
models' own: a field added to a model appears in the reference the next time it is
written (``make-report schema --markdown docs/dataset.md``), and a test fails until it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .facts_sheet import fact_columns
from .readertext import KINDS, OUTPUT_PLACES, PLACES
from .textnumbers import NAME_RULE, RULE_EXAMPLES

INTRO = """\
# The dataset format

A dataset is one YAML file (UTF-8) holding an organisation's figures once, each with its unit,
qualifier, date, bilingual label and source, and the narrative, charts and timeline that refer
to them by id. This reference lists every field, from the top of the file down. It is written
from the dataset schema (`data/dataset.schema.json`, made from the models in the toolkit) by
`make-report schema --markdown docs/dataset.md`; do not edit it by hand.

Put this first line in a dataset and editors that read JSON Schema (VS Code's YAML extension,
JetBrains IDEs) check it as you type and show these descriptions on hover:

```yaml
# yaml-language-server: $schema=dataset.schema.json
```

Text in both languages is a mapping `{zh: …, en: …}`. Quote text that holds `,` or `: `
(`en: "Note: estimates"`): unquoted, YAML ends the text there; quote text that starts with a
placeholder too (`zh: "{users}人次"`): unquoted, YAML reads the `{` as the start of a mapping.
Narrative refers to figures as `{id}` (the figure with its qualifier and unit), `{id:number}`,
`{id:size}` (without its sign), `{id:change}` (`down 3.0%` / `下降3.0%`), `{id:date}` or
`{id:label}`; `{=Fortune 500}` is a number meant as words.
`make-report check` checks a dataset without building; `make-report init DIR --blank` writes a
small commented one to start from.
"""


def render_markdown(schema: dict[str, Any]) -> str:
    """The reference for ``schema`` (a dataset JSON Schema) as Markdown."""
    defs = schema.get("$defs", {})
    order, where = _walk(schema, defs)
    out = [INTRO, "## Contents\n"]
    for name in order:
        out.append(
            f"- [`{name}`](#{_anchor(name)}): {_first_sentence(_model(schema, defs, name).get('description', ''))}"
        )
    out.append("")
    for name in order:
        model = _model(schema, defs, name)
        out.append(f"## {name}\n")
        if model.get("description"):
            out.append(_clean(model["description"]) + "\n")
        places = where.get(name) or ["the top of the file"]
        out.append(
            "Where: " + ", ".join(f"`{place}`" if place != "the top of the file" else place for place in places) + "\n"
        )
        if "enum" in model:
            out.append("Allowed values: " + ", ".join(f"`{value}`" for value in model["enum"]) + "\n")
            continue
        required = set(model.get("required", []))
        # {"anyOf": [{"required": ["facts"]}, {"required": ["facts_from"]}]}: one of them.
        either = [option["required"][0] for option in model.get("anyOf", []) if option.get("required")]
        out.append("| field | type | required / default | allowed values | description | example |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        for field, prop in model.get("properties", {}).items():
            out.append(
                "| "
                + " | ".join(
                    _cell(text)
                    for text in (
                        f"`{field}`",
                        _type(prop, defs),
                        "required"
                        if field in required
                        else "required, or " + " or ".join(f"`{other}`" for other in either if other != field)
                        if field in either
                        else _default(prop),
                        _allowed(prop, defs),
                        _clean(prop.get("description", "")),
                        _example(prop),
                    )
                )
                + " |"
            )
        extra = _extra_rules(model)
        if extra:
            out.append("\n" + extra)
        out.append("")
    out.append(_sheet_section())
    out.append(_numbers_section())
    return "\n".join(out).rstrip() + "\n"


_KINDS = {
    "text": "text",
    "number": "a number: typed, or text such as `1,234` or `5.2%`; a cell formatted as a percentage gives "
    "the percentage it shows (0.052 shown as 5.2% is 5.2)",
    "integer": "a whole number",
    "date": "a date cell (a day, a month or a year, as its format shows), an Excel serial number, a year, "
    "or text `YYYY-MM-DD`, `YYYY-MM`, `YYYY`",
    "bool": "`true` or `false`",
    "ids": "fact ids separated by commas",
    "lines": "one item a line (Alt+Enter in Excel), as many lines as the other language's column",
}


def _sheet_section() -> str:
    """The columns of a facts spreadsheet, from the same models."""
    rows = "\n".join(
        f"| `{column.name}` | `{'.'.join(column.path)}` | {'required' if column.required else 'optional'} | "
        f"{_KINDS[column.kind]} |"
        for column in fact_columns()
    )
    return f"""## Facts from a spreadsheet

Instead of a `facts:` list, a dataset may name a spreadsheet: `facts_from: figures.xlsx` (or
`.csv`), relative to the dataset. Narrative, charts and sections stay in the YAML and refer to the
same ids. `make-report facts export figures.xlsx` writes a dataset's facts in this form.

The header is the first row with a column `id` (rows above it, such as a title, are skipped);
then one fact a row. In a workbook the sheet named `Facts` is read, else the first. Empty rows
and rows whose first cell starts with `#` are skipped, and so are columns whose header starts
with `#` (notes for people). A formula gives the value the file saved for it; a cell merged
down a column gives its value to every row of the merge. A CSV file is UTF-8 (Excel: "CSV
UTF-8"). Problems name the cell: `figures.xlsx:Facts!C12: value: …`, or the line of a CSV
file: `figures.csv:12: value: …`.

| column | field | required | how it is read |
| --- | --- | --- | --- |
{rows}
"""


def _model(schema: dict[str, Any], defs: dict[str, Any], name: str) -> dict[str, Any]:
    return schema if name == schema.get("title_name", "Dataset") and name not in defs else defs[name]


def _walk(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
    """Models in the order a reader meets them from the top of the file, and where each is used."""
    order = ["Dataset"]
    where: dict[str, list[str]] = {}
    queue: list[tuple[str, dict[str, Any], str]] = [("Dataset", schema, "")]
    while queue:
        _name, model, prefix = queue.pop(0)
        for field, prop in model.get("properties", {}).items():
            for ref, suffix in _refs(prop):
                path = f"{prefix}{field}{suffix}"
                where.setdefault(ref, [])
                if path not in where[ref]:
                    where[ref].append(path)
                if ref not in order:
                    order.append(ref)
                    queue.append((ref, defs[ref], path + "."))
    return order, where


def _refs(prop: dict[str, Any], suffix: str = "") -> list[tuple[str, str]]:
    found = []
    if "$ref" in prop:
        found.append((prop["$ref"].rsplit("/", 1)[-1], suffix))
    for option in prop.get("anyOf", []):
        found += _refs(option, suffix)
    if "items" in prop:
        found += _refs(prop["items"], suffix + "[]")
    for value in _mapping_values(prop):
        found += _refs(value, suffix + ".<id>")
    return found


def _mapping_values(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas of a mapping's values (``dict[Id, Unit]`` gives ``patternProperties``)."""
    values = list(prop.get("patternProperties", {}).values())
    if isinstance(prop.get("additionalProperties"), dict):
        values.append(prop["additionalProperties"])
    return values


def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return "text" if "enum" in defs.get(name, {}) else f"[{name}](#{_anchor(name)})"
    if "anyOf" in prop:
        kinds = [_type(option, defs) for option in prop["anyOf"] if option.get("type") != "null"]
        nullable = any(option.get("type") == "null" for option in prop["anyOf"])
        return " or ".join(dict.fromkeys(kinds)) + (" or null" if nullable else "")
    if "const" in prop:
        return "number" if isinstance(prop["const"], (int, float)) else "text"
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type(prop.get('items', {}), defs)}"
    if kind == "object":
        values = _mapping_values(prop)
        return f"mapping of id to {_type(values[0], defs)}" if values else "mapping"
    return {
        "string": "text",
        "number": "number",
        "integer": "whole number",
        "boolean": "true or false",
        None: "any",
    }.get(kind, str(kind))


def _allowed(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    notes = []
    if "$ref" in prop and "enum" in defs.get(prop["$ref"].rsplit("/", 1)[-1], {}):
        notes.append("one of " + ", ".join(f"`{v}`" for v in defs[prop["$ref"].rsplit("/", 1)[-1]]["enum"]))
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            inner = _allowed(option, defs)
            if inner:
                notes.append(inner)
    if "enum" in prop:
        notes.append("one of " + ", ".join(f"`{v}`" for v in prop["enum"]))
    if "const" in prop:
        notes.append(f"`{prop['const']}`")
    if "pattern" in prop:
        notes.append(_pattern(prop["pattern"]))
    if "maxLength" in prop:
        notes.append(f"at most {prop['maxLength']} characters")
    if "minLength" in prop:
        notes.append("not empty")
    if "minimum" in prop and "maximum" in prop:
        notes.append(f"{prop['minimum']} to {prop['maximum']}")
    elif "minimum" in prop:
        notes.append(f"at least {prop['minimum']}")
    elif "maximum" in prop:
        notes.append(f"at most {prop['maximum']}")
    if "minItems" in prop:
        notes.append(f"at least {prop['minItems']} item{'s' if prop['minItems'] != 1 else ''}")
    if prop.get("type") == "array":
        inner = _allowed(prop.get("items", {}), defs)
        if inner:
            notes.append("each: " + inner)
    if prop.get("type") == "object":
        keys = {
            **prop.get("propertyNames", {}),
            **({"pattern": next(iter(prop["patternProperties"]))} if prop.get("patternProperties") else {}),
        }
        if keys:
            notes.append("keys: " + _allowed(keys, defs))
    return "; ".join(dict.fromkeys(note for note in notes if note))


_PATTERNS = {
    "^[a-z][a-z0-9_]*$": "an id: lowercase letters, digits and `_`, starting with a letter",
    "^[a-z0-9][a-z0-9_-]*$": "lowercase letters, digits, `_` and `-`",
}


def _pattern(pattern: str) -> str:
    return _PATTERNS.get(pattern, f"matching `{pattern}`")


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return "optional"
    return "default " + _yaml(prop["default"]) if prop["default"] is not None else "optional"


def _example(prop: dict[str, Any]) -> str:
    examples = prop.get("examples")
    return f"`{_yaml(examples[0])}`" if examples else ""


def _yaml(value: Any) -> str:
    """A value as YAML flow text: ``{zh: 年度简报, en: Annual brief}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_yaml(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    if text == "" or re.search(r"[,:{}\[\]#&*!|>'\"%@`]|^\s|\s$|^(true|false|null|~|-?\d[\d.eE+-]*)$", text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _extra_rules(model: dict[str, Any]) -> str:
    rules = model.get("x-rules")
    return "\n".join(f"- {rule}" for rule in rules) if rules else ""


def _clean(text: str) -> str:
    """Docstring text as one Markdown paragraph (reST ``code`` as Markdown `code`)."""
    return re.sub(r"\s+", " ", text.replace("``", "`")).strip()


def _first_sentence(text: str) -> str:
    text = _clean(text)
    match = re.match(r"(.+?[.:;])(\s|$)", text)
    return (match.group(1) if match else text).rstrip(":;.") if text else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _anchor(name: str) -> str:
    return name.lower()


def _numbers_section() -> str:
    """Which texts are checked for numbers, how, and the rules that except a number."""
    places = "\n".join(f"| `{path}` | {kind} | {where} |" for path, kind, where in PLACES)
    kinds = "\n".join(f"- **{kind}**: {text}" for kind, text in KINDS.items())
    outputs = "\n".join(f"| {kind} | {where} |" for kind, where in OUTPUT_PLACES)
    rules = "\n".join(f"| {rule} | {examples} |" for rule, examples in RULE_EXAMPLES.items())
    return f"""## Numbers in text

Every text a reader sees is checked for numbers. `make-report check` (and every build) warns of a
number typed into any of the places below that is no figure of the dataset, naming file, line
and field (`data.yaml:406: sections[0].charts[0].title.en: warning: '250 billion' is typed into the
text but is no figure of the dataset; …`); `make-report verify` reads the same texts back out of the
built outputs and reports a number in them that is no figure of the dataset. A figure is a value
of a fact, as stored or as any language prints it (`211,915` million is `211.92 billion` and
`2119.15亿`). Words holding a number are written inside `{{=…}}` in any of these texts
(`{{=Windows 11}}`, `{{=Fortune 500}}`): printed without the braces, and taken as words.

{kinds}

| field | kind | where a reader sees it |
| --- | --- | --- |
{places}

In the built outputs, verify reads:

| output | what is read |
| --- | --- |
{outputs}

A number is no figure, and is not checked, when one of these rules excepts it:

| rule | examples |
| --- | --- |
{rules}

**Names.** {NAME_RULE}
"""
