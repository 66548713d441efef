"""Chart drawing checks shared by the chart tests."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text


def drawn_texts(figure) -> list:
    """Every Text artist the Agg renderer actually draws, with its extent in pixels.

    Stale tick labels outside the view are skipped because they are never drawn.
    """
    renderer = FigureCanvasAgg(figure).get_renderer()
    seen: list = []
    original = Text.draw

    def record(self, renderer):
        if self.get_visible() and self.get_text().strip() and self not in seen:
            seen.append(self)
        return original(self, renderer)

    Text.draw = record
    try:
        figure.draw(renderer)
    finally:
        Text.draw = original
    return [(text, text.get_window_extent(renderer)) for text in seen]
