"""Facts from a spreadsheet (``facts_from:``), every hazard a real sheet holds, and the export back."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from reporting.cli import main
from reporting.dataset.load import load_dataset
from reporting.dataset.facts_sheet import fact_columns, read_facts
from reporting.dataset.sheets import parse_number
from reporting.errors import DataError
from reporting.pipeline.exports import export_facts
from reporting.resources import data_dir

HERE = Path(__file__).parent
ROOT = HERE.parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
SHIPPED = data_dir() / "xiaohongshu-2020.yaml"
HEADER = ["id", "value", "unit", "qualifier", "date", "label_zh", "label_en", "source", "paragraph"]


def without_facts(text: str, sheet: str) -> str:
    """The dataset ``text`` with its top-level ``facts:`` list replaced by ``facts_from: sheet``."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("facts:"))
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"^[a-z_]+:", lines[i]))
    return "".join(lines[:start]) + f"facts_from: {sheet}\n" + "".join(lines[end:])


def project(tmp_path: Path, rows: list[list], *, name: str = "figures.xlsx", formats: dict | None = None,
            merge: list[str] = (), header: list[str] = HEADER, before: list[list] = ()) -> Path:
    """The minimal dataset with its facts in a workbook (or CSV) made of ``rows``."""
    data = tmp_path / "data.yaml"
    data.write_text(without_facts(MINIMAL.read_text(encoding="utf-8"), name), encoding="utf-8")
    path = tmp_path / name
    if name.endswith(".csv"):
        import csv

        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([*before, header, *rows])
        return data
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Facts"
    for row in [*before, header, *rows]:
        sheet.append(row)
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    for ref in merge:
        sheet.merge_cells(ref)
    book.save(path)
    return data


GOOD = [
    ["users", 2500000, "users", "over", "2024-06-30", "用户", "users", "report", 2],
    ["growth", 12.5, "percent", None, None, "增长", "growth", "report", 3],
]


def derived_row() -> list:
    return ["users_2023", None, "users", "under", None, "2023年用户（推算）", "users in 2023 (derived)", "report", 3]


def rows_of_minimal() -> list[list]:
    return [*GOOD, derived_row()]


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    return [str(problem) for problem in caught.value.problems]


def minimal_with_derivation(rows: list[list], **kwargs) -> list[list]:
    return rows


# The minimal dataset's derived fact needs its derivation columns.
FULL_HEADER = HEADER + ["derived", "from", "note_zh", "note_en"]


def full_rows(*changes: tuple[int, int, object]) -> list[list]:
    rows = [row + [None, None, None, None] for row in GOOD] + [
        derived_row() + ["before_growth", "users, growth", "由增长率推算", "from the growth rate"]]
    for row, column, value in changes:
        rows[row][column] = value
    return rows


def it_reads_the_facts_of_a_workbook(tmp_path):
    loaded = load_dataset(project(tmp_path, full_rows(), header=FULL_HEADER))
    yaml = load_dataset(MINIMAL)
    assert loaded.dataset.facts == yaml.dataset.facts
    assert loaded.values == yaml.values


def it_names_sheet_cell_and_column_of_a_bad_value(tmp_path):
    data = project(tmp_path, full_rows((0, 1, "lots"), (1, 2, "percents")), header=FULL_HEADER)
    shown = problems(data)
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!B2: value: expected a number, got 'lots'", p) for p in shown), shown
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!C3: unit: unknown unit 'percents'.*", p) for p in shown), shown
    assert len(shown) == 2


def it_names_the_line_of_a_csv_file(tmp_path):
    data = project(tmp_path, full_rows((1, 1, "12.5.1")), header=FULL_HEADER, name="figures.csv")
    [problem] = problems(data)
    assert re.fullmatch(r".*figures\.csv:3: value: expected a number, got '12\.5\.1'.*", problem), problem


def it_reports_every_problem_of_the_sheet_and_the_yaml_at_once(tmp_path):
    data = project(tmp_path, full_rows((0, 1, "lots"), (1, 6, None)), header=FULL_HEADER)
    data.write_text(data.read_text(encoding="utf-8").replace("key_figures: [users, growth]",
                                                             "key_figures: [users, grwth]"), encoding="utf-8")
    shown = problems(data)
    assert any("figures.xlsx:Facts!B2: value:" in p for p in shown), shown
    assert any("figures.xlsx:Facts!G3: label_en: missing translation" in p for p in shown), shown
    assert any(re.search(r"data\.yaml:\d+: key_figures\[1\]: no fact has the id 'grwth'", p) for p in shown), shown


def it_reads_numbers_stored_as_text():
    assert parse_number("1,234") == 1234
    assert parse_number("2,500,000") == 2500000
    assert parse_number("1 234.5") == 1234.5
    assert parse_number("１２３") == 123
    assert parse_number("12.5%") == 12.5
    with pytest.raises(ValueError, match="expected a number"):
        parse_number("1,23")


def it_reads_thousands_separators_in_text_cells(tmp_path):
    loaded = load_dataset(project(tmp_path, full_rows((0, 1, "2,500,000")), header=FULL_HEADER))
    assert loaded.values["users"] == 2500000


def it_reads_a_percent_formatted_cell_as_the_percentage_it_shows(tmp_path):
    data = project(tmp_path, full_rows((1, 1, 0.125)), header=FULL_HEADER, formats={"B3": "0.0%"})
    assert load_dataset(data).values["growth"] == 12.5


def it_reads_excel_dates_and_serial_numbers(tmp_path):
    import datetime as dt

    rows = full_rows((0, 4, 45473), (1, 4, dt.datetime(2024, 6, 1)))
    data = project(tmp_path, rows, header=FULL_HEADER, formats={"E3": "mmm yyyy"})
    facts = load_dataset(data).facts
    assert facts["users"].date == "2024-06-30"  # serial 45473
    assert facts["growth"].date == "2024-06"  # a date cell showing month and year


def it_reads_the_saved_value_of_a_formula(tmp_path):
    data = project(tmp_path, full_rows((0, 1, "=2000000+500000")), header=FULL_HEADER)
    save_formula_values(tmp_path / "figures.xlsx", {"B2": "2500000"})
    assert load_dataset(data).values["users"] == 2500000


def it_refuses_a_formula_without_a_saved_value(tmp_path):
    data = project(tmp_path, full_rows((0, 1, "=2000000+500000")), header=FULL_HEADER)
    [problem] = problems(data)
    assert re.fullmatch(r".*figures\.xlsx:Facts!B2: value: the formula =2000000\+500000 has no saved value.*",
                        problem), problem


def save_formula_values(path: Path, values: dict[str, str]) -> None:
    """Write a saved value into formula cells, as Excel does when it saves (openpyxl does not)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, value in values.items():
        sheet, count = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?',
                               rf"\g<1><v>{value}</v>", sheet)
        assert count == 1
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def it_fills_a_cell_merged_down_a_column_into_every_row(tmp_path):
    rows = full_rows((1, 7, None), (2, 7, None))
    data = project(tmp_path, rows, header=FULL_HEADER, merge=["H2:H4"])
    facts = load_dataset(data).facts
    assert {fact.source.ref for fact in facts.values()} == {"report"}


def it_refuses_cells_merged_across_columns(tmp_path):
    data = project(tmp_path, full_rows(), header=FULL_HEADER, merge=["F3:G3"])
    shown = problems(data)
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!F3:G3: cells F3:G3 are merged across columns.*", p)
               for p in shown), shown


def it_skips_titles_empty_rows_and_comment_rows(tmp_path):
    rows = full_rows()
    rows.insert(1, [None] * len(FULL_HEADER))
    rows.insert(2, ["# checked by finance, 2024-07-01"] + [None] * (len(FULL_HEADER) - 1))
    data = project(tmp_path, rows, header=FULL_HEADER + ["# reviewer"], before=[["Acme figures 2024"], []],
                   merge=["A1:D1"])
    assert load_dataset(data).dataset.facts == load_dataset(MINIMAL).dataset.facts


def it_reads_a_csv_file_with_a_byte_order_mark(tmp_path):
    data = project(tmp_path, full_rows(), header=FULL_HEADER, name="figures.csv")
    sheet = tmp_path / "figures.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + sheet.read_bytes())
    assert load_dataset(data).dataset.facts == load_dataset(MINIMAL).dataset.facts


def it_explains_a_gbk_csv_file(tmp_path):
    data = project(tmp_path, full_rows(), header=FULL_HEADER, name="figures.csv")
    sheet = tmp_path / "figures.csv"
    sheet.write_bytes(sheet.read_bytes().decode("utf-8").encode("gbk"))
    [problem] = problems(data)
    assert "figures.csv:2: not UTF-8: it reads as GBK/GB18030" in problem
    assert "CSV UTF-8" in problem


def it_names_an_unknown_column_and_a_missing_one(tmp_path):
    header = [name if name != "unit" else "units" for name in FULL_HEADER]
    shown = problems(project(tmp_path, full_rows(), header=header))
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!C1: units: unknown column 'units'.*", p) for p in shown), shown
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!1:1: unit: no 'unit' column.*", p) for p in shown), shown
    assert len([p for p in shown if "no 'unit' column" in p]) == 1, shown


def it_refuses_facts_and_facts_from_together(tmp_path):
    data = project(tmp_path, full_rows(), header=FULL_HEADER)
    text = data.read_text(encoding="utf-8")
    data.write_text(text + MINIMAL.read_text(encoding="utf-8").split("\nfacts:", 1)[1].join(["\nfacts:", ""])
                    .split("\nkey_figures:")[0], encoding="utf-8")
    shown = problems(data)
    assert any(re.search(r"data\.yaml:\d+: facts_from: give either facts or facts_from", p) for p in shown), shown


def it_names_the_line_of_a_missing_sheet(tmp_path):
    data = project(tmp_path, full_rows(), header=FULL_HEADER)
    (tmp_path / "figures.xlsx").unlink()
    [problem] = problems(data)
    assert re.fullmatch(r".*data\.yaml:\d+: facts_from: file not found: .*figures\.xlsx", problem), problem


def it_has_a_column_for_every_field_of_a_fact():
    names = [column.name for column in fact_columns()]
    assert names[:8] == ["id", "value", "unit", "qualifier", "date", "date_part", "label_zh", "label_en"]
    assert {"source", "paragraph", "derived", "from", "note_zh", "note_en", "items_zh", "items_en", "precision",
            "precision_zh", "precision_en"} <= set(names)
    # Every field of the model, however deep, has its column: a field added is a column at once.
    from reporting.dataset.facts import json_schema

    schema = json_schema()

    def leaves(model: dict, prefix: tuple) -> set:
        found = set()
        for key, prop in model.get("properties", {}).items():
            refs = re.findall(r"#/\$defs/(\w+)", str(prop))
            nested = [schema["$defs"][ref] for ref in refs if "properties" in schema["$defs"][ref]]
            if nested and prop.get("type") != "array" and "items" not in str(prop.get("anyOf", "")):
                for inner in nested:
                    found |= leaves(inner, prefix + (key,))
                if any(option.get("type") not in (None, "null") for option in prop.get("anyOf", [])):
                    found.add(prefix + (key,))
            else:
                found.add(prefix + (key,))
        return found

    paths = {column.path for column in fact_columns()}
    paths |= {column.path[:-1] for column in fact_columns() if column.kind == "lines"}
    assert leaves(schema["$defs"]["Fact"], ()) <= paths


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def it_round_trips_the_shipped_dataset_through_an_exported_sheet(tmp_path, suffix):
    yaml = load_dataset(SHIPPED)
    sheet = tmp_path / f"figures{suffix}"
    result = CliRunner().invoke(main, ["facts", "export", str(sheet), "--data", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    data = tmp_path / SHIPPED.name
    data.write_text(without_facts(SHIPPED.read_text(encoding="utf-8"), sheet.name), encoding="utf-8")
    loaded = load_dataset(data)
    assert loaded.dataset.facts == yaml.dataset.facts
    assert loaded.values == yaml.values and loaded.dates == yaml.dates


def it_writes_the_same_workbook_for_the_same_facts_under_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1609459200")
    for name in ("a.xlsx", "b.xlsx"):
        result = CliRunner().invoke(main, ["facts", "export", str(tmp_path / name), "--data", str(SHIPPED)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(2021, 1, 1, 0, 0, 0)}
    assert core.count("2021-01-01T00:00:00Z") == 2


@pytest.mark.slow
def it_builds_the_same_pdf_text_from_the_exported_sheet(shipped, tmp_path):
    """The shipped dataset with its facts in a sheet gives the PDF text the YAML gives
    (the shipped bilingual brief, built once for the run)."""
    pypdf = pytest.importorskip("pypdf")
    shutil.copyfile(data_dir() / "dataset.schema.json", tmp_path / "dataset.schema.json")
    export_facts(load_dataset(SHIPPED).dataset.facts, tmp_path / "figures.xlsx")
    data = tmp_path / SHIPPED.name
    data.write_text(without_facts(SHIPPED.read_text(encoding="utf-8"), "figures.xlsx"), encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(ROOT), "--data", str(data), "--lang", "bilingual",
                                       "--out", str(tmp_path / "sheet"), "--jobs", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [pdf] = (tmp_path / "sheet").glob("*.pdf")
    texts = ["\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
             for path in (shipped.editions["bilingual"][".pdf"], pdf)]
    assert texts[0] == texts[1]
    assert "768" in texts[1]


def it_reads_a_setting_given_per_language_in_its_own_columns(tmp_path):
    header = FULL_HEADER + ["precision_zh", "precision_en"]
    rows = [row + [None, None] for row in full_rows()]
    rows[1][-2:] = [1, 2]
    fact = load_dataset(project(tmp_path, rows, header=header)).facts["growth"]
    assert (fact.precision.zh, fact.precision.en) == (1, 2)


def it_refuses_a_setting_given_whole_and_per_language(tmp_path):
    header = FULL_HEADER + ["precision", "precision_zh"]
    rows = [row + [None, None] for row in full_rows()]
    rows[1][-2:] = [1, 2]
    shown = problems(project(tmp_path, rows, header=header))
    assert any(re.fullmatch(r".*figures\.xlsx:Facts!O3: precision_zh: give precision or precision_zh, not both", p)
               for p in shown), shown
