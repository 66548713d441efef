"""The slide plan: every slide the deck would have, what a slide budget keeps, and building them in order."""

from __future__ import annotations

from dataclasses import dataclass

from ...model.chartspec import ChartSpec
from ...model.report import Section
from .layouts import Role, TIMELINE_EVENTS
from .text import chunks


@dataclass
class Planned:
    """A slide the deck will have, before it is drawn. ``priority``: lower is kept
    first under a slide budget; slides sharing a ``group`` are kept or dropped together."""

    role: Role
    priority: int
    group: str = ""
    section: Section | None = None
    chart: ChartSpec | None = None
    page: object = None
    index: int = 0


class DeckPlan:
    """A part of :class:`~.builder.DeckBuilder`. The slide plan and the slide budget; builds the planned slides in order."""

    def plan(self) -> list[Planned]:
        """Every slide the deck would have, in order, with the priority it has when a
        slide budget forces some out (lower is kept first)."""
        report = self.report
        planned = [Planned(Role.TITLE, 0), Planned(Role.AGENDA, 4)]
        if report.key_figures:
            planned.append(Planned(Role.KEY_FIGURES, 1))
        for section in report.sections:
            if not section.charts:
                planned.append(Planned(Role.POINTS, 2, section=section))
            for number, chart in enumerate(section.charts):
                planned.append(Planned(Role.CHART, 2 if number == 0 else 5, section=section, chart=chart))
        if report.timeline is not None and report.timeline.events:
            events = list(report.timeline.events)
            for number, start in enumerate(range(0, len(events), TIMELINE_EVENTS)):
                planned.append(
                    Planned(
                        Role.TIMELINE, 6, group="timeline", index=number, page=events[start : start + TIMELINE_EVENTS]
                    )
                )
        for number, page in enumerate(self.source_pages()):
            planned.append(Planned(Role.SOURCES, 7, group=SOURCES_GROUP, index=number, page=page))
        planned.append(Planned(Role.CLOSING, 3))
        return planned

    @staticmethod
    def within(planned: list[Planned], max_slides: int) -> list[Planned]:
        """The slides kept under a budget: by priority, then order; a group (the sources'
        tables, the timeline) is kept whole or not at all. Order is preserved.

        The sources are never left out: when their tables do not fit, one slide listing
        every source takes their place (a :class:`Planned` with ``page=None``)."""

        def greedy(items: list[Planned], budget: int) -> list[Planned]:
            keep: set[int] = set()
            for index in sorted(range(len(items)), key=lambda i: (items[i].priority, i)):
                group = items[index].group
                members = {i for i, p in enumerate(items) if group and p.group == group} or {index}
                if not members <= keep and len(keep | members) <= budget:
                    keep |= members
            return [items[i] for i in sorted(keep)]

        kept = greedy(planned, max_slides)
        tables = [p for p in planned if p.group == SOURCES_GROUP]
        if not tables or tables[0] in kept:
            return kept
        first = planned.index(tables[0])
        rest = [p for p in planned if p.group != SOURCES_GROUP]
        kept = greedy(rest, max_slides - 1)
        # The list goes where the tables would have been: after everything planned before them.
        at = sum(1 for p in kept if planned.index(p) < first)
        return kept[:at] + [Planned(Role.SOURCES, 7, group=SOURCES_GROUP)] + kept[at:]

    def left_out(self, planned: list[Planned], kept: list[Planned]) -> list[str]:
        """What a slide budget left out, one phrase each (``chart 'Gross margin' (Margins)``,
        ``the timeline (2 slides)``), named in English where the edition has it: for a warning."""
        out: list[str] = []
        tables = [p for p in planned if p.group == SOURCES_GROUP]
        compact = any(p.group == SOURCES_GROUP and p.page is None for p in kept)
        timeline = [p for p in planned if p.role is Role.TIMELINE and p not in kept]
        for item in planned:
            if item in kept:
                continue
            if item.group == SOURCES_GROUP:
                if compact and item is tables[0]:
                    out.append(
                        f"the sources' tables ({_slides(len(tables))}; a shorter list of the sources takes their place)"
                        if len(tables) > 1
                        else "the sources' table (a shorter list of the sources takes its place)"
                    )
            elif item.role is Role.CHART:
                out.append(f"chart '{_title(item.chart.title)}' ({_title(item.section.title)})")
            elif item.role is Role.POINTS:
                out.append(f"the points of '{_title(item.section.title)}'")
            elif item.role is Role.TIMELINE:
                if item is timeline[0]:
                    out.append(f"the timeline ({_slides(len(timeline))})")
            else:
                out.append(f"the {item.role.value.replace('_', ' ')} slide")
        return out

    def take_spare(self) -> bool:
        """Claim one slide beyond the plan (a continuation), if the budget allows."""
        if self.spare is None:
            return True
        if self.spare > 0:
            self.spare -= 1
            return True
        return False

    def build(self, max_slides: int | None = None) -> list[str]:
        """Build the planned slides; returns what ``max_slides`` left out (see :meth:`left_out`)."""
        planned = self.plan()
        everything = planned
        if max_slides is not None:
            planned = self.within(planned, max_slides)
        self.spare = None if max_slides is None else max_slides - len(planned)
        self.kept = planned
        # A section's points and paragraphs are shared out over its chart slides that are kept.
        charts_kept: dict[str, list[ChartSpec]] = {}
        for item in planned:
            if item.role is Role.CHART:
                charts_kept.setdefault(item.section.id, []).append(item.chart)
        for item in planned:
            if item.role is Role.TITLE:
                self.title_slide()
            elif item.role is Role.AGENDA:
                self.agenda_slide()
            elif item.role is Role.KEY_FIGURES:
                self.key_figures_slide()
            elif item.role is Role.CHART:
                section = item.section
                charts = charts_kept[section.id]
                number = charts.index(item.chart)
                points = chunks(list(section.points), len(charts))[number]
                paragraphs = chunks(list(section.paragraphs), len(charts))[number]
                leftover = self.chart_slide(
                    section, item.chart, points, ([section.lead] if number == 0 else []) + paragraphs
                )
                if leftover:
                    self.points_slides(section, leftover, [], continued=True)
            elif item.role is Role.POINTS:
                self.points_slides(
                    item.section, list(item.section.points), [item.section.lead, *item.section.paragraphs]
                )
            elif item.role is Role.TIMELINE:
                self.timeline_slide(item.page, item.index)
            elif item.role is Role.SOURCES and item.page is None:
                self.sources_list_slide()
            elif item.role is Role.SOURCES:
                self.sources_slide(item.page, first=item.index == 0)
            elif item.role is Role.CLOSING:
                self.closing_slide()
        return self.left_out(everything, planned)


SOURCES_GROUP = "sources"
"""The group of every source's table slides: kept whole, or replaced by one list of sources."""


def _slides(count: int) -> str:
    return f"{count} slide" + ("s" if count != 1 else "")


def _title(texts) -> str:
    return next((phrase.text for phrase in texts if phrase.lang == "en"), texts.first.text)
