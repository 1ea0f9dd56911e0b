"""The same plans as the demo, written with bulk inserts (the small and national scales).

Differences from ``Seeder`` (the services): no change-history rows for the bulk-inserted
households, members, vacancies and nominations (``bulk_create`` sends no signals, so
simple-history records nothing; their history starts at the first change made in the app), and
no notices for the vacancies, and no change history for the held meetings' agenda items.
References are made as ``household_create`` makes them. Auto-set dates (``auto_now_add``) are
written afterwards with ``bulk_update``, which does not set them.

The refusals before the leases (``demo.planners.meetings.RefusalPlanner``) are the same at every
scale; a national pool has more of them (``RegionSpec.refused_share``).
"""

from __future__ import annotations

import datetime
from itertools import batched

from django.db import connection

from placement.models import AgendaItem, Household, Meeting, Nomination, Person, Vacancy
from placement.models.households import refresh_sizes
from regions.models import Region, Role

from .data import HStatus, VStatus
from .planners.plans import (
    HouseholdPlan,
    PlacementPlan,
    RefusalPlan,
    RegionResult,
    VacancyPlan,
    aware,
)
from .seeding import Seeder

BATCH = 2000


def _insert(model, objects: list) -> list:
    for batch in batched(objects, BATCH):
        model.objects.bulk_create(batch)
    return objects


def _update(model, objects: list, fields: list[str]) -> None:
    for batch in batched(objects, BATCH):
        model.objects.bulk_update(batch, fields)


class BulkSeeder(Seeder):
    def create_households(self, plans: list[HouseholdPlan], coordinator) -> int:
        keys = [p.key for p in plans]
        existing = set()
        for batch in batched(keys, 10_000):
            existing |= set(
                Person.objects.filter(v_number__in=batch, role=Person.Role.MAIN).values_list(
                    "v_number", flat=True
                )
            )
        new = [p for p in plans if p.key not in existing]
        households = []
        for plan in new:
            household = plan.household
            own_home = plan.status == HStatus.OWN_HOME
            household.created_by = coordinator
            household.reference = f"NEW-{plan.key}"  # replaced below
            household.status = plan.status
            household.status_reason = plan.status_reason
            household.own_home_municipality = household.linked_municipality if own_home else None
            household.own_home_date = (
                max(plan.status_changed_at.date(), household.link_date) if own_home else None
            )
            households.append(household)
        _insert(Household, households)
        region_code = {}
        for plan in new:
            household = plan.household
            municipality = household.linked_municipality
            code = region_code.setdefault(municipality.region_id, municipality.region.code)
            household.reference = f"{code}-{household.link_date.year}-{household.pk:05d}"
            household.created_at = plan.created_at
            household.status_changed_at = plan.status_changed_at
        _update(Household, households, ["reference", "created_at", "status_changed_at"])
        members = []
        for plan in new:
            for person in plan.members:
                person.household = plan.household
                members.append(person)
        _insert(Person, members)
        # The stored sizes: bulk_create sends no signals, so the placement app's own refresh.
        for batch in batched([h.pk for h in households], 10_000):
            refresh_sizes(batch)
        return len(new)

    def create_vacancies(self, plans: list[VacancyPlan], region: Region, users: list) -> int:
        existing = set(
            Vacancy.objects.filter(municipality__region=region).values_list("street", "postcode")
        )
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        new = [p for p in plans if p.key not in existing]
        for plan in new:
            plan.vacancy.status = plan.status
            plan.vacancy.return_reason = plan.return_reason
            plan.vacancy.submitted_by = submitters.get(plan.vacancy.corporation_id, coordinator)
        vacancies = _insert(Vacancy, [p.vacancy for p in new])
        for plan in new:
            plan.vacancy.created_at = plan.created_at
            plan.vacancy.status_changed_at = plan.status_changed_at
        _update(Vacancy, vacancies, ["created_at", "status_changed_at"])
        return len(new)

    def create_placements(
        self,
        plans: list[PlacementPlan],
        region: Region,
        users: list,
        meetings: dict[datetime.date, Meeting],
        refusals: list[RefusalPlan],
    ) -> tuple[int, int]:
        coordinator = next(u for u in users if u.membership.role == Role.COORDINATOR)
        submitters = {
            u.membership.organisation_id: u for u in users if u.membership.role == Role.CORPORATION
        }
        households = {}
        keys = [plan.key for plan in plans]
        for batch in batched(keys, 10_000):
            households |= {
                p.v_number: p.household
                for p in Person.objects.filter(
                    v_number__in=batch, role=Person.Role.MAIN
                ).select_related("household")
            }
        holding = set(
            Nomination.objects.holding()
            .filter(vacancy__municipality__region=region)
            .values_list("household_id", flat=True)
        )
        let = {
            (v.street, v.postcode): v
            for v in Vacancy.objects.filter(municipality__region=region, status=VStatus.LET)
        }
        taken = set(
            Nomination.objects.holding()
            .filter(vacancy__municipality__region=region)
            .values_list("vacancy_id", flat=True)
        )
        todo, new_vacancies = [], []
        for plan in plans:
            household = households.get(plan.key)
            if household is None or household.pk in holding or household.status != plan.status:
                continue
            vacancy = let.get((plan.vacancy.street, plan.vacancy.postcode))
            if vacancy is None:
                vacancy = plan.vacancy
                vacancy.submitted_by = submitters.get(vacancy.corporation_id, coordinator)
                new_vacancies.append(vacancy)
                let[(vacancy.street, vacancy.postcode)] = vacancy
            elif vacancy.pk in taken:
                continue
            taken.add(vacancy.pk)
            todo.append((plan, household, vacancy))
        _insert(Vacancy, new_vacancies)
        for plan, _household, vacancy in todo:
            if vacancy is plan.vacancy:
                vacancy.created_at = plan.vacancy_created_at
                vacancy.status_changed_at = aware(plan.lease_signed_on, 16)
        _update(Vacancy, new_vacancies, ["created_at", "status_changed_at"])

        nominations, changed = [], []
        for plan, household, vacancy in todo:
            housed = plan.status == HStatus.HOUSED
            nominations.append(
                Nomination(
                    vacancy=vacancy,
                    place=1,
                    household=household,
                    status=Nomination.Status.HOUSED if housed else Nomination.Status.LEASE_SIGNED,
                    score=0,
                    viewing_at=plan.viewing_at,
                    lease_signed_on=plan.lease_signed_on,
                    lease_start=plan.lease_start,
                    move_in_date=plan.move_in_date,
                    reported_to_coa_on=plan.reported_to_coa_on,
                    meeting=meetings.get(plan.meeting_day),
                    nominated_by=coordinator,
                )
            )
            household.status_changed_at = plan.status_changed_at
            if household.link_date > plan.link_date:
                household.link_date = plan.link_date
                household.created_at = plan.household_created_at
                household.reference = f"{region.code}-{plan.link_date.year}-{household.pk:05d}"
            changed.append(household)
        _insert(Nomination, nominations)
        for nomination, (plan, _household, _vacancy) in zip(nominations, todo, strict=True):
            nomination.created_at = plan.nominated_at
        _update(Nomination, nominations, ["created_at"])
        _update(Household, changed, ["status_changed_at", "link_date", "created_at", "reference"])
        let_now = {(v.street, v.postcode): v for _plan, _household, v in todo}
        return len(todo), self.create_refusals(refusals, let_now, meetings, coordinator)

    def after(self, results: list[RegionResult], today: datetime.date) -> None:
        """Bill the ended periods (``Seeder.after``), and refresh the planner's statistics
        after the bulk inserts."""
        super().after(results, today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Household, Person, Vacancy, Nomination, AgendaItem):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
