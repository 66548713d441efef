"""One set of Chinese line-breaking rules for the charts' labels and the deck's text boxes."""

import pytest

from reporting.charts.wrap import wrap as wrap_label
from reporting.lang.cjk import NO_LINE_END, NO_LINE_START, can_break, is_cjk
from reporting.render.deck import textfit


def fixed_pitch(text: str) -> float:
    return sum(10 if is_cjk(c) else 5 for c in text)


class FixedPitch:
    """A deck measurer with the same fixed pitch (pt at size 10)."""

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return fixed_pitch(text) * size / 10


@pytest.mark.parametrize("closing", sorted(NO_LINE_START & {"〕", "〉", "—", "，", "）"}))
def it_starts_no_line_with_closing_punctuation_in_a_chart_or_on_a_slide(closing):
    text = "成立应急小组" + closing + "启动专项援助"
    for width in range(20, 130, 10):
        assert not any(line.startswith(closing) for line in wrap_label(text, width, fixed_pitch))
        deck_lines = textfit.wrap(text, width / textfit.SAFETY, 10, FixedPitch())
        assert not any(line.startswith(closing) for line in deck_lines)


@pytest.mark.parametrize("opening", sorted(NO_LINE_END & {"〔", "〈", "（"}))
def it_ends_no_line_with_opening_punctuation_in_a_chart_or_on_a_slide(opening):
    text = "成立应急小组" + opening + "启动专项援助"
    for width in range(20, 130, 10):
        assert not any(line.endswith(opening) for line in wrap_label(text, width, fixed_pitch))
        deck_lines = textfit.wrap(text, width / textfit.SAFETY, 10, FixedPitch())
        assert not any(line.rstrip().endswith(opening) for line in deck_lines)


def it_breaks_next_to_chinese_and_never_inside_a_latin_word():
    assert can_break("小", "红") and can_break("书", "A") and can_break("A", "书")
    assert not can_break("a", "b") and not can_break("组", "，") and not can_break("（", "启")
