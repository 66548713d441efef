"""make-report as a user meets it: options, exit statuses, messages, no tracebacks."""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.cli import main
from reporting.errors import ReportError
from reporting.lang.numbers import plain

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


@pytest.mark.parametrize("command", [["audiences"], ["check"], ["--format", "html"]])
def it_names_the_line_of_a_project_config_that_is_not_utf8(tmp_path, command):
    config = tmp_path / "report.toml"
    config.write_bytes('[project]\n# caf\u00e9\ndataset = "x.yaml"\n'.encode("latin-1"))
    result = run(*command, "--config", str(config))
    assert result.exit_code == 1
    assert re.search(r"report\.toml:2: not UTF-8 text \(invalid continuation byte at byte \d+\); save the file as UTF-8",
                     result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["brief/brief.html", "brief/custom.css"])
def it_names_the_line_of_a_template_that_is_not_utf8(tmp_path, name):
    template = tmp_path / "templates" / name
    template.parent.mkdir(parents=True)
    body = '{% extends "brief/base.html" %}\n' if name.endswith(".html") else "body {}\n"
    template.write_bytes((body + "/* caf\u00e9 */\n").encode("latin-1"))
    result = run("--templates", str(tmp_path / "templates"), "--format", "html", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(name)}:2: not UTF-8 text \(invalid continuation byte at byte \d+\); save the file as UTF-8",
                     result.output)
    assert "Traceback" not in result.output


def it_writes_html_and_prints_each_path(tmp_path):
    result = run("--data", str(FIXTURES / "minimal.yaml"), "--format", "html", "--lang", "en",
                 "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = tmp_path / "acme-2024_default_en.html"
    assert result.output.strip() == str(written)
    assert "over 2.5 million" in plain(written.read_text(encoding="utf-8"))  # a key figure's tile


def it_lists_audiences_with_a_description_each():
    result = run("audiences")
    assert result.exit_code == 0
    header, rule, *lines = result.output.strip().splitlines()
    assert header.split() == ["audience", "edition", "depth", "description"]
    assert [line.split()[0] for line in lines] == ["executive", "press", "partners", "public_welfare"]
    assert all(len(line) > 40 for line in lines)
    # Every column starts where its header does, on every line.
    starts = [header.index(name) for name in ("edition", "depth", "description")]
    assert [match.start() for match in re.finditer(r"-+", rule)][1:] == starts
    for line in lines:
        assert all(line[start - 2:start] == "  " and line[start] != " " for start in starts), line


def it_lists_in_doctor_every_package_the_project_depends_on():
    """pyproject.toml's dependencies (those every platform needs), Pillow and pypdf among them."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    from reporting.doctor import FEATURE_PACKAGES, REQUIRED_PACKAGES

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    names = [re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0).lower()
             for requirement in project["project"]["dependencies"] if ";" not in requirement]
    assert sorted(names) == sorted([*REQUIRED_PACKAGES, *FEATURE_PACKAGES])
    result = run("doctor")
    for name in ("pypdf", "pillow"):
        assert re.search(rf"\[ok  \] {name}\s+\d+\.\d+", result.output), result.output


def it_says_in_help_what_the_default_format_is_and_does_it():
    """--help and the build agree: PDF, or every format for --audience all."""
    from reporting.pipeline.build import FORMATS
    from reporting.cli import _formats

    help_text = " ".join(run("--help").output.split())
    assert "[default: pdf; every format with --audience all]" in help_text
    assert _formats((), None) == _formats((), "executive") == ("pdf",)
    assert _formats((), "all") == FORMATS
    assert _formats(("html", "pdf", "html"), "all") == ("html", "pdf")
    assert _formats(("pptx", "all"), None) == FORMATS


def it_shows_audience_all_progress_in_the_order_audiences_finish():
    from reporting.pipeline.batch import Outcome
    from reporting.cli import progress_line

    first = Outcome("press", None, None, seconds=6.0, finished_at=6.1)
    second = Outcome("executive", None, ReportError("x"), seconds=2.0, finished_at=6.5)
    lines = [progress_line(1, 4, first, 9), progress_line(2, 4, second, 9)]
    assert lines == ["[1/4]    6.1 s  press      ok", "[2/4]    6.5 s  executive  FAILED"]


@pytest.mark.parametrize(("args", "message"), [
    (["--audience", "nobody"], "unknown audience 'nobody'"),
    (["--data", "no/such.yaml"], "dataset not found"),
    (["--templates", "no/such/folder"], "template folder not found"),
    (["--pptx-template", "no/such.pptx"], "pptx template not found"),
    (["--config", "no/such.toml"], "config file not found"),
])
def it_starts_no_pdf_worker_before_the_inputs_are_checked(monkeypatch, args, message):
    from reporting.pipeline import pdfworker

    started = []
    monkeypatch.setattr(pdfworker.PdfWorker, "start_all", lambda self: started.append(self.processes))
    monkeypatch.setattr(pdfworker.PdfWorker, "__init__", _record_processes(started, pdfworker.PdfWorker.__init__))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and message in result.output
    assert started == []


def _record_processes(started, init):
    def record(self, **kwargs):
        started.append(("made", kwargs.get("processes")))
        init(self, **kwargs)
    return record


@pytest.mark.parametrize(("jobs", "expected"), [([], 4), (["--jobs", "2"], 2), (["--jobs", "16"], 4)])
def it_starts_no_more_pdf_workers_than_audiences(monkeypatch, tmp_path, jobs, expected):
    """The shipped config has four audiences: never more workers than that, whatever the cores."""
    from reporting import cli
    from reporting.pipeline import forked, pdfworker

    made = []
    init = pdfworker.PdfWorker.__init__

    def record(self, **kwargs):
        made.append(kwargs["processes"])
        init(self, **kwargs)

    class Stop(Exception):
        pass

    def stop(*args, **kwargs):
        raise Stop

    monkeypatch.setattr(pdfworker.PdfWorker, "__init__", record)
    monkeypatch.setattr(pdfworker.PdfWorker, "start_all", lambda self: None)
    monkeypatch.setattr(forked, "usable_cpus", lambda: 64)
    monkeypatch.setattr(cli, "_build", stop)
    result = CliRunner().invoke(main, ["--audience", "all", "--out", str(tmp_path), *jobs])
    assert isinstance(result.exception, Stop)
    assert made == [expected]


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


@pytest.mark.parametrize("name", ["README.md", "brief.pdf", "deck.pptx", "preview.html"])
def it_exits_2_on_a_file_it_cannot_read(tmp_path, name):
    """README.md (no report format), garbage under a report's extension, a file it may not read."""
    path = tmp_path / name
    path.write_bytes(b"\xff\xfe not what the name says")
    result = CliRunner().invoke(main, ["verify", str(path)])
    assert result.exit_code == 2, result.output
    assert f"make-report: error: {path}: " in result.output
    if os.geteuid() != 0:  # root reads anything
        path.write_text("<html></html>")
        path.chmod(0)
        assert CliRunner().invoke(main, ["verify", str(path)]).exit_code == 2


def it_builds_every_audience_in_the_edition_and_page_size_asked(tmp_path):
    """--lang and --page-size win over each audience's settings with --audience all too."""
    result = CliRunner().invoke(main, ["--audience", "all", "--lang", "en", "--page-size", "Letter",
                                       "--format", "html", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [f"xiaohongshu-2020_{name}_en.html" for name in
                       sorted(["executive", "press", "partners", "public_welfare"])]
    for path in tmp_path.iterdir():
        html = path.read_text(encoding="utf-8")
        assert "@page { size: Letter; }" in html and '<html lang="en"' in html


@pytest.mark.parametrize("audience", [[], ["--audience", "all"]], ids=["one", "all"])
def it_refuses_an_output_folder_it_cannot_make_before_starting_a_worker(monkeypatch, tmp_path, audience):
    from reporting.pipeline import pdfworker

    made = []
    monkeypatch.setattr(pdfworker.PdfWorker, "__init__", lambda self, **kwargs: made.append(kwargs))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = CliRunner().invoke(main, ["--out", str(blocker / "out"), *audience])
    assert result.exit_code == 2, result.output
    assert f"cannot create output folder {blocker / 'out'}: {blocker} is not a folder" in result.output
    assert made == [] and not (blocker.parent / "out").exists()


def it_delivers_a_signal_that_arrived_in_a_finalizer_to_the_build(capfd):
    """SIGTERM raised inside a __del__ or weak reference callback would be printed as
    "Exception ignored … Traceback" and lost; it interrupts the build instead, silently."""
    import signal

    from reporting.cli import Terminated, _interruptible

    class Finalized:
        def __del__(self):
            raise Terminated(signal.SIGTERM)  # as the handler does when the signal lands here

    with pytest.raises(Terminated) as raised:
        with _interruptible():
            Finalized()  # dropped at once: __del__ runs, its exception cannot propagate
            for _ in range(10**9):  # the build goes on, and is interrupted here
                pass
    assert raised.value.signum == signal.SIGTERM
    assert "Exception ignored" not in capfd.readouterr().err


@pytest.mark.parametrize("command", [["audiences"], ["doctor"]])
def it_ends_quietly_when_its_reader_stops_reading(command):
    """`make-report audiences | head -1`: the reader closes the pipe before the command
    writes, which must end in silence and exit 0, not 'error: Broken pipe'."""
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a byte
    try:
        done = subprocess.run([sys.executable, "-m", "reporting", *command], stdout=write_end,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0
