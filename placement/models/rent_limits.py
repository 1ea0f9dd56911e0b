"""Yearly figures for suitable allocation (passend toewijzen): data, not constants in code."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RentLimit(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    income_limit_single = models.DecimalField(
        _("income limit, 1 person (EUR / year)"), max_digits=9, decimal_places=2
    )
    income_limit_multi = models.DecimalField(
        _("income limit, more persons (EUR / year)"), max_digits=9, decimal_places=2
    )
    rent_cap_small = models.DecimalField(
        _("rent cap, 1-2 persons (EUR / month)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    rent_cap_large = models.DecimalField(
        _("rent cap, 3 or more persons (EUR / month)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    quality_discount_limit = models.DecimalField(
        _("quality-discount limit (EUR / month)"), max_digits=7, decimal_places=2
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rent limit")
        verbose_name_plural = _("rent limits")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent_cap_small__gt=0, rent_cap_large__gte=F("rent_cap_small")),
                name="rentlimit_caps_ordered",
            ),
            models.CheckConstraint(
                condition=Q(income_limit_single__gt=0)
                & Q(income_limit_multi__gte=F("income_limit_single")),
                name="rentlimit_income_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
