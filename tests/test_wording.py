"""Verify tells the dataset's own wording from figures: a number inside a label, title,
name or unit the dataset wrote (``Top 100 brands``, ``Form 10-K``), or marked as meant
in narrative (``{=Fortune 500}``), is text; a changed figure and a number typed into
narrative that matches no fact are still caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporting.pipeline.build import BuildOptions, Builder
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.dataset.textnumbers import number_tokens
from reporting.verify.check import Verifier, verify_outputs

PERIODS = Path(__file__).parent / "fixtures" / "periods.yaml"

EXTRA_FACTS = """\
  - id: top_brands
    value: 37
    unit: visits
    label: {zh: 百强品牌中的品牌数, en: brands among the Top 100 brands}
    source: {ref: bulletin, page: 11}
  - id: minors
    value: 420000
    unit: visits
    label: {zh: 18岁以下用户, en: under-18 users}
    source: {ref: bulletin, page: 11}
  - id: electronics
    value: 2600000
    unit: visits
    label: {zh: 3C数码访问, en: 3C electronics visits}
    source: {ref: bulletin, page: 12}
"""

EXTRA_PARAGRAPH = """\
      - text:
          zh: "{top_brands}来自{=财富500强}企业的品牌，{minors:label}{minors}，{electronics:label}{electronics}。"
          en: "{top_brands:number} {top_brands:label}, as many as the {=Fortune 500} lists; {minors}; {electronics}."
"""


def wording_dataset(tmp_path: Path, narrative: str = EXTRA_PARAGRAPH) -> Path:
    text = PERIODS.read_text(encoding="utf-8")
    text = text.replace("key_figures: [", EXTRA_FACTS + "key_figures: [", 1)
    text = text.replace("    facts: [growth_q1, growth_q2, growth_h1, holiday_visits]",
                        "    facts: [growth_q1, growth_q2, growth_h1, holiday_visits, top_brands, minors, electronics]")
    anchor = '          en: "{holiday_visits} came over {holiday_visits:date}; {year_visits} in {year_visits:date}."\n'
    assert anchor in text
    text = text.replace(anchor, anchor + narrative, 1)
    path = tmp_path / "wording.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dataset(tmp_path):
    return wording_dataset(tmp_path)


def unknown(verifier: Verifier, text: str) -> list[str]:
    return [t.text for t in number_tokens(text, verifier.wording) if t.rule is None and t.value not in verifier.known]


def it_takes_numbers_in_the_datasets_own_words_as_text(dataset):
    verifier = Verifier(load_dataset(dataset))
    assert unknown(verifier, "37 brands among the Top 100 brands; 420,000 under-18 users") == []
    assert unknown(verifier, "Annual Report on Form 10-K · 10-K年度报告") == []
    assert unknown(verifier, "18岁以下用户42万人次，3C数码访问260万人次") == []
    # a wrap inside the label, and a capital at the start of a sentence
    assert unknown(verifier, "Brands among the Top\n100 brands") == []


def it_takes_a_number_marked_as_meant_in_narrative_as_text(dataset):
    loaded = load_dataset(dataset)
    paragraph = plan(loaded, "bilingual").sections[0].paragraphs[-1]
    assert "as many as the Fortune 500 lists" in paragraph.get("en")
    assert "来自财富500强企业" in paragraph.get("zh")
    assert unknown(Verifier(loaded), paragraph.get("en") + "\n" + paragraph.get("zh")) == []


def it_still_catches_changed_figures_and_numbers_typed_into_narrative(dataset):
    verifier = Verifier(load_dataset(dataset))
    # the label's number is wording only inside the label
    assert unknown(verifier, "37 brands among the Top 100 brands grew by 100 brands") == ["100"]
    assert unknown(verifier, "38 brands among the Top 100 brands") == ["38"]
    assert unknown(verifier, "430,000 under-18 users; 19岁以下用户") == ["430,000", "19"]
    assert unknown(verifier, "Top 1000 brands") == ["1000"]
    assert unknown(verifier, "as many as the Fortune 600 lists") == ["600"]


def it_verifies_a_built_brief_and_names_a_figure_changed_after_it(dataset, tmp_path):
    out = tmp_path / "out"
    with Builder() as builder:
        html = builder.build(dataset, BuildOptions(formats=("html",), out_dir=out, edition="en")).outputs[0]
    result = verify_outputs([html], dataset)
    assert result.ok, result.table()
    changed = tmp_path / "changed.yaml"
    changed.write_text(dataset.read_text(encoding="utf-8").replace("value: 420000", "value: 430000"), encoding="utf-8")
    result = verify_outputs([html], changed)
    assert not result.ok
    assert {m.item for m in result.mismatches} >= {"minors (text)", "420,000"}


@pytest.mark.parametrize("text", [
    "paragraph 1 January 17, 2024",   # a location, then an en-US date: one match must not hide the other
    "p. 3 21–27 January 2023", "Item 7, p. 21", "Item 8, Note 3", "第7项，第21页", "附注3", "第2.1节",
    "Q1 2023", "FY2023", "2023财年", "1月21日至27日", "January 21–27, 2023",
])
def it_excepts_locations_and_periods_by_rule(text):
    tokens = number_tokens(text)
    assert tokens and all(t.rule is not None for t in tokens), tokens


TYPED = """\
      - text:
          zh: "{minors}，比上年多99个品牌。"
          en: "{minors}; 99 brands more than a year earlier, {=Fortune 500} included."
"""


def it_warns_at_load_time_of_a_number_typed_into_narrative(tmp_path):
    path = wording_dataset(tmp_path, TYPED)
    loaded = load_dataset(path)
    warnings = [str(w) for w in loaded.warnings]
    assert len(warnings) == 2, warnings  # 99 in each language; the marked 500 and the placeholders are fine
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "比上年多99" in text)
    assert warnings[0].endswith(f"wording.yaml:{line}: sections[0].paragraphs[1].text.zh: warning: '99' is typed "
                                "into the text but is no figure of the dataset; give the figure as a {fact} "
                                "placeholder, or mark the words around it with it, as {=… 99 …} (a number alone "
                                "is never words)")
    assert load_dataset(wording_dataset(tmp_path)).warnings == []


def it_prints_the_warning_on_build_and_check_and_builds_anyway(tmp_path):
    from click.testing import CliRunner

    from reporting.cli import main

    path = wording_dataset(tmp_path, TYPED)
    runner = CliRunner()
    built = runner.invoke(main, ["--data", str(path), "--format", "html", "--lang", "en", "--out", str(tmp_path / "o")])
    assert built.exit_code == 0, built.output
    assert "sections[0].paragraphs[1].text.en: warning: '99' is typed" in built.stderr
    (tmp_path / "report.toml").write_text('[project]\ndataset = "wording.yaml"\n', encoding="utf-8")
    checked = runner.invoke(main, ["check", "--project", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
    assert "warning: '99'" in checked.output and "ok:" not in checked.output
    assert checked.output.splitlines()[-1].startswith(
        "2 warnings: the project builds, but make-report verify will refuse an output showing these numbers")


def it_takes_a_range_written_as_a_label_as_text(tmp_path):
    """An age group labelled `0–15` on a chart is the dataset's wording (the chart's text
    alternative prints it beside the figure); a bare number label still is not."""
    text = wording_dataset(tmp_path).read_text(encoding="utf-8")
    text = text.replace("label: {zh: 18岁以下用户, en: under-18 users}", "label: {zh: 0—15, en: 0–15}", 1)
    text = text.replace("label: {zh: 3C数码访问, en: 3C electronics visits}", "label: {zh: 3C数码访问, en: \"2600\"}", 1)
    path = tmp_path / "ranges.yaml"
    path.write_text(text, encoding="utf-8")
    verifier = Verifier(load_dataset(path))
    assert unknown(verifier, "0–15 420,000, 16 more") == ["16"]
    assert unknown(verifier, "0—15 42万") == []
    assert unknown(verifier, "2600 visits") == ["2600"]
