"""Who's who at the regional table (deelnemers): the people each organisation sends, their role
at the table, how to reach them, and which meetings they attend.

Stands on ``regions`` (organisations, users) and ``placement`` (meetings); nothing below
imports it. The meeting page and the agenda PDF show attendees through its template tags.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.access import capabilities, get_membership
from regions.models import Organisation


class TableRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    DECISION_MAKER = "decision_maker", _("decision-maker")
    EXECUTIVE = "executive", _("executive")


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParticipantQuerySet:
        """Every role at the table sees the people of its own region; nobody another region's."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_directory:
            return self.none()
        return self.filter(organisation__region_id=membership.organisation.region_id)

    def editable_by(self, user) -> ParticipantQuerySet:
        """The coordinator keeps the region's entries; anyone else only their own entry."""
        visible = self.visible_to(user)
        if capabilities(user).manages_directory:
            return visible
        return visible.filter(user=user)


class Participant(models.Model):
    """One person at the regional table, for one organisation of the region."""

    Role = TableRole

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    name = models.CharField(_("name"), max_length=150)
    table_role = models.CharField(
        _("role at the table"), max_length=20, choices=TableRole, default=TableRole.EXECUTIVE
    )
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
        help_text=_("The person's own account: they may then edit their name, e-mail and phone."),
    )
    active = models.BooleanField(_("at the table"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(table_role__in=TableRole.values), name="participant_role_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="participant_unique_name",
                violation_error_message=_("This organisation already has a person by this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class Attendance(models.Model):
    """A participant attends a meeting of their region (picked by the coordinator)."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    meeting = models.ForeignKey(
        "placement.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting__date", "participant__organisation__name", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "meeting"], name="attendance_unique_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.meeting}"
