"""The page the preview serves: the report's own HTML, with a toolbar, the problems of
a bad edit and the refresh script added around its content (never inside it).

The report's Content-Security-Policy stays as the template wrote it, with two
directives added for the refresh script: ``script-src 'self'`` (the script is a file
of this server; no inline script) and ``connect-src 'self'`` (its event stream and
the fetch of the new page). The same policy goes in the response header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from ..lang.editions import Edition
from .inputs import Selection

SCRIPT_PATH = "/_preview/refresh.js"
EVENTS_PATH = "/_preview/events"
VERSION_META = "reporting-preview-version"

DEFAULT_POLICY = "default-src 'none'; img-src data: file:; style-src 'unsafe-inline' file:; font-src data: file:"
"""The built-in templates' policy: for a page whose template sets none."""

_CSP_META = re.compile(
    r"""<meta\s+http-equiv\s*=\s*["']content-security-policy["']\s+content\s*=\s*(["'])(.*?)\1\s*/?>""",
    re.IGNORECASE | re.DOTALL,
)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)

EDITION_NAMES = {edition.value: edition.display_name for edition in Edition}
"""Every edition by its own name (``zh-en`` is ``bilingual``), as the menu offers them."""

STYLE = """
#reporting-preview, #reporting-preview * { all: revert; box-sizing: border-box; }
#reporting-preview { all: initial; display: block; position: sticky; top: 0; z-index: 2147483646;
  font: 13px/1.4 system-ui, sans-serif; color: #1d1d1f; background: #f4f4f6; border-bottom: 1px solid #c8c8cc; }
#reporting-preview form { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0; padding: 6px 12px; }
#reporting-preview label { display: inline-flex; gap: 4px; align-items: center; }
#reporting-preview select, #reporting-preview button { font: inherit; }
#reporting-preview a { color: #0b57d0; }
#reporting-preview .status { margin-left: auto; color: #5f6368; }
#reporting-preview-problems { all: initial; display: block; position: fixed; left: 16px; right: 16px; top: 52px;
  max-height: 60vh; overflow: auto; z-index: 2147483647; padding: 12px 16px; font: 13px/1.5 system-ui, sans-serif;
  color: #3c0d0d; background: #fdecea; border: 2px solid #b3261e; border-radius: 6px;
  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.25); }
#reporting-preview-problems h2 { all: revert; margin: 0 0 8px; font-size: 15px; }
#reporting-preview-problems ul { all: revert; margin: 0; padding-left: 18px; }
#reporting-preview-problems code { all: revert; font: 12.5px/1.5 ui-monospace, monospace; white-space: pre-wrap;
  overflow-wrap: anywhere; }
@media print { #reporting-preview, #reporting-preview-problems { display: none !important; } }
"""


@dataclass(frozen=True)
class Toolbar:
    """What the toolbar offers: the audiences to switch to, the current selection, and
    the audience's own edition (shown on the edition menu's first entry)."""

    selection: Selection
    audiences: tuple[str, ...]
    own_edition: str | None = None


def refresh_policy(policy: str) -> str:
    """``policy`` with ``script-src 'self'`` and ``connect-src 'self'`` in place of any it had."""
    kept = [part.strip() for part in policy.split(";") if part.strip()]
    kept = [part for part in kept if part.split()[0].lower() not in ("script-src", "connect-src")]
    return "; ".join([*kept, "script-src 'self'", "connect-src 'self'"])


def page_policy(html: str) -> str:
    """The policy the page's own template sets (the built-in one when it sets none)."""
    match = _CSP_META.search(html)
    return match.group(2) if match else DEFAULT_POLICY


def selection_url(path: str, selection: Selection) -> str:
    query = urlencode(selection.query())
    return f"{path}?{query}" if query else path


def compose(html: str | None, problems: list[str], version: int, toolbar: Toolbar) -> tuple[str, str]:
    """The served page and its Content-Security-Policy: ``html`` (the last good render,
    or an empty page when there was none) with the refresh script, the toolbar and,
    when ``problems``, the overlay listing them."""
    good = html is not None
    if html is None:
        html = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>make-report preview</title>\n</head>\n<body>\n</body>\n</html>\n"
        )
    policy = refresh_policy(page_policy(html))
    if _CSP_META.search(html):
        html = _CSP_META.sub(
            lambda m: f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">', html, count=1
        )
    head = (
        f'<meta name="{VERSION_META}" content="{version}">\n'
        f'<script src="{SCRIPT_PATH}" defer></script>\n<style id="reporting-preview-style">{STYLE}</style>\n'
    )
    html = _insert_before(_HEAD_END, html, head)
    html = _insert_after(_BODY, html, "\n" + toolbar_html(toolbar) + overlay_html(problems, good))
    return html, policy


def _insert_before(pattern: re.Pattern, html: str, text: str) -> str:
    match = pattern.search(html)
    if match is None:  # a template without the tag: the browser makes one around it
        return text + html
    return html[: match.start()] + text + html[match.start() :]


def _insert_after(pattern: re.Pattern, html: str, text: str) -> str:
    match = pattern.search(html)
    if match is None:  # a template without the tag: the browser makes one around it
        return text + html
    return html[: match.end()] + text + html[match.end() :]


def toolbar_html(toolbar: Toolbar) -> str:
    """The toolbar: a plain form (it works without the script, which submits it on change)."""
    current = toolbar.selection
    audiences = [("default", "default (every section)")] + [(name, name) for name in toolbar.audiences]
    audience_options = "".join(
        f'<option value="{escape(value)}"{" selected" if (current.audience or "default") == value else ""}>'
        f"{escape(label)}</option>"
        for value, label in audiences
    )
    own = f"the audience's ({EDITION_NAMES.get(toolbar.own_edition, '')})" if toolbar.own_edition else "the audience's"
    edition_options = (
        f'<option value=""{" selected" if current.edition is None else ""}>{escape(own)}</option>'
        + "".join(
            f'<option value="{value}"{" selected" if current.edition == value else ""}>{escape(EDITION_NAMES[value])}</option>'
            for value in EDITION_NAMES  # each edition once, by its own name (zh-en is bilingual)
        )
    )
    pdf = escape(selection_url("/brief.pdf", current))
    deck = escape(selection_url("/deck.pptx", current))
    return (
        '<div id="reporting-preview" lang="en" data-nosnippet>'
        '<form method="get" action="/" aria-label="make-report preview">'
        f'<label>Audience <select name="audience">{audience_options}</select></label>'
        f'<label>Edition <select name="lang">{edition_options}</select></label>'
        '<button type="submit">Show</button>'
        f'<a href="{pdf}">brief.pdf</a><a href="{deck}" download>deck.pptx</a>'
        '<span class="status" role="status">static page (no live refresh)</span>'
        "</form></div>\n"
    )


def overlay_html(problems: list[str], over_page: bool = True) -> str:
    """The problems over the page (``over_page``: the last good render, else none yet),
    one ``FILE:LINE: field: message`` each; no problems: nothing."""
    if not problems:
        return ""
    count = len(problems)
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in problems)
    below = (
        "the page below is the last good render" if over_page else "no render yet: the page appears once they are fixed"
    )
    return (
        '<section id="reporting-preview-problems" role="alert" lang="en">'
        f"<h2>{count} problem{'s' if count != 1 else ''} in the input; {below}</h2>"
        f"<ul>{items}</ul></section>\n"
    )


def problems_page(title: str, problems: list[str]) -> str:
    """A small page for an output that could not be built (the PDF or deck links)."""
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in problems)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><h1>{escape(title)}</h1><ul>{items}</ul><p><a href="/">Back to the preview</a></p></body></html>\n'
    )
