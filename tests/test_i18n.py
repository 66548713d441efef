"""Dates are formatted once, per language (numbers: test_numbers.py)."""

import pytest

from reporting.lang.editions import Edition
from reporting.lang.periods import DatePart, Period, format_period


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
