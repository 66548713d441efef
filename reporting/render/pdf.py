"""The brief as PDF: WeasyPrint over the brief's HTML.

Fonts are embedded and subset (HarfBuzz when ``libharfbuzz-subset0`` is present,
far faster than the fontTools fallback on CJK fonts: docs/contributing/tests.md, Dependencies). Resources are
fetched only from ``data:`` URIs and the folders the build allows; any other URL,
remote or local, is refused and named.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping
from urllib.parse import unquote, urlparse, urlunparse

from ..errors import AssetError
from ..gctuning import collect_less
from .libsearch import import_weasyprint
from .pdf_lang import tagging_languages

if TYPE_CHECKING:  # a type only: WeasyPrint is imported when the first PDF is made
    from weasyprint.text.fonts import FontConfiguration


def _guarded_fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class GuardedURLFetcher(URLFetcher):
        """Allows ``data:`` URIs and ``file:`` URLs under ``roots``; refuses the rest loudly."""

        def __init__(self, roots: Iterable[Path], refused: list[str]):
            super().__init__(allowed_protocols=("data", "file"), fail_on_errors=True)
            self._roots = tuple(Path(root).resolve() for root in roots)
            self._refused = refused

        def fetch(self, url, headers=None):
            parts = urlparse(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                if not parts.path.startswith("/"):
                    # A reference climbing above the root ("../../../etc/x") stops at the root
                    # (RFC 3986, 5.2.4), but Python 3.13.0's urljoin drops the root instead and
                    # gives "file:etc/x", which urllib would read from the working folder.
                    url = urlunparse(parts._replace(netloc="", path="/" + parts.path))
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(root) for root in self._roots):
                    return super().fetch(url, headers)
            self._refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch {url}: only data: URIs and project files are allowed")

    return GuardedURLFetcher


class _ScreenQueries(logging.Filter):
    """Drops WeasyPrint's warnings about the screen stylesheet's media queries
    (``screen and (max-width: …)``): WeasyPrint reads media types only and skips those
    rules, which are meant for browsers, as a print renderer should."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("media type" in message and "screen" in message)


_SCREEN_QUERIES = _ScreenQueries()


@contextlib.contextmanager
def _quiet_screen_queries():
    logger = logging.getLogger("weasyprint")
    logger.addFilter(_SCREEN_QUERIES)
    try:
        yield
    finally:
        logger.removeFilter(_SCREEN_QUERIES)


def _fatal_fetch_error() -> type[BaseException]:
    from weasyprint.urls import FatalURLFetchingError

    return FatalURLFetchingError


class PdfWriter:
    """Renders HTML to PDF; holds one font configuration for every document it writes
    with the same allowed folders (fonts are loaded once, not once per document; a
    font a document loaded from its folders is never offered to a document that may
    not read them).

    Creating one imports WeasyPrint (about half a second), so ``make-report --help``,
    which never makes one, stays fast.
    """

    def __init__(self):
        import_weasyprint()  # the slow part, done here, up front (and without a compiler: see libsearch)

        self._font_configs: dict[tuple[Path, ...], FontConfiguration] = {}

    def _font_config(self, allowed_roots: tuple[Path, ...]):
        from weasyprint.text.fonts import FontConfiguration

        if allowed_roots not in self._font_configs:
            self._font_configs[allowed_roots] = FontConfiguration()
        return self._font_configs[allowed_roots]

    def write(self, html: str, target: Path, **options) -> int:
        """Write ``html`` as PDF to ``target`` (see :meth:`render`); return the number of pages."""
        data, pages = self.render(html, **options)
        Path(target).write_bytes(data)
        return pages

    def render(
        self,
        html: str,
        *,
        allowed_roots: Iterable[Path] = (),
        base_url: Path | None = None,
        tagged: bool = True,
        when: dt.datetime | None = None,
        metadata: Mapping[str, str] | None = None,
        identifier: str | None = None,
    ) -> tuple[bytes, int]:
        """``html`` as PDF: the file's bytes and its number of pages. Writes nothing.

        Resources are read only from ``data:`` URIs and files under ``allowed_roots``
        (folders); anything else fails the document with :class:`AssetError`.

        ``tagged`` (the default) writes a tagged PDF: a structure tree (headings, paragraphs, lists, tables,
        figures with their ``alt``), ``/MarkInfo``, the document ``/Lang`` and title, and the
        ``/Lang`` of every element with a ``lang`` of its own (:mod:`reporting.render.pdf_lang`).
        ``when`` is written as the creation and modification time (default: the HTML's
        ``dcterms.created``); ``identifier`` seeds the first half of the file ``/ID``
        (the second half hashes the content), so the same input gives the same bytes.
        ``metadata`` adds document information entries (keys: letters and digits).
        """
        from weasyprint import HTML

        # Tagged, without claiming PDF/UA-1 conformance in the metadata: no checker of the whole
        # PDF/UA-1 profile runs here, so the claim could not be verified (docs/guides/html-edition.md).
        variant = {"pdf_tags": True} if tagged else {}
        refused: list[str] = []
        allowed_roots = tuple(Path(root) for root in allowed_roots)
        fetcher = _guarded_fetcher_class()(allowed_roots, refused)
        try:
            with collect_less(), _quiet_screen_queries():  # WeasyPrint allocates in bulk: see reporting.gctuning
                document = HTML(
                    string=html,
                    base_url=str(base_url) if base_url else None,
                    url_fetcher=fetcher,
                ).render(font_config=self._font_config(allowed_roots), **variant)
                if when is not None:
                    stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                    document.metadata.created = document.metadata.modified = stamp
                # Only the entries given: WeasyPrint would also copy every other <meta> of the HTML.
                document.metadata.custom = dict(metadata or {})
                with tagging_languages() if tagged else contextlib.nullcontext():
                    data = document.write_pdf(
                        uncompressed_pdf=False,
                        custom_metadata=bool(metadata),
                        pdf_identifier=hashlib.md5(identifier.encode("utf-8")).hexdigest().encode()
                        if identifier
                        else None,
                        **variant,
                    )
                pages = len(document.pages)
                del document  # its layout is garbage now: collected as the block ends, see gctuning
        except (Exception, _fatal_fetch_error()) as error:
            # WeasyPrint raises its fatal fetch error as a BaseException: name the URL
            # instead. Other BaseExceptions (Ctrl-C, SystemExit) pass through untouched.
            if refused:
                raise AssetError(
                    f"the brief refers to a resource that is not allowed: {refused[0]} (nothing was "
                    f"fetched; only data: URIs, files under the template and asset folders and "
                    f"the theme's logo may be used: name more asset folders in report.toml's "
                    f"project.assets)"
                ) from None
            from weasyprint.urls import FatalURLFetchingError

            if isinstance(error, FatalURLFetchingError):
                # An allowed file that is missing or unreadable.
                cause = f": {error.__cause__}" if error.__cause__ else ""
                raise AssetError(f"the brief refers to a resource that cannot be read ({error}){cause}") from None
            raise
        return data, pages
