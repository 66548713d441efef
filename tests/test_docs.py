"""The README is part of the product: its worked example runs, its CLI table is complete."""

import re
from pathlib import Path

import pytest

from reporting.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def it_documents_every_build_option_in_the_readme():
    table = section("Command line")
    for option in main.params:
        for name in option.opts:
            if name.startswith("--") and name != "--help":
                assert f"`{name}" in table, f"{name} is not in the README's command-line table"
    for command in main.commands:
        assert f"make-report {command}" in table


def _subcommands(group, prefix="make-report"):
    """(``make-report NAME ...``, command) for every subcommand, nested groups' commands included."""
    import click

    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _subcommands(command, f"{prefix} {name}")
        else:
            yield f"{prefix} {name}", command


def it_documents_every_subcommand_option_in_its_row():
    """Each subcommand's row of the README's table names every option --help lists for it."""
    rows = [line for line in section("Command line").splitlines() if line.startswith("| `make-report ")]
    for name, command in _subcommands(main):
        # `make-report cache [clear]` is the row of both cache and cache clear
        [row] = [line for line in rows if re.sub(r"[\[\]]", "", line).startswith((f"| `{name}`", f"| `{name} "))]
        for option in command.params:
            for opt in option.opts + option.secondary_opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in row, f"{name} {opt} is not in its row of the README's command-line table"


@pytest.mark.slow
def it_runs_the_customising_example(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from click.testing import CliRunner

    example = section("Customising for an audience")
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


def it_names_every_module_in_the_architecture_table():
    """Each module of reporting/ has a row of the README's architecture table: its folder's row names
    the file (``bars.py``) or the module (```bars```), a top-level module its own backticked name."""
    import reporting

    package = Path(reporting.__file__).parent
    rows = [line.split("|") for line in section("Architecture").splitlines() if line.startswith("| `")]
    missing = []
    for path in sorted(package.rglob("*")):
        if path.suffix not in (".py", ".js") or path.name == "__init__.py":
            continue
        folder = path.relative_to(package).parent.as_posix()
        if folder == ".":
            named = any(f"`{path.name}`" in row[1] for row in rows)
        else:
            named = any(f"{folder}/" in row[1] and (path.name in row[1] or f"`{path.stem}`" in row[2] or f"`{path.name}`" in row[2])
                        for row in rows)
        if not named:
            missing.append(path.relative_to(package).as_posix())
    assert missing == []
