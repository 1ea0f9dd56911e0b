"""Background work of the downloads app (Django's Tasks framework): a large export, or all the
invoice PDFs of a period as one ZIP file. Each task makes the file for the download's owner,
with the owner's access as it is when the task runs, and records its progress as it goes."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exchange import spreadsheet
from exchange.exports import build, invoices_of_period

from .models import PreparedDownload

logger = logging.getLogger(__name__)
# Progress is written to the database every this many rows (and after every PDF).
PROGRESS_EVERY = 200


def _progress(download: PreparedDownload, done: int, total: int) -> None:
    download.done, download.total = min(done, total), total
    PreparedDownload.objects.filter(pk=download.pk).update(done=download.done, total=total)


def _counted(rows: Iterable[object], download: PreparedDownload, total: int) -> Iterator[object]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            _progress(download, done, total)
    _progress(download, done, max(total, done))


def _export_file(download: PreparedDownload) -> bytes:
    parameters = download.parameters
    export = build(parameters["export"], download.owner, parameters.get("params", {}))
    total = export.count()
    _progress(download, 0, total)
    rows = _counted(export.rows(), download, total)
    if parameters.get("format") == "csv":
        return spreadsheet.csv_bytes(export.columns, rows)
    return spreadsheet.xlsx_bytes(export.columns, rows, title=export.title)


def _invoice_pdfs_file(download: PreparedDownload) -> bytes:
    from billing.views import invoice_pdf_document

    _period, visible = invoices_of_period(download.owner, download.parameters.get("period"))
    invoices = list(
        visible.select_related(
            "municipality", "period", "region__central_municipality", "credits", "run"
        ).order_by("municipality__name", "kind", "pk")
    )
    _progress(download, 0, len(invoices))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, invoice in enumerate(invoices, start=1):
            pdf, name = invoice_pdf_document(invoice)
            archive.writestr(name, pdf)
            _progress(download, done, len(invoices))
    return buffer.getvalue()


def _meeting_pdf_file(download: PreparedDownload) -> bytes:
    """A big meeting's agenda or decision list (the download's kind) as a PDF, for an owner who
    may still see the meeting."""
    from placement.views.meetings import meeting_for, meeting_pdf_document

    meeting = meeting_for(download.owner, download.parameters.get("meeting"))
    _progress(download, 0, 1)
    pdf, _name = meeting_pdf_document(meeting, download.kind, download.parameters.get("site", ""))
    return pdf


def _run(download_id: int, make: Callable[[PreparedDownload], bytes]) -> None:
    """Make the file, store it, and mark the download ready; or failed, with the reason."""
    download = PreparedDownload.objects.select_related("owner").filter(pk=download_id).first()
    if download is None or download.is_finished:
        return
    PreparedDownload.objects.filter(pk=download.pk).update(status=PreparedDownload.Status.RUNNING)
    try:
        with translation.override(download.parameters.get("language") or None):
            data = make(download)
    except (PermissionDenied, Http404):
        error = _("You may no longer see this data.")
    except Exception:  # the reason goes to the log; the owner sees that it failed
        logger.exception("prepared download %s failed", download.pk)
        error = _("The file could not be made. Try again, or ask the desk if it keeps failing.")
    else:
        PreparedDownload.objects.filter(pk=download.pk).update(
            status=PreparedDownload.Status.READY,
            data=data,
            size=len(data),
            done=download.total,
            finished=timezone.now(),
        )
        return
    PreparedDownload.objects.filter(pk=download.pk).update(
        status=PreparedDownload.Status.FAILED, error=error, finished=timezone.now()
    )


@task
def prepare_export(download_id: int) -> None:
    """A spreadsheet export too large to make while the user waits."""
    _run(download_id, _export_file)


@task
def prepare_invoice_pdfs(download_id: int) -> None:
    """All invoice PDFs of a period the owner may see, one ZIP file."""
    _run(download_id, _invoice_pdfs_file)


@task
def prepare_agenda_pdf(download_id: int) -> None:
    """A meeting agenda of more items than a request should render."""
    _run(download_id, _meeting_pdf_file)


@task
def prepare_decisions_pdf(download_id: int) -> None:
    """A meeting's decision list of more items than a request should render."""
    _run(download_id, _meeting_pdf_file)


TASKS = {
    "export": prepare_export,
    "invoice_pdfs": prepare_invoice_pdfs,
    "agenda_pdf": prepare_agenda_pdf,
    "decisions_pdf": prepare_decisions_pdf,
}
