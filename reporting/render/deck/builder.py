"""The PowerPoint deck: slide builders over python-pptx.

:func:`write_deck` lays a :class:`~reporting.model.report.Report` onto the layouts of a
slide master (the built-in ``templates/deck/master.pptx`` or a user's corporate
template), found for each slide role by their placeholders (:mod:`.roles`). Every chart is a native,
editable PowerPoint chart; the timeline is drawn with native shapes.

Text never relies on PowerPoint's autofit (LibreOffice and python-pptx do not apply
it): each box is fitted with :mod:`reporting.render.deck.textfit`, measuring the font
files fontconfig resolves, and what does not fit at the smallest allowed size moves
to a continuation slide. Low-level XML edits live in
:mod:`reporting.render.deck.oxml`.

Lengths are EMU (914400 per inch, 12700 per pt) unless a name says ``_pt``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Callable, Mapping

from . import oxml
from ...model.report import Report
from ...model.texts import Phrase
from ...errors import display_path
from ...model.theme import Theme
from .charts import DeckCharts
from .backdrop import Backdrop, Box
from .layouts import Role, default_template, open_template, theme_color_slots
from .look import is_cjk_typeface, master_theme
from .roles import Layouts, choose_layouts, describe
from ...zips import zip_time
from .package import core_text, normalise_zip, pin_workbook, set_custom_properties
from ...limits import DEFAULT_LIMITS, Limits
from .plan import DeckPlan
from .slides import DeckSlides
from .sources import DeckSources
from .text import DeckText
from .textfit import Measurer
from .timeline import DeckTimeline


def write_deck(report: Report, theme: Theme, target: Path, **options) -> Path:
    """The deck of :func:`deck_bytes` saved to ``target`` (overwritten; the caller renames
    it into place). Returns ``target``."""
    target = Path(target)
    target.write_bytes(deck_bytes(report, theme, **options))
    return target


def deck_bytes(
    report: Report,
    theme: Theme,
    *,
    template: Path | None = None,
    max_slides: int | None = None,
    when: dt.datetime | None = None,
    on_phrase: Callable[[Phrase, str], None] | None = None,
    properties: Callable[[], Mapping[str, str]] | None = None,
    layout_names: Mapping[str, str] | None = None,
    keep_template_slides: bool = False,
    master_look: bool = False,
    on_left_out: Callable[[str], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """Build the deck for ``report`` and return the ``.pptx`` file's bytes; writes nothing
    (the template is read). ``template`` is a .pptx whose slide masters supply the
    layouts, found for each slide role by their placeholders
    (:func:`reporting.render.deck.roles.choose_layouts`) or by the names in
    ``layout_names`` (role → layout name); its sample slides are dropped unless
    ``keep_template_slides``. With ``master_look`` (a user template and no audience
    theme) the deck takes the master's colours and fonts instead of ``theme``'s.

    ``max_slides`` caps the deck (an executive deck): slides are kept in the order
    title, key figures, each section's first chart, closing, agenda, further charts,
    timeline, sources; points that lose their slide move to the speaker notes. The sources
    are never left out: when their tables do not fit, one slide lists the sources instead.
    ``on_left_out(what)`` is called with a sentence naming every slide the cap left out
    (not at all when it left out none): the caller says it, as a build never drops silently.

    ``when`` (UTC; default: the report's date at midnight) is written as the created and
    modified time and as every zip entry's time, so the same inputs give the same bytes.
    ``on_phrase(phrase, shown)`` is called for every report phrase written (``shown``
    is the text written from it); ``properties()``, called once the slides are built,
    gives custom document properties (``docProps/custom.xml``).

    ``limits``: the budgets of the template's parts, checked before it is opened.

    Raises :class:`TemplateError` when the template cannot be opened or lacks a layout
    named in ``layout_names`` (the message lists the layouts it has).
    """
    user_template = template is not None
    path = Path(template) if template is not None else default_template()
    prs = open_template(path, limits)
    layouts = choose_layouts(prs, layout_names, template=display_path(path))
    if not keep_template_slides:
        oxml.remove_all_slides(prs)
    if user_template:
        if master_look:
            theme = master_theme(layouts[Role.POINTS], theme)
        # Keep the corporate look; only make sure Chinese has a typeface to fall back on.
        for master in prs.slide_masters:
            oxml.set_theme_fonts(master, latin=None, ea=theme.fonts.cjk, only_if_empty=True, keep=is_cjk_typeface)
    else:
        oxml.set_theme_colors(prs.slide_master, theme_color_slots(theme))
        oxml.set_theme_fonts(prs.slide_master, latin=theme.fonts.latin, ea=theme.fonts.cjk)

    left_out = DeckBuilder(
        prs, report, theme, layouts, on_phrase, master_look=user_template and master_look, user_master=user_template
    ).build(max_slides)
    if left_out and on_left_out is not None:
        on_left_out(f"max_slides {max_slides} left out {'; '.join(left_out)}")

    when = report.midnight if when is None else when
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    core = prs.core_properties
    core.title = core_text(report.title.joined())
    core.subject = core_text(report.subtitle.joined())
    core.author = core_text(report.author.joined())
    core.last_modified_by = core_text(report.organisation.joined())
    core.language = report.lang_tag if report.edition.primary == "zh" else oxml.LANG_TAGS[report.edition.primary]
    if report.edition.traditional:
        oxml.retag(prs.part.package, oxml.LANG_TAGS["zh"], report.edition.chinese)
    core.keywords = report.dataset_id
    core.comments = ""
    core.revision = 1
    core.created = core.modified = when
    for part in prs.part.package.iter_parts():
        if part.partname.startswith("/ppt/embeddings/") and part.partname.endswith(".xlsx"):
            part.blob = pin_workbook(part.blob, when)
    if properties is not None:
        set_custom_properties(prs, properties())

    buffer = io.BytesIO()
    prs.save(buffer)
    return normalise_zip(buffer.getvalue(), zip_time(when))


def describe_template(
    path: Path, layout_names: Mapping[str, str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> str:
    """What ``make-report deck-layouts`` prints for the master at ``path``
    (:func:`reporting.render.deck.roles.describe`). Raises :class:`TemplateError` when it
    is not a .pptx or lacks a layout ``layout_names`` names, :class:`AssetError` when it
    is past ``limits``."""
    return describe(open_template(Path(path), limits), layout_names, template=display_path(path))


class DeckBuilder(DeckPlan, DeckSlides, DeckCharts, DeckTimeline, DeckSources, DeckText):
    """Adds every slide of one report to ``prs`` (side effect: mutates ``prs``).

    Its parts are written by responsibility, one module each (text, slides, plan, charts,
    timeline, sources); they share this object's state (``prs``, ``report``, ``theme``,
    ``layouts``, ``measure``, the current slide)."""

    def __init__(
        self,
        prs,
        report: Report,
        theme: Theme,
        layouts: Layouts,
        on_phrase: Callable[[Phrase, str], None] | None = None,
        *,
        master_look: bool = False,
        user_master: bool = False,
    ):
        self.prs = prs
        self.report = report
        self.theme = theme
        self.layouts = layouts
        self.on_phrase = on_phrase or (lambda phrase, shown: None)
        self.measure = Measurer(theme.fonts.latin, theme.fonts.cjk)
        self.slide_w = int(prs.slide_width)
        self.slide_h = int(prs.slide_height)
        self.master_look = master_look
        """Titles in the master's title colour (a user master, no audience theme)."""
        self.user_master = user_master
        """A user's master: text references its theme's colours and fonts where it uses them."""
        self.refs: dict = {}
        """Slide master part id → its :class:`~.look.ThemeRefs`, read once."""
        self.backdrops: dict[int, Backdrop] = {}
        """What each layout shows behind content, read once per layout."""
        self.fills: list[tuple[Box, str]] = []
        """Filled shapes drawn on the current slide (box, colour): what text on them sits on."""
        self.boxes: dict = {}
        """Placeholder element → its box, on the current slide."""
