"""Ranges and caps as figures: a fact with a high end prints as one figure
(``2.5%–3.5%`` / ``2.5%至3.5%``), on a tile too, and verifies as one; ``up_to`` and
``at_least`` qualifiers say a ceiling and a floor (``up to HK$3,000`` / ``最多3,000港元``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.errors import DataError
from reporting.lang.numbers import plain
from reporting.model.planner import plan

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"

FACTS = """\
  - id: forecast
    value: 2.5
    high: 3.5
    unit: percent
    qualifier: about
    label: {zh: 增长预测, en: forecast growth}
    source: {ref: report, paragraph: 4}
  - id: subsidy
    value: 3000
    unit: hkd
    qualifier: up_to
    label: {zh: 每户补贴, en: subsidy per household}
    source: {ref: report, paragraph: 5}
  - id: reserve
    value: 20
    unit: percent
    qualifier: at_least
    label: {zh: 储备比例, en: reserve ratio}
    source: {ref: report, paragraph: 5}
"""


def dataset(tmp_path: Path, *pairs: tuple[str, str]) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    edits = [("key_figures: [users, growth]", FACTS + "key_figures: [users, forecast, subsidy]"),
             ("  percent: {", '  hkd: {zh: 港元, en_prefix: "HK$", kind: currency}\n  percent: {'),
             ('      - text: {zh: "增长{growth}，截至{users:date}。", en: "Up {growth} by {users:date}."}',
              '      - text: {zh: "增长{growth}，截至{users:date}。", en: "Up {growth} by {users:date}."}\n'
              '      - text: {zh: "预计增长{forecast}；补贴{subsidy}，储备{reserve}。", '
              'en: "Growth of {forecast} is expected; a subsidy of {subsidy}, reserves of {reserve}."}'),
             *pairs]
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "ranges.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def it_prints_a_range_as_one_figure_and_caps_with_their_words(tmp_path):
    report = plan(load_dataset(dataset(tmp_path)), "bilingual")
    figures = {figure.id: figure for figure in report.key_figures}
    assert plain(figures["forecast"].text.get("en")) == "about 2.5%–3.5%"
    assert plain(figures["forecast"].text.get("zh")) == "约2.5%至3.5%"
    assert plain(figures["forecast"].headline.get("zh")) == "约2.5%至3.5%"  # the tile
    assert plain(figures["subsidy"].text.get("en")) == "up to HK$3,000"
    assert plain(figures["subsidy"].text.get("zh")) == "最多3000港元"  # Chinese press style: no separator under 10,000
    paragraph = report.sections[0].paragraphs[1]
    assert "reserves of at least 20%" in plain(paragraph.get("en"))
    assert "储备至少20%" in plain(paragraph.get("zh"))
    assert load_dataset(dataset(tmp_path)).warnings == []


def it_writes_a_traditional_range_and_cap(tmp_path):
    report = plan(load_dataset(dataset(tmp_path)), "zh-HK-en")
    figures = {figure.id: figure for figure in report.key_figures}
    assert plain(figures["subsidy"].text.get("zh")) == "最多3000港元"  # Chinese press style: no separator under 10,000
    assert plain(figures["forecast"].text.get("zh")) == "約2.5%至3.5%"


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("    high: 3.5\n", "    high: 2\n", "facts[3]", "must be above its value"),
    ("          - name: {zh: 用户, en: Users}\n            facts: [users_2023, users]",
     "          - name: {zh: 用户, en: Users}\n            facts: [users_2023, forecast]",
     "sections[0].charts[0].series[0].facts[1]", "is a range"),
])
def it_refuses_a_range_that_cannot_be(tmp_path, old, new, field, message):
    with pytest.raises(DataError) as error:
        load_dataset(dataset(tmp_path, (old, new)))
    assert any(problem.field.startswith(field) and message in problem.message for problem in error.value.problems), \
        error.value.problems


@pytest.mark.slow
def it_verifies_a_range_as_one_figure(tmp_path):
    from reporting.pipeline.build import BuildOptions, Builder
    from reporting.verify.check import verify_outputs
    from reporting.verify.extract import extract

    path = dataset(tmp_path)
    with Builder() as builder:
        outputs = builder.build(path, BuildOptions(formats=("html", "pptx"), out_dir=tmp_path / "out")).outputs
    report = verify_outputs(outputs, path)
    assert report.ok, report.mismatches
    for output in outputs:
        text = extract(output).body
        assert "2.5%–3.5%" in plain(text) or "2.5%–3.5%" in text.replace("\u2060", ""), output.name
    # A changed high end is caught.
    changed = path.read_text(encoding="utf-8").replace("    high: 3.5\n", "    high: 3.7\n", 1)
    path.write_text(changed, encoding="utf-8")
    assert not verify_outputs(outputs, path).ok
