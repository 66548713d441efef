"""Derived figures keep their meaning: kinds checked, new methods, loosest qualifier."""

from __future__ import annotations

import pytest

from reporting.errors import DataError
from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.lang.numbers import plain

from edit_dataset import filled, with_facts, write

USD = {"usd": {"zh": "美元", "en_prefix": "$", "kind": "currency", "precision": 2},
       "employees": {"zh": "人", "en": "employees"},
       "pct": {"zh": "%", "en": "%", "attach": True, "kind": "percent", "signed": True, "decimals": 1}}


def derived(fact_id, unit, method, inputs, **more):
    return {"id": fact_id, "unit": unit, **more,
            "derived": {"method": method, "from": inputs, "note": {"zh": "推算", "en": "derived"}}}


def problems(tmp_path, units, facts) -> list[str]:
    path = write(tmp_path, with_facts(units, facts))
    with pytest.raises(DataError) as error:
        load_dataset(path)
    return [str(problem) for problem in error.value.problems], path.read_text(encoding="utf-8")


def line_of(text: str, needle: str, after: str) -> int:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def it_refuses_a_share_into_a_money_unit_with_its_line(tmp_path):
    facts = [{"id": "revenue", "value": 383285000000, "unit": "usd"},
             {"id": "staff", "value": 161000, "unit": "employees"},
             derived("revenue_per_employee", "usd", "share", ["revenue", "staff"])]
    found, text = problems(tmp_path, USD, facts)
    line = line_of(text, "derived:", "id: revenue_per_employee")
    assert len(found) == 1
    assert f":{line}: facts[5].derived: method 'share' gives a percentage, but unit 'usd' is a currency amount" \
        in found[0]
    assert "method 'ratio'" in found[0]


def it_refuses_the_difference_of_two_percentages_as_a_percentage(tmp_path):
    facts = [{"id": "a", "value": 5.2, "unit": "pct"}, {"id": "b", "value": 3, "unit": "pct"},
             derived("gap", "pct", "difference", ["a", "b"])]
    found, _ = problems(tmp_path, USD, facts)
    assert "gives a difference in percentage points, but unit 'pct' is a percentage" in found[0]


def it_derives_a_ratio_in_a_unit_of_its_own(tmp_path):
    facts = [{"id": "revenue", "value": 383285000000, "unit": "usd"},
             {"id": "staff", "value": 161000, "unit": "employees"},
             derived("revenue_per_employee", "usd", "ratio", ["revenue", "staff"])]
    text = filled(tmp_path, USD, facts, {"zh": "{revenue_per_employee}", "en": "{revenue_per_employee}"})
    assert text == {"zh": "238.07万美元", "en": "$2.38 million"}


def it_derives_year_on_year_growth_from_two_facts(tmp_path):
    facts = [{"id": "revenue", "value": 383285000000, "unit": "usd"},
             {"id": "revenue_2022", "value": 394328000000, "unit": "usd"},
             derived("revenue_growth", "pct", "growth", ["revenue", "revenue_2022"])]
    text = filled(tmp_path, USD, facts, {"zh": "营收{revenue_growth:change}", "en": "Revenue {revenue_growth:change}"})
    assert text == {"zh": "营收下降2.8%", "en": "Revenue down 2.8%"}


def it_makes_a_figure_derived_from_an_about_input_about(tmp_path):
    facts = [{"id": "revenue", "value": 383285000000, "unit": "usd", "qualifier": "about"},
             {"id": "cost", "value": 214137000000, "unit": "usd"},
             derived("gross", "usd", "difference", ["revenue", "cost"])]
    loaded = load_dataset(write(tmp_path, with_facts(USD, facts)))
    figure = next(f for f in plan(loaded, "bilingual").sections[0].figures if f.id == "users")
    assert figure  # the fixture's own figures are untouched
    from reporting.model.planner import _Planner

    gross = _Planner(loaded, ("zh", "en")).figure("gross")
    # Rounded as a person would, to two significant digits, alike in both languages.
    assert plain(gross.text.get("en")) == "about $170 billion"
    assert plain(gross.text.get("zh")) == "约1700亿美元"


def it_names_the_units_kind_and_shows_a_negative_value_as_typed(tmp_path):
    found, text = problems(tmp_path, USD, [{"id": "loss", "value": -89498000000, "unit": "usd"}])
    assert "a currency amount cannot be negative (got -89498000000)" in found[0]
    assert "e+10" not in found[0]
