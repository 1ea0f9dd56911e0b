"""Notices: what the desk tells a user, in the app and by e-mail, each exactly once.

A notice is the record that something was told: one row per (recipient, kind, subject,
threshold), guarded by a ``UniqueConstraint``, so a second run of ``send_notices`` or two
workers at once cannot tell it twice (``notices.services.notify`` creates with get-or-create).
The text is not stored: it is written when shown, in the reader's language, from the kind, the
subject and a few facts in ``data`` (never a name or another personal detail).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Corporation users
    NOMINATION_RECEIVED = "nomination_received", _("A household was nominated for our vacancy")
    OUTCOME_DUE = "outcome_due", _("A viewing has passed without an outcome")
    # Coordinators
    VACANCY_SUBMITTED = "vacancy_submitted", _("A vacancy was submitted")
    VACANCY_UNFILLED = (
        "vacancy_unfilled",
        _("A vacancy is near its return deadline without a nomination"),
    )
    HOUSEHOLD_WAITING = "household_waiting", _("A household reached a warning week")
    NOMINATION_STALLED = "nomination_stalled", _("A nomination is waiting for an outcome")
    # Everyone at the table of the regional meeting
    AGENDA_READY = "agenda_ready", _("The agenda of the next meeting is ready")
    DECISIONS_READY = "decisions_ready", _("The decision list of a meeting")
    # Municipality officers
    HOUSED_ELSEWHERE = "housed_elsewhere", _("A household of our municipality was housed elsewhere")


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> NoticeQuerySet:
        """A user's own notices shown in the app; nobody sees another person's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user, in_app=True)

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    # What the notice is about, as "vacancy:12": with ``threshold`` the key of "once".
    subject_key = models.CharField(_("subject"), max_length=40)
    # Weeks (household waiting) or days (nomination stalled) reached; 0 for one-off notices.
    threshold = models.PositiveSmallIntegerField(_("threshold"), default=0)
    household = models.ForeignKey(
        "placement.Household",
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    vacancy = models.ForeignKey(
        "placement.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    nomination = models.ForeignKey(
        "placement.Nomination",
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    meeting = models.ForeignKey(
        "placement.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    # Facts the text needs that may change later (size, deadline, days): no personal data.
    data = models.JSONField(_("facts"), default=dict, blank=True)
    in_app = models.BooleanField(_("shown in the app"), default=True)
    email_wanted = models.BooleanField(_("sent by e-mail"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "threshold"],
                name="notice_once_per_recipient_subject_threshold",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notice_kind_valid"),
            models.CheckConstraint(
                condition=Q(in_app=True) | Q(email_wanted=True), name="notice_has_a_channel"
            ),
            models.CheckConstraint(
                condition=Q(emailed_at__isnull=True) | Q(email_wanted=True),
                name="notice_emailed_only_when_wanted",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"],
                condition=Q(in_app=True),
                name="notice_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.subject_key})"


class NoticePreference(models.Model):
    """A user's choice for one kind; without a row both channels are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notice_preferences",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="noticepreference_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="noticepreference_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()}"
