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
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

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


@dataclass(frozen=True)
class CountEvent:
    """Persons realised for a municipality on a day, and the placement behind them."""

    municipality_id: int
    day: datetime.date
    persons: int
    nomination_id: int | None  # None for a household that found its own home
    household_id: int
    reference: str
    joined_later: bool  # True for family members who arrived after the placement counted
    own_home: bool = False  # found its own home: counts for the quota, not placed by the desk


@dataclass(frozen=True)
class PipelineEntry:
    municipality_id: int
    persons: int
    nomination_id: int
    household_id: int
    reference: str
    stage: str  # "nominated" or "lease_signed"


def counting_day(nomination: Nomination, rule: QuotaRule) -> datetime.date | None:
    return {
        CountingDate.LEASE_START: nomination.lease_start,
        CountingDate.MOVE_IN: nomination.move_in_date,
        CountingDate.REPORTED_TO_COA: nomination.reported_to_coa_on,
    }[CountingDate(rule.counting_date)]


def credited_municipality_id(nomination: Nomination, rule: QuotaRule) -> int:
    if rule.credited == CreditedMunicipality.LINKED:
        return nomination.household.linked_municipality_id
    return nomination.vacancy.municipality_id


def _nominations(region_id: int, statuses: Iterable[str]):
    return (
        Nomination.objects.filter(
            vacancy__municipality__region_id=region_id, status__in=list(statuses)
        )
        .select_related("vacancy", "household")
        .prefetch_related(
            Prefetch("household__members", queryset=Person.objects.filter(present=True))
        )
        .order_by("id")
    )


def count_events(
    nominations: Iterable[Nomination], rule: QuotaRule, today: datetime.date
) -> tuple[list[CountEvent], list[PipelineEntry]]:
    """Split placements into what has counted by ``today`` (events) and what has not yet
    (pipeline). ``nominations`` must have ``household__members`` prefetched, present only."""
    events: list[CountEvent] = []
    pipeline: list[PipelineEntry] = []
    for n in nominations:
        municipality_id = credited_municipality_id(n, rule)
        members = list(n.household.members.all())
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
                    persons=len(members),
                    nomination_id=n.pk,
                    household_id=n.household_id,
                    reference=n.household.reference,
                    stage=stage,
                )
            )
            continue
        at_start = [m for m in members if m.arrival_date is None or m.arrival_date <= day]
        events.append(
            CountEvent(
                municipality_id=municipality_id,
                day=day,
                persons=len(at_start),
                nomination_id=n.pk,
                household_id=n.household_id,
                reference=n.household.reference,
                joined_later=False,
            )
        )
        arrivals: dict[datetime.date, int] = {}
        for m in members:
            if m.arrival_date is not None and day < m.arrival_date <= until:
                arrivals[m.arrival_date] = arrivals.get(m.arrival_date, 0) + 1
        for arrival, persons in sorted(arrivals.items()):
            events.append(
                CountEvent(
                    municipality_id=municipality_id,
                    day=arrival,
                    persons=persons,
                    nomination_id=n.pk,
                    household_id=n.household_id,
                    reference=n.household.reference,
                    joined_later=True,
                )
            )
    return events, pipeline


def own_home_events(
    households: Iterable[Household], rule: QuotaRule, today: datetime.date
) -> list[CountEvent]:
    """Households that found their own home: the persons present on the day they registered,
    and family members who joined later on their arrival date, for the municipality the
    region's rule names. ``households`` must have ``members`` prefetched, present only."""
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
        members = list(h.members.all())
        common = {
            "municipality_id": municipality_id,
            "nomination_id": None,
            "household_id": h.pk,
            "reference": h.reference,
            "own_home": True,
        }
        at_start = [m for m in members if m.arrival_date is None or m.arrival_date <= day]
        events.append(CountEvent(day=day, persons=len(at_start), joined_later=False, **common))
        arrivals: dict[datetime.date, int] = {}
        for m in members:
            if m.arrival_date is not None and day < m.arrival_date <= today:
                arrivals[m.arrival_date] = arrivals.get(m.arrival_date, 0) + 1
        for arrival, persons in sorted(arrivals.items()):
            events.append(CountEvent(day=arrival, persons=persons, joined_later=True, **common))
    return events


def _own_home_households(region_id: int):
    return (
        Household.objects.filter(
            linked_municipality__region_id=region_id, status=Household.Status.OWN_HOME
        )
        .only(
            "pk", "reference", "linked_municipality_id", "own_home_municipality_id", "own_home_date"
        )
        .prefetch_related(Prefetch("members", queryset=Person.objects.filter(present=True)))
        .order_by("id")
    )


def region_events(
    region_id: int, rule: QuotaRule, today: datetime.date
) -> tuple[list[CountEvent], list[PipelineEntry]]:
    """All counted events and the pipeline of a region: four queries, whatever the size
    (placements and their members; own homes and their members)."""
    statuses = (*COUNTED_STATUSES, *PIPELINE_NOMINATED)
    events, pipeline = count_events(_nominations(region_id, statuses), rule, today)
    if rule.own_home_credited != OwnHomeCredited.NOT_COUNTED:
        events += own_home_events(_own_home_households(region_id), rule, today)
    return events, pipeline


@dataclass(frozen=True)
class Relink:
    nomination: Nomination
    linked_municipality_id: int
    dwelling_municipality_id: int
    day: datetime.date | None


def relinks(region_id: int, rule: QuotaRule) -> list[Relink]:
    """Households housed in another municipality than the one COA linked them to (omkoppeling)."""
    result = []
    for n in (
        _nominations(region_id, COUNTED_STATUSES)
        .select_related("household__linked_municipality", "vacancy__municipality")
        .order_by("lease_start", "id")
    ):
        if n.household.linked_municipality_id != n.vacancy.municipality_id:
            result.append(
                Relink(
                    nomination=n,
                    linked_municipality_id=n.household.linked_municipality_id,
                    dwelling_municipality_id=n.vacancy.municipality_id,
                    day=counting_day(n, rule),
                )
            )
    return result
