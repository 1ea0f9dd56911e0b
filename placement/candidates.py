"""Turn database rows into the plain data the matching engine works on (and nothing else)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import matching
from .models import AowAge, Household, Nomination, RentLimit, Vacancy

# Households that can still be nominated: linked or searching, and not in a nomination.
NOMINATABLE = (Household.Status.REGISTERED, Household.Status.SEARCHING)


def rent_caps() -> dict[int, matching.RentCaps]:
    return {
        row.year: matching.RentCaps(
            year=row.year,
            income_limit_single=float(row.income_limit_single),
            income_limit_multi=float(row.income_limit_multi),
            cap_small=float(row.rent_cap_small),
            cap_large=float(row.rent_cap_large),
            income_limit_single_aow=float(row.income_limit_single_aow),
            income_limit_multi_aow=float(row.income_limit_multi_aow),
            max_rent_benefit=float(row.max_rent_benefit),
        )
        for row in RentLimit.objects.all()
    }


# --- AOW age ----------------------------------------------------------------------------------

AowAges = dict[int, tuple[int, int]]  # year -> (years, months)


def aow_ages() -> AowAges:
    return {row.year: (row.years, row.months) for row in AowAge.objects.all()}


def _add_age(born: datetime.date, years: int, months: int) -> datetime.date:
    """The day ``born`` turns ``years`` and ``months`` old (29 February: 1 March)."""
    total = born.month - 1 + months
    year, month = born.year + years + total // 12, total % 12 + 1
    if born.day <= calendar.monthrange(year, month)[1]:
        return datetime.date(year, month, born.day)
    # No such day in that month (31 August + 3 months): reached on the first of the next month.
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def aow_date(born: datetime.date | None, ages: AowAges) -> datetime.date | None:
    """The day a person born on ``born`` reaches the AOW age, by the AOW age of each year.

    The AOW age is set per calendar year: a person reaches it on the first day ``d`` on which
    they are at least as old as the AOW age of ``d``'s year. A year without a row takes the
    latest earlier row (or the earliest row, for years before the table). No rows, or no date
    of birth: None (not of AOW age; the general, higher income limits apply, the stricter
    choice).
    """
    if born is None or not ages:
        return None
    known = sorted(ages)

    def age_in(year: int) -> tuple[int, int]:
        earlier = [y for y in known if y <= year]
        return ages[max(earlier)] if earlier else ages[known[0]]

    first = born.year + min(years for years, _ in ages.values())
    for year in range(first, first + 30):
        reached = _add_age(born, *age_in(year))
        if reached.year <= year:
            return max(reached, datetime.date(year, 1, 1))
    return None


def caps_for(year: int, caps: dict[int, matching.RentCaps]) -> matching.RentCaps | None:
    """The figures of that year, or of the latest earlier year when it has none yet."""
    earlier = [y for y in caps if y <= year]
    if earlier:
        return caps[max(earlier)]
    return caps[min(caps)] if caps else None


def nominatable_households(region_id: int):
    holding = Nomination.objects.filter(household=OuterRef("pk"), status__in=Nomination.HOLDING)
    return (
        Household.objects.filter(linked_municipality__region_id=region_id, status__in=NOMINATABLE)
        .exclude(Exists(holding))
        .with_sizes()
        .select_related("linked_municipality")
    )


def to_candidate(household: Household, ages: AowAges | None = None) -> matching.Candidate:
    """``household`` must carry the ``with_sizes()`` annotations (``ages``: ``aow_ages()``, read
    when not given)."""
    if ages is None:
        ages = aow_ages()
    return matching.Candidate(
        id=household.pk,
        reference=household.reference,
        size=household.size,
        expected_size=household.expected_size,
        link_date=household.link_date,
        needs_wheelchair=household.needs_wheelchair_access,
        needs_ground_floor=household.needs_ground_floor,
        income_type=household.income_type,
        annual_income=float(household.annual_income)
        if household.annual_income is not None
        else None,
        work_study_location=household.work_study_location,
        aow_from=aow_date(household.main_applicant_born, ages),
    )


def to_candidates(households: Iterable[Household]) -> list[matching.Candidate]:
    ages = aow_ages()
    return [to_candidate(h, ages) for h in households]


def free_places(vacancy: Vacancy, taken: set[int] | None = None) -> list[int]:
    """Place numbers of the vacancy not held by a nomination, nor let to a household that has
    left since (pass ``taken`` to avoid a query)."""
    if taken is None:
        taken = set(vacancy.nominations.taking_a_place().values_list("place", flat=True))
    return [p for p in range(1, vacancy.places + 1) if p not in taken]


def to_dwelling(
    vacancy: Vacancy,
    caps: dict[int, matching.RentCaps],
    *,
    places: int | None = None,
    on: datetime.date | None = None,
) -> matching.Dwelling:
    """``on``: the day of the check (default today). Passend toewijzen compares the base rent
    (kale huur) with the cap, and judges the AOW age on the letting date: the day the dwelling
    is available, or ``on`` when that has passed."""
    return matching.Dwelling(
        id=vacancy.pk,
        label=str(vacancy),
        dwelling_type=vacancy.dwelling_type,
        bedrooms=vacancy.bedrooms,
        rent=float(vacancy.base_rent),
        places=vacancy.places if places is None else places,
        wheelchair_accessible=vacancy.wheelchair_accessible,
        floor=vacancy.floor,
        has_lift=vacancy.has_lift,
        place=vacancy.place,
        municipality=vacancy.municipality.name,
        caps=caps_for(vacancy.available_from.year, caps),
        return_deadline=vacancy.return_deadline,
        letting_date=max(vacancy.available_from, on or today()),
    )


def today() -> datetime.date:
    return timezone.localdate()
