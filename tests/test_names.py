"""Names as written: a sentence that opens with a name leaves it as it is."""

from __future__ import annotations

from edit_dataset import filled

from reporting.model.planner import capitalised

UNITS = {"units": {"zh": "台", "en": "units"}}


def it_never_changes_a_word_with_a_capital_after_its_first_letter():
    assert capitalised("iPhone sales") == "iPhone sales"
    assert capitalised("eBay listings") == "eBay listings"
    assert capitalised("macOS users") == "macOS users"
    assert capitalised("over 70% of users") == "Over 70% of users"


def it_keeps_a_product_name_that_opens_a_sentence(tmp_path):
    facts = [{"id": "iphone", "value": 200583000000, "unit": "units", "label": {"zh": "iPhone", "en": "iPhone"}},
             {"id": "ebay", "value": 5, "unit": "units", "label": {"zh": "eBay", "en": "eBay"}}]
    text = filled(tmp_path, UNITS, facts, {"zh": "{iphone:label}。", "en": "{iphone:label} led. {ebay:label} too."})
    assert text["en"] == "iPhone led. eBay too."


def it_lets_a_label_say_it_is_a_name(tmp_path):
    facts = [{"id": "brand", "value": 5, "unit": "units", "label": {"zh": "ｄ品牌", "en": "d.light", "name": True}},
             {"id": "plain", "value": 5, "unit": "units", "label": {"zh": "普通", "en": "solar lamps"}}]
    text = filled(tmp_path, UNITS, facts, {"zh": "{brand:label}", "en": "{brand:label} sold. {plain:label} too."})
    assert text["en"] == "d.light sold. Solar lamps too."
