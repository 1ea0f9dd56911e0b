"""Caseload links: a support organisation (partner) supports a household, set by the coordinator."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation

from .households import Household


class SupportLink(models.Model):
    """The household is in the caseload of ``organisation``: its partners see the household in
    full, except income and medical notes unless granted here (see ``regions.access``)."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="support_links",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("support organisation"),
        on_delete=models.PROTECT,
        related_name="support_links",
        limit_choices_to={"kind": Organisation.Kind.SUPPORT},
    )
    may_see_income = models.BooleanField(_("may see income"), default=False)
    may_see_medical = models.BooleanField(_("may see medical notes"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("caseload link")
        verbose_name_plural = _("caseload links")
        ordering = ["household", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "organisation"],
                name="supportlink_unique_household_organisation",
                violation_error_message=_("This organisation already supports this household."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.household}"

    def clean(self) -> None:
        # Across tables, so not a CHECK constraint: the form offers only these organisations.
        if (
            self.organisation_id
            and self.household_id
            and (
                self.organisation.kind != Organisation.Kind.SUPPORT
                or self.organisation.region_id != self.household.linked_municipality.region_id
            )
        ):
            raise ValidationError(
                {"organisation": _("Choose a support organisation of the household's region.")}
            )
