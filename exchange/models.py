"""The COA list import: one uploaded file, its analysis (the preview) and whether it was applied.

The batch holds personal data while it waits: the uploaded file until it is analysed, the
preview (every row's values) until it is applied, or at most ``PREVIEW_RETENTION_DAYS``
(``exchange.coa.purge_import_previews``, called by ``manage.py purge_personal_data``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.access import capabilities, get_membership
from regions.models import Municipality, Region
from regions.models import Role as UserRole

PREVIEW_RETENTION_DAYS = 30


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        """The coordinator sees the region's batches; a municipality officer those scoped to
        their own municipality; nobody else any."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).imports_coa_lists:
            return self.none()
        qs = self.filter(region_id=membership.organisation.region_id)
        if membership.role == UserRole.MUNICIPALITY_OFFICER:
            qs = qs.filter(municipality_id=membership.organisation.municipality_id)
        return qs


class ImportStatus(models.TextChoices):
    ANALYSING = "analysing", _("analysing")
    READY = "ready", _("ready to import")
    APPLYING = "applying", _("importing")
    APPLIED = "applied", _("imported")
    FAILED = "failed", _("failed")


class ImportBatch(models.Model):
    Status = ImportStatus

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # Empty: the whole region (a coordinator); else the officer's own municipality.
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality scope"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus, default=ImportStatus.ANALYSING
    )
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    # The uploaded file, kept only until it is analysed (web processes keep no files).
    data = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    preview = models.JSONField(_("preview"), null=True, blank=True, editable=False)
    # What the confirm did: counts per outcome, and households skipped because they changed.
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("COA list import")
        verbose_name_plural = _("COA list imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="importbatch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")),
                name="importbatch_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="importbatch_applied_has_time",
            ),
        ]
        indexes = [models.Index(fields=["region", "-created_at"], name="importbatch_region_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else ""

    def get_absolute_url(self) -> str:
        return reverse("import_preview", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status in (ImportStatus.ANALYSING, ImportStatus.APPLYING)

    @property
    def change_reason(self) -> str:
        """The history's change reason on what this batch creates or changes (the household
        timeline recognises the prefix)."""
        return f"COA-lijst {self.filename}"[:100]
