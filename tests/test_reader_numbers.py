"""Every text a reader sees is checked at authoring time: a number typed into a title, a
caption, a label, a legend entry, an event title or narrative that is no figure of the
dataset is named by ``make-report check`` with file, line and field; names holding a
number (``Form 10-K``, ``COVID-19``, ``5G``) are wording, by the rule the dataset
reference states (:data:`reporting.dataset.textnumbers.NAME_RULE`)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.dataset.load import load_dataset
from reporting.dataset.readertext import reader_texts, unmarked
from reporting.dataset.textnumbers import name_spans, number_tokens
from reporting.dataset.yaml_lines import read_yaml
from reporting.errors import format_path
from reporting.model.planner import plan
from reporting.project.check import check_project
from reporting.project.config import load_config
from reporting.verify.check import known_values

ROOT = Path(__file__).parent.parent
COMPANY = ROOT / "examples" / "company-results" / "microsoft-fy2023.yaml"
BULLETIN = ROOT / "examples" / "statistics-bulletin" / "china-2023-bulletin.yaml"


@pytest.mark.parametrize("text", [
    "Form 10-K", "20-F", "8-K", "COVID-19", "5G", "G20", "A4", "B2B", "FY2023", "under-18 users", "KN95",
    "a 10-year high", "COVID-19疫情", "5G网络", "提交10-K年度报告", "FY2024-25",
])
def it_takes_a_number_joined_to_letters_as_a_name(text):
    tokens = number_tokens(text)
    assert tokens and all(t.rule in ("name", "year", "date") for t in tokens), tokens
    assert any(rule == "name" for *_, rule in name_spans(text))


@pytest.mark.parametrize("text", ["the 14th Five-Year Plan", "21st century", "第14届", "第3季度"])
def it_takes_an_ordinal_as_no_figure(text):
    assert [t.rule for t in number_tokens(text)] == ["ordinal"]


@pytest.mark.parametrize("text, found", [
    ("Windows 11", "11"), ("Microsoft 365", "365"), ("Top 100", "100"),          # set apart by a space
    ("HKD77 billion", "77 billion"), ("USD650", "650"), ("650HKD", "650"),       # currency codes
    ("5bn", "5"), ("650-billion", "650"), ("10x", "10"), ("50bp", "50"),         # scales, multipliers, points
    ("3.5G", "3.5"), ("RMB 650 billion", "650 billion"), ("HKD 77 billion", "77 billion"),
])
def it_keeps_a_quantity_joined_to_a_scale_currency_or_unit_a_quantity(text, found):
    assert [(t.text, t.rule) for t in number_tokens(text)] == [(found, None)]


def it_keeps_a_number_joined_to_a_unit_word_of_the_dataset_a_quantity():
    assert [t.rule for t in number_tokens("RMB650 billion")] == ["name"]
    assert [t.rule for t in number_tokens("RMB650 billion", units={"rmb"})] == [None]


def project_with(tmp_path: Path, dataset: Path, text: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir(exist_ok=True)
    (folder / dataset.name).write_text(text, encoding="utf-8")
    (folder / "report.toml").write_text(f'[project]\ndataset = "{dataset.name}"\n', encoding="utf-8")
    return folder


def warnings_of(folder: Path) -> list[str]:
    result = check_project(load_config(folder / "report.toml"))
    assert result.ok, [str(p) for p in result.problems]
    return [str(w) for w in result.warnings]


def it_names_a_wrong_figure_in_a_chart_title_caption_and_event_title(tmp_path):
    """The blind spots of issue 31: these passed check, the build and verify."""
    text = COMPANY.read_text(encoding="utf-8")
    for old, new in [("en: What revenue was made of}", "en: What US$250 billion of revenue was made of}"),
                     ("en: Revenue in FY2022 and FY2023 by segment (US dollars);",
                      "en: Revenue in FY2022 and FY2023 by segment (US$250 billion);"),
                     ("en: Multi-year partnership with OpenAI extended}",
                      "en: US$77 billion partnership with OpenAI extended}")]:
        assert old in text
        text = text.replace(old, new)
    folder = project_with(tmp_path, COMPANY, text)
    lines = text.splitlines()
    line = {needle: next(n for n, t in enumerate(lines, 1) if needle in t)
            for needle in ("What US$250", "(US$250", "US$77 billion partnership")}
    warnings = warnings_of(folder)
    assert len(warnings) == 3, warnings
    name = COMPANY.name
    assert f"{name}:{line['What US$250']}: sections[0].charts[0].title.en: warning: '250 billion'" in warnings[0]
    assert f"{name}:{line['(US$250']}: sections[0].charts[0].caption.en: warning: '250 billion'" in warnings[1]
    assert f"{name}:{line['US$77 billion partnership']}: timeline.events[2].title.en: warning: '77 billion'" in warnings[2]


def it_checks_the_shipped_examples_without_a_warning():
    for dataset in (COMPANY, BULLETIN):
        assert load_dataset(dataset).warnings == []


NAMES_TEXT = ("Figures from the Form 10-K and 20-F filings; COVID-19, 5G and the G20 named; "
              "A4 pages; Item 7A; the 14th plan; {=Windows 11}.")


def it_takes_names_in_any_text_as_wording_and_prints_marks_without_braces(tmp_path):
    text = COMPANY.read_text(encoding="utf-8")
    text = text.replace("en: Multi-year partnership with OpenAI extended}", f'en: "{NAMES_TEXT}"}}')
    text = text.replace("title: {zh: 营业收入构成, en: What revenue was made of}",
                        f'title: {{zh: "营业收入构成（10-K、20-F、COVID-19、5G、G20、第14届）", en: "{NAMES_TEXT}"}}')
    folder = project_with(tmp_path, COMPANY, text)
    assert warnings_of(folder) == []
    report = plan(load_dataset(folder / COMPANY.name), "en")
    assert any(chart.title.get("en").endswith("Windows 11.") for s in report.sections for chart in s.charts)


# -- every text field: a wrong figure typed into each is named with file, line and field --

def text_fields(path: Path):
    """``(loc, kind, line, value as written)`` of every checked text of the dataset."""
    loaded = load_dataset(path)
    _, lines = read_yaml(path, path.name)
    for place in reader_texts(loaded.dataset):
        if place.kind == "name":
            continue
        for lang in ("zh", "en"):
            loc = [*place.loc, lang]
            yield loc, place.kind, lines.line_of(loc), lines.text_of(loc)


FIELDS = {path: list(text_fields(path)) for path in (COMPANY, BULLETIN)}
KNOWN = {path: known_values(load_dataset(path)) for path in (COMPANY, BULLETIN)}

# A wrong figure as each language writes amounts, with the number verify reads in it:
# scaled, a percentage, a decimal.
WRONG = st.one_of(
    st.builds(lambda n: (f"RMB {n} billion", f"{n} billion", Decimal(n) * 10**9), st.integers(101, 999)),
    st.builds(lambda n: (f"{n}亿元", f"{n}亿", Decimal(n) * 10**8), st.integers(1001, 9999)),
    st.builds(lambda n, d: (f"{n}.{d}%", f"{n}.{d}", Decimal(f"{n}.{d}")), st.integers(11, 99), st.integers(1, 9)),
)


def typed_into(line: str, lang: str, value: str, phrase: str) -> str:
    """``line`` with ``phrase`` typed after the text ``value`` of its ``lang`` field (an
    inline ``{zh: ..., en: ...}`` holds both)."""
    start = max(line.find(f"{lang}:"), 0)
    at = line.index(value, start) + len(value)
    return line[:at] + " " + phrase + line[at:]


@pytest.mark.parametrize("dataset", [COMPANY, BULLETIN], ids=["company", "bulletin"])
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def it_names_a_wrong_figure_typed_into_any_text_field(dataset, data, tmp_path):
    """Every text field of the dataset at once (titles, captions, labels, legend entries,
    event titles, narrative ...), each with its own wrong figure: each is named."""
    text_lines = dataset.read_text(encoding="utf-8").splitlines()
    typed: dict[str, tuple[int, str]] = {}
    fields = FIELDS[dataset]
    wrong = data.draw(st.lists(WRONG.filter(lambda w: w[2] not in KNOWN[dataset]),
                               min_size=len(fields), max_size=len(fields)))
    for (loc, kind, line, value), (phrase, token, number) in zip(fields, wrong):
        text_lines[line - 1] = typed_into(text_lines[line - 1], loc[-1], value, phrase)
        typed[format_path(loc)] = (line, token)
    folder = project_with(tmp_path, dataset, "\n".join(text_lines) + "\n")
    warnings = warnings_of(folder)
    for field, (line, token) in typed.items():
        expected = f"{dataset.name}:{line}: {field}: warning: {token!r} is typed"
        assert any(expected in w for w in warnings), (expected, warnings[:3])
    assert len(warnings) == len(typed)
    shutil.rmtree(folder)


NAMES_DATASET_TEXTS = [
    ("    en: Full-year figures are from Item 8 of the {=Form 10-K} (the financial statements)",
     "    en: Full-year figures are from Item 8 of the Form 10-K and the 20-F filings of peers, through COVID-19,"
     " 5G and the G20's meetings (the financial statements)"),
    ("en: Multi-year partnership with OpenAI extended}", "en: \"Form 10-K, 20-F, 8-K: COVID-19, 5G and G20 named\"}"),
    ("title: {zh: 营业收入构成, en: What revenue was made of}",
     "title: {zh: \"营业收入构成（10-K、COVID-19、5G、G20）\", en: \"What revenue was made of: Form 10-K, 20-F, 5G, G20\"}"),
]


@pytest.mark.slow
def it_verifies_a_dataset_naming_forms_and_names_without_a_mismatch_or_warning(tmp_path, builder):
    """Form 10-K, 20-F, COVID-19, 5G and G20 in the method, a chart title and an event
    title: no warning when the dataset loads (nor on the build), and every output (PDF,
    deck, HTML) verifies."""
    from reporting.pipeline.build import BuildOptions
    from reporting.verify.check import verify_outputs

    text = COMPANY.read_text(encoding="utf-8")
    for old, new in NAMES_DATASET_TEXTS:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / COMPANY.name
    path.write_text(text, encoding="utf-8")
    assert load_dataset(path).warnings == []
    result = builder.build(path, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=tmp_path / "out"))
    verified = verify_outputs(result.outputs, path)
    assert verified.ok, verified.table()
    assert sum(check.excepted for check in verified.checks) > 0
    for output in result.outputs:  # the names are in every output
        from reporting.verify.extract import extract

        assert "20-F" in extract(output).body.replace("\u2011", "-"), output
