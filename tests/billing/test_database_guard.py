"""On PostgreSQL the database itself refuses changes to issued invoices, also from code that
goes around the model (bulk updates, raw SQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from billing import services
from billing.models import Invoice, InvoiceLine

from .billing_builders import ISSUED_ON, cost_key, invoice_for, run_period, worked_example

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def issued(world):
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    run = run_period(world, 2026, 1)
    return services.invoice_issue(invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON)


def refused(statement) -> bool:
    try:
        with transaction.atomic():
            statement()
    except IntegrityError:
        return True
    return False


def test_a_bulk_update_of_an_issued_invoice_is_refused(issued):
    assert refused(lambda: Invoice.objects.filter(pk=issued.pk).update(reason="anders"))
    assert refused(lambda: Invoice.objects.filter(pk=issued.pk).update(status="draft"))
    assert refused(lambda: Invoice.objects.filter(pk=issued.pk).delete())


def test_lines_of_an_issued_invoice_cannot_change_in_bulk(issued):
    lines = InvoiceLine.objects.filter(invoice=issued)
    assert refused(lambda: lines.update(amount=0))
    assert refused(lambda: lines.delete())
    assert refused(
        lambda: InvoiceLine.objects.bulk_create(
            [InvoiceLine(invoice=issued, description="extra", unit_price=1, amount=1)]
        )
    )


def test_recording_the_payment_is_still_allowed(issued):
    services.invoice_mark_paid(invoice=issued, paid_on=ISSUED_ON)
    assert Invoice.objects.get(pk=issued.pk).status == Invoice.Status.PAID
    assert refused(lambda: Invoice.objects.filter(pk=issued.pk).update(paid_on=None))


def test_drafts_stay_free_to_change(world, issued):
    draft = Invoice.objects.filter(status=Invoice.Status.DRAFT).first()
    assert draft is not None
    Invoice.objects.filter(pk=draft.pk).update(reason="herzien")
    InvoiceLine.objects.filter(invoice=draft).update(description="herzien")
