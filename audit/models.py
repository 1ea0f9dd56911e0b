"""Change history of the desk's records, and the marks the retention purge leaves.

The history comes from django-simple-history: every save and delete of a tracked model writes a
row to its historical table, with the user (``HistoryRequestMiddleware``) and the time. It works
on SQLite (the ``make run`` default) and on PostgreSQL alike; django-pghistory would record
through PostgreSQL-only triggers and leave the SQLite demo without history.

Every historical table and its migrations live in this app (``register(..., app="audit")``), so
placement, quota and billing do not know they are tracked: the arrows keep pointing down.
Historical rows go to their own tables, so billing's triggers that refuse changes to issued
invoices never see them. Bulk writes (``update()``, ``bulk_create``) bypass the signals: the
services that change tracked rows use ``save()`` or simple_history's bulk helpers instead.
"""

from __future__ import annotations

import simple_history
from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.models import CostKey, Invoice, InvoiceLine
from placement.models import AgendaItem, Household, Meeting, Nomination, Person, Vacancy
from quota.models import QuotaRule, QuotaTarget

# auto_now timestamps change on every save: tracking them would only add noise.
TRACKED = [
    # Sizes are derived from the members (tracked themselves), kept by placement.refresh_sizes.
    (Household, ["updated_at", "size", "expected_size"]),
    (Person, []),
    (Vacancy, ["updated_at"]),
    (Nomination, ["updated_at"]),
    (Meeting, []),
    (AgendaItem, []),
    # Quota figures: targets with the period's opening-balance overrides, the counting rule.
    (QuotaTarget, []),
    (QuotaRule, []),
    (CostKey, []),
    (Invoice, []),
    (InvoiceLine, []),
]

# The change reason of the rows the retention purge writes (shown translated on the pages).
ANONYMISED_REASON = "anonymised (retention period over)"

for _model, _excluded in TRACKED:
    simple_history.register(_model, app="audit", excluded_fields=_excluded)


class Anonymisation(models.Model):
    """A household whose personal data the retention purge removed (never processed twice)."""

    household = models.OneToOneField(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="anonymisation",
    )
    at = models.DateTimeField(_("anonymised at"))
    run = models.ForeignKey(
        "PurgeRun",
        verbose_name=_("purge run"),
        on_delete=models.PROTECT,
        related_name="anonymisations",
    )

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-at", "id"]

    def __str__(self) -> str:
        return f"{self.household} ({self.at:%Y-%m-%d})"


class PurgeRun(models.Model):
    """One run of ``purge_personal_data``: what it did, or would do in a dry run."""

    at = models.DateTimeField(_("run at"))
    dry_run = models.BooleanField(_("dry run"))
    personal_data_months = models.PositiveSmallIntegerField(_("retention of personal data"))
    log_months = models.PositiveSmallIntegerField(_("retention of logs"))
    households = models.PositiveIntegerField(_("households anonymised"), default=0)
    persons = models.PositiveIntegerField(_("persons anonymised"), default=0)
    history_rows = models.PositiveIntegerField(_("history rows deleted"), default=0)
    read_log_rows = models.PositiveIntegerField(_("read-log rows deleted"), default=0)

    class Meta:
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        ordering = ["-at", "-id"]
        constraints = [
            # A retention period of zero months would purge what was closed today.
            models.CheckConstraint(
                condition=models.Q(personal_data_months__gte=1) & models.Q(log_months__gte=1),
                name="purgerun_periods_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"
