"""Numbers and dates are formatted once, per language, with their qualifiers."""

import pytest

from reporting.i18n import Edition, UnitWords, format_figure, format_number
from reporting.periods import DatePart, Period, format_period


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (7_680_000, "768万", "7.68 million"),
        (150_000, "15万", "150,000"),
        (100_000_000, "1亿", "100 million"),
        (2_800_000_000, "28亿", "2.8 billion"),
        (45_000, "4.5万", "45,000"),
        (3000, "3000", "3,000"),
        (417, "417", "417"),
        (10_000_000, "1000万", "10 million"),
    ],
)
def it_formats_numbers_in_each_languages_press_style(value, zh, en):
    assert format_number(value, "zh") == zh
    assert format_number(value, "en") == en


def it_keeps_the_qualifier_and_unit_with_the_number():
    assert format_figure(100_000_000, "over", UnitWords(), "zh") == "超过1亿"
    assert format_figure(100_000_000, "over", UnitWords(suffix="users"), "en") == "over 100 million users"
    assert format_figure(300_000_000, "exact", UnitWords(suffix="篇"), "zh") == "3亿篇"
    assert format_figure(70, "over", UnitWords(suffix="%", attach=True), "en") == "over 70%"
    assert format_figure(10_000_000, "exact", UnitWords(prefix="RMB "), "en") == "RMB 10 million"
    assert format_figure(1, "exact", UnitWords(suffix="days", singular="day"), "en") == "1 day"
    assert format_figure(1_000, "nearly", UnitWords(suffix="名"), "zh") == "近1000名"
    assert format_figure(10, "over", UnitWords(suffix="hosts"), "en", with_unit=False) == "over 10"


def it_formats_dates_to_the_precision_known():
    assert format_period(Period.parse("2020-01-31"), "zh") == "1月31日"
    assert format_period(Period.parse("2020-01-31"), "en") == "31 January"
    assert format_period(Period.parse("2020-08"), "zh", with_year=True) == "2020年8月"
    assert format_period(Period.parse("2020-08"), "en", with_year=True) == "August 2020"
    late = Period.parse("2020-01").with_part(DatePart.LATE)
    assert (format_period(late, "zh"), format_period(late, "en")) == ("1月底", "late January")
    assert format_period(Period.parse("2019"), "zh", prose=True) == "2019年"


def it_offsets_dates_by_days():
    assert Period.parse("2020-02-17").plus_days(9).iso() == "2020-02-26"


@pytest.mark.parametrize("text", ["2020-02-30", "20200131", "Jan 2020", "2020-13"])
def it_rejects_impossible_dates(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def it_knows_the_languages_of_each_edition():
    assert Edition("bilingual").langs == ("zh", "en")
    assert Edition("en").langs == ("en",)
    assert Edition.ZH.primary == "zh"
