"""References between a dataset's parts are declared once, in the schema's field types
(FactId, SourceId, FilledText), and the loader checks every place the schema declares."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from reporting.dataset.facts import Dataset
from reporting.dataset.load import load_dataset
from reporting.dataset.references import references
from reporting.errors import DataError

HERE = Path(__file__).parent
CHARTS = HERE / "fixtures" / "charts.yaml"
MINIMAL = HERE / "fixtures" / "minimal.yaml"


def generic(loc) -> str:
    return ".".join("[]" if isinstance(part, int) else str(part) for part in loc).replace(".[]", "[]")


def it_finds_every_kind_of_reference_the_schema_declares():
    places = set()
    for path in (MINIMAL, CHARTS, HERE.parent / "data" / "xiaohongshu-2020.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        places |= {(generic(r.loc), r.kind) for r in references(Dataset, document)}
    assert {
        ("facts[].source.ref", "source"),
        ("facts[].derived.from[]", "fact"),
        ("facts[].derived.note", "text"),
        ("key_figures[]", "fact"),
        ("sections[].lead", "text"),
        ("sections[].paragraphs[].text", "text"),
        ("sections[].points[]", "text"),
        ("sections[].facts[]", "fact"),
        ("sections[].charts[].series[].facts[]", "fact"),
        ("timeline.events[].date_of", "fact"),
        ("timeline.events[].facts[]", "fact"),
    } <= places


def it_reports_a_wrong_id_in_every_place_that_refers(tmp_path):
    """Each fact reference of the minimal dataset, one at a time, names a fact that is not
    there: the loader names that place, file and line, with the id."""
    document = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    places = [r for r in references(Dataset, document) if r.kind in ("fact", "source")]
    assert len(places) >= 10
    for place in places:
        broken = copy.deepcopy(document)
        node = broken
        for part in place.loc[:-1]:
            node = node[part]
        node[place.loc[-1]] = "nowhere"
        path = tmp_path / "broken.yaml"
        path.write_text(yaml.safe_dump(broken, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with pytest.raises(DataError) as raised:
            load_dataset(path)
        said = str(raised.value)
        assert f"no {place.kind} has the id 'nowhere'" in said, (place.loc, said)
        assert "broken.yaml:" in said, said
