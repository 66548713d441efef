"""The chart cache on disk: keyed on everything that shapes a chart (the drawing code and
every toolkit module it imports, number and date formatting among them; library versions
and Babel's data; the font files), bounded in size, and cleared by `make-report cache clear`."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.charts import cache, mpl
from reporting.charts.cache import ChartCache, environment_key, toolkit_sources
from reporting.charts.mpl import ChartRenderer
from reporting.model.chartspec import ChartSpec, SeriesSpec
from reporting.model.theme import Theme
from reporting.cli import main
from reporting.model.texts import Phrase, Texts


def spec() -> ChartSpec:
    def t(text: str) -> Texts:
        return Texts((Phrase("en", text),))

    return ChartSpec(id="cached", kind="column", title=t("Sales"), caption=t("Sales"), alt=t("Sales"),
                     categories=(t("One"), t("Two")),
                     series=(SeriesSpec(t("Online"), (1.0, 2.0), (t("1"), t("2")), ("a", "b")),),
                     value_axis=t("Sales"))


@pytest.fixture
def fresh_environment():
    """The code-and-library part of the key is worked out once per process: afresh here."""
    cache._code_and_libraries.cache_clear()
    yield
    cache._code_and_libraries.cache_clear()


def it_keys_on_every_toolkit_module_the_drawing_imports():
    """Number formatting, text and font look-up are imported by the drawing module: their
    source is part of the key, found from the imports (including those inside functions)."""
    sources = toolkit_sources(mpl.__name__)
    assert mpl.__name__ in sources
    from reporting.charts import layout

    for function in (layout.format_number, mpl.resolve_font):
        assert function.__module__ in sources, function.__module__
    from reporting.lang import editions as i18n

    assert i18n.__name__ in sources  # the locales numbers and dates are formatted in


def it_finds_imports_inside_functions_and_draws_afresh_when_one_changes(tmp_path, monkeypatch, fresh_environment):
    package = tmp_path / "drawpkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "draw.py").write_text(textwrap.dedent("""
        from .sub import style

        def draw():
            from .fmt import number
            return number(style.SIZE)
    """))
    (package / "fmt.py").write_text("def number(value):\n    return f'{value:,}'\n")
    (package / "sub" / "style.py").write_text("SIZE = 10\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert sorted(toolkit_sources("drawpkg.draw")) == ["drawpkg.draw", "drawpkg.fmt", "drawpkg.sub",
                                                       "drawpkg.sub.style"]
    before = environment_key("drawpkg.draw", [])
    (package / "fmt.py").write_text("def number(value):\n    return f'{value:_}'\n")
    cache._code_and_libraries.cache_clear()
    assert environment_key("drawpkg.draw", []) != before
    assert "drawpkg.draw" not in sys.modules  # read, not imported


def it_draws_afresh_when_babel_changes(tmp_path, monkeypatch, fresh_environment):
    """Babel's version (and its CLDR data) decides how numbers and dates are written."""
    first = ChartRenderer(Theme(), cache_dir=tmp_path)
    drawn = first.svg(spec())
    assert first.draws == 1
    again = ChartRenderer(Theme(), cache_dir=tmp_path)
    assert again.svg(spec()) == drawn and again.draws == 0

    import importlib.metadata

    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "babel" else real(name))
    cache._code_and_libraries.cache_clear()
    upgraded = ChartRenderer(Theme(), cache_dir=tmp_path)
    upgraded.svg(spec())
    assert upgraded.draws == 1


def it_draws_afresh_when_a_font_file_changes(tmp_path, monkeypatch):
    """The key holds the font files the theme's families resolve to, with their size and time."""
    from reporting.fonts import ResolvedFont

    font = tmp_path / "Face.ttf"
    font.write_bytes(b"a font")
    monkeypatch.setattr(mpl, "resolve_font", lambda family, weight="regular": ResolvedFont(family, font, 0, family))
    before = ChartRenderer(Theme(), cache_dir=tmp_path / "cache").environment
    assert ChartRenderer(Theme(), cache_dir=tmp_path / "cache").environment == before
    font.write_bytes(b"a newer font")
    assert ChartRenderer(Theme(), cache_dir=tmp_path / "cache").environment != before
    other = tmp_path / "Other.ttf"
    other.write_bytes(b"a newer font")
    os.utime(other, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns))
    monkeypatch.setattr(mpl, "resolve_font", lambda family, weight="regular": ResolvedFont(family, other, 0, family))
    assert ChartRenderer(Theme(), cache_dir=tmp_path / "cache").environment != before  # another file


ENV = "e" * 12  # an environment key: twelve hex digits


def key(index: int) -> str:
    """A chart's key as ChartSpec.digest makes it: sixteen hex digits."""
    return f"{index:016x}"


def it_keeps_the_cache_under_its_limit_dropping_the_least_recently_used(tmp_path):
    store = ChartCache(tmp_path, max_bytes=1000)
    for index in range(3):
        store.put(key(index), ENV, "svg", b"x" * 300)
        os.utime(store.path(key(index), ENV, "svg"), (index, index))  # key 0 oldest
    assert store.get(key(0), ENV, "svg") == b"x" * 300  # a use: key 0 is now the newest
    store.put(key(3), ENV, "svg", b"x" * 300)  # 1200 bytes > 1000: down to 750 at most
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == [f"{key(0)}-{ENV}.svg", f"{key(3)}-{ENV}.svg"]
    assert sum(path.stat().st_size for path in tmp_path.iterdir()) <= 1000


def it_clears_and_prunes_only_the_files_it_wrote(tmp_path):
    """The cache folder may be a link to a user's own folder, or hold their files: clearing
    and pruning touch only regular files named as the cache names them, and no link's target."""
    user = tmp_path / "pictures"
    user.mkdir()
    (user / "logo.png").write_bytes(b"the user's logo")
    outside = tmp_path / "outside.svg"
    outside.write_bytes(b"a file elsewhere")
    folder = tmp_path / "cache"
    folder.symlink_to(user, target_is_directory=True)
    store = ChartCache(folder, max_bytes=10)
    store.put(key(1), ENV, "svg", b"a chart")
    (folder / f"{key(2)}-{ENV}.svg").symlink_to(outside)  # named as a chart, but a link
    (folder / f"{key(3)}-{ENV}.png").mkdir()  # named as a chart, but a folder
    (folder / ".notes.part").write_text("the user's, not a scratch file")
    (folder / ".abc_1234.part").write_bytes(b"a scratch file an interrupted store left")
    assert cache.usage(folder).files == 1
    store.put(key(4), ENV, "svg", b"another chart, over the limit")  # prunes
    assert cache.clear(folder).files <= 1
    assert sorted(path.name for path in user.iterdir()) == sorted(
        [".notes.part", "logo.png", f"{key(2)}-{ENV}.svg", f"{key(3)}-{ENV}.png"])
    assert outside.read_bytes() == b"a file elsewhere" and (user / "logo.png").read_bytes() == b"the user's logo"


def it_lists_and_clears_the_cache_from_the_command_line(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    folder = tmp_path / "reporting" / "charts"
    ChartRenderer(Theme(), cache_dir=folder).svg(spec())
    (folder / "notes.txt").write_text("not a chart")
    shown = CliRunner().invoke(main, ["cache"], env=env)
    assert shown.exit_code == 0 and shown.output.startswith(f"{folder}: 1 chart, ")
    assert "of at most 50.0 MB" in shown.output
    cleared = CliRunner().invoke(main, ["cache", "clear"], env=env)
    assert cleared.exit_code == 0 and f"{folder}: removed 1 chart" in cleared.output
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]
    assert ChartRenderer(Theme(), cache_dir=folder).svg(spec()) and len(list(folder.glob("*.svg"))) == 1
