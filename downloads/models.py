"""Prepared downloads: a file made in the background (a large export, a batch of PDFs), kept in
the database for its owner for a day. Web processes stay stateless: no file on local disk."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a prepared file is kept; ``purge_downloads`` deletes what has expired.
KEEP_FOR = datetime.timedelta(hours=24)
ERROR_MAX = 500


def expires_default() -> datetime.datetime:
    return timezone.now() + KEEP_FOR


class PreparedDownloadQuerySet(models.QuerySet):
    def visible_to(self, user) -> PreparedDownloadQuerySet:
        """Only the owner sees a prepared download, and only until it expires."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner_id=user.pk, expires__gt=timezone.now())

    def expired(self, now: datetime.datetime | None = None) -> PreparedDownloadQuerySet:
        return self.filter(expires__lte=now or timezone.now())


class PreparedDownload(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="prepared_downloads",
    )
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    data = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    # Stored beside the file, so lists and the progress page never load the file itself.
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("error"), max_length=ERROR_MAX, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), default=expires_default, db_index=True)

    objects = PreparedDownloadQuerySet.as_manager()

    class Meta:
        verbose_name = _("prepared download")
        verbose_name_plural = _("prepared downloads")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="prepareddownload_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(done__lte=F("total")) | Q(total=0),
                name="prepareddownload_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(data__isnull=False),
                name="prepareddownload_ready_has_file",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created"], name="prepareddownload_owner_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("download_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return round(100 * self.done / self.total) if self.total else 0
