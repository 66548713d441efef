"""The fixed words of a report's frame (headings, captions), in both languages.

These belong to the toolkit, not to a dataset: any organisation's brief has a
"Key figures" page and a "Sources and method" page.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "key_figures": {"zh": "关键数据", "en": "Key figures"},
    "contents": {"zh": "目录", "en": "Contents"},
    "agenda": {"zh": "议程", "en": "Agenda"},
    "timeline": {"zh": "大事记", "en": "Timeline"},
    "sources_method": {"zh": "来源与方法", "en": "Sources and method"},
    "sources": {"zh": "来源", "en": "Sources"},
    "method": {"zh": "方法", "en": "Method"},
    "fiscal_periods": {"zh": "财年", "en": "Fiscal periods"},
    "derived": {"zh": "推算", "en": "derived"},
    "derived_figures": {"zh": "推算数据", "en": "Derived figures"},
    "derived_note": {
        "zh": "推算数据：由来源中的其他数据计算得出，并非来源原文所载。",
        "en": "Derived figure: computed from other figures of its source, not stated in it.",
    },
    "audit_trail": {"zh": "附录：数据出处", "en": "Appendix: where each figure is stated"},
    "derived_date": {"zh": "推算日期", "en": "derived date"},
    "continued": {"zh": "（续）", "en": " (continued)"},
    "figure": {"zh": "数据", "en": "Figure"},
    "value": {"zh": "数值", "en": "Value"},
    "where": {"zh": "出处", "en": "Where stated"},
    "source": {"zh": "资料", "en": "Source"},
    "more_in_notes": {"zh": "其余见备注", "en": "the rest in the notes"},
    "backs": {"zh": "所依据的数据与事件", "en": "What it backs"},
    "how": {"zh": "推算方法", "en": "How it was derived"},
    "chart": {"zh": "图", "en": "Chart"},
    "period": {"zh": "报告期", "en": "Period"},
    "published": {"zh": "发布日期", "en": "Published"},
    "prepared_by": {"zh": "编制", "en": "Prepared by"},
    "based_on": {"zh": "数据来源", "en": "Based on"},
    "figures_in_section": {"zh": "本节数据", "en": "Figures in this section"},
    "talking_points": {"zh": "要点", "en": "Talking points"},
    "figures_on_slide": {"zh": "本页数据来源", "en": "Sources of the figures on this slide"},
    "log_scale": {"zh": "（对数刻度）", "en": " (log scale)"},
    "no_value": {"zh": "无", "en": "none"},
    "total": {"zh": "合计", "en": "Total"},
    "thank_you": {"zh": "谢谢", "en": "Thank you"},
    "questions": {"zh": "欢迎提问", "en": "Questions welcome"},
}

PATTERNS: dict[str, dict[str, str]] = {
    # Format patterns, filled in by the model; never printed as they stand.
    "paragraph": {"zh": "第{n}段", "en": "paragraph {n}"},
    "page": {"zh": "第{n}页", "en": "p. {n}"},
    "item": {"zh": "第{n}项", "en": "Item {n}"},
    "note": {"zh": "附注{n}", "en": "Note {n}"},
    "section": {"zh": "第{n}节", "en": "section {n}"},
    "location_separator": {"zh": "，", "en": ", "},
    "source_of": {"zh": "来源：{source}，{where}", "en": "Source: {source}, {where}"},
    "chart_alt": {"zh": "{kind}：{title}。{points}。", "en": "{kind}: {title}. {points}."},
    "chart_sources": {"zh": "资料来源：{sources}", "en": "Source: {sources}"},
    "coverage": {"zh": "{period}：{days}", "en": "{period}: {days}"},
}

CHART_KIND_NAMES: dict[str, dict[str, str]] = {
    "bar": {"zh": "条形图", "en": "Bar chart"},
    "column": {"zh": "柱状图", "en": "Column chart"},
    "stacked_column": {"zh": "堆积柱状图", "en": "Stacked column chart"},
    "line": {"zh": "折线图", "en": "Line chart"},
    "doughnut": {"zh": "环形图", "en": "Doughnut chart"},
    "timeline": {"zh": "时间线", "en": "Timeline"},
}

LIST_SEPARATOR = {"zh": "；", "en": "; "}
ENUM_SEPARATOR = {"zh": "、", "en": ", "}
