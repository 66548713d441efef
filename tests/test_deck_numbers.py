"""The deck keeps what the brief says: chart units in number formats and axis titles,
doughnut shares rounded alike in the deck and the brief."""

from __future__ import annotations

import re
import zipfile

import pytest
from edit_dataset import with_facts, write

from reporting.charts import mpl, style
from reporting.dataset.load import load_dataset
from reporting.lang.numbers import plain
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.render.deck.builder import write_deck

pytestmark = pytest.mark.slow

PERCENT = {"pct1": {"zh": "%", "en": "%", "attach": True, "kind": "percent", "signed": True, "decimals": 1}}
RATES = [{"id": "gdp_growth", "value": 5.2, "unit": "pct1"}, {"id": "cpi", "value": 0.2, "unit": "pct1"}]
MIX = [{"id": "part_a", "value": 546, "unit": "users"}, {"id": "part_b", "value": 454, "unit": "users"}]


def dataset(tmp_path, units, facts, **chart):
    def change(document):
        with_facts(units, [dict(f) for f in facts])(document)
        spec = document["sections"][0]["charts"][0]
        spec["series"][0]["facts"] = [f["id"] for f in facts]
        spec.update(chart)
    return load_dataset(write(tmp_path, change))


def chart_xml(deck) -> str:
    with zipfile.ZipFile(deck) as package:
        return "\n".join(package.read(n).decode("utf-8") for n in package.namelist()
                         if re.fullmatch(r"ppt/charts/chart\d+\.xml", n))


@pytest.mark.parametrize("edition", ["en", "bilingual"])
def it_gives_a_deck_chart_of_percentages_a_number_format_with_percent(tmp_path, edition):
    loaded = dataset(tmp_path, PERCENT, RATES, value_axis={"zh": "同比增长", "en": "growth on a year earlier"})
    deck = tmp_path / "deck.pptx"
    write_deck(plan(loaded, edition), Theme(), deck)
    xml = chart_xml(deck)
    value_axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
    assert '<c:delete val="0"/>' in value_axis  # the axis is kept
    # Its title does not name the unit: each tick does.
    assert re.search(r'<c:numFmt formatCode="(#,##)?0(\.0+)?&quot;%&quot;;[^"]*" sourceLinked="0"/>', value_axis)
    assert "growth on a year earlier" in value_axis  # and its title
    labels = re.search(r"<c:dLbls>.*?</c:dLbls>", xml, re.S).group(0)
    assert re.search(r'<c:numFmt formatCode="[^"]*&quot;%&quot;" sourceLinked="0"/>', labels)  # labels' format
    assert "5.2%" in plain(xml) and "0.2%" in plain(xml)  # and so do the labels shown


@pytest.mark.parametrize("edition", ["en", "bilingual"])
def it_says_the_unit_once_where_the_axis_title_names_it(tmp_path, edition):
    loaded = dataset(tmp_path, PERCENT, RATES, value_axis={"zh": "同比增长（%）", "en": "growth (%)"})
    deck = tmp_path / "deck.pptx"
    write_deck(plan(loaded, edition), Theme(), deck)
    value_axis = re.search(r"<c:valAx>.*?</c:valAx>", chart_xml(deck), re.S).group(0)
    tick_format = re.search(r'<c:numFmt formatCode="([^"]*)"', value_axis).group(1)
    assert "%" not in tick_format and re.fullmatch(r"(#,##)?0(\.0+)?;&quot;−&quot;(#,##)?0(\.0+)?", tick_format)
    assert "growth (%)" in value_axis


@pytest.mark.parametrize("edition, scale", [("en", "in billions"), ("bilingual", "单位：亿")])
def it_stores_scaled_values_in_the_display_scale_with_the_scale_in_the_axis_title(tmp_path, edition, scale):
    money = {"rmb": {"zh": "元", "en_prefix": "RMB ", "kind": "currency"}}
    amounts = [{"id": "rev_a", "value": 148_210_000_000, "unit": "rmb"},
               {"id": "rev_b", "value": 157_030_000_000, "unit": "rmb"}]
    loaded = dataset(tmp_path, money, amounts, value_axis={"zh": "营业收入（元）", "en": "Revenue (RMB)"})
    deck = tmp_path / "deck.pptx"
    write_deck(plan(loaded, edition), Theme(), deck)
    xml = chart_xml(deck)
    value_axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
    assert scale in plain(value_axis)
    values = re.search(r"<c:val>.*?</c:val>", xml, re.S).group(0)  # the series' values, not its categories
    stored = [float(v) for v in re.findall(r"<c:v>([-\d.eE]+)</c:v>", values)]
    factor = 1e9 if edition == "en" else 1e8
    assert stored == pytest.approx([148.21e9 / factor, 157.03e9 / factor])
    maximum = float(re.search(r'<c:max val="([^"]+)"/>', value_axis).group(1))
    assert maximum <= max(157.03e9 / factor * 1.25, 200 if edition == "en" else 2000)
    assert "000000" not in value_axis  # no raw amount on a tick


def it_rounds_doughnut_shares_in_the_deck_as_in_the_brief(tmp_path):
    loaded = dataset(tmp_path, {}, MIX, kind="doughnut")
    report = plan(loaded, "en")
    spec = report.sections[0].charts[0]
    deck = tmp_path / "deck.pptx"
    write_deck(report, Theme(), deck)
    slices = re.findall(r"<a:t>([^<]*%)</a:t>", chart_xml(deck))
    with style.chart_style(Theme()):
        figure = mpl._draw(spec, Theme())
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert slices == ["54.6%", "45.4%"]
    assert [line.split("\n")[1].split(" ")[0] for line in legend] == ["54.6%", "45.4%"]
