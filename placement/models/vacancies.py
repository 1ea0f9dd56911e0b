"""Vacancies (woningaanbod) that housing corporations offer to the desk."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placement import deadlines
from regions.access import capabilities, get_membership
from regions.models import Municipality, Organisation
from regions.models import Role as UserRole

postcode_validator = RegexValidator(
    regex=r"^[1-9][0-9]{3} ?[A-Z]{2}$",
    message=_("A Dutch postcode looks like 3311 AB."),
)


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user) -> VacancyQuerySet:
        """A corporation sees its own vacancies; desk, municipalities and partners the region's."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_vacancies:
            return self.none()
        qs = self.filter(municipality__region_id=membership.organisation.region_id)
        if membership.role == UserRole.CORPORATION:
            return qs.filter(corporation_id=membership.organisation_id)
        if membership.role != UserRole.COORDINATOR:
            # Municipalities and partners see what the desk has taken on, not raw submissions.
            qs = qs.exclude(status__in=[Vacancy.Status.SUBMITTED, Vacancy.Status.WITHDRAWN])
        return qs

    def awaiting_nomination(self) -> VacancyQuerySet:
        return self.filter(status__in=[Vacancy.Status.ACCEPTED, Vacancy.Status.ON_AGENDA])

    def near_return_deadline(self, today: datetime.date) -> VacancyQuerySet:
        horizon = today + datetime.timedelta(days=settings.VACANCY_RETURN_WARNING_DAYS)
        return self.awaiting_nomination().filter(return_deadline__lte=horizon)


class DwellingType(models.TextChoices):
    SINGLE_FAMILY = "single_family", _("single-family house")
    APARTMENT = "apartment", _("apartment")
    SENIOR = "senior", _("senior housing")
    SHARED = "shared", _("shared housing / room")
    FLEX = "flex", _("temporary / flex home")


class VacancyStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted by the desk")
    ON_AGENDA = "on_agenda", _("on the agenda")
    NOMINATED = "nominated", _("nominated")
    LET = "let", _("let")
    RETURNED = "returned", _("returned to the corporation")
    WITHDRAWN = "withdrawn", _("withdrawn by the corporation")


class Vacancy(models.Model):
    DwellingType = DwellingType
    Status = VacancyStatus

    TRANSITIONS = {
        "submitted": {"accepted", "returned", "withdrawn"},
        "accepted": {"on_agenda", "nominated", "returned", "withdrawn"},
        "on_agenda": {"accepted", "nominated", "returned", "withdrawn"},
        "nominated": {"accepted", "on_agenda", "let"},
        "returned": {"submitted", "withdrawn"},
        # Only when its lease is dissolved: open again, or withdrawn (the corporation's choice).
        "let": {"accepted", "on_agenda", "withdrawn"},
        "withdrawn": set(),
    }
    # States in which the corporation may still change what it submitted.
    CORPORATION_EDITABLE = ("submitted", "returned")
    # States in which the desk may still correct the dwelling's details.
    DESK_EDITABLE = ("submitted", "accepted", "on_agenda")

    corporation = models.ForeignKey(
        Organisation,
        verbose_name=_("housing corporation"),
        on_delete=models.PROTECT,
        related_name="vacancies",
        limit_choices_to={"kind": Organisation.Kind.CORPORATION},
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    street = models.CharField(_("street and number"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[postcode_validator])
    place = models.CharField(
        _("place"), max_length=80, help_text=_("Town or village, e.g. Waarder.")
    )
    dwelling_type = models.CharField(_("dwelling type"), max_length=20, choices=DwellingType)
    rooms = models.PositiveSmallIntegerField(_("rooms"), validators=[MinValueValidator(1)])
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"))
    floor_area = models.PositiveSmallIntegerField(
        _("floor area (m²)"), validators=[MinValueValidator(1)]
    )
    floor = models.SmallIntegerField(_("floor"), default=0, help_text=_("0 is the ground floor."))
    has_lift = models.BooleanField(_("lift"), default=False)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    base_rent = models.DecimalField(
        _("base rent (EUR / month)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("Rent without service charges (kale huur); for shared housing: per place."),
    )
    service_charges = models.DecimalField(
        _("service charges (EUR / month)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    available_from = models.DateField(_("available from"))
    return_deadline = models.DateField(
        _("return deadline"),
        help_text=_(
            "Date by which a household must be nominated, or the dwelling goes back. Usually "
            "weeks before the dwelling is free, to leave time for a viewing and the contract."
        ),
    )
    places = models.PositiveSmallIntegerField(
        _("households it can take"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("More than one only for shared housing for singles."),
    )
    remarks = models.TextField(_("remarks"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VacancyStatus, default=VacancyStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    return_reason = models.TextField(_("reason for returning"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["return_deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VacancyStatus.values), name="vacancy_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(dwelling_type__in=DwellingType.values),
                name="vacancy_dwelling_type_valid",
            ),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="vacancy_rooms_positive"),
            models.CheckConstraint(
                condition=Q(bedrooms__lte=F("rooms")), name="vacancy_bedrooms_within_rooms"
            ),
            models.CheckConstraint(
                condition=Q(floor_area__gte=1), name="vacancy_floor_area_positive"
            ),
            models.CheckConstraint(
                condition=Q(base_rent__gte=0, service_charges__gte=0),
                name="vacancy_rent_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(places=1) | Q(places__gt=1, dwelling_type="shared"),
                name="vacancy_places_only_shared",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="vacancy_returned_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "return_deadline"], name="vacancy_status_deadline_idx"),
            models.Index(fields=["corporation", "status"], name="vacancy_corp_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("vacancy_detail", args=[self.pk])

    @property
    def total_rent(self) -> Decimal:
        return self.base_rent + self.service_charges

    def days_to_return_deadline(self, today: datetime.date | None = None) -> int:
        return (self.return_deadline - (today or timezone.localdate())).days

    def date_warnings(self, today: datetime.date | None = None) -> list[str]:
        """While the desk still has to nominate: warnings about the dates (``deadlines``)."""
        if self.status not in ("submitted", "accepted", "on_agenda"):
            return []
        return deadlines.vacancy_date_warnings(
            self.available_from, self.return_deadline, today or timezone.localdate()
        )

    def is_near_return_deadline(self, today: datetime.date | None = None) -> bool:
        return (
            self.status in (self.Status.ACCEPTED, self.Status.ON_AGENDA)
            and self.days_to_return_deadline(today) <= settings.VACANCY_RETURN_WARNING_DAYS
        )
