"""Property-based tests: arbitrary text and numbers through the loader and both renderers.

The only allowed outcomes are a loaded dataset or built report, and a
:class:`~reporting.errors.ReportError` (a clear message). Anything else — a crash
inside python-pptx, lxml, WeasyPrint, babel or matplotlib, a warning turned error
by pytest — fails the test, and hypothesis shrinks the input to a small example.

Each example is the minimal fixture with many of its texts and figures replaced,
written as YAML with escapes (``"\\u0007"``, ``"\\ud800"``) so that any string,
surrogates and control characters included, reaches the loader exactly. The
examples are derandomized (the same inputs on every run, so CI is repeatable);
``REPORTING_FUZZ_RANDOM=1`` explores new ones and ``REPORTING_FUZZ_SCALE=10`` runs ten
times as many.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from ruamel.yaml import YAML

from reporting.pipeline.build import BuildOptions
from reporting.errors import DataError, ReportError
from reporting.dataset.load import load_dataset
from reporting.lang.editions import Edition

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
SCALE = float(os.environ.get("REPORTING_FUZZ_SCALE", "1"))
RANDOM = os.environ.get("REPORTING_FUZZ_RANDOM") == "1"


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # REPORTING_FUZZ_SHRINK=0 reports a failure at once, unshrunk (shrinking a build can take minutes)
        phases=[phase for phase in Phase if phase is not Phase.shrink or os.environ.get("REPORTING_FUZZ_SHRINK") != "0"],
    )


# ------------------------------------------------------------------ writing a dataset


def _base() -> dict:
    yaml = YAML(typ="safe")
    document = yaml.load(MINIMAL.read_text(encoding="utf-8"))
    return json.loads(json.dumps(document, default=str))  # dates as ISO text, plain containers


BASE = _base()

_INF, _NINF, _NAN = "\x00inf\x00", "\x00-inf\x00", "\x00nan\x00"


def _yaml_safe(char: str) -> str:
    """A character inside a YAML double-quoted string: raw when YAML prints it, else escaped."""
    code = ord(char)
    printable = (
        code in (0x09, 0x0A) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD or code >= 0x10000
    ) and code not in (0x2028, 0x2029, 0xFEFF)
    if printable:
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def to_yaml(document: Any) -> str:
    """JSON (a subset of YAML) with every string escaped for YAML, numbers as YAML writes them."""

    def prepare(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: prepare(value) for key, value in node.items()}
        if isinstance(node, list):
            return [prepare(value) for value in node]
        if isinstance(node, float) and not math.isfinite(node):
            return _NAN if math.isnan(node) else (_INF if node > 0 else _NINF)
        return node

    text = json.dumps(prepare(document), ensure_ascii=False, indent=1)
    for token, yaml_token in ((_INF, ".inf"), (_NINF, "-.inf"), (_NAN, ".nan")):
        text = text.replace(json.dumps(token), yaml_token)
    return "".join(_yaml_safe(char) for char in text)


def set_path(document: dict, path: tuple, value: Any) -> None:
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


_COUNTER = itertools.count()


def write(folder: Path, document: dict) -> Path:
    # A fresh name each time: the Builder caches datasets by path.
    path = folder / f"example-{next(_COUNTER)}.yaml"
    path.write_bytes(to_yaml(document).encode("utf-8", "surrogatepass"))
    return path


# ------------------------------------------------------------------------ strategies

# Fields printed as written (no placeholders): any text may go there.
PLAIN = [
    ("report", "title", "zh"), ("report", "title", "en"),
    ("report", "subtitle", "zh"), ("report", "subtitle", "en"),
    ("report", "organisation", "en"), ("report", "author", "zh"),
    ("sources", 0, "title", "en"), ("sources", 0, "publisher", "zh"),
    ("facts", 0, "label", "zh"), ("facts", 0, "label", "en"), ("facts", 1, "label", "en"),
    ("sections", 0, "title", "zh"), ("sections", 0, "title", "en"),
    ("sections", 0, "charts", 0, "title", "en"), ("sections", 0, "charts", 0, "caption", "zh"),
    ("sections", 0, "charts", 0, "categories", 0, "label", "en"),
    ("sections", 0, "charts", 0, "series", 0, "name", "zh"),
    ("timeline", "title", "en"), ("timeline", "events", 0, "title", "zh"),
]
# Narrative fields: {fact} placeholders are filled, so a text is followed by one.
NARRATIVE = [
    ("sections", 0, "lead", "en"), ("sections", 0, "lead", "zh"),
    ("sections", 0, "paragraphs", 0, "text", "en"),
    ("sections", 0, "points", 0, "zh"),
    ("facts", 2, "derived", "note", "en"),
]

# Characters the theme's fonts draw, HTML specials among them, and a few hazards.
DRAWABLE = st.one_of(
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,;:!?-_/()[]%$#@*+=~^|`")),
    st.sampled_from(list("<>&\"'") + ["&amp;", "<script>", "</p>", "{{", "}}"]),
    st.sampled_from(list("，。、：；！？（）《》“”‘’…—·éüßçñÅØ€£¥©°±×÷") + ["\t", "\n", "\u200b", "\u00ad", "\u0301"]),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
)
HAZARD = st.sampled_from(["\x07", "\x00", "\r", "\x85", "\ud800", "\udc00", "\ufffe", "\ue000", "😀", "\u05e9",
                          "{", "}", "{nosuch}", "\u202e"])
LONG_WORD = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz/.-"), min_size=80, max_size=400)


def drawable_text(max_size: int = 60) -> st.SearchStrategy[str]:
    short = st.lists(DRAWABLE, min_size=1, max_size=max_size).map("".join)
    return st.one_of(short, short, short, LONG_WORD).map(lambda text: text if text.strip() else "x" + text)


def with_hazard(changes: dict) -> st.SearchStrategy[dict]:
    """The same texts, and in about one example in four a hazard put into one of them."""
    hazard = st.tuples(st.sampled_from(sorted(changes, key=str)), HAZARD).map(
        lambda pair: {**changes, pair[0]: changes[pair[0]] + pair[1]})
    return st.one_of(st.just(changes), st.just(changes), st.just(changes), hazard)


ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=40)  # surrogates included
FIGURE = st.one_of(
    st.integers(min_value=0, max_value=10**15),
    st.floats(min_value=0, max_value=2e15, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
)
ANY_NUMBER = st.one_of(st.floats(), st.integers(min_value=-(10**400), max_value=10**400), st.booleans(),
                       st.text(max_size=5), st.none())


def texts(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {path: strategy for path in PLAIN},
        optional={path: strategy.map(lambda text: text + " {users}") for path in NARRATIVE},
    )


def dataset_with(changes: dict[tuple, Any]) -> dict:
    document = copy.deepcopy(BASE)
    for path, value in changes.items():
        set_path(document, path, value)
    return document


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


# ------------------------------------------------------------------------- the loader


@fuzz(150)
@given(changes=texts(ANY_TEXT))
def it_loads_any_text_or_names_what_is_wrong(folder, changes):
    path = write(folder, dataset_with(changes))
    try:
        loaded = load_dataset(path)
    except DataError as error:
        assert error.problems and all(problem.message for problem in error.problems)
        return
    # Loaded text is the text given (only the surrounding white space is trimmed).
    title = changes[("report", "title", "en")]
    assert loaded.dataset.report.title.en == title.strip()


@fuzz(150)
@given(
    users=ANY_NUMBER, growth=ANY_NUMBER, paragraph=ANY_NUMBER, precision=ANY_NUMBER,
    date=st.one_of(st.text(max_size=12), st.integers(), st.dates().map(str)),
)
def it_loads_any_numbers_or_names_what_is_wrong(folder, users, growth, paragraph, precision, date):
    document = dataset_with({
        ("facts", 0, "value"): users, ("facts", 1, "value"): growth,
        ("facts", 0, "source", "paragraph"): paragraph, ("facts", 1, "precision"): precision,
        ("facts", 0, "date"): date,
    })
    try:
        loaded = load_dataset(write(folder, document))
    except DataError as error:
        assert error.problems
        return
    assert all(math.isfinite(value) and abs(value) < 1e15 for value in loaded.values.values())


# ------------------------------------------------------------------- the renderers


def check_built(result, changes: dict, edition: Edition) -> None:
    html_path = next((p for p in result.outputs if p.suffix == ".html"), None)
    if html_path is not None:
        html = html_path.read_text(encoding="utf-8")
        lang = "en" if edition is Edition.EN else "zh"
        subtitle = changes[("report", "subtitle", lang)].strip()
        assert str(escape(subtitle)) in html, "data text must appear in the HTML, escaped"
        assert "<script>" not in html
    deck = next((p for p in result.outputs if p.suffix == ".pptx"), None)
    if deck is not None:
        from pptx import Presentation

        assert len(Presentation(str(deck)).slides) >= 3


CHART = st.fixed_dictionaries({
    ("sections", 0, "charts", 0, "kind"): st.sampled_from(["bar", "column", "stacked_column", "line", "doughnut"]),
    ("sections", 0, "charts", 0, "log_scale"): st.booleans(),
    ("facts", 1, "value"): st.one_of(st.floats(min_value=-99.9, max_value=1e4, allow_nan=False), st.just(0)),
})


@pytest.mark.slow
@fuzz(40)
@given(changes=texts(drawable_text()).flatmap(with_hazard), users=FIGURE, chart=CHART,
       edition=st.sampled_from(list(Edition)))
def it_builds_the_preview_and_deck_or_raises_a_report_error(folder, builder, changes, users, chart, edition):
    changes = {**changes, **chart, ("facts", 0, "value"): users}
    path = write(folder, dataset_with(changes))
    try:
        result = builder.build(path, BuildOptions(formats=("html", "pptx"), edition=edition, out_dir=folder / "out"))
    except ReportError as error:
        event(f"refused: {type(error).__name__}")
        event(f"why: {str(error).splitlines()[-1].split(': ', 2)[-1][:50]}")
        return
    event("built")
    check_built(result, changes, edition)


@pytest.mark.slow
@fuzz(8)
@given(changes=texts(drawable_text(30)).flatmap(with_hazard), users=FIGURE, edition=st.sampled_from(list(Edition)))
def it_builds_the_pdf_or_raises_a_report_error(folder, builder, changes, users, edition):
    changes = {**changes, ("facts", 0, "value"): users}
    path = write(folder, dataset_with(changes))
    try:
        result = builder.build(path, BuildOptions(formats=("pdf",), edition=edition, out_dir=folder / "pdf"))
    except ReportError as error:
        event(f"refused: {type(error).__name__}")
        event(f"why: {str(error).splitlines()[-1].split(': ', 2)[-1][:50]}")
        return
    event("built")
    # The cover and at least a page of content (the page design fits this small dataset's
    # key figures, contents, sections and sources in three pages).
    assert result.pages and result.pages >= 2


def it_writes_any_string_exactly_as_yaml(folder):
    """The harness itself: what hypothesis generates is what the loader reads."""
    nasty = "a\x00b\x07c\rd\x85e\u2028f\ud800g\ufffeh\"i\\j\tk\nl😀m\ue000"
    path = write(folder, dataset_with({("report", "subtitle", "en"): nasty}))
    yaml = YAML(typ="rt")
    loaded = yaml.load(path.read_text(encoding="utf-8", errors="surrogatepass"))
    assert loaded["report"]["subtitle"]["en"] == nasty
    assert all(unicodedata.category(c) != "Cs" for c in path.read_text(encoding="utf-8", errors="surrogatepass"))
