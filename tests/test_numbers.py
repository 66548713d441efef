"""Numbers as statistical and financial publications print them, in both languages.

Formatting (``reporting.lang.numbers``), the dataset fields that steer it (units with a
typed scale, precision, decimals, changes) and what the model fills into text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from edit_dataset import filled
from reporting.lang.numbers import (
    MINUS,
    NumberStyle,
    UnitWords,
    about_style,
    equal_detail,
    format_change,
    format_figure,
    format_number,
    keep_together,
    plain,
    share_text,
)

def figure(*args, **kwargs) -> str:
    return plain(format_figure(*args, **kwargs))


def change(*args, **kwargs) -> str:
    return plain(format_change(*args, **kwargs))


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (7_680_000, "768万", "7.68 million"),
        (150_000, "15万", "150,000"),
        (100_000_000, "1亿", "100 million"),
        (2_800_000_000, "28亿", "2.8 billion"),
        (45_000, "4.5万", "45,000"),  # below 10万: 万 only where it is exact
        (45_678, "45678", "45,678"),
        (3000, "3000", "3,000"),
        (417, "417", "417"),
        (10_000_000, "1000万", "10 million"),
        (99_999_999, "1亿", "100 million"),  # rounding carries into the next scale word
    ],
)
def it_formats_numbers_in_each_languages_press_style(value, zh, en):
    assert format_number(value, "zh") == zh
    assert format_number(value, "en") == en


def it_keeps_the_qualifier_and_unit_with_the_number():
    assert figure(100_000_000, "over", UnitWords(), "zh") == "超过1亿"
    assert figure(100_000_000, "over", UnitWords(suffix="users"), "en") == "over 100 million users"
    assert figure(300_000_000, "exact", UnitWords(suffix="篇"), "zh") == "3亿篇"
    assert figure(70, "over", UnitWords(suffix="%", attach=True), "en") == "over 70%"
    assert figure(10_000_000, "exact", UnitWords(prefix="RMB "), "en") == "RMB 10 million"
    assert figure(1, "exact", UnitWords(suffix="days", singular="day"), "en") == "1 day"
    assert figure(1_000, "nearly", UnitWords(suffix="名"), "zh") == "近1000名"
    assert figure(10, "over", UnitWords(suffix="hosts"), "en", with_unit=False) == "over 10"


# -- signs and changes ---------------------------------------------------------------------


def it_puts_a_true_minus_before_the_currency():
    usd = {"en": UnitWords(prefix="$"), "zh": UnitWords(suffix="美元")}
    two = NumberStyle(2)
    assert figure(-11_043_000_000, "exact", usd["en"], "en", style=two) == "−$11.04 billion"
    assert figure(-11_043_000_000, "exact", usd["zh"], "zh", style=two) == "−110.43亿美元"
    assert MINUS == "\u2212" and "-" not in format_number(-3, "en")


def it_words_a_decline_and_a_rise_in_both_languages():
    percent = UnitWords(suffix="%", attach=True)
    one = NumberStyle(1, fixed=True)
    assert change(-3, "exact", percent, "en", kind="percent", style=one) == "down 3.0%"
    assert change(-3, "exact", percent, "zh", kind="percent", style=one) == "下降3.0%"
    assert change(5.2, "exact", percent, "en", kind="percent", style=one) == "up 5.2%"
    assert change(5.2, "exact", percent, "zh", kind="percent", style=one) == "增长5.2%"
    assert change(0.01, "exact", percent, "en", kind="percent", style=one) == "unchanged"


def it_prints_percentage_points_as_points_not_per_cent():
    points = {"en": UnitWords(suffix="percentage points"), "zh": UnitWords(suffix="个百分点")}
    one = NumberStyle(1, fixed=True)
    assert change(0.3, "exact", points["en"], "en", kind="percentage_points", style=one) == \
        "up 0.3 percentage points"
    assert change(0.3, "exact", points["zh"], "zh", kind="percentage_points", style=one) == "提高0.3个百分点"
    assert change(-0.3, "exact", points["zh"], "zh", kind="percentage_points", style=one) == "下降0.3个百分点"


def it_marks_a_rising_change_with_a_plus_and_a_fall_with_a_minus():
    assert format_number(5.2, "en", NumberStyle(1, plus=True)) == "+5.2"
    assert format_number(-5.2, "en", NumberStyle(1, plus=True)) == "−5.2"
    assert format_number(0.001, "en", NumberStyle(1, plus=True)) == "0"  # no sign on a change that rounds to nothing


# -- rounding as typed ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "en", "zh"), [
    (383_285_000_000, "383.29 billion", "3832.85亿"),
    (39_845_000_000, "39.85 billion", "398.45亿"),
    (29_915_000_000, "29.92 billion", "299.15亿"),
    (-11_045_000_000, "−11.05 billion", "−110.45亿"),
    (0.125, "0.13", "0.13"),
    (2.675, "2.68", "2.68"),  # 2.675 is 2.67499999… as a binary float
])
def it_rounds_halves_away_from_zero_on_the_value_as_typed(value, en, zh):
    assert format_number(value, "en", NumberStyle(2)) == en
    assert format_number(value, "zh", NumberStyle(2)) == zh


def _reference(value: Decimal, power: int, digits: int) -> Decimal:
    """Decimal rounding, half away from zero, of ``value`` at 10**(power - digits)."""
    return value.quantize(Decimal(1).scaleb(power - digits), rounding=ROUND_HALF_UP)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    digits=st.integers(min_value=1, max_value=9),
    head=st.integers(min_value=1, max_value=99_999_999),
    shift=st.integers(min_value=-4, max_value=6),
    negative=st.booleans(),
)
def it_rounds_every_value_ending_in_5_like_decimal_arithmetic(digits, head, shift, negative):
    """A value whose last typed digit is 5 (``383.285`` billion, ``0.125``), given as a
    float the way YAML reads it, prints as decimal rounding half away from zero says."""
    typed = Decimal(f"{head}5").scaleb(shift - 1)
    if negative:
        typed = -typed
    if abs(typed) >= Decimal("1e14"):
        return
    value = float(typed)
    words = {" trillion": 12, " billion": 9, " million": 6, "万亿": 12, "亿": 8, "万": 4}
    for lang in ("en", "zh"):
        printed = format_number(value, lang, NumberStyle(2))
        word = next((w for w in words if printed.endswith(w)), "")
        power = words.get(word, 0)
        number = printed.removesuffix(word).replace(MINUS, "-").replace(",", "")
        assert Decimal(number).scaleb(power) == _reference(typed, power, 2), (typed, lang, printed)


# -- datasets: units, precision, decimals, derived figures ------------------------------------


def it_keeps_decimals_a_unit_fixes_with_their_trailing_zeros(tmp_path):
    text = filled(tmp_path, {"pct1": {"zh": "%", "en": "%", "attach": True, "kind": "percent", "decimals": 1}},
                  [{"id": "gdp_growth", "value": 3, "unit": "pct1"}], {"zh": "{gdp_growth}", "en": "{gdp_growth}"})
    assert text == {"zh": "3.0%", "en": "3.0%"}


def it_shows_the_same_significant_digits_in_every_edition(tmp_path):
    units = {"yuan": {"zh": "元", "en": "yuan", "kind": "currency"}, "people": {"zh": "人", "en": "people"}}
    facts = [{"id": "income", "value": 39218, "unit": "yuan"}, {"id": "workers", "value": 932670000, "unit": "people"}]
    text = filled(tmp_path, units, facts, {"zh": "{income}；{workers}", "en": "{income}; {workers}"})
    assert text == {"zh": "39218元；9.3267亿人", "en": "39,218 yuan; 932.67 million people"}


def it_lets_a_dataset_ask_for_less_detail_in_one_language(tmp_path):
    units = {"people": {"zh": "人", "en": "people", "precision": {"zh": 2}}}
    text = filled(tmp_path, units, [{"id": "workers", "value": 932670000, "unit": "people"}],
                  {"zh": "{workers}", "en": "{workers}"})
    assert text == {"zh": "9.33亿人", "en": "932.67 million people"}


def it_reads_values_typed_at_the_scale_the_source_prints(tmp_path):
    units = {"yi_yuan": {"zh": "元", "en": "yuan", "kind": "currency", "scale": "亿"}}
    text = filled(tmp_path, units, [{"id": "gdp", "value": 1260582, "unit": "yi_yuan"}],
                  {"zh": "{gdp}", "en": "{gdp}"})
    assert text == {"zh": "126.06万亿元", "en": "126.06 trillion yuan"}


def it_fills_a_decline_in_words_with_a_minus_and_as_a_size(tmp_path):
    units = {"usd": {"zh": "美元", "en_prefix": "$", "kind": "currency", "signed": True, "precision": 2,
                     "change": True}}
    facts = [{"id": "income_change", "value": -11043000000, "unit": "usd"},
             {"id": "sales_change", "value": 2500000000, "unit": "usd"}]
    text = filled(tmp_path, units, facts, {
        "zh": "{income_change}；减少{income_change:size}；{income_change:change}；{sales_change}",
        "en": "{income_change}; down {income_change:size}; {income_change:change}; {sales_change}",
    })
    assert text["en"] == "−$11.04 billion; down $11.04 billion; down $11.04 billion; +$2.5 billion"
    assert text["zh"] == "−110.43亿美元；减少110.43亿美元；减少110.43亿美元；+25亿美元"


def it_rounds_money_to_two_decimals_at_each_languages_scale_by_default(tmp_path):
    """No precision set: a currency amount is rounded as financial publications round it,
    at most two decimals of the scale each language shows it in; counts keep equal detail."""
    units = {"usd": {"zh": "美元", "en_prefix": "$", "kind": "currency", "signed": True},
             "people": {"zh": "人", "en": "people"}}
    facts = [{"id": "revenue", "value": 383285000000, "unit": "usd"},
             {"id": "loss", "value": -11043000000, "unit": "usd"},
             {"id": "per_share", "value": 6.125, "unit": "usd"},
             {"id": "salary", "value": 39218, "unit": "usd"},
             {"id": "staff", "value": 383285000, "unit": "people"}]
    text = filled(tmp_path, units, facts, {"zh": "{revenue}；{loss}；{per_share}；{salary}；{staff}",
                                           "en": "{revenue}; {loss}; {per_share}; {salary}; {staff}"})
    assert text["en"] == "$383.29 billion; −$11.04 billion; $6.13; $39,218; 383.29 million people"
    assert text["zh"] == "3832.85亿美元；−110.43亿美元；6.13美元；39218美元；3.8329亿人"


def it_gives_doughnut_shares_one_decimal_rounded_as_every_figure():
    assert share_text(546, 1000, "en") == "54.6%"
    assert share_text(1, 3, "zh") == "33.3%"
    assert share_text(1, 100000, "en") == "<0.1%"


def it_equalises_only_the_languages_the_dataset_left_alone():
    styles = equal_detail(932_670_000, {"zh": 2, "en": None}, {"zh": None, "en": None})
    assert format_number(932_670_000, "zh", styles["zh"]) == "9.33亿"
    assert format_number(932_670_000, "en", styles["en"]) == "932.67 million"


@pytest.mark.parametrize("value, en, zh", [
    (2_487_300, "about 2.5 million", "约250万"), (137_400, "about 140,000", "约14万"),
    (64_357, "about 64,000", "约6.4万"), (98.76, "about 99", "约99"), (99.96, "about 100", "约100"),
    (1_234_567_891, "about 1.2 billion", "约12亿"), (126_058_200_000_000, "about 130 trillion", "约130万亿"),
    (0.4567, "about 0.46", "约0.46"), (2_500_000, "about 2.5 million", "约250万"),
])
def it_rounds_an_about_figure_as_a_person_would(value, en, zh):
    """A derived ``about`` figure: two significant digits, the same detail in both
    languages, never more detail than an exact figure would show."""
    for lang, expected in (("en", en), ("zh", zh)):
        style = about_style(value, lang, NumberStyle())
        assert plain(format_figure(value, "about", UnitWords(), lang, style=style)) == expected
    fixed = NumberStyle(1, fixed=True)
    assert about_style(3, "en", fixed) == fixed  # fixed decimals kept: about 3.0%


def it_keeps_a_figure_on_one_line():
    """No renderer may break between number, scale word and unit: English spaces become
    no-break spaces; Chinese gets word joiners where it could break."""
    assert format_figure(126_058_200_000_000, "exact", UnitWords(suffix="元"), "zh") == \
        "126.06\u2060万\u2060亿\u2060元"
    assert format_figure(126_058_200_000_000, "about", UnitWords(suffix="yuan"), "en") == \
        "about 126.06\u00a0trillion\u00a0yuan"
    assert format_figure(-11_043_000_000, "exact", UnitWords(prefix="RMB "), "en", style=NumberStyle(2)) == \
        "−RMB\u00a011.04\u00a0billion"
    assert keep_together("70%", "zh") == "70%"


def chart_spec(tmp_path, units, facts):
    from edit_dataset import with_facts, write

    from reporting.dataset.load import load_dataset
    from reporting.model.planner import plan

    def change(document):
        with_facts(units, facts)(document)
        document["sections"][0]["charts"][0]["series"][0]["facts"] = [f["id"] for f in facts]
    return lambda edition: plan(load_dataset(write(tmp_path, change)), edition).sections[0].charts[0]


def it_gives_a_chart_of_percentages_a_number_format_with_its_unit(tmp_path):
    units = {"pct1": {"zh": "%", "en": "%", "attach": True, "kind": "percent", "signed": True, "decimals": 1,
                      "change": True}}
    spec = chart_spec(tmp_path, units, [{"id": "a", "value": 5.2, "unit": "pct1"},
                                        {"id": "b", "value": -3, "unit": "pct1"}])
    assert spec("en").number_format == '"+"#,##0.0"%";"−"#,##0.0"%";#,##0.0"%"'
    assert spec("zh").number_format == '"+"0.0"%";"−"0.0"%";0.0"%"'
    assert [plain(label.get("en")) for label in spec("en").series[0].value_labels] == ["+5.2%", "−3.0%"]
    assert not spec("en").scaled


def it_gives_money_charts_their_currency_and_labels_as_the_text_has_them(tmp_path):
    units = {"usd": {"zh": "美元", "en_prefix": "$", "kind": "currency", "precision": 2}}
    spec = chart_spec(tmp_path, units, [{"id": "a", "value": 200583000000, "unit": "usd"},
                                        {"id": "b", "value": 29915000000, "unit": "usd"}])
    en = spec("en")
    assert en.number_format == '"$"#,##0' and en.scaled
    assert [plain(label.get("en")) for label in en.series[0].value_labels] == ["$200.58 billion", "$29.92 billion"]
