"""The facts dataset: its typed schema (pydantic), the JSON Schema made from it, and the placeholders of
its narrative text. Loading a file is :mod:`.load`.

A dataset holds an organisation's facts once: every figure with its unit,
qualifier, date, bilingual label, source paragraph and, for derived figures, how
it was derived. Narrative text refers to figures by id (``{users}``), so no number
is typed twice.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..lang.editions import Edition
from .references import Refers
from ..lang.numbers import TYPED_SCALES, Qualifier, UnitWords
from ..lang.periods import DEFAULT_FISCAL_STYLE, FORMS_TEXT, DatePart, FiscalYearEnd, FiscalYearStyle, Period

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
FactId = Annotated[Id, Refers("fact")]
"""The id of a fact in ``facts`` (checked by the loader: :mod:`.references`)."""
SourceId = Annotated[Id, Refers("source")]
"""The id of a source in ``sources``."""


def _no_truth_value(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"a figure is a number, not {str(value).lower()}")
    return value


Figure = Annotated[float, BeforeValidator(_no_truth_value), Field(allow_inf_nan=False)]
"""A figure: a finite number (NaN, infinities and 1e400, quoted or not, and true/false are refused)."""
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
    zh_hant: Text | None = Field(
        default=None,
        alias="zh-Hant",
        description="The Traditional Chinese text, for "
        "Traditional editions (zh-Hant, zh-HK, zh-TW…); without it they convert "
        "the Simplified text phrase by phrase",
        examples=["年度簡報"],
    )

    def get(self, lang: str) -> str:
        return getattr(self, lang)


FilledText = Annotated[Localized, Refers("text")]
"""A localized text whose ``{fact}`` placeholders the planner fills (each names a fact)."""


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
    "count": "a count",
    "currency": "a currency amount",
    "percent": "a percentage",
    "percentage_points": "a difference in percentage points",
    "duration": "a duration",
}
"""How messages name a unit's kind."""


class Unit(Strict):
    """How a figure's unit is written: ``{zh: 篇, en: notes}``, ``{zh: 元, en_prefix: "RMB "}``."""

    zh: str = Field("", description="Suffix in Chinese, attached to the number (篇, 元, %)", examples=["篇"])
    en: str = Field("", description="Suffix in English (notes, %)", examples=["notes"])
    en_singular: str | None = Field(None, description="English suffix for exactly one", examples=["note"])
    en_prefix: str = Field("", description="Prefix in English, e.g. 'RMB '", examples=["RMB "])
    attach: bool = Field(False, description="English suffix follows the number with no space (%)", examples=[True])
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
        "({zh: 2, en: 2}); by default every language shows the same significant digits, and a "
        "currency amount at most 2 decimals at each language's scale ($383.29 billion, 3832.85亿美元)",
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
        return UnitWords(suffix=self.en, prefix=self.en_prefix, attach=self.attach, singular=self.en_singular)


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

    ref: SourceId = Field(description="The id of a source in `sources`", examples=["article"])
    paragraph: int | None = Field(
        None, ge=1, description="The paragraph of that source stating the figure, from 1", examples=[4]
    )
    page: int | None = Field(
        None,
        ge=1,
        description="The page stating the figure, as the source numbers it: 'p. 21' / '第21页'",
        examples=[21],
    )
    item: LocationPart | None = Field(
        None, description="The item of a filing (7, 1A): 'Item 7' / '第7项'", examples=["7"]
    )
    note: LocationPart | None = Field(
        None, description="The note to the financial statements (3): 'Note 3' / '附注3'", examples=["3"]
    )
    section: LocationPart | None = Field(
        None, description="The numbered section (2.1): 'section 2.1' / '第2.1节'", examples=["2.1"]
    )

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
    fact's unit: a share or a growth is a percentage, money stays money. A figure worked
    out from an approximate input is ``about`` and printed as a person would say it, to
    two significant digits alike in both languages (about $960,000, 约96万美元).
    """

    method: Literal["sum", "difference", "percent_of", "share", "ratio", "growth", "before_growth", "date_after"] = (
        Field(description="How the figure follows from the facts in `from` (see above)", examples=["sum"])
    )
    from_: list[FactId] = Field(
        alias="from",
        min_length=1,
        description="The ids of the facts it is computed from, in the order the method reads them",
        examples=[["shop_sales", "online_sales"]],
    )
    note: FilledText = Field(
        description="How it was derived, in a sentence, shown on the sources page",
        examples=[{"zh": "两项之和。", "en": "Sum of the two items."}],
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Fact(Strict):
    """One figure: value, unit, qualifier, date, label, source; derived figures say how."""

    id: Id = Field(
        description="How narrative, charts and audiences name the figure: lowercase letters, digits and _",
        examples=["users"],
    )
    value: Figure | None = Field(
        None,
        description="The figure as the source prints it: in plain units "
        "(7680000), or in the unit's `scale` (1260582 in a unit of scale 亿); omitted "
        "for derived figures, which are computed",
        examples=[7680000],
    )
    unit: Id = Field(description="The id of a unit in `units`", examples=["users"])
    qualifier: Qualifier = Field(
        Qualifier.EXACT,
        description="How exact the source says the figure is: "
        "exact, over, nearly, about, under, up_to (a ceiling: up to HK$3,000, 最多3,000港元) or "
        "at_least (a floor: at least 20%, 至少20%)",
        examples=["over"],
    )
    date: DateText | None = Field(
        None,
        description=f"When the figure holds: {FORMS_TEXT}",
        examples=["2020-01-26", "2023-Q1", "FY2023", "2020-01-26/2020-02-29"],
    )
    date_part: DatePart | None = Field(None, description="early, mid or late in the month (or year)", examples=["late"])
    label: Label = Field(
        description="What the figure counts, in both languages (lower case: it follows "
        "the number in text); `name: true` for a name never capitalised",
        examples=[{"zh": "注册用户", "en": "registered users"}],
    )
    high: float | None = Field(
        None,
        description="The high end of a range whose low end is `value` (a "
        "forecast of 2.5% to 3.5%: value 2.5, high 3.5), in the same unit and scale; "
        "printed 2.5%–3.5% / 2.5%至3.5% and checked as one figure. A range is not "
        "drawn on a chart nor derived from",
        examples=[3.5],
    )
    source: SourceRef = Field(description="Where the figure is stated", examples=[{"ref": "article", "paragraph": 2}])
    derived: Derivation | None = Field(
        None,
        description="For a figure computed from others: how; it is shown with an asterisk and its note",
        examples=[
            {
                "method": "sum",
                "from": ["shop_sales", "online_sales"],
                "note": {"zh": "两项之和。", "en": "Sum of the two items."},
            }
        ],
    )
    items: list[Localized] = Field(
        [],
        description="What is counted, when named (brands, partners); the value defaults to their number",
        examples=[[{"zh": "完美日记", "en": "Perfect Diary"}]],
    )
    precision: Digits | None = Field(
        None,
        description="Most fraction digits shown at the display scale (0-4), or per language; "
        "default: the unit's, else the same significant digits in every language",
        examples=[1, {"zh": 2, "en": 2}],
    )
    decimals: Digits | None = Field(
        None,
        description="Exactly this many fraction digits, trailing zeros kept (3.0%); default: the unit's",
        examples=[1],
    )
    change: bool | None = Field(
        None,
        description="The figure is a change: a rise prints with '+'; default: the unit's 'change'",
        examples=[True],
    )

    @model_validator(mode="after")
    def _value_or_derivation(self) -> "Fact":
        if self.value is None and self.derived is None and not self.items:
            raise ValueError("a fact needs a value, a 'derived' rule or named 'items'")
        if self.items and self.value is not None and self.value != len(self.items):
            raise ValueError(f"value {self.value:g} does not match the {len(self.items)} named items")
        if self.high is not None:
            if self.value is None or self.derived is not None or self.items:
                raise ValueError("a range (high) needs a typed value, its low end: not a derived or counted figure")
            if not self.high > self.value:
                raise ValueError(
                    f"a range's high end ({self.high:g}) must be above its value, the low end ({self.value:g})"
                )
        return self

    def period(self, fiscal_year_end: FiscalYearEnd | None) -> Period | None:
        """The fact's date as a period (``fiscal_year_end`` places ``FY2023``)."""
        if self.date is None:
            return None
        return Period.parse(self.date, fiscal_year_end).with_part(self.date_part)


class Source(Strict):
    """A document the figures come from; facts cite it by id and paragraph."""

    id: Id = Field(description="How facts cite it (`source.ref`)", examples=["article"])
    title: Localized = Field(
        description="Its title, in both languages",
        examples=[{"zh": "示例公司2024年度回顾", "en": "Acme's 2024 in review"}],
    )
    publisher: Localized = Field(description="Who published it", examples=[{"zh": "新华网", "en": "Xinhua"}])
    kind: Localized = Field(
        description="What the source is, e.g. press article", examples=[{"zh": "新闻报道", "en": "press article"}]
    )
    language: Literal["zh", "en"] = Field(description="The language it is written in", examples=["zh"])
    date: DateText | None = Field(
        None,
        description="When it was published: YYYY-MM-DD, YYYY-MM or YYYY; printed on the sources page",
        examples=["2021-01-05"],
    )
    url: str | None = Field(None, description="Where to read it", examples=["https://example.com/2020-review"])
    paragraphs: int | None = Field(
        None, ge=1, description="How many paragraphs it has (a fact citing a later one is refused)", examples=[12]
    )


class Category(Strict):
    """One point on a chart's category axis: a label, or the label or date of a fact."""

    label: Localized | None = Field(
        None, description="The category's own label", examples=[{"zh": "一线城市", "en": "tier-1 cities"}]
    )
    label_of: FactId | None = Field(None, description="Use this fact's label", examples=["users"])
    date_of: FactId | None = Field(None, description="Use this fact's date (a time axis)", examples=["users"])

    @model_validator(mode="after")
    def _exactly_one(self) -> "Category":
        given = [k for k in ("label", "label_of", "date_of") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of label, label_of, date_of")
        return self


class Series(Strict):
    """One series of a chart: a name and one fact per category."""

    name: Localized = Field(description="The series' name in the legend", examples=[{"zh": "用户", "en": "users"}])
    facts: list[FactId | None] = Field(
        description="One fact id per category; null for no value", examples=[["users_2023", "users", None]]
    )


class Chart(Strict):
    """A chart drawn from facts: one value per category and series."""

    id: Id = Field(description="The chart's name (in file names and alt text)", examples=["growth"])
    kind: Literal["bar", "column", "stacked_column", "line", "doughnut"] = Field(
        description="bar (horizontal), column, stacked_column, line or doughnut", examples=["column"]
    )
    title: Localized = Field(description="Its heading", examples=[{"zh": "用户增长", "en": "User growth"}])
    takeaway: FilledText | None = Field(
        None,
        description="The point the chart makes, in a sentence: printed above the chart in the type of a "
        "heading (its title then under it) and made the slide's title in the deck; {id} placeholders are "
        "filled as in paragraphs",
        examples=[{"zh": "用户两年翻了一番", "en": "Users doubled in two years"}],
    )
    caption: Localized = Field(
        description="A sentence under it saying what it shows",
        examples=[{"zh": "注册用户，2023–2024年。", "en": "Registered users, 2023–2024."}],
    )
    categories: list[Category] = Field(
        [],
        description="The points of the category axis, in order",
        examples=[[{"date_of": "users_2023"}, {"date_of": "users"}]],
    )
    series: list[Series] = Field(
        [],
        description="One or more series; a doughnut has exactly one",
        examples=[[{"name": {"zh": "用户", "en": "users"}, "facts": ["users_2023", "users"]}]],
    )
    log_scale: bool = Field(
        False,
        description="A logarithmic value axis, for values of very different sizes "
        "(not for stacked columns or doughnuts)",
        examples=[True],
    )
    value_axis: Localized | None = Field(
        None, description="The value axis' title", examples=[{"zh": "用户（人）", "en": "users"}]
    )
    axis_min: float | None = Field(
        None,
        description="Where a line chart's value axis starts, typed as its facts' values are (in "
        "their unit's scale); by default the axis fits the values, starting at zero only when they come "
        "near it. Bars and columns always start at zero (their length is the value)",
        examples=[40],
    )

    totals: list[FactId | None] = Field(
        [],
        description="A stacked column chart's total for each category: a fact (null for none), "
        "printed once on top of its column. Each must equal the sum of its column's segments, "
        "within the rounding of the values as typed",
        examples=[["revenue_fy22", "revenue"]],
    )

    @model_validator(mode="after")
    def _shape(self) -> "Chart":
        if not self.categories or not self.series:
            raise ValueError("a chart needs categories and at least one series")
        if self.totals and self.kind != "stacked_column":
            raise ValueError(
                f"only a stacked column chart has totals: a {self.kind.replace('_', ' ')} chart shows each value once"
            )
        if self.totals and len(self.totals) != len(self.categories):
            raise ValueError(f"totals has {len(self.totals)} values for {len(self.categories)} categories")
        for number, series in enumerate(self.series):
            if len(series.facts) != len(self.categories):
                raise ValueError(
                    f"series {number} has {len(series.facts)} values for {len(self.categories)} categories"
                )
        if self.kind == "doughnut" and len(self.series) != 1:
            raise ValueError("a doughnut chart has exactly one series")
        if self.log_scale and self.kind in ("stacked_column", "doughnut"):
            raise ValueError(
                f"a {self.kind.replace('_', ' ')} chart cannot use a log scale "
                f"(its parts add up, which a log scale hides)"
            )
        return self


class Paragraph(Strict):
    """A paragraph of narrative; ``{fact_id}`` placeholders are filled with formatted figures."""

    text: FilledText = Field(
        description="The text; {id} is a figure with qualifier and unit, {id:number} "
        "without the unit, {id:size} with the unit but without its sign, "
        "{id:change} the direction in words and the size (down 3.0%), {id:date} "
        "its date, {id:label} its label; {=Fortune 500} is a number meant as words",
        examples=[{"zh": "注册用户{users}。", "en": "{users} registered users."}],
    )
    depth: Literal["summary", "full"] = Field(
        "full",
        description="summary paragraphs appear in every depth; full ones only in full briefs",
        examples=["summary"],
    )


class Section(Strict):
    """A section of the report: narrative, figures, charts and talking points on one theme."""

    id: Id = Field(description="How audiences pick and order sections", examples=["growth"])
    title: Localized = Field(description="Its heading", examples=[{"zh": "社区", "en": "Community"}])
    lead: FilledText = Field(
        description="One or two sentences that open the section",
        examples=[{"zh": "注册用户{users}。", "en": "{users} registered."}],
    )
    paragraphs: list[Paragraph] = Field(
        min_length=1,
        description="The narrative, in order",
        examples=[[{"text": {"zh": "……", "en": "…"}, "depth": "summary"}]],
    )
    facts: list[FactId] = Field([], description="Figures listed beside the narrative", examples=[["users", "revenue"]])
    charts: list[Chart] = Field([], description="Charts of the section, in order")
    points: list[FilledText] = Field(
        [], description="Three to five talking points for slides", examples=[[{"zh": "用户{users}", "en": "{users}"}]]
    )
    tags: list[Id] = Field([], description="Topics, used by audiences to pick sections", examples=[["brands"]])


class Event(Strict):
    """A dated event; its date is given, or taken from a fact (``date_of``)."""

    id: Id = Field(description="The event's name", examples=["launch"])
    date: DateText | None = Field(None, description=f"When: {FORMS_TEXT} (or give date_of)", examples=["2020-01-26"])
    date_part: DatePart | None = Field(None, description="early, mid or late in the month (or year)", examples=["mid"])
    date_of: FactId | None = Field(None, description="Take the date of this fact (or give date)", examples=["users"])
    title: Localized = Field(
        description="What happened", examples=[{"zh": "发起公益直播", "en": "Charity streams begin"}]
    )
    facts: list[FactId] = Field([], description="Figures shown with the event", examples=[["launch_downloads"]])
    source: SourceRef | None = Field(
        None, description="Where it is stated", examples=[{"ref": "article", "paragraph": 9}]
    )

    @model_validator(mode="after")
    def _one_date(self) -> "Event":
        if (self.date is None) == (self.date_of is None):
            raise ValueError("give exactly one of date, date_of")
        return self


class Timeline(Strict):
    """Dated events; the brief draws them as a timeline chart with this caption."""

    title: Localized = Field(description="Its heading", examples=[{"zh": "大事记", "en": "Timeline"}])
    lead: Localized | None = Field(
        None,
        description="A sentence that opens it",
        examples=[{"zh": "一年中的关键时刻。", "en": "The year's key moments."}],
    )
    caption: Localized = Field(
        description="A sentence under the chart", examples=[{"zh": "2020年大事。", "en": "Events of 2020."}]
    )
    events: list[Event] = Field(min_length=1, description="The events, in any order (drawn by date)")


class ReportInfo(Strict):
    """The report as a whole: what it is called, whose, which period, by whom and when."""

    id: Slug = Field(description="Short name used in output file names", examples=["acme-2024"])
    title: Localized = Field(description="The cover title", examples=[{"zh": "年度回顾", "en": "The year in review"}])
    subtitle: Localized = Field(
        description="The line under the title",
        examples=[{"zh": "用户、品牌与公益", "en": "Users, brands and public welfare"}],
    )
    organisation: Localized = Field(description="Whose figures they are", examples=[{"zh": "示例公司", "en": "Acme"}])
    period: Localized = Field(description="The period the figures cover", examples=[{"zh": "2024年", "en": "2024"}])
    author: Localized = Field(description="Who wrote the report", examples=[{"zh": "研究部", "en": "Research team"}])
    date: DateText = Field(
        description="Publication date (YYYY-MM-DD): the report's date on covers", examples=["2024-12-31"]
    )
    fiscal_year_end: str | None = Field(
        None,
        description="The last day of the organisation's fiscal year as MM-DD (09-30): FY2023 then "
        "covers 1 October 2022 to 30 September 2023. Needed by fiscal dates (FY2023, FY2023-Q1)",
        pattern=r"^\d{2}-\d{2}$",
        examples=["09-30"],
    )
    fiscal_year_style: FiscalYearStyle = Field(
        DEFAULT_FISCAL_STYLE,
        description="How every output writes a fiscal year, named by how it writes the one ending "
        "31 March 2025: FY2025 (2025财年; the US), 2024-25 (2024-25年度; Hong Kong, the UK), 2024至25 "
        "(2024-25 in English, 2024至25年度 in Chinese; the Hong Kong government), 2024/25 (2024/25年度; "
        "the UK government) or 2024年度 (FY2024 in English; Japan, named by the year it starts in). "
        "Dates in the dataset are written FY2025 whatever the style; numbers in text written in the "
        "style's forms are dates, not figures",
        examples=["2024-25"],
    )
    edition: Edition = Field(
        Edition.BILINGUAL,
        description="The edition built when neither the command line (--lang) nor the audience names "
        "one: bilingual (Chinese first, English under it; also zh-en), en-zh (English first, Chinese "
        "under it), zh or en; in Traditional Chinese zh-Hant, zh-Hant-en, en-zh-Hant and the Hong Kong "
        "(zh-HK…) and Taiwan (zh-TW…) ones (docs/chinese-editions.md)",
        examples=["en-zh"],
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
        return FiscalYearEnd.parse(self.fiscal_year_end, self.fiscal_year_style) if self.fiscal_year_end else None


class Dataset(Strict):
    """A whole dataset file."""

    schema_version: Literal[1] = Field(1, description="The format's version", examples=[1])
    report: ReportInfo = Field(description="The report's title, organisation, period, author and date")
    sources: list[Source] = Field(min_length=1, description="The documents the figures come from")
    units: dict[Id, Unit] = Field(
        description="How each unit is written, by id",
        examples=[
            {"users": {"zh": "人", "en": "users"}, "percent": {"zh": "%", "en": "%", "attach": True, "kind": "percent"}}
        ],
    )
    facts: list[Fact] = Field(min_length=1, description="Every figure, once (or give facts_from)")
    facts_from: str | None = Field(
        None,
        description="A spreadsheet (.xlsx or .csv), relative to this file, with "
        "one fact a row instead of a facts list: columns id, value, unit, qualifier, "
        "date, label_zh, label_en, source, paragraph and the optional ones (see "
        "'Facts from a spreadsheet')",
        examples=["figures.xlsx"],
    )
    key_figures: list[FactId] = Field(
        min_length=1,
        description="Facts shown as tiles on the cover and key-figure slide, in order",
        examples=[["users", "revenue"]],
    )
    sections: list[Section] = Field(min_length=1, description="The report's sections, in order")
    timeline: Timeline | None = Field(None, description="Dated events, drawn as a timeline")
    method: list[FilledText] = Field(
        [],
        description="Paragraphs on how figures were gathered",
        examples=[[{"zh": "数据来自公司年报。", "en": "Figures are from the annual report."}]],
    )

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


_FORMATTER = string.Formatter()
PLACEHOLDER_FORMS = ("", "number", "size", "change", "date", "label")

RECIPIENT_PLACEHOLDER = ("recipient", "name")
"""``{recipient:name}``: the name of the recipient an edition is made for (``make-report
batch``), in the text's language."""


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
            words = name[len(LITERAL_MARK) :] + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
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
