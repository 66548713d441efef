"""Fiscal years as each place writes them: ``report.fiscal_year_style`` names the style
(``FY2025``, ``2024-25``, ``2024至25``, ``2024/25``, ``2024年度``) and every output writes
fiscal periods, chart categories, the sources page's fiscal periods and ranges of fiscal
years in it; the style's forms typed into text are dates to ``check`` and ``verify``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.dataset.textnumbers import squeezed
from reporting.errors import DataError
from reporting.lang.numbers import plain
from reporting.lang.periods import FiscalYearEnd, Period, format_coverage, format_period
from reporting.model.planner import plan

PERIODS = Path(__file__).parent / "fixtures" / "periods.yaml"

# style: FY2023 and FY2022 of a year ending 30 September, in Chinese and English
STYLES = {
    "FY2025": ("2023财年", "FY2023", "2022财年", "FY2022"),
    "2024-25": ("2022-23年度", "2022-23", "2021-22年度", "2021-22"),
    "2024至25": ("2022至23年度", "2022-23", "2021至22年度", "2021-22"),
    "2024/25": ("2022/23年度", "2022/23", "2021/22年度", "2021/22"),
    "2024年度": ("2022年度", "FY2022", "2021年度", "FY2021"),
}

NARRATIVE = """\
      - text:
          zh: "{previous_zh}至{current_zh}，营收变化{{revenue_change}}。"
          en: "From {previous_en} to {current_en} revenue changed by {{revenue_change}}."
"""


def styled_dataset(folder: Path, style: str, *, written_in: str | None = None) -> Path:
    """The periods fixture with ``style``, and a paragraph naming two fiscal years in the
    forms of ``written_in`` (by default ``style``) without ``{=…}``."""
    current_zh, current_en, previous_zh, previous_en = STYLES[written_in or style]
    text = PERIODS.read_text(encoding="utf-8")
    text = text.replace("  fiscal_year_end: 09-30\n", f'  fiscal_year_end: 09-30\n  fiscal_year_style: "{style}"\n', 1)
    anchor = '      - text: {zh: "营收变化{revenue_change}。", en: "Revenue changed by {revenue_change}."}\n'
    assert anchor in text
    text = text.replace(anchor, anchor + NARRATIVE.format(current_zh=current_zh, current_en=current_en,
                                                          previous_zh=previous_zh, previous_en=previous_en), 1)
    path = folder / f"periods-{style.replace('/', '_')}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("style", "zh", "en", "quarter", "range_zh", "range_en"),
    [
        ("FY2025", "2025财年", "FY2025", ("2025财年第一季度", "Q1 FY2025"), "2025至2029财年", "FY2025 – FY2029"),
        ("2024-25", "2024-25年度", "2024-25", ("2024-25年度第一季度", "Q1 2024-25"), "2024-25至2028-29年度",
         "2024-25 – 2028-29"),
        ("2024至25", "2024至25年度", "2024-25", ("2024至25年度第一季度", "Q1 2024-25"), "2024-25至2028-29年度",
         "2024-25 – 2028-29"),
        ("2024/25", "2024/25年度", "2024/25", ("2024/25年度第一季度", "Q1 2024/25"), "2024/25至2028/29年度",
         "2024/25 – 2028/29"),
        ("2024年度", "2024年度", "FY2024", ("2024年度第一季度", "Q1 FY2024"), "2024至2028年度", "FY2024 – FY2028"),
    ],
)
def it_writes_a_fiscal_year_its_quarters_and_ranges_in_each_style(style, zh, en, quarter, range_zh, range_en):
    ends = FiscalYearEnd.parse("03-31", style)
    year = Period.parse("FY2025", ends)
    assert (format_period(year, "zh"), format_period(year, "en")) == (zh, en)
    q1 = Period.parse("FY2025-Q1", ends)
    assert (format_period(q1, "zh"), format_period(q1, "en")) == quarter
    five = Period.parse("FY2025/FY2029", ends)
    assert (five.start.isoformat(), five.end.isoformat()) == ("2024-04-01", "2029-03-31")
    assert (format_period(five, "zh"), format_period(five, "en")) == (range_zh, range_en)
    assert format_coverage(year, "en") == "1 April 2024 – 31 March 2025"


def it_names_a_calendar_fiscal_year_by_its_one_year():
    ends = FiscalYearEnd.parse("12-31", "2024-25")
    year = Period.parse("FY2025", ends)
    assert (format_period(year, "zh"), format_period(year, "en")) == ("2025年度", "2025")


@pytest.mark.parametrize("text", ["FY2025/2029-03", "2025-01/FY2029", "FY2029/FY2025"])
def it_refuses_a_range_mixing_fiscal_years_and_other_dates(text):
    with pytest.raises(ValueError):
        Period.parse(text, FiscalYearEnd.parse("03-31"))


def it_refuses_an_unknown_style_naming_the_field(tmp_path):
    path = styled_dataset(tmp_path, "FY2025")
    path.write_text(path.read_text(encoding="utf-8").replace('fiscal_year_style: "FY2025"', 'fiscal_year_style: "FY25"'),
                    encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_dataset(path)
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "FY25" in text)
    assert re.search(rf"periods-FY2025\.yaml:{line}: report\.fiscal_year_style: .*'FY2025'", str(error.value))


@pytest.mark.parametrize("style", STYLES)
def it_dates_facts_categories_and_coverage_in_the_style(style, tmp_path):
    current_zh, current_en, previous_zh, previous_en = STYLES[style]
    report = plan(load_dataset(styled_dataset(tmp_path, style)), "bilingual")
    company = report.sections[1]
    assert [c.get("zh") for c in company.charts[0].categories] == [previous_zh, current_zh]
    assert [c.get("en") for c in company.charts[0].categories] == [previous_en, current_en]
    assert plain(company.lead.get("zh")).startswith(current_zh + "营收")
    assert plain(company.lead.get("en")).startswith(current_en + " revenue")
    coverage = [(text.get("zh"), text.get("en")) for text in report.fiscal_periods]
    assert coverage[-1] == (f"{current_zh}：2022年10月1日至2023年9月30日",
                            f"{current_en}: 1 October 2022 – 30 September 2023")


@pytest.mark.parametrize("style", STYLES)
def it_takes_the_styles_forms_in_text_as_dates(style, tmp_path):
    assert load_dataset(styled_dataset(tmp_path, style)).warnings == []


@pytest.mark.parametrize("written_in", ["2024至25", "2024/25"])
def it_warns_about_another_styles_forms(written_in, tmp_path):
    warnings = load_dataset(styled_dataset(tmp_path, "FY2025", written_in=written_in)).warnings
    assert warnings and all("is typed into the text" in str(w) for w in warnings)
    assert f"{{={STYLES[written_in][2].removesuffix('年度')}}}" in str(warnings[0])


def _built_text(path: Path) -> str:
    """Text of a built output as a reader gets it: PDF text, slide text, HTML body."""
    from reporting.verify.extract import extract

    extracted = extract(path)
    return extracted.body + "\n" + extracted.extra


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
def it_writes_every_output_in_the_style_and_verifies(style, tmp_path):
    from reporting.pipeline.build import BuildOptions, Builder
    from reporting.verify.check import verify_outputs

    path = styled_dataset(tmp_path, style)
    formats = ("pdf", "html", "pptx") if style in ("2024至25", "2024年度") else ("html", "pptx")
    with Builder() as builder:
        outputs = builder.build(path, BuildOptions(formats=formats, out_dir=tmp_path / "out")).outputs
    assert len(outputs) == len(formats)
    report = verify_outputs(outputs, path)
    assert report.ok, report.mismatches
    current_zh, current_en, previous_zh, previous_en = STYLES[style]
    others = {form for other, forms in STYLES.items() if other != style for form in forms} - set(STYLES[style])
    for output in outputs:
        text = squeezed(_built_text(output))
        coverage = f"{current_zh}：2022年10月1日至2023年9月30日"  # the sources page (the deck has none)
        for form in (current_zh, current_en, previous_zh, *([coverage] if output.suffix != ".pptx" else [])):
            assert squeezed(form) in text, (output.name, form)
        # No other style's form anywhere (2023财年 is the default's).
        assert not [form for form in others if re.search(rf"(?<![\d/]){re.escape(squeezed(form))}(?![\d/])", text)
                    and form not in current_zh + current_en], output.name
