"""The brief as HTML: Jinja2 templates over the report model.

One HTML document serves both the PDF (WeasyPrint reads its print CSS) and the
self-contained preview (CSS and chart SVG inline), so nothing is rendered twice.
"""

from __future__ import annotations

import base64
import math
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import jinja2
import jinja2.bccache
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..lang.cjk import keep_last_line
from ..limits import DEFAULT_LIMITS, Limits
from . import template_steps as _steps_module
from .template_steps import COUNTED, OverBudget, StepCountingCodeGenerator, counted_steps, step, step_budget
from .legible import legible_width
from ..model.theme import Theme
from ..errors import ReportError, TemplateError, display_path, utf8_text
from ..model.report import Report
from ..resources import templates_dir

BRIEF_TEMPLATE = "brief/brief.html"


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, each under its file and the checksum of its
    source: a template (or included CSS) whose text changed is compiled again, the others
    never are. Compiling is most of the HTML stage's time (the CSS files are templates
    too), so a process that renders many times (a live preview, several audiences) keeps
    one of these; a new :class:`TemplateSet` environment each render stays cheap.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # dropped by Jinja when the checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


@dataclass(frozen=True)
class TemplateSet:
    """Template folders searched in order: user overrides first, built-ins last.
    ``compiled``: where compiled templates are kept between environments (none: compiled
    for each)."""

    folders: tuple[Path, ...]
    compiled: CompiledTemplates | None = field(default=None, compare=False, repr=False)

    @classmethod
    def builtin(cls, overrides: Sequence[Path] = (), compiled: CompiledTemplates | None = None) -> "TemplateSet":
        return cls(tuple(Path(folder) for folder in overrides) + (templates_dir(),), compiled)

    def environment(self) -> jinja2.Environment:
        """A sandboxed Jinja environment: autoescaped HTML, undefined names are errors.

        Templates come from other teams, so every template — built-in or user — runs
        in Jinja's immutable sandbox (no ``__class__``/``__globals__`` walks, no unsafe
        calls, no changing the lists and dicts it is given): the same rules for all,
        so an override that works on a copy of the built-ins works. Template names are looked up inside the folders only
        (``../`` is refused by the loader).
        """
        env = _BoundedSandbox(
            loader=_Utf8Loader([str(folder) for folder in self.folders]),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=self.compiled,
        )
        env.filters["lang_class"] = lambda phrase: f"lang-{phrase.lang}"
        env.filters["keep_last_line"] = keep_last_line
        env.filters["css_string"] = css_string
        env.filters["css_colour"] = css_colour
        env.filters["css_page_size"] = css_page_size
        env.filters["spoken"] = spoken
        env.filters["screen_text"] = screen_text
        env.filters[COUNTED] = counted_steps
        return env


MAX_POWER_DIGITS = 1000
"""Most digits a template's ``**`` may make (a page has no use for more; Python will not
even print an int of more than 4300)."""
MAX_REPEAT = 1_000_000
"""Most characters or items a template's ``*`` may make of a text or list (a 2 GB string
would exhaust the memory)."""


def binop_refusal(operator: str, left: Any, right: Any) -> str | None:
    """Why a template may not compute ``left operator right`` (``**`` with a result of more
    than :data:`MAX_POWER_DIGITS` digits, ``*`` repeating a text or list past
    :data:`MAX_REPEAT`), or ``None``. Checked as the template runs, and by ``check`` on
    constants in templates."""

    def number(value: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    if operator == "**" and number(left) and number(right) and right > 0 and abs(left) > 1:
        digits = right * math.log10(abs(left))
        if digits > MAX_POWER_DIGITS:
            return f"{left!r} ** {right!r} would have about {digits:,.0f} digits (at most {MAX_POWER_DIGITS:,})"
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and not isinstance(times, bool):
                if len(seq) * times > MAX_REPEAT:
                    return (
                        f"repeating a text or list {times:,} times would make {len(seq) * times:,} "
                        f"characters or items (at most {MAX_REPEAT:,})"
                    )
    return None


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, whose ``**`` and ``*`` refuse results too large to hold
    (:func:`binop_refusal`) with a :class:`SecurityError` naming the template's line, and
    whose loops and calls count against the render's step budget
    (:mod:`reporting.render.template_steps`)."""

    intercepted_binops = frozenset({"**", "*"})
    code_generator_class = StepCountingCodeGenerator

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        step()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        why = binop_refusal(operator, left, right)
        if why:
            raise SecurityError(why)
        return super().call_binop(context, operator, left, right)


def lang_classes(langs: Sequence[str]):
    """The ``lang_class`` filter of an edition in ``langs`` (reading order): a phrase's
    language (``lang-zh``) and its role, ``first-lang`` for the edition's first language (the
    larger type) and ``second-lang`` for the one under it (smaller, muted), so one stylesheet
    serves every edition whichever language leads."""

    def lang_class(phrase) -> str:
        return f"lang-{phrase.lang} {'first-lang' if phrase.lang == langs[0] else 'second-lang'}"

    return lang_class


def spoken(value: str) -> str:
    """``value`` without Unicode format characters (word joiners, zero-width spaces, soft
    hyphens: category Cf), which only steer line breaking: for text that is read out and
    never laid out, such as alt text."""
    return "".join(char for char in str(value) if unicodedata.category(char) != "Cf")


def screen_text(phrase) -> str:
    """A phrase's text for a part of the brief that only screens show (a chart's data table:
    print and the PDF never lay it out). Read here, not through the template's own
    ``phrase.text``, so a build recording what its brief prints (for ``make-report verify``,
    whose manifest the PDF shares) does not expect it in the PDF."""
    return phrase.text


def css_string(value: str) -> str:
    """``value`` as a double-quoted CSS string: quotes, backslashes, line breaks and ``<``
    escaped (CSS escapes), so a font name cannot end the string, the rule or the
    ``<style>`` element it sits in."""
    escaped = "".join(
        f"\\{ord(char):X} " if char in '"\\<>&\n\r\f' or ord(char) < 0x20 or ord(char) == 0x7F else char
        for char in str(value)
    )
    return f'"{escaped}"'


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def css_colour(value: str) -> str:
    """``value`` when it is a ``#RRGGBB`` colour; else :class:`TemplateError` (a theme built
    in code, whose colours no config validated, may hold anything)."""
    if not isinstance(value, str) or not _COLOUR.fullmatch(value):
        raise TemplateError(f"theme colour {value!r} is not a #RRGGBB colour")
    return value


PAGE_SIZES = ("A4", "Letter")


def css_page_size(value: str) -> str:
    """``value`` when it is a page size the brief is laid out for; else :class:`TemplateError`."""
    if value not in PAGE_SIZES:
        raise TemplateError(f"page size {value!r} is not one of {', '.join(PAGE_SIZES)}")
    return value


def svg_data_uri(svg: str) -> str:
    """An SVG document as a base64 ``data:`` URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_brief_html(
    report: Report,
    theme: Theme,
    chart_svgs: Mapping[str, str],
    *,
    templates: TemplateSet | None = None,
    page_size: str = "A4",
    generator: str = "reporting",
    limits: Limits = DEFAULT_LIMITS,
) -> str:
    """The brief as one self-contained HTML string (CSS and SVG inline).

    ``chart_svgs`` maps chart id to its SVG markup (trusted: drawn by matplotlib). Each
    chart goes in as an ``<img>`` with a ``data:`` URI and the chart's text alternative:
    outside the HTML tree, WeasyPrint parses it once instead of cascading CSS over every
    path (less rendering time), and the PDF's figure gets its ``/Alt``. The screen stylesheet
    gets each chart's legible width (:func:`~reporting.render.legible.legible_width`): below
    it, a screen shows the chart's data table instead of its picture. The templates may
    take at most ``limits.template_steps`` loop iterations and calls.
    """
    templates = templates or TemplateSet.builtin()
    env = templates.environment()
    env.filters["lang_class"] = lang_classes(report.langs)
    try:
        template = env.get_template(BRIEF_TEMPLATE)
        with step_budget(limits.template_steps):
            return template.render(
                report=report,
                labels=report.labels,
                theme=theme,
                charts={key: svg_data_uri(svg) for key, svg in chart_svgs.items()},
                chart_widths={key: width for key, svg in chart_svgs.items() if (width := legible_width(svg))},
                page_size=page_size,
                generator=generator,
            )
    except jinja2.TemplateNotFound as error:
        missing = str(error.name or "")
        if _leaves_folder(missing):
            raise TemplateError(
                f"template name {error.name!r} is refused: templates are named by their path "
                f"inside a template folder, without '..'"
            ) from None
        searched = ", ".join(str(folder) for folder in templates.folders)
        folder = missing.rpartition("/")[0]
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
        raise TemplateError(f"{_template_line(error) or 'template ' + BRIEF_TEMPLATE}: {error.message}") from None
    except OverBudget as error:
        where = _template_line(error) or _template_line(error, templates.folders, anywhere=True)
        raise TemplateError(f"{where or 'template ' + BRIEF_TEMPLATE}: {error}") from None
    except SecurityError as error:
        where = _template_line(error) or _template_line(error, templates.folders, anywhere=True)
        raise TemplateError(f"{where or 'template ' + BRIEF_TEMPLATE}: not allowed in a template: {error}") from None
    except ReportError:
        raise
    except Exception as error:
        # A fault in a template's own expressions ({{ 1 / 0 }}, a filter given the
        # wrong type) is the template's, so it is named by file and line; anything
        # raised outside a template is a bug and keeps its traceback.
        where = _template_line(error, templates.folders)
        if where is None:
            raise
        raise TemplateError(f"{where}: {type(error).__name__}: {error}") from None


class _Utf8Loader(jinja2.FileSystemLoader):
    """Jinja's folder loader, naming the file and line of a template that is not UTF-8
    (:class:`~reporting.errors.DataError`) where Jinja's would raise a bare UnicodeDecodeError,
    and reading only regular files inside its folders: a symbolic link whose target lies
    outside the folder it was found in (``/etc/hostname``, ``/proc/self/environ``, a file
    outside the project), or a device or pipe, is refused with :class:`TemplateError`
    before it is opened (:func:`outside_link`)."""

    def get_source(self, environment, template):
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *split_template_path(template))
            if os.path.lexists(filename):
                why = outside_link(Path(filename), Path(searchpath))
                if why:
                    raise TemplateError(f"{display_path(filename)}: {why}")
                if os.path.isfile(filename):
                    break
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            for folder in self.searchpath:
                path = Path(folder) / template
                if path.is_file():
                    utf8_text(path.read_bytes(), display_path(path))  # raises, naming the line
            raise


def outside_link(path: Path, root: Path) -> str | None:
    """Why ``path`` (inside folder ``root``) may not be read by a template, or ``None``: a
    symbolic link (itself or a folder on the way) whose target is outside ``root``, or a
    file that is no regular file (a device or a pipe: reading it would never end)."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(root)):
        return (
            f"a symbolic link to {real}, outside the folder {display_path(root)}; "
            f"templates read only files inside their folders"
        )
    if real.exists() and not (real.is_file() or real.is_dir()):
        return "not a regular file (a device or a pipe); templates read only files"
    return None


def _leaves_folder(name: str | None) -> bool:
    return bool(name) and ".." in str(name).replace("\\", "/").split("/")


def _template_line(error: BaseException, folders: Sequence[Path] = (), *, anywhere: bool = False) -> str | None:
    """``file:line`` of the innermost template frame of ``error``'s traceback, when the
    error arose in a template or in library code it called (Jinja's ``lipsum`` given a
    bad range raises in ``random``; with ``anywhere``, in the toolkit's code too, such as
    the sandbox's checks); ``None`` when it arose in the toolkit's own code (a bug, which
    keeps its traceback) or outside any template."""
    roots = tuple(str(Path(folder).resolve()) for folder in folders)

    def in_template(filename: str) -> bool:
        return filename.endswith((".html", ".css")) or (bool(roots) and filename.startswith(roots))

    where = None
    last = ""
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if in_template(filename):
            where = f"{filename}:{traceback.tb_lineno}"
        last = filename
        traceback = traceback.tb_next
    arose_in_toolkit = last.startswith(_TOOLKIT) and not in_template(last) and last not in _SANDBOX_GLUE
    return where if where and (anywhere or not arose_in_toolkit) else None


_TOOLKIT = str(Path(__file__).resolve().parents[1]) + os.sep
"""The toolkit's own code (the ``reporting`` package): an error raised in it is a bug."""
_SANDBOX_GLUE = frozenset({str(Path(__file__).resolve()), str(Path(_steps_module.__file__).resolve())})
"""The toolkit's modules a template runs through (the sandbox's checks, the step budget):
an error raised there is the template's."""
