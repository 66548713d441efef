"""The sources slides: a table per source (the figures it backs, then its events),
paginated by measured row heights, continuations balanced."""

from __future__ import annotations

from dataclasses import replace

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Inches, Pt

from . import oxml, textfit
from ...model.report import Figure
from ...model.texts import Phrase, Texts
from .layouts import GAP, MIN_SOURCE_TABLE_W, Rect, Role
from .text import Line, rgb


class DeckSources:
    """A part of :class:`~.builder.DeckBuilder`. Sources slides: one table per source, its rows measured and paginated."""

    def source_rows(self, source) -> list[tuple[list[Line], list[Line], list[Line]]]:
        theme, labels = self.theme, self.report.labels
        rows = []
        for figure in source.figures:
            where = figure.provenance.where
            value = self.bilingual(figure.text, scale=1.0, second_scale=0.85)
            if figure.derived:  # marked in each language, after the value
                value = [replace(line, tag=("  " + labels["derived"].get(line.lang)), tag_color=theme.accent)
                         for line in value]
            rows.append((
                self.bilingual(where, color=theme.muted, second_scale=0.85),
                self.bilingual(figure.label, second_scale=0.85),
                value,
            ))
        for event in source.events:  # where | what happened | when
            rows.append((
                self.bilingual(event.where, color=theme.muted, second_scale=0.85) if event.where else [],
                self.bilingual(event.title, second_scale=0.85),
                self.bilingual(event.date, second_scale=0.85),
            ))
        return rows

    # The sources table: three columns sharing each table's width, fixed type size (pt).
    SOURCE_COLUMNS = (0.2, 0.5, 0.3)
    SOURCE_SIZE = 10.5
    CELL_PAD = (Inches(0.06), Inches(0.04), Inches(0.06), Inches(0.04))

    def source_header(self) -> list[list[Line]]:
        theme, labels = self.theme, self.report.labels
        return [self.bilingual(labels[key], color=theme.muted, bold=True, second_scale=0.85)
                for key in ("where", "figure", "value")]

    def row_height(self, cells, table_w: int) -> int:
        """Height (EMU) a table row needs: its tallest cell, measured."""
        pad = self.CELL_PAD
        height = 0
        for lines, share in zip(cells, self.SOURCE_COLUMNS):
            width = int(table_w * share) - pad[0] - pad[2]
            _, used = textfit.measure([line.para() for line in lines], textfit.emu_to_pt(width),
                                      self.SOURCE_SIZE, self.measure)
            height = max(height, textfit.pt_to_emu(used) + pad[1] + pad[3] + Inches(0.03))
        return height

    def sources_geometry(self, source) -> tuple[Rect, int, int]:
        """Content area of the sources layout, the top of its tables and their width."""
        area = self.layout_region(Role.SOURCES, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
        paras = [line.para() for line in self.source_heading(source)]
        fit = textfit.fit(paras, area.w, Inches(0.75), self.measure, max_size=14, min_size=10)
        top = area.y + textfit.pt_to_emu(fit.height) + Inches(0.15)
        return area, top, (area.w - GAP) // 2 if self.source_tables(area) == 2 else area.w

    @staticmethod
    def source_tables(area: Rect) -> int:
        """Tables side by side on a sources slide: two, or one where two would be too
        narrow for their columns (a narrow master)."""
        return 2 if (area.w - GAP) // 2 >= MIN_SOURCE_TABLE_W else 1

    def source_pages(self, source) -> list[list[list[int]]]:
        """Rows of ``source``'s table per slide and per column (two tables side by side,
        or one on a narrow master)."""
        rows = self.source_rows(source)
        area, top, table_w = self.sources_geometry(source)
        header = self.row_height(self.source_header(), table_w)
        heights = [self.row_height(row, table_w) for row in rows]
        tables = self.source_tables(area)
        pages = self._paginate(heights, header, top, area.bottom, tables=tables)
        if len(pages) > 1:
            # As many slides as needed, the rows shared out evenly: a continuation never
            # holds a row or two after a full slide.
            cap = -(-len(rows) // (tables * len(pages)))
            even = self._paginate(heights, header, top, area.bottom, cap=cap, tables=tables)
            if len(even) == len(pages):
                pages = even
        return pages

    @staticmethod
    def _paginate(heights: list[int], header: int, top: int, bottom: int, *, cap: int | None = None,
                  tables: int = 2) -> list[list[list[int]]]:
        """Row indices per slide and per table (``tables`` side by side): as many rows as
        fit (at most ``cap`` a table)."""
        pages: list[list[list[int]]] = []
        next_row = 0
        rows = heights
        while next_row < len(rows) or not pages:
            columns: list[list[int]] = []
            for column in range(tables):
                left = len(rows) - next_row
                if not left:
                    break
                used, take = header, 0
                while (take < left and top + used + heights[next_row + take] <= bottom
                       and (cap is None or take < cap)):
                    used += heights[next_row + take]
                    take += 1
                take = max(take, 1)  # a row taller than the page is placed anyway
                if tables == 2 and column == 0 and 1 < left <= 2 * take:
                    take = -(-left // 2)  # the last slide: balance the two tables
                columns.append(list(range(next_row, next_row + take)))
                next_row += take
            pages.append(columns)
        return pages

    def sources_slide(self, source, columns: list[list[int]], *, first: bool) -> None:
        """One slide of ``source``'s table: ``columns`` are row indices per table."""
        labels = self.report.labels
        self.new_slide(Role.SOURCES)
        self.title(labels["sources"], suffix=self.label("continued") if not first else None)
        self.region(PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, fallback=self.content_fallback())
        area, top, table_w = self.sources_geometry(source)
        self.text_box(Rect(area.x, area.y, area.w, Inches(0.75)), self.source_heading(source), max_size=14,
                      min_size=10)
        rows = self.source_rows(source)
        header = self.source_header()
        shown: list[Figure] = []
        for column, indices in enumerate(columns):
            cells = [header] + [rows[i] for i in indices]
            heights = [self.row_height(row, table_w) for row in cells]
            x = area.x + column * (table_w + GAP)
            self.sources_table(Rect(x, top, table_w, sum(heights)), cells, heights, self.SOURCE_COLUMNS,
                               self.SOURCE_SIZE, self.CELL_PAD)
            shown += [source.figures[i] for i in indices if i < len(source.figures)]
        self.finish_slide()
        method = list(self.report.method) if first else []
        derived = [self.figure_source(f) for f in shown if f.derived]
        self.notes([(labels["method"], method), (labels["derived_figures"], derived)] if derived or method
                   else [(labels["sources"], [])])

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
        lines = self.bilingual(source.title, bold=True, second_scale=0.85)
        if source.original_title is not None:  # the title as the source itself has it
            lines.append(Line(source.original_title.text, source.original_title.lang, 0.85, self.theme.ink,
                              shows=(source.original_title,)))
        meta = Texts(tuple(Phrase(lang, " · ".join(filter(None, (
            source.publisher.get(lang), source.kind.get(lang), source.date.get(lang) if source.date else "",
            source.url or ""))))
            for lang in self.report.langs))
        lines += self.bilingual(meta, scale=0.85, color=self.theme.muted, second_scale=0.9)
        return lines

    def sources_table(self, rect: Rect, rows, heights, shares, size: float, pad) -> None:
        theme = self.theme
        frame = self.current.shapes.add_table(len(rows), 3, Emu(rect.x), Emu(rect.y), Emu(rect.w), Emu(rect.h))
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
                oxml.set_cell_border(cell, "B", Pt(0.75) if row_index == 0 else 0,
                                         theme.ink if row_index == 0 else None)
                for side in ("L", "R", "T"):
                    oxml.set_cell_border(cell, side, 0, None)
        oxml.set_descr(frame, self.label("sources").joined(" / "))
