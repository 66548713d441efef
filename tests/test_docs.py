"""The documentation is part of the product: the site builds strictly, its generated references
cover the code, its examples run, and the README stays a short front door."""

import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reporting.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def _subcommands(group, prefix="make-report"):
    """(``make-report NAME ...``, command) for every subcommand, nested groups' commands included."""
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from _subcommands(command, f"{prefix} {name}")


# -- the README ---------------------------------------------------------------------------

def it_keeps_the_readme_a_front_door():
    assert len(README.splitlines()) <= 200
    quick = README[README.index("## Quick start\n"):README.index("\n## ", README.index("## Quick start\n") + 1)]
    [commands] = blocks(quick, "sh")
    assert "scripts/quickstart report" in commands and "scripts/quickstart test" in commands
    [example] = blocks(README, "python")
    assert len(example.strip().splitlines()) <= 12
    assert "(docs/dataset.md)" in README


def it_links_only_to_pages_that_exist():
    for text, base in [(README, ROOT), *((p.read_text(encoding="utf-8"), p.parent) for p in DOCS.rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "#")):
                continue
            path = (base / target.split("#")[0]).resolve()
            assert path.exists(), f"a link to {target} from {base}"


def it_puts_every_page_in_the_site_navigation():
    """A page written into docs/ (by anyone) is reachable from the site's menu."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, flags=re.M))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert pages - listed == set()
    assert listed - pages == set()


# -- the references -------------------------------------------------------------------------

def it_names_every_command_in_the_commands_page():
    """The hand-written overview names each command (the generated page has every option)."""
    text = page("reference/commands.md")
    for name, _command in _subcommands(main):
        assert f"`{name}" in text, f"{name} is not in docs/reference/commands.md"


def it_names_every_module_in_the_architecture_page():
    """Each module of reporting/ has a row of the architecture table: its folder's row names
    the file (``bars.py``) or the module (```bars```), a top-level module its own backticked name."""
    import reporting

    package = Path(reporting.__file__).parent
    rows = [line.split("|") for line in page("contributing/architecture.md").splitlines() if line.startswith("| `")]
    missing = []
    for path in sorted(package.rglob("*")):
        if path.suffix not in (".py", ".js") or path.name == "__init__.py":
            continue
        folder = path.relative_to(package).parent.as_posix()
        if folder == ".":
            named = any(f"`{path.name}`" in row[1] for row in rows)
        else:
            named = any(f"{folder}/" in row[1] and (path.name in row[1] or f"`{path.stem}`" in row[2]
                                                    or f"`{path.name}`" in row[2]) for row in rows)
        if not named:
            missing.append(path.relative_to(package).as_posix())
    assert missing == []


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site, built as CI builds it: ``mkdocs build --strict`` (a warning fails it)."""
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
                            cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ,
                                                                           "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


def _text(html_file: Path) -> str:
    import html

    inline = re.sub(r"</?(code|a|em|strong|span)\b[^>]*>", "", html_file.read_text(encoding="utf-8"))
    return html.unescape(re.sub(r"<[^>]+>", " ", inline))


@pytest.mark.slow
def it_builds_the_site_with_a_command_line_reference_of_every_option(site):
    """Generated from click: every command and option as the code has them now."""
    text = _text(site / "reference/cli/index.html")
    for name, command in [("make-report", main), *_subcommands(main)]:
        assert name in text, name
        for option in command.params:
            for opt in option.opts + option.secondary_opts:
                if opt.startswith("--"):
                    assert opt in text, f"{name} {opt}"
        if command.help:
            assert command.help.split("\n")[0].strip()[:40] in text, name


@pytest.mark.slow
def it_builds_the_site_with_the_python_api_from_the_docstrings(site):
    from reporting.project.job import Job, Project

    text = _text(site / "reference/api/index.html")
    for documented in (Project.job, Project.open, Job.build):
        first = documented.__doc__.strip().split("\n")[0].split(":")[0].replace("`", "")  # up to a role
        assert len(first) > 20 and " ".join(first.split()) in " ".join(text.split()), documented.__qualname__


@pytest.mark.slow
def it_builds_the_site_with_the_dataset_format_from_the_schema(site):
    from reporting.dataset.docs import render_markdown
    from reporting.dataset.facts import json_schema

    assert page("dataset.md") == render_markdown(json_schema())  # also tests/test_dataset_docs.py
    assert "facts_from" in _text(site / "dataset/index.html")


# -- the examples run -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def my_brief(tmp_path_factory) -> Path:
    """A folder holding ``my-brief``, the project ``make-report init my-brief`` makes."""
    folder = tmp_path_factory.mktemp("examples")
    result = CliRunner().invoke(main, ["init", str(folder / "my-brief")])
    assert result.exit_code == 0, result.output
    return folder


def _run_examples(markdown: Path, folder: Path) -> dict:
    result = subprocess.run([sys.executable, str(ROOT / "tests/doc_examples.py"), str(markdown), str(folder)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def it_runs_the_readmes_python_example_without_forking(my_brief):
    """The README's example, in a project made by ``make-report init``, writes a PDF, prints
    what its comments say, and forks no process (a library build runs in the caller's: the
    programs it runs are the libraries' own look-ups, fontconfig's and ctypes', no Python)."""
    pypdf = pytest.importorskip("pypdf")
    ran = _run_examples(ROOT / "README.md", my_brief)
    assert ran["blocks"] == 1
    assert ran["mismatches"] == []
    assert ran["forks"] == 0
    assert not [name for name in ran["programs"] if "python" in name], ran["programs"]
    pdf = my_brief / "my-brief/out/xiaohongshu-2020_press_en.pdf"
    reader = pypdf.PdfReader(pdf)
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (612, 792)  # Letter
    assert "Xiaohongshu" in "".join(p.extract_text() for p in reader.pages[:2])


@pytest.mark.slow
def it_runs_the_python_guide(my_brief):
    ran = _run_examples(DOCS / "guides/python.md", my_brief)
    assert ran["blocks"] == 2
    assert ran["mismatches"] == []
    assert ran["forks"] == 0 and not [name for name in ran["programs"] if "python" in name]


@pytest.mark.slow
def it_runs_the_customising_example(tmp_path):
    pypdf = pytest.importorskip("pypdf")

    example = page("guides/audiences.md")
    [toml] = blocks(example, "toml")
    [template] = blocks(example, "jinja")
    [css] = blocks(example, "css")
    project = tmp_path / "investor-brief"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    with (project / "report.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + toml)
    override = project / "templates/investors/brief/brief.html"
    override.parent.mkdir(parents=True)
    override.write_text(template, encoding="utf-8")
    with (project / "templates/brief/custom.css").open("a", encoding="utf-8") as custom:
        custom.write(css)
    result = runner.invoke(main, ["--project", str(project), "--audience", "investors", "--format", "pdf",
                                  "--format", "html"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pdf = project / "out/xiaohongshu-2020_investors_en.pdf"
    reader = pypdf.PdfReader(pdf)
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (612, 792)
    assert "Embargoed until 9:00 ET." in first.extract_text()
    html = (project / "out/xiaohongshu-2020_investors_en.html").read_text(encoding="utf-8")
    import base64

    charts = [base64.b64decode(data).decode("utf-8")
              for data in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
    assert "#0b5394" in html.lower()  # the theme's accent in the CSS
    assert charts and all("#0b5394" in chart.lower() for chart in charts)  # and in every chart
    assert "Helping to end rural poverty" not in html
