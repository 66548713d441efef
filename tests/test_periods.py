"""Dates and periods: quarters, halves, ranges and fiscal years as dates of facts, events
and chart categories, written once per language (and English style) in the model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.model.planner import plan
from reporting.lang.periods import FiscalYearEnd, Period, format_coverage, format_period
from reporting.lang.numbers import plain

PERIODS = Path(__file__).parent / "fixtures" / "periods.yaml"


@pytest.fixture(scope="module")
def loaded():
    return load_dataset(PERIODS)


@pytest.mark.parametrize(
    ("text", "zh", "en", "en_year"),
    [
        ("2023-Q1", "一季度", "Q1", "Q1 2023"),
        ("2023-H2", "下半年", "H2", "H2 2023"),
        ("2020-01-26/2020-02-29", "1月26日至2月29日", "26 January – 29 February", "26 January – 29 February 2020"),
        ("2023-01-21/2023-01-27", "1月21日至27日", "21–27 January", "21–27 January 2023"),
        ("2020-01/2020-03", "1月至3月", "January – March", "January – March 2020"),
        ("2020-01-31", "1月31日", "31 January", "31 January 2020"),
    ],
)
def it_writes_quarters_halves_and_ranges_in_both_languages(text, zh, en, en_year):
    period = Period.parse(text)
    assert period.iso() == text
    assert format_period(period, "zh") == zh
    assert format_period(period, "en") == en
    assert format_period(period, "en", with_year=True) == en_year


def it_knows_the_days_a_period_covers():
    assert (Period.parse("2023-Q1").start, Period.parse("2023-Q1").end) == (dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    assert Period.parse("2023-H2").end == dt.date(2023, 12, 31)
    assert Period.parse("2024-02").end == dt.date(2024, 2, 29)
    ranged = Period.parse("2020-01-26/2020-02-29")
    assert (ranged.start, ranged.end) == (dt.date(2020, 1, 26), dt.date(2020, 2, 29))


def it_places_fiscal_years_by_the_organisations_year_end():
    ends = FiscalYearEnd.parse("09-30")
    fy = Period.parse("FY2023", ends)
    assert (fy.start, fy.end) == (dt.date(2022, 10, 1), dt.date(2023, 9, 30))
    assert (format_period(fy, "zh"), format_period(fy, "en")) == ("2023财年", "FY2023")
    q1 = Period.parse("FY2023-Q1", ends)
    assert (q1.start, q1.end) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    assert (format_period(q1, "zh"), format_period(q1, "en")) == ("2023财年第一季度", "Q1 FY2023")
    assert format_coverage(fy, "zh") == "2022年10月1日至2023年9月30日"
    assert format_coverage(fy, "en", english="en-US") == "October 1, 2022 – September 30, 2023"
    with pytest.raises(ValueError, match="fiscal_year_end"):
        Period.parse("FY2023", None)


def it_writes_dates_in_the_english_style_chosen():
    day = Period.parse("2023-11-03")
    assert format_period(day, "en", with_year=True, english="en-GB") == "3 November 2023"
    assert format_period(day, "en", with_year=True, english="en-US") == "November 3, 2023"
    assert format_period(Period.parse("2023-01-21/2023-01-27"), "en", with_year=True, english="en-US") \
        == "January 21–27, 2023"


def it_writes_a_year_once_in_a_bilingual_label_and_as_a_year_in_chinese_prose(loaded):
    report = plan(loaded, "bilingual")
    economy = report.sections[0]
    # a chart category dated 2023: one label, not "2023 / 2023年"
    assert economy.charts[0].categories[2].joined() == "2023"
    assert "全年3100万人次（2023年）" in plain(economy.paragraphs[0].get("zh"))
    assert "31 million visits in 2023" in plain(economy.paragraphs[0].get("en"))


@pytest.mark.parametrize("edition", ["bilingual", "zh", "en"])
def it_dates_facts_events_and_categories_by_quarter_range_and_fiscal_year(loaded, edition):
    report = plan(loaded, edition)
    economy, company = report.sections
    dates = {figure.id: figure.date for figure in economy.figures + company.figures}
    langs = report.langs
    # The dataset's dates run into 2024, so dates within a year show it.
    expected = {
        "growth_q1": {"zh": "2023年一季度", "en": "Q1 2023"},
        "growth_h1": {"zh": "2023年上半年", "en": "H1 2023"},
        "holiday_visits": {"zh": "2023年1月21日至27日", "en": "21–27 January 2023"},
        "revenue_fy23": {"zh": "2023财年", "en": "FY2023"},
    }
    for fact_id, words in expected.items():
        assert tuple(dates[fact_id].get(lang) for lang in langs) == tuple(words[lang] for lang in langs)
    categories = [category.get(langs[0]) for category in company.charts[0].categories]
    assert categories == (["2022财年", "2023财年"] if langs[0] == "zh" else ["FY2022", "FY2023"])
    coverage = [text.get(langs[-1]) for text in report.fiscal_periods]
    assert coverage[-1] == ("FY2023: 1 October 2022 – 30 September 2023" if langs[-1] == "en"
                            else "2023财年：2022年10月1日至2023年9月30日")


def it_names_the_year_of_the_first_date_of_each_year_on_a_timeline(loaded):
    report = plan(loaded, "bilingual")
    dates = [(event.date.get("zh"), event.date.get("en")) for event in report.timeline.events]
    assert dates == [
        ("2023年7月中旬", "mid-July 2023"),
        ("10月17日", "17 October"),
        ("2024年1月17日", "17 January 2024"),
        ("2月10日", "10 February"),
    ]
    us = plan(loaded, "en", english="en-US")
    assert [event.date.get("en") for event in us.timeline.events][2:] == ["January 17, 2024", "February 10"]


def it_leaves_the_year_out_when_every_date_is_in_one_year():
    from reporting.resources import data_dir

    report = plan(load_dataset(data_dir() / "xiaohongshu-2020.yaml"), "bilingual")
    assert all("2020" not in event.date.get("en") for event in report.timeline.events)


def it_writes_the_english_style_a_project_or_audience_chooses(tmp_path):
    from reporting.project.audiences import AudienceBook
    from reporting.pipeline.build import BuildOptions, Builder
    from reporting.project.config import find_config, load_config
    from reporting.verify.check import verify_outputs

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "periods.yaml").write_text(PERIODS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "report.toml").write_text(
        '[project]\ndataset = "data/periods.yaml"\nenglish = "en-US"\n\n'
        '[audiences.london]\ndescription = "British English"\nedition = "en"\nenglish = "en-GB"\n'
        '\n[audiences.boston]\ndescription = "The project\'s American English"\nedition = "en"\n',
        encoding="utf-8")
    book = AudienceBook(load_config(find_config(project=tmp_path)))
    base = BuildOptions(formats=("html",), out_dir=tmp_path / "out")
    pages = {}
    with Builder() as builder:
        for name in ("london", "boston"):
            output = builder.build(book.config.dataset, book.get(name, base).options).outputs[0]
            pages[name] = output.read_text(encoding="utf-8")
            report = verify_outputs([output], book.config.dataset, config=book.config)
            assert report.ok, report.mismatches
    assert "January 17, 2024" in pages["boston"] and "17 January 2024" not in pages["boston"]
    assert "17 January 2024" in pages["london"]
    assert "October 1, 2022 – September 30, 2023" in pages["boston"]


def it_names_the_timeline_band_months_in_the_english_style():
    from reporting.model.chartspec import timeline_months

    days = [dt.date(2023, 9, 3), dt.date(2024, 1, 17)]
    gb = [month.names[0] for month in timeline_months(days, ("zh", "en"))]
    assert gb == ["2023年9月 Sept 2023", "10月 Oct", "11月 Nov", "12月 Dec", "2024"]
    us = [month.names[0] for month in timeline_months(days, ("en",), english="en-US")]
    assert us[0] == "Sep 2023"
