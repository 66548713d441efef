"""verify reads back every number form the model prints: signs (U+2212, +), changes in
words, percentage points, 万亿 / trillion, fixed decimals; and still catches a changed figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from edit_dataset import with_facts, write

from reporting.pipeline.build import BuildOptions, Builder
from reporting.dataset.load import load_dataset
from reporting.dataset.textnumbers import number_tokens
from reporting.verify.check import Verifier
from reporting.lang.numbers import plain

pytestmark = pytest.mark.slow

UNITS = {
    "usd": {"zh": "美元", "en_prefix": "$", "kind": "currency", "signed": True, "precision": 2},
    "yi_yuan": {"zh": "元", "en": "yuan", "kind": "currency", "scale": "亿"},
    "pct1": {"zh": "%", "en": "%", "attach": True, "kind": "percent", "signed": True, "decimals": 1,
             "change": True},
    "points": {"zh": "个百分点", "en": "percentage points", "kind": "percentage_points", "signed": True,
               "decimals": 1},
    "yuan": {"zh": "元", "en": "yuan", "kind": "currency"},
}
FACTS = [
    {"id": "net_change", "value": -11043000000, "unit": "usd"},
    {"id": "revenue", "value": 383285000000, "unit": "usd"},
    {"id": "gdp", "value": 1260582, "unit": "yi_yuan"},
    {"id": "exports", "value": -3, "unit": "pct1"},
    {"id": "retail", "value": 5.2, "unit": "pct1"},
    {"id": "rate_gap", "value": 0.3, "unit": "points"},
    {"id": "income", "value": 39218, "unit": "yuan"},
]
TEXT = {
    "zh": "净额{net_change}，减少{net_change:size}；营收{revenue}。国内生产总值{gdp}。出口{exports:change}，"
          "零售{retail}，利差{rate_gap:change}。人均收入{income}。",
    "en": "Net {net_change}, down {net_change:size}; revenue {revenue}. GDP {gdp}. Exports {exports:change}, "
          "retail {retail}, the gap {rate_gap:change}. Income per head {income}.",
}


def build(tmp_path, facts=FACTS):
    def change(document):
        with_facts(UNITS, [dict(f) for f in facts], TEXT)(document)
        document["sections"][0]["facts"] = ["users"] + [f["id"] for f in facts]
    path = write(tmp_path, change)
    with Builder() as builder:
        result = builder.build(path, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=tmp_path / "out"))
    return path, result.outputs


def it_reads_back_every_new_number_form_and_passes(tmp_path):
    path, outputs = build(tmp_path)
    result = Verifier(load_dataset(path)).verify(outputs)
    assert result.ok, result.table()
    html = plain(next(p for p in outputs if p.suffix == ".html").read_text(encoding="utf-8"))
    for shown in ("−$11.04 billion", "down $11.04 billion", "126.06 trillion yuan", "126.06万亿元",
                  "down 3.0%", "下降3.0%", "+5.2%", "提高0.3个百分点", "up 0.3 percentage points",
                  "39218元", "39,218 yuan", "−110.43亿美元", "$383.29 billion"):
        assert shown in html, shown


def it_still_catches_a_changed_figure(tmp_path):
    path, outputs = build(tmp_path)
    changed = [dict(f, value=-4) if f["id"] == "exports" else f for f in FACTS]
    (tmp_path / "tampered").mkdir()
    tampered = write(tmp_path / "tampered", with_facts(UNITS, [dict(f) for f in changed], TEXT))
    result = Verifier(load_dataset(tampered)).verify(outputs)
    missing = {(m.item, m.lang, m.expected) for m in result.mismatches if m.kind == "figure"}
    assert ("exports (change)", "en", "down 4.0%") in missing
    assert ("exports (change)", "zh", "下降4.0%") in missing


def it_reads_signed_and_scaled_numbers_as_values():
    values = {t.text: t.value for t in number_tokens("−110.43亿美元 +5.2% 126.06万亿元 0.3个百分点 11.04 billion")}
    assert values["110.43亿"] == 11043000000
    assert values["126.06万亿"] == 126060000000000
    assert values["5.2"] == Decimal("5.2") and values["0.3"] == Decimal("0.3")
