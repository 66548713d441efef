"""The preview's parts on their own: the page it composes, the requests it refuses, what
it watches, and how a view takes a render's result."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reporting.errors import DataError, Problem, TemplateError, UsageError
from reporting.preview.inputs import ProjectInputs, Selection, Settings, WatchPlan
from reporting.preview.page import Toolbar, compose, refresh_policy
from reporting.preview.server import allowed_hosts, host_name, refused_path
from reporting.preview.state import View, Views, problem_lines
from reporting.preview.watcher import path_filter, watch_points
from reporting.project.config import tomllib, toml_error_line

PAGE = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; script-src 'none'\">\n"
        '<title>T</title>\n</head>\n<body class="x">\n<p>report</p>\n</body>\n</html>\n')


def it_adds_only_the_refresh_scripts_directives_to_the_policy():
    assert refresh_policy("default-src 'none'; img-src data: file:; script-src 'none'") == (
        "default-src 'none'; img-src data: file:; script-src 'self'; connect-src 'self'")


def it_composes_the_page_around_the_report_and_escapes_the_problems():
    toolbar = Toolbar(Selection("press", "en"), ("press", "executive"), "en")
    html, policy = compose(PAGE, ["data.yaml:3: facts[0].label: <script>alert(1)</script>"], 7, toolbar)
    assert policy == "default-src 'none'; img-src data:; script-src 'self'; connect-src 'self'"
    assert html.count("Content-Security-Policy") == 1 and "script-src &#x27;self&#x27;" in html
    head, body = html.split("</head>")
    assert '<meta name="reporting-preview-version" content="7">' in head
    assert '<script src="/_preview/refresh.js" defer></script>' in head
    assert body.index('id="reporting-preview"') < body.index('id="reporting-preview-problems"') < body.index("<p>report</p>")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "the page below is the last good render" in html
    assert '<option value="press" selected>press</option>' in html
    assert 'href="/brief.pdf?audience=press&amp;lang=en"' in html


def it_composes_a_page_before_any_good_render():
    html, policy = compose(None, ["data.yaml:1: YAML syntax error: boom"], 1, Toolbar(Selection(), ()))
    assert "data.yaml:1: YAML syntax error: boom" in html and policy.startswith("default-src 'none'")
    assert "no render yet" in html and "last good render" not in html


@pytest.mark.parametrize("path", ["/..", "/../etc/passwd", "/%2e%2e/x", "/%2E%2e%2fetc", "/a/%252e%252e/b",
                                  "/./x", "/x%5c..", "/a\\b", "/%00", "/_preview/..%2F..%2Fetc/passwd"])
def it_refuses_dot_segments_however_encoded(path):
    assert refused_path(path)


@pytest.mark.parametrize("path", ["/", "/?audience=press", "/brief.pdf?lang=en", "/_preview/events", "/a..b"])
def it_lets_ordinary_paths_through(path):
    assert not refused_path(path)


def it_answers_only_for_its_own_host_names():
    loopback = allowed_hosts("127.0.0.1")
    for header in ("localhost", "localhost:8765", "127.0.0.1:1", "[::1]:8765", "LocalHost."):
        assert loopback(header), header
    for header in (None, "", "evil.example", "evil.example:8765", "127.0.0.1.nip.io", "10.0.0.5:8765", "localhost.evil"):
        assert not loopback(header), header
    anywhere = allowed_hosts("0.0.0.0")
    assert anywhere("192.168.1.20:8765") and anywhere("[fe80::1]:8765") and not anywhere("evil.example")
    assert host_name("[::1]:80") == "::1"


def it_takes_selections_only_a_config_could_hold():
    assert Selection.parse("", "") == Selection() == Selection.parse("default", None)
    assert Selection.parse("press", "en").query() == {"audience": "press", "lang": "en"}
    for audience, edition in (("<b>", None), ("A" * 50, None), ("x", "fr")):
        with pytest.raises(UsageError):
            Selection.parse(audience, edition)


def it_lists_problems_one_per_line():
    error = DataError([Problem("d.yaml", 4, "facts[0].value", "bad"), Problem("d.yaml", None, "", "worse")])
    assert problem_lines(error) == ["d.yaml:4: facts[0].value: bad", "d.yaml: worse"]
    assert problem_lines(TemplateError("t.html:3: template syntax error: x\n    {% if %}")) == [
        "t.html:3: template syntax error: x", "{% if %}"]
    assert problem_lines(KeyError("k"))[0].startswith("internal error")


def it_tells_open_pages_only_of_a_different_result():
    async def scenario():
        view = View(Selection())
        queue = view.subscribe()
        assert view.record(1, "<p>a</p>", []) and queue.get_nowait() == 1
        assert not view.record(2, "<p>a</p>", []) and queue.empty()  # same page: nothing to fetch
        assert view.record(3, None, ["d.yaml:1: x"]) and queue.get_nowait() == 2
        assert view.good_html == "<p>a</p>"  # kept under the problems
        assert view.record(4, "<p>a</p>", []) and queue.get_nowait() == 3
        views = Views()
        assert views.stale(views.get(Selection())) and views.get(Selection()) is views.get(Selection())

    asyncio.run(scenario())


def it_watches_every_input_of_every_audience(tmp_path):
    from reporting.project.scaffold import init_project
    from reporting.project.config import find_config, load_config

    project = tmp_path / "p"
    init_project(project, load_config(find_config()))
    inputs = ProjectInputs(Settings(project=project))
    plan = inputs.watch_plan()
    assert (project / "report.toml").resolve() in plan.files
    assert (project / "data").resolve() in plan.folders
    assert (project / "templates").resolve() in plan.trees
    assert (project / "templates" / "audiences" / "executive").resolve() not in {p for p, _ in watch_points(plan)}
    points = watch_points(plan)
    assert ((project / "templates").resolve(), True) in points and ((project / "data").resolve(), False) in points
    assert (project.resolve(), False) in points  # the config's folder, at its top only

    keep = path_filter(lambda: plan)
    data = (project / "data").resolve()
    assert keep(None, str(data / "xiaohongshu-2020.yaml")) and keep(None, str(data / "facts.xlsx"))
    assert not keep(None, str(data / "sedAb12Cd")) and not keep(None, str(data / ".x.yaml.swp"))
    assert not keep(None, str(project.resolve() / "out" / "x.html"))
    assert keep(None, str((project / "templates" / "brief" / "custom.css").resolve()))

    config = (project / "report.toml").resolve()
    assert inputs.touched({config}) == {"config"}
    assert inputs.touched({data / "xiaohongshu-2020.yaml"}) == {"dataset"}
    assert inputs.touched({(project / "templates" / "brief" / "brief.html").resolve()}) == {"templates"}


def it_watches_a_config_that_does_not_parse_and_lets_a_bug_through(tmp_path, monkeypatch):
    config = tmp_path / "report.toml"
    config.write_text("[project\n", encoding="utf-8")
    inputs = ProjectInputs(Settings(config=config))
    assert config.resolve() in {Path(p).resolve() for p in inputs.watch_plan().files}
    assert inputs.touched({config.resolve()}) == {"config"}

    def bug():
        raise RuntimeError("a bug in the toolkit")

    monkeypatch.setattr(inputs, "book", bug)
    monkeypatch.setattr(inputs, "dataset_path", bug)
    with pytest.raises(RuntimeError):  # not taken for a config that does not parse
        inputs.watch_plan()
    with pytest.raises(RuntimeError):
        inputs.touched({config.resolve()})


def it_names_the_line_of_a_toml_syntax_error(tmp_path):
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads('[project]\ndataset = "x"\n[audiences.broken\n')
    assert toml_error_line(caught.value) == 3
    from reporting.project.config import load_config

    bad = tmp_path / "report.toml"
    bad.write_text('[project]\ndataset = "x"\n[audiences.broken\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_config(bad)
    assert caught.value.problems[0].line == 3


def it_compiles_a_template_again_only_when_its_text_changed(tmp_path):
    from reporting.pipeline.build import BuildOptions, Builder

    override = tmp_path / "templates" / "brief" / "brief.html"
    override.parent.mkdir(parents=True)
    block = '{% extends "brief/base.html" %}{% block cover_note %}<p class="note">NOTE-A</p>{% endblock %}'
    override.write_text(block, encoding="utf-8")
    options = BuildOptions(formats=("html",), template_dirs=(tmp_path / "templates",))
    dataset = Path(__file__).resolve().parents[2] / "data" / "xiaohongshu-2020.yaml"
    with Builder(parallel=False) as builder:
        assert "NOTE-A" in builder.render_html(dataset, options)
        compiled = builder._compiled
        dumped = []
        original = compiled.dump_bytecode
        compiled.dump_bytecode = lambda bucket: (dumped.append(bucket.key), original(bucket))
        assert "NOTE-A" in builder.render_html(dataset, options)
        assert dumped == []  # nothing compiled again
        stat = override.stat()
        override.write_text(block.replace("NOTE-A", "NOTE-B"), encoding="utf-8")  # same size
        import os

        os.utime(override, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time too: the text decides
        html = builder.render_html(dataset, options)
        assert "NOTE-B" in html and "NOTE-A" not in html
        assert len(dumped) == 1


def batches_while(plan_of, script) -> list[set[Path]]:
    """Every batch :func:`~reporting.preview.watcher.watch` reports while ``script`` runs.

    ``script`` is given ``until_seen(path, write)``, which calls ``write(attempt)`` and
    waits for a batch naming ``path``, again and again (the watches start in threads)
    until one does."""
    from reporting.preview.watcher import watch

    async def scenario() -> list[set[Path]]:
        batches: asyncio.Queue = asyncio.Queue()
        seen: list[set[Path]] = []
        stop = asyncio.Event()

        async def on_change(paths):
            batches.put_nowait(paths)

        async def until_seen(path: Path, write) -> None:
            for attempt in range(200):
                write(attempt)
                try:
                    while True:
                        batch = await asyncio.wait_for(batches.get(), 0.3)
                        seen.append(batch)
                        if path in batch:
                            return
                except asyncio.TimeoutError:
                    continue
            raise AssertionError(f"{path} never reported")

        task = asyncio.ensure_future(watch(plan_of, on_change, stop))
        try:
            await script(until_seen)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        return seen

    return asyncio.run(scenario())


def it_reports_changed_inputs_and_watches_the_folders_a_changed_config_names(tmp_path):
    config = tmp_path / "report.toml"
    config.write_text("# 1\n", encoding="utf-8")
    data, extra = tmp_path / "data", tmp_path / "extra"
    data.mkdir()
    extra.mkdir()
    plans = [WatchPlan(frozenset({config}), frozenset({data}), frozenset())]

    def writing(path: Path, text: str):
        return lambda attempt: path.write_text(f"{text} {attempt}\n", encoding="utf-8")

    async def script(until_seen) -> None:
        await until_seen(data / "facts.yaml", writing(data / "facts.yaml", "a: 1"))
        (data / "notes.txt").write_text("not an input\n", encoding="utf-8")
        plans.append(WatchPlan(frozenset({config}), frozenset({data}), frozenset({extra})))
        await until_seen(config, writing(config, "# 2"))  # the plan is asked again
        await until_seen(extra / "custom.css", writing(extra / "custom.css", "p {}"))

    everything = set().union(*batches_while(lambda: plans[-1], script))
    assert data / "facts.yaml" in everything and config in everything and extra / "custom.css" in everything
    assert data / "notes.txt" not in everything  # not a data file


def it_watches_no_folder_a_link_in_a_template_folder_leads_to(tmp_path):
    """A link in a template folder to a folder outside (``/etc``, a home folder) is not
    followed: the tree is watched one real folder at a time, a folder made later included."""
    outside = tmp_path / "outside"
    (outside / "deep" / "deeper").mkdir(parents=True)
    templates = tmp_path / "templates"
    (templates / "brief").mkdir(parents=True)
    (templates / "elsewhere").symlink_to(outside, target_is_directory=True)
    plan = WatchPlan(frozenset(), frozenset(), frozenset({templates}))
    points = watch_points(plan)
    assert points == {(templates, False), (templates / "brief", False)}
    assert watch_points(WatchPlan(frozenset(), frozenset(), frozenset({templates / "brief"}))) == {
        (templates / "brief", True)}  # no link: one recursive watch

    def writing(path: Path):
        def write(attempt: int) -> None:
            path.write_text(f"p {{}} /* {attempt} */\n", encoding="utf-8")
            (outside / "deep" / "deeper" / "secret.css").write_text(f"{attempt}\n", encoding="utf-8")
        return write

    async def script(until_seen) -> None:
        await until_seen(templates / "brief" / "custom.css", writing(templates / "brief" / "custom.css"))
        (templates / "later").mkdir()
        await until_seen(templates / "later" / "extra.css", writing(templates / "later" / "extra.css"))

    everything = set().union(*batches_while(lambda: plan, script))
    assert templates / "later" / "extra.css" in everything
    assert not [path for path in everything if "deeper" in path.parts or "elsewhere" in path.parts]
