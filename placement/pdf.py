"""PDF documents (WeasyPrint, A4): rendered from templates under ``templates/<app>/pdf/``.

Every PDF is rendered with ``StaticOnlyURLFetcher``: WeasyPrint may read ``data:`` URLs and the
app's own static files, nothing else (no http(s), no other file on the server), so no text in
a document can make the server fetch a URL or embed a local file. User text is never put into
CSS either: page headers are running elements (``position: running()``) holding escaped HTML.

Every PDF is tagged and made as PDF/UA-1 (accessible: a structure tree screen readers follow,
the document language from ``<html lang>``, the ``<title>`` as the title a viewer shows).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


def static_roots() -> list[Path]:
    """The directories a PDF may read files from: the app's static files."""
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class StaticOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that allows ``data:`` URLs and ``file:`` URLs inside the static
    directories, and refuses everything else (refused URLs are logged and listed in
    ``refused``; WeasyPrint then renders without the resource)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allowed_protocols", ("data", "file"))
        kwargs.setdefault("allow_redirects", False)
        super().__init__(**kwargs)
        self.roots = static_roots()
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path)).resolve()
        return any(path.is_relative_to(root) for root in self.roots) and path.is_file()

    def fetch(self, url, headers=None):
        if not self.allows(url):
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %r", url[:200])
            raise ValueError("URL not allowed in PDF documents")
        return super().fetch(url, headers)


# Tagged PDF for accessibility (EN 301 549 / WCAG): structure tree, language, title shown.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template`` to a tagged PDF/UA-1 document in the given language (default: the
    site language). Relative URLs resolve against the static directory; only static files and
    data: URLs load. The template sets ``<html lang>`` and ``<title>``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    base_url = static_roots()[0].as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    # Kept out of caches like every signed-in response (config.middleware.NoStoreForSignedIn...).
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
