"""Turn database rows into the plain data the matching engine works on (and nothing else)."""

from __future__ import annotations

import bisect
import calendar
import datetime
import functools
from collections.abc import Iterable

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Q
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
    if born.day <= 28 or born.day <= calendar.monthrange(year, month)[1]:
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
    return _aow_from(born, _aow_table(tuple(sorted(ages.items()))))


@functools.lru_cache(maxsize=100_000)
def _aow_from(born: datetime.date, table) -> datetime.date | None:
    """Kept per date of birth and table across requests: the pool's dates repeat."""
    known, values, youngest = table
    first = born.year + youngest
    for year in range(first, first + 30):
        # The age of ``year``: the latest row on or before it, else the earliest row.
        reached = _add_age(born, *values[max(bisect.bisect_right(known, year) - 1, 0)])
        if reached.year <= year:
            return max(reached, datetime.date(year, 1, 1))
    return None


@functools.lru_cache(maxsize=8)
def _aow_table(
    rows: tuple[tuple[int, tuple[int, int]], ...],
) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...], int]:
    """The AOW table sorted once (thousands of candidates are worked out against it): its
    years, their ages, and the lowest age in years."""
    return tuple(y for y, _ in rows), tuple(age for _, age in rows), min(age[0] for _, age in rows)


def caps_for(year: int, caps: dict[int, matching.RentCaps]) -> matching.RentCaps | None:
    """The figures of that year, or of the latest earlier year when it has none yet."""
    earlier = [y for y in caps if y <= year]
    if earlier:
        return caps[max(earlier)]
    return caps[min(caps)] if caps else None


def nominatable(region_id: int):
    """Households of the region that can be nominated (no sizes, no joins: for counting)."""
    holding = Nomination.objects.filter(household=OuterRef("pk"), status__in=Nomination.HOLDING)
    return Household.objects.filter(
        linked_municipality__region_id=region_id, status__in=NOMINATABLE
    ).exclude(Exists(holding))


def nominatable_households(region_id: int):
    return nominatable(region_id).with_sizes().select_related("linked_municipality")


# --- Candidates at scale: rows straight from values(), hard rules in SQL ---------------------

CANDIDATE_FIELDS = (
    "pk",
    "reference",
    "size",
    "expected_size",
    "link_date",
    "needs_wheelchair_access",
    "needs_ground_floor",
    "income_type",
    "annual_income",
    "work_study_location",
    "main_applicant_born",
)


def fits_any(dwellings: Iterable[matching.Dwelling], settings: matching.MatchSettings) -> Q:
    """The hard rules SQL can check (size, shared housing for singles, wheelchair, ground
    floor), as one condition a household meets when it passes them for at least one of the
    dwellings. Exactly ``matching.evaluate``'s rules, so filtering by it leaves out only
    households that fit none of the dwellings; the rent cap stays with the engine."""
    profiles = sorted(
        {
            (
                matching.capacity(d, settings),
                d.dwelling_type == matching.SHARED,
                d.wheelchair_accessible,
                d.floor <= 0 or d.has_lift,
            )
            for d in dwellings
        }
    )
    condition = Q(pk__in=[])  # no dwelling: nobody fits
    for capacity, shared, wheelchair, ground in profiles:
        part = Q(expected_size=1) if shared else Q(expected_size__lte=capacity)
        if not wheelchair:
            part &= Q(needs_wheelchair_access=False)
        if not ground:
            part &= Q(needs_ground_floor=False)
        condition |= part
    return condition


def to_candidate_rows(rows: Iterable[tuple], ages: AowAges | None = None) -> matching.CandidatePool:
    """Candidates from ``values_list(*CANDIDATE_FIELDS)`` rows, as columns straight from the
    rows (no model instances); a ``Candidate`` is made only for a row someone looks at. The
    AOW date is worked out once per date of birth."""
    if ages is None:
        ages = aow_ages()
    rows = list(rows)
    aow: dict[datetime.date | None, datetime.date | None] = {None: None}
    if ages:
        table = _aow_table(tuple(sorted(ages.items())))
        for row in rows:
            born = row[10]
            if born not in aow:
                aow[born] = _aow_from(born, table)
    else:
        aow.update((row[10], None) for row in rows)
    far = matching.FAR
    if rows:
        (pk, _ref, _size, expected, link, wheel, ground, _type, income, location, born) = zip(
            *rows, strict=True
        )
    else:
        pk = expected = link = wheel = ground = income = location = born = ()
    columns = matching.HouseholdColumns(
        id=np.array(pk, dtype=np.int64),
        expected=np.array(expected, dtype=np.int64),
        link=np.fromiter((d.toordinal() for d in link), dtype=np.int64, count=len(rows)),
        needs_wheel=np.array(wheel, dtype=bool),
        needs_ground=np.array(ground, dtype=bool),
        income_known=np.fromiter((i is not None for i in income), dtype=bool, count=len(rows)),
        income=np.fromiter(
            (float(i) if i is not None else 0.0 for i in income), dtype=float, count=len(rows)
        ),
        aow_from=np.fromiter(
            ((aow[b].toordinal() if aow[b] else far) for b in born),
            dtype=np.int64,
            count=len(rows),
        ),
        location=location,
    )

    def make(index: int) -> matching.Candidate:
        pk, ref, size, expected, link, wheel, ground, itype, income, location, born = rows[index]
        return matching.Candidate(
            id=pk,
            reference=ref,
            size=size,
            expected_size=expected,
            link_date=link,
            needs_wheelchair=wheel,
            needs_ground_floor=ground,
            income_type=itype,
            annual_income=float(income) if income is not None else None,
            work_study_location=location,
            aow_from=aow[born],
        )

    return matching.CandidatePool(columns, make)


def candidates_for(
    region_id: int,
    dwellings: Iterable[matching.Dwelling],
    settings: matching.MatchSettings,
) -> matching.CandidatePool:
    """The region's nominatable households that pass the SQL-checkable hard rules for at
    least one of ``dwellings``, as candidates, longest waiting first (ties: lowest id). Sizes
    come from SQL (``with_sizes()``), rows from ``values_list`` (no model instances)."""
    query = (
        nominatable(region_id)
        .with_sizes()
        .filter(fits_any(dwellings, settings))
        .order_by("link_date", "pk")
        .values_list(*CANDIDATE_FIELDS)
    )
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # no dwelling: nobody fits
        return to_candidate_rows([])
    # The rows as the driver returns them (these columns need no conversion by Django).
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return to_candidate_rows(cursor.fetchall())


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
