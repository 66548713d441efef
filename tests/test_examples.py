"""The example projects under examples/ build in every edition and for every audience,
show their key figures as the documents they come from print them, and pass
`make-report verify` and `make-report check`.

Each output is built once per session (one `--format all` build per edition, one
`--audience all` build per example, the builds of each example in one process) and shared
by the tests below."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

import cli_batches
from once_per_run import once_per_run
from reporting.lang.numbers import plain

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

COMPANY = "company-results"
BULLETIN = "statistics-bulletin"
DATASET = {COMPANY: "microsoft-fy2023", BULLETIN: "china-2023-bulletin"}
AUDIENCES = {COMPANY: {"investors": "en", "board": "en-zh", "china": "zh"},
             BULLETIN: {"officials": "zh", "researchers": "en", "briefing": "bilingual"}}
EDITIONS = ("bilingual", "en-zh", "zh", "en")
FULL_AUDIENCE = {COMPANY: {"en": "investors"}, BULLETIN: {"zh": "officials"}}
"""Editions an audience builds whole (full depth, every section): its outputs stand for
the edition's own build, which is not made again."""


def make_report(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "reporting", *args], capture_output=True,
                            text=True, env=_env(), cwd=ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"make-report {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _build(folder: Path) -> dict[str, str]:
    """make-report as a user runs it: each edition of each example in every format, and
    every audience of each; the examples at once, the commands of each in turn
    (:mod:`cli_batches`)."""
    def chosen(example: str, which: str) -> list[str]:
        if which == "audiences":
            return ["--audience", "all"]
        # The company's dataset makes English first its default edition: built without --lang.
        return [] if (example, which) == (COMPANY, "en-zh") else ["--lang", which]

    commands = {example: {f"{example}/{which}": [*chosen(example, which),
                                                 "--project", str(EXAMPLES / example), "--format", "all",
                                                 "--out", str(folder / example / which)]
                          for which in (*EDITIONS, "audiences") if which not in FULL_AUDIENCE[example]}
                for example in DATASET}
    running = [cli_batches.start(list(builds.values()), env=_env(), cwd=ROOT) for builds in commands.values()]
    for process in running:
        cli_batches.finish(process)
    return {name: str(folder / name) for builds in commands.values() for name in builds}


@pytest.fixture(scope="session")
def built(tmp_path_factory, _private_cache) -> dict[tuple[str, str], Path]:
    """(example, edition or audience) -> the folder of its PDF, HTML and deck, built once
    for the whole run (under pytest-xdist by the first worker to ask, the others waiting)."""
    folders = once_per_run(tmp_path_factory, "examples", _build)
    outputs: dict[tuple[str, str], Path] = {}
    for name, path in folders.items():
        example, which = name.split("/")
        for key in (AUDIENCES[example] if which == "audiences" else [which]):
            outputs[example, key] = Path(path)
        if which == "audiences":
            for edition in FULL_AUDIENCE[example]:
                outputs[example, edition] = Path(path)
    return outputs


def output(built, example: str, which: str, ext: str) -> Path:
    which = FULL_AUDIENCE[example].get(which, which)
    edition = AUDIENCES[example].get(which, which)
    audience = which if which in AUDIENCES[example] else "default"
    path = built[example, which] / f"{DATASET[example]}_{audience}_{edition}.{ext}"
    assert path.is_file(), f"{path.name} was not written"
    return path


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    return " ".join(plain(text).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("example", list(DATASET))
def it_checks_ok(example):
    result = make_report("check", "--project", str(EXAMPLES / example))
    assert result.stdout.startswith("ok: "), result.stdout
    assert "warning" not in result.stderr, result.stderr


@pytest.mark.parametrize("example", list(DATASET))
def they_pass_verify_on_every_output(built, example):
    files = sorted({str(p) for (ex, _), folder in built.items() if ex == example
                    for p in folder.iterdir() if p.suffix in (".pdf", ".pptx", ".html")})
    assert len(files) == 3 * (len(EDITIONS) + len(AUDIENCES[example]) - len(FULL_AUDIENCE[example]))
    result = make_report("verify", "--data", str(EXAMPLES / example / f"{DATASET[example]}.yaml"),
                         *files, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" ok") >= len(files)


COMPANY_FIGURES = {
    # Amounts typed in millions of dollars, rounded half away from zero at two decimals.
    "en": ["$211.92 billion", "up 6.9%", "$72.36 billion", "down 0.5%", "$9.68", "$87.91 billion",
           "$377 million lower", "down 8.7%", "Q1 FY2023", "January 18, 2023",
           "about $111.6 billion", "October 13"],
    "zh": ["2119.15亿美元", "增长6.9%", "723.61亿美元", "下降0.5%", "9.68美元", "879.07亿美元",
           "减少3.77亿美元", "下降8.7%", "2023财年第一季度", "2023年1月18日",
           "约1116亿美元"],
}

BULLETIN_FIGURES = {
    # Values typed as the bulletin prints them (亿元, 万人) and scaled by their unit.
    "zh": ["126.06万亿元", "增长5.2%", "89358元", "39218元", "14.0967亿人", "减少208万人",
           "下降9.6%", "提高0.94个百分点", "−1.48‰", "2023年一季度", "12月11日至12日", "2024年1月17日"],
    "en": ["126.06 trillion yuan", "up 5.2%", "89,358 yuan", "39,218 yuan", "1.4097 billion people",
           "2.08 million people fewer", "fell by 9.6%", "up 0.94 percentage points", "−1.48‰", "Q1 2023",
           "17 January 2024"],
}

LOCATIONS = {(COMPANY, "investors"): ["Item 8, Note 19", "Item 7"], (BULLETIN, "researchers"): ["section 1"]}
"""Where the sources state figures, as cited: in the audit trail of the audiences that ask for it."""


@pytest.mark.parametrize("example, audience", list(LOCATIONS))
def they_cite_where_each_figure_is_stated_for_the_audiences_that_ask(built, example, audience):
    text = squeezed(pdf_text(output(built, example, audience, "pdf")))
    assert "Appendix:whereeachfigureisstated" in text
    assert [where for where in LOCATIONS[example, audience] if squeezed(where) not in text] == []
    # the other audiences get the sources as a list, without locations
    for other in AUDIENCES[example]:
        if (example, other) not in LOCATIONS:
            assert "Appendix" not in pdf_text(output(built, example, other, "pdf"))


@pytest.mark.parametrize("example, figures", [(COMPANY, COMPANY_FIGURES), (BULLETIN, BULLETIN_FIGURES)])
@pytest.mark.parametrize("edition", EDITIONS)
def they_show_the_key_figures_as_printed(built, example, figures, edition):
    text = squeezed(pdf_text(output(built, example, edition, "pdf")))
    langs = ["zh", "en"] if "-" in edition or edition == "bilingual" else [edition]
    missing = [f for lang in langs for f in figures[lang] if squeezed(f) not in text]
    assert missing == []


@pytest.mark.parametrize("example", list(DATASET))
def they_give_each_audience_its_edition_and_sections(built, example):
    for audience, edition in AUDIENCES[example].items():
        for ext in ("pdf", "html", "pptx"):
            output(built, example, audience, ext)
    if example == COMPANY:
        board = pdf_text(output(built, COMPANY, "board", "pdf"))
        assert "董事会摘要" in board and "board summary" in board
        assert "Quarter by quarter" not in board  # the board's audience leaves the quarters out
        investors = pypdf.PdfReader(output(built, COMPANY, "investors", "pdf"))
        assert round(float(investors.pages[0].mediabox.width)) == 612  # Letter
        china = pdf_text(output(built, COMPANY, "china", "pdf"))
        assert "逐季表现" in china and "Quarter by quarter" not in china
    else:
        researchers = pdf_text(output(built, BULLETIN, "researchers", "pdf"))
        assert "Population" in researchers and "Consumption, investment and trade" not in researchers
        briefing = pdf_text(output(built, BULLETIN, "briefing", "pdf"))
        assert "2023年经济运行简报" in briefing and "Consumption, investment and trade" in briefing
        assert "Household income" not in briefing  # the briefing leaves population and incomes out


def it_writes_the_company_in_american_english(built):
    text = pdf_text(output(built, COMPANY, "en", "pdf"))
    assert "January 18, 2023" in text and "18 January 2023" not in text


def it_names_the_years_the_bulletin_timeline_crosses(built):
    text = squeezed(pdf_text(output(built, BULLETIN, "zh", "pdf")))
    assert "2023年1月8日" in text and "2024年1月17日" in text


def it_builds_the_company_english_first_by_default(built):
    """The dataset's report.edition (en-zh) is the edition of a build without --lang:
    English leads, as the document's language and first on the cover."""
    reader = pypdf.PdfReader(output(built, COMPANY, "en-zh", "pdf"))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    cover = " ".join(plain(reader.pages[0].extract_text()).split())
    assert cover.index("Microsoft: fiscal year 2023 in review") < cover.index("微软2023财年业绩回顾")


# --- The Hong Kong example: Traditional Chinese first, a fiscal year to March -----------

HARBOUR = "hk-harbour"
HARBOUR_DATASET = "harbour-2024-25"
HARBOUR_AUDIENCES = {"public": "zh-HK-en", "investors": "en-zh-HK"}


def _build_harbour(folder: Path) -> str:
    make_report("--project", str(EXAMPLES / HARBOUR), "--audience", "all", "--format", "all", "--out", str(folder))
    return str(folder)


@pytest.fixture(scope="session")
def harbour(tmp_path_factory, _private_cache) -> Path:
    """The Hong Kong example's audiences, every format, built once for the whole run."""
    return Path(once_per_run(tmp_path_factory, "hk-harbour", _build_harbour))


def harbour_text(path: Path) -> str:
    from reporting.verify.extract import extract

    extracted = extract(path)
    return squeezed(plain(extracted.body + extracted.extra))


def it_checks_the_hong_kong_example_ok():
    result = make_report("check", "--project", str(EXAMPLES / HARBOUR))
    assert result.stdout.startswith("ok: 12 facts, 2 sections, 1 chart, 2 audiences"), result.stdout
    assert result.stderr == "", result.stderr


def it_builds_and_verifies_the_hong_kong_example(harbour):
    files = sorted(str(path) for path in harbour.iterdir() if path.suffix in (".pdf", ".pptx", ".html"))
    assert len(files) == 3 * len(HARBOUR_AUDIENCES)
    result = make_report("verify", "--project", str(EXAMPLES / HARBOUR), *files, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(" ok") == len(files)


@pytest.mark.parametrize("audience", HARBOUR_AUDIENCES)
@pytest.mark.parametrize("ext", ["pdf", "html", "pptx"])
def it_writes_the_hong_kong_fiscal_year_range_and_cap(harbour, audience, ext):
    import opencc

    path = harbour / f"{HARBOUR_DATASET}_{audience}_{HARBOUR_AUDIENCES[audience]}.{ext}"
    text = harbour_text(path)
    expected = [
        "2024至25年度", "2024-25",            # the fiscal year in the dataset's style, both languages
        "+2.5%至+3.5%", "+2.5%–+3.5%",        # the range, as one figure
        "最多3000港元", "uptoHK$3,000",       # the cap
        "至少12個月", "atleast12months",      # the floor
        "預算案",                              # the dataset's own Traditional wording (zh-Hant)
        "貨櫃吞吐量",                          # converted from 货柜吞吐量
    ]
    if ext != "pptx":
        expected += ["2020至21年度", "2021至22年度", "2022至23年度", "2023至24年度"]  # the five-year series
    missing = [form for form in expected if form not in text]
    assert missing == [], (path.name, missing)
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]", text))
    converted = opencc.OpenCC("s2hk").convert(chinese)
    assert [(a, b) for a, b in zip(chinese, converted) if a != b] == [], path.name  # no Simplified-only character


@pytest.mark.parametrize("audience", HARBOUR_AUDIENCES)
def it_shows_a_section_without_points_or_chart_with_its_figures(harbour, audience):
    """The Hong Kong example's outlook section has a lead and three figures, no points and
    no chart: its slide shows the lead and, under it, each figure as a tile (number and
    label), not a lone sentence on an empty slide."""
    from pptx import Presentation

    deck = Presentation(str(harbour / f"{HARBOUR_DATASET}_{audience}_{HARBOUR_AUDIENCES[audience]}.pptx"))
    slide = next(s for s in deck.slides if any("forecasts container throughput" in plain(sh.text_frame.text)
                                                  for sh in s.shapes if sh.has_text_frame))  # the section's lead
    boxes = [(sh.top, plain(sh.text_frame.text).replace("\xa0", " ")) for sh in slide.shapes
             if sh.has_text_frame and sh.text_frame.text]
    lead = next(top for top, text in boxes if "forecasts container throughput" in text)
    tiles = {}
    for label, numbers in (("forecast growth", ("+2.5%–+3.5%", "+2.5%至+3.5%")),
                           ("berth-fee relief", ("up to HK$3,000", "最多3000港元")), ("new berths", ("3",))):
        [(top, text)] = [(top, text) for top, text in boxes if label in text]
        assert top > lead and text.split("\n")[0].replace(" ", "") in {n.replace(" ", "") for n in numbers}, text
        tiles[label] = top
    assert len(set(tiles.values())) == 1  # one row of tiles, under the lead


@pytest.mark.libreoffice
def it_draws_every_word_of_the_hong_kong_decks_inside_its_box(harbour, tmp_path):
    """As LibreOffice draws them, every character of both audiences' decks is inside its
    own shape's box (tests/drawn_text.py): the tiles under a lead included."""
    import drawn_text  # tests/drawn_text.py

    marked, shapes = [], {}
    for audience, edition in HARBOUR_AUDIENCES.items():
        target = tmp_path / f"{audience}.pptx"
        shapes[target.stem] = drawn_text.mark(harbour / f"{HARBOUR_DATASET}_{audience}_{edition}.pptx", target)
        marked.append(target)
    for pdf in drawn_text.convert(marked, tmp_path / "pdf"):
        assert drawn_text.outside_their_boxes(pdf, shapes[pdf.stem]) == [], pdf.name
