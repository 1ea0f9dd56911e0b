"""What a page may show of a household: a ``HouseholdRecord`` holds only the groups of data
the user's role is entitled to (``regions.access.disclosed_groups``), so a template cannot show
a hidden field by mistake: it is not there to read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from regions.access import FACT_NAMES, Disclosure, HouseholdFacts, disclosure

from .models import Household


def facts_of(household: Household) -> HouseholdFacts:
    """The facts annotated by ``HouseholdQuerySet.with_disclosure``; without them, nothing
    beyond the meeting data can be decided, so forgetting the annotation fails loudly."""
    try:
        values = {name: bool(getattr(household, f"fact_{name}")) for name in FACT_NAMES}
    except AttributeError as exc:
        raise ValueError("fetch households with .with_disclosure(user)") from exc
    return HouseholdFacts(**values)


def disclosure_of(household: Household, user) -> Disclosure:
    return disclosure(user, facts_of(household))


@dataclass(frozen=True)
class MemberIdentity:
    full_name: str
    role: str
    date_of_birth: datetime.date
    age: int
    v_number: str
    present: bool
    expected_arrival: datetime.date | None
    arrival_date: datetime.date | None


@dataclass(frozen=True)
class Background:
    language: str
    coa_location: str
    work_study_location: str
    preferences: str
    notes: str
    status_reason: str


@dataclass(frozen=True)
class Income:
    income_type: str
    annual_income: Decimal | None


@dataclass(frozen=True)
class Medical:
    notes: str


@dataclass(frozen=True)
class HouseholdRecord:
    """One household as a user may see it. The meeting data is always there; ``identity``,
    ``background``, ``income`` and ``medical`` are ``None`` unless disclosed."""

    pk: int
    reference: str
    status: str
    status_display: str
    is_open: bool
    linked_municipality: str
    link_date: datetime.date
    deadline: datetime.date
    weeks_waiting: int
    needs_wheelchair_access: bool
    needs_ground_floor: bool
    url: str
    disclosure: Disclosure
    # Sizes and each member's role and age (``Household.composition``), when members are read.
    composition: dict | None = None
    main_applicant: str | None = None
    members: tuple[MemberIdentity, ...] | None = None
    background: Background | None = None
    income: Income | None = None
    medical: Medical | None = None
    # Where a household that found its own home registered, and when (it counts there).
    own_home_municipality: str = ""
    own_home_date: datetime.date | None = None

    @property
    def identity(self) -> bool:
        return self.members is not None


def record_of(
    household: Household, user, today: datetime.date, *, with_members: bool = False
) -> HouseholdRecord:
    """The household as ``user`` may see it. ``with_members`` reads ``household.members``
    (prefetch it for lists); otherwise the main applicant's name comes from the
    ``main_members`` prefetch when present."""
    shown = disclosure_of(household, user)
    main_applicant = members = background = income = medical = composition = None
    if with_members:
        composition = household.composition(today)
    if shown.identity:
        if with_members:
            members = tuple(
                MemberIdentity(
                    full_name=m.full_name,
                    role=m.get_role_display(),
                    date_of_birth=m.date_of_birth,
                    age=m.age_on(today),
                    v_number=m.v_number,
                    present=m.present,
                    expected_arrival=m.expected_arrival,
                    arrival_date=m.arrival_date,
                )
                for m in household.members.all()
            )
            main_applicant = next(
                (m.full_name for m in household.members.all() if m.role == "main"), None
            )
        else:
            mains = getattr(household, "main_members", None) or []
            main_applicant = mains[0].full_name if mains else None
    if shown.background:
        background = Background(
            language=household.language,
            coa_location=household.coa_location,
            work_study_location=household.work_study_location,
            preferences=household.preferences,
            notes=household.notes,
            status_reason=household.status_reason,
        )
    if shown.income:
        income = Income(
            income_type=household.get_income_type_display(),
            annual_income=household.annual_income,
        )
    if shown.medical:
        medical = Medical(notes=household.medical_notes)
    return HouseholdRecord(
        pk=household.pk,
        reference=household.reference,
        status=household.status,
        status_display=household.get_status_display(),
        is_open=household.is_open,
        linked_municipality=str(household.linked_municipality),
        link_date=household.link_date,
        deadline=household.deadline,
        weeks_waiting=household.weeks_waiting(today),
        needs_wheelchair_access=household.needs_wheelchair_access,
        needs_ground_floor=household.needs_ground_floor,
        url=household.get_absolute_url(),
        disclosure=shown,
        composition=composition,
        main_applicant=main_applicant,
        members=members,
        background=background,
        income=income,
        medical=medical,
        **_own_home(household),
    )


def _own_home(household: Household) -> dict:
    if household.status != household.Status.OWN_HOME or not household.own_home_municipality_id:
        return {}
    return {
        "own_home_municipality": str(household.own_home_municipality),
        "own_home_date": household.own_home_date,
    }
