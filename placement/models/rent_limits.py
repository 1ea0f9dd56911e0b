"""Yearly figures for suitable allocation (passend toewijzen): data, not constants in code.

``RentLimit`` holds one year's income limits (below and at the AOW age), rent caps
(aftoppingsgrenzen), quality-discount limit and maximum rent for rent benefit, each row with its
source and publication date. ``AowAge`` holds the state pension age (AOW-leeftijd) per year: a
household counts as an AOW-age household when its main applicant has reached it
(``placement.candidates.aow_date``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def _euros(label, digits: int = 9):
    return models.DecimalField(
        label, max_digits=digits, decimal_places=2, validators=[MinValueValidator(0)]
    )


class RentLimit(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    income_limit_single = models.DecimalField(
        _("income limit, 1 person (EUR / year)"), max_digits=9, decimal_places=2
    )
    income_limit_multi = models.DecimalField(
        _("income limit, more persons (EUR / year)"), max_digits=9, decimal_places=2
    )
    income_limit_single_aow = _euros(_("income limit, 1 person of AOW age (EUR / year)"))
    income_limit_multi_aow = _euros(_("income limit, more persons, AOW age (EUR / year)"))
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
    max_rent_benefit = _euros(_("maximum rent for rent benefit (EUR / month)"), digits=7)
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("Date of the official publication the figures are taken from."),
    )

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
            models.CheckConstraint(
                condition=Q(income_limit_single_aow__gt=0)
                & Q(income_limit_multi_aow__gte=F("income_limit_single_aow")),
                name="rentlimit_income_aow_ordered",
                violation_error_message=_(
                    "The AOW-age income limit for more persons is at least the one for 1 person."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_rent_benefit__gte=F("rent_cap_large")),
                name="rentlimit_max_rent_above_caps",
                violation_error_message=_(
                    "The maximum rent for rent benefit is at least the rent cap for 3 or more "
                    "persons."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class AowAge(models.Model):
    """The state pension age (AOW-leeftijd) in a calendar year, as set by law."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    years = models.PositiveSmallIntegerField(
        _("years"), validators=[MinValueValidator(60), MaxValueValidator(75)]
    )
    months = models.PositiveSmallIntegerField(
        _("months"), default=0, validators=[MaxValueValidator(11)]
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("AOW age")
        verbose_name_plural = _("AOW ages")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=60, years__lte=75, months__lte=11),
                name="aowage_plausible",
                violation_error_message=_(
                    "The AOW age is between 60 and 75 years, with 0 to 11 months."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s: %(years)s years %(months)s months") % {
            "year": self.year,
            "years": self.years,
            "months": self.months,
        }
