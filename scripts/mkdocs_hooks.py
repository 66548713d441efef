"""MkDocs hook: the docstrings' Sphinx roles (:class:`~reporting.errors.DataError`) read as code.

The docstrings are written for Sphinx-style roles, which mkdocstrings renders as Markdown
code with the role's name before it (``:class:`` then the path). This turns each into the
code alone: the last name with ``~`` (as Sphinx shows it), else the whole path.
"""

import re

_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj|const):<code>(~?)([^<]+)</code>")


def _shown(match: re.Match) -> str:
    short, path = match.group(1), match.group(2)
    return f"<code>{path.rsplit('.', 1)[-1] if short else path}</code>"


def on_page_content(html: str, **_kwargs) -> str:
    return _ROLE.sub(_shown, html)
