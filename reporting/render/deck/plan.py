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
                planned.append(Planned(Role.TIMELINE, 6, group="timeline", index=number,
                                        page=events[start:start + TIMELINE_EVENTS]))
        for source in report.sources:
            for number, page in enumerate(self.source_pages(source)):
                planned.append(Planned(Role.SOURCES, 7, group=f"source:{source.id}", index=number,
                                        page=(source, page)))
        planned.append(Planned(Role.CLOSING, 3))
        return planned

    @staticmethod
    def within(planned: list[Planned], max_slides: int) -> list[Planned]:
        """The slides kept under a budget: by priority, then order; a group (a source's
        pages, the timeline) is kept whole or not at all. Order is preserved."""
        keep: set[int] = set()
        for index in sorted(range(len(planned)), key=lambda i: (planned[i].priority, i)):
            group = planned[index].group
            members = {i for i, p in enumerate(planned) if group and p.group == group} or {index}
            if not members <= keep and len(keep | members) <= max_slides:
                keep |= members
        return [planned[i] for i in sorted(keep)]

    def take_spare(self) -> bool:
        """Claim one slide beyond the plan (a continuation), if the budget allows."""
        if self.spare is None:
            return True
        if self.spare > 0:
            self.spare -= 1
            return True
        return False

    def build(self, max_slides: int | None = None) -> None:
        planned = self.plan()
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
                leftover = self.chart_slide(section, item.chart, points,
                                            ([section.lead] if number == 0 else []) + paragraphs)
                if leftover:
                    self.points_slides(section, leftover, [], continued=True)
            elif item.role is Role.POINTS:
                self.points_slides(item.section, list(item.section.points),
                                   [item.section.lead, *item.section.paragraphs])
            elif item.role is Role.TIMELINE:
                self.timeline_slide(item.page, item.index)
            elif item.role is Role.SOURCES:
                self.sources_slide(*item.page, first=item.index == 0)
            elif item.role is Role.CLOSING:
                self.closing_slide()
