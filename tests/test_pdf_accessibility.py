"""Every PDF the desk hands out (agenda, decision list, invoice) is a tagged PDF/UA-1 document:
a structure tree a screen reader follows, the document language, and a title the viewer shows
instead of the file name (EN 301 549 / WCAG 2.1 for documents)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from billing import services
from tests.billing.billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    run_period,
    worked_example,
)
from tests.placement.test_pdfs import meeting  # noqa: F401 (the meeting with its agenda)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def resolved(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def structure_tags(node, found: set[str] | None = None, depth: int = 0) -> set[str]:
    """The structure types (/S) in the tree under ``node``: H1, Table, P, ..."""
    found = set() if found is None else found
    node = resolved(node)
    if depth > 60:
        return found
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            structure_tags(node["/K"], found, depth + 1)
    elif isinstance(node, list):
        for child in node:
            structure_tags(child, found, depth + 1)
    return found


def assert_accessible(content: bytes, *, title: str) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])  # a tagged PDF
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl"  # the documents are Dutch
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(title)
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()  # declared PDF/UA
    tags = structure_tags(catalog["/StructTreeRoot"])
    assert {"H1", "Table", "TH", "TD"} <= tags, tags
    return tags


def test_the_agenda_is_a_tagged_pdf_with_language_and_title(world, client_for, meeting):  # noqa: F811
    response = client_for(world.coordinator).get(reverse("meeting_agenda_pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert_accessible(response.content, title="Agenda")


def test_the_decision_list_is_a_tagged_pdf_with_language_and_title(world, client_for, meeting):  # noqa: F811
    url = reverse("meeting_decisions_pdf", args=[meeting.pk])
    response = client_for(world.coordinator).get(url)

    assert response.status_code == 200
    assert_accessible(response.content, title="Besluitenlijst")


def test_an_invoice_is_a_tagged_pdf_with_language_and_title(world, client_for):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    run = run_period(world)
    invoice = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    client = client_for(world.finance)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader's language does not count

    response = client.get(reverse("billing_invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 200
    assert_accessible(response.content, title=f"Factuur {invoice.number}")
