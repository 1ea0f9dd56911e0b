"""The read-access log: who saw which household's personal data, when, where and what.

Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0006), except for the
retention purge in ``placement.access_log``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.access import GROUP_LABELS, Group

from .households import Household


class Channel(models.TextChoices):
    PAGE = "page", _("page")
    PARTIAL = "partial", _("page part")
    EXPORT = "export", _("export")
    PDF = "pdf", _("PDF")


class PersonalDataView(models.Model):
    Channel = Channel

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="personal_data_views",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="personal_data_views",
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    page = models.CharField(_("page"), max_length=100)
    groups = models.CharField(
        _("data shown"),
        max_length=100,
        help_text=_("The groups of personal data shown, comma-separated."),
    )

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        ordering = ["-viewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="personaldataview_channel_valid"
            ),
            models.CheckConstraint(condition=~Q(groups=""), name="personaldataview_groups_set"),
        ]
        indexes = [
            models.Index(fields=["household", "-viewed_at"], name="pdview_household_idx"),
            models.Index(fields=["user", "-viewed_at"], name="pdview_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.household} ({self.viewed_at:%Y-%m-%d %H:%M})"

    @property
    def group_labels(self) -> list[str]:
        return [str(GROUP_LABELS[Group(g)]) for g in self.groups.split(",") if g]
