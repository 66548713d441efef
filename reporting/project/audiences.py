"""Audiences: who gets which sections, in which edition, theme, size and templates.

Audiences and themes are defined in the project config (``report.toml``)::

    [themes.civic]
    accent = "#1F5F8B"

    [audiences.press]
    description = "Overseas press: the full narrative in English"
    edition = "en"
    depth = "full"

Paths in the config (templates, pptx_template, logo) are relative to the config file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictInt, StringConstraints, ValidationError

from ..pipeline.build import BuildOptions
from ..model.theme import Fonts, Theme
from ..errors import DataError, Problem, UsageError, display_path, format_path
from ..dataset.facts import Id, Localized, Strict
from ..lang.editions import Edition
from ..lang.periods import DEFAULT_ENGLISH
from ..limits import DEFAULT_LIMITS, Limits
from .config import ProjectConfig

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


def _font_name(value: str) -> str:
    if not value.strip() or any(char in '"\\;{}<>' or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError(
            "a font family name, such as Noto Sans CJK SC: not empty, without quotes, "
            "backslashes, ; { } < > or control characters"
        )
    return value


FontName = Annotated[str, StringConstraints(max_length=100), AfterValidator(_font_name)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=40)]
EnglishStyle = Literal["en-GB", "en-US"]
"""The English styles (:data:`reporting.lang.periods.ENGLISH_STYLES`)."""

DEFAULT_AUDIENCE = "default"


class ThemeConfig(Strict):
    """A theme in ``report.toml``; unset values keep the built-in default theme's."""

    accent: Colour | None = None
    ink: Colour | None = None
    muted: Colour | None = None
    rule: Colour | None = None
    paper: Colour | None = None
    tint: Colour | None = None
    palette: list[Colour] | None = Field(None, min_length=2)
    body_fonts: list[FontName] | None = Field(None, min_length=1)
    heading_fonts: list[FontName] | None = Field(None, min_length=1)
    latin_font: FontName | None = None
    cjk_font: FontName | None = Field(None, description="East Asian typeface for PowerPoint (a:ea)")
    logo: str | None = Field(None, description="Image file, relative to the config file")


class Cover(Strict):
    title: Localized | None = None
    subtitle: Localized | None = None


DeckRole = Literal["title", "agenda", "key_figures", "chart", "points", "timeline", "sources", "closing"]
"""The slide roles of a deck (:class:`reporting.render.deck.layouts.Role`), for naming layouts."""
DeckLayouts = dict[DeckRole, Annotated[str, StringConstraints(min_length=1)]]


class AudienceConfig(Strict):
    description: str = Field(min_length=1, description="One line for `make-report audiences`")
    edition: Edition | None = Field(
        None,
        description="bilingual (Chinese first; also zh-en), en-zh (English first), zh or en "
        "(default: the dataset's edition, report.edition)",
    )
    depth: Literal["summary", "full"] = "full"
    sections: list[Id] | None = Field(None, description="Section ids in the order wanted; default all")
    key_figures: list[Id] | None = None
    theme: Name = "default"
    page_size: Literal["A4", "Letter"] = "A4"
    cover: Cover | None = None
    templates: str | None = Field(None, description="Folder of template overrides for this audience")
    pptx_template: str | None = None
    deck_layouts: DeckLayouts | None = Field(
        None,
        description="Slide layout of the pptx template per slide role, by name; "
        "other roles are found by their placeholders",
    )
    keep_template_slides: bool = Field(False, description="Keep the pptx template's own slides, before the deck's")
    max_slides: int | None = Field(None, ge=4)
    english: EnglishStyle | None = Field(
        None, description="English style of this audience's outputs, en-GB or en-US (default: the project's)"
    )
    figure_grids: bool = Field(
        False,
        description="Print a grid of each section's figures under it in the brief "
        "(by default each figure is printed where it serves: a tile, the text, a chart)",
    )
    audit_trail: bool = Field(
        False,
        description="Add an appendix to the brief listing every figure shown with "
        "where its source states it and the inputs of each derived figure",
    )


class ProjectSection(Strict):
    dataset: str
    templates: str | None = Field(None, description="Template overrides for every audience")
    assets: list[str] = Field(
        default_factory=list,
        description="Folders (relative to this file) whose files "
        "templates may use: images, fonts, stylesheets; templates read nothing else "
        "but the template folders and the built-in assets",
    )
    deck_layouts: DeckLayouts | None = Field(
        None, description="Slide layout of a pptx template per slide role, by name, for every audience"
    )
    english: EnglishStyle = Field(
        DEFAULT_ENGLISH,
        description="English style: en-GB (31 January 2024) or en-US (January 31, 2024), "
        "for dates and everything else written by locale; an audience may set its own",
    )


class LimitsConfig(Strict):
    """``[limits]``: the budgets of every input, each a whole number above zero; the
    fields and defaults of :class:`reporting.limits.Limits` (a test keeps them alike)."""

    yaml_nodes: StrictInt = Field(default=DEFAULT_LIMITS.yaml_nodes, gt=0)
    yaml_text_chars: StrictInt = Field(default=DEFAULT_LIMITS.yaml_text_chars, gt=0)
    text_chars: StrictInt = Field(default=DEFAULT_LIMITS.text_chars, gt=0)
    table_rows: StrictInt = Field(default=DEFAULT_LIMITS.table_rows, gt=0)
    file_bytes: StrictInt = Field(default=DEFAULT_LIMITS.file_bytes, gt=0)
    package_bytes: StrictInt = Field(default=DEFAULT_LIMITS.package_bytes, gt=0)
    package_part_bytes: StrictInt = Field(default=DEFAULT_LIMITS.package_part_bytes, gt=0)
    image_pixels: StrictInt = Field(default=DEFAULT_LIMITS.image_pixels, gt=0)
    template_steps: StrictInt = Field(default=DEFAULT_LIMITS.template_steps, gt=0)


class ProjectFile(Strict):
    project: ProjectSection
    themes: dict[Name, ThemeConfig] = {}
    audiences: dict[Name, AudienceConfig] = {}
    limits: LimitsConfig = LimitsConfig()


@dataclass(frozen=True)
class Audience:
    """One audience, resolved: its build options (paths absolute) and description."""

    name: str
    description: str
    options: BuildOptions
    config: AudienceConfig | None = None


def parse_project(config: ProjectConfig) -> ProjectFile:
    """Validate the whole config file; raise :class:`DataError` naming each bad field."""
    try:
        return ProjectFile.model_validate(config.raw)
    except ValidationError as error:
        text = config.path.read_text(encoding="utf-8")
        problems = []
        for item in error.errors(include_url=False):
            loc = [part for part in item["loc"] if not (isinstance(part, str) and "[" in part)]
            message = {"extra_forbidden": "unknown setting", "missing": "required setting is missing"}.get(
                item["type"], item["msg"]
            )
            problems.append(Problem(display_path(config.path), toml_line(text, loc), format_path(loc), message))
        raise DataError(problems) from None


def toml_line(text: str, loc: list) -> int | None:
    """Best-effort line of a TOML key: its table header, then the key inside it."""
    lines = text.splitlines()
    keys = [str(part) for part in loc if not isinstance(part, int)]
    best = None
    for depth in range(len(keys), 0, -1):
        header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, keys[:depth])) + r"\s*\]")
        for number, line in enumerate(lines, 1):
            if header.match(line):
                best = number
                rest = keys[depth:]
                if rest:
                    key = re.compile(r"^\s*" + re.escape(rest[0]) + r"\s*=")
                    for offset, after in enumerate(lines[number:], number + 1):
                        if after.lstrip().startswith("["):
                            break
                        if key.match(after):
                            return offset
                return best
    return best


def theme_from(name: str, themes: dict[str, ThemeConfig], base_dir: Path) -> Theme:
    """Build a :class:`Theme`; ``default`` is the built-in theme unless the config redefines it."""
    if name not in themes:
        if name == "default":
            return Theme()
        raise UsageError(f"unknown theme {name!r}; the config defines: {', '.join(['default', *themes])}")
    spec = themes[name]
    base = Theme()
    fonts = Fonts(
        body=tuple(spec.body_fonts or base.fonts.body),
        heading=tuple(spec.heading_fonts or base.fonts.heading),
        latin=spec.latin_font or base.fonts.latin,
        cjk=spec.cjk_font or base.fonts.cjk,
    )
    colours = {key: getattr(spec, key) for key in ("accent", "ink", "muted", "rule", "paper", "tint")}
    return Theme(
        name=name,
        **{key: value for key, value in colours.items() if value is not None},
        # Without a palette of its own, a theme's first series colour is its accent.
        palette=tuple(spec.palette) if spec.palette else (spec.accent or base.accent, *base.palette[1:]),
        fonts=fonts,
        logo=str((base_dir / spec.logo).resolve()) if spec.logo else None,
    )


class AudienceBook:
    """The audiences of one project config, resolved against its folder."""

    def __init__(self, config: ProjectConfig):
        self.config = config
        self.file = parse_project(config)
        self.base_dir = config.folder

    @property
    def limits(self) -> Limits:
        """The budgets of every input (the config's ``[limits]``, else the defaults)."""
        return Limits(**self.file.limits.model_dump())

    @property
    def names(self) -> list[str]:
        return list(self.file.audiences)

    def _path(self, value: str | None) -> Path | None:
        return (self.base_dir / value).resolve() if value else None

    def _project_templates(self) -> tuple[Path, ...]:
        folder = self._path(self.file.project.templates)
        return (folder,) if folder else ()

    def _asset_dirs(self) -> tuple[Path, ...]:
        return tuple(
            self._require_dir(value, f"project.assets[{index}]", "asset folder")
            for index, value in enumerate(self.file.project.assets)
        )

    def default(self, base: BuildOptions) -> Audience:
        """No audience named: everything, as the command-line options say."""
        options = replace(
            base,
            template_dirs=base.template_dirs + self._project_templates(),
            limits=self.limits,
            asset_dirs=base.asset_dirs + self._asset_dirs(),
            english=self.file.project.english,
            deck_layouts=self.deck_layouts(None),
        )
        return Audience(DEFAULT_AUDIENCE, "Every section, as the command-line options say", options)

    def get(self, name: str, base: BuildOptions) -> Audience:
        """Audience ``name`` built on ``base`` (out folder, formats, user template folders).

        Raises :class:`UsageError` listing the audiences that exist.
        """
        if name not in self.file.audiences:
            self.config.require_audience(name)
        spec = self.file.audiences[name]
        templates = [*base.template_dirs]
        if spec.templates:
            templates.append(self._require_dir(spec.templates, f"audiences.{name}.templates"))
        templates.extend(self._project_templates())
        pptx_template = base.pptx_template
        if pptx_template is None and spec.pptx_template:
            pptx_template = self._require_file(spec.pptx_template, f"audiences.{name}.pptx_template")
        options = replace(
            base,
            edition=spec.edition or base.edition,
            audience=name,
            sections=tuple(spec.sections) if spec.sections is not None else None,
            depth=spec.depth,
            key_figures=tuple(spec.key_figures) if spec.key_figures is not None else None,
            theme=theme_from(spec.theme, self.file.themes, self.base_dir),
            page_size=spec.page_size,
            template_dirs=tuple(templates),
            asset_dirs=base.asset_dirs + self._asset_dirs(),
            pptx_template=pptx_template,
            max_slides=spec.max_slides,
            cover_title=spec.cover.title if spec.cover else None,
            cover_subtitle=spec.cover.subtitle if spec.cover else None,
            english=spec.english or self.file.project.english,
            # A theme named in the config wins over a user master's look; without one the
            # deck takes the master's colours and fonts.
            theme_chosen="theme" in spec.model_fields_set,
            deck_layouts=self.deck_layouts(spec),
            keep_template_slides=spec.keep_template_slides,
            limits=self.limits,
            figure_grids=spec.figure_grids,
            audit_trail=spec.audit_trail,
        )
        return Audience(name, spec.description, options, spec)

    def deck_layouts(self, spec: AudienceConfig | None) -> tuple[tuple[str, str], ...]:
        """Role → layout name pairs: the project's, overridden role by role by the audience's."""
        names = dict(self.file.project.deck_layouts or {})
        if spec is not None:
            names.update(spec.deck_layouts or {})
        return tuple(names.items())

    def _require_dir(self, value: str, field: str, kind: str = "template folder") -> Path:
        path = (self.base_dir / value).resolve()
        if not path.is_dir():
            raise UsageError(f"{display_path(self.config.path)}: {field}: {kind} not found: {display_path(path)}")
        return path

    def _require_file(self, value: str, field: str) -> Path:
        path = (self.base_dir / value).resolve()
        if not path.is_file():
            raise UsageError(f"{display_path(self.config.path)}: {field}: file not found: {display_path(path)}")
        return path
