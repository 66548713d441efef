"""The facts dataset: typed schema (pydantic) and a YAML loader with line numbers.

A dataset holds an organisation's facts once: every figure with its unit,
qualifier, date, bilingual label, source paragraph and, for derived figures, how
it was derived. Narrative text refers to figures by id (``{mau}``), so no number
is typed twice. :func:`load_dataset` validates everything at once and raises a
:class:`~reporting.errors.DataError` naming file, line and field of each problem.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import string
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import DataError, Problem, UsageError, display_path, format_path
from ..model.numbers import TYPED_SCALES, Qualifier, UnitWords
from ..model.periods import FORMS_TEXT, DatePart, FiscalYearEnd, Period

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


def _date_text(value: Any) -> Any:
    """YAML reads 2020-01-31 as a date and 2020 as an int: accept both, keep ISO text.

    Only the form is checked here (a fiscal period's days depend on the dataset's
    ``report.fiscal_year_end``, checked once the whole dataset is read)."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        try:
            Period.parse(value)
        except OverflowError:  # pydantic reports ValueError only; a year of 2147483648 overflows
            raise ValueError("the year is out of range") from None
    return value


DateText = Annotated[str, BeforeValidator(_date_text), Field(description=f"A date or period: {FORMS_TEXT}")]


class Strict(BaseModel):
    """Base for every schema model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    """The same text in Simplified Chinese and English; both are required. Quote text that
    holds ``,`` or ``: `` (``en: "Note: estimates"``), or YAML reads it as another field."""

    zh: Text = Field(description="The Simplified Chinese text", examples=["年度简报"])
    en: Text = Field(description="The English text", examples=["Annual brief"])

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class PerLanguage(Strict):
    """A setting that differs between the languages; a language left out has none."""

    zh: int | None = Field(None, ge=0, le=4, description="For the Chinese text", examples=[2])
    en: int | None = Field(None, ge=0, le=4, description="For the English text", examples=[2])

    def get(self, lang: str) -> int | None:
        return getattr(self, lang)


Digits = Annotated[int, Field(ge=0, le=4)] | PerLanguage


def digits_by_lang(setting: "Digits | None") -> dict[str, int | None]:
    """A ``precision`` or ``decimals`` setting per language (``None`` where not set)."""
    if setting is None:
        return {"zh": None, "en": None}
    if isinstance(setting, int):
        return {"zh": setting, "en": setting}
    return {"zh": setting.zh, "en": setting.en}


KINDS = ("count", "currency", "percent", "percentage_points", "duration")
KIND_NAMES = {
    "count": "a count", "currency": "a currency amount", "percent": "a percentage",
    "percentage_points": "a difference in percentage points", "duration": "a duration",
}
"""How messages name a unit's kind."""


class Unit(Strict):
    """How a figure's unit is written: ``{zh: 篇, en: notes}``, ``{zh: 元, en_prefix: "RMB "}``."""

    zh: str = Field("", description="Suffix in Chinese, attached to the number (篇, 元, %)", examples=["篇"])
    en: str = Field("", description="Suffix in English (notes, %)", examples=["notes"])
    en_singular: str | None = Field(None, description="English suffix for exactly one", examples=["note"])
    en_prefix: str = Field("", description="Prefix in English, e.g. 'RMB '", examples=["RMB "])
    attach: bool = Field(False, description="English suffix follows the number with no space (%)",
                         examples=[True])
    signed: bool = Field(False, description="Values may be negative (changes, balances)", examples=[True])
    kind: Literal["count", "currency", "percent", "percentage_points", "duration"] = Field(
        "count",
        description="Counts name their noun in the label, so tiles and chart labels show the bare "
        "number; currencies, percentages, percentage points and durations always keep their unit. "
        "Derivations are checked against it (a share is a percentage, not money)",
        examples=["percent"],
    )
    scale: Literal["万", "亿", "万亿", "thousand", "million", "billion", "trillion"] | None = Field(
        None,
        description="The scale of the values typed in this unit, as the source prints them: with "
        "'亿', a value of 1260582 means 1260582亿. The display scale is chosen when formatting",
        examples=["亿"],
    )
    precision: Digits | None = Field(
        None,
        description="Most fraction digits shown at the display scale (0-4), or per language "
        "({zh: 2, en: 2}); by default every language shows the same significant digits",
        examples=[2, {"zh": 2, "en": 2}],
    )
    decimals: Digits | None = Field(
        None,
        description="Exactly this many fraction digits at the display scale, trailing zeros kept "
        "(3.0%); a number or one per language",
        examples=[1],
    )
    change: bool = Field(
        False,
        description="Values are changes from an earlier figure: a rise prints with '+' (+5.2%)",
        examples=[True],
    )

    @property
    def multiplier(self) -> int:
        """What a typed value is multiplied by (10**4 for 万)."""
        return 10 ** TYPED_SCALES[self.scale] if self.scale else 1

    def words(self, lang: str) -> UnitWords:
        if lang == "zh":
            return UnitWords(suffix=self.zh, attach=True)
        return UnitWords(
            suffix=self.en, prefix=self.en_prefix, attach=self.attach, singular=self.en_singular
        )


LocationPart = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.()-]*$", max_length=16)]


class Label(Localized):
    """A fact's label; ``name: true`` marks it as a name, never capitalised (iPhone)."""

    name: bool = Field(
        False,
        description="The label is a name written as it must be (iPhone, eBay): a sentence that "
        "opens with it leaves it as it is",
        examples=[True],
    )


class SourceRef(Strict):
    """Where a figure is stated: a source id and a location in it, as the source is cited:
    ``paragraph`` (press articles), ``page``, ``item`` (``Item 7`` of a 10-K), ``note``
    (``Note 3`` of the financial statements) or ``section``; several may be given
    (``item: "7", page: 21``), at least one."""

    ref: Id = Field(description="The id of a source in `sources`", examples=["article"])
    paragraph: int | None = Field(None, ge=1, description="The paragraph of that source stating the figure, from 1",
                                  examples=[4])
    page: int | None = Field(None, ge=1, description="The page stating the figure, as the source numbers it: "
                             "'p. 21' / '第21页'", examples=[21])
    item: LocationPart | None = Field(None, description="The item of a filing (7, 1A): 'Item 7' / '第7项'",
                                      examples=["7"])
    note: LocationPart | None = Field(None, description="The note to the financial statements (3): "
                                      "'Note 3' / '附注3'", examples=["3"])
    section: LocationPart | None = Field(None, description="The numbered section (2.1): 'section 2.1' / '第2.1节'",
                                         examples=["2.1"])

    @field_validator("item", "note", "section", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        # item: 7 and item: "7" mean the same; YAML reads the first as a number
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _somewhere(self) -> "SourceRef":
        if all(getattr(self, key) is None for key in LOCATION_KEYS):
            raise ValueError(f"say where in the source: give one or more of {', '.join(LOCATION_KEYS)}")
        return self

    @property
    def locations(self) -> list[tuple[str, int | str]]:
        """``(kind, value)`` for each location given, broadest first (item, note,
        section, page, paragraph)."""
        return [(key, getattr(self, key)) for key in LOCATION_KEYS if getattr(self, key) is not None]


LOCATION_KEYS = ("item", "note", "section", "page", "paragraph")


class Derivation(Strict):
    """How a derived figure is computed from other facts.

    ``sum`` adds ``from``; ``difference`` is the first minus the rest (of two
    percentages: percentage points); ``percent_of`` takes ``from[1]`` percent of
    ``from[0]``; ``share`` is ``from[0]`` as a percentage of ``from[1]``; ``ratio`` is
    ``from[0]`` divided by ``from[1]``, in the fact's own unit (money per employee, per
    share); ``growth`` is the year-on-year growth in percent from ``from[1]`` (before) to
    ``from[0]`` (after); ``before_growth`` is the value before growth of ``from[1]``
    percent led to ``from[0]``; ``date_after`` derives only the date: the date of
    ``from[0]`` plus ``from[1]`` days (the value is given). The result must fit the
    fact's unit: a share or a growth is a percentage, money stays money.
    """

    method: Literal["sum", "difference", "percent_of", "share", "ratio", "growth", "before_growth",
                    "date_after"] = Field(
        description="How the figure follows from the facts in `from` (see above)", examples=["sum"])
    from_: list[Id] = Field(alias="from", min_length=1, description="The ids of the facts it is computed from, "
                            "in the order the method reads them", examples=[["batch3_suits", "batch3_pants"]])
    note: Localized = Field(description="How it was derived, in a sentence, shown on the sources page",
                            examples=[{"zh": "两项之和。", "en": "Sum of the two items."}])

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Fact(Strict):
    """One figure: value, unit, qualifier, date, label, source; derived figures say how."""

    id: Id = Field(description="How narrative, charts and audiences name the figure: lowercase letters, "
                   "digits and _", examples=["mau"])
    value: float | None = Field(None, description="The figure as the source prints it: in plain units "
                                "(7680000), or in the unit's `scale` (1260582 in a unit of scale 亿); omitted "
                                "for derived figures, which are computed", examples=[7680000])
    unit: Id = Field(description="The id of a unit in `units`", examples=["users"])
    qualifier: Qualifier = Field(Qualifier.EXACT, description="How exact the source says the figure is: "
                                 "exact, over, nearly, about or under", examples=["over"])
    date: DateText | None = Field(None, description=f"When the figure holds: {FORMS_TEXT}",
                                  examples=["2020-01-26", "2023-Q1", "FY2023", "2020-01-26/2020-02-29"])
    date_part: DatePart | None = Field(None, description="early, mid or late in the month (or year)",
                                       examples=["late"])
    label: Label = Field(description="What the figure counts, in both languages (lower case: it follows "
                         "the number in text); `name: true` for a name never capitalised", examples=[{"zh": "月活跃用户", "en": "monthly active users"}])
    source: SourceRef = Field(description="Where the figure is stated", examples=[{"ref": "article", "paragraph": 2}])
    derived: Derivation | None = Field(None, description="For a figure computed from others: how; it is shown "
                                       "with an asterisk and its note", examples=[{
                                           "method": "sum", "from": ["batch3_suits", "batch3_pants"],
                                           "note": {"zh": "两项之和。", "en": "Sum of the two items."}}])
    items: list[Localized] = Field(
        [], description="What is counted, when named (brands, partners); the value defaults to their number",
        examples=[[{"zh": "完美日记", "en": "Perfect Diary"}]],
    )
    precision: Digits | None = Field(
        None,
        description="Most fraction digits shown at the display scale (0-4), or per language; "
        "default: the unit's, else the same significant digits in every language",
        examples=[1, {"zh": 2, "en": 2}],
    )
    decimals: Digits | None = Field(
        None, description="Exactly this many fraction digits, trailing zeros kept (3.0%); default: the unit's",
        examples=[1],
    )
    change: bool | None = Field(
        None, description="The figure is a change: a rise prints with '+'; default: the unit's 'change'",
        examples=[True],
    )

    @model_validator(mode="after")
    def _value_or_derivation(self) -> "Fact":
        if self.value is None and self.derived is None and not self.items:
            raise ValueError("a fact needs a value, a 'derived' rule or named 'items'")
        if self.items and self.value is not None and self.value != len(self.items):
            raise ValueError(f"value {self.value:g} does not match the {len(self.items)} named items")
        return self

    def period(self, fiscal_year_end: FiscalYearEnd | None) -> Period | None:
        """The fact's date as a period (``fiscal_year_end`` places ``FY2023``)."""
        if self.date is None:
            return None
        return Period.parse(self.date, fiscal_year_end).with_part(self.date_part)


class Source(Strict):
    """A document the figures come from; facts cite it by id and paragraph."""

    id: Id = Field(description="How facts cite it (`source.ref`)", examples=["article"])
    title: Localized = Field(description="Its title, in both languages",
                             examples=[{"zh": "小红书2020年度回顾", "en": "Xiaohongshu's 2020 in review"}])
    publisher: Localized = Field(description="Who published it", examples=[{"zh": "新华网", "en": "Xinhua"}])
    kind: Localized = Field(description="What the source is, e.g. press article",
                            examples=[{"zh": "新闻报道", "en": "press article"}])
    language: Literal["zh", "en"] = Field(description="The language it is written in", examples=["zh"])
    date: DateText | None = Field(None, description="When it was published: YYYY-MM-DD, YYYY-MM or YYYY; printed on the sources page",
                                  examples=["2021-01-05"])
    url: str | None = Field(None, description="Where to read it", examples=["https://example.com/2020-review"])
    paragraphs: int | None = Field(None, ge=1, description="How many paragraphs it has (a fact citing a later "
                                   "one is refused)", examples=[12])


class Category(Strict):
    """One point on a chart's category axis: a label, or the label or date of a fact."""

    label: Localized | None = Field(None, description="The category's own label",
                                    examples=[{"zh": "一线城市", "en": "tier-1 cities"}])
    label_of: Id | None = Field(None, description="Use this fact's label", examples=["mau"])
    date_of: Id | None = Field(None, description="Use this fact's date (a time axis)", examples=["mau"])

    @model_validator(mode="after")
    def _exactly_one(self) -> "Category":
        given = [k for k in ("label", "label_of", "date_of") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of label, label_of, date_of")
        return self


class Series(Strict):
    """One series of a chart: a name and one fact per category."""

    name: Localized = Field(description="The series' name in the legend", examples=[{"zh": "用户", "en": "users"}])
    facts: list[Id | None] = Field(description="One fact id per category; null for no value",
                                   examples=[["mau_2019", "mau", None]])


class Chart(Strict):
    """A chart drawn from facts: one value per category and series."""

    id: Id = Field(description="The chart's name (in file names and alt text)", examples=["growth"])
    kind: Literal["bar", "column", "stacked_column", "line", "doughnut"] = Field(
        description="bar (horizontal), column, stacked_column, line or doughnut", examples=["column"])
    title: Localized = Field(description="Its heading", examples=[{"zh": "用户增长", "en": "User growth"}])
    caption: Localized = Field(description="A sentence under it saying what it shows",
                               examples=[{"zh": "月活跃用户，2019–2020年。", "en": "Monthly active users, 2019–2020."}])
    categories: list[Category] = Field([], description="The points of the category axis, in order",
                                       examples=[[{"date_of": "mau_2019"}, {"date_of": "mau"}]])
    series: list[Series] = Field([], description="One or more series; a doughnut has exactly one",
                                 examples=[[{"name": {"zh": "用户", "en": "users"}, "facts": ["mau_2019", "mau"]}]])
    log_scale: bool = Field(False, description="A logarithmic value axis, for values of very different sizes "
                            "(not for stacked columns or doughnuts)", examples=[True])
    value_axis: Localized | None = Field(None, description="The value axis' title", examples=[
        {"zh": "用户（人）", "en": "users"}])

    @model_validator(mode="after")
    def _shape(self) -> "Chart":
        if not self.categories or not self.series:
            raise ValueError("a chart needs categories and at least one series")
        for number, series in enumerate(self.series):
            if len(series.facts) != len(self.categories):
                raise ValueError(
                    f"series {number} has {len(series.facts)} values for "
                    f"{len(self.categories)} categories"
                )
        if self.kind == "doughnut" and len(self.series) != 1:
            raise ValueError("a doughnut chart has exactly one series")
        if self.log_scale and self.kind in ("stacked_column", "doughnut"):
            raise ValueError(f"a {self.kind.replace('_', ' ')} chart cannot use a log scale "
                             f"(its parts add up, which a log scale hides)")
        return self


class Paragraph(Strict):
    """A paragraph of narrative; ``{fact_id}`` placeholders are filled with formatted figures."""

    text: Localized = Field(description="The text; {id} is a figure with qualifier and unit, {id:number} "
                            "without the unit, {id:date} its date, {id:label} its label",
                            examples=[{"zh": "月活跃用户{mau}。", "en": "{mau} used the app each month."}])
    depth: Literal["summary", "full"] = Field(
        "full", description="summary paragraphs appear in every depth; full ones only in full briefs",
        examples=["summary"],
    )


class Section(Strict):
    """A section of the report: narrative, figures, charts and talking points on one theme."""

    id: Id = Field(description="How audiences pick and order sections", examples=["community"])
    title: Localized = Field(description="Its heading", examples=[{"zh": "社区", "en": "Community"}])
    lead: Localized = Field(description="One or two sentences that open the section",
                            examples=[{"zh": "月活跃用户{mau}。", "en": "{mau} each month."}])
    paragraphs: list[Paragraph] = Field(min_length=1, description="The narrative, in order", examples=[
        [{"text": {"zh": "……", "en": "…"}, "depth": "summary"}]])
    facts: list[Id] = Field([], description="Figures listed beside the narrative", examples=[["mau", "notes"]])
    charts: list[Chart] = Field([], description="Charts of the section, in order")
    points: list[Localized] = Field([], description="Three to five talking points for slides",
                                    examples=[[{"zh": "用户{mau}", "en": "{mau}"}]])
    tags: list[Id] = Field([], description="Topics, used by audiences to pick sections", examples=[["brands"]])


class Event(Strict):
    """A dated event; its date is given, or taken from a fact (``date_of``)."""

    id: Id = Field(description="The event's name", examples=["launch"])
    date: DateText | None = Field(None, description=f"When: {FORMS_TEXT} (or give date_of)",
                                  examples=["2020-01-26"])
    date_part: DatePart | None = Field(None, description="early, mid or late in the month (or year)",
                                       examples=["mid"])
    date_of: Id | None = Field(None, description="Take the date of this fact (or give date)", examples=["mau"])
    title: Localized = Field(description="What happened", examples=[{"zh": "发起公益直播", "en": "Charity streams begin"}])
    facts: list[Id] = Field([], description="Figures shown with the event", examples=[["wuhan_views"]])
    source: SourceRef | None = Field(None, description="Where it is stated", examples=[{"ref": "article",
                                                                                        "paragraph": 9}])

    @model_validator(mode="after")
    def _one_date(self) -> "Event":
        if (self.date is None) == (self.date_of is None):
            raise ValueError("give exactly one of date, date_of")
        return self


class Timeline(Strict):
    """Dated events; the brief draws them as a timeline chart with this caption."""

    title: Localized = Field(description="Its heading", examples=[{"zh": "大事记", "en": "Timeline"}])
    lead: Localized | None = Field(None, description="A sentence that opens it",
                                   examples=[{"zh": "一年中的关键时刻。", "en": "The year's key moments."}])
    caption: Localized = Field(description="A sentence under the chart", examples=[
        {"zh": "2020年大事。", "en": "Events of 2020."}])
    events: list[Event] = Field(min_length=1, description="The events, in any order (drawn by date)")


class ReportInfo(Strict):
    """The report as a whole: what it is called, whose, which period, by whom and when."""

    id: Slug = Field(description="Short name used in output file names", examples=["acme-2024"])
    title: Localized = Field(description="The cover title", examples=[{"zh": "年度回顾", "en": "The year in review"}])
    subtitle: Localized = Field(description="The line under the title", examples=[
        {"zh": "用户、品牌与公益", "en": "Users, brands and public welfare"}])
    organisation: Localized = Field(description="Whose figures they are", examples=[{"zh": "示例公司", "en": "Acme"}])
    period: Localized = Field(description="The period the figures cover", examples=[{"zh": "2024年", "en": "2024"}])
    author: Localized = Field(description="Who wrote the report", examples=[{"zh": "研究部", "en": "Research team"}])
    date: DateText = Field(description="Publication date (YYYY-MM-DD): the report's date on covers",
                           examples=["2024-12-31"])
    fiscal_year_end: str | None = Field(
        None,
        description="The last day of the organisation's fiscal year as MM-DD (09-30): FY2023 then "
        "covers 1 October 2022 to 30 September 2023. Needed by fiscal dates (FY2023, FY2023-Q1)",
        pattern=r"^\d{2}-\d{2}$", examples=["09-30"],
    )

    @field_validator("date")
    @classmethod
    def _date_is_day(cls, value: str) -> str:
        if Period.parse(value).precision.value != "day":
            raise ValueError("the report date needs year, month and day")
        return value

    @field_validator("fiscal_year_end")
    @classmethod
    def _fiscal_year_end(cls, value: str | None) -> str | None:
        if value is not None:
            FiscalYearEnd.parse(value)
        return value

    @property
    def fiscal_ends(self) -> FiscalYearEnd | None:
        """The fiscal year's last day, or None when the dataset sets none."""
        return FiscalYearEnd.parse(self.fiscal_year_end) if self.fiscal_year_end else None


class Dataset(Strict):
    """A whole dataset file."""

    schema_version: Literal[1] = Field(1, description="The format's version", examples=[1])
    report: ReportInfo = Field(description="The report's title, organisation, period, author and date")
    sources: list[Source] = Field(min_length=1, description="The documents the figures come from")
    units: dict[Id, Unit] = Field(description="How each unit is written, by id", examples=[
        {"users": {"zh": "人", "en": "users"}, "percent": {"zh": "%", "en": "%", "attach": True, "kind": "percent"}}])
    facts: list[Fact] = Field(min_length=1, description="Every figure, once (or give facts_from)")
    facts_from: str | None = Field(None, description="A spreadsheet (.xlsx or .csv), relative to this file, with "
                                   "one fact a row instead of a facts list: columns id, value, unit, qualifier, "
                                   "date, label_zh, label_en, source, paragraph and the optional ones (see "
                                   "'Facts from a spreadsheet')", examples=["figures.xlsx"])
    key_figures: list[Id] = Field(min_length=1, description="Facts shown as tiles on the cover and key-figure slide, "
                                  "in order", examples=[["mau", "notes_2020"]])
    sections: list[Section] = Field(min_length=1, description="The report's sections, in order")
    timeline: Timeline | None = Field(None, description="Dated events, drawn as a timeline")
    method: list[Localized] = Field([], description="Paragraphs on how figures were gathered", examples=[
        [{"zh": "数据来自公司年报。", "en": "Figures are from the annual report."}]])

    def fact(self, fact_id: str) -> Fact:
        return self._facts_by_id()[fact_id]

    def _facts_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a dataset file, for editors that check YAML as it is typed."""
    from pydantic.json_schema import GenerateJsonSchema

    class _KeepExamples(GenerateJsonSchema):
        # Examples keep the order they are written in ({zh, en}, not {en, zh}).
        def _sort_recursive(self, value: Any, parent_key: str | None = None) -> Any:
            return value if parent_key == "examples" else super()._sort_recursive(value, parent_key)

    schema = Dataset.model_json_schema(by_alias=True, schema_generator=_KeepExamples)
    # Facts come as a list or from a spreadsheet: one of the two is required.
    schema["required"] = [name for name in schema["required"] if name != "facts"]
    schema["anyOf"] = [{"required": ["facts"]}, {"required": ["facts_from"]}]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Report facts dataset"
    return schema


# --------------------------------------------------------------------------- loading


def load_dataset(path: Path | str) -> "LoadedDataset":
    """Read, validate and resolve a dataset file.

    Raises :class:`DataError` listing every problem (YAML syntax, types, missing or
    unknown fields, missing translations, negative counts, duplicate ids, unknown
    references), each with file, line and field path.
    """
    from .yaml_lines import LineIndex, read_yaml

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"dataset not found: {display_path(path)}")
    shown = display_path(path)
    document, lines = read_yaml(path, shown)
    if not isinstance(document, dict):
        raise DataError([Problem(shown, 1, "", "expected a mapping at the top of the dataset")])
    from .sanitize import check_document

    sheet, sheet_problems = None, []
    files = [path]
    if "facts_from" in document:
        if isinstance(document["facts_from"], str):
            files.append(path.parent / document["facts_from"])
        document, sheet, sheet_problems = _facts_from(document, path, shown, lines)
    # Three stages, all run on every load so that every problem is reported at once:
    # text and number hazards, the schema, and references between items (checked on
    # the raw document, so they run even when the schema failed). A later stage does
    # not repeat a field an earlier one already reported.
    problems = check_document(document, shown, lines)
    dataset = None
    try:
        dataset = Dataset.model_validate(document)
    except ValidationError as error:
        _merge(problems, _problems_from_validation(error, shown, lines, document))
    _merge(problems, _check_references(document, shown, lines))
    _merge(problems, _check_periods(document, shown, lines))
    if sheet_problems and sheet is None:  # the sheet was not read: no facts, for the reason given
        problems = [problem for problem in problems if problem.field != "facts"]
    if sheet_problems or problems or dataset is None:
        raise DataError(_located(sheet_problems + sorted(problems, key=lambda p: p.line or 0), sheet))
    from .derive import resolve_values

    resolved = resolve_values(dataset, shown, lines)
    problems = resolved.problems
    values = resolved.values
    problems += _check_magnitudes(dataset, resolved.exact, shown, lines)
    if not problems:
        problems += _check_charts(dataset, values, shown, lines)
    if problems:
        raise DataError(_located(problems, sheet))
    loaded = LoadedDataset(path=path, dataset=dataset, values=values, dates=resolved.dates,
                           exact=resolved.exact, qualifiers=resolved.qualifiers)
    loaded.files = tuple(files)
    loaded.warnings = _located(_narrative_numbers(dataset, resolved.exact, shown, lines), sheet)
    return loaded


def _narrative_numbers(dataset: "Dataset", exact: dict[str, Decimal], file: str, lines: "LineIndex") -> list[Problem]:
    """Numbers typed into narrative that are no figure of the dataset (and no date, year,
    reference or identifier): each is a warning, since verify would refuse the built
    output. A figure belongs in a ``{fact}`` placeholder; words with a number in them
    are marked ``{=Fortune 500}``."""
    from .textnumbers import number_tokens

    known = {abs(value).normalize() for value in exact.values()}
    warnings: list[Problem] = []

    def check(loc: list[Any], text: Localized | None) -> None:
        for lang in ("zh", "en") if text is not None else ():
            try:
                # Only the text typed around placeholders: a placeholder's figure is known.
                typed = "\n".join(literal for literal, *_ in narrative_parts(text.get(lang)))
            except ValueError:
                continue  # bad braces are reported as errors
            for token in number_tokens(typed):
                if token.rule is None and abs(token.value).normalize() not in known:
                    warnings.append(Problem(
                        file, lines.line_of(loc + [lang]), format_path(loc + [lang]),
                        f"warning: {token.text!r} is typed into the text but is no figure of the dataset; "
                        f"give the figure as a {{fact}} placeholder, or mark words holding a number "
                        f"as {{={token.text}}}"))

    for s, section in enumerate(dataset.sections):
        check(["sections", s, "lead"], section.lead)
        for p, paragraph in enumerate(section.paragraphs):
            check(["sections", s, "paragraphs", p, "text"], paragraph.text)
        for p, point in enumerate(section.points):
            check(["sections", s, "points", p], point)
    for f, fact in enumerate(dataset.facts):
        if fact.derived is not None:
            check(["facts", f, "derived", "note"], fact.derived.note)
    for m, paragraph in enumerate(dataset.method):
        check(["method", m], paragraph)
    if dataset.timeline is not None:
        check(["timeline", "lead"], dataset.timeline.lead)
    return warnings


def _check_periods(document: dict, file: str, lines: "LineIndex") -> list[Problem]:
    """Dates whose days depend on the dataset: a fiscal period (``FY2023``) needs
    ``report.fiscal_year_end``. Works on the raw document, beside the schema, so these
    are reported with the schema's problems (a date the schema refused is not repeated)."""
    problems: list[Problem] = []
    try:
        ends = FiscalYearEnd.parse(_map(document.get("report"))["fiscal_year_end"])
    except (KeyError, ValueError, TypeError):
        ends = None  # none given, or a bad one the schema reports
    dated: list[tuple[list[Any], Any]] = []
    for key in ("facts", "sources"):
        dated += [([key, i, "date"], _map(item).get("date")) for i, item in enumerate(_seq(document.get(key)))]
    events = _seq(_map(document.get("timeline")).get("events"))
    dated += [(["timeline", "events", i, "date"], _map(event).get("date")) for i, event in enumerate(events)]
    for loc, text in dated:
        if not isinstance(text, str) or "FY" not in text:
            continue  # other forms need nothing from the rest of the dataset
        try:
            Period.parse(text, ends)
        except (ValueError, OverflowError) as error:
            problems.append(Problem(file, lines.line_of(loc), format_path(loc), f"{error} (got {text!r})"))
    return problems


def _facts_from(document: dict, path: Path, shown: str, lines: "LineIndex"):
    """The document with the facts of its ``facts_from`` spreadsheet as its ``facts``, the
    sheet read (to place later problems in its cells) and the problems found reading it.
    A sheet that cannot be read leaves the document without facts: the problems say why
    (not once more as a missing ``facts``)."""
    from .facts_sheet import read_facts
    from .sheets import SUFFIXES

    value = document.get("facts_from")

    def problem(message: str) -> list[Problem]:
        return [Problem(shown, lines.line_of(["facts_from"]), "facts_from", message)]

    if "facts" in document:
        return document, None, problem("give either facts or facts_from, not both")
    if not isinstance(value, str) or not value.strip():
        return document, None, problem("the path of a spreadsheet (.xlsx or .csv), relative to this file")
    sheet_path = path.parent / value
    if sheet_path.suffix.lower() not in SUFFIXES:
        return document, None, problem(f"a spreadsheet is a .xlsx or .csv file, not {value!r}")
    if not sheet_path.is_file():
        return document, None, problem(f"file not found: {display_path(sheet_path)}")
    try:
        sheet = read_facts(sheet_path)
    except DataError as error:
        return document, None, error.problems
    return {**document, "facts": sheet.facts}, sheet, sheet.problems


def _located(problems: list[Problem], sheet: Any) -> list[Problem]:
    """Problems in the facts of a ``facts_from`` dataset, moved to their cells (once each)."""
    if sheet is None:
        return problems
    located: dict[tuple, Problem] = {}
    for problem in problems:
        problem = sheet.locate(problem)
        # A cell the sheet reader could not read went on as written: the schema's word on
        # it would say the same again.
        located.setdefault((problem.file, problem.line, problem.field), problem)
    return list(located.values())


def _check_charts(dataset: "Dataset", values: dict[str, float], file: str, lines: "LineIndex") -> list[Problem]:
    """Values a chart cannot draw: zero or less on a log scale; a doughnut's negative
    shares, or no share above zero."""
    problems = []

    def problem(loc: list[Any], message: str) -> None:
        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    for s, section in enumerate(dataset.sections):
        for c, chart in enumerate(section.charts):
            base: list[Any] = ["sections", s, "charts", c]
            charted = [(["series", r, "facts", v], fact_id, values[fact_id])
                       for r, series in enumerate(chart.series)
                       for v, fact_id in enumerate(series.facts) if fact_id is not None]
            for loc, fact_id, value in charted:
                if chart.log_scale and value <= 0:
                    problem(base + loc, f"a log scale cannot show {value:g} (fact {fact_id!r}); "
                            f"every value must be above zero, or leave out log_scale")
                elif chart.kind == "doughnut" and value < 0:
                    problem(base + loc, f"a doughnut cannot show a negative share ({value:g}, fact {fact_id!r})")
            if not charted:
                problem(base + ["series"], "the chart has no values (every fact is null)")
            elif chart.kind == "doughnut" and not any(value > 0 for _, _, value in charted):
                problem(base + ["series"], "a doughnut needs at least one value above zero")
    return problems


def _merge(problems: list[Problem], later: list[Problem]) -> None:
    """Add a later stage's problems, leaving out fields an earlier stage already named."""
    named = {problem.field for problem in problems if problem.field}
    problems.extend(problem for problem in later if problem.field not in named)


LARGEST_FIGURE = 1e15
"""Figures (given or derived) stay below 10^15 (1000 trillion, 1000万亿): larger ones
cannot be written in the press style's words and lose digits as floating point."""


def _check_magnitudes(dataset: "Dataset", values: dict[str, Decimal], file: str, lines: "LineIndex") -> list[Problem]:
    from ..model.numbers import equal_detail, rounded, typed_text

    problems = []
    for index, fact in enumerate(dataset.facts):
        value = values.get(fact.id)
        if value is None:
            continue
        loc: list[Any] = ["facts", index, "value" if fact.derived is None else "derived"]
        if abs(value) >= LARGEST_FIGURE:
            if fact.derived is not None:  # given values are checked with the references
                problems.append(Problem(file, lines.line_of(loc), format_path(loc),
                                        f"the figure is derived as {typed_text(value)}; "
                                        f"figures must stay below 10^15 in size"))
            continue
        unit = dataset.units[fact.unit]
        styles = equal_detail(value, fact_digits(fact, unit, "precision"), fact_digits(fact, unit, "decimals"))
        zero = [lang for lang, style in styles.items() if value != 0 and rounded(value, lang, style).zero]
        if zero:
            problems.append(Problem(file, lines.line_of(loc), format_path(loc),
                                    f"the figure {typed_text(value)} prints as 0 with the precision set; "
                                    f"give it more fraction digits ('precision', at most 4) or check the value"))
    return problems


def fact_digits(fact: "Fact", unit: Unit, setting: str) -> dict[str, int | None]:
    """A fact's ``precision`` or ``decimals`` per language: the fact's, else its unit's."""
    own, inherited = digits_by_lang(getattr(fact, setting)), digits_by_lang(getattr(unit, setting))
    return {lang: own[lang] if own[lang] is not None else inherited[lang] for lang in own}


class LoadedDataset:
    """A validated dataset with every figure's value (derived ones computed) and date."""

    def __init__(
        self,
        path: Path,
        dataset: Dataset,
        values: dict[str, float],
        dates: dict[str, Period | None],
        exact: dict[str, Decimal] | None = None,
        qualifiers: dict[str, Qualifier] | None = None,
    ):
        from ..model.numbers import exact as to_decimal

        self.path = path
        self.dataset = dataset
        self.values = values
        """Every figure's value as a float (for charts)."""
        self.dates = dates
        self.exact = exact if exact is not None else {k: to_decimal(v) for k, v in values.items()}
        """Every figure's exact value: what is formatted and rounded."""
        self.qualifiers = qualifiers if qualifiers is not None else {f.id: f.qualifier for f in dataset.facts}
        """Every figure's qualifier; a derived one as loose as its loosest input."""
        self.files: tuple[Path, ...] = (path,)
        """Every file the dataset was read from: its own, and its ``facts_from`` spreadsheet."""
        self.warnings: list[Problem] = []
        """What the loader warns about without refusing the dataset (a number typed into
        narrative that no fact has), each as ``FILE:LINE: field: warning: ...``."""

    def period(self, text: str, part: DatePart | None = None) -> Period:
        """A date of this dataset (an event's, a source's) as a period; fiscal periods
        follow the dataset's ``report.fiscal_year_end``."""
        return Period.parse(text, self.dataset.report.fiscal_ends).with_part(part)

    @property
    def facts(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.dataset.facts}


_PYDANTIC_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not part of the schema)",
}


def _problems_from_validation(error: ValidationError, file: str, lines: "LineIndex",
                              document: Any = None) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = [part for part in item["loc"] if not _is_union_tag(part)]
        field = format_path(loc)
        message = _PYDANTIC_MESSAGES.get(item["type"], item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing" and loc and loc[-1] in ("zh", "en"):
            message = f"missing translation: the {'Chinese' if loc[-1] == 'zh' else 'English'} text is required"
        elif item["type"] == "extra_forbidden" and _split_text(document, loc):
            message = (f"unknown field {loc[-1]!r}: text holding ',' or ': ' inside {{zh: …, en: …}} must be "
                       f"quoted, or YAML reads what follows as another field: "
                       f"en: \"…, {loc[-1]}\"")
        elif ("got " not in message and item["type"] not in _PYDANTIC_MESSAGES and "input" in item
              and not isinstance(item["input"], (dict, list))):
            # (a whole mapping as "input" says nothing the field path does not)
            message = f"{message} (got {_short(item['input'])})"
        problems.append(Problem(file, lines.line_of(loc), field, message))
    return problems


def _split_text(document: Any, loc: list[Any]) -> bool:
    """True when ``loc`` is a key without a value beside ``zh``/``en``: what YAML makes of
    ``{zh: 投资与贸易, en: Investment, trade}``, whose unquoted ',' ends the text."""
    node = document
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, dict) and bool({"zh", "en"} & set(node)) and node.get(loc[-1], "") is None


def _is_union_tag(part: Any) -> bool:
    # pydantic adds a union member's or validator's name to the location
    # ("float", "function-after[...]"); they are not fields the user wrote.
    return isinstance(part, str) and (part in {"float", "int", "str", "bool"} or "[" in part)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_FORMATTER = string.Formatter()
PLACEHOLDER_FORMS = ("", "number", "size", "change", "date", "label")


LITERAL_MARK = "="
"""``{=Fortune 500}`` in narrative: words with a number in them, meant as words, not a
figure. Printed as written (without the braces); verify takes it as the dataset's wording."""


def narrative_parts(text: str) -> list[tuple[str, str | None, str, str | None]]:
    """``(literal text, fact_id, form, marked)`` in order: ``fact_id`` for a placeholder,
    ``marked`` for the words of a ``{=...}`` literal. Raises ``ValueError`` for unbalanced
    braces (``{{`` and ``}}`` are literal)."""
    parts: list[tuple[str, str | None, str, str | None]] = []
    for literal, name, spec, conversion in _FORMATTER.parse(text):
        if name is not None and name.startswith(LITERAL_MARK):
            # "{=Item 7: risks}": the formatter split the words at ':' (and '!')
            words = name[len(LITERAL_MARK):] + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            parts.append((literal, None, "", words))
        else:
            parts.append((literal, name, spec or "", None))
    return parts


def placeholders(text: str) -> list[tuple[str, str]]:
    """``(fact_id, form)`` for every ``{fact_id}`` or ``{fact_id:form}`` in ``text``
    (``{=...}`` literals are not placeholders).

    Raises ``ValueError`` for unbalanced braces (``{{`` and ``}}`` are literal).
    """
    return [(name, form) for _literal, name, form, _marked in narrative_parts(text) if name is not None]


def marked_literals(text: str) -> list[str]:
    """The words of every ``{=...}`` literal in ``text`` (none when the braces are bad)."""
    try:
        return [marked for *_, marked in narrative_parts(text) if marked is not None]
    except ValueError:
        return []


def _check_references(document: dict, file: str, lines: "LineIndex") -> list[Problem]:
    """Duplicate ids, references to facts, units and sources that do not exist, negative
    counts and figures too large to print.

    Works on the raw YAML document, tolerating anything the schema refuses (a part of
    the wrong type is skipped, not reported twice), so that these problems are found
    together with the schema's.
    """
    problems: list[Problem] = []

    def problem(loc: list[Any], message: str) -> None:
        problems.append(Problem(file, lines.line_of(loc), format_path(loc), message))

    def typed(loc: list[Any]) -> str:
        """The value at ``loc`` as the file has it."""
        return lines.text_of(loc) or _typed(_map(_seq(document.get("facts"))[loc[1]]).get(loc[2]))

    def unique(items: Any, key: list[Any], what: str) -> set[str]:
        seen: dict[str, int] = {}
        for index, item in enumerate(_seq(items)):
            ident = _str(_map(item).get("id"))
            if ident is None:
                continue
            if ident in seen:
                problem([*key, index, "id"],
                        f"duplicate {what} id {ident!r} (first at {format_path(key)}[{seen[ident]}])")
            else:
                seen[ident] = index
        return set(seen)

    facts = _seq(document.get("facts"))
    sources = _seq(document.get("sources"))
    units = document.get("units")
    timeline = _map(document.get("timeline"))
    fact_ids = unique(facts, ["facts"], "fact")
    source_ids = unique(sources, ["sources"], "source")
    unique(document.get("sections"), ["sections"], "section")
    unique(timeline.get("events"), ["timeline", "events"], "event")
    known_facts = ", ".join(sorted(fact_ids)) if len(fact_ids) <= 12 else f"{len(fact_ids)} facts"
    # References are checked only against a list that is there: a missing or broken
    # list is the schema's problem, not one per reference.
    check_facts = isinstance(document.get("facts"), list)
    check_sources = isinstance(document.get("sources"), list)

    def fact_ref(loc: list[Any], fact_id: Any) -> None:
        fact_id = _str(fact_id)
        if check_facts and fact_id is not None and fact_id not in fact_ids:
            suggestion = _closest(fact_id, fact_ids)
            hint = f"; did you mean {suggestion!r}?" if suggestion else f" (known: {known_facts})"
            problem(loc, f"no fact has the id {fact_id!r}{hint}")

    def source_ref(loc: list[Any], source: Any) -> None:
        ref = _str(_map(source).get("ref"))
        if check_sources and ref is not None and ref not in source_ids:
            problem([*loc, "ref"], f"no source has the id {ref!r}")

    def text_refs(loc: list[Any], text: Any) -> None:
        for lang in ("zh", "en"):
            value = _str(_map(text).get(lang))
            if value is None:
                continue
            try:
                found = placeholders(value)
            except ValueError as error:
                problem(loc + [lang], f"bad placeholder: {error} (write {{{{ and }}}} for literal braces)")
                continue
            for fact_id, form in found:
                fact_ref(loc + [lang], fact_id)
                if form not in PLACEHOLDER_FORMS:
                    problem(loc + [lang], f"unknown placeholder form {form!r} in {{{fact_id}:{form}}}; "
                            f"use one of: {', '.join(f for f in PLACEHOLDER_FORMS if f)}")

    source_paragraphs = {}
    for source in sources:
        source = _map(source)
        if _str(source.get("id")) is not None and _int(source.get("paragraphs")) is not None:
            source_paragraphs.setdefault(source["id"], source["paragraphs"])
    for index, fact in enumerate(facts):
        fact = _map(fact)
        unit_id, value = _str(fact.get("unit")), _number(fact.get("value"))
        if isinstance(units, dict) and unit_id is not None:
            if unit_id not in units:
                problem(["facts", index, "unit"], f"unknown unit {unit_id!r}; defined units: {', '.join(sorted(map(str, units)))}")
            elif value is not None and value < 0 and _map(units[unit_id]).get("signed") is not True:
                kind = _map(units[unit_id]).get("kind", "count")
                problem(["facts", index, "value"],
                        f"{KIND_NAMES.get(kind, 'a count') if isinstance(kind, str) else 'a count'} cannot be "
                        f"negative (got {typed(['facts', index, 'value'])}); "
                        f"mark the unit 'signed: true' if negative values are meant")
        scale = _map(units[unit_id]).get("scale") if isinstance(units, dict) and unit_id in units else None
        scaled = value * 10 ** TYPED_SCALES[scale] if value is not None and scale in TYPED_SCALES else value
        if scaled is not None and not math.isnan(scaled) and abs(scaled) >= LARGEST_FIGURE:
            shown = typed(["facts", index, "value"]) + (str(scale) if scaled != value else "")
            problem(["facts", index, "value"], f"the figure is {shown}; figures must stay below 10^15 in size")
        source = _map(fact.get("source"))
        source_ref(["facts", index, "source"], source)
        paragraph, ref = _int(source.get("paragraph")), _str(source.get("ref"))
        if paragraph is not None and ref in source_paragraphs and paragraph > source_paragraphs[ref]:
            problem(["facts", index, "source", "paragraph"],
                    f"source {ref!r} has {source_paragraphs[ref]} paragraphs, not {paragraph}")
        derived = _map(fact.get("derived"))
        for position, ref in enumerate(_seq(derived.get("from"))):
            fact_ref(["facts", index, "derived", "from", position], ref)
        text_refs(["facts", index, "derived", "note"], derived.get("note"))
    for index, fact_id in enumerate(_seq(document.get("key_figures"))):
        fact_ref(["key_figures", index], fact_id)
    for s, section in enumerate(_seq(document.get("sections"))):
        section = _map(section)
        base: list[Any] = ["sections", s]
        text_refs(base + ["lead"], section.get("lead"))
        for p, paragraph in enumerate(_seq(section.get("paragraphs"))):
            text_refs(base + ["paragraphs", p, "text"], _map(paragraph).get("text"))
        for p, point in enumerate(_seq(section.get("points"))):
            text_refs(base + ["points", p], point)
        for f, fact_id in enumerate(_seq(section.get("facts"))):
            fact_ref(base + ["facts", f], fact_id)
        for c, chart in enumerate(_seq(section.get("charts"))):
            chart = _map(chart)
            for k, category in enumerate(_seq(chart.get("categories"))):
                category = _map(category)
                fact_ref(base + ["charts", c, "categories", k, "label_of"], category.get("label_of"))
                fact_ref(base + ["charts", c, "categories", k, "date_of"], category.get("date_of"))
            for r, series in enumerate(_seq(chart.get("series"))):
                for v, fact_id in enumerate(_seq(_map(series).get("facts"))):
                    fact_ref(base + ["charts", c, "series", r, "facts", v], fact_id)
    for e, event in enumerate(_seq(timeline.get("events"))):
        event = _map(event)
        base = ["timeline", "events", e]
        fact_ref(base + ["date_of"], event.get("date_of"))
        for f, fact_id in enumerate(_seq(event.get("facts"))):
            fact_ref(base + ["facts", f], fact_id)
        source_ref(base + ["source"], event.get("source"))
    for m, paragraph in enumerate(_seq(document.get("method"))):
        text_refs(["method", m], paragraph)
    return problems


def _map(node: Any) -> dict:
    return node if isinstance(node, dict) else {}


def _seq(node: Any) -> list:
    return node if isinstance(node, list) else []


def _str(node: Any) -> str | None:
    return node if isinstance(node, str) else None


def _int(node: Any) -> int | None:
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def _number(node: Any) -> float | None:
    if not isinstance(node, (int, float)) or isinstance(node, bool):
        return None
    try:
        return float(node)
    except OverflowError:  # an integer beyond the float range
        return math.inf if node > 0 else -math.inf


def _typed(node: Any) -> str:
    """A value as the message shows it: as typed, not in exponent form."""
    from ..model.numbers import typed_text

    try:
        return typed_text(node)
    except (TypeError, ValueError, OverflowError):
        return _short(node)


def _closest(name: str, choices: set[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return matches[0] if matches else None


def write_json_schema(path: Path) -> None:
    """Write the dataset JSON Schema (``data/dataset.schema.json``)."""
    path.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

