"""Download buttons: each export as XLSX or CSV, with the page's current filters.

A small export downloads at once (CSV streamed row by row); one of more than
``EXPORT_INLINE_MAX_ROWS`` rows is made in the background: the button then records a prepared
download and leads to its page, which shows the progress and offers the file when it is ready.
The PDFs of a period's invoices are always made in the background.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from downloads.services import download_prepare

from . import spreadsheet
from .exports import as_json, build, invoices_of_period

# Query keys of the page that are not filters.
NOT_FILTERS = ("format", "page", "sort", "per_page", "reset")


def _filters(request: HttpRequest, **objects) -> QueryDict:
    params = request.GET.copy()
    for key in NOT_FILTERS:
        params.pop(key, None)
    for key, value in objects.items():
        params[key] = str(value)
    return params


def _export(request: HttpRequest, name: str, **objects) -> HttpResponse:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in spreadsheet.FORMATS:
        raise Http404
    params = _filters(request, **objects)
    export = build(name, request.user, params)
    if export.count() > settings.EXPORT_INLINE_MAX_ROWS:
        download = download_prepare(
            owner=request.user,
            kind="export",
            parameters={"export": name, "format": fmt, "params": as_json(params)},
            title=f"{export.title} ({fmt.upper()})",
            filename=spreadsheet.filename(export.stem, fmt),
            content_type=spreadsheet.CSV_TYPE if fmt == "csv" else spreadsheet.XLSX_TYPE,
        )
        return redirect(download)
    return spreadsheet.response(fmt, export.stem, export.columns, export.rows(), title=export.title)


@require_safe
def export_households(request: HttpRequest) -> HttpResponse:
    return _export(request, "households")


@require_safe
def export_vacancies(request: HttpRequest) -> HttpResponse:
    return _export(request, "vacancies")


@require_safe
def export_quota(request: HttpRequest) -> HttpResponse:
    return _export(request, "quota")


@require_safe
def export_relinks(request: HttpRequest) -> HttpResponse:
    return _export(request, "relinks")


@require_safe
def export_meeting_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, "meeting_decisions", meeting=pk)


@require_safe
def export_invoices(request: HttpRequest, period: str) -> HttpResponse:
    return _export(request, "invoices", period=period)


@require_POST
def export_invoice_pdfs(request: HttpRequest, period: str) -> HttpResponse:
    """Every invoice PDF of the period the user may see, as one ZIP made in the background."""
    found, visible = invoices_of_period(request.user, period)
    if not visible.exists():
        raise Http404
    download = download_prepare(
        owner=request.user,
        kind="invoice_pdfs",
        parameters={"period": found.slug},
        title=_("Invoice PDFs %(period)s") % {"period": found},
        filename=spreadsheet.filename(f"{_('invoices')}-{found.slug}", "zip"),
        content_type="application/zip",
    )
    return redirect(download)
