"""``make-report init DIR``: a report project a user can edit without touching the toolkit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from ..dataset.load import load_dataset
from ..dataset.yaml_lines import read_yaml
from ..errors import UsageError, display_path
from ..pipeline.outputs import atomic_target, write_text
from ..resources import data_dir, templates_dir
from .config import CONFIG_NAME, ProjectConfig

STARTER = "starter.yaml"
"""The toolkit's small commented dataset (in ``data/``) that ``make-report init --blank`` starts from."""

CUSTOM_CSS = """\
/* Your CSS, loaded after the built-in stylesheet: later rules win.
 *
 * Examples:
 *   @page { size: Letter; }                       US Letter pages instead of A4
 *   .tile-value { color: #0B5394; }               key-figure colour
 *   html { font-size: 10pt; }                     larger body text
 *
 * Colours and fonts for a whole audience are better set as a theme in report.toml.
 */
"""

BRIEF_OVERRIDE = """\
{#- Your brief. It extends the built-in skeleton; override any of its blocks here:
    cover (with cover_note inside it), key_figures, sections, timeline, sources, extra_css.
    The built-in partials are in the toolkit's templates/brief/partials/; copy one
    into templates/brief/partials/ here to change it. -#}
{% extends "brief/base.html" %}

{#- Example: a line under the cover.
{% block cover_note %}<p class="note" lang="en">Embargoed until publication.</p>{% endblock %}
-#}
"""

README = """\
# {title}

A report project for `make-report`. Build it from this folder:

    {command} --format all            # the PDF brief, HTML preview and deck into out/
    {command} --audience all          # every audience in report.toml, in parallel
    {command} check                   # check dataset, report.toml and templates without building
    {command} audiences               # list the audiences
{command_note}
What to edit:

- `{dataset}` — the facts: every figure once, with unit, qualifier, date and source;
  the narrative in both languages refers to figures as `{{fact_id}}`. Your editor can
  check it as you type against `{schema}`.
- `report.toml` — the audiences: sections and their order, depth, edition
  (bilingual or zh-en, en-zh, zh, en), theme, page size, cover text, templates, deck master.
- `templates/brief/custom.css` — CSS loaded after the built-in stylesheet
  (for example `@page {{ size: Letter; }}`).
- `templates/brief/brief.html` — override blocks of the brief's skeleton.
- `templates/audiences/` — per-audience template folders named in report.toml.

`{command} doctor` checks the fonts and libraries; `{command} --help` lists every option.
"""


class _Writer:
    """Writes a project's files under its folder, recording each."""

    def __init__(self, target: Path, written: list[Path]):
        self.target = target
        self.written = written

    def write(self, relative: str, text: str) -> None:
        path = self.target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)  # complete or absent: a full disk leaves no half file
        self.written.append(path)

    def copy(self, source_path: Path, relative: str) -> None:
        path = self.target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(path) as temp:
            shutil.copyfile(source_path, temp)
        self.written.append(path)


def _refuse_existing(target: Path) -> None:
    """Nothing is overwritten: a ``target`` that exists and is not empty is refused."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{display_path(target)} exists and is not empty; choose a new folder")


def init_project(target: Path, source: ProjectConfig, *, command: str = "make-report") -> list[Path]:
    """Create a project in ``target`` from ``source`` (the config in force, its dataset and
    audiences); its README names ``command``. Return the files written.

    Refuses a ``target`` that exists and is not empty, so nothing is overwritten. Each
    file is written whole or not at all: one that cannot be written (a full disk) raises
    :class:`~reporting.errors.OutputError` naming it.
    """
    target = Path(target)
    _refuse_existing(target)
    written: list[Path] = []
    writer = _Writer(target, written)
    write, copy = writer.write, writer.copy

    dataset_name = source.dataset.name
    document, _lines = read_yaml(source.dataset, display_path(source.dataset))
    if isinstance(document, dict) and isinstance(document.get("facts_from"), str):
        # The spreadsheet its facts come from comes along.
        text, _kept = _copy_sheet(
            writer, source.dataset, document["facts_from"], source.dataset.read_text(encoding="utf-8")
        )
        write(f"data/{dataset_name}", text)
    else:
        copy(source.dataset, f"data/{dataset_name}")
    schema = source.dataset.parent / "dataset.schema.json"
    if schema.is_file():
        copy(schema, "data/dataset.schema.json")
    config_text = source.path.read_text(encoding="utf-8")
    config_text = re.sub(r"(?m)^dataset\s*=.*$", f'dataset = "data/{dataset_name}"', config_text, count=1)
    config_text = re.sub(r'(?m)^#?\s*templates\s*=\s*"templates".*$', 'templates = "templates"', config_text, count=1)
    if not re.search(r'(?m)^templates\s*=\s*"templates"', config_text):
        config_text = config_text.replace("[project]\n", '[project]\ntemplates = "templates"\n', 1)
    write(CONFIG_NAME, config_text)
    # Audience template folders named in the config come along, so its paths still hold.
    for folder in sorted(set(re.findall(r'(?m)^templates\s*=\s*"([^"]+)"', config_text))):
        origin = source.folder / folder
        if folder != "templates" and origin.is_dir():
            for path in sorted(origin.rglob("*")):
                if path.is_file():
                    copy(path, str(Path(folder) / path.relative_to(origin)))
    write("templates/brief/custom.css", CUSTOM_CSS)
    write("templates/brief/brief.html", BRIEF_OVERRIDE)
    write(
        "README.md",
        README.format(
            title=target.resolve().name,
            dataset=f"data/{dataset_name}",
            schema="data/dataset.schema.json",
            command=command,
            command_note=_command_note(command),
        ),
    )
    return written


README_OWN = """\
# {title}

A report project for `make-report`, made around `{dataset}`. Build it from this folder:

    {command} --audience all --format all   # every audience below: PDF brief, HTML preview, deck, into out/
    {command} check                         # check the dataset, report.toml and templates, without building
    {command} audiences                     # list the audiences
{command_note}
The audiences in `report.toml` were made from the dataset's own sections and key figures:

{audiences}

What to edit:

- `{dataset}` — the facts: every figure once, with unit, qualifier, date and source;
  the narrative in both languages refers to figures as `{{fact_id}}`. Your editor can
  check it as you type against `{schema}`; every field is described in the toolkit's
  `docs/dataset.md`.{sheet}
- `report.toml` — the audiences: sections and their order, depth, edition
  (bilingual or zh-en, en-zh, zh, en), theme, page size, cover text, templates, deck master. A section
  added to the dataset is added to an audience by naming it in its `sections`.
- `templates/brief/custom.css` — CSS loaded after the built-in stylesheet
  (for example `@page {{ size: Letter; }}`).
- `templates/brief/brief.html` — override blocks of the brief's skeleton.
- `templates/audiences/summary/` — the two-page summary brief.

`{command} doctor` checks the fonts and libraries of this machine; `{command} --help` lists every option.
"""


def _toml_text(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_toml_text(value) for value in values) + "]"


def own_audiences(dataset: Any, dataset_file: str) -> tuple[str, list[tuple[str, str]]]:
    """``report.toml`` for a project around ``dataset`` (a validated :class:`Dataset`) and its
    audiences as ``(name, description)``: a two-page bilingual summary, the full bilingual
    brief, a Chinese and an English edition, each naming the dataset's own sections (and the
    summary its first six key figures), so that ``--audience all`` builds as it is."""
    sections = _toml_list([section.id for section in dataset.sections])
    title = dataset.report.title
    audiences = [
        (
            "summary",
            "Two pages: key figures first, each section as its lead and talking points; a deck of at most six slides",
        ),
        ("full", "The full bilingual brief: every section, the timeline and every source"),
        ("chinese", "The full brief in Chinese"),
        ("english", "The full brief in English"),
    ]
    text = f"""\
# Project config written by `make-report init` around {dataset_file}.
# Paths are relative to this file. An audience's settings: description, edition
# (bilingual|en-zh|zh|en), depth (summary|full), sections (ids, in order), key_figures
# (fact ids), theme, page_size (A4|Letter), cover.title / cover.subtitle ({{zh, en}}),
# templates (an override folder), pptx_template (a .pptx master), max_slides.
# `make-report check` checks that every id named here is in the dataset.

[project]
dataset = {_toml_text(dataset_file)}
templates = "templates"

# A theme: unset values keep the default's. Name it in an audience as theme = "house".
# [themes.house]
# accent = "#1F5F8B"
# tint = "#EEF3F7"

[audiences.summary]
description = {_toml_text(audiences[0][1])}
edition = "bilingual"
depth = "summary"
sections = {sections}
key_figures = {_toml_list(list(dataset.key_figures[:6]))}
templates = "templates/audiences/summary"
max_slides = 6

[audiences.summary.cover]
title = {{ zh = {_toml_text(title.zh + "：摘要")}, en = {_toml_text(title.en + ": summary")} }}

[audiences.full]
description = {_toml_text(audiences[1][1])}
edition = "bilingual"
depth = "full"
sections = {sections}

[audiences.chinese]
description = {_toml_text(audiences[2][1])}
edition = "zh"
depth = "full"
sections = {sections}

[audiences.english]
description = {_toml_text(audiences[3][1])}
edition = "en"
depth = "full"
sections = {sections}
"""
    return text, audiences


def init_own_project(target: Path, dataset: Path | None, *, command: str = "make-report") -> list[Path]:
    """Create a project in ``target`` around ``dataset`` (with ``None``, the toolkit's small
    commented starter dataset): the dataset copied into ``data/`` (and the spreadsheet its
    ``facts_from`` names), the schema beside it, a ``report.toml`` whose audiences are made
    from the dataset's own sections and key figures, override templates and a README
    naming ``command``. Returns the files written.

    Raises :class:`DataError` for a dataset that does not load (a project around it would
    not build), :class:`UsageError` for a ``target`` that exists and is not empty. Each file
    is written whole or not at all (:class:`~reporting.errors.OutputError` names one that
    cannot be).
    """
    target = Path(target)
    _refuse_existing(target)
    source = Path(dataset) if dataset is not None else data_dir() / STARTER
    loaded = load_dataset(source)
    written: list[Path] = []
    writer = _Writer(target, written)
    name = source.name
    text = source.read_text(encoding="utf-8")
    sheet_note = ""
    facts_from = loaded.dataset.facts_from
    if facts_from:
        text, kept = _copy_sheet(writer, source, facts_from, text)
        sheet_note = (
            f"\n- `data/{kept}` — the facts, one a row (`facts_from` in the dataset); "
            f"`{command} facts export FILE` writes them again from the dataset."
        )
    writer.write(f"data/{name}", text)
    writer.copy(data_dir() / "dataset.schema.json", "data/dataset.schema.json")
    config, audiences = own_audiences(loaded.dataset, f"data/{name}")
    writer.write(CONFIG_NAME, config)
    writer.copy(
        templates_dir() / "audiences" / "executive" / "brief" / "brief.html",
        "templates/audiences/summary/brief/brief.html",
    )
    writer.write("templates/brief/custom.css", CUSTOM_CSS)
    writer.write("templates/brief/brief.html", BRIEF_OVERRIDE)
    listing = "\n".join(f"- `{audience}`: {description}" for audience, description in audiences)
    writer.write(
        "README.md",
        README_OWN.format(
            title=loaded.dataset.report.title.en,
            dataset=f"data/{name}",
            schema="data/dataset.schema.json",
            command=command,
            command_note=_command_note(command),
            audiences=listing,
            sheet=sheet_note,
        ),
    )
    return written


def _copy_sheet(writer: _Writer, dataset: Path, facts_from: str, text: str) -> tuple[str, str]:
    """Copy the spreadsheet a dataset takes its facts from into the project's ``data/``, beside
    the dataset as it was (a path leaving the dataset's folder is brought in beside it and
    ``facts_from`` in ``text`` rewritten). Returns the dataset's text and the sheet's path
    under ``data/``."""
    sheet = Path(facts_from)
    kept = sheet if not sheet.is_absolute() and ".." not in sheet.parts else Path(sheet.name)
    if kept != sheet:
        text = re.sub(r"(?m)^facts_from:.*$", f"facts_from: {_toml_text(kept.as_posix())}", text, count=1)
    writer.copy(dataset.parent / sheet, f"data/{kept.as_posix()}")
    return text, kept.as_posix()


def _command_note(command: str) -> str:
    if command == "make-report":
        return ""
    return (
        f"\n(`{command}` is the toolkit's command where it was installed; with that virtualenv's\n"
        f"`activate` sourced, or its `bin` folder on your PATH, it is simply `make-report`.)\n"
    )
