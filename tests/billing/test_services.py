"""Billing workflows: run a half-year, issue, mark paid, credit. Each is one transaction.

Fien of finance (Gemeente Dordrecht) bills 2026-I by a fee of € 350.00 per placed person:
drafts for Zwijndrecht (12 persons: € 4,200.00) and Papendrecht (3 persons: € 1,050.00);
Dordrecht's own share (2 persons: € 700.00) is kept on the run, not invoiced; Sliedrecht does
not participate. She issues the drafts, records a payment and corrects with a credit note.
Service messages are read in English here; the pages are checked in Dutch in ``test_views``.
"""

from __future__ import annotations

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from billing import services
from billing.forms import CostKeyForm
from billing.models import (
    BillingProfile,
    CostKey,
    ImmutableInvoiceError,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceRun,
)
from billing.services import BillingError
from tests.placement.placement_builders import stored

from .billing_builders import (
    ISSUED_ON,
    cost_key,
    invoice_for,
    nl,
    period,
    run_period,
    total,
    worked_example,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas get real passwords; the default hasher makes every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def per_person(world):
    """The worked example and a 2026 cost key of € 350.00 per placed person."""
    worked_example(world)
    return cost_key(world, "per_person", tariff="350.00")


@pytest.fixture
def run(world, per_person):
    return run_period(world, 2026, 1)


def rows() -> tuple[int, int, int, int]:
    return (
        InvoiceRun.objects.count(),
        Invoice.objects.count(),
        InvoiceLine.objects.count(),
        InvoiceCounter.objects.count(),
    )


def issue(invoice: Invoice, day: datetime.date = ISSUED_ON) -> Invoice:
    return services.invoice_issue(invoice=invoice, issue_date=day)


# --- The invoice run -------------------------------------------------------------------------


def test_a_run_drafts_one_invoice_per_participating_municipality_except_the_central_one(world, run):
    invoices = run.invoices.order_by("municipality__name")

    assert [i.municipality for i in invoices] == [world.papendrecht, world.zwijndrecht]
    assert not Invoice.objects.filter(municipality__in=[world.dordrecht, world.sliedrecht])
    for invoice in invoices:
        assert invoice.status == Invoice.Status.DRAFT
        assert invoice.kind == Invoice.Kind.INVOICE
        assert invoice.number is None and invoice.issue_date is None
        assert invoice.period == period(2026, 1)
    zwijndrecht = invoice_for(run, world.zwijndrecht)
    line = zwijndrecht.lines.get()
    assert (line.quantity, line.unit_price, line.amount) == (
        12,
        Decimal("350.00"),
        Decimal("4200.00"),
    )
    # Invoice lines are written in the site language (Dutch), whoever makes the run.
    assert line.description == "12 personen gehuisvest in 2026-I x €\u00a0350,00"
    assert total(invoice_for(run, world.papendrecht)) == Decimal("1050.00")
    # Dordrecht pays its own share of the desk: kept on the run, with how it was derived.
    assert run.central_share == Decimal("700.00")
    assert run.central_basis == "2 personen gehuisvest in 2026-I x €\u00a0350,00"
    assert run.created_by == world.finance


def test_a_period_is_billed_once_and_a_second_run_writes_nothing(world, run):
    before = rows()

    with pytest.raises(BillingError) as refused:
        run_period(world, 2026, 1)

    assert str(refused.value) == "2026-I has already been billed."
    assert rows() == before


def test_the_database_also_refuses_a_second_run_for_the_period(world, run, per_person):
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceRun.objects.create(region=world.drecht, period=period(2026, 1), cost_key=per_person)


def test_a_run_without_a_cost_key_for_the_year_is_refused(world):
    worked_example(world)
    cost_key(world, "per_person", year=2025, tariff="350.00")  # last year's does not apply
    before = rows()

    with pytest.raises(BillingError) as refused:
        run_period(world, 2026, 1)

    assert str(refused.value) == "There is no cost key for 2026 yet: set one first."
    assert rows() == before


def test_a_cost_key_that_cannot_be_applied_writes_nothing(world):
    worked_example(world)
    cost_key(world, "quota_share", budget="100000.00")  # and no quota targets
    before = rows()

    with pytest.raises(BillingError) as refused:
        run_period(world, 2026, 1)

    assert str(refused.value) == nl(
        "There are no quota targets for %(period)s to split the budget by."
    ) % {"period": "2026-I"}
    assert rows() == before


def test_a_central_municipality_outside_the_pool_is_refused_cleanly(world, per_person):
    world.dordrecht.participates = False
    world.dordrecht.save()
    before = rows()

    with pytest.raises(BillingError):
        run_period(world, 2026, 1)
    assert rows() == before


# --- Cost keys need their amount -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "amounts"),
    [
        ("per_person", {"tariff": "0.00"}),
        ("per_household", {"tariff": "-350.00"}),
        ("quota_share", {"budget": "0.00"}),
        ("population_share", {"budget": "0.00"}),
        ("fixed", {"fixed_amount": "0.00"}),
    ],
)
def test_the_database_refuses_a_cost_key_with_a_zero_amount(world, method, amounts):
    with pytest.raises(IntegrityError), transaction.atomic():
        cost_key(world, method, **amounts)
    assert not CostKey.objects.exists()


@pytest.mark.parametrize(
    ("method", "amounts"),
    [
        pytest.param("per_person", {"budget": "100000.00"}),
        pytest.param("per_household", {}),
        pytest.param("quota_share", {"tariff": "350.00"}),
        pytest.param("population_share", {}),
        pytest.param("fixed", {"budget": "100000.00"}),
    ],
)
def test_the_database_refuses_a_cost_key_without_its_amount(world, method, amounts):
    with pytest.raises(IntegrityError), transaction.atomic():
        cost_key(world, method, **amounts)
    assert not CostKey.objects.exists()


@pytest.mark.parametrize(
    ("method", "field"),
    [
        ("per_person", "tariff"),
        ("per_household", "tariff"),
        ("quota_share", "budget"),
        ("population_share", "budget"),
        ("fixed", "fixed_amount"),
    ],
)
def test_the_form_asks_for_the_amount_the_cost_key_needs(world, method, field):
    # Every amount filled in except the one this key uses.
    data = {"year": 2026, "method": method, "tariff": "350.00", "budget": "1.00"}
    data["fixed_amount"] = "10.00"
    data[field] = ""

    form = CostKeyForm(data=data, region=world.drecht)

    assert not form.is_valid()
    assert "This cost key needs this amount." in form.errors[field]
    assert not CostKey.objects.exists()


def test_the_form_says_once_that_the_amount_is_missing(world):
    form = CostKeyForm(data={"year": 2026, "method": "per_person"}, region=world.drecht)

    assert not form.is_valid()
    assert form.errors["tariff"] == ["This cost key needs this amount."]


def test_the_form_keeps_only_the_amount_the_cost_key_uses(world):
    data = {"year": 2026, "method": "fixed", "tariff": "350.00", "budget": "100000.00"}
    form = CostKeyForm(data={**data, "fixed_amount": "10000.01"}, region=world.drecht)

    assert form.is_valid(), form.errors
    key = form.save()

    assert (key.region, key.tariff, key.budget, key.fixed_amount) == (
        world.drecht,
        None,
        None,
        Decimal("10000.01"),
    )


def test_the_form_refuses_a_second_cost_key_for_the_year(world):
    cost_key(world, "per_person", tariff="350.00")

    form = CostKeyForm(
        data={"year": 2026, "method": "fixed", "fixed_amount": "10000.00"}, region=world.drecht
    )

    assert not form.is_valid()
    assert form.errors["year"] == ["This region already has a cost key for that year."]


# --- Issuing ---------------------------------------------------------------------------------


def test_issuing_numbers_invoices_in_sequence_per_region_and_year(world, run):
    profile = BillingProfile.for_region(world.drecht)
    papendrecht = issue(invoice_for(run, world.papendrecht), datetime.date(2026, 7, 15))
    profile.payment_term_days = 14
    profile.save()
    zwijndrecht = issue(invoice_for(run, world.zwijndrecht), datetime.date(2026, 7, 16))

    assert (papendrecht.number, papendrecht.sequence, papendrecht.number_year) == (
        "DS-2026-0001F",
        1,
        2026,
    )
    assert papendrecht.status == Invoice.Status.ISSUED
    assert papendrecht.issue_date == datetime.date(2026, 7, 15)
    assert papendrecht.due_date == datetime.date(2026, 8, 14)  # 15 July + 30 days
    assert zwijndrecht.number == "DS-2026-0002F"
    assert zwijndrecht.due_date == datetime.date(2026, 7, 30)  # 16 July + 14 days
    assert stored(papendrecht).due_date == datetime.date(2026, 8, 14)  # issued: unchanged

    # 2026-II, issued in January 2027: a new year starts at 0001 again.
    second_half = run_period(world, 2026, 2)
    january = issue(invoice_for(second_half, world.zwijndrecht), datetime.date(2027, 1, 12))
    assert january.number == "DS-2027-0001F"


def test_another_region_has_its_own_sequence(world, run):
    issue(invoice_for(run, world.zwijndrecht))
    woerden = Invoice.objects.create(
        region=world.woerden_region, period=period(2026, 1), municipality=world.woerden
    )
    InvoiceLine.objects.create(
        invoice=woerden, description="Vaste bijdrage", unit_price="100.00", amount="100.00"
    )

    assert issue(woerden).number == "WO-2026-0001F"
    assert issue(invoice_for(run, world.papendrecht)).number == "DS-2026-0002F"


def test_an_invoice_is_issued_once(world, run):
    issued = issue(invoice_for(run, world.zwijndrecht))

    with pytest.raises(BillingError) as refused:
        issue(issued, datetime.date(2026, 8, 1))

    assert str(refused.value) == "This invoice has already been issued."
    assert stored(issued).number == "DS-2026-0001F"
    assert InvoiceCounter.objects.get(region=world.drecht, year=2026).last == 1


def test_an_invoice_of_nothing_is_not_issued_and_takes_no_number(world, per_person):
    # 2026-II: Zwijndrecht 3 persons (€ 1,050.00), Papendrecht nobody (€ 0.00).
    second_half = run_period(world, 2026, 2)
    empty = invoice_for(second_half, world.papendrecht)
    assert total(empty) == Decimal("0.00")

    with pytest.raises(BillingError) as refused:
        issue(empty)

    assert str(refused.value) == "An invoice without an amount cannot be issued."
    assert stored(empty).status == Invoice.Status.DRAFT
    # The number was not used up: the next invoice gets 0001.
    assert issue(invoice_for(second_half, world.zwijndrecht)).number == "DS-2026-0001F"


# --- An issued invoice never changes ---------------------------------------------------------


@pytest.fixture
def issued(world, run) -> Invoice:
    return issue(invoice_for(run, world.zwijndrecht))


def test_an_issued_invoices_lines_cannot_be_changed_added_or_deleted(world, issued):
    line = issued.lines.get()

    line.amount = Decimal("1.00")
    with pytest.raises(ImmutableInvoiceError):
        line.save()
    with pytest.raises(ImmutableInvoiceError):
        stored(line).delete()
    with pytest.raises(ImmutableInvoiceError):
        InvoiceLine.objects.create(
            invoice=issued, description="Nagekomen", unit_price="350.00", amount="350.00"
        )

    assert list(issued.lines.values_list("amount", flat=True)) == [Decimal("4200.00")]


def test_an_issued_invoice_cannot_be_changed_or_deleted(world, issued):
    for change in (
        {"due_date": datetime.date(2026, 12, 31)},
        {"municipality": world.papendrecht},
        {"number": "DS-2026-0099F"},
        {"status": Invoice.Status.DRAFT},
    ):
        invoice = stored(issued)
        for name, value in change.items():
            setattr(invoice, name, value)
        with pytest.raises(ImmutableInvoiceError):
            invoice.save()

    with pytest.raises(ImmutableInvoiceError):
        stored(issued).delete()

    again = stored(issued)
    assert (again.number, again.status, again.municipality, again.due_date) == (
        "DS-2026-0001F",
        Invoice.Status.ISSUED,
        world.zwijndrecht,
        datetime.date(2026, 8, 14),
    )
    assert total(again) == Decimal("4200.00")


def test_a_line_cannot_be_moved_off_an_issued_invoice(world, issued, run):
    draft = invoice_for(run, world.papendrecht)
    line = issued.lines.get()

    line.invoice = draft
    try:
        with pytest.raises(ImmutableInvoiceError):
            line.save()
    finally:
        assert total(issued) == Decimal("4200.00")


def test_a_draft_can_still_be_corrected(world, run):
    line = invoice_for(run, world.papendrecht).lines.get()
    line.description = "3 personen gehuisvest in 2026-I x € 350,00"
    line.save()

    assert stored(line).description == "3 personen gehuisvest in 2026-I x € 350,00"


# --- Payment ---------------------------------------------------------------------------------


def test_marking_paid_records_the_date_and_refuses_a_date_before_issue(world, issued):
    with pytest.raises(BillingError) as refused:
        services.invoice_mark_paid(invoice=issued, paid_on=datetime.date(2026, 7, 14))
    assert str(refused.value) == "The payment date cannot be before the issue date."
    assert stored(issued).status == Invoice.Status.ISSUED

    paid = services.invoice_mark_paid(invoice=issued, paid_on=datetime.date(2026, 7, 15))

    assert (paid.status, paid.paid_on) == (Invoice.Status.PAID, datetime.date(2026, 7, 15))
    assert stored(paid).number == "DS-2026-0001F"
    with pytest.raises(BillingError):
        services.invoice_mark_paid(invoice=paid, paid_on=datetime.date(2026, 8, 1))
    # Paid is final too: back to issued is refused by the model.
    reopened = stored(paid)
    reopened.status, reopened.paid_on = Invoice.Status.ISSUED, None
    with pytest.raises(ImmutableInvoiceError):
        reopened.save()


def test_a_draft_cannot_be_marked_paid(world, run):
    draft = invoice_for(run, world.zwijndrecht)

    with pytest.raises(BillingError) as refused:
        services.invoice_mark_paid(invoice=draft, paid_on=datetime.date(2026, 7, 15))

    assert str(refused.value) == "Only an issued invoice can be marked as paid."
    assert stored(draft).status == Invoice.Status.DRAFT


# --- Credit notes ----------------------------------------------------------------------------


def credit(invoice: Invoice, amount: str, reason: str = "Eén persoon dubbel geteld") -> Invoice:
    return services.credit_note_create(invoice=invoice, amount=Decimal(amount), reason=reason)


def test_a_credit_note_references_the_invoice_and_is_negative(world, issued):
    note = credit(issued, "350.00", "  Eén persoon dubbel geteld  ")

    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.credits == issued
    assert note.status == Invoice.Status.DRAFT and note.number is None
    assert (note.municipality, note.period, note.run) == (world.zwijndrecht, issued.period, None)
    assert note.reason == "Eén persoon dubbel geteld"
    line = note.lines.get()
    assert line.amount == Decimal("-350.00")
    # Stored in the site language like the lines of a run; read in the reader's language.
    assert line.description == "Creditering factuur DS-2026-0001F: Eén persoon dubbel geteld"
    assert line.text == "Credit on invoice DS-2026-0001F: Eén persoon dubbel geteld"
    assert total(stored(issued)) == Decimal("4200.00")  # the invoice itself stays as it was


def test_an_invoice_line_reads_in_the_readers_language_from_its_figures(world, run):
    line = invoice_for(run, world.zwijndrecht).lines.get()

    assert line.figures["n"] == 12 and line.figures["tariff"] == "350.00"
    assert line.text == "12 persons housed in 2026-I x €350.00"
    with translation.override("nl"):
        assert line.text == "12 personen gehuisvest in 2026-I x €\u00a0350,00"
    # As it was made (the PDF prints this one): in Dutch, whoever reads it.
    assert line.description == "12 personen gehuisvest in 2026-I x €\u00a0350,00"
    assert run.central_text == "2 persons housed in 2026-I x €350.00"


def test_a_line_made_before_figures_were_stored_keeps_its_text(world, run):
    line = invoice_for(run, world.zwijndrecht).lines.get()
    line.figures = {}

    assert line.text == "12 personen gehuisvest in 2026-I x €\u00a0350,00"


def test_a_credit_note_is_issued_with_its_own_number(world, issued, run):
    note = issue(credit(issued, "350.00"), datetime.date(2026, 9, 1))
    next_invoice = issue(invoice_for(run, world.papendrecht), datetime.date(2026, 9, 2))

    assert note.number == "DS-2026-0002C"
    assert note.due_date == datetime.date(2026, 10, 1)
    assert next_invoice.number == "DS-2026-0003F"


def test_the_credit_is_at_most_what_is_left_to_credit(world, issued):
    credit(issued, "1000.00")  # 4,200.00 - 1,000.00 = 3,200.00 left (drafts count too)

    with pytest.raises(BillingError) as refused:
        credit(issued, "3200.01")
    assert str(refused.value) == "The credit must be more than € 0 and at most €3,200.00."

    credit(issued, "3200.00")
    for amount in ("0.01", "0.00", "-10.00"):
        with pytest.raises(BillingError):
            credit(issued, amount)
    assert issued.credit_notes.count() == 2


def test_a_credit_note_needs_a_reason(world, issued):
    for reason in ("", "   \n"):
        with pytest.raises(BillingError) as refused:
            credit(issued, "350.00", reason)
        assert str(refused.value) == "Give the reason for the credit note."
    assert not issued.credit_notes.exists()


def test_only_an_issued_invoice_can_be_credited(world, issued, run):
    draft = invoice_for(run, world.papendrecht)
    note = issue(credit(issued, "350.00"))

    for invoice in (draft, note):
        with pytest.raises(BillingError) as refused:
            credit(invoice, "10.00")
        assert str(refused.value) == "Only an issued invoice can be credited."


def test_a_draft_credit_note_can_be_thrown_away_but_not_a_run_draft(world, issued, run):
    note = credit(issued, "350.00")

    services.draft_delete(invoice=note)

    assert not Invoice.objects.filter(pk=note.pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=note.pk).exists()
    draft = invoice_for(run, world.papendrecht)
    with pytest.raises(BillingError):
        services.draft_delete(invoice=draft)
    assert stored(draft).is_draft
    with pytest.raises(BillingError):
        services.draft_delete(invoice=issued)


# --- What each municipality was billed, paid and owes ----------------------------------------


def test_the_summary_counts_issued_invoices_and_credit_notes(world, client_for, run):
    zwijndrecht = issue(invoice_for(run, world.zwijndrecht))  # 4,200.00
    papendrecht = issue(invoice_for(run, world.papendrecht))  # 1,050.00
    services.invoice_mark_paid(invoice=zwijndrecht, paid_on=datetime.date(2026, 8, 1))
    issue(credit(zwijndrecht, "200.00"), datetime.date(2026, 8, 10))  # -200.00, issued
    credit(papendrecht, "50.00")  # a draft: not billed yet

    summary = client_for(world.finance).get(reverse("billing_overview")).context["summary"]

    # Zwijndrecht: billed 4,200.00 - 200.00 = 4,000.00, paid 4,200.00: 200.00 to settle back.
    # Papendrecht: billed 1,050.00, nothing paid.
    assert summary == [
        {
            "municipality": "Papendrecht",
            "billed": Decimal("1050.00"),
            "paid": Decimal("0.00"),
            "outstanding": Decimal("1050.00"),
        },
        {
            "municipality": "Zwijndrecht",
            "billed": Decimal("4000.00"),
            "paid": Decimal("4200.00"),
            "outstanding": Decimal("-200.00"),
        },
    ]


def test_the_summary_after_settling_a_credit_note(world, client_for, run):
    zwijndrecht = issue(invoice_for(run, world.zwijndrecht))
    note = issue(credit(zwijndrecht, "200.00"), datetime.date(2026, 7, 20))
    # Zwijndrecht pays 4,000.00: the invoice is paid and the credit note settled with it.
    services.invoice_mark_paid(invoice=zwijndrecht, paid_on=datetime.date(2026, 8, 1))
    services.invoice_mark_paid(invoice=note, paid_on=datetime.date(2026, 8, 1))

    response = client_for(world.finance).get(reverse("billing_overview"))

    assert response.context["summary"] == [
        {
            "municipality": "Zwijndrecht",
            "billed": Decimal("4000.00"),
            "paid": Decimal("4000.00"),
            "outstanding": Decimal("0.00"),
        }
    ]
    assert response.context["totals"] == {
        "billed": Decimal("4000.00"),
        "paid": Decimal("4000.00"),
        "outstanding": Decimal("0.00"),
    }


# --- Two people issue at the same moment (PostgreSQL) ----------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-of-year", "counter-exists"])
def test_two_drafts_issued_at_once_get_two_consecutive_numbers(
    world, per_person, monkeypatch, counter_exists
):
    run = run_period(world, 2026, 1)
    if counter_exists:
        InvoiceCounter.objects.create(region=world.drecht, year=2026, last=6)
    # Hold each issue inside its transaction for a moment after taking the counter, so the
    # two truly overlap instead of one finishing before the other starts.
    for_region = BillingProfile.for_region

    def slow_for_region(region):
        time.sleep(0.3)
        return for_region(region)

    monkeypatch.setattr(BillingProfile, "for_region", staticmethod(slow_for_region))
    drafts = list(run.invoices.all())
    barrier = threading.Barrier(len(drafts))
    results: list[object] = [None] * len(drafts)

    def issue_in_thread(index: int, invoice: Invoice) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = issue(invoice)
        except Exception as exc:  # the outcome under test, reported to the main thread
            results[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issue_in_thread, args=(i, invoice))
        for i, invoice in enumerate(drafts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "an issue hung (deadlock?)"

    assert all(isinstance(r, Invoice) for r in results), results
    first = 7 if counter_exists else 1
    assert sorted(r.number for r in results) == [
        f"DS-2026-{first:04d}F",
        f"DS-2026-{first + 1:04d}F",
    ]
    assert InvoiceCounter.objects.get(region=world.drecht, year=2026).last == first + 1
