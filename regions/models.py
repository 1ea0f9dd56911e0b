"""Regions, their municipalities and partner organisations, and who works where.

Every user belongs to exactly one organisation in one region (``Membership``); the role there
decides what they may see and do (see ``regions.access``).
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

cbs_code_validator = RegexValidator(
    regex=r"^GM\d{4}$",
    message=_("A CBS code is 'GM' followed by four digits, for example GM0505."),
)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        help_text=_("Short prefix for household references, e.g. DS."),
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Use 2 to 8 capital letters."))],
    )
    central_municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("central municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting_week = models.SmallIntegerField(
        _("meeting week of the month"), choices=WeekOfMonth, default=WeekOfMonth.THIRD
    )
    meeting_weekday = models.SmallIntegerField(
        _("meeting weekday"), choices=Weekday, default=Weekday.TUESDAY
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_weekday__gte=0, meeting_weekday__lte=4),
                name="region_meeting_weekday_valid",
            ),
            models.CheckConstraint(
                condition=Q(meeting_week__in=[1, 2, 3, 4, -1]),
                name="region_meeting_week_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def meeting_rule_label(self) -> str:
        return _("every %(week)s %(weekday)s of the month") % {
            "week": self.get_meeting_week_display(),
            "weekday": self.get_meeting_weekday_display().lower(),
        }

    def meeting_date_in(self, year: int, month: int) -> datetime.date:
        """The meeting day in the given month according to the region's rule."""
        days = [
            week[self.meeting_weekday]
            for week in calendar.monthcalendar(year, month)
            if week[self.meeting_weekday]
        ]
        day = days[-1] if self.meeting_week == WeekOfMonth.LAST else days[self.meeting_week - 1]
        return datetime.date(year, month, day)

    def next_meeting_date(self, today: datetime.date) -> datetime.date:
        candidate = self.meeting_date_in(today.year, today.month)
        if candidate >= today:
            return candidate
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return self.meeting_date_in(year, month)


class ClosedDay(models.Model):
    """A day or a range of days on which the region does not meet (its own closed days, beside
    the Dutch public holidays): Liberation Day in a year the law does not make it a holiday, a
    summer recess. A meeting whose rule date falls on one moves to the next working day."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="closed_days"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until and including"))
    description = models.CharField(_("description"), max_length=100)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["start_date", "end_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="closedday_end_not_before_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.UniqueConstraint(
                fields=["region", "start_date", "end_date"],
                name="closedday_unique_range",
                violation_error_message=_("These closed days are already recorded."),
            ),
        ]

    # A longer closure is no closed day but a pause of the meetings: ask the administrator.
    MAX_DAYS = 92

    def __str__(self) -> str:
        if self.start_date == self.end_date:
            return f"{self.description} ({self.start_date:%d-%m-%Y})"
        return f"{self.description} ({self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.start_date
            and self.end_date
            and (self.end_date - self.start_date).days >= self.MAX_DAYS
        ):
            raise ValidationError(
                {"end_date": _("Closed days span at most %(n)s days.") % {"n": self.MAX_DAYS}}
            )


class Province(models.Model):
    """A province: supervises the quota of its municipalities (interbestuurlijk toezicht),
    whatever region they place in. Woerden e.o. spans two of them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        help_text=_("CBS code, 'PV' followed by two digits, for example PV28 (Zuid-Holland)."),
        validators=[RegexValidator(r"^PV\d{2}$", _("Use 'PV' followed by two digits."))],
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^PV[0-9]{2}$"), name="province_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
    )
    name = models.CharField(_("name"), max_length=100)
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[cbs_code_validator]
    )
    population = models.PositiveIntegerField(
        _("population"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "The current figure. Figures per year (CBS, 1 January) are kept under population "
            "per year; a budget split by population uses those of the cost key's year."
        ),
    )
    participates = models.BooleanField(
        _("participates in the regional pool"),
        default=True,
        help_text=_("Untick for a municipality in the area that does not take part (Sliedrecht)."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name"),
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"), name="municipality_cbs_code_format"
            ),
            models.CheckConstraint(
                condition=Q(population__gte=1), name="municipality_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DESK = "desk", _("central desk")
        MUNICIPALITY = "municipality", _("municipality")
        CORPORATION = "corporation", _("housing corporation")
        SUPPORT = "support", _("support organisation")
        PROVINCE = "province", _("province")

    # Every organisation works in one region, except a province: its scope is its
    # municipalities, wherever they place (the check constraints below hold this).
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Only for an organisation of kind province."),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("For a municipality: which one. For others: where they are based."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["province", "name"], name="organisation_unique_name_province"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["desk", "municipality", "corporation", "support", "province"]
                ),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="municipality") | Q(municipality__isnull=False),
                name="organisation_municipality_required",
            ),
            # A province has a province and no region (nor municipality); everyone else a
            # region and no province.
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="province",
                        province__isnull=False,
                        region__isnull=True,
                        municipality__isnull=True,
                    )
                    | (~Q(kind="province") & Q(region__isnull=False, province__isnull=True))
                ),
                name="organisation_region_or_province",
                violation_error_message=_(
                    "A province belongs to a province and not to a region; every other "
                    "organisation belongs to a region."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    MUNICIPALITY_OFFICER = "municipality_officer", _("municipality officer")
    CORPORATION = "corporation", _("corporation user")
    PARTNER = "partner", _("partner")
    FINANCE = "finance", _("finance")
    PROVINCE_OFFICER = "province_officer", _("province officer")


# Which organisation kinds a role can belong to.
ROLE_ORGANISATION_KINDS = {
    Role.COORDINATOR: {Organisation.Kind.DESK},
    Role.MUNICIPALITY_OFFICER: {Organisation.Kind.MUNICIPALITY},
    Role.CORPORATION: {Organisation.Kind.CORPORATION},
    Role.PARTNER: {Organisation.Kind.SUPPORT, Organisation.Kind.MUNICIPALITY},
    Role.FINANCE: {Organisation.Kind.MUNICIPALITY, Organisation.Kind.DESK},
    Role.PROVINCE_OFFICER: {Organisation.Kind.PROVINCE},
}


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.organisation_id and self.role:
            allowed = ROLE_ORGANISATION_KINDS[Role(self.role)]
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {"role": _("This role does not fit an organisation of this kind.")}
                )
            if self.role == Role.FINANCE and not self.at_centre:
                raise ValidationError(
                    {
                        "role": _(
                            "Finance works at the central desk or the central municipality: "
                            "it bills the other municipalities."
                        )
                    }
                )

    @property
    def region(self) -> Region | None:
        """The region the user works in; None for a province officer (scope: a province)."""
        return self.organisation.region

    @property
    def at_centre(self) -> bool:
        """The central desk, or the central municipality that runs it and bills the others."""
        organisation = self.organisation
        if organisation.region_id is None:
            return False
        return organisation.kind == Organisation.Kind.DESK or (
            organisation.municipality_id is not None
            and organisation.municipality_id == organisation.region.central_municipality_id
        )


class MunicipalityPopulation(models.Model):
    """The population of a municipality on 1 January of a year (CBS, Bevolkingsontwikkeling).

    ``Municipality.population`` stays the current figure; a budget split by population uses the
    row of the cost key's year, so re-running an old year uses that year's figures
    (``population_in``)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="populations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(
        _("population on 1 January"), validators=[MinValueValidator(1)]
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, default="CBS, bevolking op 1 januari"
    )

    class Meta:
        verbose_name = _("population per year")
        verbose_name_plural = _("population per year")
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="municipalitypopulation_unique",
                violation_error_message=_("This municipality already has a figure for that year."),
            ),
            models.CheckConstraint(
                condition=Q(population__gte=1), name="municipalitypopulation_positive"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2100), name="municipalitypopulation_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} 1-1-{self.year}: {self.population}"


def population_in(municipalities, year: int) -> dict[int, tuple[int, int | None]]:
    """{municipality id: (population, year of the figure)} for 1 January of ``year``: that
    year's CBS figure; if it is missing, the latest earlier one; failing that, the current
    figure on the municipality (year None). One query."""
    result = {m.pk: (m.population, None) for m in municipalities}
    rows = (
        MunicipalityPopulation.objects.filter(municipality__in=list(result), year__lte=year)
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "year", "population")
    )
    seen: set[int] = set()
    for municipality_id, figure_year, population in rows:
        if municipality_id not in seen:
            seen.add(municipality_id)
            result[municipality_id] = (population, figure_year)
    return result
