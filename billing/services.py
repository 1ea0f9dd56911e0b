"""Billing workflows: run a period, issue, credit, mark paid. Each is one transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from quota.ledger import build_ledger
from quota.models import QuotaPeriod
from regions.models import Municipality, Region

from . import cost_keys
from .line_texts import describe
from .models import (
    BillingProfile,
    CostKey,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceRun,
)


class BillingError(Exception):
    """A billing action that cannot be done; the message is for the user."""


@transaction.atomic
def invoice_run_create(
    *, region: Region, period: QuotaPeriod, by, today: datetime.date
) -> InvoiceRun:
    """Draft invoices for every participating municipality except the central one, by the
    year's cost key. All or nothing; a period is billed once. A municipality that gets no share
    under a split by quota (no target, or 0) gets no invoice: the run's ``warnings`` name it."""
    Region.objects.select_for_update().get(pk=region.pk)  # one run at a time per region
    if period.end >= today:
        # A period is billed once: billing it before it ends would leave later placements out.
        raise BillingError(
            _("%(period)s has not ended yet: it can be billed from %(day)s.")
            % {
                "period": period,
                "day": (period.end + datetime.timedelta(days=1)).strftime("%d-%m-%Y"),
            }
        )
    if InvoiceRun.objects.filter(region=region, period=period).exists():
        raise BillingError(_("%(period)s has already been billed.") % {"period": period})
    cost_key = CostKey.objects.filter(region=region, year=period.year).first()
    if cost_key is None:
        raise BillingError(
            _("There is no cost key for %(year)s yet: set one first.") % {"year": period.year}
        )
    if region.central_municipality_id is None:
        raise BillingError(_("The region has no central municipality to bill from."))
    municipalities = list(
        Municipality.objects.filter(region=region, participates=True).order_by("name")
    )
    ledger = build_ledger(region=region, today=today)
    try:
        # Invoice lines are documents: written in the site language, whoever runs the period.
        with translation.override(settings.LANGUAGE_CODE):
            lines = cost_keys.shares(
                cost_key=cost_key, period=period, municipalities=municipalities, ledger=ledger
            )
            warnings = cost_keys.zero_shares(
                cost_key=cost_key, period=period, municipalities=municipalities, ledger=ledger
            )
            # Stored as made; pages compose the text again from the figures for their reader.
            texts = {pk: line.description for pk, line in lines.items()}
    except cost_keys.CostKeyError as exc:
        raise BillingError(str(exc)) from exc
    central = lines.get(region.central_municipality_id)
    if central is None:
        raise BillingError(
            _("The central municipality does not take part in the region: nothing to bill from.")
        )
    try:
        run = InvoiceRun.objects.create(
            region=region,
            period=period,
            cost_key=cost_key,
            central_share=central.amount,
            central_basis=texts[region.central_municipality_id][:2000],
            central_figures=central.figures,
            warnings="\n".join(warnings.values())[:2000],
            created_by=by,
        )
    except IntegrityError as exc:
        raise BillingError(_("%(period)s has already been billed.") % {"period": period}) from exc
    for municipality in municipalities:
        if municipality.pk == region.central_municipality_id:
            continue
        line = lines[municipality.pk]
        if municipality.pk in warnings:
            continue  # a share of nothing: named in the run's warnings, no 0.00 invoice
        invoice = Invoice.objects.create(
            region=region, run=run, period=period, municipality=municipality
        )
        InvoiceLine.objects.create(
            invoice=invoice,
            position=1,
            description=texts[municipality.pk][:300],
            figures=line.figures,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )
    return run


def invoice_total(invoice: Invoice) -> Decimal:
    return invoice.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@transaction.atomic
def invoice_issue(*, invoice: Invoice, issue_date: datetime.date) -> Invoice:
    """Give the draft its number (next in the region's sequence for the year) and dates.
    Guarantees: numbers have no gaps or doubles, also when two people issue at once."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft:
        raise BillingError(_("This invoice has already been issued."))
    total = invoice_total(invoice)
    if total == 0 or not invoice.lines.exists():
        raise BillingError(_("An invoice without an amount cannot be issued."))
    if invoice.kind == Invoice.Kind.INVOICE and total < 0:
        raise BillingError(_("An invoice cannot have a negative total; use a credit note."))
    counter, _created = InvoiceCounter.objects.get_or_create(
        region_id=invoice.region_id, year=issue_date.year
    )
    counter = InvoiceCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    profile = BillingProfile.for_region(invoice.region)
    invoice.number_year = issue_date.year
    invoice.sequence = counter.last
    invoice.number = invoice_number(invoice=invoice, year=issue_date.year, sequence=counter.last)
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + datetime.timedelta(days=profile.payment_term_days)
    invoice.status = Invoice.Status.ISSUED
    invoice.save()
    return invoice


def invoice_number(*, invoice: Invoice, year: int, sequence: int) -> str:
    """E.g. "ZHZ-2026-0014F": region, year, place in the year's series, F(actuur)/C(redit)."""
    prefix = "C" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "F"
    return f"{invoice.region.code}-{year}-{sequence:04d}{prefix}"


def invoice_next_sequence(*, region_id: int, year: int) -> int:
    """The place in the series the next invoice issued in ``year`` gets: shown before issuing
    (someone issuing at the same moment may take it first; ``invoice_issue`` decides)."""
    counter = InvoiceCounter.objects.filter(region_id=region_id, year=year).first()
    return (counter.last if counter else 0) + 1


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, paid_on: datetime.date) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != Invoice.Status.ISSUED:
        raise BillingError(_("Only an issued invoice can be marked as paid."))
    if paid_on < invoice.issue_date:
        raise BillingError(_("The payment date cannot be before the issue date."))
    invoice.status = Invoice.Status.PAID
    invoice.paid_on = paid_on
    invoice.save()
    return invoice


@transaction.atomic
def credit_note_create(*, invoice: Invoice, amount: Decimal, reason: str) -> Invoice:
    """A draft credit note for (part of) an issued invoice; it is issued like an invoice."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE or invoice.is_draft:
        raise BillingError(_("Only an issued invoice can be credited."))
    if not reason.strip():
        raise BillingError(_("Give the reason for the credit note."))
    credited = InvoiceLine.objects.filter(invoice__credits=invoice).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")
    creditable = invoice_total(invoice) + credited  # credit lines are negative
    if amount <= 0 or amount > creditable:
        raise BillingError(
            _("The credit must be more than € 0 and at most %(max)s.")
            % {"max": cost_keys.euro(creditable)}
        )
    note = Invoice.objects.create(
        region_id=invoice.region_id,
        period=invoice.period,
        municipality=invoice.municipality,
        kind=Invoice.Kind.CREDIT_NOTE,
        credits=invoice,
        reason=reason.strip(),
    )
    figures = {"rule": "credit", "number": invoice.number, "reason": reason.strip()}
    # Stored in the site language like the lines of a run, whoever makes the credit note.
    with translation.override(settings.LANGUAGE_CODE):
        description = describe(figures)
    InvoiceLine.objects.create(
        invoice=note,
        position=1,
        description=description[:300],
        figures=figures,
        quantity=Decimal(1),
        unit_price=-amount,
        amount=-amount,
    )
    return note


@transaction.atomic
def draft_delete(*, invoice: Invoice) -> None:
    """Throw away a draft credit note (drafts of a run stay: the run is the period's billing)."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_draft or invoice.kind != Invoice.Kind.CREDIT_NOTE:
        raise BillingError(_("Only a draft credit note can be deleted."))
    invoice.lines.all().delete()
    invoice.delete()
