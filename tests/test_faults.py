"""Faults: a full disk, a rename that fails half-way, kills at several moments of a build,
two builds of the same outputs at once, a template reaching outside its folders, a master
that is not a .pptx. Each ends in one clear line or a correct build: never a traceback,
never a changed or half-written output under its final name.

The checks marked slow run the command itself (``python -m reporting``, the same
program as ``make-report``) in a process of its own."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from child_signals import default_sigint

from reporting.pipeline.build import BuildOptions, Builder
from reporting.errors import OutputError
from reporting.pipeline.outputs import StagedOutputs, new_file_mode

HERE = Path(__file__).parent
ROOT = HERE.parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
NAME = "acme-2024_default_bilingual"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "reporting", *args]


def environment(tmp_path: Path) -> dict[str, str]:
    """The command runs this checkout's package, with a temp folder of its own and the test
    run's chart cache (conftest.py: warm after the first build; the faults are in writing
    the outputs, not in drawing their charts)."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temp), "SOURCE_DATE_EPOCH": "0"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` (hidden ones too) by name, with the sha256 of its bytes."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.is_file()}


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("make-report: error: "), stderr
    return lines[0]


# -- write errors name the output, in this process and in the PDF worker --------------------

def _no_space(*args, **kwargs):
    # What a write() on a full disk raises: no file name.
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def it_names_the_deck_when_the_disk_fills_while_writing_it(tmp_path, monkeypatch):
    import reporting.render.deck.builder as pptx

    monkeypatch.setattr(pptx.Path, "write_bytes", _no_space)
    with pytest.raises(OutputError) as raised, Builder(parallel=False) as builder:
        builder.build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=tmp_path))
    assert str(raised.value) == f"cannot write {tmp_path / NAME}.pptx: No space left on device"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.forks  # forks the PDF worker from the test process (see conftest.py)
@pytest.mark.parametrize("parallel", [True, False], ids=["worker", "in-process"])
def it_names_the_brief_when_the_disk_fills_while_writing_it(tmp_path, monkeypatch, parallel):
    """The worker is forked from this process, so it writes with the patched writer too:
    its error comes back as the same one line, not as a crash with a traceback."""
    from reporting.render import pdf

    monkeypatch.setattr(pdf.PdfWriter, "write", _no_space)
    with pytest.raises(OutputError) as raised, Builder(parallel=parallel) as builder:
        builder.build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path))
    assert str(raised.value) == f"cannot write {tmp_path / NAME}.pdf: No space left on device"
    assert list(tmp_path.iterdir()) == []


def it_names_the_file_a_writer_could_not_read(tmp_path, monkeypatch):
    import reporting.render.deck.builder as pptx

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/master.pptx")

    monkeypatch.setattr(pptx.Path, "write_bytes", unreadable)
    with pytest.raises(OutputError) as raised, Builder(parallel=False) as builder:
        builder.build(MINIMAL, BuildOptions(formats=("pptx",), out_dir=tmp_path))
    assert str(raised.value) == f"cannot write {tmp_path / NAME}.pptx: /srv/master.pptx: Permission denied"


@pytest.mark.forks  # forks the PDF worker from the test process (see conftest.py)
def it_sends_a_big_request_through_the_pipe_when_the_temp_folder_is_full(monkeypatch):
    """A request too big for the pipe goes through a temporary file; with none to be had
    it goes through the pipe (waiting for the child) instead of hanging or failing."""
    import tempfile

    from reporting.pipeline.forked import ForkedWorker, fork_available

    if not fork_available():
        pytest.skip("needs fork")
    monkeypatch.setattr(tempfile, "mkstemp", _no_space)
    with ForkedWorker(_echo_length) as worker:
        worker.submit("x" * 1_000_000)
        assert worker.result() == 1_000_000


def _echo_length():
    return len


def it_writes_no_half_file_when_init_runs_out_of_space(tmp_path, monkeypatch):
    """make-report init on a full disk: one error naming the file, and no half-written file."""
    import shutil as shutil_module

    from reporting.project.config import find_config, load_config
    from reporting.project.scaffold import init_project

    def half_then_full(source, destination):
        Path(destination).write_bytes(Path(source).read_bytes()[:100])
        _no_space()

    monkeypatch.setattr(shutil_module, "copyfile", half_then_full)
    with pytest.raises(OutputError, match=r"cannot write .*/data/xiaohongshu-2020.yaml: No space left on device"):
        init_project(tmp_path / "brief", load_config(find_config()))
    assert [path for path in (tmp_path / "brief").rglob("*") if path.is_file()] == []


# -- outputs published together, with the user's umask --------------------------------------

def _staged(tmp_path: Path, names: list[str]) -> tuple[StagedOutputs, list[Path]]:
    staged = StagedOutputs()
    targets = [tmp_path / name for name in names]
    for target in targets:
        staged.scratch_for(target).write_text(f"new {target.name}")
    return staged, targets


def it_publishes_all_outputs_or_none(tmp_path):
    (tmp_path / "a.pdf").write_text("old a")
    (tmp_path / "b.html").write_text("old b")
    (tmp_path / "c.pptx").mkdir()  # a rename onto a folder fails: c cannot be published
    (tmp_path / "c.pptx" / "keep").write_text("")
    before = snapshot(tmp_path)
    staged, targets = _staged(tmp_path, ["a.pdf", "b.html", "c.pptx"])
    with staged, pytest.raises(OutputError, match=r"cannot write .*c\.pptx"):
        staged.publish_all(targets)
    assert snapshot(tmp_path) == before  # a and b as they were, no scratch file left
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.pdf", "b.html", "c.pptx"]


def it_removes_outputs_that_were_new_when_a_later_one_fails(tmp_path):
    (tmp_path / "c.pptx").mkdir()
    (tmp_path / "c.pptx" / "keep").write_text("")
    staged, targets = _staged(tmp_path, ["a.pdf", "c.pptx"])
    with staged, pytest.raises(OutputError):
        staged.publish_all(targets)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c.pptx"]


def it_publishes_every_output_when_all_renames_succeed(tmp_path):
    (tmp_path / "a.pdf").write_text("old a")
    staged, targets = _staged(tmp_path, ["a.pdf", "b.html"])
    with staged:
        assert staged.publish_all(targets) == targets
    assert [path.read_text() for path in targets] == ["new a.pdf", "new b.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.pdf", "b.html"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002, 0o077], ids=lambda mask: f"{mask:03o}")
def it_publishes_with_the_users_umask(tmp_path, umask):
    previous = os.umask(umask)
    try:
        assert new_file_mode() == 0o666 & ~umask
        staged, targets = _staged(tmp_path, ["a.pdf"])
        with staged:
            staged.publish_all(targets)
    finally:
        os.umask(previous)
    assert targets[0].stat().st_mode & 0o777 == 0o666 & ~umask


# -- an interruption the moment a scratch file exists ------------------------------------------

class _Stopped(Exception):
    """What the test's SIGTERM handler raises (the CLI's raises Terminated)."""


@pytest.fixture
def sigterm_raises():
    """SIGTERM raises :class:`_Stopped` in this test, as the CLI makes it raise Terminated."""
    def stop(_signum, _frame):
        raise _Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    yield
    signal.signal(signal.SIGTERM, previous)


def _mkstemp_then_sigterm(monkeypatch):
    """tempfile.mkstemp sends this process SIGTERM as soon as the file exists: the
    interruption lands before the caller even knows the file's name."""
    import tempfile

    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("writer", ["staged-output", "atomic-output", "chart-cache"])
def it_removes_a_scratch_file_interrupted_the_moment_it_exists(tmp_path, monkeypatch, sigterm_raises, writer):
    from reporting.charts.cache import ChartCache
    from reporting.pipeline.outputs import atomic_target

    folder = tmp_path / "out"
    folder.mkdir()
    _mkstemp_then_sigterm(monkeypatch)
    with pytest.raises(_Stopped):
        if writer == "staged-output":
            with StagedOutputs() as staged:
                staged.scratch_for(folder / "a.pdf").write_text("new")
        elif writer == "atomic-output":
            with atomic_target(folder / "a.pdf") as temp:
                temp.write_text("new")
        else:
            ChartCache(folder).put("key", "env", "svg", b"<svg/>")
    assert list(folder.iterdir()) == []


def it_puts_the_previous_outputs_back_when_interrupted_while_publishing(tmp_path, monkeypatch, sigterm_raises):
    """SIGTERM after the first of two renames: it waits until both are done, then the
    previous files come back; no kept copy is left."""
    from reporting.pipeline import outputs

    (tmp_path / "a.pdf").write_text("old a")
    (tmp_path / "b.html").write_text("old b")
    before = snapshot(tmp_path)
    staged, targets = _staged(tmp_path, ["a.pdf", "b.html"])
    real = outputs.publish
    published = []

    def publish(finished, target):
        real(finished, target)
        published.append(target)
        if len(published) == 1:
            os.kill(os.getpid(), signal.SIGTERM)
        return target

    monkeypatch.setattr(outputs, "publish", publish)
    with staged, pytest.raises(_Stopped):
        staged.publish_all(targets)
    assert published == targets  # the second rename was not cut off
    assert snapshot(tmp_path) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.pdf", "b.html"]


# -- a long-lived Builder sees a changed dataset ---------------------------------------------

def it_loads_a_dataset_again_once_it_changed(tmp_path):
    dataset = tmp_path / "facts.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    dataset.write_text(text, encoding="utf-8")
    stamp = dataset.stat()
    with Builder(parallel=False) as builder:
        first = builder.load(dataset)
        assert builder.load(dataset) is first  # unchanged: loaded once
        # The same size and modification time: only the content tells.
        dataset.write_text(text.replace("value: 2500000", "value: 2600000"), encoding="utf-8")
        os.utime(dataset, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert builder.load(dataset).values["users"] == 2_600_000


def it_loads_a_dataset_again_once_its_spreadsheet_changed(tmp_path):
    """A dataset whose facts come from a spreadsheet (facts_from): the sheet's content is
    part of what the Builder keys on, not only the dataset file's."""
    import re as re_module

    from click.testing import CliRunner

    from reporting.cli import main

    sheet = tmp_path / "figures.csv"
    exported = CliRunner().invoke(main, ["facts", "export", str(sheet), "--data", str(MINIMAL)])
    assert exported.exit_code == 0, exported.output
    text = MINIMAL.read_text(encoding="utf-8")
    facts = re_module.search(r"(?ms)^facts:\n.*?(?=^\S)", text)
    dataset = tmp_path / "facts.yaml"
    dataset.write_text(text[:facts.start()] + "facts_from: figures.csv\n" + text[facts.end():], encoding="utf-8")
    with Builder(parallel=False) as builder:
        assert builder.load(dataset).values["users"] == 2_500_000
        stamp = sheet.stat()
        sheet.write_text(sheet.read_text(encoding="utf-8").replace("2500000", "2600000"), encoding="utf-8")
        os.utime(sheet, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        assert builder.load(dataset).values["users"] == 2_600_000
        assert builder.load(dataset) is builder.load(dataset)


# -- Ctrl-C is never turned into another error -----------------------------------------------

def it_lets_an_interruption_through_the_pdf_writer(tmp_path, monkeypatch):
    """Even after a refused resource was recorded, Ctrl-C stays a KeyboardInterrupt."""
    import weasyprint

    from reporting.render.pdf import PdfWriter

    def render(self, *args, **kwargs):
        try:
            self.url_fetcher("file:///etc/passwd")
        except BaseException:
            pass  # recorded as refused by the guarded fetcher
        raise KeyboardInterrupt

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    with pytest.raises(KeyboardInterrupt):
        PdfWriter().write("<p>x</p>", tmp_path / "x.pdf", allowed_roots=(tmp_path,))


# -- the command, on a full file system ------------------------------------------------------

def _full_disk_script(tmp_path: Path, size_kib: int, old: Path | None, args: list[str]) -> str:
    """A shell script that mounts a ``size_kib`` tmpfs on ``tmp_path/full`` in a mount
    namespace of its own (so nothing outlives the test), copies ``old``'s files in, runs
    the command there and prints its status and the files left."""
    full = tmp_path / "full"
    full.mkdir()
    copy = f'cp -p {old}/* "$FULL"/ && ' if old else ""
    line = " ".join(f"'{arg}'" for arg in args)
    return (f'FULL={full} && mount -t tmpfs -o size={size_kib}k tmpfs "$FULL" && {copy}'
            f'{{ {line} --out "$FULL" >/dev/null 2>"$FULL.err"; echo "status $?"; }} && '
            f'cd "$FULL" && for f in .??* *; do [ -f "$f" ] && sha256sum "$f"; done; cat "$FULL.err" >&2')


def _run_on_full_disk(tmp_path, size_kib, old, args) -> tuple[int, dict[str, str], str]:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare (util-linux)")
    private = [unshare, "--mount", "--propagation", "private"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    script = _full_disk_script(tmp_path, size_kib, old, command(*args))
    run = subprocess.run(private + ["sh", "-c", script], capture_output=True, text=True,
                         env=environment(tmp_path), timeout=600)
    if "status" not in run.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {run.stderr.strip()}")
    status = int(run.stdout.split("status ")[1].split()[0])
    files = {name: digest for digest, name in (line.split() for line in run.stdout.splitlines()[1:])}
    return status, files, run.stderr


@pytest.mark.slow
@pytest.mark.parametrize(("formats", "jobs"), [("pdf", "2"), ("all", "2"), ("all", "1")],
                         ids=["brief-in-worker", "all-alongside", "all-in-turn"])
def it_leaves_the_previous_outputs_when_the_disk_is_full(tmp_path, reference, formats, jobs):
    """The previous outputs fill the disk: no new one fits beside them. One line names an
    output and the cause; every previous output is left byte-identical, no scratch file."""
    old = tmp_path / "old"
    old.mkdir()
    for name, data in reference.items():
        (old / name).write_bytes(data)
    before = snapshot(old)
    size = sum(path.stat().st_size for path in old.iterdir()) // 1024 + 24
    status, after, stderr = _run_on_full_disk(tmp_path, size, old, ["--data", str(MINIMAL), "--format", formats,
                                                                   "--jobs", jobs])
    line = one_error_line(stderr)
    assert status == 1
    assert line.endswith(": No space left on device") and f"/{NAME}." in line, line
    assert after == before


@pytest.mark.slow
def it_writes_nothing_on_an_empty_disk_too_small(tmp_path):
    status, after, stderr = _run_on_full_disk(tmp_path, 64, None, ["--data", str(MINIMAL), "--format", "all"])
    assert status == 1 and "No space left on device" in one_error_line(stderr)
    assert after == {}


# -- templates read only their folders and the asset folders the config names ----------------

def _home_with_a_secret(tmp_path: Path) -> tuple[Path, Path]:
    """A dataset in a "home" folder that also holds a private file, and a team's template
    override beside it."""
    home = tmp_path / "home"
    home.mkdir()
    dataset = home / "facts.yaml"
    shutil.copy(MINIMAL, dataset)
    secret = home / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>PRIVATE</text></svg>')
    return dataset, secret


def _override(folder: Path, src: str) -> Path:
    brief = folder / "brief"
    brief.mkdir(parents=True)
    (brief / "brief.html").write_text(
        '{% extends "brief/base.html" %}{% block cover_note %}<img src="' + src + '" alt="x">{% endblock %}',
        encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["absolute", "relative", "symlink"])
def it_refuses_a_template_reaching_into_the_datasets_folder(tmp_path, how):
    from reporting.errors import AssetError

    dataset, secret = _home_with_a_secret(tmp_path)
    templates = tmp_path / "home" / "team-templates"
    if how == "absolute":
        _override(templates, secret.as_uri())
    elif how == "relative":
        _override(templates, "../secret.svg")  # relative to the first template folder
    else:
        _override(templates, "brief/link.svg")
        (templates / "brief" / "link.svg").symlink_to(secret)
    out = tmp_path / "out"
    with pytest.raises(AssetError, match=r"not allowed: file://.*(secret|link)\.svg"), Builder(parallel=False) as builder:
        builder.build(dataset, BuildOptions(formats=("pdf",), out_dir=out, template_dirs=(templates,)))
    assert not out.exists() or list(out.iterdir()) == []


def it_lets_templates_read_the_asset_folders_the_config_names(tmp_path):
    from reporting.project.audiences import AudienceBook
    from reporting.project.config import load_config

    dataset, _ = _home_with_a_secret(tmp_path)
    images = tmp_path / "home" / "images"
    images.mkdir()
    (images / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                     '<rect width="10" height="10" fill="#B01E34"/></svg>')
    _override(tmp_path / "home" / "templates", (images / "mark.svg").as_uri())
    config = tmp_path / "home" / "report.toml"
    config.write_text('[project]\ndataset = "facts.yaml"\ntemplates = "templates"\nassets = ["images"]\n')
    audience = AudienceBook(load_config(config)).default(BuildOptions(formats=("pdf",), out_dir=tmp_path / "out"))
    assert audience.options.asset_dirs == (images.resolve(),)
    with Builder(parallel=False) as builder:
        result = builder.build(dataset, audience.options)
    assert result.pages > 0


def it_names_a_missing_asset_folder(tmp_path):
    from reporting.project.audiences import AudienceBook
    from reporting.errors import UsageError
    from reporting.project.config import load_config

    dataset, _ = _home_with_a_secret(tmp_path)
    config = tmp_path / "home" / "report.toml"
    config.write_text('[project]\ndataset = "facts.yaml"\nassets = ["images"]\n')
    with pytest.raises(UsageError, match=r"project.assets\[0\]: asset folder not found: .*images"):
        AudienceBook(load_config(config)).default(BuildOptions())


# -- theme.css: values from report.toml validated, and escaped in the CSS ---------------------

def it_refuses_a_font_name_that_would_break_out_of_the_css(tmp_path):
    from reporting.project.audiences import AudienceBook
    from reporting.errors import DataError
    from reporting.project.config import load_config

    config = tmp_path / "report.toml"
    config.write_text(f'[project]\ndataset = "{MINIMAL}"\n\n[themes.team]\n'
                      'body_fonts = ["Noto Sans\\"; } body { display: none"]\n')
    with pytest.raises(DataError) as raised:
        AudienceBook(load_config(config))
    assert "report.toml:5: themes.team.body_fonts[0]:" in str(raised.value)
    assert "without quotes" in str(raised.value)


def it_escapes_theme_values_in_the_css_whatever_the_theme_holds():
    """A Theme built in code is not validated by the config: the template escapes font
    names and refuses a colour that is not #RRGGBB."""
    from reporting.model.theme import Fonts, Theme
    from reporting.errors import TemplateError
    from reporting.dataset.load import load_dataset
    from reporting.lang.editions import Edition
    from reporting.model.planner import plan
    from reporting.render.html import render_brief_html

    report = plan(load_dataset(MINIMAL), Edition.EN)
    svgs = {chart.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for chart in report.charts}
    html = render_brief_html(report, Theme(fonts=Fonts(body=('Evil"</style><script>x()</script>',))), svgs)
    assert "<script>x()" not in html
    assert r'"Evil\22 \3C /style\3E \3C script\3E x()\3C /script\3E "' in html
    with pytest.raises(TemplateError, match="theme colour 'red; } body { display: none' is not a #RRGGBB"):
        render_brief_html(report, Theme(accent="red; } body { display: none"), svgs)
    with pytest.raises(TemplateError, match="page size 'A4; } x' is not one of A4, Letter"):
        render_brief_html(report, Theme(), svgs, page_size="A4; } x")


# -- the command: kills at several moments, two builds at once, a master that is not a deck ---

TARGETS = [f"{NAME}.{suffix}" for suffix in ("pdf", "html", "pptx")]
OLD = {name: f"the previous {name}".encode() for name in TARGETS}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The bytes a complete build writes (SOURCE_DATE_EPOCH=0: every build the same)."""
    tmp = tmp_path_factory.mktemp("reference")
    out = tmp / "out"
    subprocess.run(command("--data", str(MINIMAL), "--format", "all", "--out", str(out)),
                   env=environment(tmp), check=True, capture_output=True)
    return {path.name: path.read_bytes() for path in out.iterdir()}


def _with_old_outputs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, data in OLD.items():
        (folder / name).write_bytes(data)
    return folder


def _start(tmp_path: Path, out: Path, *args: str, epoch: str = "0") -> subprocess.Popen:
    return subprocess.Popen(command("--data", str(MINIMAL), "--format", "all", "--out", str(out), *args),
                            env={**environment(tmp_path), "SOURCE_DATE_EPOCH": epoch},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_sigint)


@pytest.fixture
def start():
    """``_start`` for one test; a build still running when the test ends (a failed assertion)
    is killed and waited for, so it is not reported against the next test on the worker."""
    started: list[subprocess.Popen] = []

    def starting(*args, **kwargs) -> subprocess.Popen:
        started.append(_start(*args, **kwargs))
        return started[-1]

    yield starting
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _processes_writing_into(out: Path) -> list[int]:
    """Processes (the build and its forked workers share its command line) naming ``out``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(out).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _wait_until(condition, process: subprocess.Popen) -> bool:
    """Poll ``condition`` until it holds (True) or the build has ended (False)."""
    while not condition():
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    return True


def _size(path: Path) -> int:
    """The file's size in bytes, 0 once the build has published or removed it (a scratch
    file listed a moment ago may be renamed before it is looked at)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _moments(out: Path):
    """Moments of a build to kill it at, each found by what the build does, not by time."""
    def parts():
        return [path for path in out.iterdir() if path.name.endswith(".part")]

    def changed():
        return any((out / name).read_bytes() != OLD[name] for name in TARGETS if (out / name).is_file())

    return {
        "starting": lambda: True,
        "first-scratch-file": lambda: bool(parts()),
        "brief-being-written": lambda: any(path.name.startswith(f".{NAME}.pdf.") and _size(path) > 0
                                           for path in parts()),
        "publishing": changed,
    }


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="finds the build's processes in /proc")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("moment", ["starting", "first-scratch-file", "brief-being-written", "publishing"])
def it_leaves_old_or_complete_outputs_when_killed(tmp_path, reference, moment, signum, start):
    """Every output is, after the kill, the previous file or the complete new one, never a
    part; SIGTERM also removes every scratch file and exits 143 with one line; after SIGKILL
    the forked worker ends on its own, and the next build removes the scratch files left."""
    out = _with_old_outputs(tmp_path / "out")
    process = start(tmp_path, out)
    _wait_until(_moments(out)[moment], process)
    process.send_signal(signum)
    _, stderr = process.communicate()
    assert "Traceback" not in stderr, stderr
    while _processes_writing_into(out):  # a worker left by SIGKILL ends once its brief is done
        time.sleep(0.05)
    after = {path.name: path.read_bytes() for path in out.iterdir() if not path.name.endswith(".part")}
    assert sorted(after) == sorted(TARGETS)
    for name, data in after.items():
        assert data in (OLD[name], reference[name]), f"{name} is neither the previous file nor the new one"
    if signum == signal.SIGTERM:
        # Ended by the signal's default action before the command set its handler (nothing
        # written yet), interrupted with one line, or done before the signal arrived.
        assert process.returncode in (-signal.SIGTERM, 128 + signal.SIGTERM, 0)
        if process.returncode == 128 + signal.SIGTERM:
            assert stderr.strip().splitlines()[-1].startswith("make-report: interrupted (SIGTERM)"), stderr
        assert not [path for path in out.iterdir() if path.name.endswith(".part")]
        return
    rebuilt = subprocess.run(command("--data", str(MINIMAL), "--format", "all", "--out", str(out)),
                             env=environment(tmp_path), capture_output=True, text=True)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == reference  # no scratch file left


@pytest.mark.slow
def it_publishes_one_builds_outputs_or_the_others_when_two_build_at_once(tmp_path, reference, start):
    """Two builds of the same outputs, with different contents (another build time), into one
    folder at once: both succeed, and the outputs are all of one build or all of the other."""
    references = {"0": reference}
    for epoch in ("86400",):
        folder = tmp_path / f"reference-{epoch}"
        subprocess.run(command("--data", str(MINIMAL), "--format", "all", "--out", str(folder)),
                       env={**environment(tmp_path), "SOURCE_DATE_EPOCH": epoch}, check=True, capture_output=True)
        references[epoch] = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert references["0"][f"{NAME}.pdf"] != references["86400"][f"{NAME}.pdf"]
    out = _with_old_outputs(tmp_path / "out")
    builds = [start(tmp_path, out, epoch=epoch) for epoch in ("0", "86400")]
    for build in builds:
        _, stderr = build.communicate()
        assert build.returncode == 0 and "Traceback" not in stderr, stderr
    after = {path.name: path.read_bytes() for path in out.iterdir()}
    assert after in (references["0"], references["86400"])


@pytest.mark.slow
@pytest.mark.parametrize("master", ["notes.txt", "notes.pptx", "workbook.pptx", "truncated.pptx"])
def it_refuses_a_master_that_is_not_a_deck_before_writing_anything(tmp_path, reference, master):
    path = tmp_path / master
    if master.startswith("notes"):
        path.write_text("meeting notes")
    elif master == "workbook.pptx":  # an Office file, but a spreadsheet
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path))
        book.add_worksheet().write(0, 0, "x")
        book.close()
    else:
        path.write_bytes(reference[f"{NAME}.pptx"][:20000])
    out = _with_old_outputs(tmp_path / "out")
    run = subprocess.run(command("--data", str(MINIMAL), "--format", "all", "--out", str(out),
                                 "--pptx-template", str(path)), env=environment(tmp_path), capture_output=True, text=True)
    assert run.returncode == 1
    assert f"deck template {path}" in one_error_line(run.stderr) or master in one_error_line(run.stderr)
    assert "not a PowerPoint .pptx file" in one_error_line(run.stderr)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == OLD


@pytest.mark.slow
def it_refuses_a_template_reaching_outside_its_folders_from_the_command_line(tmp_path):
    dataset, secret = _home_with_a_secret(tmp_path)
    templates = _override(tmp_path / "home" / "team-templates", secret.as_uri())
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{NAME}.pdf").write_bytes(b"previous")
    run = subprocess.run(command("--data", str(dataset), "--format", "all", "--out", str(out),
                                 "--templates", str(templates)), env=environment(tmp_path), capture_output=True, text=True)
    assert run.returncode == 1
    assert "the brief refers to a resource that is not allowed: file://" in one_error_line(run.stderr)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {f"{NAME}.pdf": b"previous"}
