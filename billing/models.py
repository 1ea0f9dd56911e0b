"""Central-administration billing (the Dordrecht model): the central municipality runs the desk
and bills the other participating municipalities per half-year by the region's cost key.

An issued invoice never changes: the model refuses it, and corrections are credit notes that
reference the invoice. Numbers are sequential per region and year, handed out at issue.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quota.models import QuotaPeriod
from regions.access import capabilities, get_membership
from regions.fields import text_length_check
from regions.models import Municipality, Region
from regions.models import Role as UserRole

from .line_texts import describe

CENT = Decimal("0.01")
# Sums of amounts stay in cents on every database (SQLite would return bare numbers).
MONEY = models.DecimalField(max_digits=13, decimal_places=2)


class CostKeyMethod(models.TextChoices):
    PER_PERSON = "per_person", _("fee per placed person")
    PER_HOUSEHOLD = "per_household", _("fee per placed household")
    QUOTA_SHARE = "quota_share", _("yearly budget split by share of the quota")
    POPULATION_SHARE = "population_share", _("yearly budget split by share of the population")
    FIXED = "fixed", _("fixed yearly amount per municipality")


class CostKey(models.Model):
    """The cost key (verdeelsleutel) of a region for one year."""

    Method = CostKeyMethod
    # The one amount each method uses (the check constraints below say the same).
    AMOUNT_FIELD = {
        CostKeyMethod.PER_PERSON: "tariff",
        CostKeyMethod.PER_HOUSEHOLD: "tariff",
        CostKeyMethod.QUOTA_SHARE: "budget",
        CostKeyMethod.POPULATION_SHARE: "budget",
        CostKeyMethod.FIXED: "fixed_amount",
    }

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="cost_keys"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    method = models.CharField(_("cost key"), max_length=20, choices=CostKeyMethod)
    tariff = models.DecimalField(
        _("tariff (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Per placed person or per placed household."),
    )
    budget = models.DecimalField(
        _("yearly budget (EUR)"),
        max_digits=11,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The desk's yearly costs to split; each half-year bills half."),
    )
    fixed_amount = models.DecimalField(
        _("fixed amount per municipality per year (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("cost key")
        verbose_name_plural = _("cost keys")
        ordering = ["region", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="costkey_one_per_year",
                violation_error_message=_("This region already has a cost key for that year."),
            ),
            models.CheckConstraint(
                condition=Q(method__in=CostKeyMethod.values), name="costkey_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(method__in=["per_person", "per_household"])
                | Q(tariff__isnull=False, tariff__gt=0),
                name="costkey_fee_needs_tariff",
            ),
            models.CheckConstraint(
                condition=~Q(method__in=["quota_share", "population_share"])
                | Q(budget__isnull=False, budget__gt=0),
                name="costkey_share_needs_budget",
            ),
            models.CheckConstraint(
                condition=~Q(method="fixed") | Q(fixed_amount__isnull=False, fixed_amount__gt=0),
                name="costkey_fixed_needs_amount",
            ),
            text_length_check("notes", 2000, name="costkey_notes_length"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.get_method_display()}"

    def clean(self) -> None:
        field = self.AMOUNT_FIELD.get(self.method)
        if field and not getattr(self, field):
            raise ValidationError({field: _("This cost key needs this amount.")})


class BillingProfile(models.Model):
    """What the central municipality prints on its invoices."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="billing_profile"
    )
    sender_name = models.CharField(_("sender"), max_length=150)
    sender_address = models.TextField(_("sender address"), max_length=500, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term (days)"), default=30, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("billing profile")
        verbose_name_plural = _("billing profiles")
        constraints = [
            text_length_check("sender_address", 500, name="billingprofile_address_length"),
        ]

    def __str__(self) -> str:
        return self.sender_name

    @classmethod
    def for_region(cls, region: Region) -> BillingProfile:
        central = region.central_municipality
        profile, _created = cls.objects.get_or_create(
            region=region,
            defaults={"sender_name": f"Gemeente {central.name}" if central else region.name},
        )
        return profile


class InvoiceRun(models.Model):
    """One billing of a period for a region: all its draft invoices are made at once."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="invoice_runs"
    )
    period = models.ForeignKey(
        QuotaPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    cost_key = models.ForeignKey(
        CostKey, verbose_name=_("cost key"), on_delete=models.PROTECT, related_name="runs"
    )
    central_share = models.DecimalField(
        _("share of the central municipality (EUR)"), max_digits=11, decimal_places=2, default=0
    )
    central_basis = models.TextField(
        _("how the central share was derived"), max_length=2000, blank=True
    )
    central_figures = models.JSONField(
        _("figures of the central share"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the central share was derived from; its text follows the reader."),
    )
    warnings = models.TextField(
        _("warnings"),
        max_length=2000,
        blank=True,
        help_text=_("What the run could not bill as expected, one point per line."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice run")
        verbose_name_plural = _("invoice runs")
        ordering = ["-period__year", "-period__half"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"],
                name="invoicerun_one_per_period",
                violation_error_message=_("This period has already been billed."),
            ),
            text_length_check("central_basis", 2000, name="invoicerun_basis_length"),
            text_length_check("warnings", 2000, name="invoicerun_warnings_length"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("billing_run", args=[self.pk])

    @property
    def central_text(self) -> str:
        """How the central share was derived, in the reader's language."""
        return describe(self.central_figures) or self.central_basis

    @property
    def warning_list(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if line.strip()]


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    CREDIT_NOTE = "credit_note", _("credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
    PAID = "paid", _("paid")


class InvoiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvoiceQuerySet:
        """Finance: every invoice of the region. A municipality officer: the issued invoices
        addressed to their own municipality. Nobody else."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_invoices:
            return self.none()
        qs = self.filter(region_id=membership.organisation.region_id)
        if membership.role == UserRole.MUNICIPALITY_OFFICER:
            qs = qs.filter(
                municipality_id=membership.organisation.municipality_id,
                status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID],
            )
        return qs

    def with_totals(self) -> InvoiceQuerySet:
        return self.annotate(total_amount=Sum("lines__amount", output_field=MONEY))


class ImmutableInvoiceError(Exception):
    """An issued invoice or credit note does not change; make a credit note instead."""


class Invoice(models.Model):
    Kind = InvoiceKind
    Status = InvoiceStatus

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="invoices"
    )
    run = models.ForeignKey(
        InvoiceRun,
        verbose_name=_("invoice run"),
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
    )
    period = models.ForeignKey(
        QuotaPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=InvoiceKind, default=InvoiceKind.INVOICE
    )
    credits = models.ForeignKey(
        "self",
        verbose_name=_("credits invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus, default=InvoiceStatus.DRAFT
    )
    number_year = models.PositiveSmallIntegerField(_("number year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, null=True, blank=True, unique=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(
                    number__isnull=False,
                    sequence__isnull=False,
                    issue_date__isnull=False,
                    due_date__isnull=False,
                ),
                name="invoice_issued_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="invoice_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="paid") | Q(paid_on__isnull=True),
                name="invoice_paid_on_only_when_paid",
                violation_error_message=_("A payment date can only be recorded on a paid invoice."),
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="invoice_credit_note_references",
            ),
            text_length_check("reason", 1000, name="invoice_reason_length"),
            models.UniqueConstraint(
                fields=["region", "number_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoice_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["run", "municipality"],
                condition=Q(kind="invoice"),
                name="invoice_one_per_run_municipality",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="invoice_region_status_idx"),
        ]

    def __str__(self) -> str:
        label = self.number or _("draft")
        return f"{self.get_kind_display()} {label} — {self.municipality}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Invoice.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != InvoiceStatus.DRAFT:
                changed = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if stored[f.attname] != getattr(self, f.attname)
                }
                # Recording the payment is the one change an issued invoice takes.
                if not changed <= {"status", "paid_on"} or (
                    "status" in changed and self.status != InvoiceStatus.PAID
                ):
                    raise ImmutableInvoiceError(
                        _("An issued invoice cannot be changed; make a credit note.")
                    )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("billing_invoice", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.paid_on and self.status != InvoiceStatus.PAID:
            raise ValidationError(
                {"paid_on": _("A payment date can only be recorded on a paid invoice.")}
            )

    def delete(self, *args, **kwargs):
        if not self.is_draft:
            raise ImmutableInvoiceError(_("An issued invoice cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    # The text as the line was made, in the site language: the PDF prints it as issued.
    description = models.CharField(_("description"), max_length=300)
    figures = models.JSONField(
        _("figures"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the amount was derived from; its text follows the reader."),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=11, decimal_places=4, default=1)
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=11, decimal_places=2)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=11, decimal_places=2)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "id"]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_draft()
        return super().delete(*args, **kwargs)

    @property
    def text(self) -> str:
        """The description in the reader's language, composed from the stored figures (lines
        made before figures were stored keep their stored text)."""
        return describe(self.figures) or self.description

    def _check_draft(self) -> None:
        # The invoice the line is on now and, for a stored line, the one it was on.
        invoice_ids = {self.invoice_id}
        if self.pk is not None:
            invoice_ids |= set(
                InvoiceLine.objects.filter(pk=self.pk).values_list("invoice_id", flat=True)
            )
        if Invoice.objects.filter(pk__in=invoice_ids).exclude(status=InvoiceStatus.DRAFT).exists():
            raise ImmutableInvoiceError(
                _("An issued invoice cannot be changed; make a credit note.")
            )


class InvoiceCounter(models.Model):
    """The last number handed out per region and year; locked while issuing."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="invoicecounter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.last}"
