"""Draws the let dwelling and the lease behind each housed or lease-signed household."""

from __future__ import annotations

import datetime
import random
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal

from placement.models import Vacancy
from regions.models import Municipality, Organisation

from ..data import (
    BETWEEN_MEETINGS_SHARE,
    DWELLING_REMARKS,
    HISTORY_START,
    OTHER_MUNICIPALITY_SHARE,
    REPORTED_TO_COA_SHARE,
    SEED,
    DType,
    HStatus,
    RegionSpec,
    VStatus,
)
from .plans import HouseholdPlan, PlacementPlan, aware, weighted
from .vacancies import VacancyPlanner


class PlacementPlanner(VacancyPlanner):
    """Draws the let dwelling and the lease of each housed or lease-signed household of a region;
    the same draws on every run. Addresses never repeat those of the open vacancies.

    With ``meeting_days`` (the region's held meetings, ``demo.planners.meetings``) a lease whose
    nomination falls in the year of meetings was nominated in the meeting on or before the
    drawn day, its dwelling offered before that meeting; a share (``BETWEEN_MEETINGS_SHARE``)
    was nominated between two meetings, its dwelling on the agenda of the one before. Leases
    nominated before the first held meeting have no meeting."""

    def __init__(
        self,
        spec: RegionSpec,
        municipalities: dict[str, Municipality],
        corporations: dict[str, Organisation],
        today: datetime.date,
        taken_addresses: set[str],
        history_start: datetime.date = HISTORY_START,
        meeting_days: Sequence[datetime.date] = (),
    ):
        super().__init__(spec, municipalities, corporations, today)
        self.history_start = history_start
        self.rng = random.Random(f"{SEED}-{spec.code}-placements")
        # Its own generator: the meetings do not shift the placements' draws.
        self.between_rng = random.Random(f"{SEED}-{spec.code}-between-meetings")
        self.meeting_days = sorted(meeting_days)
        self.addresses = set(taken_addresses)
        self.spec_by_code = {m.cbs_code: m for m in self.participating}

    def placements(self, households: list[HouseholdPlan]) -> list[PlacementPlan]:
        housed = [h for h in households if h.status == HStatus.HOUSED]
        signed = [h for h in households if h.status == HStatus.LEASE_SIGNED]
        # Housed: lease starts spread evenly (one random day in each equal slice) from
        # the history start to two weeks ago, so the move-in and the report to COA are past too.
        last = max(self.today - datetime.timedelta(days=14), self.history_start)
        span = (last - self.history_start).days
        plans = []
        for i, household in enumerate(housed):
            offset = int(span * (i + self.rng.random()) / len(housed))
            plans.append(self.plan_for(household, self.history_start + datetime.timedelta(offset)))
        # Lease signed: the lease started in the last three weeks or starts within four.
        for household in signed:
            offset = self.rng.randint(-21, 28)
            plans.append(self.plan_for(household, self.today + datetime.timedelta(offset)))
        return plans

    def plan_for(self, household: HouseholdPlan, lease_start: datetime.date) -> PlacementPlan:
        rng, today, days = self.rng, self.today, datetime.timedelta
        # Every draw is made whatever the outcome, so one household never shifts the next.
        signed_before, signed_ago = rng.randint(3, 14), rng.randint(0, 6)
        lease_signed_on = lease_start - days(signed_before)
        if lease_signed_on > today:
            lease_signed_on = today - days(signed_ago)
        nominated_on = lease_signed_on - days(rng.randint(10, 28))
        meeting_day, agenda_day = self.meeting_for(nominated_on)
        if meeting_day is not None:
            nominated_on = meeting_day
        viewing_on = min(nominated_on + days(rng.randint(3, 8)), lease_signed_on - days(1))
        move_in_date = lease_start + days(rng.randint(1, 6))
        reported = lease_start + days(rng.randint(5, 10))
        reported_now = rng.random() < REPORTED_TO_COA_SHARE and reported <= today
        # Linked at least two weeks before the nomination: a household the seed linked more
        # recently is moved back to between three and ten weeks before it.
        earliest_link = nominated_on - days(rng.randint(21, 70))
        plan_link = household.household.link_date
        link_date = plan_link if plan_link <= nominated_on - days(14) else earliest_link
        registered = link_date + days(rng.randint(0, 3))
        vacancy, submitted_on = self.dwelling_for(household, lease_start, nominated_on, agenda_day)
        housed = household.status == HStatus.HOUSED
        status_changed_on = move_in_date if housed else lease_signed_on
        vacancy_created_at = aware(submitted_on, rng.randint(8, 17), rng.randint(0, 59))
        hour, minute = rng.randint(9, 16), rng.randint(0, 59)
        if meeting_day is not None:
            hour = 10 + hour % 2  # in the meeting, in the morning
        return PlacementPlan(
            key=household.key,
            status=household.status,
            vacancy=vacancy,
            vacancy_created_at=vacancy_created_at,
            nominated_at=aware(nominated_on, hour, minute),
            viewing_at=aware(viewing_on, rng.randint(9, 16), rng.choice((0, 15, 30, 45))),
            lease_signed_on=lease_signed_on,
            lease_start=lease_start,
            move_in_date=move_in_date if housed else None,
            reported_to_coa_on=reported if housed and reported_now else None,
            link_date=link_date,
            household_created_at=aware(registered, rng.randint(9, 16), rng.randint(0, 59)),
            status_changed_at=aware(status_changed_on, rng.randint(9, 16), rng.randint(0, 59)),
            meeting_day=meeting_day,
            agenda_day=agenda_day,
        )

    def meeting_for(self, day: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        """For a nomination drawn on ``day``: the held meeting it was made in, and the meeting
        whose agenda its dwelling was on. The meeting on or before the day for both; for a
        share nominated between meetings none, and the meeting before. Before the first held
        meeting: neither. One draw each time, whatever the outcome."""
        between = self.between_rng.random() < BETWEEN_MEETINGS_SHARE
        index = bisect_right(self.meeting_days, day) - 1
        if index < 0:
            return None, None
        before = self.meeting_days[index]
        if between and day > before + datetime.timedelta(days=2):
            return None, before
        return before, before

    def dwelling_for(
        self,
        household: HouseholdPlan,
        lease_start: datetime.date,
        nominated_on: datetime.date,
        agenda_day: datetime.date | None = None,
    ) -> tuple[Vacancy, datetime.date]:
        """A dwelling that fits the household, mostly in its linked municipality; returns it
        (unsaved, let) and the day the corporation offered it: at least ten days before the
        meeting whose agenda it was on (``agenda_day``), so the desk took it on in time."""
        rng, days = self.rng, datetime.timedelta
        linked = household.household.linked_municipality.cbs_code
        others = [m for m in self.participating if m.cbs_code != linked]
        elsewhere = rng.random() < OTHER_MUNICIPALITY_SHARE and others
        muni_spec = (
            rng.choices(others, weights=[m.population for m in others])[0]
            if elsewhere
            else self.spec_by_code[linked]
        )
        place = rng.choices(muni_spec.places, weights=[p.weight for p in muni_spec.places])[0]
        size = len(household.members)  # family members expected later included
        needs = household.household
        if needs.needs_wheelchair_access:
            dwelling_type = DType.SENIOR if size <= 2 else DType.SINGLE_FAMILY
        elif size == 1:
            dwelling_type = weighted(rng, {DType.APARTMENT: 5, DType.FLEX: 3, DType.SENIOR: 1})
        elif size == 2:
            dwelling_type = weighted(rng, {DType.APARTMENT: 5, DType.SENIOR: 1, DType.FLEX: 1})
        elif size <= 4:
            dwelling_type = weighted(rng, {DType.APARTMENT: 2, DType.SINGLE_FAMILY: 3})
        else:
            dwelling_type = DType.SINGLE_FAMILY
        street, postcode = self.address(place, dwelling_type)
        vacancy = Vacancy(
            corporation=self.corporations[rng.choice(muni_spec.corporations)],
            municipality=self.municipalities[muni_spec.cbs_code],
            street=street,
            postcode=postcode,
            place=place.name,
            dwelling_type=dwelling_type,
            remarks=DWELLING_REMARKS.get(dwelling_type, ""),
            service_charges=Decimal(rng.randint(2000, 8000)) / 100,
            status=VStatus.LET,
        )
        self.dwelling(vacancy)
        # Enough bedrooms for two persons each (a studio counts as one), sometimes one more.
        needed = max(1, -(-size // 2))
        spare = rng.random() < 0.3
        if dwelling_type == DType.FLEX:
            vacancy.rooms = max(vacancy.rooms, 1 if size == 1 else needed + 1)
            vacancy.bedrooms = vacancy.rooms - 1
            vacancy.floor_area = max(vacancy.floor_area, 24 + 14 * vacancy.rooms)
        elif vacancy.bedrooms < needed or (spare and vacancy.bedrooms == needed):
            vacancy.bedrooms = needed + spare
            vacancy.rooms = vacancy.bedrooms + 1
        if dwelling_type != DType.FLEX:
            base, per_bedroom = {
                DType.SINGLE_FAMILY: (70, 12),
                DType.APARTMENT: (40, 15),
                DType.SENIOR: (35, 12),
            }[dwelling_type]
            vacancy.floor_area = max(
                vacancy.floor_area, base + per_bedroom * vacancy.bedrooms + rng.randint(0, 12)
            )
        if needs.needs_wheelchair_access:
            vacancy.floor, vacancy.wheelchair_accessible = 0, True
        elif needs.needs_ground_floor and vacancy.floor > 0:
            vacancy.has_lift = True
        # Suitable allocation: at or below the rent cap (2025: EUR 682.96 for one or two
        # persons, 731.93 for three or more).
        low, high = (470, 680) if size <= 2 else (560, 730)
        vacancy.base_rent = Decimal(rng.randint(low * 100, high * 100)) / 100
        vacancy.available_from = lease_start - days(rng.randint(0, 10))
        vacancy.return_deadline = max(vacancy.available_from, nominated_on) + days(
            rng.randint(7, 28)
        )
        offered_by = min(nominated_on, vacancy.available_from)
        if agenda_day is not None:
            offered_by = min(offered_by, agenda_day - days(3))
        submitted_on = offered_by - days(rng.randint(7, 21))
        return vacancy, submitted_on
