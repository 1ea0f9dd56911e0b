"""The quota counting rule, in one place: which persons count as realised, on which day, for
which municipality. The quota system may change by law; the choices are the region's
``QuotaRule`` (shown and edited on the quota pages), defaults as the practice today:

- a placement counts when its lease starts (alternatives: the move-in date, the date it was
  reported to COA); until that date is known and has come, it is in the pipeline;
- it counts for the municipality where the dwelling is (alternative: the linked municipality);
- the persons present when it counts; a family member who arrives later (nareiziger) counts on
  the day they arrive, for the same municipality;
- a household linked to municipality A housed in B counts for B (with the default) and has to
  be re-linked (omkoppeling) at COA: ``relinks`` lists these;
- a household that finds its own home counts on the day it registers, with the persons present
  then, for the municipality where it registers (alternatives, if the region agreed otherwise:
  the linked municipality, or not at all): ``own_home_events``;
- a dissolved lease (ontbonden) never counts, not even in a period already past, and is not in
  the pipeline: the household never lived there;
- a household that left the dwelling stays counted in the period its placement counted in (it
  was a realised placement), if its counting day came by the day it left; family members who
  arrive after it left do not count for that placement.

Adjusted target = net target - opening balance (at least 0). Closing balance = opening balance +
realised - net target, carried into the next period unless overridden with a reason
(``quota.ledger``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet

from placement.models import Household, Nomination, Person

from .models import CountingDate, CreditedMunicipality, OwnHomeCredited, QuotaRule

# Dissolved leases are absent on purpose: they never count.
COUNTED_STATUSES = (
    Nomination.Status.LEASE_SIGNED,
    Nomination.Status.HOUSED,
    Nomination.Status.MOVED_OUT,
)
PIPELINE_NOMINATED = (
    Nomination.Status.NOMINATED,
    Nomination.Status.VIEWING,
    Nomination.Status.ACCEPTED,
)


class CountEvent(NamedTuple):
    """Persons realised for a municipality on a day, and the placement behind them. (A tuple:
    a national region makes tens of thousands per page view, and tuples are made fastest.)"""

    municipality_id: int
    day: datetime.date
    persons: int
    nomination_id: int | None  # None for a household that found its own home
    household_id: int
    reference: str
    joined_later: bool  # True for family members who arrived after the placement counted
    own_home: bool = False  # found its own home: counts for the quota, not placed by the desk


class PipelineEntry(NamedTuple):
    municipality_id: int
    persons: int
    nomination_id: int
    household_id: int
    reference: str
    stage: str  # "nominated" or "lease_signed"


@dataclass(frozen=True, slots=True)
class Placement:
    """A placement as the rule reads it: plain values, no model instances (a national region
    has over ten thousand). ``arrivals`` holds the arrival date of each member present now
    (None for those who came with the household)."""

    pk: int
    status: str
    household_id: int
    reference: str
    linked_municipality_id: int
    dwelling_municipality_id: int
    lease_start: datetime.date | None
    move_in_date: datetime.date | None
    reported_to_coa_on: datetime.date | None
    moved_out_on: datetime.date | None
    arrivals: tuple[datetime.date | None, ...]


@dataclass(frozen=True, slots=True)
class OwnHome:
    """A household that found its own home, as the rule reads it (see ``Placement``)."""

    pk: int
    reference: str
    linked_municipality_id: int
    own_home_municipality_id: int | None
    own_home_date: datetime.date | None
    arrivals: tuple[datetime.date | None, ...]


def arrival_dates(household_ids) -> dict[int, list[datetime.date | None]]:
    """Arrival dates of the present members of the households (ids, or a queryset of them):
    one query."""
    found: dict[int, list[datetime.date | None]] = defaultdict(list)
    for household_id, arrival in (
        Person.objects.filter(present=True, household_id__in=household_ids)
        .order_by()  # any order: no sort of the region's members
        .values_list("household_id", "arrival_date")
    ):
        found[household_id].append(arrival)
    return found


def placements(nominations: QuerySet[Nomination]) -> list[Placement]:
    """Any set of nominations as ``Placement`` rows, in id order: two queries (one if none)."""
    rows = nominations.order_by("id").values_list(
        "pk",
        "status",
        "household_id",
        "household__reference",
        "household__linked_municipality_id",
        "vacancy__municipality_id",
        "lease_start",
        "move_in_date",
        "reported_to_coa_on",
        "moved_out_on",
    )
    rows = list(rows)
    arrivals = arrival_dates(nominations.values("household_id")) if rows else {}
    return [Placement(*row, arrivals=tuple(arrivals.get(row[2], ()))) for row in rows]


def own_homes(households: QuerySet[Household]) -> list[OwnHome]:
    """Any set of households as ``OwnHome`` rows, in id order: two queries (one if none)."""
    rows = list(
        households.order_by("id").values_list(
            "pk", "reference", "linked_municipality_id", "own_home_municipality_id", "own_home_date"
        )
    )
    arrivals = arrival_dates(households.values("pk")) if rows else {}
    return [OwnHome(*row, arrivals=tuple(arrivals.get(row[0], ()))) for row in rows]


def counting_day(nomination: Nomination | Placement, rule: QuotaRule) -> datetime.date | None:
    return {
        CountingDate.LEASE_START: nomination.lease_start,
        CountingDate.MOVE_IN: nomination.move_in_date,
        CountingDate.REPORTED_TO_COA: nomination.reported_to_coa_on,
    }[CountingDate(rule.counting_date)]


def credited_municipality_id(placement: Placement, rule: QuotaRule) -> int:
    if rule.credited == CreditedMunicipality.LINKED:
        return placement.linked_municipality_id
    return placement.dwelling_municipality_id


def _nominations(region_id: int, statuses: Iterable[str]) -> QuerySet[Nomination]:
    return Nomination.objects.filter(
        vacancy__municipality__region_id=region_id, status__in=list(statuses)
    ).order_by("id")


def _later_arrivals(
    arrivals: Iterable[datetime.date | None], day: datetime.date, until: datetime.date
) -> list[tuple[datetime.date, int]]:
    """Members who joined after ``day`` and by ``until``, as (arrival day, persons), in order."""
    joined: dict[datetime.date, int] = defaultdict(int)
    for arrival in arrivals:
        if arrival is not None and day < arrival <= until:
            joined[arrival] += 1
    return sorted(joined.items())


def present_on(arrivals: Iterable[datetime.date | None], day: datetime.date) -> int:
    """How many of the members (their arrival dates, None: came with the household) were
    there on ``day``: the persons a placement counts on its counting day."""
    return sum(1 for arrival in arrivals if arrival is None or arrival <= day)


def count_events(
    placements: Iterable[Placement], rule: QuotaRule, today: datetime.date
) -> tuple[list[CountEvent], list[PipelineEntry]]:
    """Split placements into what has counted by ``today`` (events) and what has not yet
    (pipeline). Build the rows with ``placements()`` from any set of nominations."""
    events: list[CountEvent] = []
    pipeline: list[PipelineEntry] = []
    for n in placements:
        municipality_id = credited_municipality_id(n, rule)
        day = counting_day(n, rule) if n.status in COUNTED_STATUSES else None
        # Left the dwelling: counted if it had counted by then, else never (not pipeline).
        until = today
        if n.status == Nomination.Status.MOVED_OUT:
            if day is None or day > n.moved_out_on:
                continue
            until = min(today, n.moved_out_on)
        if day is None or day > today:
            stage = "nominated" if n.status in PIPELINE_NOMINATED else "lease_signed"
            pipeline.append(
                PipelineEntry(
                    municipality_id=municipality_id,
                    persons=len(n.arrivals),
                    nomination_id=n.pk,
                    household_id=n.household_id,
                    reference=n.reference,
                    stage=stage,
                )
            )
            continue
        common = {
            "municipality_id": municipality_id,
            "nomination_id": n.pk,
            "household_id": n.household_id,
            "reference": n.reference,
        }
        events.append(
            CountEvent(day=day, persons=present_on(n.arrivals, day), joined_later=False, **common)
        )
        for arrival, persons in _later_arrivals(n.arrivals, day, until):
            events.append(CountEvent(day=arrival, persons=persons, joined_later=True, **common))
    return events, pipeline


def own_home_events(
    households: Iterable[OwnHome], rule: QuotaRule, today: datetime.date
) -> list[CountEvent]:
    """Households that found their own home: the persons present on the day they registered,
    and family members who joined later on their arrival date, for the municipality the
    region's rule names. Build the rows with ``own_homes()``."""
    if rule.own_home_credited == OwnHomeCredited.NOT_COUNTED:
        return []
    events: list[CountEvent] = []
    for h in households:
        day = h.own_home_date
        if day is None or h.own_home_municipality_id is None or day > today:
            continue
        municipality_id = (
            h.linked_municipality_id
            if rule.own_home_credited == OwnHomeCredited.LINKED
            else h.own_home_municipality_id
        )
        common = {
            "municipality_id": municipality_id,
            "nomination_id": None,
            "household_id": h.pk,
            "reference": h.reference,
            "own_home": True,
        }
        events.append(
            CountEvent(day=day, persons=present_on(h.arrivals, day), joined_later=False, **common)
        )
        for arrival, persons in _later_arrivals(h.arrivals, day, today):
            events.append(CountEvent(day=arrival, persons=persons, joined_later=True, **common))
    return events


def _own_home_households(region_id: int) -> QuerySet[Household]:
    return Household.objects.filter(
        linked_municipality__region_id=region_id, status=Household.Status.OWN_HOME
    )


def region_events(
    region_id: int,
    rule: QuotaRule,
    today: datetime.date,
    municipality_ids: Iterable[int] | None = None,
) -> tuple[list[CountEvent], list[PipelineEntry]]:
    """All counted events and the pipeline of a region: four queries of plain values, whatever
    the size (placements and their members' arrival dates; own homes and theirs).

    ``municipality_ids`` keeps only what counts for those municipalities (the credited one, as
    ``credited_municipality_id`` and the own-home rule choose it), selected in the database:
    a municipality's dashboard reads its own placements, not the region's."""
    statuses = (*COUNTED_STATUSES, *PIPELINE_NOMINATED)
    nominations = _nominations(region_id, statuses)
    own_home = _own_home_households(region_id)
    if municipality_ids is not None:
        ids = list(municipality_ids)
        if rule.credited == CreditedMunicipality.LINKED:
            nominations = nominations.filter(household__linked_municipality_id__in=ids)
        else:
            nominations = nominations.filter(vacancy__municipality_id__in=ids)
        if rule.own_home_credited == OwnHomeCredited.LINKED:
            own_home = own_home.filter(linked_municipality_id__in=ids)
        else:
            own_home = own_home.filter(own_home_municipality_id__in=ids)
    events, pipeline = count_events(placements(nominations), rule, today)
    if rule.own_home_credited != OwnHomeCredited.NOT_COUNTED:
        events += own_home_events(own_homes(own_home), rule, today)
    return events, pipeline


@dataclass(frozen=True)
class Relink:
    nomination: Nomination
    linked_municipality_id: int
    dwelling_municipality_id: int
    day: datetime.date | None


def relink_nominations(region_id: int) -> QuerySet[Nomination]:
    """Placements of the region housed outside the municipality COA linked the household to
    (omkoppeling), selected in the database, oldest counting first."""
    return (
        _nominations(region_id, COUNTED_STATUSES)
        .exclude(household__linked_municipality_id=F("vacancy__municipality_id"))
        .select_related("household__linked_municipality", "vacancy__municipality")
        .order_by("lease_start", "id")
    )


def relink_rows(nominations: Iterable[Nomination], rule: QuotaRule) -> list[Relink]:
    return [
        Relink(
            nomination=n,
            linked_municipality_id=n.household.linked_municipality_id,
            dwelling_municipality_id=n.vacancy.municipality_id,
            day=counting_day(n, rule),
        )
        for n in nominations
    ]


def relinks(region_id: int, rule: QuotaRule) -> list[Relink]:
    """Households housed in another municipality than the one COA linked them to (omkoppeling)."""
    return relink_rows(relink_nominations(region_id), rule)
