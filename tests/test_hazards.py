"""Untrusted content and text hazards.

Data and templates come from other people. HTML in the data prints literally;
templates run in Jinja's sandbox and cannot name files outside their folders; the
PDF writer fetches nothing but ``data:`` URIs and files under the folders in use,
and never touches the network. Text hazards are decided in one place
(:mod:`reporting.dataset.sanitize`): refused with the field path, or rendered correctly —
never a crash inside python-pptx, lxml or WeasyPrint, never a silent box.
"""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from reporting.pipeline.build import BuildOptions, Builder
from reporting.model.theme import Fonts, Theme
from reporting.cli import main
from reporting.errors import AssetError, DataError, TemplateError
from reporting.dataset.load import load_dataset
from reporting.dataset.sanitize import text_hazard
from reporting.lang.numbers import plain

pypdf = pytest.importorskip("pypdf")

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal.yaml"
WORD = "Supercalifragilistic" * 15  # 300 characters, no break opportunity
URL = "https://example.com/" + "/".join(["averyveryverylongpathsegment"] * 10) + "?q=" + "x" * 80
RTL_THEME = Theme(fonts=Fonts(body=("Noto Sans CJK SC", "Noto Sans Hebrew", "Noto Sans Arabic")))


def variant(tmp_path: Path, *edits: tuple[str, str], name: str = "data.yaml") -> Path:
    """The minimal dataset with each ``old -> new`` edit applied once."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


LEAD = 'lead: {zh: "用户{users}。", en: "{users}."}'
SUBTITLE = "subtitle: {zh: 副标题, en: Subtitle}"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def output(result, suffix: str) -> Path:
    return next(path for path in result.outputs if path.suffix == suffix)


# ----------------------------------------------------------------- the sanitizer's rules


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("bell\x07", "control character U+0007 BELL"),
        ("nul\x00", "control character U+0000 NULL"),
        ("cr\r", "U+000D CARRIAGE RETURN"),
        ("del\x7f", "U+007F DELETE"),
        ("c1\x85", "U+0085 NEXT LINE"),
        ("c1\x9b", "control character U+009B"),
        ("x\ud800", "lone surrogate U+D800"),
        ("x\udfff", "lone surrogate U+DFFF"),
        ("x\ud83d\ude00", "write \\U0001F600"),
        ("\ufffe", "noncharacter U+FFFE"),
        ("\uffff", "noncharacter U+FFFF"),
        ("\ufdd0", "noncharacter U+FDD0"),
        ("\U0010ffff", "noncharacter U+10FFFF"),
        ("\ue000", "private-use character U+E000"),
        ("\U000f0000", "private-use character U+F0000"),
        ("\u0378", "unassigned code point U+0378"),
    ],
)
def it_refuses_characters_no_document_can_hold(text, fragment):
    assert fragment in (text_hazard(text) or "")


@pytest.mark.parametrize(
    "text",
    [
        "tab\tand\nnewline",
        "zero\u200bwidth space, soft\u00adhyphen, joiner\u200d",
        "marks \u200f\u200e and isolates \u2067\u2069",
        "שלום עולם", "مرحبا بالعالم",
        "emoji 😀 👩‍💻 ❤️",
        WORD, URL, "<script>alert(1)</script> & \"quotes\" 'single'",
        "中文、日本語、한국어",
    ],
)
def it_accepts_text_that_can_be_drawn(text):
    assert text_hazard(text) is None


def it_names_the_field_and_line_of_a_refused_character(tmp_path):
    path = variant(tmp_path, (SUBTITLE, 'subtitle: {zh: 副标题, en: "Sub\\x1btitle"}'))
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (6, "report.subtitle.en")
    assert "U+001B ESCAPE at character 4" in problem.message


# ------------------------------------------------------------ HTML in the data prints as text


@pytest.fixture(scope="module")
def markup_build(tmp_path_factory, builder):
    folder = tmp_path_factory.mktemp("markup")
    path = variant(
        folder,
        (SUBTITLE, "subtitle: {zh: 副标题, en: \"<script>alert(1)</script> & <b>bold</b>\"}"),
        (LEAD, 'lead: {zh: "用户{users}。", en: "{users} <img src=x onerror=alert(1)> \\"quoted\\" & \'single\'."}'),
    )
    return builder.build(path, BuildOptions(formats=("html", "pdf"), edition="en", out_dir=folder / "out"))


@pytest.mark.slow
def it_escapes_html_from_the_data(markup_build):
    html = output(markup_build, ".html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &#34;quoted&#34; &amp; &#39;single&#39;" in html


@pytest.mark.slow
def it_prints_html_from_the_data_literally_in_the_pdf(markup_build):
    text = re.sub(r"\s+", " ", pdf_text(output(markup_build, ".pdf")))
    assert "<script>alert(1)</script> & <b>bold</b>" in text
    assert "<img src=x onerror=alert(1)>" in text


# ------------------------------------------------------------------ templates: the sandbox


def override(tmp_path: Path, body: str, name: str = "brief/brief.html") -> Path:
    folder = tmp_path / "templates"
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return folder


def cover_note(snippet: str) -> str:
    return '{% extends "brief/base.html" %}{% block cover_note %}' + snippet + "{% endblock %}"


def build_html(tmp_path: Path, templates: Path, data: Path = MINIMAL):
    with Builder() as builder:
        return builder.build(data, BuildOptions(formats=("html",), out_dir=tmp_path / "out",
                                                template_dirs=(templates,)))


@pytest.mark.parametrize(
    ("snippet", "fragment"),
    [
        ("{{ report.__class__.__mro__ }}", "unsafe"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ report.title.get.__globals__ }}", "unsafe"),
        ("{{ labels.clear() }}", "unsafe"),
        ("{{ cycler.__init__.__globals__.os }}", "unsafe"),
    ],
)
def it_runs_templates_in_the_sandbox(tmp_path, snippet, fragment):
    templates = override(tmp_path, cover_note(snippet))
    with pytest.raises(TemplateError, match=fragment) as caught:
        build_html(tmp_path, templates)
    assert "brief.html:1" in str(caught.value)


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "brief/../../outside.html", "..\\..\\etc\\passwd"])
def it_refuses_template_names_that_leave_their_folder(tmp_path, name):
    (tmp_path / "outside.html").write_text("SECRET", encoding="utf-8")
    templates = override(tmp_path, cover_note('{% include "' + name.replace("\\", "\\\\") + '" %}'))
    with pytest.raises(TemplateError) as caught:
        build_html(tmp_path, templates)
    assert "refused" in str(caught.value) or "not found" in str(caught.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def it_looks_up_absolute_template_names_inside_the_folders(tmp_path):
    templates = override(tmp_path, cover_note('{% include "/etc/hostname" %}'))
    with pytest.raises(TemplateError, match="not found"):
        build_html(tmp_path, templates)


def it_names_the_template_line_of_a_fault_in_an_expression(tmp_path):
    templates = override(tmp_path, cover_note("\n\n{{ 1 / 0 }}"))
    with pytest.raises(TemplateError, match=r"brief\.html:3: ZeroDivisionError"):
        build_html(tmp_path, templates)


def it_names_the_template_line_of_a_fault_in_library_code_the_template_called(tmp_path):
    """Jinja's ``lipsum`` given an empty range raises in the standard library's ``random``:
    still the template's fault, one line naming it (found by tests/test_hostile_generated.py)."""
    templates = override(tmp_path, cover_note("\n\n{{ lipsum(999, false, 999, 999) }}"))
    with pytest.raises(TemplateError, match=r"brief\.html:3: ValueError: empty range"):
        build_html(tmp_path, templates)


def it_renders_the_built_in_templates_in_the_sandbox(tmp_path):
    result = build_html(tmp_path, override(tmp_path, cover_note("<p class=note>{{ report.title.first.text }}</p>")))
    assert "<p class=note>年度简报</p>" in output(result, ".html").read_text(encoding="utf-8")


# ------------------------------------------------------- the PDF fetches nothing it should not


@pytest.fixture
def network(monkeypatch):
    """Every network access and every URL handed to WeasyPrint's own fetcher, recorded;
    the network itself is never reached. Recorded in this process only: the builds
    that use it render in this process (``Builder(parallel=False)``)."""
    from weasyprint.urls import URLFetcher

    attempts: list[str] = []
    fetched: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    return attempts, fetched


REFUSED = [
    ('<img src="https://example.com/x.png">', "https://example.com/x.png"),
    ('<img src="http://127.0.0.1:9/x.png">', "http://127.0.0.1:9/x.png"),
    ('<img src="ftp://example.com/x.png">', "ftp://example.com/x.png"),
    ('<img src="file:///etc/hostname">', "file:///etc/hostname"),
    ('<img src="../../../../../../../../etc/hostname">', "file:///etc/hostname"),
    ('<link rel="stylesheet" href="https://example.com/s.css">', "https://example.com/s.css"),
    ("<style>@import url(https://example.com/a.css);</style>", "https://example.com/a.css"),
    ("<style>.cover { background: url(file:///etc/passwd); }</style>", "file:///etc/passwd"),
    ("<style>@font-face { font-family: X; src: url(https://example.com/f.woff); } p { font-family: X; }</style>",
     "https://example.com/f.woff"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("snippet", "url"), REFUSED, ids=[url for _, url in REFUSED])
def it_refuses_remote_urls_and_other_local_paths(tmp_path, network, snippet, url):
    attempts, fetched = network
    templates = override(tmp_path, cover_note(snippet))
    with pytest.raises(AssetError) as caught:
        Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", template_dirs=(templates,)))
    assert url in str(caught.value) and "not allowed" in str(caught.value)
    assert attempts == [], "the network was touched"
    assert url not in fetched, "the refused URL reached the fetcher"
    assert not any((tmp_path / "out").iterdir()), "a file was left behind"


def it_forbids_the_preview_to_fetch_from_the_network(tmp_path, network):
    """The preview is written as the template makes it, remote image and all; its
    Content-Security-Policy keeps a browser from fetching anything but data: URIs and
    local files."""
    import re

    templates = override(tmp_path, cover_note('<img src="https://example.com/x.png">'))
    result = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("html",), out_dir=tmp_path / "out",
                                                   template_dirs=(templates,)))
    html = output(result, ".html").read_text(encoding="utf-8")
    assert 'src="https://example.com/x.png"' in html
    head = html[:html.index("<style>")]
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head).group(1)
    directives = dict(part.strip().split(None, 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("img-src", "style-src", "font-src"):
        sources = directives[name].split()
        assert not {"*", "http:", "https:"} & set(sources) and not any("//" in s for s in sources), name
    assert network == ([], [])  # nothing fetched while building the preview


@pytest.mark.slow
def it_fetches_data_uris_and_files_inside_the_template_folder(tmp_path, network):
    attempts, fetched = network
    pixel = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    import base64

    templates = override(tmp_path, cover_note(f'<img src="data:image/png;base64,{pixel}"><img src="dot.png">'))
    (templates / "dot.png").write_bytes(base64.b64decode(pixel))
    result = Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out",
                                                   template_dirs=(templates,)))
    assert output(result, ".pdf").stat().st_size > 0
    assert any(url.startswith("file://") and url.endswith("/templates/dot.png") for url in fetched)
    assert attempts == []


@pytest.mark.parametrize("url", ["file:etc/hostname", "file:///etc/hostname", "file://server{root}/etc/hostname"])
def it_reads_no_file_url_against_the_working_folder(tmp_path, monkeypatch, url):
    """Python 3.13.0's urljoin turns ``../`` climbing above the root into ``file:etc/hostname``
    (RFC 3986 stops at the root: ``file:///etc/hostname``). Read against the working folder,
    that path would be a file of the project when the build runs in an allowed folder. A
    file on another host is never a project file, whatever its path."""
    from weasyprint.urls import FatalURLFetchingError

    from reporting.render.pdf import _guarded_fetcher_class

    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "hostname").write_text("a project file, not the machine's")
    monkeypatch.chdir(tmp_path)
    url = url.format(root=tmp_path)
    refused = []
    fetcher = _guarded_fetcher_class()([tmp_path], refused)
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(url)
    assert refused == [url.replace("file:etc", "file:///etc")]


@pytest.mark.slow
def it_names_an_allowed_file_that_does_not_exist(tmp_path, network):
    templates = override(tmp_path, cover_note('<img src="missing.png">'))
    with pytest.raises(AssetError, match=r"cannot be read.*missing\.png"):
        Builder(parallel=False).build(MINIMAL, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", template_dirs=(templates,)))


# ------------------------------------------------------------------ long words, RTL, emoji


@pytest.fixture(scope="module")
def long_words(tmp_path_factory, builder):
    """A 300-character word in a title, a lead, a label and a talking point; a long URL;
    Hebrew and Arabic text with a theme that has fonts for them."""
    folder = tmp_path_factory.mktemp("long")
    path = variant(
        folder,
        ("title: {zh: 概览, en: Overview}", f'title: {{zh: 概览, en: "Overview {WORD[:120]}"}}'),
        (LEAD, f'lead: {{zh: "用户{{users}}。{WORD}", en: "{{users}} {WORD}. Hebrew: שלום עולם, Arabic: مرحبا بالعالم."}}'),
        ("label: {zh: 用户, en: users}", f'label: {{zh: 用户, en: "users {WORD[:200]}"}}'),
        ("    paragraphs: 10\n", f'    paragraphs: 10\n    url: "{URL}"\n'),
        ('      - {zh: "用户{users:number}", en: "{users}"}', f'      - {{zh: "用户{{users:number}}", en: "{{users}} {WORD}"}}'),
    )
    return builder.build(path, BuildOptions(formats=("pdf", "html", "pptx"), out_dir=folder / "out", theme=RTL_THEME))


def overflowing_text(html: str) -> list[tuple[int, str, float]]:
    """Text boxes that run past the content area of their page (pt beyond the edge)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page in enumerate(HTML(string=html).render().pages, 1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width

        def walk(box):
            if isinstance(box, boxes.MarginBox):
                return  # running headers and page numbers live in the margins
            if isinstance(box, boxes.TextBox):
                beyond = max(box.position_x + box.width - right, left - box.position_x)
                if beyond > 0.5:
                    found.append((number, box.text[:30], beyond))
            for child in getattr(box, "children", None) or ():
                walk(child)

        walk(page_box)
    return found


@pytest.mark.slow
def it_breaks_long_words_and_urls_inside_the_page(long_words):
    html = output(long_words, ".html").read_text(encoding="utf-8")
    assert WORD in html and "averyveryverylongpathsegment" in html
    assert overflowing_text(html) == []
    text = re.sub(r"\s+", "", pdf_text(output(long_words, ".pdf")))
    assert WORD in text  # broken across lines, every character kept


@pytest.mark.slow
def it_keeps_long_words_inside_the_slides(long_words):
    from pptx import Presentation

    deck = Presentation(str(output(long_words, ".pptx")))
    text = ""
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
            if shape.has_text_frame:
                text += shape.text_frame.text
    assert "Supercalifragilistic" * 3 in text.replace("\n", "").replace("\v", "")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def it_keeps_long_words_inside_their_boxes_as_libreoffice_draws_them(long_words, tmp_path):
    import drawn_text  # tests/drawn_text.py

    shapes = drawn_text.mark(output(long_words, ".pptx"), tmp_path / "marked.pptx")
    [pdf] = drawn_text.convert([tmp_path / "marked.pptx"], tmp_path)
    assert drawn_text.outside_their_boxes(pdf, shapes) == []


def it_wraps_a_300_character_word_between_characters():
    from reporting.render.deck.textfit import Measurer, wrap

    measurer = Measurer("Noto Sans", "Noto Sans CJK SC")
    lines = wrap(f"A {WORD} and {URL}", 200.0, 12.0, measurer)
    assert "".join(lines).replace(" ", "") == f"A{WORD}and{URL}"
    assert all(measurer.width(line, 12.0) <= 200.0 for line in lines)
    assert len(lines) > 5


@pytest.mark.slow
def it_draws_right_to_left_text_with_a_theme_that_has_its_fonts(long_words):
    text = pdf_text(output(long_words, ".pdf"))
    for letter in "שלוםمرحب":
        assert letter in text


def it_reports_right_to_left_text_the_default_fonts_cannot_draw(builder, tmp_path):
    path = variant(tmp_path, (LEAD, 'lead: {zh: "用户{users}。", en: "{users}, שלום."}'))
    with pytest.raises(AssetError) as caught:
        builder.build(path, BuildOptions(formats=("html",), out_dir=tmp_path / "out"))
    message = str(caught.value)
    assert "U+05E9 HEBREW LETTER SHIN (in sections[0].lead.en, line 47)" in message
    assert not (tmp_path / "out").exists(), "the font check runs before anything is written"


def it_reports_an_emoji_no_font_draws_with_field_and_line(tmp_path):
    path = variant(tmp_path, ("label: {zh: 增长, en: growth}", "label: {zh: 增长, en: growth 📈}"))
    result = CliRunner().invoke(main, ["--data", str(path), "--format", "pptx", "--out", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "U+1F4C8 CHART WITH UPWARDS TREND (in facts[1].label.en, line 32)" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def it_renders_tabs_newlines_and_invisible_format_characters(builder, tmp_path):
    path = variant(
        tmp_path,
        (LEAD, 'lead: {zh: "用户\\t{users}。\\n第二行", en: "{users}\\u200b with\\u00adsoft\\u200dhyphen,\\u200f marks\\tand\\nlines."}'),
    )
    result = builder.build(path, BuildOptions(formats=("html", "pptx"), out_dir=tmp_path / "out"))
    assert len(result.outputs) == 2


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("edit", "field", "fragment"),
    [
        (("value: 2500000", "value: 1.0e+15"), "facts[0].value", "below 10^15"),
        (("value: 2500000", "value: .nan"), "facts[0].value", "not a finite number"),
        (("value: 12.5", "value: -.inf"), "facts[1].value", "not a finite number"),
        # growth of -99.9999999% makes the year before 2.5e15 users: derived, still refused
        (("value: 12.5\n    unit: percent\n", "value: -99.9999999\n    unit: signed_percent\n"),
         "facts[2].derived", "derived as"),
    ],
)
def it_refuses_figures_that_cannot_be_printed(tmp_path, edit, field, fragment):
    edits = [edit]
    if "signed_percent" in edit[1]:
        edits.append(('  percent: {zh: "%", en: "%", attach: true, kind: percent}\n',
                      '  percent: {zh: "%", en: "%", attach: true, kind: percent}\n'
                      '  signed_percent: {zh: "%", en: "%", attach: true, kind: percent, signed: true}\n'))
    with pytest.raises(DataError) as caught:
        load_dataset(variant(tmp_path, *edits))
    assert any(p.field == field and fragment in p.message for p in caught.value.problems), caught.value


def it_reports_a_date_derived_beyond_year_9999(tmp_path):
    path = variant(
        tmp_path,
        ("key_figures:", "  - id: days\n    value: 5000000\n    unit: users\n    label: {zh: 天, en: days}\n"
                         "    source: {ref: report, paragraph: 2}\n"
                         "  - id: far\n    value: 1\n    unit: users\n    label: {zh: 远, en: far}\n"
                         "    source: {ref: report, paragraph: 2}\n"
                         "    derived: {method: date_after, from: [users, days], note: {zh: 推算, en: derived}}\n"
                         "key_figures:"),
    )
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    [problem] = caught.value.problems
    assert problem.field == "facts[4].derived"


def it_prints_the_largest_allowed_figure(builder, tmp_path):
    path = variant(tmp_path, ("value: 2500000", "value: 999999999999999"))
    result = builder.build(path, BuildOptions(formats=("html",), out_dir=tmp_path / "out"))
    html = plain(output(result, ".html").read_text(encoding="utf-8"))
    assert "1000万亿" in html or "999.99万亿" in html or "1,000 trillion" in html


def it_applies_the_same_text_rules_to_the_project_config(tmp_path):
    """Cover titles in report.toml reach the deck too: a noncharacter would crash lxml."""
    (tmp_path / "report.toml").write_text(
        f'[project]\ndataset = "{MINIMAL}"\n[audiences.a]\ndescription = "x"\n'
        'cover.title = {zh = "标题\\uFFFF", en = "Title\\u0007"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "--audience", "a", "--format", "pptx",
                                       "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "report.toml: audiences.a.cover.title.zh: noncharacter U+FFFF" in result.output
    assert "audiences.a.cover.title.en: control character U+0007 BELL" in result.output
