"""The subcommands of ``make-report`` (audiences, deck-layouts, init, verify, doctor, check, schema,
facts, preview, cache), and what they share with the build: the checks of files named on the command
line and the verification table. Each translates its options into library calls; the library is
imported inside each command, so ``make-report --help`` loads none of it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .lang.editions import EDITION_NAMES as EDITIONS


def check_inputs(data: Path | None, pptx_template: Path | None, template_dirs) -> None:
    """Misuse (exit 2) is found before any work starts."""
    from .errors import UsageError, display_path

    if data is not None and not data.is_file():
        raise UsageError(f"dataset not found: {display_path(data)}")
    if pptx_template is not None and not pptx_template.is_file():
        raise UsageError(f"pptx template not found: {display_path(pptx_template)}")
    for folder in template_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"template folder not found: {display_path(folder)}")


def report_verification(outputs, dataset: Path, project_config, *, err: bool = False) -> None:
    """Print the verification table; exit 1 on any mismatch."""
    from .verify.check import VerifyResult, verify_batch, verify_outputs

    manifests = [Path(path) for path in outputs if Path(path).suffix.lower() == ".csv"]
    others = [path for path in outputs if Path(path).suffix.lower() != ".csv"]
    result = verify_outputs(others, dataset, config=project_config)
    for manifest in manifests:
        result = VerifyResult(result.checks + verify_batch(manifest, dataset).checks)
    click.echo(result.table(), err=err)
    if not result.ok:
        click.echo(f"make-report: verify: {len(result.mismatches)} mismatch(es)", err=True)
        raise click.exceptions.Exit(1)


# The project-locating options, one definition for every command that takes them.
config_option = click.option(
    "--config", "config", type=click.Path(path_type=Path, dir_okay=False), help="Project config file."
)
project_option = click.option(
    "--project", "project", type=click.Path(path_type=Path, file_okay=False), help="Project folder."
)
# Likewise the dataset and the template folders of the commands that build.
dataset_option = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Dataset YAML file. [default: the project's dataset]",
)
templates_option = click.option(
    "--templates",
    "template_dirs",
    type=click.Path(path_type=Path, file_okay=False),
    multiple=True,
    help="Folder of template overrides, searched before the built-in templates; repeatable.",
)


@click.command()
@config_option
@project_option
def audiences(config, project):
    """List the audiences of the project config, one line each.

    \b
    Example:
      make-report audiences
    """
    from .project.job import Project

    opened = Project.open(project, config=config)
    if not opened.audience_names:
        click.echo("(no audiences defined in the project config)")
        return
    rows = [("audience", "edition", "depth", "description")]
    for job in opened.jobs():
        edition = job.content.edition.value if job.content.edition else "dataset's"
        rows.append((job.name, edition, job.content.depth, job.description))
    for line in columns(rows):
        click.echo(line)


def columns(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart; the first row is a header,
    underlined. Widths count characters (the names and values here are ASCII)."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]

    def line(cells) -> str:
        return "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths)).rstrip()

    return [line(rows[0]), line("-" * width for width in widths), *(line(row) for row in rows[1:])]


@click.command("deck-layouts")
@click.argument("master", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--audience", "audience", help="Use the layout names this audience of the project config gives.")
@config_option
@project_option
def deck_layouts(master, audience, config, project):
    """List MASTER's slide layouts with their placeholders, the slide role each would serve, and the roles that fall back.

    Layouts are found by their placeholders; names given per role in report.toml
    (deck_layouts, for the project or --audience) win.

    \b
    Example:
      make-report deck-layouts corporate.pptx
    """
    from .project.job import Project
    from .render.deck.builder import describe_template

    job = Project.open(project, config=config).job(audience)
    click.echo(describe_template(master, dict(job.look.deck_layouts), job.limits))


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Start from this project config and its dataset. [default: the one in force]",
)
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Build the project around this dataset: audiences made from its own sections and figures.",
)
@click.option("--blank", is_flag=True, help="Start from a small commented dataset that builds as it is.")
def init(folder, config, data, blank):
    """Create a report project in FOLDER: a dataset, report.toml, templates to override, a README.

    With --data FILE the project is made around your dataset: a two-page summary, the
    full bilingual brief, a Chinese and an English edition, each from the dataset's own
    sections. With --blank, around a small commented dataset to start from. Otherwise
    it copies the project config in force and its dataset. Then run make-report inside
    FOLDER (or with --project FOLDER).

    \b
    Examples:
      make-report init my-brief --data figures.yaml && cd my-brief && make-report --audience all
      make-report init my-brief --blank
    """
    _init(folder, config, data, blank)


def _init(folder: Path, config: Path | None, data: Path | None, blank: bool) -> None:
    from .errors import UsageError
    from .project.config import find_config, load_config
    from .project.scaffold import init_own_project, init_project

    if sum(bool(given) for given in (config, data, blank)) > 1:
        raise UsageError("give one of --config, --data and --blank")
    check_inputs(data, None, ())
    command = _installed_command()
    if data is not None or blank:
        paths = init_own_project(folder, data, command=command)
    else:
        paths = init_project(folder, load_config(find_config(config)), command=command)
    for path in paths:
        click.echo(str(path))


def _installed_command() -> str:
    """How this toolkit's command is run on this machine, for a project's README:
    ``make-report`` when the one on PATH is this one, else the virtualenv's by its path."""
    import shutil

    beside = Path(sys.executable).parent / "make-report"
    found = shutil.which("make-report")
    if beside.is_file():
        return "make-report" if found and Path(found).resolve() == beside.resolve() else str(beside)
    return "make-report" if found else f"{sys.executable} -m reporting"


@click.command()
@click.argument("outputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Dataset YAML file to check against. [default: the project's dataset]",
)
@click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Project config (for outputs without a manifest). [default: the one in force]",
)
@project_option
def verify(outputs, data, config, project):
    """Check built PDFs, decks and HTML previews against the dataset.

    Every figure the report placed in an output must be in its text as the dataset
    formats it now, and every number in the body text must be a value of the
    dataset (years, dates, page and paragraph numbers and the like are excepted by
    rule). Prints a table; exits 1 on any mismatch.

    A recipient batch's manifest (batch-manifest.csv) stands for the outputs it lists:
    each is checked against its own recipient's figures, and must be as the batch wrote it.

    \b
    Examples:
      make-report verify out/*.pdf out/*.pptx
      make-report verify briefs/batch-manifest.csv
    """
    from .project.job import Project

    opened = Project.open(project, config=config)
    report_verification(outputs, data or opened.dataset, opened.config)


@click.command()
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also check that this machine's fonts draw this dataset's characters (the dataset itself: make-report check).",
)
def doctor(data):
    """Check that this machine can build the default report correctly.

    About the machine, not a dataset: 'make-report check' checks datasets,
    project configs and templates.

    Reports Python and library versions, the system libraries WeasyPrint needs,
    the font file each font family resolves to, and whether HarfBuzz subsetting is
    available. Exits 1 when the default report cannot be built correctly.

    \b
    Example:
      make-report doctor
    """
    from .doctor import run_checks

    checks = run_checks(data)
    width = max(len(check.name) for check in checks)
    for check in checks:
        mark = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}[check.status]
        click.echo(f"[{mark}] {check.name:<{width}}  {check.detail}")
    failed = [check for check in checks if check.status == "fail"]
    if failed:
        click.echo(f"\n{len(failed)} check(s) failed: the default report cannot be built correctly.", err=True)
        sys.exit(1)
    click.echo("\nAll required checks passed.")


@click.command()
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Dataset to check. [default: the project's dataset]",
)
@click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Project config file. [default: report.toml in the project folder]",
)
@project_option
def check(data, config, project):
    """Check the dataset, the project config and the user templates without building.

    The dataset (schema, references, placeholders, derivations, glyphs), the
    audiences of report.toml (sections, facts, themes, templates and masters that
    exist) and the syntax of every user template. Prints every problem as
    FILE:LINE: field: message, warnings among them, sorted by file and line, and exits
    1; else exits 0 after one line: 'ok: …', or with warnings (numbers typed into text
    that verify would refuse in a built output) how many there are.
    Outside any project (no report.toml), --data FILE checks that dataset alone.

    \b
    Example:
      make-report check
      make-report check --data data/new.yaml
    """
    _check(data, config, project)


def _check(data, config, project) -> None:
    from .project.check import check_project
    from .project.job import Project

    check_inputs(data, None, ())
    opened = Project.open(project, config=config)
    # Outside any project (no report.toml found), a dataset named is checked on its own,
    # not against the audiences of the toolkit's sample project.
    alone = data is not None and opened.builtin
    result = check_project(None if alone else opened.config, data)
    for line in result.lines():
        click.echo(str(line))
    if result.ok:
        click.echo(result.summary())
        return
    click.echo(f"make-report: check: {result.counted()}", err=True)
    raise click.exceptions.Exit(1)


@click.command()
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option(
    "--markdown",
    is_flag=True,
    help="The dataset format's reference in Markdown (docs/dataset.md) instead of the JSON Schema.",
)
def schema(target, markdown):
    """Print (or write to TARGET) the JSON Schema of a dataset file, or with --markdown its reference.

    \b
    Examples:
      make-report schema data/dataset.schema.json
      make-report schema --markdown docs/dataset.md
    """
    text = _schema_text(markdown)
    if target is None:
        click.echo(text, nl=False)
    else:
        from .pipeline.outputs import write_text

        write_text(Path(target), text)
        click.echo(str(target))


@click.group()
def facts():
    """The dataset's facts as a spreadsheet, for the people who own the numbers.

    \b
    Example:
      make-report facts export figures.xlsx
    """


@facts.command("export")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Dataset whose facts to export. [default: the project's dataset]",
)
@config_option
@project_option
def facts_export(target, data, config, project):
    """Write the dataset's facts to TARGET (.xlsx or .csv), one fact a row.

    A dataset reads such a sheet back with 'facts_from: TARGET' in place of its facts
    list, and builds the same report. Derived figures keep their rule, not a value.

    \b
    Examples:
      make-report facts export figures.xlsx
      make-report facts export --data data/acme.yaml figures.csv
    """
    _facts_export(target, data, config, project)


def _facts_export(target: Path, data: Path | None, config: Path | None, project: Path | None) -> None:
    import os

    from .dataset.load import load_dataset
    from .pipeline.build import source_date_epoch
    from .pipeline.exports import export_facts
    from .project.config import find_config, load_config

    check_inputs(data, None, ())
    dataset = data or load_config(find_config(config, project)).dataset
    timestamp = source_date_epoch(os.environ)
    click.echo(str(export_facts(load_dataset(dataset).dataset.facts, target, timestamp=timestamp)))


def _schema_text(markdown: bool) -> str:
    import json

    from .dataset.facts import json_schema

    if markdown:
        from .dataset.docs import render_markdown

        return render_markdown(json_schema())
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


@click.command()
@click.option("--audience", "audience", help="Audience of the project config to show first. [default: every section]")
@click.option("--lang", "edition", type=click.Choice(EDITIONS), help="Edition to show first. [default: the audience's]")
@dataset_option
@config_option
@project_option
@templates_option
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), help="Paper size of the PDF brief.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on; 0 takes any free one.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine's own lets others on the network read the report.",
)
@click.option(
    "--open/--no-open", "open_browser", default=True, show_default=True, help="Open the page in the web browser."
)
@click.option("--no-cache", "no_cache", is_flag=True, help="Keep drawn charts in memory only, not on disk.")
def preview(audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser, no_cache):
    """Serve the HTML preview at http://127.0.0.1:PORT/ and refresh it on every save.

    Watches the dataset, report.toml and the template and asset folders; a change
    renders the page again (charts from the cache) and open pages refresh in place,
    keeping their scroll position. A bad edit shows its problems, one
    FILE:LINE: field: message each, over the last good page. The toolbar switches
    audience and edition and builds brief.pdf and deck.pptx on request. Ctrl-C stops.

    \b
    Example:
      make-report preview --audience executive
    """
    _preview(audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser, no_cache)


def _preview(
    audience, edition, data, config, project, template_dirs, page_size, port, host, open_browser, no_cache
) -> None:
    import os

    from .pipeline.build import chart_cache_dir, source_date_epoch
    from .errors import UsageError
    from .preview import PortInUse, Selection, Settings, serve

    check_inputs(data, None, template_dirs)
    settings = Settings(
        config=config,
        project=project,
        data=data,
        template_dirs=tuple(template_dirs),
        page_size=page_size,
        chart_cache=None if no_cache else chart_cache_dir(os.environ),
        source_date_epoch=source_date_epoch(os.environ),
    )
    try:
        initial = Selection.parse(audience, edition)
    except UsageError as error:
        raise UsageError(f"--audience: {error}") from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"make-report: warning: listening on {host}: anyone who can reach this machine "
            f"on port {port} can read the report",
            err=True,
        )

    def ready(url: str) -> None:
        click.echo(url)
        click.echo(
            "make-report: preview: watching the dataset, report.toml, templates and assets; Ctrl-C stops", err=True
        )
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        serve(
            settings,
            initial,
            host=host,
            port=port,
            on_ready=ready,
            log=lambda line: click.echo(f"make-report: preview: {line}", err=True),
        )
    except PortInUse as error:
        click.echo(f"make-report: error: {error}", err=True)  # one line: nothing to add
        raise click.exceptions.Exit(2) from None
    click.echo("make-report: preview stopped", err=True)


@click.group(invoke_without_command=True)
@click.pass_context
def cache(ctx):
    """Show the chart cache: its folder, how many charts it holds, their size and the limit.

    Charts drawn by earlier runs are kept in $XDG_CACHE_HOME/reporting/charts
    (~/.cache/reporting/charts), keyed on everything that shapes them, and the folder
    is kept under its limit (least recently used first). 'make-report cache clear'
    empties it; --no-cache on a build neither reads nor writes it.

    \b
    Examples:
      make-report cache
      make-report cache clear
    """
    if ctx.invoked_subcommand is not None:
        return
    import os

    from .pipeline.build import chart_cache_dir
    from .charts.cache import DEFAULT_MAX_BYTES, usage

    held = usage(chart_cache_dir(os.environ))
    click.echo(
        f"{held.folder}: {held.files} chart{'s' if held.files != 1 else ''}, "
        f"{_megabytes(held.bytes)} of at most {_megabytes(DEFAULT_MAX_BYTES)}"
    )


@cache.command("clear")
def cache_clear():
    """Remove every chart of the chart cache (the next build draws them afresh)."""
    import os

    from .pipeline.build import chart_cache_dir
    from .charts.cache import clear

    removed = clear(chart_cache_dir(os.environ))
    click.echo(
        f"{removed.folder}: removed {removed.files} chart{'s' if removed.files != 1 else ''}, "
        f"{_megabytes(removed.bytes)}"
    )


def _megabytes(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


COMMANDS = (audiences, deck_layouts, init, verify, doctor, check, schema, facts, preview, cache)
"""Every subcommand, registered on :func:`reporting.cli.main`."""
