"""PDF documents (WeasyPrint, A4): rendered from templates under ``templates/<app>/pdf/``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``template`` to PDF bytes in the given language (default: the site language)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
