"""The housing quota (taakstelling): half-year periods, targets per municipality, and the
region's counting rule. What counts as realised is computed in ``quota.counting``."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.fields import text_length_check
from regions.models import Municipality, Region


class QuotaPeriod(models.Model):
    """A half-year: I = 1 January - 30 June, II = 1 July - 31 December. National, not per region."""

    class Half(models.IntegerChoices):
        FIRST = 1, "I"
        SECOND = 2, "II"

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half)

    class Meta:
        verbose_name = _("quota period")
        verbose_name_plural = _("quota periods")
        ordering = ["year", "half"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "half"],
                name="quotaperiod_unique",
                violation_error_message=_("This period already exists."),
            ),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="quotaperiod_half_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="quotaperiod_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.get_half_display()}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.half}"

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def key_for(cls, day: datetime.date) -> tuple[int, int]:
        return day.year, 1 if day.month <= 6 else 2


class QuotaTarget(models.Model):
    period = models.ForeignKey(
        QuotaPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="targets"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="quota_targets",
    )
    net_target = models.PositiveIntegerField(
        _("net target (persons)"), help_text=_("The number of persons set by the state.")
    )
    opening_override = models.IntegerField(
        _("opening balance (override)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to carry the previous period's closing balance. Surplus +, backlog -."
        ),
    )
    override_reason = models.TextField(_("reason for the override"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("quota target")
        verbose_name_plural = _("quota targets")
        ordering = ["period", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "municipality"],
                name="quotatarget_unique",
                violation_error_message=_("This municipality already has a target for the period."),
            ),
            models.CheckConstraint(condition=Q(net_target__gte=0), name="quotatarget_not_negative"),
            models.CheckConstraint(
                condition=Q(opening_override__isnull=True) | ~Q(override_reason=""),
                name="quotatarget_override_has_reason",
            ),
            text_length_check("override_reason", 1000, name="quotatarget_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.period}: {self.net_target}"


class CountingDate(models.TextChoices):
    LEASE_START = "lease_start", _("start of the lease")
    MOVE_IN = "move_in", _("move-in date")
    REPORTED_TO_COA = "reported_to_coa", _("date reported to COA")


class CreditedMunicipality(models.TextChoices):
    DWELLING = "dwelling", _("the municipality where the dwelling is")
    LINKED = "linked", _("the municipality the household was linked to")


class OwnHomeCredited(models.TextChoices):
    REGISTRATION = "registration", _("the municipality where the household registers")
    LINKED = "linked", _("the municipality the household was linked to")
    NOT_COUNTED = "not_counted", _("not counted")


class QuotaRule(models.Model):
    """How the region counts realised persons. The law may change: the rule is data."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="quota_rule"
    )
    counting_date = models.CharField(
        _("count on"), max_length=20, choices=CountingDate, default=CountingDate.LEASE_START
    )
    credited = models.CharField(
        _("count for"),
        max_length=20,
        choices=CreditedMunicipality,
        default=CreditedMunicipality.DWELLING,
    )
    own_home_credited = models.CharField(
        _("own home counts for"),
        max_length=20,
        choices=OwnHomeCredited,
        default=OwnHomeCredited.REGISTRATION,
        help_text=_(
            "A household that finds its own home counts, with the persons present, on the day "
            "it registers. By law for the municipality where it registers, unless the region "
            "agreed otherwise."
        ),
    )

    class Meta:
        verbose_name = _("quota counting rule")
        verbose_name_plural = _("quota counting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(counting_date__in=CountingDate.values), name="quotarule_date_valid"
            ),
            models.CheckConstraint(
                condition=Q(credited__in=CreditedMunicipality.values),
                name="quotarule_credited_valid",
            ),
            models.CheckConstraint(
                condition=Q(own_home_credited__in=OwnHomeCredited.values),
                name="quotarule_own_home_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_counting_date_display()}, {self.get_credited_display()}"

    @classmethod
    def for_region(cls, region: Region) -> QuotaRule:
        rule, _ = cls.objects.get_or_create(region=region)
        return rule
