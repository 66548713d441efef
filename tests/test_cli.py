"""make-report as a user meets it: options, exit statuses, messages, no tracebacks."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args, cwd=None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), catch_exceptions=False)
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(main, list(args), catch_exceptions=False)


def it_documents_every_option_in_help():
    result = run("--help")
    assert result.exit_code == 0
    for option in main.params:
        for name in option.opts:
            assert name in result.output, f"{name} missing from --help"
        if isinstance(option, __import__("click").Option):
            assert option.help, f"{option.name} has no help text"
    for command in ("doctor", "audiences", "init", "schema"):
        assert command in result.output
        assert main.commands[command].help and "Example" in main.commands[command].help


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "docx"], "docx"),
        (["--lang", "fr"], "fr"),
        (["--audience", "nobody"], "unknown audience 'nobody'"),
        (["--data", "missing.yaml"], "dataset not found"),
        (["--templates", "no-such-folder"], "template folder not found"),
        (["--pptx-template", "no.pptx"], "pptx template not found"),
    ],
)
def it_exits_2_with_a_hint_on_misuse(tmp_path, args, needle):
    result = run(*args, "--out", str(tmp_path))
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def it_lists_the_audiences_that_exist_for_an_unknown_one(tmp_path):
    result = run("--audience", "nobody", "--out", str(tmp_path))
    assert "executive, press, partners, public_welfare" in result.output


def it_exits_2_for_an_unwritable_out_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("--out", str(blocker / "sub"), "--format", "html")
    assert result.exit_code == 2
    assert "cannot create output folder" in result.output


def it_exits_1_naming_file_line_and_field_for_a_bad_dataset(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("value: 2500000", "value: lots"),
                   encoding="utf-8")
    result = run("--data", str(bad), "--out", str(tmp_path / "out"), "--format", "html")
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+: facts\[0\]\.value: Input should be a valid number", result.output)
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def it_writes_html_and_prints_each_path(tmp_path):
    result = run("--data", str(FIXTURES / "minimal.yaml"), "--format", "html", "--lang", "en",
                 "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = tmp_path / "acme-2024_default_en.html"
    assert result.output.strip() == str(written)
    assert "over 2.5 million users" in written.read_text(encoding="utf-8")


def it_lists_audiences_with_a_description_each():
    result = run("audiences")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["executive", "press", "partners", "public_welfare"]
    assert all(len(line) > 40 for line in lines)


def it_reports_the_machine_in_doctor():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert re.search(r"font Noto Sans CJK SC\s+/\S+\.tt[cf]", result.output)
    assert "harfbuzz-subset" in result.output
    assert re.search(r"\[ok  \] libyaml\s+datasets are parsed by ruamel.yaml's C parser", result.output)


def it_prints_the_dataset_schema():
    result = run("schema")
    assert result.exit_code == 0
    assert '"title": "Report facts dataset"' in result.output


def it_keeps_help_light_by_importing_renderers_lazily():
    import subprocess
    import sys

    code = ("import sys; from reporting.cli import main; import reporting; "
            "heavy = [m for m in ('weasyprint', 'matplotlib', 'pptx', 'pydantic') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def it_runs_the_doctor_without_the_heavy_libraries():
    """The doctor answers in well under a second: it loads Pango and HarfBuzz with ctypes and
    reads the dataset's strings, without importing the renderers or the schema."""
    import subprocess
    import sys

    code = ("import sys; from reporting.cli import main\n"
            "try: main(['doctor'])\n"
            "except SystemExit: pass\n"
            "heavy = [m for m in ('weasyprint', 'matplotlib', 'pptx', 'pydantic') if m in sys.modules]\n"
            "print('heavy:' + ','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "All required checks passed." in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "heavy:"


def it_fails_the_doctor_for_a_dataset_that_is_not_well_formed_yaml(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("report:\n  id: x\n- stray item\n", encoding="utf-8")
    result = run("doctor", "--data", str(data))
    assert result.exit_code == 1
    assert re.search(r"\[FAIL\] dataset +cannot read .*data\.yaml", result.output), result.output


def it_fails_the_doctor_for_a_dataset_no_font_can_draw(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text((FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "title: {zh: 年度简报, en: Annual brief}", "title: {zh: 年度简报, en: \"Annual brief \\U0001F600\"}"),
        encoding="utf-8")
    result = run("doctor", "--data", str(data))
    assert result.exit_code == 1
    assert "U+1F600" in result.output
