"""Nominations (voordrachten): a household proposed for one place of a vacancy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.access import capabilities, get_membership
from regions.fields import text_length_check
from regions.models import Role as UserRole


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("nominated to the corporation")
    VIEWING = "viewing", _("viewing planned")
    ACCEPTED = "accepted", _("accepted by the household")
    REFUSED = "refused", _("refused")
    LEASE_SIGNED = "lease_signed", _("lease signed")
    HOUSED = "housed", _("housed")
    CANCELLED = "cancelled", _("cancelled")
    DISSOLVED = "dissolved", _("lease dissolved")
    MOVED_OUT = "moved_out", _("left the dwelling")


# A nomination in one of these holds its place and its household: at most one per each.
HOLDING = ("nominated", "viewing", "accepted", "lease_signed", "housed")
# Still waiting for an outcome: these come back on the agenda.
AWAITING_OUTCOME = ("nominated", "viewing", "accepted")
# A place stays let when its household leaves the dwelling later: the corporation offers the
# dwelling again as a new vacancy. (The household is free again, so this is not ``HOLDING``.)
PLACE_TAKEN = (*HOLDING, "moved_out")
DISSOLUTION_NOTES_MAX = 1000


class RefusalReason(models.TextChoices):
    TOO_SMALL = "too_small", _("dwelling too small")
    LOCATION = "location", _("location (distance to work, school, family)")
    HEALTH = "health", _("health or accessibility")
    COST = "cost", _("costs")
    CONDITION = "condition", _("condition of the dwelling")
    NO_SHOW = "no_show", _("did not attend the viewing")
    CORPORATION = "corporation", _("refused by the corporation")
    OTHER = "other", _("other")


class DissolutionReason(models.TextChoices):
    HOUSEHOLD_WITHDREW = "household_withdrew", _("the household withdrew")
    CORPORATION = "corporation", _("dissolved by the corporation")
    INCOME_CHECK = "income_check", _("income or suitable-allocation check failed")
    WRONG_DATA = "wrong_data", _("wrong data in the nomination or the lease")
    MOVED_AWAY = "moved_away", _("the household moved away or was relinked")
    OTHER = "other", _("other")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """Desk, municipalities and partners: the region's; a corporation: those for its own
        vacancies (shown with a minimised household profile)."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_nominations:
            return self.none()
        qs = self.filter(vacancy__municipality__region_id=membership.organisation.region_id)
        if membership.role == UserRole.CORPORATION:
            qs = qs.filter(vacancy__corporation_id=membership.organisation_id)
        return qs

    def holding(self) -> NominationQuerySet:
        return self.filter(status__in=HOLDING)

    def taking_a_place(self) -> NominationQuerySet:
        """Nominations that occupy their place: holding ones, and leases whose household has
        left since (the place is let; the corporation offers it again as a new vacancy)."""
        return self.filter(status__in=PLACE_TAKEN)

    def awaiting_outcome(self) -> NominationQuerySet:
        return self.filter(status__in=AWAITING_OUTCOME)


class Nomination(models.Model):
    Status = NominationStatus
    RefusalReason = RefusalReason
    DissolutionReason = DissolutionReason
    HOLDING = HOLDING
    PLACE_TAKEN = PLACE_TAKEN
    AWAITING_OUTCOME = AWAITING_OUTCOME

    TRANSITIONS = {
        "nominated": {"viewing", "accepted", "refused", "cancelled"},
        "viewing": {"accepted", "refused", "cancelled"},
        "accepted": {"lease_signed", "refused", "cancelled"},
        # A signed lease can still fall through (ontbonden); a housed household can leave.
        "lease_signed": {"housed", "dissolved"},
        "refused": set(),
        "housed": {"moved_out"},
        "cancelled": set(),
        "dissolved": set(),
        "moved_out": set(),
    }

    vacancy = models.ForeignKey(
        "placement.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    place = models.PositiveSmallIntegerField(_("place"), default=1)
    household = models.ForeignKey(
        "placement.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    meeting = models.ForeignKey(
        "placement.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus, default=NominationStatus.NOMINATED
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=0)
    score_parts = models.JSONField(_("score parts"), default=list, blank=True)
    rule_failures = models.JSONField(
        _("hard rules not met"), default=list, blank=True, help_text=_("Recorded at nomination.")
    )
    override_reason = models.TextField(
        _("justification for overriding the rules"), max_length=500, blank=True
    )
    viewing_at = models.DateTimeField(_("viewing"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=20, choices=RefusalReason, blank=True
    )
    refusal_justified = models.BooleanField(_("refusal justified"), null=True, blank=True)
    refusal_notes = models.TextField(_("notes on the refusal"), max_length=1000, blank=True)
    lease_signed_on = models.DateField(_("lease signed on"), null=True, blank=True)
    lease_start = models.DateField(_("lease start"), null=True, blank=True)
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)
    reported_to_coa_on = models.DateField(_("reported to COA on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=500, blank=True)
    dissolved_on = models.DateField(_("lease dissolved on"), null=True, blank=True)
    dissolution_reason = models.CharField(
        _("reason the lease was dissolved"), max_length=20, choices=DissolutionReason, blank=True
    )
    dissolution_notes = models.TextField(
        _("notes on the dissolution"), max_length=DISSOLUTION_NOTES_MAX, blank=True
    )
    moved_out_on = models.DateField(_("left the dwelling on"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NominationStatus.values), name="nomination_status_valid"
            ),
            models.CheckConstraint(condition=Q(place__gte=1), name="nomination_place_positive"),
            models.UniqueConstraint(
                fields=["vacancy", "place"],
                condition=Q(status__in=HOLDING),
                name="nomination_one_per_place",
                violation_error_message=_("This place already has an active nomination."),
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status__in=HOLDING),
                name="nomination_one_per_household",
                violation_error_message=_("This household already has an active nomination."),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="nomination_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["lease_signed", "housed"])
                | Q(lease_signed_on__isnull=False, lease_start__isnull=False),
                name="nomination_lease_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="housed") | Q(move_in_date__isnull=False),
                name="nomination_housed_has_move_in",
            ),
            models.CheckConstraint(
                condition=Q(rule_failures=[]) | ~Q(override_reason=""),
                name="nomination_override_justified",
            ),
            # A dissolved lease: it was signed, and says when and why it fell through.
            models.CheckConstraint(
                condition=~Q(status="dissolved")
                | (
                    Q(dissolved_on__isnull=False, lease_signed_on__isnull=False)
                    & ~Q(dissolution_reason="")
                ),
                name="nomination_dissolved_has_reason_and_date",
            ),
            models.CheckConstraint(
                condition=Q(dissolution_reason="")
                | Q(dissolution_reason__in=DissolutionReason.values),
                name="nomination_dissolution_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=F("lease_signed_on")),
                name="nomination_dissolved_after_signing",
            ),
            # Left the dwelling: after moving in, on a known day.
            models.CheckConstraint(
                condition=~Q(status="moved_out")
                | Q(moved_out_on__isnull=False, move_in_date__isnull=False),
                name="nomination_moved_out_has_date",
            ),
            models.CheckConstraint(
                condition=Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=F("move_in_date")),
                name="nomination_moved_out_after_move_in",
            ),
            text_length_check(
                "dissolution_notes",
                DISSOLUTION_NOTES_MAX,
                name="nomination_dissolution_notes_length",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "vacancy"], name="nomination_status_vacancy_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household} → {self.vacancy}"

    def get_absolute_url(self) -> str:
        return reverse("nomination_detail", args=[self.pk])

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING

    def other_places_taken(self) -> bool:
        """Whether another place of the same vacancy is held or let (shared housing)."""
        return (
            Nomination.objects.filter(vacancy_id=self.vacancy_id)
            .taking_a_place()
            .exclude(pk=self.pk)
            .exists()
        )
