"""Prepared downloads: a large export goes through a task, a period's invoice PDFs come as one
ZIP, only the owner sees either, and expired files are purged.

Tests run tasks at once (``ImmediateBackend``), so the download is ready when the button's
redirect arrives; its page polls with htmx while it is not.
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from billing import services as billing_services
from billing.models import Invoice
from downloads.models import PreparedDownload
from downloads.services import download_prepare, downloads_purge
from placement.models import PersonalDataView
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    run_period,
    worked_example,
)
from tests.placement.placement_builders import household

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_households(world):
    return [
        household(world, persons=n, municipality=world.zwijndrecht, reference=f"DS-DL-{n}")
        for n in (1, 2, 3)
    ]


def test_small_export_downloads_at_once(world, three_households, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    response = client_for(world.coordinator).get(reverse("export_households") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert not PreparedDownload.objects.exists()


def test_large_export_runs_as_a_task(world, three_households, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    client = client_for(world.coordinator)
    response = client.get(reverse("export_households") + "?format=xlsx")
    download = PreparedDownload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("download_detail", args=[download.pk])
    assert (download.owner, download.kind, download.status) == (
        world.coordinator,
        "export",
        PreparedDownload.Status.READY,
    )
    assert (download.done, download.total) == (3, 3)
    assert download.parameters["export"] == "households"
    assert download.filename.endswith(".xlsx")
    kept = download.expires - download.created
    assert abs(kept - datetime.timedelta(hours=24)) < datetime.timedelta(seconds=1)
    # The reads are logged when the task makes the rows, for the owner.
    assert PersonalDataView.objects.filter(user=world.coordinator, channel="export").count() == 3

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'id="download-file"' in page.content
    assert b"every 1s" not in page.content, "a finished download stops polling"
    file = client.get(reverse("download_file", args=[download.pk]))
    assert file.status_code == 200
    assert file["Content-Disposition"] == f'attachment; filename="{download.filename}"'
    ws = load_workbook(io.BytesIO(file.content)).active
    references = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert references == ["DS-DL-1", "DS-DL-2", "DS-DL-3"]
    listed = client.get(reverse("download_list"))
    assert f'data-download="{download.pk}"'.encode() in listed.content


def test_the_task_applies_the_filters_of_the_page(world, three_households, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    url = reverse("export_households") + "?format=csv&size_min=2"
    client_for(world.coordinator).get(url)
    download = PreparedDownload.objects.get()
    text = bytes(download.data).decode("utf-8-sig")
    assert "DS-DL-2" in text and "DS-DL-3" in text and "DS-DL-1" not in text
    assert download.content_type.startswith("text/csv")


def test_a_download_in_progress_polls_and_works_without_js(world, client_for):
    download = PreparedDownload.objects.create(
        owner=world.coordinator,
        kind="export",
        title="Pool (XLSX)",
        filename="pool.xlsx",
        content_type="application/zip",
        status=PreparedDownload.Status.RUNNING,
        done=40,
        total=160,
    )
    client = client_for(world.coordinator)
    page = client.get(download.get_absolute_url())
    assert b'data-hx-trigger="every 1s"' in page.content
    assert b'<progress class="d-block w-100 mb-2" id="download-progress" max="160" value="40"' in (
        page.content
    )
    assert b'id="download-refresh"' in page.content
    part = client.get(download.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert b"<html" not in part.content and b'id="download-progress"' in part.content
    # Not ready: the file link leads back to the page.
    assert client.get(reverse("download_file", args=[download.pk])).status_code == 302


def test_a_task_that_loses_access_fails_with_a_reason(world, client_for):
    """The task works with the owner's access when it runs: a corporation may not export the
    pool, so the download fails (it is not made with someone else's rights)."""
    with translation.override("en"):
        download = download_prepare(
            owner=world.corporation,
            kind="export",
            parameters={"export": "households", "format": "csv", "params": {}},
            title="Pool",
            filename="pool.csv",
            content_type="text/csv",
        )
    download.refresh_from_db()
    assert download.status == PreparedDownload.Status.FAILED
    assert download.error == "You may no longer see this data."
    assert download.data is None


def test_only_the_owner_sees_a_download(world, three_households, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    client_for(world.coordinator).get(reverse("export_households"))
    download = PreparedDownload.objects.get()
    for persona in ("officer", "partner", "finance", "outsider"):
        other = client_for(getattr(world, persona))
        assert other.get(download.get_absolute_url()).status_code == 404
        assert other.get(reverse("download_file", args=[download.pk])).status_code == 404
        assert (
            f'data-download="{download.pk}"'.encode()
            not in other.get(reverse("download_list")).content
        )
    # Expired: gone for the owner too.
    PreparedDownload.objects.filter(pk=download.pk).update(
        expires=timezone.now() - datetime.timedelta(minutes=1)
    )
    owner = client_for(world.coordinator)
    assert owner.get(download.get_absolute_url()).status_code == 404


def test_purge_deletes_expired_downloads(world, capsys):
    now = timezone.now()
    old = PreparedDownload.objects.create(
        owner=world.coordinator, kind="export", title="a", filename="a.csv", content_type="x"
    )
    fresh = PreparedDownload.objects.create(
        owner=world.coordinator, kind="export", title="b", filename="b.csv", content_type="x"
    )
    PreparedDownload.objects.filter(pk=old.pk).update(expires=now - datetime.timedelta(hours=1))
    assert downloads_purge(now=now) == 1
    assert list(PreparedDownload.objects.all()) == [fresh]
    PreparedDownload.objects.filter(pk=fresh.pk).update(expires=now - datetime.timedelta(hours=1))
    call_command("purge_downloads")
    assert "1 expired download(s) deleted" in capsys.readouterr().out
    assert not PreparedDownload.objects.exists()


# --- All invoice PDFs of a period ------------------------------------------------------------


@pytest.fixture
def billed(world):
    """2026-I billed per person: draft invoices for Papendrecht and Zwijndrecht."""
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    return run_period(world)


def pdfs_in(download: PreparedDownload) -> dict[str, PdfReader]:
    archive = zipfile.ZipFile(io.BytesIO(bytes(download.data)))
    assert archive.testzip() is None
    return {name: PdfReader(io.BytesIO(archive.read(name))) for name in archive.namelist()}


def test_invoice_pdfs_as_one_zip(world, billed, client_for):
    client = client_for(world.finance)
    run_page = client.get(reverse("billing_run", args=[billed.pk]))
    assert b'id="invoice-pdfs-form"' in run_page.content
    response = client.post(reverse("export_invoice_pdfs", args=["2026-1"]))
    download = PreparedDownload.objects.get()
    assert response["Location"] == download.get_absolute_url()
    assert (download.status, download.done, download.total) == ("ready", 2, 2)
    assert download.content_type == "application/zip"
    pdfs = pdfs_in(download)
    drafts = Invoice.objects.filter(run=billed).order_by("municipality__name")
    assert sorted(pdfs) == sorted(f"concept-{i.pk}.pdf" for i in drafts)
    for invoice in drafts:
        reader = pdfs[f"concept-{invoice.pk}.pdf"]
        assert len(reader.pages) >= 1
        text = " ".join(page.extract_text() for page in reader.pages)
        assert invoice.municipality.name in text
    assert client.get(reverse("download_file", args=[download.pk])).status_code == 200


def test_the_officer_gets_the_pdfs_of_their_own_issued_invoices(world, billed, client_for):
    issued = billing_services.invoice_issue(
        invoice=invoice_for(billed, world.zwijndrecht), issue_date=ISSUED_ON
    )
    client_for(world.officer).post(reverse("export_invoice_pdfs", args=["2026-1"]))
    download = PreparedDownload.objects.get(owner=world.officer)
    assert list(pdfs_in(download)) == [f"{issued.number}.pdf"]


def test_invoice_pdfs_refused(world, billed, client_for):
    url = reverse("export_invoice_pdfs", args=["2026-1"])
    assert client_for(world.coordinator).post(url).status_code == 403
    assert client_for(world.partner).post(url).status_code == 403
    assert client_for(world.finance).get(url).status_code == 405
    # No invoice the officer may see yet (all drafts): nothing to make.
    assert client_for(world.officer).post(url).status_code == 404
    assert (
        client_for(world.finance).post(reverse("export_invoice_pdfs", args=["2031-2"])).status_code
        == 404
    )
    assert not PreparedDownload.objects.exists()
