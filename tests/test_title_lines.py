"""A cover title's last line is never a single word or a short Chinese run (``要点``) alone:
in the brief (measured from the PDF's lines) and on the deck's title slide (wrapped as the
deck's fitting wraps it, at the size written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reporting.dataset.load import load_dataset
from reporting.lang.cjk import WORD_JOINER, keep_last_line
from reporting.model.planner import plan
from reporting.model.theme import Theme
from reporting.pipeline.build import BuildOptions, Builder
from reporting.render.deck import textfit
from reporting.render.deck.builder import write_deck
from reporting.resources import data_dir

pypdf = pytest.importorskip("pypdf")
pptx = pytest.importorskip("pptx")

DATASET = data_dir() / "xiaohongshu-2020.yaml"
# Titles that wrap with their last word or last two characters alone when nothing keeps
# them together: on the brief's cover (30 pt, 16 Chinese characters a line) and on the title
# slide (40 pt, 18 a line; checked below by wrapping the text without its joins).
BRIEF_TITLES = {"zh": "小红书二零二零年度社区发展回顾之要点", "en": "Xiaohongshu (RED): 2020 in Review"}
SLIDE_TITLES = {"zh": "小红书二零二零年度社区发展回顾与公益要点",
                "en": "Xiaohongshu (RED): the Community, the Brands and Relief, 2020 in Review"}


def it_keeps_the_last_words_of_a_title_together():
    assert keep_last_line("Xiaohongshu: 2020 in Review") == "Xiaohongshu: 2020 in\u00a0Review"
    assert keep_last_line("年度回顾要点") == "年度" + WORD_JOINER.join("回顾要点")
    assert keep_last_line("年度回顾要点。") == "年度" + WORD_JOINER.join("回顾要点") + "。"
    assert keep_last_line("Review") == "Review" and keep_last_line("要点") == "要点"


def _dataset(tmp_path: Path, titles: dict[str, str]) -> Path:
    text = DATASET.read_text(encoding="utf-8")
    start = text.index("\n  title:\n") + 1
    end = text.index("\n  subtitle:", start)
    title = f"  title:\n    zh: {titles['zh']}\n    en: \"{titles['en']}\""
    copy = tmp_path / DATASET.name
    copy.write_text(text[:start] + title + text[end:], encoding="utf-8")
    return copy


def title_lines(pdf: Path) -> list[str]:
    """The lines of the cover's title (its largest type), as drawn (one run a line)."""
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            runs.append((text.strip(), abs(size * tm[3] * cm[3])))

    pypdf.PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    size = max(run_size for _, run_size in runs)
    start = next(i for i, (_, run_size) in enumerate(runs) if run_size == size)
    lines = []
    for text, run_size in runs[start:]:
        if run_size != size:
            break
        lines.append(text.replace(WORD_JOINER, "").replace("\u00a0", " "))
    return lines


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["zh", "en"])
def it_never_leaves_a_word_alone_on_the_brief_covers_last_line(tmp_path, edition):
    result = Builder().build(_dataset(tmp_path, BRIEF_TITLES), BuildOptions(formats=("pdf",), edition=edition, out_dir=tmp_path))
    lines = title_lines(result.outputs[0])
    assert len(lines) >= 2, lines
    assert "".join(lines).replace(" ", "") == BRIEF_TITLES[edition].replace(" ", "")
    last = lines[-1]
    assert (len(last) >= 4) if edition == "zh" else (len(last.split()) >= 2), lines


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["zh", "en-zh"])
def it_never_leaves_a_word_alone_on_the_title_slides_last_line(tmp_path, edition):
    theme = Theme()
    report = plan(load_dataset(_dataset(tmp_path, SLIDE_TITLES)), edition)
    deck = pptx.Presentation(write_deck(report, theme, tmp_path / "deck.pptx"))
    slide = deck.slides[0]
    title = next(shape for shape in slide.shapes if shape.has_text_frame
                 and shape.text_frame.text.replace(WORD_JOINER, "").replace("\u00a0", " ").startswith(
                     report.title.first.text[:5]))
    paragraph = title.text_frame.paragraphs[0]
    size = paragraph.runs[0].font.size.pt
    width = textfit.emu_to_pt(title.width - title.text_frame.margin_left - title.text_frame.margin_right)
    measurer = textfit.Measurer(theme.fonts.latin, theme.fonts.cjk)
    lang = report.title.first.lang

    def alone(lines: list[str]) -> bool:
        last = lines[-1].replace(WORD_JOINER, "").replace("\u00a0", " ").strip()
        return len(last) < 4 if lang == "zh" else len(last.split()) < 2

    loose = paragraph.text.replace(WORD_JOINER, "").replace("\u00a0", " ")
    assert alone(textfit.wrap(loose, width * textfit.SAFETY, size, measurer, bold=True))  # the case in point
    lines = textfit.wrap(paragraph.text, width * textfit.SAFETY, size, measurer, bold=True)
    assert len(lines) >= 2 and not alone(lines), lines
