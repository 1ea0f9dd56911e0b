"""Turn database rows into the plain data the matching engine works on (and nothing else)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import matching
from .models import Household, Nomination, RentLimit, Vacancy

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
        )
        for row in RentLimit.objects.all()
    }


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


def to_candidate(household: Household) -> matching.Candidate:
    """``household`` must carry the ``with_sizes()`` annotations."""
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
    )


def to_candidates(households: Iterable[Household]) -> list[matching.Candidate]:
    return [to_candidate(h) for h in households]


def free_places(vacancy: Vacancy, taken: set[int] | None = None) -> list[int]:
    """Place numbers of the vacancy not held by a nomination (pass ``taken`` to avoid a query)."""
    if taken is None:
        taken = set(
            vacancy.nominations.filter(status__in=Nomination.HOLDING).values_list(
                "place", flat=True
            )
        )
    return [p for p in range(1, vacancy.places + 1) if p not in taken]


def to_dwelling(
    vacancy: Vacancy,
    caps: dict[int, matching.RentCaps],
    *,
    places: int | None = None,
) -> matching.Dwelling:
    # Passend toewijzen compares the base rent (kale huur) with the cap.
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
    )


def today() -> datetime.date:
    return timezone.localdate()
