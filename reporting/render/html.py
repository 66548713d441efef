"""The brief as HTML: Jinja2 templates over the report model.

One HTML document serves both the PDF (WeasyPrint reads its print CSS) and the
self-contained preview (CSS and chart SVG inline), so nothing is rendered twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import jinja2
from markupsafe import Markup

from ..charts.theme import Theme
from ..errors import TemplateError
from ..model import Report
from ..resources import templates_dir

BRIEF_TEMPLATE = "brief/brief.html"


@dataclass(frozen=True)
class TemplateSet:
    """Template folders searched in order: user overrides first, built-ins last."""

    folders: tuple[Path, ...]

    @classmethod
    def builtin(cls, overrides: Sequence[Path] = ()) -> "TemplateSet":
        return cls(tuple(Path(folder) for folder in overrides) + (templates_dir(),))

    def environment(self) -> jinja2.Environment:
        """A Jinja environment: autoescaped HTML, undefined names are errors."""
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(folder) for folder in self.folders]),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["lang_class"] = lambda phrase: f"lang-{phrase.lang}"
        return env


def render_brief_html(
    report: Report,
    theme: Theme,
    chart_svgs: Mapping[str, str],
    *,
    templates: TemplateSet | None = None,
    page_size: str = "A4",
    generator: str = "reporting",
) -> str:
    """The brief as one self-contained HTML string (CSS and SVG inline).

    ``chart_svgs`` maps chart id to its SVG markup (trusted: drawn by matplotlib).
    """
    templates = templates or TemplateSet.builtin()
    env = templates.environment()
    try:
        template = env.get_template(BRIEF_TEMPLATE)
        return template.render(
            report=report,
            labels=report.labels,
            theme=theme,
            charts={key: Markup(svg) for key, svg in chart_svgs.items()},
            page_size=page_size,
            generator=generator,
        )
    except jinja2.TemplateNotFound as error:
        searched = ", ".join(str(folder) for folder in templates.folders)
        folder = error.name.rpartition("/")[0]
        siblings = env.list_templates(filter_func=lambda name: name.rpartition("/")[0] == folder)
        have = ", ".join(siblings) or "none"
        raise TemplateError(
            f"template {error.name!r} not found; searched: {searched}; "
            f"templates in {folder or 'the top folder'}/: {have}"
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"{error.filename or error.name}:{error.lineno}: template syntax error: {error.message}"
            + (f"\n    {error.source.splitlines()[error.lineno - 1].strip()}" if error.source else "")
        ) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(f"template {BRIEF_TEMPLATE}: {error.message}") from None
