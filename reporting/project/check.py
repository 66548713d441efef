"""``make-report check``: everything a build would refuse, found without building.

Three inputs are checked, and every problem of all three is reported at once, each as
a :class:`~reporting.errors.Problem` (file, line, field, message):

- the dataset: schema, references, placeholders, derivations (all of
  :func:`~reporting.dataset.load.load_dataset`), and glyph coverage: every character of its
  text drawn by a font of each theme an audience uses;
- the project config: audiences naming sections, facts and themes that exist, template
  folders, masters and logos that exist;
- the syntax of every user template (``.html`` files in the project's and audiences'
  template folders), and the templates they extend, include or import.

Nothing is rendered and nothing is written: the shipped dataset and config take a
fraction of a second (see ``benchmarks/check.md``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..dataset.load import load_dataset
from ..errors import AssetError, DataError, Problem, ReportError, TemplateError, UsageError, display_path, format_path
from ..fonts import missing_characters, require_fonts
from ..lang.chars import describe
from ..lang.editions import Edition
from ..limits import DEFAULT_LIMITS
from ..model.labels import LABELS
from ..render.html import TemplateSet, binop_refusal, outside_link
from .audiences import AudienceBook, theme_from, toml_line
from .config import ProjectConfig


@dataclass(frozen=True)
class CheckResult:
    """The problems found (none: the project builds) and what was checked, counted."""

    problems: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """What the dataset's loader warns about; the project still builds."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[Problem]:
        """Problems and warnings together, by file and line (a problem before a warning
        on the same line), as ``make-report check`` prints them."""
        tagged = [(problem, 0) for problem in self.problems] + [(warning, 1) for warning in self.warnings]
        tagged.sort(key=lambda item: (item[0].file, item[0].line or 0, item[1]))
        return [problem for problem, _ in tagged]

    def counted(self) -> str:
        """``3 problems, 2 warnings``: what :meth:`lines` holds, counted."""
        parts = [_plural(len(self.problems), "problem")] if self.problems else []
        if self.warnings:
            parts.append(_plural(len(self.warnings), "warning"))
        return ", ".join(parts)

    def summary(self) -> str:
        """``ok: 45 facts, 4 sections, 7 charts, 4 audiences, 1 template``; with warnings
        ``2 warnings: make-report verify will refuse an output showing these numbers
        (checked 45 facts, …)``, since the build goes on but its outputs do not verify."""
        parts = ", ".join(_plural(count, name.removesuffix("s")) for name, count in self.counts.items())
        if not self.warnings:
            return "ok: " + parts
        return (
            f"{self.counted()}: the project builds, but make-report verify will refuse an output "
            f"showing {'this number' if len(self.warnings) == 1 else 'these numbers'} "
            f"(checked {parts})"
        )


def _plural(count: int, name: str) -> str:
    return f"{count} {name}{'s' if count != 1 else ''}"


def check_project(config: ProjectConfig | None, data: Path | None = None) -> CheckResult:
    """Check the dataset (``data``, else the one ``config`` names), ``config`` and its
    user templates; with ``config`` None, the dataset ``data`` alone (glyphs against the
    default theme's fonts). Reads files only; raises nothing for bad input (it is all in
    the result); :class:`~reporting.errors.UsageError` for a ``data`` file that is not
    there, or neither given."""
    if config is None and data is None:
        raise UsageError("give a dataset to check, or a project config")
    problems: list[Problem] = []
    loaded = None
    if data is not None:
        dataset_path = Path(data)
    elif config is not None:
        dataset_path = config.dataset
    book, config_problems = _audiences(config) if config is not None else (None, [])
    limits = book.limits if book is not None else DEFAULT_LIMITS
    if config is not None and data is None and not dataset_path.is_file():
        config_text = config.path.read_text(encoding="utf-8")
        problems.append(
            Problem(
                display_path(config.path),
                _toml_line(config_text, ["project", "dataset"]),
                "project.dataset",
                f"dataset not found: {display_path(dataset_path)}",
            )
        )
    else:
        try:
            loaded = load_dataset(dataset_path, limits=limits)
        except DataError as error:
            problems += error.problems
    problems += config_problems
    default_edition = loaded.dataset.report.edition if loaded is not None else Edition.BILINGUAL
    # (theme, the Chinese script's tag) of each audience: a Traditional edition draws with
    # the Traditional faces (Fonts.for_chinese) and its text converted, so both are checked.
    themes = {("default", default_edition.chinese)}
    if config is not None and book is not None:
        problems += _check_audiences(book, config.path.read_text(encoding="utf-8"), loaded)
        themes |= {(spec.theme, (spec.edition or default_edition).chinese) for spec in book.file.audiences.values()}
    if loaded is not None:
        problems += _check_glyphs(loaded, book, sorted(themes))
    folders = _template_folders(book) if book is not None else []
    problems += _check_links([*folders, *_asset_folders(book)] if book is not None else [])
    problems += _check_templates(folders)
    counts: dict[str, int] = {}
    if loaded is not None:
        dataset = loaded.dataset
        counts = {
            "facts": len(dataset.facts),
            "sections": len(dataset.sections),
            "charts": sum(len(section.charts) for section in dataset.sections),
        }
    if book is not None:
        counts["audiences"] = len(book.names)
    if config is not None:
        counts["templates"] = sum(1 for _ in _user_templates(folders))
    return CheckResult(problems, counts, loaded.warnings if loaded is not None else [])


def _toml_line(text: str, loc: list[Any]) -> int | None:

    return toml_line(text, loc)


def _audiences(config: ProjectConfig):

    try:
        return AudienceBook(config), []
    except DataError as error:
        return None, error.problems


def _check_audiences(book, text: str, loaded) -> list[Problem]:
    """References from ``report.toml`` to the dataset (sections, key figures), to themes
    and to files (template folders, asset folders, masters, logos)."""
    problems: list[Problem] = []
    shown = display_path(book.config.path)

    def problem(loc: list[Any], message: str) -> None:

        problems.append(Problem(shown, _toml_line(text, loc), format_path(loc), message))

    def exists(value: str | None, loc: list[Any], folder: bool) -> None:
        if value is None:
            return
        path = book.base_dir / value
        if not (path.is_dir() if folder else path.is_file()):
            problem(loc, f"{'folder' if folder else 'file'} not found: {display_path(path)}")

    exists(book.file.project.templates, ["project", "templates"], folder=True)
    for index, folder in enumerate(book.file.project.assets):
        exists(folder, ["project", "assets", index], folder=True)
    for name, theme in book.file.themes.items():
        exists(theme.logo, ["themes", name, "logo"], folder=False)
    section_ids = fact_ids = None
    if loaded is not None:
        section_ids = [section.id for section in loaded.dataset.sections]
        fact_ids = {fact.id for fact in loaded.dataset.facts}
    for name, spec in book.file.audiences.items():
        base = ["audiences", name]
        if spec.theme != "default" and spec.theme not in book.file.themes:
            problem(
                base + ["theme"],
                f"unknown theme {spec.theme!r}; the config defines: {', '.join(['default', *book.file.themes])}",
            )
        exists(spec.templates, base + ["templates"], folder=True)
        exists(spec.pptx_template, base + ["pptx_template"], folder=False)
        names = {**(book.file.project.deck_layouts or {}), **(spec.deck_layouts or {})}
        master = book.base_dir / spec.pptx_template if spec.pptx_template else None
        have: list[str] | None = None
        if master is not None and master.is_file():
            try:  # opened within the project's budgets: its parts, then its pictures
                have = _layout_names(master, book.limits)
            except DataError as error:
                problem(base + ["pptx_template"], error.problems[0].message)
                continue
            except AssetError as error:  # a picture past its budget
                problem(base + ["pptx_template"], str(error))
                continue
        if names and master is not None and master.is_file():
            for role, wanted in names.items():
                if have is not None and wanted not in have:
                    loc = (
                        base + ["deck_layouts", role]
                        if role in (spec.deck_layouts or {})
                        else ["project", "deck_layouts", role]
                    )
                    problem(
                        loc,
                        f"{spec.pptx_template} has no slide layout named “{wanted}”; its layouts are: "
                        f"{', '.join(f'“{n}”' for n in have)}",
                    )
        if section_ids is not None:
            for section in spec.sections or ():
                if section not in section_ids:
                    problem(
                        base + ["sections"],
                        f"the dataset has no section {section!r}; its sections: {', '.join(section_ids)}",
                    )
            for fact in spec.key_figures or ():
                if fact not in (fact_ids or set()):
                    problem(base + ["key_figures"], f"the dataset has no fact {fact!r}")
    return problems


def _layout_names(path: Path, limits) -> list[str] | None:
    """The slide layout names of a .pptx or .potx master (None when it cannot be read: the build
    says why). Raises :class:`DataError` for parts past ``limits``, :class:`AssetError`
    for a picture past them."""
    from ..render.deck.layouts import open_template

    try:
        prs = open_template(path, limits)
    except TemplateError:
        return None
    return list(dict.fromkeys(layout.name for master in prs.slide_masters for layout in master.slide_layouts))


def _check_glyphs(loaded, book, themes: list[tuple[str, str]]) -> list[Problem]:
    """Every character of the dataset's text has a glyph in the fonts of every theme in use,
    for each Chinese script it is printed in (``themes``: the theme's name and ``zh-Hans``,
    ``zh-Hant``, ``zh-HK`` or ``zh-TW``): a Traditional edition's text as it converts, in
    the Traditional faces it draws with."""
    shown = display_path(loaded.path)
    texts = list(_strings(loaded.dataset.model_dump(mode="json", by_alias=True)))
    texts += [text for words in LABELS.values() for text in words.values()]
    problems: list[Problem] = []
    reported: set[str] = set()
    lines = loaded.path.read_text(encoding="utf-8", errors="replace").splitlines()
    converted: dict[str, list[str]] = {"zh-Hans": texts}
    for name, script in themes:
        try:
            theme = theme_from(name, book.file.themes if book else {}, book.base_dir if book else Path.cwd())
            if script not in converted:
                from ..lang.traditional import converter

                convert = converter(script)
                converted[script] = list(dict.fromkeys(texts + [convert(text) for text in texts]))
            missing = missing_characters(converted[script], require_fonts(theme.fonts.for_chinese(script).families))
        except UsageError:
            continue  # an unknown theme: reported with the audiences
        except ReportError as error:
            problems.append(Problem(shown, None, "", f"theme {name!r}: {error}"))
            continue
        for char in missing:
            if char in reported:
                continue
            reported.add(char)
            line = next((number for number, text in enumerate(lines, 1) if char in text), None)
            families = theme.fonts.for_chinese(script).families
            problems.append(
                Problem(
                    shown,
                    line,
                    "",
                    f"no font of theme {name!r} draws {char!r} {describe(char)} "
                    f"({', '.join(families)}); it would print as a box",
                )
            )
    return problems


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _template_folders(book) -> list[Path]:
    folders = []
    # Audiences' folders first: one may lie inside the project's, and its templates are
    # checked as its audience's build finds them (each file once).
    for value in [*(spec.templates for spec in book.file.audiences.values()), book.file.project.templates]:
        if value and (book.base_dir / value).is_dir():
            folders.append((book.base_dir / value).resolve())
    return list(dict.fromkeys(folders))


def _asset_folders(book) -> list[Path]:
    return [(book.base_dir / value) for value in book.file.project.assets if (book.base_dir / value).is_dir()]


def _check_links(folders: list[Path]) -> list[Problem]:
    """A problem for each symbolic link in ``folders`` (template and asset folders) whose
    target is outside its folder, or that is no regular file: a build refuses to read it
    (templates' loader, the PDF's URL fetcher). Links are not followed while looking."""
    problems: list[Problem] = []
    for folder in folders:
        for top, dirs, files in os.walk(folder):
            for name in [*dirs, *files]:
                path = Path(top) / name
                if path.is_symlink():
                    why = outside_link(path, folder)
                    if why:
                        problems.append(Problem(display_path(path), None, "", why))
    return problems


def _user_templates(folders: list[Path]) -> Iterable[tuple[Path, Path]]:
    seen: set[Path] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            if path not in seen:
                seen.add(path)
                yield folder, path


def _check_templates(folders: list[Path]) -> list[Problem]:
    """Each user template parses, and the templates it extends, includes or imports are
    found in its own folder or the built-ins (the order a build searches them)."""
    import jinja2
    import jinja2.meta

    problems: list[Problem] = []
    for folder, path in _user_templates(folders):
        shown = display_path(path)
        env = TemplateSet.builtin([folder]).environment()
        try:
            source = path.read_text(encoding="utf-8")
            tree = env.parse(source, name=str(path.relative_to(folder)), filename=str(path))
        except UnicodeDecodeError as error:
            problems.append(Problem(shown, None, "", f"not UTF-8 text ({error.reason}); save it as UTF-8"))
            continue
        except jinja2.TemplateSyntaxError as error:
            problems.append(Problem(shown, error.lineno, "", f"template syntax error: {error.message}"))
            continue
        for node in tree.find_all((jinja2.nodes.Pow, jinja2.nodes.Mul)):
            if isinstance(node.left, jinja2.nodes.Const) and isinstance(node.right, jinja2.nodes.Const):
                why = binop_refusal(
                    "**" if isinstance(node, jinja2.nodes.Pow) else "*", node.left.value, node.right.value
                )
                if why:
                    problems.append(Problem(shown, node.lineno, "", f"not allowed in a template: {why}"))
        known = set(env.list_templates())
        for name in jinja2.meta.find_referenced_templates(tree):
            if name is not None and name not in known:
                line = next((number for number, text in enumerate(source.splitlines(), 1) if name in text), None)
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        f"template {name!r} not found in {display_path(folder)} or the built-in templates",
                    )
                )
    return problems
