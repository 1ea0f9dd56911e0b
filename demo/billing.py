"""The finance office's past year, through ``billing.services``: every ended quota period of a
region billed once (an invoice run), its invoices issued two weeks after the period ended, most
of them paid within the payment term, and one credit note per region (issued too).

Only runs made in this seeding run are issued, paid and credited, so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from billing.models import BillingProfile, Invoice, InvoiceRun
from billing.services import (
    BillingError,
    credit_note_create,
    invoice_issue,
    invoice_mark_paid,
    invoice_run_create,
    invoice_total,
)
from quota.models import QuotaPeriod
from regions.models import Region

from .data import (
    CREDIT_NOTE_PERCENT,
    CREDIT_NOTE_REASON,
    INVOICE_ISSUE_AFTER_DAYS,
    INVOICE_PAID_SHARE,
    SEED,
)
from .planners.plans import aware


@dataclass
class Billed:
    runs: int = 0
    issued: int = 0
    paid: int = 0
    credit_notes: int = 0
    problems: list[str] | None = None


def _working_day(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def bill_ended_periods(
    region: Region, periods: list[QuotaPeriod], *, by, today: datetime.date
) -> Billed:
    """Bill the region's ended periods that have no run yet, oldest first."""
    rng = random.Random(f"{SEED}-{region.code}-billing")
    result = Billed(problems=[])
    billed = set(InvoiceRun.objects.filter(region=region).values_list("period_id", flat=True))
    term = BillingProfile.for_region(region).payment_term_days
    for period in sorted(periods, key=lambda p: (p.year, p.half)):
        if period.end >= today or period.pk in billed:
            continue
        try:
            run = invoice_run_create(region=region, period=period, by=by, today=today)
        except BillingError as exc:
            result.problems.append(f"{region.code} {period}: {exc}")
            continue
        result.runs += 1
        issued_on = min(
            _working_day(period.end + datetime.timedelta(days=INVOICE_ISSUE_AFTER_DAYS)), today
        )
        # Dated the day they went out (a draft still takes it; an issued invoice is fixed).
        InvoiceRun.objects.filter(pk=run.pk).update(created_at=aware(issued_on, 9))
        Invoice.objects.filter(run=run).update(created_at=aware(issued_on, 9))
        # An invoice of nothing (no one housed under a fee per person) stays a draft.
        invoices = [
            invoice
            for invoice in run.invoices.order_by("municipality__name", "pk")
            if invoice_total(invoice) > 0
        ]
        for invoice in invoices:
            invoice_issue(invoice=invoice, issue_date=issued_on)
            result.issued += 1
        for invoice in invoices:
            # Every draw is made whatever the outcome.
            paid_on = issued_on + datetime.timedelta(days=rng.randint(5, term + 10))
            if rng.random() < INVOICE_PAID_SHARE and paid_on <= today:
                invoice_mark_paid(invoice=invoice, paid_on=paid_on)
                result.paid += 1
        has_credit = Invoice.objects.filter(region=region, kind=Invoice.Kind.CREDIT_NOTE).exists()
        if invoices and not has_credit:
            result.credit_notes += _credit(invoices, period, issued_on, today)
    return result


def _credit(invoices: list[Invoice], period: QuotaPeriod, issued_on, today) -> int:
    """A credit note on the run's largest invoice: a share of the interpreters' costs in it came
    back from the state."""
    totals = [(invoice_total(invoice), invoice.pk, invoice) for invoice in invoices]
    total, _pk, invoice = max(totals, key=lambda t: (t[0], -t[1]))
    amount = (total * CREDIT_NOTE_PERCENT / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if amount <= 0:
        return 0
    reason = CREDIT_NOTE_REASON.format(period=period, percent=CREDIT_NOTE_PERCENT)
    note = credit_note_create(invoice=invoice, amount=amount, reason=reason)
    credited_on = min(_working_day(issued_on + datetime.timedelta(days=30)), today)
    Invoice.objects.filter(pk=note.pk).update(created_at=aware(credited_on, 9))
    invoice_issue(invoice=note, issue_date=credited_on)
    return 1
