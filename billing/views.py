"""Billing pages: overview (billed, paid, outstanding), cost keys, runs, invoices, PDFs."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from placement.pdf import pdf_response, render_pdf
from placement.views.common import form_errors_as_messages
from placement.views.confirm import Confirmation, ask, confirm_step, confirmed
from regions.access import capabilities, require
from regions.formats import euro_text
from regions.models import Role

from . import services
from .forms import BillingProfileForm, CostKeyForm, CreditNoteForm, IssueForm, PaidForm, RunForm
from .models import MONEY, BillingProfile, CostKey, Invoice, InvoiceRun

ZERO = Decimal("0.00")


def _summary(invoices) -> list[dict]:
    """Billed, paid and outstanding per municipality (issued invoices and credit notes)."""
    rows = (
        invoices.exclude(status=Invoice.Status.DRAFT)
        .values("municipality__name")
        .annotate(
            billed=Sum("lines__amount", output_field=MONEY),
            paid=Sum("lines__amount", filter=Q(status=Invoice.Status.PAID), output_field=MONEY),
        )
        .order_by("municipality__name")
    )
    result = []
    for row in rows:
        billed, paid = row["billed"] or ZERO, row["paid"] or ZERO
        result.append(
            {
                "municipality": row["municipality__name"],
                "billed": billed,
                "paid": paid,
                "outstanding": billed - paid,
            }
        )
    return result


@require_safe
def billing_overview(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "sees_invoices")
    invoices = Invoice.objects.visible_to(request.user)
    summary = _summary(invoices)
    context = {
        "summary": summary,
        "totals": {
            key: sum((row[key] for row in summary), ZERO)
            for key in ("billed", "paid", "outstanding")
        },
        "invoices": invoices.with_totals()
        .select_related("municipality", "period", "credits")
        .order_by("-created_at")[:100],
        "is_finance": membership.role == Role.FINANCE,
    }
    if membership.role == Role.FINANCE:
        context.update(
            {
                "runs": InvoiceRun.objects.filter(region=membership.region)
                .select_related("period", "cost_key")
                .order_by("-period__year", "-period__half"),
                "cost_keys": CostKey.objects.filter(region=membership.region).order_by("-year"),
                "run_form": RunForm(),
                "profile": BillingProfile.for_region(membership.region),
            }
        )
    return render(request, "billing/overview.html", context)


def cost_key_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    membership = require(request.user, "manages_billing")
    instance = (
        get_object_or_404(CostKey, pk=pk, region=membership.region) if pk is not None else None
    )
    form = CostKeyForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        region=membership.region,
    )
    if request.method == "POST" and form.is_valid():
        if instance is not None and instance.runs.exists():
            messages.error(request, _("This cost key has been used to bill; it cannot change."))
            return redirect("billing_overview")
        form.save()
        messages.success(request, _("Cost key saved."))
        return redirect("billing_overview")
    return render(
        request,
        "billing/cost_key_form.html",
        {"form": form, "cost_key": instance},
        status=400 if request.method == "POST" else 200,
    )


def billing_profile_edit(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "manages_billing")
    profile = BillingProfile.for_region(membership.region)
    form = BillingProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Invoice details saved."))
        return redirect("billing_overview")
    return render(request, "billing/profile_form.html", {"form": form})


@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    membership = require(request.user, "manages_billing")
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a period."))
        return redirect("billing_overview")
    try:
        run = services.invoice_run_create(
            region=membership.region,
            period=form.cleaned_data["period"],
            by=request.user,
            today=timezone.localdate(),
        )
    except services.BillingError as exc:
        messages.error(request, str(exc))
        return redirect("billing_overview")
    messages.success(request, _("Draft invoices made for %(period)s.") % {"period": run.period})
    for warning in run.warning_list:
        messages.warning(request, warning)
    return redirect(run)


def _run_for(user, pk: int) -> InvoiceRun:
    membership = require(user, "manages_billing")
    return get_object_or_404(
        InvoiceRun.objects.select_related("period", "cost_key", "region__central_municipality"),
        pk=pk,
        region=membership.region,
    )


@require_safe
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request.user, pk)
    invoices = list(
        run.invoices.with_totals()
        .select_related("municipality")
        .prefetch_related("lines")
        .order_by("municipality__name")
    )
    billed = sum((i.total_amount or ZERO for i in invoices), ZERO)
    return render(
        request,
        "billing/run_detail.html",
        {
            "run": run,
            "invoices": invoices,
            "billed": billed,
            "total_costs": billed + run.central_share,
            "drafts": sum(1 for i in invoices if i.is_draft),
            "issue_form": IssueForm(),
        },
    )


@require_POST
@confirm_step
def run_issue_all(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request.user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(run)
    issued, refused = 0, []
    drafts = run.invoices.filter(status=Invoice.Status.DRAFT).select_related("municipality")
    if not confirmed(request):
        to_issue = list(drafts.with_totals().order_by("municipality__name"))
        if to_issue:
            return ask(request, _run_confirmation(run, to_issue, form.cleaned_data["issue_date"]))
    for invoice in drafts.order_by("municipality__name"):
        try:
            services.invoice_issue(invoice=invoice, issue_date=form.cleaned_data["issue_date"])
            issued += 1
        except services.BillingError as exc:
            refused.append(f"{invoice.municipality}: {exc}")
    if issued:
        messages.success(
            request,
            ngettext("%(n)s invoice issued.", "%(n)s invoices issued.", issued) % {"n": issued},
        )
    for message in refused:
        messages.error(request, message)
    return redirect(run)


def _run_confirmation(run: InvoiceRun, drafts: list[Invoice], issue_date) -> Confirmation:
    first = services.invoice_next_sequence(region_id=run.region_id, year=issue_date.year)
    numbers = [
        services.invoice_number(invoice=drafts[0], year=issue_date.year, sequence=sequence)
        for sequence in (first, first + len(drafts) - 1)
    ]
    return Confirmation(
        title=_("Issue the invoices of %(period)s?") % {"period": run.period},
        statement=ngettext(
            "%(n)s invoice gets its number now (%(first)s), dated %(day)s:",
            "%(n)s invoices get their numbers now (%(first)s to %(last)s), dated %(day)s:",
            len(drafts),
        )
        % {
            "n": len(drafts),
            "first": numbers[0],
            "last": numbers[1],
            "day": date_format(issue_date, "j F Y"),
        },
        items=[
            _("Municipality %(name)s: %(amount)s")
            % {"name": invoice.municipality, "amount": euro_text(invoice.total_amount or ZERO)}
            for invoice in drafts
        ],
        note=_(
            "This cannot be undone: an issued invoice can no longer change, only be corrected "
            "with a credit note."
        ),
        yes=ngettext("Yes, issue %(n)s invoice", "Yes, issue %(n)s invoices", len(drafts))
        % {"n": len(drafts)},
        cancel_url=run.get_absolute_url(),
    )


def _issue_confirmation(invoice: Invoice, issue_date) -> Confirmation:
    number = services.invoice_number(
        invoice=invoice,
        year=issue_date.year,
        sequence=services.invoice_next_sequence(region_id=invoice.region_id, year=issue_date.year),
    )
    return Confirmation(
        title=_("Issue this %(kind)s?") % {"kind": invoice.get_kind_display()},
        statement=_(
            "%(kind)s for the municipality of %(name)s, %(amount)s, gets its number now "
            "(%(number)s), dated %(day)s."
        )
        % {
            "kind": invoice.get_kind_display().capitalize(),
            "name": invoice.municipality,
            "amount": euro_text(services.invoice_total(invoice)),
            "number": number,
            "day": date_format(issue_date, "j F Y"),
        },
        note=_(
            "This cannot be undone: an issued invoice can no longer change, only be corrected "
            "with a credit note."
        ),
        yes=_("Yes, issue it"),
        cancel_url=invoice.get_absolute_url(),
    )


def invoice_for(user, pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.visible_to(user).select_related(
            "municipality", "period", "region__central_municipality", "credits", "run"
        ),
        pk=pk,
    )


@require_safe
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_for(request.user, pk)
    lines = list(invoice.lines.all())
    can = capabilities(request.user)
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": lines,
            "total": sum((line.amount for line in lines), ZERO),
            "credit_notes": invoice.credit_notes.with_totals().order_by("created_at")
            if can.manages_billing
            else invoice.credit_notes.visible_to(request.user).with_totals(),
            "manages": can.manages_billing,
            "issue_form": IssueForm(prefix="issue"),
            "paid_form": PaidForm(prefix="paid"),
            "credit_form": CreditNoteForm(prefix="credit"),
        },
    )


@require_POST
@confirm_step
def invoice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "manages_billing")
    invoice = invoice_for(request.user, pk)
    forms = {"issue": IssueForm, "paid": PaidForm, "credit": CreditNoteForm, "delete": None}
    if action not in forms:
        return redirect(invoice)
    data = {}
    if forms[action] is not None:
        form = forms[action](request.POST, prefix=action)
        if not form.is_valid():
            form_errors_as_messages(request, form)
            return redirect(invoice)
        data = form.cleaned_data
    if action == "issue" and invoice.is_draft and not confirmed(request):
        return ask(request, _issue_confirmation(invoice, data["issue_date"]))
    try:
        if action == "issue":
            services.invoice_issue(invoice=invoice, issue_date=data["issue_date"])
            messages.success(request, _("Issued."))
        elif action == "paid":
            services.invoice_mark_paid(invoice=invoice, paid_on=data["paid_on"])
            messages.success(request, _("Marked as paid."))
        elif action == "credit":
            note = services.credit_note_create(
                invoice=invoice, amount=data["amount"], reason=data["reason"]
            )
            messages.success(request, _("Draft credit note made: check it and issue it."))
            return redirect(note)
        else:
            credited = invoice.credits
            services.draft_delete(invoice=invoice)
            messages.success(request, _("Draft credit note deleted."))
            return redirect(credited or "billing_overview")
    except services.BillingError as exc:
        messages.error(request, str(exc))
    return redirect(invoice)


def invoice_pdf_document(invoice: Invoice) -> tuple[bytes, str]:
    """The invoice as a PDF and its file name (also used for a period's batch of PDFs)."""
    lines = list(invoice.lines.all())
    profile = BillingProfile.for_region(invoice.region)
    pdf = render_pdf(
        "billing/pdf/invoice.html",
        {
            "invoice": invoice,
            "lines": lines,
            "total": sum((line.amount for line in lines), ZERO),
            "profile": profile,
            "today": timezone.localdate(),
        },
    )
    name = invoice.number or f"concept-{invoice.pk}"
    return pdf, f"{name}.pdf"


@require_safe
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_for(request.user, pk)
    return pdf_response(*invoice_pdf_document(invoice))
