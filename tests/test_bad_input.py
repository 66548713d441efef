"""Bad input as a user meets it: the corpus of bad datasets, misuse, and nothing lost.

Every file in ``tests/bad_datasets/`` is a small dataset with one kind of problem (one
has several) and says what the user must see in its header::

    # expect: <line>: <field path>: <message fragment>

one line per problem; ``-`` for no line, an empty field for file-level problems. The
loader must report exactly those problems — all of them, nothing twice — and the
command must exit 1 printing ``file:line: field: message`` for each, without a
traceback unless ``--debug``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from child_signals import default_sigint
from reporting.pipeline.build import BuildOptions
from reporting.cli import main
from reporting.errors import AssetError, DataError
from reporting.dataset.load import load_dataset
from reporting.resources import data_dir

HERE = Path(__file__).parent
CORPUS = sorted((HERE / "bad_datasets").glob("*.yaml"))
MINIMAL = HERE / "fixtures" / "minimal.yaml"
EXPECT = re.compile(r"^# expect: (-|\d+): ([^:]*): (.+)$")


def expectations(path: Path) -> list[tuple[int | None, str, str]]:
    found = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        match = EXPECT.match(line)
        if match:
            number, field, fragment = match.groups()
            found.append((None if number == "-" else int(number), field.strip(), fragment.strip()))
    assert found, f"{path.name} has no '# expect:' header"
    return found


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def it_has_a_corpus_covering_every_kind_of_bad_dataset():
    names = {path.stem for path in CORPUS}
    assert {
        "yaml_syntax", "wrong_type", "missing_field", "missing_translation", "negative_count",
        "unknown_key", "duplicate_id", "unknown_fact", "control_character", "lone_surrogate",
        "not_finite", "many_problems",
    } <= names


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def it_reports_exactly_the_expected_problems(path):
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    problems = caught.value.problems
    expected = expectations(path)
    shown = [str(problem) for problem in problems]
    assert len(problems) == len(expected), shown
    for line, field, fragment in expected:
        assert any(
            problem.line == line and problem.field == field and fragment in problem.message
            for problem in problems
        ), f"no problem at line {line}, field {field!r} with {fragment!r}; got {shown}"
    assert len(set(shown)) == len(shown), "a problem is reported twice"


@pytest.mark.parametrize("path", CORPUS, ids=[path.stem for path in CORPUS])
def it_exits_1_with_one_line_per_problem_and_no_traceback(path, tmp_path):
    result = run("--data", str(path), "--format", "html", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    expected = expectations(path)
    count = len(expected)
    assert f"{count} problem{'s' if count != 1 else ''} in the input" in result.output
    for line, field, fragment in expected:
        where = f"{path.name}:{line}" if line is not None else path.name
        pattern = re.escape(where) + r":" + (f" {re.escape(field)}:" if field else "") + r" .*" + re.escape(fragment)
        assert re.search(pattern, result.output), f"{pattern!r} not in\n{result.output}"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def it_reports_schema_and_reference_problems_together(tmp_path):
    """The reference checks run even when the schema failed, without repeating a field."""
    problems = load_dataset_problems(HERE / "bad_datasets" / "many_problems.yaml")
    kinds = {problem.field: problem.message for problem in problems}
    assert "valid number" in kinds["facts[0].value"]  # schema
    assert "missing translation" in kinds["facts[1].label.en"]  # schema
    assert "duplicate fact id" in kinds["facts[2].id"]  # references
    assert "did you mean 'growth'" in kinds["key_figures[1]"]  # references
    assert "control character" in kinds["sections[0].title.en"]  # text hazards
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def it_does_not_repeat_a_field_the_schema_already_named(tmp_path):
    # 'Grwth' breaks the id pattern (schema) and names no fact (references): one problem.
    path = tmp_path / "data.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace("key_figures: [users, growth]",
                                                                "key_figures: [users, Grwth]"), encoding="utf-8")
    [problem] = load_dataset_problems(path)
    assert problem.field == "key_figures[1]"
    assert "pattern" in problem.message


def load_dataset_problems(path: Path):
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    return caught.value.problems


def it_shows_the_traceback_only_with_debug(tmp_path):
    bad = HERE / "bad_datasets" / "wrong_type.yaml"
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    plain = subprocess.run([sys.executable, "-m", "reporting", "--data", str(bad), "--format", "html",
                            "--out", str(tmp_path)], capture_output=True, text=True, env=env)
    debug = subprocess.run([sys.executable, "-m", "reporting", "--debug", "--data", str(bad), "--format", "html",
                            "--out", str(tmp_path)], capture_output=True, text=True, env=env)
    assert plain.returncode == debug.returncode == 1
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr and "DataError" in debug.stderr
    # the message itself is the same, and last
    assert plain.stderr.strip().splitlines()[-1] == debug.stderr.strip().splitlines()[-1]


def it_exits_2_with_a_hint_for_a_missing_project_config(tmp_path):
    result = run("--config", str(tmp_path / "nope.toml"), "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "config file not found" in result.output and "make-report --help" in result.output


# ---------------------------------------------------------------- nothing lost


@pytest.fixture(scope="module")
def previous(tmp_path_factory, builder):
    """A good build of every format: the outputs a failed build must not touch."""
    out = tmp_path_factory.mktemp("previous")
    builder.build(MINIMAL, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=out))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.slow
def it_leaves_every_previous_output_byte_identical_when_the_data_is_bad(previous):
    before = snapshot(previous)
    assert len(before) == 3
    result = run("--data", str(HERE / "bad_datasets" / "many_problems.yaml"), "--format", "all",
                 "--out", str(previous))
    assert result.exit_code == 1
    assert snapshot(previous) == before


@pytest.mark.slow
def it_leaves_every_previous_output_byte_identical_when_rendering_fails(previous, builder, tmp_path):
    """The PDF fails half-way (a refused URL in an override template): no output changes,
    no temporary file is left."""
    before = snapshot(previous)
    override = tmp_path / "templates" / "brief"
    override.mkdir(parents=True)
    (override / "brief.html").write_text(
        '{% extends "brief/base.html" %}{% block cover_note %}<img src="https://example.com/x.png">{% endblock %}',
        encoding="utf-8",
    )
    with pytest.raises(AssetError):
        builder.build(MINIMAL, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=previous,
                                            template_dirs=(tmp_path / "templates",)))
    assert snapshot(previous) == before


def _start_build(out: Path, fmt: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    return subprocess.Popen(
        [sys.executable, "-m", "reporting", "--data", str(data_dir() / "xiaohongshu-2020.yaml"),
         "--format", fmt, "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=default_sigint,
    )


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "fmt"), [(signal.SIGTERM, "pdf"), (signal.SIGINT, "pdf"), (signal.SIGTERM, "pptx"),
                                             (signal.SIGTERM, "all"), (signal.SIGINT, "all")],
                         ids=["SIGTERM-pdf", "SIGINT-pdf", "SIGTERM-pptx", "SIGTERM-all", "SIGINT-all"])
def it_leaves_no_partial_file_when_interrupted(tmp_path, signum, fmt):
    """With --format all the deck is being written by a second process at the same time:
    it is ended too, and its temporary file removed."""
    out = tmp_path / "out"
    out.mkdir()
    suffixes = ("pdf", "html", "pptx") if fmt == "all" else (fmt,)
    targets = {out / f"xiaohongshu-2020_default_bilingual.{suffix}" for suffix in suffixes}
    for target in targets:
        target.write_bytes(b"the previous output")
    process = _start_build(out, fmt)
    try:
        while not any(path.name.endswith(".part") for path in out.iterdir()):
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        process.send_signal(signum)
        _, stderr = process.communicate()
    finally:  # a failed assertion must not leave the build running into the next test
        if process.poll() is None:
            process.kill()
            process.communicate()
    if process.returncode == 0:
        # On a busy machine the build can publish between the scratch file's appearance
        # and the signal: then every output must be the complete new one, never a part.
        assert not [path for path in out.iterdir() if path.name.endswith(".part")]
        assert all(target.read_bytes() != b"the previous output" for target in targets)
        return
    assert process.returncode == 128 + signum, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    time.sleep(0.2)  # a forked writer that outlived its parent would still be writing
    assert set(out.iterdir()) == targets, "a partial file was left"
    # All or none: the previous outputs, or (a signal that came once all were published)
    # every one of them new.
    previous = [target.read_bytes() == b"the previous output" for target in targets]
    assert all(previous) or not any(previous), previous


# ------------------------------------------------------------------------------ size


def _big_dataset(factor: int, target: Path) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_big_dataset", HERE.parent / "benchmarks" / "make_big_dataset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main([str(data_dir() / "xiaohongshu-2020.yaml"), str(factor), str(target)])


@pytest.mark.slow
def it_loads_a_dataset_a_hundred_times_the_default(tmp_path):
    """The loader's checks stay linear: 100 times the facts, references and placeholders."""
    loaded = load_dataset(_big_dataset(100, tmp_path / "x100.yaml"))
    default = load_dataset(data_dir() / "xiaohongshu-2020.yaml")
    assert len(loaded.dataset.facts) == 100 * len(default.dataset.facts)
    assert len(loaded.dataset.sections) == 100 * len(default.dataset.sections)
    assert loaded.values["batch3_total_x100"] == default.values["batch3_total"]


@pytest.mark.slow
def it_builds_a_dataset_five_times_the_default(builder, tmp_path):
    """Every format of a dataset five times the default: some forty pages and forty-odd
    slides, every chart of it a native chart of the deck (the tenfold and hundredfold
    builds take a minute and more, and gigabytes: their figures are in the benchmarks)."""
    big = _big_dataset(5, tmp_path / "x5.yaml")
    result = builder.build(big, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=tmp_path / "out"))
    assert len(result.outputs) == 3
    assert result.pages > 30
    from pptx import Presentation

    charts = sum(len(section.charts) for section in load_dataset(big).dataset.sections)
    deck = Presentation(str(next(path for path in result.outputs if path.suffix == ".pptx")))
    assert charts >= 30
    assert sum(1 for slide in deck.slides for shape in slide.shapes if shape.has_chart) == charts
    assert len(deck.slides) > charts


def test_a_missing_fc_query_is_named_not_a_traceback(monkeypatch):
    """fontconfig half installed (fc-match there, fc-query not): a message, exit status 1."""
    import subprocess as subprocess_module

    from reporting import fonts
    from reporting.errors import AssetError

    real_run = subprocess_module.run

    def run(command, *args, **kwargs):
        if command[0] == "fc-query":
            raise FileNotFoundError(2, "No such file or directory", "fc-query")
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(fonts.subprocess, "run", run)
    fonts.charset.cache_clear()
    try:
        with pytest.raises(AssetError, match=r"fc-query\) is not installed"):
            fonts.charset(Path("/nonexistent.ttf"), 0)
    finally:
        fonts.charset.cache_clear()
