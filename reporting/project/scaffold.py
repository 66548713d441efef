"""``make-report init DIR``: a report project a user can edit without touching the toolkit."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..errors import UsageError, display_path
from ..pipeline.outputs import atomic_target, write_text
from .config import CONFIG_NAME, ProjectConfig

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

    make-report --format all            # the PDF brief, HTML preview and deck into out/
    make-report --audience all          # every audience in report.toml, in parallel
    make-report audiences               # list the audiences

What to edit:

- `{dataset}` — the facts: every figure once, with unit, qualifier, date and source;
  the narrative in both languages refers to figures as `{{fact_id}}`. Your editor can
  check it as you type against `{schema}`.
- `report.toml` — the audiences: sections and their order, depth, edition
  (bilingual, zh, en), theme, page size, cover text, templates, deck master.
- `templates/brief/custom.css` — CSS loaded after the built-in stylesheet
  (for example `@page {{ size: Letter; }}`).
- `templates/brief/brief.html` — override blocks of the brief's skeleton.
- `templates/audiences/` — per-audience template folders named in report.toml.

`make-report doctor` checks the fonts and libraries; `make-report --help` lists every option.
"""


def init_project(target: Path, source: ProjectConfig) -> list[Path]:
    """Create a project in ``target`` from ``source`` (the config in force); return the files written.

    Refuses a ``target`` that exists and is not empty, so nothing is overwritten. Each
    file is written whole or not at all: one that cannot be written (a full disk) raises
    :class:`~reporting.errors.OutputError` naming it.
    """
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{display_path(target)} exists and is not empty; choose a new folder")
    written: list[Path] = []

    def write(relative: str, text: str) -> None:
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)  # complete or absent: a full disk leaves no half file
        written.append(path)

    def copy(source_path: Path, relative: str) -> None:
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(path) as temp:
            shutil.copyfile(source_path, temp)
        written.append(path)

    dataset_name = source.dataset.name
    copy(source.dataset, f"data/{dataset_name}")
    schema = source.dataset.parent / "dataset.schema.json"
    if schema.is_file():
        copy(schema, "data/dataset.schema.json")
    config_text = source.path.read_text(encoding="utf-8")
    config_text = re.sub(r'(?m)^dataset\s*=.*$', f'dataset = "data/{dataset_name}"', config_text, count=1)
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
    write("README.md", README.format(title=target.resolve().name, dataset=f"data/{dataset_name}",
                                     schema="data/dataset.schema.json"))
    return written
