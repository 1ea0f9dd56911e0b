"""Households (huishoudens) of permit holders and their members."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from placement import deadlines
from regions.access import Group, capabilities, disclosing_conditions, get_membership
from regions.fields import text_length_check
from regions.models import Municipality
from regions.models import Role as UserRole

# Free-text limits: enough for what housing needs, not a case file (issue 9).
MEDICAL_NOTES_MAX = 1000
NOTES_MAX = 2000
REASON_MAX = 500

v_number_validator = RegexValidator(
    regex=r"^\d{10}$",
    message=_("A V-number has exactly 10 digits, for example 1234567890."),
)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user) -> HouseholdQuerySet:
        """Households in the user's region, for roles that may see the pool; else none."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).sees_pool:
            return self.none()
        return self.filter(linked_municipality__region_id=membership.organisation.region_id)

    def editable_by(self, user) -> HouseholdQuerySet:
        """Coordinators edit all households in the region; an officer those of their own."""
        membership = get_membership(user)
        if membership is None or not capabilities(user).edits_households:
            return self.none()
        qs = self.visible_to(user)
        if membership.role == UserRole.MUNICIPALITY_OFFICER:
            qs = qs.filter(linked_municipality_id=membership.organisation.municipality_id)
        return qs

    def with_disclosure(self, user) -> HouseholdQuerySet:
        """Annotate the facts the disclosure rule (``regions.access.disclosed_groups``) needs,
        in the same query: read them with ``placement.disclosure.disclosure_of``."""
        from .nominations import Nomination
        from .support import SupportLink

        membership = get_membership(user)
        no = Value(False, output_field=models.BooleanField())
        own = caseload = income = medical = no
        if membership is not None and membership.role == UserRole.MUNICIPALITY_OFFICER:
            municipality_id = membership.organisation.municipality_id
            housed_here = Nomination.objects.filter(
                household=OuterRef("pk"),
                vacancy__municipality_id=municipality_id,
                status__in=[Nomination.Status.LEASE_SIGNED, Nomination.Status.HOUSED],
            )
            own = Q(linked_municipality_id=municipality_id) | Exists(housed_here)
        elif membership is not None and membership.role == UserRole.PARTNER:
            links = SupportLink.objects.filter(
                household=OuterRef("pk"), organisation_id=membership.organisation_id
            )
            caseload = Exists(links)
            income = Exists(links.filter(may_see_income=True))
            medical = Exists(links.filter(may_see_medical=True))
        return self.annotate(
            fact_own_municipality=ExpressionWrapper(own, output_field=models.BooleanField()),
            fact_in_caseload=ExpressionWrapper(caseload, output_field=models.BooleanField()),
            fact_income_granted=ExpressionWrapper(income, output_field=models.BooleanField()),
            fact_medical_granted=ExpressionWrapper(medical, output_field=models.BooleanField()),
        )

    def disclosing(self, user, group: Group) -> HouseholdQuerySet:
        """The households of which ``user`` sees ``group`` (e.g. names: ``Group.IDENTITY``)."""
        conditions = disclosing_conditions(capabilities(user).role, group)
        if not conditions:
            return self.none()
        condition = Q()
        for facts in conditions:
            condition |= Q(**{f"fact_{name}": value for name, value in facts.items()})
        return self.with_disclosure(user).filter(condition)

    def with_sizes(self) -> HouseholdQuerySet:
        """Sizes (present, expected) and the main applicant's date of birth (AOW age).

        The sizes are the stored columns (``refresh_sizes`` keeps them right); only the date of
        birth is read here, one indexed subquery per row returned."""
        main = Person.objects.filter(household=OuterRef("pk"), role=Person.Role.MAIN)
        return self.annotate(
            main_applicant_born=models.Subquery(main.order_by().values("date_of_birth")[:1]),
        )

    def open(self) -> HouseholdQuerySet:
        return self.filter(status__in=Household.OPEN_STATUSES)

    def waiting_since_weeks(self, weeks: int, today: datetime.date) -> HouseholdQuerySet:
        return self.filter(link_date__lte=deadlines.linked_on_or_before(weeks, today))


class HouseholdStatus(models.TextChoices):
    REGISTERED = "registered", _("registered (linked)")
    SEARCHING = "searching", _("searching")
    NOMINATED = "nominated", _("nominated")
    VIEWING = "viewing", _("viewing")
    LEASE_SIGNED = "lease_signed", _("lease signed")
    HOUSED = "housed", _("housed")
    OWN_HOME = "own_home", _("found own home")
    WITHDRAWN = "withdrawn", _("withdrawn / relinked")
    REFUSED = "refused", _("refused")
    LEFT = "left", _("left the dwelling")


class IncomeType(models.TextChoices):
    BENEFIT = "benefit", _("benefit")
    WAGE = "wage", _("wage")
    STUDY = "study", _("student finance")
    NONE = "none", _("no income yet")


class Household(models.Model):
    Status = HouseholdStatus
    IncomeType = IncomeType

    # Households the desk still has to house: the deadline clock runs for these.
    OPEN_STATUSES = ("registered", "searching", "nominated", "viewing")

    # Allowed status changes. Changes caused by nominations are made by the nomination workflow;
    # the rest can be chosen by a coordinator on the household page (see services).
    TRANSITIONS = {
        "registered": {"searching", "nominated", "own_home", "withdrawn"},
        "searching": {"nominated", "own_home", "withdrawn"},
        "nominated": {"viewing", "lease_signed", "searching", "refused", "withdrawn"},
        "viewing": {"lease_signed", "searching", "refused", "withdrawn"},
        # Back to searching also when the signed lease is dissolved (waiting time intact).
        "lease_signed": {"housed", "searching"},
        "refused": {"searching", "withdrawn"},
        # Left the dwelling: closed; the desk may register the household again (searching).
        "housed": {"left"},
        "left": {"searching", "withdrawn"},
        "own_home": set(),
        "withdrawn": set(),
    }
    # Finding an own home is not a plain status change: it records the municipality where the
    # household registers and the day (``services.household_register_own_home``).
    MANUAL_TRANSITIONS = {
        "registered": {"searching", "withdrawn"},
        "searching": {"withdrawn"},
        "refused": {"searching", "withdrawn"},
        "left": {"searching", "withdrawn"},
    }

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    linked_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("linked municipality"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    link_date = models.DateField(_("link date"), help_text=_("Date COA linked the household."))
    language = models.CharField(_("language"), max_length=60, blank=True)
    needs_wheelchair_access = models.BooleanField(
        _("needs a wheelchair-accessible dwelling"), default=False
    )
    needs_ground_floor = models.BooleanField(_("needs ground floor or lift"), default=False)
    medical_notes = models.TextField(
        _("medical needs"),
        max_length=MEDICAL_NOTES_MAX,
        blank=True,
        help_text=_("Sensitive: only what matters for housing."),
    )
    preferences = models.TextField(_("preferences"), max_length=1000, blank=True)
    work_study_location = models.CharField(_("work or study location"), max_length=100, blank=True)
    income_type = models.CharField(
        _("income type"), max_length=10, choices=IncomeType, default=IncomeType.BENEFIT
    )
    annual_income = models.DecimalField(
        _("yearly income (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("For the suitable-allocation check; leave empty for a benefit."),
    )
    coa_location = models.CharField(_("COA location"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=HouseholdStatus, default=HouseholdStatus.REGISTERED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    # Derived from the members, stored so that lists sort and filter on them with an index and
    # without GROUP BY (issue 14). Written only by ``refresh_sizes`` (``save`` leaves them alone).
    size = models.PositiveSmallIntegerField(
        _("persons present"), default=0, editable=False, help_text=_("Members present.")
    )
    expected_size = models.PositiveSmallIntegerField(
        _("persons incl. expected"),
        default=0,
        editable=False,
        help_text=_("Members present plus family members expected later."),
    )
    status_reason = models.TextField(
        _("reason for the last status change"), max_length=REASON_MAX, blank=True
    )
    refusal_justified = models.BooleanField(_("refusal justified"), null=True, blank=True)
    # Found an own home: where the household registers (inschrijft) and from when. It counts
    # for the quota there on that day, unless the region agreed otherwise (quota.counting).
    own_home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("registers in (own home)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_home_households",
    )
    own_home_date = models.DateField(_("registered on (own home)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["link_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=HouseholdStatus.values), name="household_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(income_type__in=IncomeType.values),
                name="household_income_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(annual_income__isnull=True) | Q(annual_income__gte=0),
                name="household_income_not_negative",
            ),
            # A special category of personal data: only what matters for housing, bounded.
            text_length_check(
                "medical_notes", MEDICAL_NOTES_MAX, name="household_medical_notes_length"
            ),
            text_length_check("notes", NOTES_MAX, name="household_notes_length"),
            models.CheckConstraint(
                condition=Q(
                    status="own_home",
                    own_home_municipality__isnull=False,
                    own_home_date__isnull=False,
                    own_home_date__gte=F("link_date"),
                )
                | (
                    ~Q(status="own_home")
                    & Q(own_home_municipality__isnull=True, own_home_date__isnull=True)
                ),
                name="household_own_home_recorded",
                violation_error_message=_(
                    "A household with its own home has the municipality where it registers and "
                    "the date; other households have neither."
                ),
            ),
        ]
        # PostgreSQL only (migration 0013): trigram GIN indexes on UPPER(reference) and on
        # UPPER(person.full_name) for the pool search (``icontains`` is UPPER(..) LIKE ..).
        indexes = [
            models.Index(fields=["status", "link_date"], name="household_status_link_idx"),
            models.Index(
                fields=["linked_municipality", "status"], name="household_muni_status_idx"
            ),
            # The pool's default order and the dashboard's "near deadline" top 10: ORDER BY
            # link_date, id LIMIT n, walked in index order instead of sorting the region.
            models.Index(fields=["link_date", "id"], name="household_link_date_id_idx"),
            # The pool sorted by size: ORDER BY expected_size, size, id LIMIT 25.
            models.Index(fields=["expected_size", "size", "id"], name="household_size_idx"),
        ]

    # Kept by ``refresh_sizes`` from the members, never by a save of the household itself.
    DERIVED_FIELDS = ("size", "expected_size")

    def __str__(self) -> str:
        return self.reference or _("new household")

    def save(self, **kwargs) -> None:
        """An update writes every field but the sizes: an instance loaded before a member
        changed must not put its stale sizes back."""
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in self.DERIVED_FIELDS
                and f.attname not in deferred
            ]
        super().save(**kwargs)

    def get_absolute_url(self) -> str:
        return reverse("household_detail", args=[self.pk])

    @property
    def deadline(self) -> datetime.date:
        return deadlines.deadline_for(self.link_date)

    def weeks_waiting(self, today: datetime.date | None = None) -> int:
        return deadlines.weeks_waiting(self.link_date, today or timezone.localdate())

    def deadline_warning(self, today: datetime.date | None = None) -> deadlines.Warning | None:
        if self.status not in self.OPEN_STATUSES:
            return None
        return deadlines.warning_for(self.link_date, today or timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def composition(self, today: datetime.date) -> dict:
        """The household without personal data: sizes, and each member's role and age, oldest
        first. Reads ``members`` (prefetch it for lists)."""
        members = sorted(self.members.all(), key=lambda m: m.date_of_birth)
        present = [m for m in members if m.present]
        return {
            "size": len(present),
            "expected_size": len(members),
            "ages": [m.age_on(today) for m in present],
            "members": [
                {"role": m.get_role_display(), "age": m.age_on(today), "present": m.present}
                for m in members
            ],
        }


class Sex(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")
    UNKNOWN = "x", _("unknown / other")


class Person(models.Model):
    Sex = Sex

    class Role(models.TextChoices):
        MAIN = "main", _("main applicant")
        PARTNER = "partner", _("partner")
        CHILD = "child", _("child")
        OTHER = "other", _("other")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex,
        blank=True,
        help_text=_("As on the COA list; matters for shared housing."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MAIN)
    v_number = models.CharField(
        _("V-number"), max_length=10, blank=True, validators=[v_number_validator]
    )
    present = models.BooleanField(
        _("present"),
        default=True,
        help_text=_("Untick for a family member expected later (nareiziger)."),
    )
    expected_arrival = models.DateField(_("expected arrival"), null=True, blank=True)
    arrival_date = models.DateField(
        _("arrival date"),
        null=True,
        blank=True,
        help_text=_("For a family member who joined later: the day they arrived."),
    )

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        # household_id, not household: the relation would pull in the household's own ordering
        # (a join and a sort over every household for each members prefetch).
        ordering = ["household_id", "date_of_birth", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["main", "partner", "child", "other"]),
                name="person_role_valid",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(role="main"),
                name="person_one_main_applicant",
                violation_error_message=_("A household has exactly one main applicant."),
            ),
            models.UniqueConstraint(
                fields=["v_number"],
                condition=~Q(v_number=""),
                name="person_v_number_unique",
                violation_error_message=_(
                    "This V-number is already registered for another person."
                ),
            ),
            models.CheckConstraint(
                condition=Q(v_number="") | Q(v_number__regex=r"^[0-9]{10}$"),
                name="person_v_number_format",
            ),
            models.CheckConstraint(condition=Q(sex__in=["", *Sex.values]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(present=True) | Q(arrival_date__isnull=True),
                name="person_arrival_only_when_present",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def refresh_sizes(household_ids) -> int:
    """Store ``size`` and ``expected_size`` of the given households from their members, in one
    UPDATE with two subqueries (``None``: every household). Every path that adds, removes or
    changes members calls it: the signals below for ``save``/``delete``, and each bulk path
    (``bulk_create``, ``update()``) itself. Returns the number of households updated."""
    households = Household.objects.all()
    if household_ids is not None:
        ids = {pk for pk in household_ids if pk is not None}
        if not ids:
            return 0
        households = households.filter(pk__in=ids)
    members = Person.objects.filter(household_id=OuterRef("pk")).order_by().values("household_id")
    count = Count("id")
    return households.update(
        size=Coalesce(
            models.Subquery(members.filter(present=True).annotate(n=count).values("n")), 0
        ),
        expected_size=Coalesce(models.Subquery(members.annotate(n=count).values("n")), 0),
    )


# Fields of a person that change its household's sizes.
_SIZE_FIELDS = {"household", "household_id", "present"}


@receiver(post_save, sender=Person, dispatch_uid="placement_person_sizes_on_save")
def _person_saved(sender, instance: Person, created: bool, update_fields=None, raw=False, **kw):
    if raw or (update_fields is not None and not _SIZE_FIELDS & set(update_fields)):
        return
    refresh_sizes([instance.household_id])


@receiver(post_delete, sender=Person, dispatch_uid="placement_person_sizes_on_delete")
def _person_deleted(sender, instance: Person, **kwargs):
    refresh_sizes([instance.household_id])
