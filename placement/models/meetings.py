"""The monthly regional meeting (regio-overleg) and its agenda."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.access import capabilities, get_membership
from regions.models import Organisation, Region


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    CLOSED = "closed", _("closed")


class MeetingPlacing(models.TextChoices):
    """Who set the meeting's date: the region's schedule, or the coordinator."""

    RULE = "rule", _("by the schedule")
    HAND = "hand", _("set by hand")
    KEPT = "kept", _("kept off the schedule by the coordinator")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Desk, municipalities and partners see their region's meetings."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_meetings:
            return self.none()
        return self.filter(region_id=membership.organisation.region_id)


class Meeting(models.Model):
    Status = MeetingStatus
    Placing = MeetingPlacing

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    attendees = models.ManyToManyField(
        Organisation, verbose_name=_("attendees"), blank=True, related_name="meetings"
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The schedule (placement.schedule) plans one meeting per month; these say which month and
    # who chose the date. A meeting without a rule date is an extra one, planned by hand.
    rule_date = models.DateField(
        _("rule date"),
        null=True,
        blank=True,
        help_text=_(
            "The date the region's meeting rule gives for this meeting's month, before public "
            "holidays and closed days."
        ),
    )
    placing = models.CharField(
        _("date set"), max_length=10, choices=MeetingPlacing, default=MeetingPlacing.HAND
    )
    date_reason = models.CharField(
        _("reason for the date"),
        max_length=200,
        blank=True,
        help_text=_("Why the meeting is not on the date of the schedule, e.g. no room free."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="meeting_unique_date"),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(placing__in=MeetingPlacing.values)
                & (~Q(placing="rule") | Q(rule_date__isnull=False)),
                name="meeting_placing_valid",
            ),
        ]

    def __str__(self) -> str:
        return _("Meeting %(region)s %(date)s") % {
            "region": self.region.name if self.region_id else "",
            "date": self.date.strftime("%d-%m-%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != MeetingStatus.CLOSED


class AgendaKind(models.TextChoices):
    VACANCY = "vacancy", _("vacancy to fill")
    HOUSEHOLD = "household", _("household waiting")
    NOMINATION = "nomination", _("open nomination")


class AgendaOutcome(models.TextChoices):
    OPEN = "open", _("open")
    DECIDED = "decided", _("decided")
    DEFERRED = "deferred", _("deferred to the next meeting")
    DROPPED = "dropped", _("dropped")


class AgendaItem(models.Model):
    Kind = AgendaKind
    Outcome = AgendaOutcome

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind)
    vacancy = models.ForeignKey(
        "placement.Vacancy", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "placement.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    nomination = models.ForeignKey(
        "placement.Nomination", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    decision = models.TextField(_("decision"), max_length=1000, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AgendaOutcome, default=AgendaOutcome.OPEN
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="vacancy", vacancy__isnull=False, household__isnull=True)
                    | Q(kind="household", household__isnull=False, vacancy__isnull=True)
                    | Q(kind="nomination", nomination__isnull=False)
                ),
                name="agendaitem_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=AgendaOutcome.values), name="agendaitem_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="decided") | ~Q(decision=""),
                name="agendaitem_decided_has_decision",
            ),
            models.UniqueConstraint(
                fields=["meeting", "vacancy"],
                condition=Q(kind="vacancy"),
                name="agendaitem_unique_vacancy",
            ),
            models.UniqueConstraint(
                fields=["meeting", "household"],
                condition=Q(kind="household"),
                name="agendaitem_unique_household",
            ),
            models.UniqueConstraint(
                fields=["meeting", "nomination"],
                condition=Q(kind="nomination"),
                name="agendaitem_unique_nomination",
            ),
        ]

    def __str__(self) -> str:
        subject = self.vacancy or self.household or self.nomination
        return f"{self.get_kind_display()}: {subject}"
