"""The sources slides: one compact table, a row per source (the source; the figures and
events it backs, with where each is stated), on at most two slides; what a long list
leaves out is in the notes, where every figure's source always is."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Inches, Pt

from . import oxml, textfit
from ...model.texts import Phrase, Texts
from .layouts import Rect, Role
from .text import Line, rgb


class DeckSources:
    """A part of :class:`~.builder.DeckBuilder`. Sources slides: one table per source, its rows measured and paginated."""

    # The sources table: one row per source (the source | what it backs), fixed type size (pt).
    SOURCE_COLUMNS = (0.36, 0.64)
    SOURCE_SIZE = 12
    """Base size (pt); nothing in the table is set under 10 pt (the smallest scale is 0.85)."""
    CELL_PAD = (Inches(0.06), Inches(0.04), Inches(0.06), Inches(0.04))
    MAX_SOURCE_SLIDES = 2
    """Slides the sources take at most, whatever the dataset: what does not fit is in the notes."""

    def backs(self, source) -> list[str]:
        """What ``source`` backs, one entry per figure (``label (where)``) then per event
        (``title (date)``), per language of the edition: ``{lang: [entries]}``."""
        out: dict[str, list[str]] = {lang: [] for lang in self.report.langs}
        derived = self.report.labels["derived"]
        for lang in self.report.langs:
            for figure in source.figures:
                mark = (
                    f", {derived.get(lang)}"
                    if figure.derived and lang != "zh"
                    else (f"，{derived.get(lang)}" if figure.derived else "")
                )
                where = figure.provenance.where.get(lang)
                text = (
                    f"{figure.label.get(lang)}（{where}{mark}）"
                    if lang == "zh"
                    else f"{figure.label.get(lang)} ({where}{mark})"
                )
                out[lang].append(text)
            for event in source.events:
                when = event.date.get(lang)
                out[lang].append(
                    f"{event.title.get(lang)}（{when}）" if lang == "zh" else f"{event.title.get(lang)} ({when})"
                )
        return out  # type: ignore[return-value]

    def source_row(self, source, shown: int | None = None, *, brief: bool = False) -> tuple[list[Line], list[Line]]:
        """One source's row: its heading (``brief``: its title only), and the first ``shown``
        (all when ``None``) of the entries it backs, with how many more the notes give."""
        entries = self.backs(source)
        phrases = []
        for lang in self.report.langs:
            items = entries[lang]
            count = len(items) if shown is None else min(shown, len(items))
            text = ("；" if lang == "zh" else "; ").join(items[:count])
            if count < len(items):
                more = self.report.labels["more_in_notes"].get(lang)  # no count: a number the dataset lacks
                text += ("；" if lang == "zh" else "; … ") + more if text else more
            phrases.append(Phrase(lang, text))
        backs = self.bilingual(Texts(tuple(phrases)), second_scale=0.9)
        heading = self.bilingual(source.title, bold=True, second_scale=0.85) if brief else self.source_heading(source)
        return heading, backs

    def row_height(self, cells, table_w: int) -> int:
        """Height (EMU) a table row needs: its tallest cell, measured."""
        pad = self.CELL_PAD
        height = 0
        for lines, share in zip(cells, self.SOURCE_COLUMNS):
            width = int(table_w * share) - pad[0] - pad[2]
            _, used = textfit.measure(
                [line.para() for line in lines], textfit.emu_to_pt(width), self.SOURCE_SIZE, self.measure
            )
            height = max(height, textfit.pt_to_emu(used) + pad[1] + pad[3] + Inches(0.03))
        return height

    def source_header(self) -> list[list[Line]]:
        theme, labels = self.theme, self.report.labels
        return [
            self.bilingual(labels[key], color=theme.muted, bold=True, second_scale=0.85) for key in ("source", "backs")
        ]

    def sources_area(self) -> Rect:
        """Content area of the sources layout."""
        return self.layout_region(Role.SOURCES, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)

    def source_pages(self) -> list[list[tuple[int, int | None, bool]]]:
        """The sources' rows per slide, at most :data:`MAX_SOURCE_SLIDES` slides: each row a
        source's index, how many of its entries it shows (``None``: all) and whether its
        heading is its title only. Where everything does not fit, the longest lists are cut
        first, then the headings lose publisher, date and address (the notes give them all)."""
        sources = list(self.report.sources)
        if not sources:
            return []
        area = self.sources_area()
        header = self.row_height(self.source_header(), area.w)
        room = area.h - header
        counts = [len(self.backs(source)[self.report.langs[0]]) for source in sources]
        shown: list[int | None] = [None] * len(sources)
        brief = False
        while True:
            heights = [
                self.row_height(self.source_row(source, n, brief=brief), area.w) for source, n in zip(sources, shown)
            ]
            pages = self._paginate(heights, room)
            if len(pages) <= self.MAX_SOURCE_SLIDES and all(sum(heights[i] for i in page) <= room for page in pages):
                break
            # Cut the longest list shown by a third (never under one entry each).
            current = [counts[i] if shown[i] is None else shown[i] for i in range(len(sources))]
            longest = max(range(len(sources)), key=lambda i: (current[i], heights[i]))
            if current[longest] > 3:
                shown[longest] = max(3, current[longest] * 2 // 3)
            elif not brief:
                brief = True
            elif current[longest] > 1:
                shown[longest] = current[longest] - 1
            else:
                break  # one entry and a title each: as few slides as the rows take
        return [[(i, shown[i], brief) for i in page] for page in pages]

    @staticmethod
    def _paginate(heights: list[int], room: int) -> list[list[int]]:
        """Row indices per slide: as many rows as fit in ``room`` (a taller row alone); two
        slides share the rows out so that neither is nearly empty."""
        pages: list[list[int]] = [[]]
        used = 0
        for index, height in enumerate(heights):
            if pages[-1] and used + height > room:
                pages.append([])
                used = 0
            pages[-1].append(index)
            used += height
        if len(pages) == 2:
            splits = [
                cut for cut in range(1, len(heights)) if sum(heights[:cut]) <= room and sum(heights[cut:]) <= room
            ]
            if splits:
                cut = min(splits, key=lambda c: max(sum(heights[:c]), sum(heights[c:])))
                pages = [list(range(cut)), list(range(cut, len(heights)))]
        return pages

    def sources_slide(self, page: list[tuple[int, int | None, bool]], *, first: bool) -> None:
        """One slide of the sources table: ``page`` is (source index, entries shown, title
        only) per row.
        The notes give every figure of those sources with where it is stated."""
        labels = self.report.labels
        sources = list(self.report.sources)
        self.new_slide(Role.SOURCES)
        self.title(labels["sources"], suffix=self.label("continued") if not first else None)
        self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        area = self.sources_area()
        cells = [self.source_header()] + [list(self.source_row(sources[i], n, brief=b)) for i, n, b in page]
        heights = [self.row_height(row, area.w) for row in cells]
        self.sources_table(
            Rect(area.x, area.y, area.w, sum(heights)),
            cells,
            heights,
            self.SOURCE_COLUMNS,
            self.SOURCE_SIZE,
            self.CELL_PAD,
        )
        self.finish_slide()
        figures = [figure for i, _, _ in page for figure in sources[i].figures]
        method = list(self.report.method) if first else []
        self.notes([(labels["method"], method)] if method else [(labels["sources"], [])], figures)

    def sources_list_slide(self) -> None:
        """One slide listing every source (title, publisher, kind, date, address), where a
        slide budget leaves no room for their tables; the notes give each source's figures
        with where it states them."""
        labels = self.report.labels
        self.new_slide(Role.SOURCES)
        self.title(labels["sources"])
        area = self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        lines: list[Line] = []
        for source in self.report.sources:
            heading = self.source_heading(source)
            lines += [replace(heading[0], space_before=0.9)] + heading[1:] if lines else heading
        self.text_box(area, lines, max_size=14, min_size=8)
        self.finish_slide()
        figures = [figure for source in self.report.sources for figure in source.figures]
        self.notes([(labels["sources"], [])], figures)

    def source_heading(self, source) -> list[Line]:
        """The source's title (bold), its own title where translated, and publisher, kind,
        date and address (muted, at 0.85 of the title's size in every language)."""
        lines = self.bilingual(source.title, bold=True, second_scale=0.85)
        if source.original_title is not None:  # the title as the source itself has it
            lines.append(
                Line(
                    source.original_title.text,
                    source.original_title.lang,
                    0.85,
                    self.theme.ink,
                    shows=(source.original_title,),
                )
            )
        meta = Texts(
            tuple(
                Phrase(
                    lang,
                    " · ".join(
                        filter(
                            None,
                            (
                                source.publisher.get(lang),
                                source.kind.get(lang),
                                source.date.get(lang) if source.date else "",
                                source.url or "",
                            ),
                        )
                    ),
                )
                for lang in self.report.langs
            )
        )
        lines += self.bilingual(meta, scale=0.85, color=self.theme.muted, second_scale=1.0)
        return lines

    def sources_table(self, rect: Rect, rows, heights, shares, size: float, pad) -> None:
        theme = self.theme
        frame = self.current.shapes.add_table(
            len(rows), len(shares), Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h)
        )
        table = frame.table
        oxml.set_table_style(table)
        table.first_row = True
        table.horz_banding = False
        for index, share in enumerate(shares):
            table.columns[index].width = Emu(int(rect.w * share))
        for row_index, (cells, height) in enumerate(zip(rows, heights)):
            table.rows[row_index].height = Emu(height)
            for col_index, lines in enumerate(cells):
                cell = table.cell(row_index, col_index)
                cell.fill.solid()
                fill = theme.tint if row_index % 2 == 0 and row_index else theme.paper
                cell.fill.fore_color.rgb = rgb(fill)
                self.write_text(cell, lines, max_size=size, min_size=size, size=size, insets=pad, behind=(fill,))
                oxml.set_cell_border(
                    cell, "B", Pt(0.75) if row_index == 0 else 0, theme.ink if row_index == 0 else None
                )
                for side in ("L", "R", "T"):
                    oxml.set_cell_border(cell, side, 0, None)
        oxml.set_descr(frame, self.label("sources").joined(" / "))
