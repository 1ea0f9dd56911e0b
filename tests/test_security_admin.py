"""The admin (issue 9, "Defects found"): an issued invoice is read-only there, every field, and
cannot be deleted (the database refuses it, which used to end in a server error); a payment
date only goes with status paid; the admin lives at a configurable path and can be limited to
staff networks."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import config.urls
from billing import services
from billing.models import Invoice, InvoiceLine

from .billing.billing_builders import ISSUED_ON, cost_key, invoice_for, run_period, worked_example
from .factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_client_(client_for, db):
    return client_for(UserFactory(username="beheer", is_staff=True, is_superuser=True))


@pytest.fixture
def invoices(world):
    """The Zwijndrecht invoice issued, the Papendrecht one still a draft."""
    worked_example(world)
    cost_key(world, "per_person", tariff="350.00")
    run = run_period(world)
    issued = services.invoice_issue(
        invoice=invoice_for(run, world.zwijndrecht), issue_date=ISSUED_ON
    )
    return issued, invoice_for(run, world.papendrecht)


def snapshot(invoice: Invoice) -> dict:
    return {
        "invoice": Invoice.objects.filter(pk=invoice.pk).values().get(),
        "lines": list(InvoiceLine.objects.filter(invoice=invoice).values()),
    }


def test_an_issued_invoice_is_shown_read_only(admin_client_, invoices):
    issued, _draft = invoices

    response = admin_client_.get(reverse("admin:billing_invoice_change", args=[issued.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for field in ("reason", "municipality", "period", "region", "paid_on", "kind"):
        assert f'name="{field}"' not in page
    assert 'name="_save"' not in page
    assert 'name="lines-0-amount"' not in page


def test_changing_an_issued_invoice_in_the_admin_is_refused_not_a_server_error(
    admin_client_, invoices
):
    issued, _draft = invoices
    before = snapshot(issued)

    response = admin_client_.post(
        reverse("admin:billing_invoice_change", args=[issued.pk]),
        {"reason": "changed", "paid_on": "2026-08-01", "lines-TOTAL_FORMS": "0"},
    )

    assert response.status_code == 403
    assert snapshot(issued) == before


def test_an_issued_invoice_cannot_be_deleted_in_the_admin(admin_client_, invoices):
    issued, _draft = invoices
    before = snapshot(issued)

    page = admin_client_.get(reverse("admin:billing_invoice_delete", args=[issued.pk]))
    posted = admin_client_.post(
        reverse("admin:billing_invoice_delete", args=[issued.pk]), {"post": "yes"}
    )
    bulk = admin_client_.post(
        reverse("admin:billing_invoice_changelist"),
        {"action": "delete_selected", "_selected_action": [issued.pk], "post": "yes"},
    )

    assert page.status_code == 403 and posted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert snapshot(issued) == before


def test_a_draft_can_still_be_edited_in_the_admin(admin_client_, invoices):
    _issued, draft = invoices

    response = admin_client_.get(reverse("admin:billing_invoice_change", args=[draft.pk]))

    assert 'name="reason"' in response.content.decode()
    assert 'name="paid_on"' not in response.content.decode()


def test_a_payment_date_needs_status_paid_in_the_model(invoices):
    issued, _draft = invoices
    issued.paid_on = datetime.date(2026, 8, 1)

    with pytest.raises(ValidationError) as refused:
        issued.full_clean()

    assert "paid_on" in refused.value.message_dict


def test_the_database_refuses_a_payment_date_on_an_unpaid_invoice(invoices):
    issued, draft = invoices

    for invoice in (issued, draft):
        with pytest.raises(IntegrityError), transaction.atomic():
            Invoice.objects.filter(pk=invoice.pk).update(paid_on=datetime.date(2026, 8, 1))


def test_a_paid_invoice_keeps_its_payment_date(invoices):
    issued, _draft = invoices

    services.invoice_mark_paid(invoice=issued, paid_on=datetime.date(2026, 8, 1))

    issued.refresh_from_db()
    assert issued.status == Invoice.Status.PAID and issued.paid_on == datetime.date(2026, 8, 1)


# --- Where the admin lives, and for whom -----------------------------------------------------


@pytest.fixture
def admin_at_beheer():
    with override_settings(ADMIN_URL="beheer-7f3k/"):
        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_lives_at_the_configured_path(admin_client_, admin_at_beheer):
    assert admin_client_.get("/beheer-7f3k/").status_code == 200
    assert admin_client_.get("/admin/").status_code == 404


def test_the_admin_answers_only_from_staff_networks(admin_client_, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16", "2001:db8::/32"]

    outside = admin_client_.get("/admin/", REMOTE_ADDR="192.0.2.10")
    outside_login = admin_client_.get("/admin/login/", REMOTE_ADDR="192.0.2.10")
    inside = admin_client_.get("/admin/", REMOTE_ADDR="10.20.3.4")
    inside_v6 = admin_client_.get("/admin/", REMOTE_ADDR="2001:db8::5")
    app = admin_client_.get(reverse("dashboard"), REMOTE_ADDR="192.0.2.10")

    assert outside.status_code == 404 and outside_login.status_code == 404
    assert inside.status_code == 200 and inside_v6.status_code == 200
    assert app.status_code != 404


def test_without_networks_the_admin_answers_from_anywhere(admin_client_, settings):
    settings.ADMIN_ALLOWED_NETWORKS = []

    assert admin_client_.get("/admin/", REMOTE_ADDR="192.0.2.10").status_code == 200


def test_behind_the_proxy_the_address_it_appended_counts(admin_client_, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "127.0.0.1"}

    spoofed = admin_client_.get(
        "/admin/", headers={"X-Forwarded-For": "10.20.1.1, 192.0.2.10"}, **proxy
    )
    staff = admin_client_.get("/admin/", headers={"X-Forwarded-For": "10.20.1.1"}, **proxy)

    assert spoofed.status_code == 404
    assert staff.status_code == 200
