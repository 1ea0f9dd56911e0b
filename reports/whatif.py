"""What pooling gains: replay a past period twice, regionally and per municipality.

The vacancies that came free in the period (``available_from`` within it) are offered again in
the order they came, to the households as they were linked, with the app's own matching
(``placement.matching``: hard rules, score, the exact whole-meeting proposal), twice:

(a) regional: any household of the region may take any dwelling (how the desk works);
(b) per municipality: a dwelling only goes to households linked to its own municipality.

The replay rules, the same for both (``Method`` below is what the page and the command state):

- decision days: the region's meetings (the meetings recorded for a month; a month without
  one takes the schedule's date, ``placement.schedule``); a vacancy is offered at every meeting
  from the day it was submitted up to its return deadline. A vacancy with no meeting in that
  window is decided on its return deadline, as the desk does before the meeting;
- at each decision day the exact proposal (``matching.propose``) is made for the open places
  against the households linked by then, not housed in the replay and still in the pool
  (a household leaves the pool on the day it found its own home, was withdrawn or refused,
  or was nominated for a dwelling that is not replayed);
- refusals: each proposed line is refused with the observed refusal rate of the replayed
  vacancies' nominations (refused / refused + accepted or further), by a seeded random draw; a
  refused household stays in the pool but is not offered that dwelling again;
- ties: the households are put in a seeded random order before each proposal, so among equally
  good proposals the seed chooses; the same seed gives the same run;
- lease: the decision day plus the observed median days from nomination to lease start of the
  replayed vacancies (``DEFAULT_LEASE_DAYS`` when none was observed);
- a place with no household by its return deadline goes back unfilled;
- days from link to lease: median and p90 by the nearest-rank method (as the region's figures,
  ``reports.figures``: the value at rank ceil(p/100 x n) of the n sorted values);
- the quota result: persons present of each housed household, for the municipality the
  region's counting rule credits (the dwelling's or the linked one).

``simulate`` is pure (plain data in, plain data out); ``load`` reads the database.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy

from placement import candidates, matching
from placement.models import Household, Meeting, Nomination, Vacancy
from placement.schedule import RegionCalendar
from quota.models import CreditedMunicipality, QuotaRule
from regions.models import Municipality, Region

# Used when the replayed vacancies have no nomination with a lease start to measure from.
DEFAULT_LEASE_DAYS = 28
# Vacancies that were offered to the desk: not those still waiting for its acceptance, nor
# those the corporation withdrew (no supply for the desk).
REPLAYED_STATUSES = (
    Vacancy.Status.ACCEPTED,
    Vacancy.Status.ON_AGENDA,
    Vacancy.Status.NOMINATED,
    Vacancy.Status.LET,
    Vacancy.Status.RETURNED,
)
# Nomination outcomes that count in the refusal rate: refused, or accepted or further.
ACCEPTED_OR_FURTHER = (
    Nomination.Status.ACCEPTED,
    Nomination.Status.LEASE_SIGNED,
    Nomination.Status.HOUSED,
    Nomination.Status.MOVED_OUT,
    Nomination.Status.DISSOLVED,
)
# A real nomination for a dwelling that is not replayed takes the household out of the pool.
TAKES_OUT = (*Nomination.HOLDING, Nomination.Status.MOVED_OUT)
REGIONAL = "regional"
PER_MUNICIPALITY = "per_municipality"
FIGURE_LABELS = {
    "households": gettext_lazy("Households housed"),
    "persons": gettext_lazy("Persons housed (present)"),
    "median": gettext_lazy("Days from link to lease, median"),
    "p90": gettext_lazy("Days from link to lease, 90th percentile"),
    "unfilled": gettext_lazy("Places returned unfilled"),
    "refusals": gettext_lazy("Proposals refused (drawn)"),
}
# The longest period the page and the command replay (a year and a half).
MAX_PERIOD_DAYS = 550


@dataclass(frozen=True)
class Offer:
    """A vacancy as it came free: its dwelling for the engine and its dates."""

    dwelling: matching.Dwelling
    municipality_id: int
    submitted: datetime.date
    return_deadline: datetime.date
    available_from: datetime.date

    @property
    def last_day(self) -> datetime.date:
        # A vacancy submitted after its return deadline is decided at once.
        return max(self.return_deadline, self.submitted)


@dataclass(frozen=True)
class Seeker:
    """A household as the replay sees it: the engine's candidate, where it is linked, the
    persons present (what the quota counts) and the day it left the pool otherwise."""

    candidate: matching.Candidate
    municipality_id: int
    persons: int
    leaves_on: datetime.date | None = None

    def in_pool(self, day: datetime.date) -> bool:
        return self.candidate.link_date <= day and (self.leaves_on is None or day < self.leaves_on)


@dataclass(frozen=True)
class Inputs:
    offers: Sequence[Offer]
    seekers: Sequence[Seeker]
    meetings: Sequence[datetime.date]
    municipalities: dict[int, str]  # the region's participating municipalities, by name
    refusal_rate: float = 0.0
    lease_days: int = DEFAULT_LEASE_DAYS
    credited: str = CreditedMunicipality.DWELLING
    settings: matching.MatchSettings = field(default_factory=matching.MatchSettings)
    # What the rates were measured from (shown with the method).
    refused_observed: int = 0
    decided_observed: int = 0
    lease_observed: int = 0


@dataclass(frozen=True)
class Placement:
    offer_id: int
    place: int
    household_id: int
    linked_municipality_id: int
    dwelling_municipality_id: int
    persons: int
    decided_on: datetime.date
    lease_on: datetime.date
    link_date: datetime.date

    @property
    def days_to_lease(self) -> int:
        return (self.lease_on - self.link_date).days


@dataclass
class Scenario:
    name: str
    placements: list[Placement]
    refusals: int
    unfilled_places: int
    unfilled_dwellings: int
    credited: dict[int, int]  # municipality id -> persons counted for its quota

    @property
    def households(self) -> int:
        return len(self.placements)

    @property
    def persons(self) -> int:
        return sum(p.persons for p in self.placements)

    @property
    def days(self) -> list[int]:
        return sorted(p.days_to_lease for p in self.placements)

    @property
    def median_days(self) -> int | None:
        return nearest_rank(self.days, 50)

    @property
    def p90_days(self) -> int | None:
        return nearest_rank(self.days, 90)


def nearest_rank(sorted_values: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(percent / 100 x n), 1-based."""
    if not sorted_values:
        return None
    rank = max(math.ceil(percent * len(sorted_values) / 100), 1)
    return sorted_values[rank - 1]


@dataclass
class Result:
    inputs: Inputs
    regional: Scenario
    per_municipality: Scenario
    seed: int
    start: datetime.date
    end: datetime.date
    decision_days: list[datetime.date]
    seconds: float = 0.0

    @property
    def empty(self) -> bool:
        return not self.inputs.offers

    @property
    def places(self) -> int:
        return sum(o.dwelling.places for o in self.inputs.offers)

    def comparison(self) -> list[dict]:
        """The side-by-side figures: key, label, regional, per municipality, difference (None
        where a figure has no value: no household housed)."""
        a, b = self.regional, self.per_municipality
        figures = [
            ("households", FIGURE_LABELS["households"], a.households, b.households),
            ("persons", FIGURE_LABELS["persons"], a.persons, b.persons),
            ("median", FIGURE_LABELS["median"], a.median_days, b.median_days),
            ("p90", FIGURE_LABELS["p90"], a.p90_days, b.p90_days),
            ("unfilled", FIGURE_LABELS["unfilled"], a.unfilled_places, b.unfilled_places),
            ("refusals", FIGURE_LABELS["refusals"], a.refusals, b.refusals),
        ]
        return [
            {
                "key": key,
                "label": label,
                "regional": x,
                "per_municipality": y,
                "difference": None if x is None or y is None else x - y,
            }
            for key, label, x, y in figures
        ]

    def municipality_rows(self, only: Iterable[int] | None = None) -> list[dict]:
        """Per municipality: persons counted for its quota in each replay, and the gain."""
        ids = list(self.inputs.municipalities)
        if only is not None:
            keep = set(only)
            ids = [i for i in ids if i in keep]
        rows = []
        for pk in sorted(ids, key=lambda i: self.inputs.municipalities[i]):
            regional = self.regional.credited.get(pk, 0)
            own = self.per_municipality.credited.get(pk, 0)
            rows.append(
                {
                    "id": pk,
                    "name": self.inputs.municipalities[pk],
                    "regional": regional,
                    "per_municipality": own,
                    "difference": regional - own,
                    "offers": sum(1 for o in self.inputs.offers if o.municipality_id == pk),
                    "seekers": sum(1 for s in self.inputs.seekers if s.municipality_id == pk),
                }
            )
        return rows


# --- The replay ---------------------------------------------------------------------------


def decision_days(offers: Sequence[Offer], meetings: Sequence[datetime.date]) -> list[tuple]:
    """(day, offers decided that day) in order. A meeting decides every offer whose window
    (submitted .. return deadline) contains it; an offer whose window holds no meeting is
    decided on its own return deadline."""
    meetings = sorted(set(meetings))
    at: dict[datetime.date, list[Offer]] = defaultdict(list)
    for offer in offers:
        days = [m for m in meetings if offer.submitted <= m <= offer.last_day]
        for day in days or [offer.last_day]:
            at[day].append(offer)
    return sorted(at.items())


def simulate(inputs: Inputs, *, pooled: bool, seed: int) -> Scenario:
    """One replay (``pooled``: regional, else per municipality). Deterministic for a seed."""
    rng = random.Random(seed)
    free = {o.dwelling.id: o.dwelling.places for o in inputs.offers}
    housed: set[int] = set()
    refused: set[tuple[int, int]] = set()  # (dwelling id, household id)
    placements: list[Placement] = []
    refusals = 0
    for day, offers in decision_days(inputs.offers, inputs.meetings):
        open_offers = [o for o in offers if free[o.dwelling.id] > 0]
        if not open_offers:
            continue
        pool = [s for s in inputs.seekers if s.candidate.id not in housed and s.in_pool(day)]
        if not pool:
            continue
        if pooled:
            groups = [(open_offers, pool)]
        else:
            by_municipality: dict[int, list[Seeker]] = defaultdict(list)
            for s in pool:
                by_municipality[s.municipality_id].append(s)
            offers_by: dict[int, list[Offer]] = defaultdict(list)
            for o in open_offers:
                offers_by[o.municipality_id].append(o)
            groups = [(offers_by[m], by_municipality[m]) for m in sorted(offers_by)]
        for group_offers, group_seekers in groups:
            if not group_seekers:
                continue
            seekers = list(group_seekers)
            rng.shuffle(seekers)  # seeded tie-break among equally good proposals
            dwellings = [
                dataclasses.replace(
                    o.dwelling,
                    places=free[o.dwelling.id],
                    letting_date=max(o.available_from, day),
                )
                for o in group_offers
            ]
            households = [s.candidate for s in seekers]
            ev = matching.evaluate(dwellings, households, inputs.settings, day)
            for d, dw in enumerate(dwellings):
                for h, s in enumerate(seekers):
                    if (dw.id, s.candidate.id) in refused:
                        ev.feasible[d, h] = False
            proposal = matching.propose(dwellings, households, inputs.settings, day, evaluation=ev)
            by_id = {s.candidate.id: s for s in seekers}
            offer_by_id = {o.dwelling.id: o for o in group_offers}
            for line in sorted(proposal.lines, key=lambda x: (x.dwelling_id, x.place)):
                seeker = by_id[line.household_id]
                if rng.random() < inputs.refusal_rate:
                    refused.add((line.dwelling_id, line.household_id))
                    refusals += 1
                    continue
                offer = offer_by_id[line.dwelling_id]
                place = offer.dwelling.places - free[line.dwelling_id] + 1
                free[line.dwelling_id] -= 1
                housed.add(line.household_id)
                placements.append(
                    Placement(
                        offer_id=line.dwelling_id,
                        place=place,
                        household_id=line.household_id,
                        linked_municipality_id=seeker.municipality_id,
                        dwelling_municipality_id=offer.municipality_id,
                        persons=seeker.persons,
                        decided_on=day,
                        lease_on=day + datetime.timedelta(days=inputs.lease_days),
                        link_date=seeker.candidate.link_date,
                    )
                )
    credited: dict[int, int] = defaultdict(int)
    for p in placements:
        municipality = (
            p.linked_municipality_id
            if inputs.credited == CreditedMunicipality.LINKED
            else p.dwelling_municipality_id
        )
        credited[municipality] += p.persons
    return Scenario(
        name=REGIONAL if pooled else PER_MUNICIPALITY,
        placements=placements,
        refusals=refusals,
        unfilled_places=sum(free.values()),
        unfilled_dwellings=sum(
            1 for o in inputs.offers if free[o.dwelling.id] == o.dwelling.places
        ),
        credited=dict(credited),
    )


def replay(inputs: Inputs, *, seed: int, start: datetime.date, end: datetime.date) -> Result:
    """Both replays with the same seed, side by side."""
    began = time.perf_counter()
    result = Result(
        inputs=inputs,
        regional=simulate(inputs, pooled=True, seed=seed),
        per_municipality=simulate(inputs, pooled=False, seed=seed),
        seed=seed,
        start=start,
        end=end,
        decision_days=[day for day, _offers in decision_days(inputs.offers, inputs.meetings)],
    )
    result.seconds = time.perf_counter() - began
    return result


# --- Reading the period from the database ----------------------------------------------------


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def meeting_dates(region: Region, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The region's meetings from ``first`` to ``last``: the meetings recorded in a month, or
    the schedule's date for a month without one."""
    recorded: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
    for day in Meeting.objects.filter(region=region, date__range=(first, last)).values_list(
        "date", flat=True
    ):
        recorded[(day.year, day.month)].append(day)
    calendar = RegionCalendar.of(region)
    days: list[datetime.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if (year, month) in recorded:
            days += recorded[(year, month)]
        else:
            day = calendar.scheduled(year, month).date
            if first <= day <= last:
                days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(days)


def load(region: Region, start: datetime.date, end: datetime.date) -> Inputs:
    """The period's vacancies, the region's households and the observed rates, as plain data."""
    vacancies = list(
        Vacancy.objects.filter(
            municipality__region=region,
            available_from__range=(start, end),
            status__in=REPLAYED_STATUSES,
        )
        .select_related("municipality")
        .order_by("available_from", "created_at", "id")
    )
    municipalities = dict(
        Municipality.objects.filter(region=region, participates=True).values_list("id", "name")
    )
    rule = QuotaRule.objects.filter(region=region).first()
    credited = rule.credited if rule else CreditedMunicipality.DWELLING
    if not vacancies:
        return Inputs(
            offers=[], seekers=[], meetings=[], municipalities=municipalities, credited=credited
        )
    caps = candidates.rent_caps()
    offers = []
    for v in vacancies:
        dwelling = candidates.to_dwelling(v, caps, on=v.available_from)
        offers.append(
            Offer(
                dwelling=dwelling,
                municipality_id=v.municipality_id,
                submitted=_local_date(v.created_at),
                return_deadline=v.return_deadline,
                available_from=v.available_from,
            )
        )
    first = min(o.submitted for o in offers)
    last = max(o.last_day for o in offers)
    vacancy_ids = [v.pk for v in vacancies]

    # Observed rates: the nominations for the replayed vacancies.
    replayed = Nomination.objects.filter(vacancy_id__in=vacancy_ids)
    refused_n = replayed.filter(status=Nomination.Status.REFUSED).count()
    decided_n = refused_n + replayed.filter(status__in=ACCEPTED_OR_FURTHER).count()
    lease_days = sorted(
        max((lease_start - _local_date(created)).days, 0)
        for lease_start, created in replayed.filter(lease_start__isnull=False).values_list(
            "lease_start", "created_at"
        )
    )
    lease = nearest_rank(lease_days, 50) if lease_days else DEFAULT_LEASE_DAYS

    # The pool: every household of the region linked by the last decision day.
    households = list(
        Household.objects.filter(linked_municipality__region=region, link_date__lte=last)
        .with_sizes()
        .order_by("link_date", "id")
    )
    out: dict[int, datetime.date] = {}
    for household_id, created in (
        Nomination.objects.filter(household__in=[h.pk for h in households], status__in=TAKES_OUT)
        .exclude(vacancy_id__in=vacancy_ids)
        .values_list("household_id", "created_at")
    ):
        day = _local_date(created)
        out[household_id] = min(out.get(household_id, day), day)
    ages = candidates.aow_ages()
    seekers = []
    for h in households:
        leaves = out.get(h.pk)
        if h.status == Household.Status.OWN_HOME:
            gone = h.own_home_date
        elif h.status in (Household.Status.WITHDRAWN, Household.Status.REFUSED):
            gone = _local_date(h.status_changed_at)
        else:
            gone = None
        if gone is not None:
            leaves = min(leaves, gone) if leaves else gone
        seekers.append(
            Seeker(
                candidate=candidates.to_candidate(h, ages),
                municipality_id=h.linked_municipality_id,
                persons=h.size,
                leaves_on=leaves,
            )
        )
    return Inputs(
        offers=offers,
        seekers=seekers,
        meetings=meeting_dates(region, first, last),
        municipalities=municipalities,
        refusal_rate=refused_n / decided_n if decided_n else 0.0,
        lease_days=lease,
        credited=credited,
        settings=matching.MatchSettings.from_settings(),
        refused_observed=refused_n,
        decided_observed=decided_n,
        lease_observed=len(lease_days),
    )


def whatif_run(*, region: Region, start: datetime.date, end: datetime.date, seed: int) -> Result:
    """Read the period and replay it both ways. Reads only; writes nothing."""
    began = time.perf_counter()
    result = replay(load(region, start, end), seed=seed, start=start, end=end)
    result.seconds = time.perf_counter() - began
    return result
